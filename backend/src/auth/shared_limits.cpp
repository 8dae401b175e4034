// DbLimitStore (auth.hpp SharedLimitStore on the database): each update one transaction on a
// connection of its own — on PostgreSQL one at a time per key across servers (an advisory lock per key) —
// and now and then the rows past their expires_at deleted.
#include "mizu/backend/shared_limits.hpp"
#include <algorithm>

#include "mizu/backend/auth.hpp"

namespace mizu::backend {

DbLimitStore::DbLimitStore(const std::string& database_url, const Clock& clock)
    : db_(database_url), clock_(clock) {}

void DbLimitStore::Update(std::string_view bucket, const std::vector<std::string>& keys, int64_t expires_at,
                          const std::function<void(std::vector<std::string>&)>& fn) {
  std::lock_guard lock(mutex_);
  db_.TransactionOwnLocks([&] {
    // The keys' own locks, in a fixed order (two updates of the same pair cannot wait on each other), not
    // the writers' turn: a limit is checked from inside units of work that hold it on another connection.
    if (db_.engine() == Engine::kPostgres) {
      std::vector<std::string> sorted;
      for (const auto& k : keys)
        if (!k.empty()) sorted.push_back(std::string(bucket) + "\n" + k);
      std::sort(sorted.begin(), sorted.end());
      auto lock_key = db_.Prepare("SELECT pg_advisory_xact_lock(7310, hashtext(?))");
      for (const auto& k : sorted) {
        lock_key.Bind(1, k).Run();
        lock_key.Reset();
      }
    }
    std::vector<std::string> values(keys.size());
    auto read = db_.Prepare("SELECT value FROM rate_state WHERE bucket = ? AND key = ?");
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i].empty()) continue;
      read.Bind(1, bucket).Bind(2, keys[i]);
      if (read.Step()) values[i] = read.Text(0);
      read.Reset();
    }
    fn(values);
    // A row keeps the later of its expiries (a success that rewrites a record does not shorten its life).
    auto put = db_.Prepare(
        std::string("INSERT INTO rate_state (bucket, key, value, expires_at) VALUES (?1, ?2, ?3, ?4) "
                    "ON CONFLICT (bucket, key) DO UPDATE SET value = excluded.value, expires_at = ") +
        (db_.engine() == Engine::kPostgres ? "GREATEST" : "max") +
        "(rate_state.expires_at, excluded.expires_at)");
    auto drop = db_.Prepare("DELETE FROM rate_state WHERE bucket = ? AND key = ?");
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i].empty()) continue;
      if (values[i].empty()) {
        drop.Bind(1, bucket).Bind(2, keys[i]).Run();
        drop.Reset();
      } else {
        put.Bind(1, bucket).Bind(2, keys[i]).Bind(3, values[i]).Bind(4, expires_at).Run();
        put.Reset();
      }
    }
    if (++updates_ % 1000 == 0)
      db_.Prepare("DELETE FROM rate_state WHERE expires_at < ?").Bind(1, clock_.Now()).Run();
  });
}

}  // namespace mizu::backend
