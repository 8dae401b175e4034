// The watch's alert choices and 通知履歴 (alerts.hpp): stored per watch as the API's JSON (watch_alerts,
// AlertSettingsToJson), read by the hourly pass (alerts_evaluate.cpp).
#include <algorithm>
#include <nlohmann/json.hpp>

#include "mizu/backend/accounts.hpp"
#include "mizu/backend/alerts.hpp"
#include "mizu/json_fields.hpp"
#include "mizu/text.hpp"
#include "watch_mail.hpp"

namespace mizu::backend {
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
    v.settings = AlertSettingsFromJson(nlohmann::json::parse(q.Text(0), nullptr, false));
    for (const auto& e : nlohmann::json::parse(q.Text(1), nullptr, false))
      if (e.is_string()) v.recipients.push_back(e.get<std::string>());
  }
  v.enabled = AnyAlert(v.settings);
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
    // Alerts count from when they were turned on (an episode older than that is not reported), not from
    // each later change: an edit of the recipients or of one choice must not lose an alert just due.
    int64_t active_from = now;
    {
      auto old = db.Prepare("SELECT settings, active_from FROM watch_alerts WHERE watch_id = ?");
      old.Bind(1, w.id);
      if (old.Step() && AnyAlert(AlertSettingsFromJson(nlohmann::json::parse(old.Text(0), nullptr, false))))
        active_from = old.Int(1);
    }
    db.Prepare(
          "INSERT INTO watch_alerts (watch_id, settings, recipients, active_from, updated_at) VALUES (?1, "
          "?2, ?3, ?4, ?5) ON CONFLICT (watch_id) DO UPDATE SET settings = excluded.settings, recipients = "
          "excluded.recipients, active_from = excluded.active_from, updated_at = excluded.updated_at")
        .Bind(1, w.id)
        .Bind(2, AlertSettingsToJson(settings).dump())
        .Bind(3, nlohmann::json(chosen).dump())
        .Bind(4, active_from)
        .Bind(5, now)
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
        "SELECT kind, status, at_utc, COALESCE(sent_at, 0), mails, subject FROM alert_events WHERE watch_id "
        "= "
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
