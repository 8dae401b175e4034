// ログイン: e-mail, password, 「このデバイスでログインしたままにする」, forgot password, sign-up.
// Fields are checked in the browser by the shared validators (the same code the server runs), then sent to
// POST /api/v1/login; the server's field errors are shown at the fields in the current language.
#include <nlohmann/json.hpp>

#include "imgui.h"
#include "mizu/api.hpp"
#include "mizu/text.hpp"
#include "platform/http_client.hpp"
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

void SubmitLogin(AppState& app) {
  LoginState& s = app.login;
  s.notice.clear();
  api::LoginRequest request{s.email, s.password, s.remember};
  nlohmann::json body = request;
  HttpRequest("POST", "/api/v1/login", body.dump(), std::string(LangTag(app.lang)), [&app](const HttpResponse& r) {
    LoginState& s = app.login;
    if (r.status == 200) {
      s.password.clear();
      app.screen = Screen::kTop;
      LoadAccount(app);
      return;
    }
    if (r.status == 0) {
      s.notice = Tr(app.lang, "app.network_error");
      return;
    }
    api::ErrorBody e;
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (api::ParseErrorBody(j, e)) {
      s.notice = e.fields.empty() ? e.message : "";
      if (auto it = e.fields.find("email"); it != e.fields.end()) s.email_error = it->second.message;
      if (auto it = e.fields.find("password"); it != e.fields.end()) s.password_error = it->second.message;
    } else {
      s.notice = ErrorMessage(app.lang, err::kInternal);
    }
  });
}

}  // namespace

void DrawLogin(AppState& app, AppContext& ctx) {
  LoginState& s = app.login;
  Lang lang = app.lang;
  auto& reg = ctx.registry;
  ui::Heading(reg, "login.title", Tr(lang, "login.title"));
  ImGui::Spacing();
  ui::InputText(reg, "login.email", Tr(lang, "login.email"), s.email, {.max_bytes = 254, .error = s.email_error});
  ui::InputText(reg, "login.password", Tr(lang, "login.password"), s.password,
                {.password = true, .max_bytes = 512, .error = s.password_error});
  ui::Checkbox(reg, "login.remember", Tr(lang, "login.remember"), s.remember);
  ImGui::Spacing();
  bool busy = PendingRequests() > 0;
  if (ui::Button(reg, "login.submit", Tr(lang, busy ? "app.working" : "login.submit"), ui::ButtonKind::kPrimary, !busy)) {
    std::string email = NormalizeEmail(s.email);
    auto email_error = email.empty() ? std::optional<ErrorCode>(err::kRequired) : ValidateEmail(email);
    s.email_error = email_error ? std::string(ErrorMessage(lang, *email_error)) : "";
    s.password_error = s.password.empty() ? std::string(ErrorMessage(lang, err::kRequired)) : "";
    if (!email_error) s.email = email;  // show the normalised form (full-width typed → half-width)
    if (s.email_error.empty() && s.password_error.empty()) SubmitLogin(app);
  }
  if (!s.notice.empty()) ui::Text(reg, "login.notice", s.notice);
  ImGui::Spacing();
  ui::Link(reg, "login.forgot", Tr(lang, "login.forgot"));
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();
  ui::Text(reg, "login.signup_hint", Tr(lang, "login.signup_hint"), true);
  ui::Button(reg, "login.signup", Tr(lang, "login.signup"), ui::ButtonKind::kSecondary);
}

}  // namespace mizu::web
