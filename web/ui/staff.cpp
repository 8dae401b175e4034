// The bureau staff console's frame (職員用画面, docs/staff.md): its login (e-mail, password and the
// authenticator's 6-digit code together, POST /api/v1/staff/login), its own session (the mizu_staff cookie:
// a 401 on a staff route returns here, never to the residents' login) and the row of tasks each screen starts
// with, offered by role (counter < supervisor < admin; the server checks the role again on every request).
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

int RoleOf(const std::string& name) {
  return name == "admin" ? 3 : name == "supervisor" ? 2 : name == "counter" ? 1 : 0;
}

void SubmitStaffLogin(AppState& app) {
  StaffState& s = app.staff;
  s.login_errors.Clear();
  s.login_email = NormalizeEmail(s.login_email);
  s.login_code = NormalizeWidth(s.login_code);
  if (s.login_email.empty()) s.login_errors.SetField("email", err::kRequired);
  if (s.login_password.empty()) s.login_errors.SetField("password", err::kRequired);
  if (s.login_code.empty()) s.login_errors.SetField("code", err::kRequired);
  if (s.login_errors.Any()) return;
  Api(app, "POST", "/api/v1/staff/login",
      {{"email", s.login_email}, {"password", s.login_password}, {"code", s.login_code}},
      [&app](const ApiReply& r) {
        StaffState& s = app.staff;
        s.login_password.clear();
        s.login_code.clear();
        if (!r.ok()) return s.login_errors.Set(r.error);
        LoadStaff(app, [&app](bool ok) { Navigate(app, ok ? Screen::kStaff : Screen::kStaffLogin, true); });
      },
      {.session = false});
}

}  // namespace

void LoadStaff(AppState& app, std::function<void(bool)> done) {
  Api(app, "GET", "/api/v1/staff/me", nullptr,
      [&app, done](const ApiReply& r) {
        const bool ok = r.status == 200 && r.json.is_object();
        if (ok) {
          app.staff.logged_in = true;
          app.staff.email = FieldOr(r.json, "email", "");
          app.staff.role = RoleOf(FieldOr(r.json, "role", ""));
        }
        if (done) done(ok);
      },
      {.session = false});
}

void StaffSessionEnded(AppState& app, bool expired) {
  app.staff = {};  // nothing of the last customer stays on the screen
  app.failed.clear();
  app.flash = expired ? "staff.session_expired" : "";
  app.screen = Screen::kStaffLogin;
  SetHash(RouteOf(Screen::kStaffLogin), true);
}

void StaffNav(AppState& app, AppContext& ctx) {
  auto& reg = ctx.registry;
  const Lang lang = app.lang;
  const StaffState& s = app.staff;
  ui::Text(reg, "staff.who",
           Format(Tr(lang, "staff.who"),
                  {{"email", s.email}, {"role", std::string(Tr(lang, StaffRoleKey(s.role)))}}),
           true);
  struct Task {
    const char* id;
    const char* key;
    Screen screen;
    int role;
  };
  static constexpr Task kTasks[] = {
      {"staff.nav.customers", "staff.nav.customers", Screen::kStaff, 1},
      {"staff.nav.applications", "staff.nav.applications", Screen::kStaffApplications, 1},
      {"staff.nav.notices", "staff.nav.notices", Screen::kStaffNotices, 2},
      {"staff.nav.delivery", "staff.nav.delivery", Screen::kStaffDelivery, 1},
      {"staff.nav.audit", "staff.nav.audit", Screen::kStaffAudit, 2},
      {"staff.nav.kiosks", "staff.nav.kiosks", Screen::kStaffKiosks, 3}};
  // Beside each other while they fit the column, else on the next line (320 px, 「特大」).
  const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
  bool first = true;
  auto place = [&](std::string_view label) {
    const float w = ImGui::CalcTextSize(label.data(), label.data() + label.size()).x +
                    ImGui::GetStyle().FramePadding.x * 2;
    if (!first && ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + w <= right) ImGui::SameLine();
    first = false;
  };
  for (const Task& t : kTasks) {
    if (s.role < t.role) continue;
    place(Tr(lang, t.key));
    if (ui::SmallButton(reg, t.id, Tr(lang, t.key), app.screen != t.screen)) Navigate(app, t.screen);
  }
  place(Tr(lang, "staff.logout"));
  if (ui::SmallButton(reg, "staff.logout", Tr(lang, "staff.logout"))) {
    Api(app, "POST", "/api/v1/staff/logout", nullptr,
        [&app](const ApiReply&) { StaffSessionEnded(app, false); }, {.session = false});
  }
  ImGui::Separator();
  ImGui::Spacing();
}

bool StaffPage(AppState& app, AppContext& ctx, const char* title_key, int min_role) {
  StaffNav(app, ctx);
  ui::Heading(ctx.registry, title_key, Tr(app.lang, title_key));
  if (app.staff.role >= min_role) return true;
  ui::Text(ctx.registry, "staff.forbidden", Tr(app.lang, "error.forbidden"));
  return false;
}

void DrawStaffLogin(AppState& app, AppContext& ctx) {
  StaffState& s = app.staff;
  const Lang lang = app.lang;
  auto& reg = ctx.registry;
  if (s.logged_in) {  // a reload or 戻る onto the login with a live session
    Navigate(app, Screen::kStaff, true);
    return;
  }
  ui::Heading(reg, "staff.login.title", Tr(lang, "staff.login.title"));
  ui::Text(reg, "staff.login.hint", Tr(lang, "staff.login.hint"), true);
  ui::InputText(reg, "staff.login.email", Tr(lang, "login.email"), s.login_email,
                {.keyboard = kKeyboardEmail,
                 .max_bytes = 254,
                 .error = s.login_errors.Field(lang, "email"),
                 .required = true,
                 .autocomplete = "username"});
  ui::InputText(reg, "staff.login.password", Tr(lang, "login.password"), s.login_password,
                {.password = true,
                 .max_bytes = 512,
                 .error = s.login_errors.Field(lang, "password"),
                 .required = true});
  ui::InputText(reg, "staff.login.code", Tr(lang, "staff.login.code"), s.login_code,
                {.keyboard = kKeyboardNumeric,
                 .max_bytes = 32,
                 .error = s.login_errors.Field(lang, "code"),
                 .required = true,
                 .autocomplete = "one-time-code"});
  ui::ErrorText(reg, "staff.login.error", s.login_errors.Notice(lang));
  const bool busy = PendingRequests() > 0;
  if (ui::Button(reg, "staff.login.submit", Tr(lang, busy ? "app.working" : "login.submit"),
                 ui::ButtonKind::kPrimary, !busy))
    SubmitStaffLogin(app);
}

}  // namespace mizu::web
