#pragma once
// The semantic item registry: every widget drawn this frame records what it is, so tests (and later an
// accessibility mirror) can find "the ログイン button" without pixels. Rebuilt every frame.
#include <string>
#include <vector>

namespace mizu::web {

struct UiItem {
  std::string id;                    // stable, language-independent, e.g. "login.submit"
  std::string role;                  // heading | text | input | password | button | link | checkbox | chart
  std::string label;                 // the visible label in the current language
  std::string value;                 // input text, "true"/"false" for checkboxes, a text summary for charts
  float x = 0, y = 0, w = 0, h = 0;  // device pixels
  bool enabled = true;
  std::string error;  // the field error shown under it, if any
};

class Registry {
 public:
  void BeginFrame();
  void Add(UiItem item);
  const std::vector<UiItem>& Items() const { return items_; }
  // JSON array of the items with rects in CSS pixels (divided by pixel_ratio).
  std::string Json(float pixel_ratio) const;

  // The text field that is being edited this frame (for the HTML input bridge).
  struct ActiveText {
    bool active = false;
    bool password = false;
    int keyboard = 0;  // TextKeyboard: which soft keyboard a phone shows
    float x = 0, y = 0, w = 0, h = 0;
  };
  ActiveText active_text;

 private:
  std::vector<UiItem> items_;
};

}  // namespace mizu::web
