// 会員情報の変更 (M8): change the e-mail address (a code to the new address, a notice to the old) and the
// password (needs the current one; other sessions end). 退会: a clear warning of what happens, the password,
// then the account is closed (sessions end, contracts unlinked so paper notices resume, watches deleted).
#include "imgui.h"
#include "mizu/text.hpp"
#include "platform/http_client.hpp"
#include "platform/text_input.hpp"
#include "ui/api.hpp"
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

void StartEmail(AppState& app) {
  AccountChangeState& s = app.s.account;
  s.email_errors.Clear();
  s.done_key.clear();
  s.new_email = NormalizeEmail(s.new_email);
  if (auto e = s.new_email.empty() ? std::optional<ErrorCode>(err::kRequired) : ValidateEmail(s.new_email))
    return s.email_errors.SetField("new_email", *e);
  Api(app, "POST", "/api/v1/me/email/start", {{"new_email", s.new_email}}, [&app](const ApiReply& r) {
    AccountChangeState& s = app.s.account;
    if (!r.ok()) return s.email_errors.Set(r.error);
    s.email_code_sent = true;
    s.email_code.clear();
  });
}

void CompleteEmail(AppState& app) {
  AccountChangeState& s = app.s.account;
  s.email_errors.Clear();
  s.email_code = NormalizeWidth(s.email_code);
  Api(app, "POST", "/api/v1/me/email/complete", {{"code", s.email_code}}, [&app](const ApiReply& r) {
    AccountChangeState& s = app.s.account;
    if (!r.ok()) return s.email_errors.Set(r.error);
    s.email_code_sent = false;
    s.new_email.clear();
    s.done_key = "account.email_done";
    LoadAccount(app);
  });
}

void ChangePassword(AppState& app) {
  AccountChangeState& s = app.s.account;
  s.password_errors.Clear();
  s.done_key.clear();
  if (s.current_password.empty()) s.password_errors.SetField("current_password", err::kRequired);
  if (auto e = ValidatePassword(s.new_password)) s.password_errors.SetField("new_password", *e);
  if (s.password_errors.Any()) return;
  nlohmann::json body = {{"current_password", s.current_password}, {"new_password", s.new_password}};
  Api(app, "POST", "/api/v1/me/password", body, [&app](const ApiReply& r) {
    AccountChangeState& s = app.s.account;
    if (!r.ok()) {
      s.password_errors.Set(r.error);
      if (s.password_errors.fields.count("current_password")) s.current_password.clear();  // type it again
      return;
    }
    s.current_password.clear();
    s.new_password.clear();
    s.done_key = "account.password_done";
  });
}

void Withdraw(AppState& app) {
  WithdrawState& s = app.s.withdraw;
  s.errors.Clear();
  if (s.password.empty()) return s.errors.SetField("password", err::kRequired);
  Api(app, "POST", "/api/v1/me/withdraw", {{"password", s.password}}, [&app](const ApiReply& r) {
    WithdrawState& s = app.s.withdraw;
    if (!r.ok()) return s.errors.Set(r.error);
    SessionEnded(app, false);
    app.flash = "withdraw.done";
  });
}

}  // namespace

void DrawAccount(AppState& app, AppContext& ctx) {
  auto& reg = ctx.registry;
  Lang lang = app.lang;
  AccountChangeState& s = app.s.account;
  bool busy = PendingRequests() > 0;
  ui::Heading(reg, "account.title", Tr(lang, "procedures.account"));
  if (!s.done_key.empty()) ui::SuccessText(reg, "account.done", Tr(lang, s.done_key));

  ui::Heading(reg, "account.email_title", Tr(lang, "account.email_title"));
  ui::Field(reg, "account.current_email", Tr(lang, "account.current_email"), app.account.email);
  if (!s.email_code_sent) {
    ui::InputText(
        reg, "account.new_email", Tr(lang, "account.new_email"), s.new_email,
        {.keyboard = kKeyboardEmail, .max_bytes = 254, .error = s.email_errors.Field(lang, "new_email")});
    ui::ErrorText(reg, "account.email_error", s.email_errors.Notice(lang));
    if (ui::Button(reg, "account.email_send", Tr(lang, "signup.send_code"), ui::ButtonKind::kPrimary, !busy))
      StartEmail(app);
  } else {
    ui::Text(reg, "account.email_code_sent", Format(Tr(lang, "signup.code_sent"), {{"to", s.new_email}}));
    ui::InputText(
        reg, "account.email_code", Tr(lang, "signup.code"), s.email_code,
        {.keyboard = kKeyboardNumeric, .max_bytes = 24, .error = s.email_errors.Field(lang, "code")});
    ui::ErrorText(reg, "account.email_error", s.email_errors.Notice(lang));
    if (ui::Button(reg, "account.email_complete", Tr(lang, "account.email_complete"),
                   ui::ButtonKind::kPrimary, !busy))
      CompleteEmail(app);
    if (ui::Link(reg, "account.email_restart", Tr(lang, "signup.change_address"))) s.email_code_sent = false;
  }
  ImGui::Spacing();
  ImGui::Separator();
  ui::Heading(reg, "account.password_title", Tr(lang, "account.password_title"));
  ui::InputText(
      reg, "account.current_password", Tr(lang, "account.current_password"), s.current_password,
      {.password = true, .max_bytes = 512, .error = s.password_errors.Field(lang, "current_password")});
  ui::InputText(reg, "account.new_password", Tr(lang, "reset.new_password"), s.new_password,
                {.password = true,
                 .max_bytes = 512,
                 .error = s.password_errors.Field(lang, "new_password"),
                 .autocomplete = "new-password"});
  ui::Text(reg, "account.password_hint", Tr(lang, "signup.password_hint"), true);
  ui::ErrorText(reg, "account.password_error", s.password_errors.Notice(lang));
  if (ui::Button(reg, "account.password_submit", Tr(lang, "account.password_submit"),
                 ui::ButtonKind::kPrimary, !busy))
    ChangePassword(app);
}

void DrawWithdraw(AppState& app, AppContext& ctx) {
  auto& reg = ctx.registry;
  Lang lang = app.lang;
  WithdrawState& s = app.s.withdraw;
  bool busy = PendingRequests() > 0;
  ui::Heading(reg, "withdraw.title", Tr(lang, "procedures.withdraw"));
  ui::ErrorText(reg, "withdraw.warning", Tr(lang, "withdraw.warning"));
  ui::Text(reg, "withdraw.effects", Tr(lang, "withdraw.effects"));
  ui::Checkbox(reg, "withdraw.understood", Tr(lang, "withdraw.understood"), s.understood);
  ui::InputText(reg, "withdraw.password", Tr(lang, "login.password"), s.password,
                {.password = true, .max_bytes = 512, .error = s.errors.Field(lang, "password")});
  ui::ErrorText(reg, "withdraw.error", s.errors.Notice(lang));
  if (ui::Button(reg, "withdraw.submit", Tr(lang, "withdraw.submit"), ui::ButtonKind::kDanger,
                 s.understood && !busy))
    Withdraw(app);
  if (ui::Button(reg, "withdraw.back", Tr(lang, "app.back"), ui::ButtonKind::kSecondary))
    Navigate(app, Screen::kProcedures);
}

}  // namespace mizu::web
