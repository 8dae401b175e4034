#pragma once
// The on-screen keyboard of a counter kiosk (docs/kiosk.md): terminals without a physical keyboard type with
// it. Three layouts, chosen by the focused field's TextKeyboard (platform/text_input.hpp) and switchable:
//   numbers — a telephone pad with "-" for customer numbers, phone numbers and codes;
//   Latin   — a–z (大文字 for capitals), 0–9, @ . - _ and, for e-mail fields, the common mail domains;
//   kana    — the 50音 table as on a bank's ATM (ア行 at the right, columns of a-i-u-e-o), with 濁点 (゛),
//             半濁点 (゜) and 小さい文字 applied to the last character, 長音 (ー) and 読点 (、);
//   symbols — every printable ASCII symbol (a password may hold any).
// The last row of every layout: かな / 英字 / 数字 / 記号, 空白, 削除, 閉じる.
// A key is a Registry::TextEdit for the field (Registry::text_target): the field's own widget applies it to
// its value (ApplyTextEdit) the way the twin's typing is applied, so the same limits and the form's own
// normalisation follow, and the keyboard keeps no copy of what was typed.
#include <string>

#include "mizu/i18n.hpp"
#include "ui/registry.hpp"

namespace mizu::web::ui {

// Applies one key to a field's value (UTF-8). kVoiced/kSemiVoiced/kSmall turn the last character into its
// voiced (カ→ガ, ウ→ヴ), semi-voiced (ハ→パ) or small (ツ→ッ, ヤ→ャ) form and back (ガ→カ); a character
// without that form is left as it is. kBackspace removes the last character (a code point).
void ApplyTextEdit(std::string& value, const Registry::TextEdit& edit);

enum class KeyLayout { kNumbers, kLatin, kKana, kSymbols };
struct KeyboardState {
  KeyLayout layout = KeyLayout::kNumbers;
  std::string field;   // the field the layout was chosen for: a new field picks its own layout again
  bool shift = false;  // Latin capitals
};

// Draws the keyboard across the available width for reg.text_target (nothing when it is empty): rows of keys
// ("osk.key.<n>", each named for a screen reader: 「ヤ」, 「濁点」), the layout switches
// ("osk.layout.numbers|latin|kana|symbols"), "osk.space", "osk.backspace" (「1文字削除」) and "osk.close"
// (「キーボードを閉じる」, which clears the target), across the available width. Every key is at least 48 CSS
// px high times the text scale. Returns the height it took (device px).
float OnScreenKeyboard(Registry& reg, Lang lang, KeyboardState& state);

}  // namespace mizu::web::ui
