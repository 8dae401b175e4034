// パスワードの再設定 (M7): the login ID → a code (sent only if the ID is registered; the screen says the same
// either way) → the code and a new password → done (every session ended; a notice was sent).
#include "imgui.h"
#include "mizu/text.hpp"
#include "platform/http_client.hpp"
#include "platform/text_input.hpp"
#include "ui/api.hpp"
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

void Start(AppState& app) {
  ResetState& s = app.s.reset;
  s.errors.Clear();
  PostWithLoginId(app, "/api/v1/password-reset/start", s.email, s.errors, nlohmann::json::object(),
                  [&app](const ApiReply&) { app.s.reset.step = ResetState::kCode; });
}

void Complete(AppState& app) {
  ResetState& s = app.s.reset;
  s.errors.Clear();
  s.code = NormalizeWidth(s.code);
  if (s.code.empty()) s.errors.SetField("code", err::kRequired);
  if (auto e = ValidatePassword(s.new_password)) s.errors.SetField("new_password", *e);
  if (s.errors.Any()) return;
  nlohmann::json fields = {{"code", s.code}, {"new_password", s.new_password}};
  PostWithLoginId(app, "/api/v1/password-reset/complete", s.email, s.errors, fields, [&app](const ApiReply&) {
    app.s.reset.new_password.clear();
    app.s.reset.step = ResetState::kDone;
  });
}

}  // namespace

void DrawReset(AppState& app, AppContext& ctx) {
  ResetState& s = app.s.reset;
  Lang lang = app.lang;
  auto& reg = ctx.registry;
  bool busy = PendingRequests() > 0;
  ui::Heading(reg, "reset.title", Tr(lang, "reset.title"));
  switch (s.step) {
    case ResetState::kAddress:
      ui::Text(reg, "reset.hint", Tr(lang, "reset.hint"));
      ui::InputText(reg, "reset.email", Tr(lang, "login.id"), s.email,
                    {.keyboard = kKeyboardEmail,
                     .max_bytes = 254,
                     .error = s.errors.Field(lang, "email"),
                     .autocomplete = "username"});
      ui::ErrorText(reg, "reset.error", s.errors.Notice(lang));
      if (ui::Button(reg, "reset.send_code", Tr(lang, "signup.send_code"), ui::ButtonKind::kPrimary, !busy))
        Start(app);
      // A code already in hand (one the bureau's counter sent, docs/staff.md): straight to the next step.
      if (ui::Link(reg, "reset.have_code", Tr(lang, "reset.have_code"))) {
        s.errors.Clear();
        LoginId id;
        if (auto e = CheckLoginId(s.email, id)) {
          s.errors.SetField("email", *e);
        } else {
          s.email = id.value;
          s.step = ResetState::kCode;
        }
      }
      break;
    case ResetState::kCode:
      ui::Text(reg, "reset.code_sent", Format(Tr(lang, "reset.code_sent"), {{"to", s.email}}));
      ui::InputText(reg, "reset.code", Tr(lang, "signup.code"), s.code,
                    {.keyboard = kKeyboardNumeric,
                     .max_bytes = 24,
                     .error = s.errors.Field(lang, "code"),
                     .autocomplete = "one-time-code"});
      ui::InputText(reg, "reset.new_password", Tr(lang, "reset.new_password"), s.new_password,
                    {.password = true,
                     .max_bytes = 512,
                     .error = s.errors.Field(lang, "new_password"),
                     .autocomplete = "new-password"});
      ui::Text(reg, "reset.password_hint", Tr(lang, "signup.password_hint"), true);
      ui::ErrorText(reg, "reset.error", s.errors.Notice(lang));
      if (ui::Button(reg, "reset.complete", Tr(lang, "reset.complete"), ui::ButtonKind::kPrimary, !busy))
        Complete(app);
      if (ui::Link(reg, "reset.again", Tr(lang, "reset.again"))) s.step = ResetState::kAddress;
      break;
    case ResetState::kDone:
      ui::SuccessText(reg, "reset.done", Tr(lang, "reset.done"));
      if (ui::Button(reg, "reset.to_login", Tr(lang, "app.to_login"))) {
        app.s.login.email = s.email;
        app.s.reset = {};
        Navigate(app, Screen::kLogin, true);
      }
      return;
  }
  ImGui::Spacing();
  if (ui::Link(reg, "reset.to_login_link", Tr(lang, "app.to_login"))) Navigate(app, Screen::kLogin);
}

}  // namespace mizu::web
