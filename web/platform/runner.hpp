#pragma once
// The platform seam of the web app: window/GL context, input, frame scheduling, font bytes and the JS bridge.
// Only web/platform/*_emscripten.cpp include emscripten headers. The rest of the app sees this header.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace mizu::web {

struct FrameCallbacks {
  // Called once when the UI font bytes have arrived (before the first frame); builds the atlas.
  std::function<void(const std::vector<uint8_t>& font, float pixel_ratio)> on_font;
  // Called once when the data font (JIS level 1+2) has arrived, after the first frame.
  std::function<void(std::vector<uint8_t> font)> on_data_font;
  // Between frames (e.g. to grow the glyph atlas); returns true to draw another frame afterwards.
  std::function<bool()> before_frame;
  // Draws one ImGui frame (between NewFrame and Render).
  std::function<void()> draw;
  // JSON of the semantic item registry, after each frame: window.mizu.items() and the semantics layer's DOM
  // twins (sent to web/shell/semantics.js when it changed).
  std::function<std::string()> items_json;
  // What a DOM twin asked for: kind 0 = activate `id`, 1 = DOM focus moved to `id` ("" = none), 2 = the twin
  // field `id` now holds `value`. The next frame is drawn after it.
  std::function<void(int kind, const char* id, const char* value)> on_semantic_action;
};

// Starts the app: creates the WebGL2 context on #canvas, hooks input and returns (the browser drives frames).
void RunApp(FrameCallbacks callbacks);
// Draws at least `frames` more frames (input, network replies and animations call this). Idle = no frames.
void RequestRedraw(int frames = 2);
// Draws again after about `milliseconds` (a countdown that changes once a second), without drawing meanwhile.
void RequestRedrawIn(int milliseconds);
// CSS-to-device pixel ratio the UI is laid out for.
float PixelRatio();
// The browser's wall clock, UTC epoch seconds.
int64_t NowUtcSeconds();
// Frames drawn so far (tests use it to prove idleness).
uint64_t FrameCount();
// Seconds on a clock that never jumps (performance.now()), and its reading at the last input event — a
// pointer press or move, a touch, a key, anything a DOM twin reported (typing, focus, activation); 0: none
// yet. A kiosk's idle timeout counts from it.
double MonotonicSeconds();
double LastInputSeconds();

}  // namespace mizu::web
