// 職員アカウントの初期設定 (docs/staff.md "Getting an account"): the one-time link an administrator made
// (mizumori staff create) opens this page. It shows the second factor as a QR code and as base32 text for an
// authenticator app, then takes a password and the app's current code (POST /api/v1/staff/enrolment); the
// link then stops working. The token is read from the URL once and kept in memory only.
#include "imgui.h"
#include "mizu/json_fields.hpp"
#include "mizu/text.hpp"
#include "platform/http_client.hpp"
#include "platform/location.hpp"
#include "platform/text_input.hpp"
#include "ui/api.hpp"
#include "ui/app.hpp"
#include "ui/staff_common.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

// "ABCD EFGH …": the secret in groups of four, as authenticator apps show and take it.
std::string Grouped(const std::string& base32) {
  std::string out;
  for (size_t i = 0; i < base32.size(); ++i) out += (i && i % 4 == 0 ? " " : "") + base32.substr(i, 1);
  return out;
}

void Complete(AppState& app) {
  StaffEnrolState& e = app.staff.enrol;
  e.errors.Clear();
  e.code = NormalizeWidth(e.code);
  if (auto err = ValidatePassword(e.password)) e.errors.SetField("password", *err);
  if (e.code.empty()) e.errors.SetField("code", err::kRequired);
  if (e.errors.Any()) return;
  Api(app, "POST", "/api/v1/staff/enrolment",
      {{"token", e.token}, {"password", e.password}, {"code", e.code}},
      [&app](const ApiReply& r) {
        StaffEnrolState& e = app.staff.enrol;
        if (!r.ok()) return e.errors.Set(r.error);
        e = {};
        e.done = true;
      },
      {.session = false});
}

}  // namespace

void EnterStaffEnrol(AppState& app) {
  StaffEnrolState& e = app.staff.enrol;
  const std::string hash = CurrentHash();
  if (const size_t at = hash.find("token="); at != std::string::npos) {
    e = {};
    e.token = hash.substr(at + 6, hash.find('&', at) - (at + 6));
    SetHash(RouteOf(Screen::kStaffEnrol), true);  // the link leaves no trace in the address bar or history
  }
  if (e.token.empty() || e.done) return;
  Api(app, "GET", "/api/v1/staff/enrolment?token=" + QueryValue(e.token), nullptr,
      [&app](const ApiReply& r) {
        StaffEnrolState& e = app.staff.enrol;
        if (!r.ok()) return e.errors.Set(r.error);
        e.email = FieldOr(r.json, "email", "");
        e.role = FieldOr(r.json, "role", "");
        const auto totp = FieldOr(r.json, "totp", nlohmann::json::object());
        e.base32 = FieldOr(totp, "base32", "");
        e.qr_modules.clear();
        for (const auto& row : ArrayField(totp, "qr_modules"))
          if (row.is_string()) e.qr_modules.push_back(row.get<std::string>());
        e.loaded = true;
      },
      {.session = false});
}

void DrawStaffEnrol(AppState& app, AppContext& ctx) {
  auto& reg = ctx.registry;
  const Lang lang = app.lang;
  StaffEnrolState& e = app.staff.enrol;
  ui::Heading(reg, "staff.enrol.title", Tr(lang, "staff.enrol.title"));
  if (e.done) {
    ui::SuccessText(reg, "staff.enrol.done", Tr(lang, "staff.enrol.done"));
    if (ui::Button(reg, "staff.enrol.to_login", Tr(lang, "staff.login.title"))) {
      e = {};
      Navigate(app, Screen::kStaffLogin, true);
    }
    return;
  }
  if (!e.loaded) {
    if (e.token.empty()) e.errors.code = "staff_enrol_invalid";
    ui::ErrorText(reg, "staff.enrol.error", e.errors.Notice(lang));
    return;
  }
  const std::string role_key = std::string("staff.role.") + e.role;
  ui::Field(reg, "staff.enrol.email", Tr(lang, "login.email"), e.email);
  ui::Field(reg, "staff.enrol.role", Tr(lang, "staff.enrol.role"), Tr(lang, role_key));
  ui::Text(reg, "staff.enrol.step1", Tr(lang, "staff.enrol.step1"));
  ui::QrCode(reg, "staff.enrol.qr", Tr(lang, "staff.enrol.qr"), e.qr_modules);
  ui::Field(reg, "staff.enrol.secret", Tr(lang, "staff.enrol.secret"), Grouped(e.base32));
  ui::Text(reg, "staff.enrol.step2", Tr(lang, "staff.enrol.step2"));
  ui::InputText(reg, "staff.enrol.password", Tr(lang, "login.password"), e.password,
                {.password = true,
                 .max_bytes = 512,
                 .error = e.errors.Field(lang, "password"),
                 .required = true,
                 .autocomplete = "new-password"});
  ui::Text(reg, "staff.enrol.password_hint", Tr(lang, "signup.password_hint"), true);
  ui::InputText(reg, "staff.enrol.code", Tr(lang, "staff.login.code"), e.code,
                {.keyboard = kKeyboardNumeric,
                 .max_bytes = 32,
                 .error = e.errors.Field(lang, "code"),
                 .required = true,
                 .autocomplete = "one-time-code"});
  ui::ErrorText(reg, "staff.enrol.error", e.errors.Notice(lang));
  if (ui::Button(reg, "staff.enrol.submit", Tr(lang, "staff.enrol.submit"), ui::ButtonKind::kPrimary,
                 PendingRequests() == 0))
    Complete(app);
}

}  // namespace mizu::web
