#pragma once
// ImGui widgets that also record themselves in the Registry. Screens use only these, so everything a person
// sees is also visible to tests. Ids are stable and language-independent; labels are already translated.
#include <string>
#include <string_view>
#include <vector>

#include "mizu/i18n.hpp"
#include "mizu/time.hpp"
#include "ui/registry.hpp"

namespace mizu::web::ui {

// kCancel is drawn as kSecondary and is also what Esc does on this screen (いいえ, 戻る, 閉じる): a dialog or
// confirmation step closes from the keyboard without a second code path.
enum class ButtonKind { kPrimary, kSecondary, kDanger, kCancel };

// The smallest target a person taps (WCAG 2.5.5: 44 × 44 CSS px); every tappable widget is at least this
// tall.
inline constexpr float kMinTargetCss = 44;

// Records the last ImGui item in the registry (for widgets drawn directly with ImGui).
void Record(Registry& reg, std::string_view id, const char* role, std::string_view label,
            std::string value = {}, bool enabled = true, std::string_view error = {});

void Heading(Registry& reg, const char* id, std::string_view text);
// The service name in the header: the heading font in the accent colour (role "brand": a landmark's name,
// not the screen's heading).
void Brand(Registry& reg, const char* id, std::string_view text);
// A muted note that something is in progress, on the same line as the item before (role "status": announced
// politely by screen readers).
void Progress(Registry& reg, const char* id, std::string_view text);
void Text(Registry& reg, const char* id, std::string_view text, bool muted = false);
// A full-width button; returns true when clicked.
bool Button(Registry& reg, const char* id, std::string_view label, ButtonKind kind = ButtonKind::kPrimary,
            bool enabled = true);
// A small button that sizes to its label (header actions such as the language switch).
bool SmallButton(Registry& reg, const char* id, std::string_view label, bool enabled = true);
// What a key is besides a button: a toggle (大文字, the keyboard's layouts: value "true"/"false", which the
// semantics layer gives as aria-pressed) or the chosen one of a set (the calendar's day: drawn filled, its
// name says so). A toggle that is on is drawn filled too.
enum class KeyState { kPlain, kToggleOff, kToggleOn, kChosen };
// A key of an on-screen keyboard (keyboard.hpp) or a day of the calendar: `label` drawn, `name` spoken
// (「濁点」 for ゛, a day's full date), `w_px` wide with little side padding and at least kMinTargetCss high
// (× the text scale); a key not `enabled` is drawn muted and recorded disabled. Returns true when pressed
// (never when disabled).
bool Key(Registry& reg, const std::string& id, std::string_view label, std::string_view name, float w_px,
         KeyState state = KeyState::kPlain, bool enabled = true);
// A row of equal cells `cell_w` wide, `gap` apart, each text centred and muted (a calendar's weekday heads):
// recorded as one text item, the cells joined by spaces, spanning the row.
void CellRow(Registry& reg, const std::string& id, const std::vector<std::string>& cells, float cell_w,
             float gap);
// Underlined text that acts like a link.
bool Link(Registry& reg, const char* id, std::string_view label);
bool Checkbox(Registry& reg, const char* id, std::string_view label, bool& value);

struct InputOptions {
  bool password = false;
  int keyboard = 0;  // TextKeyboard (platform/text_input.hpp): the phone's soft keyboard
  size_t max_bytes = 256;
  std::string_view error;  // shown in red under the field
  bool required = false;   // the form needs it (aria-required on the twin)
  // The HTML autocomplete token (WCAG 1.3.5, the browser's autofill): "username", "email", "tel", "name",
  // "postal-code", "street-address", "new-password", "one-time-code"…; empty: "off" ("current-password" for a
  // password field).
  std::string_view autocomplete;
};
// Label above, full-width field below, drawn by the app; it is edited in its DOM twin (a real <input>: IME,
// soft keyboards, paste, autofill, screen readers), which lies over it while it has focus. Returns true when
// the text changed.
bool InputText(Registry& reg, const char* id, std::string_view label, std::string& value,
               const InputOptions& options = {});

// A date field: the text field takes a date typed in any common form (ParseDateInput, mizu/date_input.hpp:
// 2026/12/1, 2026年12月1日, R8.12.1, 12/1 …) and, under it, 「カレンダーから選ぶ」 opens a month calendar
// (items
// "<id>.calendar.*": the month, 前の月 / 次の月, one button per day named by its full date). Days before
// `first`, after `last` or refused by `allowed` are drawn muted and cannot be chosen; choosing a day writes
// it as FormatDay (「2026年12月1日」) and closes the calendar (Esc closes it too). Under the field, the date
// the text means with its weekday (「2026年12月1日（火）」, item "<id>.parsed"), so a typed R8.12.1 is seen
// as a date. `text` is kept as typed: the caller parses it again to send. Returns true when the text changed.
struct DateOptions {
  Lang lang = Lang::kJa;
  CivilDate today;        // JST: year-less input counts from it; the calendar opens on its month
  CivilDate first, last;  // the days that may be chosen
  bool (*allowed)(CivilDate) = nullptr;  // e.g. IsBusinessDay; null: every day in [first, last]
  std::string_view error;
  bool required = false;
};
bool DateField(Registry& reg, const char* id, std::string_view label, std::string& text,
               const DateOptions& options);

// A text in the error colour (a form-level error); nothing when text is empty.
void ErrorText(Registry& reg, const char* id, std::string_view text);
// A text in the success colour (a confirmation that something was done).
void SuccessText(Registry& reg, const char* id, std::string_view text);
// A label (muted, small) and its value below: confirmation screens, bill details.
void Field(Registry& reg, const std::string& id, std::string_view label, std::string_view value);
// A large amount in the accent colour (a simulated total): `shown` is drawn and spoken ("9,894円"), `value`
// is the plain number tests and tools read.
void Amount(Registry& reg, const char* id, std::string_view label, std::string_view shown, std::string value);
// A choice of options shown as a button with the current one; pressing it lists the options inline (items
// "<id>.option.<i>", each with its details[i] as a muted second line). Returns true when the choice changed.
bool Select(Registry& reg, const char* id, std::string_view label, const std::vector<std::string>& options,
            int& index, std::string_view error = {}, const std::vector<std::string>& details = {});
// One of a group of round choices; returns true when chosen.
bool Radio(Registry& reg, const std::string& id, std::string_view label, bool selected);
// A full-width tappable row (menu entries, list items) with an optional muted detail line.
bool MenuRow(Registry& reg, const std::string& id, std::string_view label, std::string_view detail = {});

// A QR code drawn from its modules (rows of '1' dark / '0' light, e.g. the staff enrolment's TOTP URI), black
// on white with the 4-module quiet zone (ISO/IEC 18004 §9.3), at most `max_css` CSS px wide and at least 3
// device px per module so a phone camera reads it. Recorded as an image named `label` (role "chart" → a
// <div role="img">), its text alternative given beside it by the caller.
void QrCode(Registry& reg, const char* id, std::string_view label, const std::vector<std::string>& modules,
            float max_css = 240);

// A linear barcode drawn from its modules ('1' dark, '0' light; e.g. a GS1-128 payment code), black on white
// with 10-module quiet zones each side (ISO/IEC 15417 §4.4.2), every module a whole number of device pixels
// (the most the room allows, at least 1) so a register's scanner reads it from a phone screen: left to right
// across the room (up to `max_css` CSS px), or — `vertical` — top to bottom down the rest of the visible
// height, where a phone has two to three times the room (全画面で表示). Recorded as an image named `label`
// (role "chart" → a <div role="img">); the caller prints the digits beside it.
void Barcode(Registry& reg, const char* id, std::string_view label, std::string_view modules,
             float max_css = 480, bool vertical = false);

// A compact table (small font, striped rows, stretching columns of relative `weights`). Each row is recorded
// as "<id>.row.<i>" (role "row") with its label and value for tests.
struct TableRow {
  std::vector<std::string> cells;
  std::string label, value;
};
void Table(Registry& reg, const std::string& id, const std::vector<std::string>& heads,
           const std::vector<float>& weights, const std::vector<TableRow>& rows);

}  // namespace mizu::web::ui
