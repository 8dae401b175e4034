#pragma once
// The soft keyboard a phone shows for a text field: the inputmode of its DOM twin (web/shell/semantics.js),
// which is the real <input> the field is edited in (IME composition, paste, autofill, screen readers).
namespace mizu::web {

// kKeyboardKana: a katakana field (フリガナ): the phone's ordinary keyboard, a kiosk's 50音 table.
enum TextKeyboard {
  kKeyboardText = 0,
  kKeyboardEmail = 1,
  kKeyboardTel = 2,
  kKeyboardNumeric = 3,
  kKeyboardKana = 4
};

}  // namespace mizu::web
