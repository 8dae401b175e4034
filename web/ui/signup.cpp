// 新規会員登録 (M1–M5): address (e-mail, or a mobile number for SMS) → the 6-digit code → details (password,
// お客様番号, 水道局に届け出た電話番号, 申請者電話番号, terms) → done, telling the exact date and time the
// usage becomes visible (the next business day 9:00). Each step posts to the sign-up API; errors show at the
// fields.
#include "imgui.h"
#include "mizu/json_fields.hpp"
#include "mizu/text.hpp"
#include "platform/http_client.hpp"
#include "platform/runner.hpp"
#include "platform/text_input.hpp"
#include "ui/api.hpp"
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

bool IsMobile(const SignupState& s) {
  return s.email.find('@') == std::string::npos;
}

void Start(AppState& app) {
  SignupState& s = app.s.signup;
  s.errors.Clear();
  PostWithLoginId(app, "/api/v1/signup/start", s.email, s.errors, nlohmann::json::object(),
                  [&app](const ApiReply& r) {
                    SignupState& s = app.s.signup;
                    s.resend_after = NowUtcSeconds() + FieldOr(r.json, "resend_after", 60);
                    s.code.clear();
                    s.step = SignupState::kCode;
                  });
}

void Verify(AppState& app) {
  SignupState& s = app.s.signup;
  s.errors.Clear();
  std::string code = NormalizeWidth(s.code);
  s.code = code;
  if (code.empty()) {
    s.errors.SetField("code", err::kRequired);
    return;
  }
  PostWithLoginId(app, "/api/v1/signup/verify", s.email, s.errors, {{"code", code}},
                  [&app](const ApiReply& r) {
                    SignupState& s = app.s.signup;
                    s.signup_token = FieldOr(r.json, "signup_token", "");
                    s.step = SignupState::kDetails;
                  });
}

// email_taken / mobile_taken (after the code proved the address) belong to the first step's field.
void ShowTakenOnAddress(SignupState& s) {
  if (s.step != SignupState::kCode) return;
  bool taken = s.errors.code == err::kEmailTaken || s.errors.code == err::kMobileTaken;
  if (!taken && !s.errors.fields.count("email")) return;
  if (taken) {
    std::string code = s.errors.code;
    s.errors.Clear();
    s.errors.SetField("email", code);
  }
  s.step = SignupState::kAddress;
}

void Complete(AppState& app) {
  SignupState& s = app.s.signup;
  s.errors.Clear();
  if (auto e = ValidatePassword(s.password)) s.errors.SetField("password", *e);
  s.errors.Check("customer_number", s.customer_number, CheckCustomerNumberField(s.customer_number, nullptr));
  s.errors.Check("bureau_phone", s.bureau_phone, CheckPhoneField(s.bureau_phone));
  s.errors.Check("applicant_phone", s.applicant_phone, CheckPhoneField(s.applicant_phone));
  if (!s.agree) s.errors.SetField("agree_terms", err::kTermsRequired);
  if (s.errors.Any()) return;
  nlohmann::json body = {{"signup_token", s.signup_token},       {"password", s.password},
                         {"customer_number", s.customer_number}, {"bureau_phone", s.bureau_phone},
                         {"applicant_phone", s.applicant_phone}, {"agree_terms", s.agree}};
  Api(app, "POST", "/api/v1/signup/complete", body,
      [&app](const ApiReply& r) {
        SignupState& s = app.s.signup;
        if (!r.ok()) {
          s.errors.Set(r.error);
          if (r.error.code == "signup_expired") s.step = SignupState::kAddress;
          return;
        }
        s.password.clear();
        s.visible_from = ParseIso8601(FieldOr(r.json, "visible_from", "")).value_or(0);
        s.step = SignupState::kDone;
        LoadAccount(app);  // the sign-up logged in
      },
      {.session = false});
}

void StepMarker(AppContext& ctx, Lang lang, int step) {
  std::string text = Format(Tr(lang, "signup.step"), {{"n", std::to_string(step + 1)}, {"of", "4"}});
  ImGui::PushStyleColor(ImGuiCol_Text, 0xFF5F5F5F);
  ui::Text(ctx.registry, "signup.step", text, true);
  ImGui::PopStyleColor();
}

}  // namespace

void DrawSignup(AppState& app, AppContext& ctx) {
  SignupState& s = app.s.signup;
  Lang lang = app.lang;
  auto& reg = ctx.registry;
  bool busy = PendingRequests() > 0;
  ShowTakenOnAddress(s);
  ui::Heading(reg, "signup.title", Tr(lang, "signup.title"));
  StepMarker(ctx, lang, s.step);
  switch (s.step) {
    case SignupState::kAddress: {
      ui::Text(reg, "signup.address_hint", Tr(lang, "signup.address_hint"));
      ui::InputText(reg, "signup.email", Tr(lang, "signup.email"), s.email,
                    {.keyboard = kKeyboardEmail,
                     .max_bytes = 254,
                     .error = s.errors.Field(lang, "email"),
                     .autocomplete = "username"});
      ui::ErrorText(reg, "signup.error", s.errors.Notice(lang));
      if (ui::Button(reg, "signup.send_code", Tr(lang, "signup.send_code"), ui::ButtonKind::kPrimary, !busy))
        Start(app);
      if (ui::Link(reg, "signup.to_login", Tr(lang, "signup.to_login"))) Navigate(app, Screen::kLogin);
      break;
    }
    case SignupState::kCode: {
      ui::Text(
          reg, "signup.code_sent",
          Format(Tr(lang, IsMobile(s) ? "signup.code_sent_sms" : "signup.code_sent"), {{"to", s.email}}));
      ui::Text(reg, "signup.code_hint", Tr(lang, "signup.code_hint"), true);
      ui::InputText(reg, "signup.code", Tr(lang, "signup.code"), s.code,
                    {.keyboard = kKeyboardNumeric, .max_bytes = 24, .error = s.errors.Field(lang, "code")});
      ui::ErrorText(reg, "signup.error", s.errors.Notice(lang));
      if (ui::Button(reg, "signup.verify", Tr(lang, "signup.verify"), ui::ButtonKind::kPrimary, !busy))
        Verify(app);
      int64_t wait = s.resend_after - NowUtcSeconds();
      std::string resend = wait > 0 ? Format(Tr(lang, "signup.resend_wait"), {{"s", std::to_string(wait)}})
                                    : std::string(Tr(lang, "signup.resend"));
      if (ui::Button(reg, "signup.resend", resend, ui::ButtonKind::kSecondary, wait <= 0 && !busy))
        Start(app);
      if (wait > 0) RequestRedrawIn(1000);  // the countdown; no frames in between
      if (ui::Link(reg, "signup.change_address", Tr(lang, "signup.change_address")))
        s.step = SignupState::kAddress;
      break;
    }
    case SignupState::kDetails: {
      ui::InputText(reg, "signup.password", Tr(lang, "signup.password"), s.password,
                    {.password = true,
                     .max_bytes = 512,
                     .error = s.errors.Field(lang, "password"),
                     .autocomplete = "new-password"});
      ui::Text(reg, "signup.password_hint", Tr(lang, "signup.password_hint"), true);
      ui::InputText(
          reg, "signup.customer_number", Tr(lang, "signup.customer_number"), s.customer_number,
          {.keyboard = kKeyboardNumeric, .max_bytes = 40, .error = s.errors.Field(lang, "customer_number")});
      ui::Text(reg, "signup.customer_number_hint", Tr(lang, "signup.customer_number_hint"), true);
      ui::InputText(
          reg, "signup.bureau_phone", Tr(lang, "signup.bureau_phone"), s.bureau_phone,
          {.keyboard = kKeyboardTel, .max_bytes = 40, .error = s.errors.Field(lang, "bureau_phone")});
      ui::InputText(
          reg, "signup.applicant_phone", Tr(lang, "signup.applicant_phone"), s.applicant_phone,
          {.keyboard = kKeyboardTel, .max_bytes = 40, .error = s.errors.Field(lang, "applicant_phone")});
      ui::Text(reg, "signup.phones_hint", Tr(lang, "signup.phones_hint"), true);
      ui::Text(reg, "signup.terms", Tr(lang, "signup.terms"), true);
      ui::Checkbox(reg, "signup.agree", Tr(lang, "signup.agree"), s.agree);
      ui::ErrorText(reg, "signup.agree_error", s.errors.Field(lang, "agree_terms"));
      ui::ErrorText(reg, "signup.error", s.errors.Notice(lang));
      if (ui::Button(reg, "signup.complete", Tr(lang, "signup.complete"), ui::ButtonKind::kPrimary, !busy))
        Complete(app);
      break;
    }
    case SignupState::kDone: {
      ui::SuccessText(reg, "signup.done", Tr(lang, "signup.done"));
      ui::Text(
          reg, "signup.visible_from",
          Format(Tr(lang, "top.visible_from"), {{"when", FormatDateTimeWithWeekday(lang, s.visible_from)}}));
      ui::Text(reg, "signup.paper_note", Tr(lang, "signup.paper_note"), true);
      if (ui::Button(reg, "signup.to_top", Tr(lang, "app.to_top"))) {
        app.s.signup = {};
        Navigate(app, Screen::kTop, true);
      }
      break;
    }
  }
}

}  // namespace mizu::web
