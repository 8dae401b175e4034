// ログイン: e-mail, password, 「このデバイスでログインしたままにする」, forgot password, sign-up.
// Fields are checked in the browser by the shared validators (the same code the server runs), then sent to
// POST /api/v1/login; the server's field errors are shown at the fields in the current language. After the
// login the app returns to the screen that asked for it (or トップ).
#include "imgui.h"
#include "mizu/api.hpp"
#include "mizu/text.hpp"
#include "platform/http_client.hpp"
#include "platform/text_input.hpp"
#include "ui/api.hpp"
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

void SubmitLogin(AppState& app) {
  LoginState& s = app.s.login;
  nlohmann::json fields = {{"password", s.password}, {"remember", s.remember}};
  PostWithLoginId(app, "/api/v1/login", s.email, s.errors, fields, [&app](const ApiReply&) {
    app.s.login.password.clear();
    app.s.login.errors.Clear();
    LoadAccount(app, [&app](bool ok) {
      Screen next = app.after_login;
      app.after_login = Screen::kTop;
      Navigate(app, ok ? next : Screen::kLogin, true);
    });
  });
}

}  // namespace

void DrawLogin(AppState& app, AppContext& ctx) {
  LoginState& s = app.s.login;
  Lang lang = app.lang;
  auto& reg = ctx.registry;
  ui::Heading(reg, "login.title", Tr(lang, "login.title"));
  ImGui::Spacing();
  std::string email_error = s.errors.Field(lang, "email"), password_error = s.errors.Field(lang, "password");
  ui::InputText(
      reg, "login.email", Tr(lang, "login.id"), s.email,
      {.keyboard = kKeyboardEmail, .max_bytes = 254, .error = email_error, .autocomplete = "username"});
  ui::InputText(reg, "login.password", Tr(lang, "login.password"), s.password,
                {.password = true, .max_bytes = 512, .error = password_error});
  const bool kiosk = IsKiosk(app);  // a shared terminal: no 「ログインしたままにする」, no password reset
  if (!kiosk) ui::Checkbox(reg, "login.remember", Tr(lang, "login.remember"), s.remember);
  ImGui::Spacing();
  bool busy = PendingRequests() > 0;
  if (ui::Button(reg, "login.submit", Tr(lang, busy ? "app.working" : "login.submit"),
                 ui::ButtonKind::kPrimary, !busy)) {
    s.errors.Clear();
    LoginId id;
    if (auto e = CheckLoginId(s.email, id))
      s.errors.SetField("email", *e);
    else
      s.email = id.value;  // the person sees what is sent (full-width → half-width)
    if (s.password.empty()) s.errors.SetField("password", err::kRequired);
    if (!s.errors.Any()) SubmitLogin(app);
  }
  ui::ErrorText(reg, "login.notice", s.errors.Notice(lang));
  ImGui::Spacing();
  if (!kiosk && ui::Link(reg, "login.forgot", Tr(lang, "login.forgot"))) Navigate(app, Screen::kReset);
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();
  ui::Text(reg, "login.signup_hint", Tr(lang, "login.signup_hint"), true);
  if (ui::Button(reg, "login.signup", Tr(lang, "login.signup"), ui::ButtonKind::kSecondary))
    Navigate(app, Screen::kSignup);
  ImGui::Spacing();
  if (ui::Link(reg, "login.simulation", Tr(lang, "menu.simulation"))) Navigate(app, Screen::kSimulation);
  ImGui::Spacing();
  if (ui::Link(reg, "login.applications", Tr(lang, "procedures.applications")))
    Navigate(app, Screen::kApplications);
}

}  // namespace mizu::web
