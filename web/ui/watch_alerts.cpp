// 異変のお知らせ (docs/notifications.md): the watch's alerts — continuous flow, long no use, 元気メール, high
// use — with quiet hours, pause while away and which recipients get them; GET/PUT
// /api/v1/contracts/{cn}/watch/alerts. 通知履歴 below: GET …/watch/alerts/history.
#include <algorithm>

#include "mizu/date_input.hpp"
#include "mizu/json_fields.hpp"
#include "platform/http_client.hpp"
#include "platform/runner.hpp"
#include "ui/api.hpp"
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

std::string Path(const AppState& app) {
  return "/api/v1/contracts/" + app.account.selected + "/watch/alerts";
}

void Apply(WatchAlertsState& s, const nlohmann::json& j) {
  s.settings = AlertSettingsFromJson(j);
  s.quiet = s.settings.quiet_from_hour >= 0;
  if (s.quiet) s.quiet_from = s.settings.quiet_from_hour, s.quiet_to = s.settings.quiet_to_hour;
  s.away_from = s.settings.away_from ? FormatDate(*s.settings.away_from) : "";
  s.away_to = s.settings.away_to ? FormatDate(*s.settings.away_to) : "";
  s.addresses.clear();
  for (const auto& a : ArrayField(j, "watch_recipients"))
    if (a.is_string()) s.addresses.push_back(a.get<std::string>());
  s.chosen.assign(s.addresses.size(), false);
  for (const auto& a : ArrayField(j, "recipients"))
    for (size_t i = 0; i < s.addresses.size(); ++i)
      if (a.is_string() && a.get<std::string>() == s.addresses[i]) s.chosen[i] = true;
  s.loaded = true;
}

void LoadHistory(AppState& app) {
  Api(app, "GET", Path(app) + "/history", nullptr, [&app](const ApiReply& r) {
    auto& s = app.s.watch_alerts;
    if (!r.ok()) return;
    s.history.clear();
    for (const auto& h : ArrayField(r.json, "alerts"))
      s.history.push_back({FieldOr(h, "at", ""), FieldOr(h, "subject", ""), FieldOr(h, "status", "")});
  });
}

// A date as typed (any common form) → the API's YYYY-MM-DD; "" stays "" (no pause).
nlohmann::json DateOrNull(const std::string& typed) {
  if (typed.empty()) return nullptr;
  const auto d = ParseDateInput(typed, ToJst(NowUtcSeconds()).date);
  return d ? nlohmann::json(FormatDate(*d)) : nlohmann::json(typed);
}

void Save(AppState& app) {
  auto& s = app.s.watch_alerts;
  AlertSettings chosen = s.settings;
  chosen.quiet_from_hour = s.quiet ? s.quiet_from : -1;
  chosen.quiet_to_hour = s.quiet ? s.quiet_to : -1;
  nlohmann::json body = AlertSettingsToJson(chosen);
  body["away_from"] =
      DateOrNull(s.away_from);  // as typed: what does not parse comes back as the field's error
  body["away_to"] = DateOrNull(s.away_to);
  body["recipients"] = nlohmann::json::array();
  for (size_t i = 0; i < s.addresses.size(); ++i)
    if (s.chosen[i]) body["recipients"].push_back(s.addresses[i]);
  Api(app, "PUT", Path(app), body, [&app](const ApiReply& r) {
    auto& s = app.s.watch_alerts;
    if (!r.ok()) return s.errors.Set(r.error);
    Apply(s, r.json);
    s.saved = true;
  });
}

// A choice of whole numbers shown with a unit ("2時間", "50%"); the index follows the value. A value the API
// allows but the list does not offer (saved through the API) is offered too, in its place: what is shown and
// read out is what is in force.
bool Choose(Registry& reg, const char* id, std::string_view label, std::vector<int> values, int& value,
            Lang lang, const char* unit_key, std::string_view error) {
  if (std::find(values.begin(), values.end(), value) == values.end())
    values.insert(std::upper_bound(values.begin(), values.end(), value), value);
  std::vector<std::string> shown;
  for (int v : values) shown.push_back(Format(Tr(lang, unit_key), {{"n", std::to_string(v)}}));
  int index = static_cast<int>(std::find(values.begin(), values.end(), value) - values.begin());
  if (index >= static_cast<int>(values.size())) index = 0;
  if (!ui::Select(reg, id, label, shown, index, error)) return false;
  value = values[static_cast<size_t>(index)];
  return true;
}

std::vector<int> Range(int from, int to) {
  std::vector<int> v;
  for (int i = from; i <= to; ++i) v.push_back(i);
  return v;
}

}  // namespace

void EnterWatchAlerts(AppState& app) {
  auto& s = app.s.watch_alerts;
  s.errors.Clear();
  s.saved = false;
  s.loaded = false;
  s.contract = app.account.selected;
  Api(app, "GET", Path(app), nullptr, [&app](const ApiReply& r) {
    auto& s = app.s.watch_alerts;
    if (!r.ok()) return s.errors.Set(r.error);
    Apply(s, r.json);
  });
  LoadHistory(app);
}

void DrawWatchAlerts(AppState& app, AppContext& ctx) {
  auto& s = app.s.watch_alerts;
  auto& reg = ctx.registry;
  const Lang lang = app.lang;
  ui::Heading(reg, "alerts.title", Tr(lang, "alerts.title"));
  ui::Text(reg, "alerts.intro", Tr(lang, "alerts.intro"));
  ui::ErrorText(reg, "alerts.error", s.errors.Notice(lang));
  if (!s.loaded) {
    if (ui::Button(reg, "alerts.to_watch", Tr(lang, "procedures.watch"), ui::ButtonKind::kSecondary))
      Navigate(app, Screen::kWatch);
    return;
  }
  bool changed = false;
  changed |= ui::Checkbox(reg, "alerts.continuous_flow", Tr(lang, "alerts.continuous_flow"),
                          s.settings.continuous_flow);
  if (s.settings.continuous_flow)
    changed |= Choose(reg, "alerts.flow_hours", Tr(lang, "alerts.flow_hours"), Range(1, 24),
                      s.settings.flow_hours, lang, "alerts.hours_unit", s.errors.Field(lang, "flow_hours"));
  changed |= ui::Checkbox(reg, "alerts.long_no_use", Tr(lang, "alerts.long_no_use"), s.settings.long_no_use);
  if (s.settings.long_no_use)
    changed |=
        Choose(reg, "alerts.no_use_hours", Tr(lang, "alerts.no_use_hours"), {12, 18, 24, 36, 48, 72},
               s.settings.no_use_hours, lang, "alerts.hours_unit", s.errors.Field(lang, "no_use_hours"));
  changed |= ui::Checkbox(reg, "alerts.morning", Tr(lang, "alerts.morning"), s.settings.morning);
  if (s.settings.morning) {
    changed |= Choose(reg, "alerts.morning_from", Tr(lang, "alerts.morning_from"), Range(3, 9),
                      s.settings.morning_from_hour, lang, "alerts.clock_unit",
                      s.errors.Field(lang, "morning_from_hour"));
    changed |= Choose(reg, "alerts.morning_by", Tr(lang, "alerts.morning_by"),
                      Range(s.settings.morning_from_hour + 1, 14), s.settings.morning_by_hour, lang,
                      "alerts.clock_unit", s.errors.Field(lang, "morning_by_hour"));
  }
  changed |= ui::Checkbox(reg, "alerts.high_use", Tr(lang, "alerts.high_use"), s.settings.high_use);
  if (s.settings.high_use)
    changed |= Choose(reg, "alerts.high_use_percent", Tr(lang, "alerts.high_use_percent"),
                      {20, 30, 50, 100, 200}, s.settings.high_use_percent, lang, "alerts.percent_unit",
                      s.errors.Field(lang, "high_use_percent"));
  changed |= ui::Checkbox(reg, "alerts.quiet", Tr(lang, "alerts.quiet"), s.quiet);
  if (s.quiet) {
    changed |= Choose(reg, "alerts.quiet_from", Tr(lang, "alerts.quiet_from"), Range(18, 23), s.quiet_from,
                      lang, "alerts.clock_unit", s.errors.Field(lang, "quiet_from_hour"));
    changed |= Choose(reg, "alerts.quiet_to", Tr(lang, "alerts.quiet_to"), Range(5, 9), s.quiet_to, lang,
                      "alerts.clock_unit", s.errors.Field(lang, "quiet_to_hour"));
  }
  ui::Text(reg, "alerts.away_intro", Tr(lang, "alerts.away_intro"));
  const CivilDate today = ToJst(NowUtcSeconds()).date;
  ui::DateOptions dates{lang, today, today, AddDays(today, 365), nullptr, {}, false};
  dates.error = s.errors.Field(lang, "away_from");
  changed |= ui::DateField(reg, "alerts.away_from", Tr(lang, "alerts.away_from"), s.away_from, dates);
  dates.error = s.errors.Field(lang, "away_to");
  changed |= ui::DateField(reg, "alerts.away_to", Tr(lang, "alerts.away_to"), s.away_to, dates);
  if (!s.addresses.empty()) {
    ui::Text(reg, "alerts.recipients", Tr(lang, "alerts.recipients"));
    for (size_t i = 0; i < s.addresses.size(); ++i) {
      bool on = s.chosen[i];
      if (ui::Checkbox(reg, ("alerts.recipient." + std::to_string(i)).c_str(), s.addresses[i], on)) {
        s.chosen[i] = on;
        changed = true;
      }
    }
    ui::ErrorText(reg, "alerts.recipients_error", s.errors.Field(lang, "recipients"));
  }
  if (changed) s.saved = false;
  const bool busy = PendingRequests() > 0;
  if (ui::Button(reg, "alerts.save", Tr(lang, busy ? "app.working" : "nsettings.save"),
                 ui::ButtonKind::kPrimary, !busy)) {
    s.errors.Clear();
    s.saved = false;
    Save(app);
  }
  if (s.saved) ui::SuccessText(reg, "alerts.saved", Tr(lang, "nsettings.saved"));

  ui::Heading(reg, "alerts.history_title", Tr(lang, "alerts.history_title"));
  if (s.history.empty()) ui::Text(reg, "alerts.history_none", Tr(lang, "alerts.history_none"), true);
  for (size_t i = 0; i < s.history.size() && i < 30; ++i) {
    const auto& h = s.history[i];
    const std::string status = std::string(Tr(lang, ("alerts.status." + h.status).c_str()));
    std::string when = h.at.substr(0, 16);  // 2026-11-21T04:00
    std::replace(when.begin(), when.end(), 'T', ' ');
    ui::Field(reg, "alerts.history." + std::to_string(i), when, h.subject + "（" + status + "）");
  }
  if (ui::Button(reg, "alerts.to_watch", Tr(lang, "procedures.watch"), ui::ButtonKind::kSecondary))
    Navigate(app, Screen::kWatch);
}

}  // namespace mizu::web
