#include "ui/kiosk.hpp"

#include <cmath>

#include "imgui.h"
#include "mizu/format.hpp"
#include "mizu/json_fields.hpp"
#include "platform/http_client.hpp"
#include "platform/location.hpp"
#include "platform/runner.hpp"
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

constexpr const char* kKioskHeader = "X-Mizu-Kiosk";  // mizu::backend::kKioskHeader
constexpr const char* kStartRoute = "/login";
// A keep-alive (GET /api/v1/session) goes out when there was input and the last one is this old: the server's
// idle clock then lags the app's by at most this, and the app leaves kMarginSeconds before the server would.
constexpr double kKeepAliveSeconds = 5;
constexpr double kMarginSeconds = kKeepAliveSeconds + 1;

std::string StartHash(const AppState& app) {
  return std::string(kStartRoute) + "?kiosk=" + app.kiosk.token;
}

void KeepAlive(AppState& app) {
  app.kiosk.last_contact = MonotonicSeconds();
  Api(app, "GET", "/api/v1/session", nullptr,
      [&app](const ApiReply& r) {
        if (r.ok() && !FieldOr(r.json, "logged_in", false) && app.account.logged_in) LeaveKiosk(app);
      },
      {.session = false});
}

}  // namespace

bool IsKiosk(const AppState& app) {
  return !app.kiosk.token.empty();
}

void StartKiosk(AppState& app) {
  const std::string hash = CurrentHash();  // "/?kiosk=<token>" (the start URL) or a route
  // "kiosk=" in the hash's query (after "?" or "&"): the test mizu.js makes too.
  const auto query = hash.find('?');
  if (query == std::string::npos) return;
  auto at = hash.find("?kiosk=", query);
  if (at == std::string::npos) at = hash.find("&kiosk=", query);
  if (at == std::string::npos) return;
  at += 1;
  std::string token = hash.substr(at + 6);
  token = token.substr(0, token.find('&'));
  if (token.empty()) return;
  app.kiosk.token = token;
  SetRequestHeader(kKioskHeader, token);
  KeepNoHistory("kiosk=" + token);
  SetHash(kStartRoute, true);
}

void KioskSessionAnswer(AppState& app, const ApiReply& r) {
  if (!IsKiosk(app)) return;
  if (r.status == 401 && r.error.code == "kiosk_unknown") {
    app.kiosk.refused = true;
    return;
  }
  const nlohmann::json k = FieldOr(r.json, "kiosk", nlohmann::json::object());
  app.kiosk.name = FieldOr(k, "name", "");
  app.kiosk.idle_seconds = FieldOr(k, "idle_seconds", 120);
  app.kiosk.warn_seconds = FieldOr(k, "warn_seconds", 20);
  app.kiosk.last_contact = MonotonicSeconds();
}

bool KioskAllows(Screen screen) {
  switch (screen) {
    case Screen::kAccount:
    case Screen::kWithdraw:
    case Screen::kReset:
      return false;
    default:
      return !NeedsStaffLogin(screen) && screen != Screen::kStaffLogin && screen != Screen::kStaffEnrol;
  }
}

void LeaveKiosk(AppState& app) {
  if (app.kiosk.leaving) return;
  app.kiosk.leaving = true;
  // Whatever the answer (even none), the page starts afresh: nothing of the visit stays in this document.
  // Not through Api: from now on Api drops every answer (a login or data arriving late changes nothing).
  const std::string hash = StartHash(app);
  HttpRequest("POST", "/api/v1/logout", "{}", std::string(LangTag(app.lang)),
              [hash](const HttpResponse&) { RestartPage(hash); });
}

void DrawKioskBar(AppState& app, AppContext& ctx) {
  auto& reg = ctx.registry;
  if (app.kiosk.refused || app.kiosk.leaving) return;
  if (ui::Button(reg, "kiosk.leave", Tr(app.lang, "kiosk.leave"), ui::ButtonKind::kSecondary)) {
    LeaveKiosk(app);
    return;
  }
  // The idle clock runs from the last input; before any input the start screen has nothing to forget.
  const double last_input = LastInputSeconds();
  if (last_input <= 0) return;
  const double now = MonotonicSeconds();
  if (app.account.logged_in && last_input > app.kiosk.last_contact &&
      now - app.kiosk.last_contact >= kKeepAliveSeconds)
    KeepAlive(app);
  const double left = app.kiosk.idle_seconds - kMarginSeconds - (now - last_input);
  if (left <= 0) {
    LeaveKiosk(app);
    return;
  }
  RequestRedrawIn(static_cast<int>(std::fmod(left, 1.0) * 1000) + 20);  // the countdown, once a second
  if (left > app.kiosk.warn_seconds) return;
  const std::string text =
      Format(Tr(app.lang, "kiosk.countdown"), {{"s", std::to_string(static_cast<int>(std::ceil(left)))}});
  ui::ErrorText(reg, "kiosk.countdown", text);
  // Pressing it is input: the clock starts again (and a keep-alive goes out).
  ui::Button(reg, "kiosk.continue", Tr(app.lang, "kiosk.continue"), ui::ButtonKind::kPrimary);
}

}  // namespace mizu::web
