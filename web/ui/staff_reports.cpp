// The staff console's two read-only pages: 配信状況 (GET /api/v1/staff/delivery: per kind, what was queued,
// sent and given up in the last hour and day, what waits and since when) and 監査ログ (supervisor, GET
// /api/v1/staff/audit: searchable by staff member and customer number).
#include "imgui.h"
#include "mizu/json_fields.hpp"
#include "mizu/text.hpp"
#include "mizu/time.hpp"
#include "platform/http_client.hpp"
#include "platform/text_input.hpp"
#include "ui/api.hpp"
#include "ui/app.hpp"
#include "ui/staff_common.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

std::string KindName(Lang lang, const std::string& kind) {
  const std::string key = "staff.kind." + kind;
  const std::string_view known = Tr(lang, key);
  return known == key ? kind : std::string(known);
}

void LoadAudit(AppState& app) {
  StaffState& s = app.staff;
  s.errors.Clear();
  std::string url = "/api/v1/staff/audit?staff=" + QueryValue(NormalizeEmail(s.audit_staff));
  const std::string cn = NormalizeCustomerNumber(s.audit_customer).value_or("");
  url += "&customer_number=" + QueryValue(cn);
  Api(app, "GET", url, nullptr,
      [&app](const ApiReply& r) {
        StaffState& s = app.staff;
        if (!r.ok()) return s.errors.Set(r.error);
        s.audit.clear();
        for (const auto& j : ArrayField(r.json, "items"))
          s.audit.push_back({Instant(j, "at"), FieldOr(j, "staff", ""), FieldOr(j, "action", ""),
                             FieldOr(j, "customer_number", ""), FieldOr(j, "target", ""),
                             FieldOr(j, "reason", ""), FieldOr(j, "client", "")});
        s.audit_loaded = true;
      },
      {.staff = true});
}

}  // namespace

void EnterStaffDelivery(AppState& app) {
  Api(app, "GET", "/api/v1/staff/delivery", nullptr,
      [&app](const ApiReply& r) {
        if (!r.ok()) return;
        auto& rows = app.staff.delivery;
        rows.clear();
        for (const auto& j : ArrayField(r.json, "kinds")) {
          StaffDeliveryRow d;
          d.kind = FieldOr(j, "kind", "");
          const auto hour = FieldOr(j, "last_hour", nlohmann::json::object());
          const auto day = FieldOr(j, "last_day", nlohmann::json::object());
          d.queued_hour = FieldOr(hour, "queued", 0);
          d.sent_hour = FieldOr(hour, "sent", 0);
          d.failed_hour = FieldOr(hour, "failed", 0);
          d.queued_day = FieldOr(day, "queued", 0);
          d.sent_day = FieldOr(day, "sent", 0);
          d.failed_day = FieldOr(day, "failed", 0);
          d.waiting = FieldOr(j, "waiting", 0);
          d.oldest_waiting = Instant(j, "oldest_waiting_at");
          rows.push_back(std::move(d));
        }
      },
      {.staff = true});
}

void EnterStaffAudit(AppState& app) {
  if (app.staff.role >= kRoleSupervisor) LoadAudit(app);
}

void DrawStaffDelivery(AppState& app, AppContext& ctx) {
  auto& reg = ctx.registry;
  const Lang lang = app.lang;
  StaffPage(app, ctx, "staff.delivery.title");
  ui::Text(reg, "staff.delivery.hint", Tr(lang, "staff.delivery.hint"), true);
  std::vector<ui::TableRow> rows;
  for (const auto& d : app.staff.delivery) {
    const std::string kind = KindName(lang, d.kind);
    const std::string hour = std::to_string(d.queued_hour) + " / " + std::to_string(d.sent_hour) + " / " +
                             std::to_string(d.failed_hour);
    const std::string day = std::to_string(d.queued_day) + " / " + std::to_string(d.sent_day) + " / " +
                            std::to_string(d.failed_day);
    const std::string oldest = d.oldest_waiting ? FormatDateTime(lang, d.oldest_waiting) : "—";
    rows.push_back({{kind, hour, day, std::to_string(d.waiting), oldest},
                    kind,
                    hour + "; " + day + "; " + std::to_string(d.waiting) + "; " + oldest});
  }
  if (rows.empty()) {
    ui::Text(reg, "staff.delivery.none", Tr(lang, "staff.delivery.none"), true);
    return;
  }
  ui::Table(reg, "staff.delivery",
            {std::string(Tr(lang, "staff.delivery.kind")), std::string(Tr(lang, "staff.delivery.hour")),
             std::string(Tr(lang, "staff.delivery.day")), std::string(Tr(lang, "staff.delivery.waiting")),
             std::string(Tr(lang, "staff.delivery.oldest"))},
            {2.2f, 1.4f, 1.4f, 0.8f, 1.8f}, rows);
}

void DrawStaffAudit(AppState& app, AppContext& ctx) {
  auto& reg = ctx.registry;
  const Lang lang = app.lang;
  StaffState& s = app.staff;
  if (!StaffPage(app, ctx, "staff.audit.title", kRoleSupervisor)) return;
  ui::InputText(reg, "staff.audit.staff", Tr(lang, "staff.audit.staff"), s.audit_staff,
                {.keyboard = kKeyboardEmail, .max_bytes = 254, .error = s.errors.Field(lang, "staff")});
  ui::InputText(
      reg, "staff.audit.customer", Tr(lang, "staff.audit.customer"), s.audit_customer,
      {.keyboard = kKeyboardNumeric, .max_bytes = 32, .error = s.errors.Field(lang, "customer_number")});
  if (ui::Button(reg, "staff.audit.submit", Tr(lang, "staff.search.submit"), ui::ButtonKind::kPrimary,
                 PendingRequests() == 0))
    LoadAudit(app);
  ui::ErrorText(reg, "staff.audit.error", s.errors.Notice(lang));
  if (!s.audit_loaded) return;
  if (s.audit.empty()) ui::Text(reg, "staff.audit.none", Tr(lang, "staff.search.none"), true);
  for (size_t i = 0; i < s.audit.size(); ++i) {
    const StaffAuditRow& a = s.audit[i];
    const std::string id = "staff.audit." + std::to_string(i);
    const std::string action_key = "staff.action." + a.action;
    const std::string_view known = Tr(lang, action_key);
    const std::string action = known == action_key ? a.action : std::string(known);
    std::string detail = a.staff.empty() ? std::string(Tr(lang, "staff.audit.cli")) : a.staff;
    if (!a.customer_number.empty()) detail += "　" + a.customer_number;
    if (!a.target.empty()) detail += "　" + a.target;
    if (!a.reason.empty()) detail += "　" + Format(Tr(lang, "staff.audit.reason"), {{"reason", a.reason}});
    detail += "　" + a.client;
    ui::Field(reg, id,
              Format(Tr(lang, "staff.with_time"), {{"what", action}, {"when", FormatDateTime(lang, a.at)}}),
              detail);
  }
}

}  // namespace mizu::web
