#pragma once
// The watch's alerts (docs/notifications.md; the rules: mizu/alerts.hpp). A watch may turn alerts on with its
// own choices and its own recipients among the watch's; an hourly pass finds each episode's event in a
// look-back of hourly readings and mails it exactly once: the event row (PRIMARY KEY watch, episode) and its
// mails commit in one transaction, as the watch reports do. Quiet hours hold the non-urgent kinds (the row
// waits as 'held' and goes when they end); pause while away drops no-use and morning alerts (kept as
// 'dropped' in the history). 通知履歴 lists what was sent.
#include <cstdint>
#include <string>
#include <vector>

#include "mizu/alerts.hpp"
#include "mizu/backend/app.hpp"

namespace mizu::backend {

// An event older than this when first found (late data, a server that was down) is kept in the history but
// not mailed: "water ran for two hours" a day later helps no one.
inline constexpr int64_t kAlertMaxAgeSeconds = 6 * 3600;
// The most hours of readings a pass looks back over (72 h no use, the hour before the run, 6 h of lateness …
// ); each chunk of watches reads only what its choices need.
inline constexpr int kAlertLookbackHours = 97;

struct WatchAlertsView {
  bool enabled = false;  // any kind on
  AlertSettings settings;
  std::vector<std::string> recipients;        // addresses among the watch's (active ones); empty: all of them
  std::vector<std::string> watch_recipients;  // the watch's active addresses, to choose from
};

// The caller's watched contract (404 contract_not_found, 409 watch_no_smart_meter, 409 watch_alerts_no_watch
// when it has no watch): its alert choices (defaults, all off, when never set).
WatchAlertsView GetWatchAlerts(App& app, int64_t account_id, const std::string& customer_number_input);
// Replaces them: CheckAlertSettings (400 invalid_format on the field) and every recipient one of the watch's
// active addresses (400 invalid_format on "recipients"). Events are only looked for from now on.
WatchAlertsView PutWatchAlerts(App& app, int64_t account_id, const std::string& customer_number_input,
                               const AlertSettings& settings, const std::vector<std::string>& recipients,
                               int64_t now);

struct AlertHistoryItem {
  std::string kind;     // AlertKindName
  std::string status;   // "sent" | "held" (waiting for quiet hours to end) | "dropped" (away, or too old)
  int64_t at = 0;       // when it became true
  int64_t sent_at = 0;  // 0 when not sent
  int mails = 0;
  std::string subject;  // the mail's subject in the watch's language
};
// 通知履歴: the contract's alert events, newest first, at most `limit`.
std::vector<AlertHistoryItem> WatchAlertHistory(App& app, int64_t account_id,
                                                const std::string& customer_number_input, int limit = 100);

struct AlertPassResult {
  int events = 0;  // new event rows
  int mails = 0;   // mails queued (new events sent now, held ones whose quiet hours ended)
};
// One pass at `now`: the hourly look-back for every watch with alerts on (once per JST hour: server_state
// 'alerts.evaluated_hour'), the weekly high-use check on the week that ended last Sunday, and the held events
// now due. Transactions of up to 512 watches.
AlertPassResult EvaluateAlerts(Database& db, const App& app, int64_t now);

}  // namespace mizu::backend
