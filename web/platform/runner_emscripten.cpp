// The JavaScript in EM_JS/EM_ASM blocks is not C++: clang-format would break it (e.g. "=>" into "= >").
// clang-format off
// Emscripten runner: WebGL2 context on #canvas, DOM input → ImGui (queued so a fast click is never lost),
// device-pixel-ratio sizing, and on-demand frames via requestAnimationFrame (nothing is drawn while idle).
// [x] mouse, wheel, touch (single finger: tap = click, drag = scroll); keyboard and text through the DOM twins of
//     the semantics layer (web/shell/semantics.js): Tab moves DOM focus, Enter/Space activate, fields are <input>s
// [x] hi-DPI: the canvas backbuffer is CSS size × devicePixelRatio; the UI is laid out in device pixels
// [ ] clipboard copy out of ImGui fields, multi-touch gestures (later issues)
#include <GLES3/gl3.h>
#include <emscripten.h>
#include <emscripten/eventloop.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <string>

#include "imgui.h"
#include "imgui_internal.h"
#include "imgui_impl_opengl3.h"
#include "platform/runner.hpp"

// Hands the registry's JSON to the semantics layer (web/shell/semantics.js), which updates the DOM twins.
EM_JS(void, mizu_js_sync_semantics, (const char* json), {
  if (window.mizuSemantics) window.mizuSemantics.sync(UTF8ToString(json));
});

namespace mizu::web {
namespace {

struct InputEvent {
  enum class Kind { kPos, kButton, kWheel, kKey } kind;
  float x = 0, y = 0;
  int button = 0;
  bool down = false;
  int key = 0;
  bool ctrl = false, shift = false, alt = false, meta = false;
};

struct Runner {
  FrameCallbacks callbacks;
  EMSCRIPTEN_WEBGL_CONTEXT_HANDLE gl = 0;
  std::deque<InputEvent> events;
  std::vector<uint8_t> font;
  bool font_ready = false;
  bool scheduled = false;
  int frames_wanted = 0;
  uint64_t frame_count = 0;
  double last_time = 0;
  float ratio = 1;
  int width = 0, height = 0;  // device pixels
  std::string items_json;
  bool dom_focus = false;  // a twin of the semantics layer has DOM focus: keys are the browser's
  // The semantics layer's cost (the registry's JSON + the DOM update), for scripts/bench/web.
  double semantics_ms_total = 0, semantics_ms_max = 0;
  double draw_ms_total = 0;  // the anchor: drawing the same frames (ImGui layout + render)
  uint64_t semantics_frames = 0;
};

Runner& R() {
  static Runner* runner = new Runner();
  return *runner;
}

void UpdateCanvasSize() {
  auto& r = R();
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  float ratio = static_cast<float>(emscripten_get_device_pixel_ratio());
  if (ratio <= 0) ratio = 1;
  r.width = static_cast<int>(std::lround(css_w * ratio));
  r.height = static_cast<int>(std::lround(css_h * ratio));
  emscripten_set_canvas_element_size("#canvas", r.width, r.height);
  if (std::fabs(ratio - r.ratio) > 0.01f) {
    r.ratio = ratio;
    if (r.font_ready) r.callbacks.on_font(r.font, r.ratio);  // crisp text at the new density
  }
}

InputEvent MakeEvent(InputEvent::Kind kind, float x = 0, float y = 0) {
  InputEvent e{};
  e.kind = kind;
  e.x = x;
  e.y = y;
  return e;
}

double g_last_input_ms = 0;  // emscripten_get_now() of the last input event (pointer, key, twin)

void Push(InputEvent e) {
  g_last_input_ms = emscripten_get_now();
  R().events.push_back(std::move(e));
  RequestRedraw(2);
}

EM_BOOL OnMouse(int type, const EmscriptenMouseEvent* e, void*) {
  float ratio = R().ratio;
  Push(MakeEvent(InputEvent::Kind::kPos, e->targetX * ratio, e->targetY * ratio));
  if (type == EMSCRIPTEN_EVENT_MOUSEDOWN || type == EMSCRIPTEN_EVENT_MOUSEUP) {
    InputEvent b = MakeEvent(InputEvent::Kind::kButton);
    b.button = e->button == 2 ? 1 : (e->button == 1 ? 2 : 0);
    b.down = type == EMSCRIPTEN_EVENT_MOUSEDOWN;
    Push(b);
  }
  return EM_FALSE;  // the default runs: a press on the canvas takes DOM focus off a twin
}

EM_BOOL OnWheel(int, const EmscriptenWheelEvent* e, void*) {
  InputEvent w = MakeEvent(InputEvent::Kind::kWheel);
  float unit = e->deltaMode == DOM_DELTA_PIXEL ? 100.0f : (e->deltaMode == DOM_DELTA_LINE ? 3.0f : 1.0f);
  w.x = static_cast<float>(-e->deltaX / unit);
  w.y = static_cast<float>(-e->deltaY / unit);
  Push(w);
  return EM_TRUE;
}

// One finger: a tap is a click (pressed and released where it started); a finger that moves more than a few
// CSS pixels scrolls instead (wheel events), so lists scroll on phones without pressing what is under the finger.
struct TouchState {
  bool down = false, scrolling = false;
  float start_x = 0, start_y = 0, last_y = 0;  // device pixels
} g_touch;
constexpr float kTapSlopCss = 8;
constexpr float kWheelUnitCss = 80;  // ImGui scrolls 5 lines (5 × 16 CSS px) per wheel unit

EM_BOOL OnTouch(int type, const EmscriptenTouchEvent* e, void*) {
  if (e->numTouches < 1) return EM_FALSE;
  const auto& t = e->touches[0];
  float ratio = R().ratio;
  float x = t.targetX * ratio, y = t.targetY * ratio;
  auto& g = g_touch;
  if (type == EMSCRIPTEN_EVENT_TOUCHSTART) {
    g = {true, false, x, y, y};
    Push(MakeEvent(InputEvent::Kind::kPos, x, y));  // hover feedback only; the press waits for the end
    return EM_TRUE;
  }
  if (!g.down) return EM_TRUE;
  if (type == EMSCRIPTEN_EVENT_TOUCHMOVE) {
    if (!g.scrolling && (std::fabs(y - g.start_y) > kTapSlopCss * ratio || std::fabs(x - g.start_x) > kTapSlopCss * ratio))
      g.scrolling = true;
    if (g.scrolling) {
      InputEvent w = MakeEvent(InputEvent::Kind::kWheel);
      w.y = (y - g.last_y) / (kWheelUnitCss * ratio);
      g.last_y = y;
      Push(w);
    }
    return EM_TRUE;
  }
  // touchend / touchcancel
  bool tap = type == EMSCRIPTEN_EVENT_TOUCHEND && !g.scrolling;
  g.down = false;
  if (tap) {
    Push(MakeEvent(InputEvent::Kind::kPos, g.start_x, g.start_y));
    InputEvent b = MakeEvent(InputEvent::Kind::kButton);
    b.down = true;
    Push(b);
    b.down = false;
    Push(b);
  }
  return EM_TRUE;
}

bool IsNavigationKey(int code) {
  switch (code) {
    case 8: case 13: case 27: case 33: case 34: case 35: case 36:
    case 37: case 38: case 39: case 40: case 45: case 46: return true;
    default: return false;
  }
}

// Keys reach ImGui only while no twin has DOM focus (Tab is always the browser's: it moves between twins).
EM_BOOL OnKey(int type, const EmscriptenKeyboardEvent* e, void*) {
  if (R().dom_focus) return EM_FALSE;
  int code = static_cast<int>(e->keyCode);
  bool shortcut = (e->ctrlKey || e->metaKey) && (code == 65 || code == 67 || code == 88 || code == 89 || code == 90);
  if (!IsNavigationKey(code) && !shortcut) return EM_FALSE;
  InputEvent k = MakeEvent(InputEvent::Kind::kKey);
  k.key = code;
  k.down = type == EMSCRIPTEN_EVENT_KEYDOWN;
  k.ctrl = e->ctrlKey;
  k.shift = e->shiftKey;
  k.alt = e->altKey;
  k.meta = e->metaKey;
  Push(k);
  return EM_TRUE;
}

EM_BOOL OnResize(int, const EmscriptenUiEvent*, void*) {
  UpdateCanvasSize();
  RequestRedraw(2);
  return EM_FALSE;
}

// Applies queued input in order, like a real mouse over several frames: a button change waits for the frame
// after a pointer move, and nothing follows a button change in the same frame (so a fast click is never lost
// and widgets see hover before press). Returns whether anything was applied.
bool ApplyEvents(ImGuiIO& io) {
  auto& q = R().events;
  bool moved = false;
  bool applied = false;
  while (!q.empty()) {
    InputEvent& e = q.front();
    if (e.kind == InputEvent::Kind::kButton && moved) return true;
    applied = true;
    if (e.kind == InputEvent::Kind::kPos) moved = moved || io.MousePos.x != e.x || io.MousePos.y != e.y;
    InputEvent ev = std::move(e);
    q.pop_front();
    switch (ev.kind) {
      case InputEvent::Kind::kPos: io.MousePos = ImVec2(ev.x, ev.y); break;
      case InputEvent::Kind::kWheel:
        io.MouseWheelH += ev.x;
        io.MouseWheel += ev.y;
        break;
      case InputEvent::Kind::kKey:
        io.KeysDown[ev.key] = ev.down;
        io.KeyCtrl = ev.ctrl;
        io.KeyShift = ev.shift;
        io.KeyAlt = ev.alt;
        io.KeySuper = ev.meta;
        return true;  // one key transition per frame, so a fast press (down + up) is seen as a press
      case InputEvent::Kind::kButton:
        io.MouseDown[ev.button] = ev.down;
        return true;
    }
  }
  return applied;
}

EM_BOOL Tick(double now_ms, void*) {
  auto& r = R();
  r.scheduled = false;
  if (!r.font_ready) return EM_FALSE;
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(r.width), static_cast<float>(r.height));
  io.DeltaTime = r.last_time > 0 ? static_cast<float>((now_ms - r.last_time) / 1000.0) : 1.0f / 60.0f;
  if (io.DeltaTime <= 0) io.DeltaTime = 1.0f / 60.0f;
  r.last_time = now_ms;
  // Input handled in this frame may change state drawn earlier in the same frame: always draw after it.
  bool had_input = ApplyEvents(io);
  const double draw_start = emscripten_get_now();
  if (r.callbacks.before_frame && r.callbacks.before_frame()) had_input = true;  // atlas grew: draw again

  ImGui_ImplOpenGL3_NewFrame();
  ImGui::NewFrame();
  r.callbacks.draw();
  ImGui::Render();
  // Text drawn this frame needed glyphs the atlas did not have yet (kanji are rasterised once used): grow the
  // atlas and draw the frame again before it is shown, so no frame ever shows a missing glyph.
  if (r.callbacks.before_frame && r.callbacks.before_frame()) {
    ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    r.callbacks.draw();
    ImGui::Render();
  }
  glViewport(0, 0, r.width, r.height);
  glClearColor(0.96f, 0.97f, 0.98f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  const double semantics_start = emscripten_get_now();
  r.draw_ms_total += semantics_start - draw_start;
  std::string items = r.callbacks.items_json();
  if (items != r.items_json) {  // the semantics layer follows what changed (nothing while idle: no frames)
    r.items_json = std::move(items);
    mizu_js_sync_semantics(r.items_json.c_str());
  }
  const double semantics_ms = emscripten_get_now() - semantics_start;
  r.semantics_ms_total += semantics_ms;
  r.semantics_ms_max = std::max(r.semantics_ms_max, semantics_ms);
  ++r.semantics_frames;
  ++r.frame_count;

  if (had_input && r.frames_wanted < 3) r.frames_wanted = 3;
  if (--r.frames_wanted > 0 || !r.events.empty()) RequestRedraw(r.frames_wanted > 0 ? r.frames_wanted : 2);
  return EM_FALSE;
}

void MapKeys(ImGuiIO& io) {
  io.KeyMap[ImGuiKey_Tab] = 9;
  io.KeyMap[ImGuiKey_LeftArrow] = 37;
  io.KeyMap[ImGuiKey_RightArrow] = 39;
  io.KeyMap[ImGuiKey_UpArrow] = 38;
  io.KeyMap[ImGuiKey_DownArrow] = 40;
  io.KeyMap[ImGuiKey_PageUp] = 33;
  io.KeyMap[ImGuiKey_PageDown] = 34;
  io.KeyMap[ImGuiKey_Home] = 36;
  io.KeyMap[ImGuiKey_End] = 35;
  io.KeyMap[ImGuiKey_Insert] = 45;
  io.KeyMap[ImGuiKey_Delete] = 46;
  io.KeyMap[ImGuiKey_Backspace] = 8;
  io.KeyMap[ImGuiKey_Space] = 32;
  io.KeyMap[ImGuiKey_Enter] = 13;
  io.KeyMap[ImGuiKey_Escape] = 27;
  io.KeyMap[ImGuiKey_A] = 65;
  io.KeyMap[ImGuiKey_C] = 67;
  io.KeyMap[ImGuiKey_V] = 86;
  io.KeyMap[ImGuiKey_X] = 88;
  io.KeyMap[ImGuiKey_Y] = 89;
  io.KeyMap[ImGuiKey_Z] = 90;
}

}  // namespace

void RequestRedraw(int frames) {
  auto& r = R();
  if (frames > r.frames_wanted) r.frames_wanted = frames;
  if (!r.scheduled) {
    r.scheduled = true;
    emscripten_request_animation_frame(Tick, nullptr);
  }
}

void RequestRedrawIn(int milliseconds) {
  static bool pending = false;  // one timer at a time: countdowns ask every frame
  if (pending) return;
  pending = true;
  emscripten_set_timeout([](void*) {
    pending = false;
    RequestRedraw(2);
  }, milliseconds, nullptr);
}

float PixelRatio() { return R().ratio; }
int64_t NowUtcSeconds() { return static_cast<int64_t>(emscripten_date_now() / 1000.0); }
uint64_t FrameCount() { return R().frame_count; }
double MonotonicSeconds() { return emscripten_get_now() / 1000.0; }
double LastInputSeconds() { return g_last_input_ms / 1000.0; }

void RunApp(FrameCallbacks callbacks) {
  auto& r = R();
  r.callbacks = std::move(callbacks);
  EmscriptenWebGLContextAttributes attrs;
  emscripten_webgl_init_context_attributes(&attrs);
  attrs.majorVersion = 2;
  attrs.alpha = EM_FALSE;
  attrs.antialias = EM_FALSE;
  r.gl = emscripten_webgl_create_context("#canvas", &attrs);
  if (r.gl <= 0) {
    EM_ASM(document.body.classList.add('mizu-no-webgl'));
    return;
  }
  emscripten_webgl_make_context_current(r.gl);
  r.ratio = 0;  // forces the first UpdateCanvasSize to record the real ratio
  UpdateCanvasSize();

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.ConfigInputTextCursorBlink = false;  // a blinking caret would keep frames running while idle
  io.BackendPlatformName = "mizu_emscripten";
  MapKeys(io);
  ImGui_ImplOpenGL3_Init("#version 300 es");

  emscripten_set_mousedown_callback("#canvas", nullptr, EM_TRUE, OnMouse);
  emscripten_set_mouseup_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, OnMouse);
  emscripten_set_mousemove_callback("#canvas", nullptr, EM_TRUE, OnMouse);
  emscripten_set_wheel_callback("#canvas", nullptr, EM_TRUE, OnWheel);
  emscripten_set_touchstart_callback("#canvas", nullptr, EM_TRUE, OnTouch);
  emscripten_set_touchmove_callback("#canvas", nullptr, EM_TRUE, OnTouch);
  emscripten_set_touchend_callback("#canvas", nullptr, EM_TRUE, OnTouch);
  emscripten_set_touchcancel_callback("#canvas", nullptr, EM_TRUE, OnTouch);
  emscripten_set_keydown_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, OnKey);
  emscripten_set_keyup_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, OnKey);
  emscripten_set_resize_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, OnResize);
  EM_ASM(if (window.mizuShell) window.mizuShell.runtimeReady(););
}

}  // namespace mizu::web

// ---- The JS bridge (called from web/shell/mizu.js) ----
extern "C" {

// Takes ownership of a malloc'ed font buffer, builds the atlas and draws the first frame.
EMSCRIPTEN_KEEPALIVE void mizu_set_font(uint8_t* data, int size) {
  auto& r = mizu::web::R();
  r.font.assign(data, data + size);
  std::free(data);
  r.callbacks.on_font(r.font, r.ratio);
  r.font_ready = true;
  mizu::web::RequestRedraw(3);
}

// The data font (JIS level 1+2), fetched after the first frame; takes ownership of the malloc'ed buffer.
EMSCRIPTEN_KEEPALIVE void mizu_set_data_font(uint8_t* data, int size) {
  auto& r = mizu::web::R();
  std::vector<uint8_t> bytes(data, data + size);
  std::free(data);
  if (r.callbacks.on_data_font) r.callbacks.on_data_font(std::move(bytes));
  mizu::web::RequestRedraw(2);
}

// From the DOM twins (web/shell/semantics.js): kind 0 = activate id, 1 = DOM focus moved to id ("" = off the
// twins), 2 = the twin field id now holds value, 3 = scroll the content by value CSS px (a page key).
EMSCRIPTEN_KEEPALIVE void mizu_semantic_action(int kind, const char* id, const char* value) {
  auto& r = mizu::web::R();
  if (kind == 1) r.dom_focus = id[0] != 0;
  mizu::web::g_last_input_ms = emscripten_get_now();
  if (r.callbacks.on_semantic_action) r.callbacks.on_semantic_action(kind, id, value);
  mizu::web::RequestRedraw(3);
}

EMSCRIPTEN_KEEPALIVE const char* mizu_items_json() { return mizu::web::R().items_json.c_str(); }
// The glyph atlas as built now: texture size and glyph count (tests check it holds only what is in use).
EMSCRIPTEN_KEEPALIVE const char* mizu_atlas_json() {
  static std::string json;
  const ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  int glyphs = 0;
  for (const ImFont* f : atlas->Fonts) glyphs += f->Glyphs.Size;
  json = "{\"width\":" + std::to_string(atlas->TexWidth) + ",\"height\":" + std::to_string(atlas->TexHeight) +
         ",\"glyphs\":" + std::to_string(glyphs) + ",\"fonts\":" + std::to_string(atlas->Fonts.Size) + "}";
  return json.c_str();
}
// The semantics layer's cost so far: {"frames","ms_total","ms_max","draw_ms_total"} (scripts/bench/web).
EMSCRIPTEN_KEEPALIVE const char* mizu_semantics_stats() {
  static std::string json;
  const auto& r = mizu::web::R();
  json = "{\"frames\":" + std::to_string(r.semantics_frames) + ",\"ms_total\":" +
         std::to_string(r.semantics_ms_total) + ",\"ms_max\":" + std::to_string(r.semantics_ms_max) +
         ",\"draw_ms_total\":" + std::to_string(r.draw_ms_total) + "}";
  return json.c_str();
}
EMSCRIPTEN_KEEPALIVE double mizu_frame_count() { return static_cast<double>(mizu::web::R().frame_count); }
EMSCRIPTEN_KEEPALIVE int mizu_input_pending() { return static_cast<int>(mizu::web::R().events.size()); }
EMSCRIPTEN_KEEPALIVE int mizu_is_ready() { return mizu::web::R().frame_count > 0 ? 1 : 0; }
}
// clang-format on
