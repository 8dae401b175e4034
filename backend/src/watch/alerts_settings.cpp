// The watch's alert choices and 通知履歴 (alerts.hpp): stored per watch as JSON (watch_alerts), read by the
// hourly pass (alerts_evaluate.cpp).
#include <algorithm>
#include <nlohmann/json.hpp>

#include "alerts_store.hpp"
#include "mizu/backend/accounts.hpp"
#include "mizu/backend/alerts.hpp"
#include "mizu/json_fields.hpp"
#include "mizu/text.hpp"
#include "watch_mail.hpp"

namespace mizu::backend {
namespace watch {

std::string AlertSettingsJson(const AlertSettings& s) {
  nlohmann::json j = {{"continuous_flow", s.continuous_flow},
                      {"flow_hours", s.flow_hours},
                      {"long_no_use", s.long_no_use},
                      {"no_use_hours", s.no_use_hours},
                      {"morning", s.morning},
                      {"morning_from_hour", s.morning_from_hour},
                      {"morning_by_hour", s.morning_by_hour},
                      {"high_use", s.high_use},
                      {"high_use_percent", s.high_use_percent},
                      {"quiet_from_hour", s.quiet_from_hour},
                      {"quiet_to_hour", s.quiet_to_hour}};
  j["away_from"] = s.away_from ? nlohmann::json(FormatDate(*s.away_from)) : nlohmann::json();
  j["away_to"] = s.away_to ? nlohmann::json(FormatDate(*s.away_to)) : nlohmann::json();
  return j.dump();
}

AlertSettings ParseAlertSettings(const std::string& text) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  AlertSettings s;
  s.continuous_flow = FieldOr(j, "continuous_flow", s.continuous_flow);
  s.flow_hours = FieldOr(j, "flow_hours", s.flow_hours);
  s.long_no_use = FieldOr(j, "long_no_use", s.long_no_use);
  s.no_use_hours = FieldOr(j, "no_use_hours", s.no_use_hours);
  s.morning = FieldOr(j, "morning", s.morning);
  s.morning_from_hour = FieldOr(j, "morning_from_hour", s.morning_from_hour);
  s.morning_by_hour = FieldOr(j, "morning_by_hour", s.morning_by_hour);
  s.high_use = FieldOr(j, "high_use", s.high_use);
  s.high_use_percent = FieldOr(j, "high_use_percent", s.high_use_percent);
  s.quiet_from_hour = FieldOr(j, "quiet_from_hour", s.quiet_from_hour);
  s.quiet_to_hour = FieldOr(j, "quiet_to_hour", s.quiet_to_hour);
  if (auto d = ParseDate(FieldOr(j, "away_from", ""))) s.away_from = d;
  if (auto d = ParseDate(FieldOr(j, "away_to", ""))) s.away_to = d;
  return s;
}

bool AnyAlert(const AlertSettings& s) {
  return s.continuous_flow || s.long_no_use || s.morning || s.high_use;
}

}  // namespace watch

namespace {

struct WatchRow {
  int64_t id = 0;
  std::vector<std::string> addresses;  // active recipients, in order
};

// The caller's contract's watch (ServiceErrors as GetWatchAlerts says).
WatchRow RequireWatch(App& app, int64_t account_id, const std::string& input, ContractView& c) {
  c = watch::RequireWatchableContract(app, account_id, input, false);
  return ReadDb(app, [&](Database& db) {
    WatchRow w;
    auto q = db.Prepare("SELECT id FROM watches WHERE customer_number = ?");
    q.Bind(1, c.customer_number);
    if (!q.Step()) throw ServiceError(409, err::kWatchAlertsNoWatch);
    w.id = q.Int(0);
    auto r = db.Prepare(
        "SELECT email FROM watch_recipients WHERE watch_id = ? AND stopped_at IS NULL ORDER BY position");
    r.Bind(1, w.id);
    while (r.Step()) w.addresses.push_back(AsciiLower(r.Text(0)));
    return w;
  });
}

WatchAlertsView ReadView(Database& db, const WatchRow& w) {
  WatchAlertsView v;
  v.watch_recipients = w.addresses;
  auto q = db.Prepare("SELECT settings, recipients FROM watch_alerts WHERE watch_id = ?");
  q.Bind(1, w.id);
  if (q.Step()) {
    v.settings = watch::ParseAlertSettings(q.Text(0));
    for (const auto& e : nlohmann::json::parse(q.Text(1), nullptr, false))
      if (e.is_string()) v.recipients.push_back(e.get<std::string>());
  }
  v.enabled = watch::AnyAlert(v.settings);
  return v;
}

}  // namespace

WatchAlertsView GetWatchAlerts(App& app, int64_t account_id, const std::string& customer_number_input) {
  ContractView c;
  const WatchRow w = RequireWatch(app, account_id, customer_number_input, c);
  return ReadDb(app, [&](Database& db) { return ReadView(db, w); });
}

WatchAlertsView PutWatchAlerts(App& app, int64_t account_id, const std::string& customer_number_input,
                               const AlertSettings& settings, const std::vector<std::string>& recipients,
                               int64_t now) {
  std::vector<FieldError> errors = CheckAlertSettings(settings);
  ContractView c;
  const WatchRow w = RequireWatch(app, account_id, customer_number_input, c);
  std::vector<std::string> chosen;
  for (const auto& r : recipients) {
    const std::string a = AsciiLower(r);
    if (std::find(w.addresses.begin(), w.addresses.end(), a) == w.addresses.end()) {
      errors.push_back({std::string(err::kInvalidFormat), "recipients"});
      break;
    }
    if (std::find(chosen.begin(), chosen.end(), a) == chosen.end()) chosen.push_back(a);
  }
  if (!errors.empty()) throw ServiceError(400, errors.front().code, errors);
  return WriteDb(app, [&](Database& db) {
    db.Prepare(
          "INSERT INTO watch_alerts (watch_id, settings, recipients, active_from, updated_at) VALUES (?1, "
          "?2, ?3, "
          "?4, ?4) ON CONFLICT (watch_id) DO UPDATE SET settings = excluded.settings, recipients = "
          "excluded.recipients, active_from = excluded.active_from, updated_at = excluded.updated_at")
        .Bind(1, w.id)
        .Bind(2, watch::AlertSettingsJson(settings))
        .Bind(3, nlohmann::json(chosen).dump())
        .Bind(4, now)
        .Run();
    return ReadView(db, w);
  });
}

std::vector<AlertHistoryItem> WatchAlertHistory(App& app, int64_t account_id,
                                                const std::string& customer_number_input, int limit) {
  ContractView c;
  const WatchRow w = RequireWatch(app, account_id, customer_number_input, c);
  return ReadDb(app, [&](Database& db) {
    auto q = db.Prepare(
        "SELECT kind, status, at_utc, IFNULL(sent_at, 0), mails, subject FROM alert_events WHERE watch_id = "
        "? "
        "ORDER BY at_utc DESC, episode DESC LIMIT ?");
    q.Bind(1, w.id).Bind(2, int64_t{limit});
    std::vector<AlertHistoryItem> out;
    while (q.Step())
      out.push_back({q.Text(0), q.Text(1), q.Int(2), q.Int(3), static_cast<int>(q.Int(4)), q.Text(5)});
    return out;
  });
}

}  // namespace mizu::backend
