#pragma once
// The semantic item registry: every widget drawn this frame records what it is (role, name, value, state,
// rect). Two readers: tests (window.mizu.items()) and the semantics layer (web/shell/mizu.js), which keeps a
// hidden DOM twin of every item in step with the canvas so screen readers, keyboards and browser tools see
// the app (docs/accessibility.md). Rebuilt every frame; what the twins ask for (activate, focus, a new field
// value) waits here until the widget with that id takes it.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mizu::web {

struct UiItem {
  std::string id;     // stable, language-independent, e.g. "login.submit"
  std::string role;   // heading | text | field | status | alert | input | password | button | link | checkbox
                      // | radio | select | table | row | chart
  std::string label;  // the visible label in the current language (the accessible name)
  std::string value;  // input text, "true"/"false" for checkboxes and radios, a text summary for charts
  float x = 0, y = 0, w = 0, h = 0;  // device pixels
  bool enabled = true;
  std::string error;         // the field error shown under it, if any
  bool required = false;     // input/password/select: the form needs it
  std::string inputmode;     // input: text | email | tel | numeric (the phone's soft keyboard)
  std::string autocomplete;  // input/password: the HTML autocomplete token ("" = the layer's default)
  std::string shown;         // field: the drawn text when it differs from value ("9,894円" for 9894)
  std::vector<std::string>
      cells;  // table: the column heads; row: its cells (the twin is real <table> markup)
  std::optional<bool> expanded;
  // Drawn for the pointer only: its twin is hidden from screen readers and is no Tab stop, because another
  // twin says the same (a chart's bars when the chart has a table twin).
  bool hidden = false;  // a select or disclosure button: whether what it opens is shown
  // A grid of buttons that is one Tab stop (a calendar's days; the WAI-ARIA APG's roving tabindex): its
  // members share `grid`, in reading order; the arrow keys move focus within it (← → one member, ↑ ↓
  // `grid_columns`), and Tab enters it at the member with `grid_stop` (whichever member focus left it from).
  std::string grid;
  int grid_columns = 0;
  bool grid_stop = false;
};

class Registry {
 public:
  void BeginFrame();
  void Add(UiItem item);
  // The item added last (a widget completing what Record wrote), and an insertion before later items.
  UiItem& LastItem() { return items_.back(); }
  void InsertAt(size_t index, UiItem item) { items_.insert(items_.begin() + index, std::move(item)); }
  const std::vector<UiItem>& Items() const { return items_; }
  // {"lang","focus","escape","default","items":[…]} with rects in CSS pixels (divided by pixel_ratio): what
  // window.mizu.items() and the semantics layer read. `focus` is the id the app asks the DOM to focus (once).
  std::string Json(float pixel_ratio) const;
  // After Json: requests no widget took are dropped (the item is gone), and a focus request counts as sent.
  void EndFrame();

  // --- From the DOM twins (the semantics layer) ---
  // The twin of `id` was activated (click, Enter/Space, a screen reader's double tap).
  void Activate(std::string id) { activation_ = std::move(id); }
  // DOM focus moved to the twin of `id` ("" when it left the twins).
  void SetFocused(std::string id) {
    if (!id.empty()) reveal_ = arrived_ = id;
    focused_ = std::move(id);
  }
  // The twin text field `id` now holds `value` (typing, IME commit, paste, the browser's autofill).
  void SetValue(std::string id, std::string value) { values_[std::move(id)] = std::move(value); }

  // --- For widgets ---
  // True once when the twin of `id` was activated since the widget last looked.
  bool TakeActivation(std::string_view id);
  // The value the twin text field `id` sent, once.
  std::optional<std::string> TakeValue(std::string_view id);
  bool Focused(std::string_view id) const { return focused_ == id; }
  // True once after DOM focus arrived at the twin of `id` (not again while it stays there).
  bool TakeArrival(std::string_view id) {
    if (arrived_ != id) return false;
    arrived_.clear();
    return true;
  }
  // Asks the semantics layer to move DOM focus to the twin of `id` (a tap on a drawn text field, the first
  // field in error, a new screen's heading).
  void RequestFocus(std::string_view id) { focus_request_ = std::string(id); }
  // The item Esc performs this frame (a dialog's いいえ / 戻る, an open list, the menu's 閉じる): the last
  // one set wins, so an open list inside a dialog closes first — unless keyboard focus is inside what an item
  // closes (`holds_focus`: a calendar whose day is focused, a list whose option is): that one wins over any
  // set after it, so Esc closes what the user is in, not another calendar open below it.
  void SetEscape(std::string_view id, bool holds_focus = false) {
    if (escape_holds_focus_ && !holds_focus) return;
    escape_ = std::string(id);
    escape_holds_focus_ = holds_focus;
  }
  // DOM focus is on the twin of `id` or of an item inside it (an id that starts with `id` + ".").
  bool FocusWithin(std::string_view id) const {
    return focused_ == id || (focused_.size() > id.size() && focused_.compare(0, id.size(), id) == 0 &&
                              focused_[id.size()] == '.');
  }
  // The button Enter performs from a text field (the screen's first enabled primary button: ログイン, 確認,
  // 保存する): set by the widget, the first one set in a frame wins.
  void SetDefault(std::string_view id) {
    if (default_.empty()) default_ = std::string(id);
  }
  // The item that just took DOM focus, until the app has scrolled it into view (TakeReveal at the end of the
  // scrolled content): keyboard focus never lands on something drawn off-screen.
  const std::string& Reveal() const { return reveal_; }
  // A page key (PageDown, End, …) asked to scroll the content by `css_px` (±1e6: to the bottom / top).
  void ScrollBy(float css_px) { scroll_by_ += css_px; }
  float TakeScroll() {
    float v = scroll_by_;
    scroll_by_ = 0;
    return v;
  }
  void RevealDone() { reveal_.clear(); }
  // Scrolls `id` into view again (the view shrank under it: a kiosk's keyboard appeared).
  void RevealItem(std::string id) { reveal_ = std::move(id); }
  // The UI language tag ("ja"/"en"), for <html lang> (the layer names the page after the screen's heading).
  void SetLang(std::string lang) { lang_ = std::move(lang); }

  // A text field has DOM focus this frame (screens keep a value as typed while it is edited).
  struct ActiveText {
    bool active = false;
  };
  ActiveText active_text;

  // --- The on-screen keyboard (a counter kiosk's, web/ui/keyboard.hpp) ---
  // A key for the text field `id`, applied by the field's widget to its value the next time it is drawn, in
  // order — the path the twin's typing takes (InputText), so the same limits and normalisation follow. An
  // edit waits one frame at most (the keyboard is drawn after the fields).
  struct TextEdit {
    enum Kind { kInsert, kBackspace, kVoiced, kSemiVoiced, kSmall } kind = kInsert;
    std::string text;  // kInsert
  };
  void Edit(std::string id, TextEdit edit) { edits_[std::move(id)].push_back({frame_, std::move(edit)}); }
  std::vector<TextEdit> TakeEdits(std::string_view id);
  // The text field the keyboard types into: the one focused last (a tap on a key takes DOM focus off it) and
  // its TextKeyboard (platform/text_input.hpp). Set by InputText; kept across frames; cleared to close.
  struct TextTarget {
    std::string id;
    int keyboard = 0;
  };
  TextTarget text_target;
  // The text fields drawn this frame, in order (the keyboard's 次へ moves to the next one).
  std::vector<TextTarget> text_fields;
  // The app draws its own keyboard (a kiosk): the twins ask for no soft keyboard (inputmode "none") and no
  // autofill (autocomplete "off"), so neither the system's keyboard nor a password manager joins in.
  bool own_keyboard = false;

 private:
  std::vector<UiItem> items_;
  std::string activation_, focused_, focus_request_, escape_, default_, reveal_, arrived_, lang_ = "ja";
  std::map<std::string, std::string, std::less<>> values_;
  struct PendingEdit {
    uint64_t frame;
    TextEdit edit;
  };
  std::map<std::string, std::vector<PendingEdit>, std::less<>> edits_;
  uint64_t frame_ = 0;
  float scroll_by_ = 0;
  bool escape_holds_focus_ = false;
};

}  // namespace mizu::web
