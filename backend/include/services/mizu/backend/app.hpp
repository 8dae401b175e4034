#pragma once
// Everything a request handler or a command needs, built once from the Config: the clock, the database, the
// utility's tariff. Handlers receive it by reference (no globals).
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "mizu/backend/auth.hpp"
#include "mizu/backend/clock.hpp"
#include "mizu/backend/config.hpp"
#include "mizu/backend/db.hpp"
#include "mizu/backend/low_priority.hpp"
#include "mizu/backend/metrics.hpp"
#include "mizu/billing.hpp"

namespace mizu::backend {

// Held while using App::db. Services reach the database through WriteDb and ReadDb (below), which take it;
// `WriterLock lock(app);` (below) is left for the few places that must hold it across more than one unit of
// work.
using Lock = std::lock_guard<std::mutex>;

class MailRelay;
class WatchScheduler;

struct App {
  App();
  ~App();
  Config config;
  Clock clock;
  // Test mode: the shared test clock ('test.clock', routes_test_clock.cpp) changes as one step — the route's
  // store + this clock's Set, or a scheduler's read + compare + Set (WatchScheduler::FollowSharedClock) — so
  // a poll that read the database before the route's store cannot set the older value after it.
  std::mutex test_clock_mutex;
  std::mutex db_mutex;  // guards db
  std::unique_ptr<Database> db;
  std::string db_path;  // the database URL (DatabaseUrl): sqlite:<file> or postgresql://…
  // Read-only connections to db_path for ReadDb (WAL: they read beside the writer); null for an in-memory
  // database, whose ReadDb uses db under db_mutex.
  std::unique_ptr<ReaderPool> readers;
  Metrics metrics;
  // Where long reads (usage over more than a month) run: 2 workers at nice +10 (low_priority.hpp); OpenApp
  // limits the waiting to a quarter of http.threads (at most 16) and each account to 2 in the lane.
  LowPriorityLane long_reads{2, 10, 16};
  Tariff tariff;
  // Auth state: the HMAC key for codes (from <data>/secret.key, never in the database), password hash cost,
  // and the in-memory limiters.
  std::string code_key;
  PasswordHashParams password_hash = kDefaultPasswordHashParams;
  // The limiters' state in the database when servers share one (PostgreSQL); null: in memory (OpenApp).
  std::unique_ptr<SharedLimitStore> limit_store;
  RateLimiter signup_per_client{20, 3600};
  RateLimiter reset_per_client{20, 3600};
  RateLimiter codes_per_address{5, 3600};
  RateLimiter watch_added_per_account{20, 86400};  // "added" mails to new watch recipients (no spam relay)
  LoginThrottle login_throttle;
  IdentityProofLimiter identity_proofs;  // every customer number + bureau phone / kana check (accounts)
  std::unique_ptr<MailRelay> relay;      // set by StartBackground
  std::unique_ptr<WatchScheduler> watch_scheduler;  // set by StartBackground (watch.hpp)
};

// The units of work on App::db. Both take app.db_mutex for the whole of fn and hand fn the database:
//
//   WriteDb(app, [&](Database& db) { …reads and writes… });
//   Receipt r = WriteDb(app, [&](Database& db) { …; return receipt; });
//   Result r = ReadDb(app, [&](Database& db) { …reads…; return result; });
//
// WriteDb runs fn inside one Database::Transaction (BEGIN IMMEDIATE … COMMIT) and returns fn's result, void
// or a value. When it returns, everything fn wrote is committed; when fn throws, all of it is rolled back and
// the exception propagates unchanged. fn must not open a transaction of its own (SQLite does not nest them)
// nor take db_mutex. A value fn reads back after its writes belongs inside fn, so that it is the committed
// state with no other request in between.
//
// ReadDb runs fn on a read-only connection of app.readers inside one read transaction (BEGIN … COMMIT: every
// read of fn sees the same committed state, and nothing of a writer's open transaction) and returns its
// result (void or a value); an exception propagates. It never waits for the writer, nor for other readers
// unless all the pool's connections are lent. fn must only read (a write throws DbError: read-only database).
// A ReadDb started after a WriteDb returned sees that WriteDb's changes.
//
// Slow work that needs no database (password hashing) and NotifyMail stay outside fn, as does anything
// that must not hold the lock.
//
// ReadScope: one read snapshot for all the ReadDb of a request. While a ReadScope of `app` lives on a thread,
// every ReadDb(app, …) of that thread runs on the scope's one pooled connection inside one read transaction
// (opened by the first ReadDb, so a request that reads nothing costs nothing), instead of a lease and a
// BEGIN … COMMIT each. A WriteDb on the same thread first ends that transaction, so a ReadDb after it starts
// a fresh one and sees the write (the rule above holds inside a scope too). A scope inside a scope of the
// same app does nothing. Made for safe requests (GET: session check, ownership, the data); the snapshot
// blocks no writer (WAL), it only holds the WAL's tail from being checkpointed until the scope ends.
class ReadScope {
 public:
  explicit ReadScope(App& app);
  ~ReadScope();
  ReadScope(const ReadScope&) = delete;
  ReadScope& operator=(const ReadScope&) = delete;
  struct State;  // read_scope.cpp

 private:
  std::unique_ptr<State> state_;  // null when this scope is nested or the database has no reader pool
};

namespace detail {

// The connection of the thread's ReadScope of `app`, its read transaction begun; null when there is none.
Database* ScopedReader(App& app);
// Ends the read transaction of the thread's ReadScope of `app`, if one is open (before a write).
void EndScopedRead(App& app);

// fn(db) run inside `unit` (Database::Transaction or Database::Snapshot), its value (or void) returned.
template <class F, class Unit>
std::invoke_result_t<F&, Database&> RunUnit(Database& db, Unit unit, F& fn) {
  using Result = std::invoke_result_t<F&, Database&>;
  if constexpr (std::is_void_v<Result>) {
    (db.*unit)([&] { std::invoke(fn, db); });
  } else {
    std::optional<Result> result;
    (db.*unit)([&] { result.emplace(std::invoke(fn, db)); });
    return std::move(*result);
  }
}

inline double SecondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace detail

// db_mutex taken for a write outside WriteDb (a service that opens its own transactions): like WriteDb, it
// first ends the thread's scoped read (ReadScope), so that reads after the write see it.
class WriterLock {
 public:
  explicit WriterLock(App& app) : app_(app) {
    detail::EndScopedRead(app);
    app.db_mutex.lock();
  }
  ~WriterLock() {
    app_.db_mutex.unlock();
    detail::EndScopedRead(app_);  // a ReadDb inside the lock must not keep a snapshot from before the commit
  }
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  App& app_;
};

template <class F>
std::invoke_result_t<F&, Database&> WriteDb(App& app, F&& fn) {
  static_assert(!std::is_reference_v<std::invoke_result_t<F&, Database&>>,
                "WriteDb returns a value: the database is unlocked after it");
  const auto asked = std::chrono::steady_clock::now();
  WriterLock lock(app);
  app.metrics.ObserveDbWait(true, detail::SecondsSince(asked));
  return detail::RunUnit(*app.db, &Database::Transaction, fn);
}

template <class F>
std::invoke_result_t<F&, Database&> ReadDb(App& app, F&& fn) {
  static_assert(!std::is_reference_v<std::invoke_result_t<F&, Database&>>,
                "ReadDb returns a value: the database is unlocked after it");
  if (Database* scoped = detail::ScopedReader(app)) return std::invoke(fn, *scoped);
  const auto asked = std::chrono::steady_clock::now();
  if (!app.readers) {  // an in-memory database: the writer's connection, under its lock
    Lock lock(app.db_mutex);
    app.metrics.ObserveDbWait(false, detail::SecondsSince(asked));
    return std::invoke(fn, *app.db);
  }
  ReaderPool::Lease lease = app.readers->Acquire();
  app.metrics.ObserveDbWait(false, detail::SecondsSince(asked));
  return detail::RunUnit(lease.db(), &Database::Snapshot, fn);
}

// Starts the mail relay and the watch scheduler. Stopped when the App is destroyed.
void StartBackground(App& app);
// Wakes the relay after a transaction that enqueued mail committed.
void NotifyMail(App& app);

// Where the shipped assets (default tariff) are: $MIZU_ASSETS_DIR, else the source tree's assets/.
std::string AssetsDir();
// Reads and validates the tariff file; throws std::runtime_error naming the file on failure.
Tariff LoadTariffFile(const std::string& path);
// Creates the data folder (and mail/, sms/), opens and migrates the database, loads the tariff.
std::unique_ptr<App> OpenApp(const Config& config);

}  // namespace mizu::backend
