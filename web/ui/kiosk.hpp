#pragma once
// Kiosk mode (docs/kiosk.md): the same app on a counter terminal that an administrator enrolled. The start
// URL carries the terminal's token (#/?kiosk=…); from then on every request presents it (X-Mizu-Kiosk), the
// history keeps one entry, nothing is saved in the browser, text is 1.5× and the app draws its own keyboard.
// A visit ends — ログアウト, 「最初の画面に戻る」, or the idle countdown — with POST /api/v1/logout (the
// server ends the session and answers Clear-Site-Data) and a fresh start of the page (RestartPage): no
// memory, history, glyph or canvas of the visitor survives.
#include <string>

#include "ui/api.hpp"
#include "ui/keyboard.hpp"

namespace mizu::web {

struct AppState;
struct AppContext;
enum class Screen;

struct KioskState {
  std::string token;        // from the start URL; empty: not a kiosk
  std::string name;         // the terminal's name, from GET /api/v1/session
  bool refused = false;     // the server does not know the token (kiosk_unknown): nothing works here
  int idle_seconds = 120;   // the server's kiosk.idle_seconds
  int warn_seconds = 20;    // the countdown shows for the last warn_seconds
  double last_contact = 0;  // MonotonicSeconds() of the last request that kept the session alive
  bool leaving = false;     // the visit is ending: the page restarts when the logout answers
  float keyboard_h = 0;     // the on-screen keyboard's height last frame (device px)
  ui::KeyboardState keyboard;
};

// Text scale of kiosk mode: 1.5× the phone layout (targets of 44 CSS px → 66 px ≥ 15 mm on a 21.5–32"
// full-HD screen, docs/kiosk.md).
inline constexpr float kKioskScale = 1.5f;

bool IsKiosk(const AppState& app);
// At start: takes the token out of the start URL's hash (#/?kiosk=…) and, if there is one, enters kiosk
// mode (header, no history, no saved preferences). The hash then names the start screen.
void StartKiosk(AppState& app);
// What GET /api/v1/session said about the terminal ("kiosk": name and timings), or that it refused it.
void KioskSessionAnswer(AppState& app, const ApiReply& reply);
// What a kiosk may not show (アカウント, 退会, password reset, the staff console).
bool KioskAllows(Screen screen);
// Ends the visit: logout, then the page starts afresh at the start screen.
void LeaveKiosk(AppState& app);
// Per frame, in the sticky header: 「最初の画面に戻る」, the idle countdown with 「続ける」, keep-alives.
void DrawKioskBar(AppState& app, AppContext& ctx);

}  // namespace mizu::web
