// The staff console's work queues (docs/staff.md): 使用開始・使用中止の受付 (counter: list by status, open
// one with its history, move it on with a note the applicant is mailed; /api/v1/staff/applications…) and
// お知らせの作成 (supervisor: お知らせ or 断水・濁水 to every contract, a list of customer numbers or a
// district by address prefix; the reach is shown before it is published; /api/v1/staff/notices…).
#include "imgui.h"
#include "mizu/date_input.hpp"
#include "mizu/json_fields.hpp"
#include "mizu/text.hpp"
#include "mizu/time.hpp"
#include "platform/http_client.hpp"
#include "platform/runner.hpp"
#include "platform/text_input.hpp"
#include "ui/api.hpp"
#include "ui/app.hpp"
#include "ui/staff_common.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

constexpr const char* kStatuses[] = {"received", "scheduled", "done", "rejected"};
constexpr int kStatusCount = 4;

std::string StatusName(Lang lang, const std::string& status) {
  return std::string(Tr(lang, "application.status." + status));
}

// ---- Applications ----

void OpenApplication(AppState& app, const std::string& reference) {
  auto& a = app.staff.applications;
  a.errors.Clear();
  Api(app, "GET", "/api/v1/staff/applications/" + QueryValue(reference), nullptr,
      [&app](const ApiReply& r) {
        auto& a = app.staff.applications;
        if (!r.ok()) return a.errors.Set(r.error);
        const Lang lang = app.lang;
        a.open = FieldOr(r.json, "reference", "");
        a.status = FieldOr(r.json, "status", "");
        a.details = {
            {"staff.app.kind", std::string(Tr(lang, "application.kind." + FieldOr(r.json, "kind", "")))},
            {"applications.name", FieldOr(r.json, "name", "")},
            {"applications.name_kana", FieldOr(r.json, "name_kana", "")},
            {"applications.postal_code", FieldOr(r.json, "postal_code", "")},
            {"applications.address", FieldOr(r.json, "address", "")},
            {"applications.desired_date", FieldOr(r.json, "desired_date", "")},
            {"applications.phone", FieldOr(r.json, "phone", "")},
            {"applications.email", FieldOr(r.json, "email", "")},
            {"signup.customer_number", FieldOr(r.json, "display_number", "")},
            {"applications.forwarding_address", FieldOr(r.json, "forwarding_address", "")},
            {"applications.payment_method",
             std::string(Tr(lang, "billing.method." + FieldOr(r.json, "payment_method", "")))}};
        a.history.clear();
        for (const auto& h : ArrayField(r.json, "history")) {
          std::string line =
              FormatDateTime(lang, Instant(h, "at")) + "　" + StatusName(lang, FieldOr(h, "to", ""));
          if (const std::string who = FieldOr(h, "staff", ""); !who.empty()) line += "　" + who;
          if (const std::string note = FieldOr(h, "note", ""); !note.empty()) line += "　" + note;
          a.history.push_back(std::move(line));
        }
        for (int i = 0; i < kStatusCount; ++i)
          if (a.status == kStatuses[i]) a.new_status = i;
      },
      {.staff = true});
}

void LoadApplications(AppState& app) {
  auto& a = app.staff.applications;
  std::string url = "/api/v1/staff/applications";
  if (a.filter > 0) url += std::string("?status=") + kStatuses[a.filter - 1];
  Api(app, "GET", url, nullptr,
      [&app](const ApiReply& r) {
        auto& a = app.staff.applications;
        if (!r.ok()) return a.errors.Set(r.error);
        a.items.clear();
        for (const auto& j : ArrayField(r.json, "items"))
          a.items.push_back({FieldOr(j, "reference", ""), FieldOr(j, "kind", ""), FieldOr(j, "status", ""),
                             FieldOr(j, "name", ""), FieldOr(j, "address", ""),
                             FieldOr(j, "desired_date", ""), Instant(j, "received_at")});
        a.loaded = true;
      },
      {.staff = true});
}

void SetStatus(AppState& app) {
  auto& a = app.staff.applications;
  a.errors.Clear();
  a.done_key.clear();
  a.note = NormalizeText(a.note);
  const std::string status = kStatuses[a.new_status];
  if (status == "rejected" && a.note.empty()) return a.errors.SetField("note", err::kRequired);
  Api(app, "PUT", "/api/v1/staff/applications/" + QueryValue(a.open) + "/status",
      {{"status", status}, {"note", a.note}},
      [&app](const ApiReply& r) {
        auto& a = app.staff.applications;
        if (!r.ok()) return a.errors.Set(r.error);
        a.note.clear();
        a.done_key = "staff.app.done";
        OpenApplication(app, a.open);
        LoadApplications(app);
      },
      {.staff = true});
}

// ---- Notices ----

constexpr const char* kTargets[] = {"all", "list", "district"};

nlohmann::json NoticeDraft(const StaffNoticesState& n) {
  nlohmann::json body = {{"kind", n.kind == 1 ? "outage" : "bureau"},
                         {"title_ja", NormalizeText(n.title_ja)},
                         {"body_ja", n.body_ja},
                         {"target", kTargets[n.target]}};
  if (!n.title_en.empty()) body["title_en"] = NormalizeText(n.title_en);
  if (!n.body_en.empty()) body["body_en"] = n.body_en;
  if (n.target == 1) body["customer_numbers"] = n.numbers;
  if (n.target == 2) body["district"] = NormalizeText(n.district);
  // The end day as typed (any form ParseDateInput reads) → the end of that day in JST; what does not parse is
  // sent as typed and comes back as the server's field error.
  if (const std::string ends = NormalizeText(n.ends); !ends.empty()) {
    const auto day = ParseDateInput(ends, ToJst(NowUtcSeconds()).date);
    body["ends_at"] = day ? FormatDate(*day) + "T23:59:59+09:00" : ends;
  }
  return body;
}

void LoadNotices(AppState& app) {
  Api(app, "GET", "/api/v1/staff/notices", nullptr,
      [&app](const ApiReply& r) {
        auto& n = app.staff.notices;
        if (!r.ok()) return;
        const Lang lang = app.lang;
        n.published.clear();
        for (const auto& j : ArrayField(r.json, "items")) {
          const int64_t at = Instant(j, "published_at");
          n.published.push_back(Format(Tr(lang, "staff.notice.line"),
                                       {{"when", FormatDateTime(lang, at)},
                                        {"title", FieldOr(j, "title_ja", "")},
                                        {"target", FieldOr(j, "target_detail", "")},
                                        {"contracts", std::to_string(FieldOr(j, "contracts", 0))},
                                        {"mailed", std::to_string(FieldOr(j, "mailed", 0))}}));
        }
      },
      {.staff = true});
}

void PreviewOrPublish(AppState& app, bool publish) {
  auto& n = app.staff.notices;
  n.errors.Clear();
  n.done_key.clear();
  Api(app, "POST", publish ? "/api/v1/staff/notices" : "/api/v1/staff/notices/preview", NoticeDraft(n),
      [&app, publish](const ApiReply& r) {
        auto& n = app.staff.notices;
        if (!r.ok()) {
          n.previewed = false;
          return n.errors.Set(r.error);
        }
        n.reach_contracts = FieldOr(r.json, "contracts", int64_t{0});
        n.reach_mailed = FieldOr(r.json, "mailed", int64_t{0});
        if (!publish) {
          n.previewed = true;
          return;
        }
        const int64_t contracts = n.reach_contracts, mailed = n.reach_mailed;
        const int kind = n.kind;
        n = {};
        n.kind = kind;
        n.reach_contracts = contracts;
        n.reach_mailed = mailed;
        n.done_key = "staff.notice.done";
        LoadNotices(app);
      },
      {.staff = true});
}

}  // namespace

void EnterStaffApplications(AppState& app) {
  LoadApplications(app);
}

void EnterStaffNotices(AppState& app) {
  if (app.staff.role >= kRoleSupervisor) LoadNotices(app);
}

void DrawStaffApplications(AppState& app, AppContext& ctx) {
  auto& reg = ctx.registry;
  const Lang lang = app.lang;
  auto& a = app.staff.applications;
  const bool idle = PendingRequests() == 0;
  StaffPage(app, ctx, "staff.app.title");
  std::vector<std::string> filters = {std::string(Tr(lang, "staff.app.all"))};
  for (const char* st : kStatuses) filters.push_back(StatusName(lang, st));
  if (ui::Select(reg, "staff.app.filter", Tr(lang, "staff.app.filter"), filters, a.filter)) {
    a.open.clear();
    LoadApplications(app);
  }
  if (a.loaded && a.items.empty()) ui::Text(reg, "staff.app.none", Tr(lang, "staff.search.none"), true);
  for (size_t i = 0; i < a.items.size(); ++i) {
    const auto& it = a.items[i];
    const std::string label = it.reference + "　" + std::string(Tr(lang, "application.kind." + it.kind)) +
                              "　" + it.name + "（" + StatusName(lang, it.status) + "）";
    const std::string detail = it.address + "　" + it.desired_date;
    if (ui::MenuRow(reg, "staff.app.item." + std::to_string(i), label, detail)) {
      a.done_key.clear();
      OpenApplication(app, it.reference);
    }
  }
  ui::ErrorText(reg, "staff.app.error", a.open.empty() ? a.errors.Notice(lang) : "");
  if (a.open.empty()) return;
  ImGui::Spacing();
  ImGui::Separator();
  ui::Heading(
      reg, "staff.app.open",
      Format(Tr(lang, "staff.app.open"), {{"reference", a.open}, {"status", StatusName(lang, a.status)}}));
  for (size_t i = 0; i < a.details.size(); ++i)
    if (!a.details[i].second.empty())
      ui::Field(reg, "staff.app.field." + std::to_string(i), Tr(lang, a.details[i].first),
                a.details[i].second);
  ui::Text(reg, "staff.app.history", Tr(lang, "staff.app.history"));
  for (size_t i = 0; i < a.history.size(); ++i)
    ui::Text(reg, ("staff.app.history." + std::to_string(i)).c_str(), a.history[i], true);
  std::vector<std::string> statuses;
  for (const char* st : kStatuses) statuses.push_back(StatusName(lang, st));
  ui::Select(reg, "staff.app.status", Tr(lang, "staff.app.status"), statuses, a.new_status,
             a.errors.Field(lang, "status"));
  ui::InputText(reg, "staff.app.note", Tr(lang, "staff.app.note"), a.note,
                {.max_bytes = 3000, .error = a.errors.Field(lang, "note")});
  ui::Text(reg, "staff.app.note_hint", Tr(lang, "staff.app.note_hint"), true);
  ui::ErrorText(reg, "staff.app.error", a.errors.Notice(lang));
  if (!a.done_key.empty()) ui::SuccessText(reg, "staff.app.done", Tr(lang, a.done_key));
  if (ui::Button(reg, "staff.app.submit", Tr(lang, "staff.app.submit"), ui::ButtonKind::kPrimary,
                 idle && kStatuses[a.new_status] != a.status))
    SetStatus(app);
}

void DrawStaffNotices(AppState& app, AppContext& ctx) {
  auto& reg = ctx.registry;
  const Lang lang = app.lang;
  auto& n = app.staff.notices;
  const bool idle = PendingRequests() == 0;
  if (!StaffPage(app, ctx, "staff.notice.title", kRoleSupervisor)) return;
  // Any change to the draft asks for a fresh look at its reach.
  bool changed = false;
  if (ui::Radio(reg, "staff.notice.kind.bureau", Tr(lang, "staff.notice.kind.bureau"), n.kind == 0)) {
    n.kind = 0;
    changed = true;
  }
  if (ui::Radio(reg, "staff.notice.kind.outage", Tr(lang, "staff.notice.kind.outage"), n.kind == 1)) {
    n.kind = 1;
    changed = true;
  }
  changed |= ui::InputText(reg, "staff.notice.title_ja", Tr(lang, "staff.notice.title_ja"), n.title_ja,
                           {.max_bytes = 1024, .error = n.errors.Field(lang, "title_ja"), .required = true});
  changed |= ui::InputText(reg, "staff.notice.body_ja", Tr(lang, "staff.notice.body_ja"), n.body_ja,
                           {.max_bytes = 8000, .error = n.errors.Field(lang, "body_ja"), .required = true});
  changed |= ui::InputText(reg, "staff.notice.title_en", Tr(lang, "staff.notice.title_en"), n.title_en,
                           {.max_bytes = 1024, .error = n.errors.Field(lang, "title_en")});
  changed |= ui::InputText(reg, "staff.notice.body_en", Tr(lang, "staff.notice.body_en"), n.body_en,
                           {.max_bytes = 8000, .error = n.errors.Field(lang, "body_en")});
  const CivilDate today = ToJst(NowUtcSeconds()).date;
  changed |= ui::DateField(reg, "staff.notice.ends", Tr(lang, "staff.notice.ends"), n.ends,
                           {.lang = lang,
                            .today = today,
                            .first = today,
                            .last = AddDays(today, 366),
                            .error = n.errors.Field(lang, "ends_at")});
  ui::Text(reg, "staff.notice.target", Tr(lang, "staff.notice.target"));
  for (int t = 0; t < 3; ++t) {
    const std::string id = std::string("staff.notice.target.") + kTargets[t];
    if (ui::Radio(reg, id, Tr(lang, id), n.target == t)) {
      n.target = t;
      changed = true;
    }
  }
  if (n.target == 1)
    changed |= ui::InputText(reg, "staff.notice.numbers", Tr(lang, "staff.notice.numbers"), n.numbers,
                             {.max_bytes = 60000, .error = n.errors.Field(lang, "customer_numbers")});
  if (n.target == 2)
    changed |= ui::InputText(reg, "staff.notice.district", Tr(lang, "staff.notice.district"), n.district,
                             {.max_bytes = 512, .error = n.errors.Field(lang, "district")});
  if (changed) {
    n.previewed = false;
    n.done_key.clear();
  }
  ui::ErrorText(reg, "staff.notice.error", n.errors.Notice(lang));
  if (!n.done_key.empty())
    ui::SuccessText(reg, "staff.notice.done",
                    Format(Tr(lang, n.done_key), {{"contracts", std::to_string(n.reach_contracts)},
                                                  {"mailed", std::to_string(n.reach_mailed)}}));
  if (ui::Button(reg, "staff.notice.preview", Tr(lang, "staff.notice.preview"), ui::ButtonKind::kSecondary,
                 idle))
    PreviewOrPublish(app, false);
  if (n.previewed) {
    ui::Text(reg, "staff.notice.reach",
             Format(Tr(lang, "staff.notice.reach"), {{"contracts", std::to_string(n.reach_contracts)},
                                                     {"mailed", std::to_string(n.reach_mailed)}}));
    if (ui::Button(reg, "staff.notice.publish", Tr(lang, "staff.notice.publish"), ui::ButtonKind::kPrimary,
                   idle))
      PreviewOrPublish(app, true);
  }
  ImGui::Spacing();
  ui::Heading(reg, "staff.notice.list", Tr(lang, "staff.notice.list"));
  if (n.published.empty()) ui::Text(reg, "staff.notice.none", Tr(lang, "staff.search.none"), true);
  for (size_t i = 0; i < n.published.size(); ++i)
    ui::Text(reg, ("staff.notice.item." + std::to_string(i)).c_str(), n.published[i], true);
}

}  // namespace mizu::web
