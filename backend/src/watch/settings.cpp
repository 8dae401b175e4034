// 見守り会員情報変更 (W2–W6): a watch per linked smart-meter contract — read, replace, cancel — with the
// "added" mail (and stop link) for each new recipient and the "ended" mail for each one that goes.
#include <cstdlib>
#include <map>

#include "mizu/backend/audit_log.hpp"
#include "mizu/backend/auth.hpp"
#include "mizu/backend/watch.hpp"
#include "mizu/text.hpp"
#include "watch_mail.hpp"
#include "watch_store.hpp"

namespace mizu::backend {

namespace watch {

ContractInfo InfoOf(const ContractView& c) {
  return {c.customer_number, c.display_number, c.address};
}

ContractView RequireWatchableContract(App& app, int64_t account_id, const std::string& input,
                                      bool allow_without_meter) {
  ContractView c = RequireOwnContract(app, account_id, input);
  if (!c.smart_meter && !allow_without_meter) throw ServiceError(409, err::kWatchNoSmartMeter);
  return c;
}

void CheckWatchUpdate(const WatchSettings& settings, const WatchUpdate& update) {
  std::vector<FieldError> errors = ValidateStartHours(update.start_hours, settings);
  for (auto& e : ValidateRecipients(update.recipients, settings)) errors.push_back(std::move(e));
  if (!errors.empty()) throw ServiceError(400, errors.front().code, errors);
}

}  // namespace watch

namespace {

using watch::InfoOf;
using watch::RequireWatchableContract;

struct ExistingRecipient {
  int64_t id = 0;
  std::string name;
  std::string email;
  bool stopped = false;
};

std::string AccountEmail(Database& db, int64_t account_id) {
  auto q = db.Prepare("SELECT COALESCE(email, mobile) FROM accounts WHERE id = ?");  // mobile-number accounts
  q.Bind(1, account_id);
  return q.Step() ? q.Text(0) : std::string();
}

// Replaces the start hours: an hour already watched keeps its active_from, a new one starts now.
void StoreHours(Database& db, int64_t watch_id, const std::vector<int>& hours, int64_t now) {
  std::map<int, int64_t> active_from;
  auto old = db.Prepare("SELECT start_hour, active_from FROM watch_hours WHERE watch_id = ?");
  old.Bind(1, watch_id);
  while (old.Step()) active_from[static_cast<int>(old.Int(0))] = old.Int(1);
  db.Prepare("DELETE FROM watch_hours WHERE watch_id = ?").Bind(1, watch_id).Run();
  auto insert =
      db.Prepare("INSERT INTO watch_hours (start_hour, watch_id, position, active_from) VALUES (?, ?, ?, ?)");
  for (size_t i = 0; i < hours.size(); ++i) {
    auto it = active_from.find(hours[i]);
    insert.Bind(1, int64_t{hours[i]}).Bind(2, watch_id).Bind(3, static_cast<int64_t>(i));
    insert.Bind(4, it == active_from.end() ? now : it->second).Run();
    insert.Reset();
  }
}

}  // namespace

std::string WatchStopUrl(const Config& config, const std::string& token) {
  return PublicBaseUrl(config) + "/api/v1/watch/stop?token=" + token;
}

std::string WatchStopToken(const App& app, const std::string& nonce) {
  return HmacSha256Hex(app.code_key, "watch-stop\n" + nonce);
}

WatchView GetWatch(App& app, int64_t account_id, const std::string& customer_number_input) {
  ContractView c = RequireWatchableContract(app, account_id, customer_number_input, true);
  return ReadDb(app, [&](Database& db) {
    WatchView view = watch::LoadWatch(db, c);
    if (!c.smart_meter && !view.active) throw ServiceError(409, err::kWatchNoSmartMeter);
    return view;
  });
}

WatchView PutWatch(App& app, int64_t account_id, const std::string& customer_number_input,
                   const WatchUpdate& update, int64_t now) {
  ContractView c = RequireWatchableContract(app, account_id, customer_number_input, false);
  const WatchSettings& settings = app.config.watch;
  watch::CheckWatchUpdate(settings, update);
  const std::vector<int> hours = NormalizeStartHours(update.start_hours);
  const std::vector<WatchRecipient> recipients = NormalizeRecipients(update.recipients);
  const std::string lang(LangTag(update.lang));
  std::vector<std::string> mailed;

  WatchView view = WriteDb(app, [&](Database& db) {
    int64_t watch_id = 0;
    auto find = db.Prepare("SELECT id FROM watches WHERE customer_number = ?");
    find.Bind(1, c.customer_number);
    if (find.Step()) {
      watch_id = find.Int(0);
      db.Prepare("UPDATE watches SET lang = ?, updated_at = ? WHERE id = ?")
          .Bind(1, lang)
          .Bind(2, now)
          .Bind(3, watch_id)
          .Run();
    } else {
      db.Prepare("INSERT INTO watches (customer_number, lang, created_at, updated_at) VALUES (?, ?, ?, ?)")
          .Bind(1, c.customer_number)
          .Bind(2, lang)
          .Bind(3, now)
          .Bind(4, now)
          .Run();
      watch_id = db.LastInsertId();
    }
    StoreHours(db, watch_id, hours, now);

    std::map<std::string, ExistingRecipient> existing;  // by lower-cased address
    auto old =
        db.Prepare("SELECT id, name, email, stopped_at IS NOT NULL FROM watch_recipients WHERE watch_id = ?");
    old.Bind(1, watch_id);
    while (old.Step())
      existing[AsciiLower(old.Text(2))] = {old.Int(0), old.Text(1), old.Text(2), old.Int(3) != 0};
    const std::string setter = AccountEmail(db, account_id);
    for (size_t i = 0; i < recipients.size(); ++i) {
      const auto& r = recipients[i];
      auto it = existing.find(AsciiLower(r.email));
      if (it != existing.end()) {
        db.Prepare("UPDATE watch_recipients SET name = ?, position = ? WHERE id = ?")
            .Bind(1, r.name)
            .Bind(2, static_cast<int64_t>(i))
            .Bind(3, it->second.id)
            .Run();
        existing.erase(it);
        continue;
      }
      // Each new address is mailed: an account cannot use watches to mail arbitrary addresses in bulk.
      auto allowed = app.watch_added_per_account.Allow("watch-added:" + std::to_string(account_id), now);
      if (!allowed.allowed) throw ServiceError(429, err::kRateLimited, {}, allowed.retry_after_seconds);
      const std::string nonce = RandomToken();
      const std::string token = WatchStopToken(app, nonce);
      auto insert = db.Prepare(
          "INSERT INTO watch_recipients (watch_id, position, name, email, stop_nonce, stop_token_hash, "
          "added_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?)");
      insert.Bind(1, watch_id).Bind(2, static_cast<int64_t>(i)).Bind(3, r.name).Bind(4, r.email);
      insert.Bind(5, nonce).Bind(6, HashSecret(token)).Bind(7, now).Run();
      EnqueueMail(db,
                  watch::AddedMail(app, update.lang, InfoOf(c), setter, hours, r.email, r.name,
                                   WatchStopUrl(app.config, token)),
                  now);
      mailed.push_back(r.email);
    }
    for (const auto& [key, gone] : existing) {
      db.Prepare("DELETE FROM watch_recipients WHERE id = ?").Bind(1, gone.id).Run();
      if (!gone.stopped)
        EnqueueMail(db, watch::EndedMail(app, update.lang, InfoOf(c), gone.email, gone.name), now);
    }
    Audit(db, account_id, "watch_set", c.customer_number, now);
    // The watch as stored, read before the commit: no other request can change it in between.
    return watch::LoadWatch(db, c);
  });
  NotifyMail(app);
  view.mailed = std::move(mailed);
  return view;
}

void DeleteWatch(App& app, int64_t account_id, const std::string& customer_number_input, int64_t now) {
  ContractView c = RequireWatchableContract(app, account_id, customer_number_input, true);
  int farewells = 0;
  WriteDb(app, [&](Database& db) {
    db.Prepare("DELETE FROM watches WHERE customer_number = ?").Bind(1, c.customer_number).Run();
    if (db.Changes() == 0) return;
    farewells = watch::DrainFarewells(db, app, now);  // the trigger's notices, mailed in this transaction
    Audit(db, account_id, "watch_cancel", c.customer_number, now);
  });
  if (farewells > 0) NotifyMail(app);
}

}  // namespace mizu::backend
