#pragma once
// The soft keyboard a phone shows for a text field: the inputmode of its DOM twin (web/shell/semantics.js),
// which is the real <input> the field is edited in (IME composition, paste, autofill, screen readers).
namespace mizu::web {

enum TextKeyboard { kKeyboardText = 0, kKeyboardEmail = 1, kKeyboardTel = 2, kKeyboardNumeric = 3 };

}  // namespace mizu::web
