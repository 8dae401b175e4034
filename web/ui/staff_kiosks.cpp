// 窓口端末 (administrator, docs/kiosk.md): enrol a counter kiosk — its start URL is shown once, to open in
// the terminal's browser — see every terminal and when it was last seen, and revoke one with a reason
// (/api/v1/staff/kiosks…).
#include "imgui.h"
#include "mizu/json_fields.hpp"
#include "mizu/text.hpp"
#include "platform/http_client.hpp"
#include "ui/api.hpp"
#include "ui/app.hpp"
#include "ui/staff_common.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

void LoadKiosks(AppState& app) {
  Api(app, "GET", "/api/v1/staff/kiosks", nullptr,
      [&app](const ApiReply& r) {
        auto& k = app.staff.kiosks;
        if (!r.ok()) return k.errors.Set(r.error);
        k.rows.clear();
        for (const auto& j : ArrayField(r.json, "items"))
          k.rows.push_back({FieldOr(j, "id", int64_t{0}), FieldOr(j, "name", ""), Instant(j, "revoked_at"),
                            Instant(j, "last_seen_at")});
      },
      {.staff = true});
}

void Enrol(AppState& app) {
  auto& k = app.staff.kiosks;
  k.errors.Clear();
  k.done_key.clear();
  k.start_url.clear();
  k.name = NormalizeText(k.name);
  if (k.name.empty()) return k.errors.SetField("name", err::kRequired);
  Api(app, "POST", "/api/v1/staff/kiosks", {{"name", k.name}},
      [&app](const ApiReply& r) {
        auto& k = app.staff.kiosks;
        if (!r.ok()) return k.errors.Set(r.error);
        k.start_url = FieldOr(r.json, "start_url", "");
        k.name.clear();
        k.done_key = "staff.kiosk.enrolled";
        LoadKiosks(app);
      },
      {.staff = true});
}

void Revoke(AppState& app, int64_t id) {
  auto& k = app.staff.kiosks;
  k.errors.Clear();
  k.done_key.clear();
  k.start_url.clear();
  k.reason = NormalizeText(k.reason);
  if (k.reason.empty()) return k.errors.SetField("reason", err::kRequired);
  Api(app, "POST", "/api/v1/staff/kiosks/" + std::to_string(id) + "/revoke", {{"reason", k.reason}},
      [&app](const ApiReply& r) {
        auto& k = app.staff.kiosks;
        if (!r.ok()) return k.errors.Set(r.error);
        k.reason.clear();
        k.done_key = "staff.kiosk.revoked";
        LoadKiosks(app);
      },
      {.staff = true});
}

}  // namespace

void EnterStaffKiosks(AppState& app) {
  app.staff.kiosks.start_url.clear();  // shown once: not again after leaving the screen
  if (app.staff.role >= kRoleAdmin) LoadKiosks(app);
}

void DrawStaffKiosks(AppState& app, AppContext& ctx) {
  auto& reg = ctx.registry;
  const Lang lang = app.lang;
  auto& k = app.staff.kiosks;
  const bool idle = PendingRequests() == 0;
  if (!StaffPage(app, ctx, "staff.kiosk.title", kRoleAdmin)) return;
  ui::InputText(reg, "staff.kiosk.name", Tr(lang, "staff.kiosk.name"), k.name,
                {.max_bytes = 600, .error = k.errors.Field(lang, "name")});
  if (ui::Button(reg, "staff.kiosk.enrol", Tr(lang, "staff.kiosk.enrol"), ui::ButtonKind::kPrimary, idle))
    Enrol(app);
  if (!k.done_key.empty()) ui::SuccessText(reg, "staff.kiosk.done", Tr(lang, k.done_key));
  if (!k.start_url.empty()) {
    ui::Field(reg, "staff.kiosk.start_url", Tr(lang, "staff.kiosk.start_url"), k.start_url);
    ui::Text(reg, "staff.kiosk.start_url_hint", Tr(lang, "staff.kiosk.start_url_hint"), true);
  }
  ImGui::Spacing();
  ui::Heading(reg, "staff.kiosk.list", Tr(lang, "staff.kiosk.list"));
  if (k.rows.empty()) ui::Text(reg, "staff.kiosk.none", Tr(lang, "staff.search.none"), true);
  ui::InputText(reg, "staff.kiosk.reason", Tr(lang, "staff.reason"), k.reason,
                {.max_bytes = 800, .error = k.errors.Field(lang, "reason")});
  ui::ErrorText(reg, "staff.kiosk.error", k.errors.Notice(lang));
  for (size_t i = 0; i < k.rows.size(); ++i) {
    const auto& row = k.rows[i];
    const std::string id = "staff.kiosk.row." + std::to_string(i);
    std::string state = row.revoked_at ? Format(Tr(lang, "staff.kiosk.revoked_at"),
                                                {{"when", FormatDateTime(lang, row.revoked_at)}})
                                       : std::string(Tr(lang, "staff.kiosk.active"));
    if (row.last_seen_at)
      state += Format(Tr(lang, "staff.kiosk.seen"), {{"when", FormatDateTime(lang, row.last_seen_at)}});
    ui::Field(reg, id, std::to_string(row.id) + "　" + row.name, state);
    if (!row.revoked_at && ui::Button(reg, (id + ".revoke").c_str(), Tr(lang, "staff.kiosk.revoke"),
                                      ui::ButtonKind::kDanger, idle))
      Revoke(app, row.id);
  }
}

}  // namespace mizu::web
