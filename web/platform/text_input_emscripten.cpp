// The JavaScript in EM_JS/EM_ASM blocks is not C++: clang-format would break it (e.g. "=>" into "= >").
// clang-format off
// The HTML side of the text bridge lives in web/shell/mizu.js (window.mizuShell.syncTextInput); this file only
// forwards the state of the active ImGui field, in CSS pixels, when it changes.
#include <emscripten.h>

#include <cmath>

#include "platform/runner.hpp"
#include "platform/text_input.hpp"

namespace mizu::web {

EM_JS(void, mizu_js_sync_text_input, (int want, float x, float y, float w, float h, int password, int keyboard), {
  if (window.mizuShell) window.mizuShell.syncTextInput(want !== 0, x, y, w, h, password !== 0, keyboard);
});

namespace {
struct {
  bool active = false;
  float x = 0, y = 0, w = 0, h = 0;
} g_field;
}  // namespace

bool PressLeavesTextField(float x, float y) {
  if (!g_field.active) return false;
  return x < g_field.x || y < g_field.y || x > g_field.x + g_field.w || y > g_field.y + g_field.h;
}

void SyncTextInput(bool want, float x, float y, float w, float h, bool password, int keyboard) {
  g_field = {want, x, y, w, h};
  static bool last_want = false;
  static float last[4] = {-1, -1, -1, -1};
  static bool last_password = false;
  static int last_keyboard = 0;
  float ratio = PixelRatio();
  float css[4] = {x / ratio, y / ratio, w / ratio, h / ratio};
  bool moved = false;
  for (int i = 0; i < 4; ++i) moved = moved || std::fabs(css[i] - last[i]) > 0.5f;
  if (want == last_want && password == last_password && keyboard == last_keyboard && (!want || !moved)) return;
  last_keyboard = keyboard;
  last_want = want;
  last_password = password;
  for (int i = 0; i < 4; ++i) last[i] = css[i];
  mizu_js_sync_text_input(want ? 1 : 0, css[0], css[1], css[2], css[3], password ? 1 : 0, keyboard);
}

}  // namespace mizu::web
// clang-format on
