// The stop link in every watch mail: no login; it stops mails to one recipient of one watch and tells the
// account that set the watch up.
#include "mizu/backend/audit_log.hpp"
#include "mizu/backend/auth.hpp"
#include "mizu/backend/watch.hpp"
#include "watch_mail.hpp"
#include "watch_store.hpp"

namespace mizu::backend {
namespace {

// WatchStopToken's shape: 64 lowercase hex digits. Anything else is refused before any lookup.
bool WellFormed(const std::string& token) {
  if (token.size() != 64) return false;
  for (char c : token)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

struct StopRow {
  int64_t recipient_id = 0;
  StopLinkInfo info;
  std::string customer_number;
};

std::optional<StopRow> FindByToken(Database& db, const Config& config, const std::string& token) {
  if (!WellFormed(token)) return std::nullopt;
  auto q = db.Prepare(
      "SELECT r.id, r.email, r.stopped_at IS NOT NULL, w.lang, w.customer_number, w.id FROM watch_recipients "
      "r "
      "JOIN watches w ON w.id = r.watch_id WHERE r.stop_token_hash = ?");
  q.Bind(1, HashSecret(token));
  if (!q.Step()) return std::nullopt;
  StopRow row;
  row.recipient_id = q.Int(0);
  row.info.email = q.Text(1);
  row.info.stopped = q.Int(2) != 0;
  row.info.lang = ParseLang(q.Text(3));
  row.customer_number = q.Text(4);
  const int64_t watch_id = q.Int(5);
  q.Reset();
  auto alerts = db.Prepare(
      "SELECT at_utc, subject FROM alert_events WHERE watch_id = ? AND status = 'sent' AND mails > 0 "
      "ORDER BY at_utc DESC LIMIT 20");
  alerts.Bind(1, watch_id);
  while (alerts.Step()) row.info.alerts.emplace_back(alerts.Int(0), alerts.Text(1));
  const watch::ContractInfo contract = watch::ContractInfoFor(db, config, row.customer_number);
  row.info.display_number = contract.display_number;
  row.info.address = contract.address;
  return row;
}

}  // namespace

std::optional<StopLinkInfo> LookupStopToken(App& app, const std::string& token) {
  return ReadDb(app, [&](Database& db) -> std::optional<StopLinkInfo> {
    auto row = FindByToken(db, app.config, token);
    if (!row) return std::nullopt;
    return row->info;
  });
}

std::optional<StopLinkInfo> StopByToken(App& app, const std::string& token, int64_t now) {
  std::optional<StopRow> row;
  bool mailed = false;
  WriteDb(app, [&](Database& db) {
    row = FindByToken(db, app.config, token);
    if (!row || row->info.stopped) return;
    db.Prepare("UPDATE watch_recipients SET stopped_at = ? WHERE id = ?")
        .Bind(1, now)
        .Bind(2, row->recipient_id)
        .Run();
    Audit(db, 0, "watch_stop", row->customer_number, now);
    // The account holding the contract learns that this address will get no more mails.
    auto owner = db.Prepare(
        "SELECT a.email, a.lang FROM contract_links l JOIN accounts a ON a.id = l.account_id "
        "WHERE l.customer_number = ? AND a.email IS NOT NULL");
    owner.Bind(1, row->customer_number);
    if (owner.Step()) {
      const watch::ContractInfo contract = watch::ContractInfoFor(db, app.config, row->customer_number);
      EnqueueMail(db,
                  watch::StoppedMail(app, ParseLang(owner.Text(1)), contract, row->info.email, owner.Text(0)),
                  now);
      mailed = true;
    }
  });
  if (!row) return std::nullopt;
  if (mailed) NotifyMail(app);
  row->info.stopped = true;
  return row->info;
}

}  // namespace mizu::backend
