#pragma once
// Database access on one of two engines (storage/engine.hpp): SQLite — one file, WAL mode, synchronous=FULL
// (an acknowledgement promises durability), foreign keys on — or PostgreSQL 15 through libpq. Schema
// migrations applied in order at open. Not thread-safe: one per thread,
// or guard it. Prepared statements are kept per connection, keyed by their SQL text (SQLite's advice: prepare
// once, reset and rebind), so a hot path prepares each of its statements once per connection, not per call.
// ReaderPool hands out read-only connections to the same database: they read beside the one writer.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3;

namespace mizu::backend {

class DbError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace storage {
class Connection;
class StatementImpl;
}  // namespace storage

// Which engine a database URL names (docs/operations.md, "Database"):
//   sqlite:var/mizumori.db   (or a plain path) one SQLite file, the embedded default
//   postgresql://user@host:port/dbname?…   (or postgres://…) a PostgreSQL 15 server, libpq's URI syntax
enum class Engine { kSqlite, kPostgres };

struct DatabaseUrl {
  Engine engine = Engine::kSqlite;
  std::string target;  // the SQLite file's path, or the libpq connection URI as given
  // Throws std::invalid_argument for an empty text or another scheme.
  static DatabaseUrl Parse(std::string_view text);
  // For logs and the health check: the URI without its password.
  std::string Redacted() const;
};

class StatementCache;

// A prepared statement; binds are 1-based like SQLite's, placeholders written `?` or `?N` in both engines
// (PostgreSQL's `$N` are made from them). From Database::Prepare it is borrowed from the connection's cache
// and given back (reset, bindings cleared) when it goes out of scope; it must not outlive its Database.
class Statement {
 public:
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::string_view value);
  Statement& BindNull(int index);
  // Steps once: true while a row is available, false when done. Throws DbError on failure.
  bool Step();
  // Steps to completion (for statements without results).
  void Run();
  void Reset();
  // A column as an integer (a PostgreSQL boolean is 1 or 0; NULL is 0), as text (NULL is ""), or NULL?
  int64_t Int(int column) const;
  std::string Text(int column) const;
  bool IsNull(int column) const;
  // The result's columns (after the first Step on PostgreSQL): how many, and each one's name.
  int ColumnCount() const;
  std::string ColumnName(int column) const;

 private:
  friend class StatementCache;
  struct Slot;
  Statement(std::unique_ptr<storage::StatementImpl> impl, StatementCache* cache, Slot* slot);
  std::unique_ptr<storage::StatementImpl> impl_;
  StatementCache* cache_ = nullptr;  // gives impl_ back into slot_
  Slot* slot_ = nullptr;
};

// The idle prepared statements of one connection, keyed by SQL text: a slot per text (its idle statements,
// its place in the least-recently-used order while no statement of it is out); beyond `capacity` texts the
// least recently used one that no live statement holds is evicted (day-table statements make the set of
// texts open-ended). Two live borrows of one text get two statements. A borrow and its give-back allocate
// nothing once the text has a slot (one hash of the text, no copy of it): the cache sits on every query of
// every request.
class StatementCache {
 public:
  explicit StatementCache(storage::Connection* connection, size_t capacity = 512);
  ~StatementCache();
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;
  // Borrows an idle statement for sql or prepares one. Throws DbError when the engine refuses the text.
  Statement Borrow(std::string_view sql);
  // The same, but nullopt when the text names a table that does not exist (a day table not yet created).
  std::optional<Statement> BorrowIfTablesExist(std::string_view sql);
  // Statements prepared since the connection opened (a cache hit prepares nothing): for tests and metrics.
  uint64_t Prepares() const { return prepares_; }

 private:
  friend class Statement;
  using Slot = Statement::Slot;
  // The slot of sql (made if new; out of the order while borrowed); its idle statement taken if it has one,
  // else one prepared (`missing_table` when `if_tables_exist` and the text names a table that does not
  // exist).
  Statement Take(std::string_view sql, bool if_tables_exist, bool& missing_table);
  void GiveBack(Slot* slot, std::unique_ptr<storage::StatementImpl> impl);
  void Unlink(Slot* slot);
  void PushFront(Slot* slot);
  void Erase(Slot* slot);
  storage::Connection* connection_;
  size_t capacity_;
  uint64_t prepares_ = 0;
  std::unordered_map<std::string_view, std::unique_ptr<Slot>> slots_;  // keys view each slot's own text
  // The order: the slots no live statement holds, most recently given back first (intrusive: reordering
  // allocates nothing).
  Slot* newest_ = nullptr;
  Slot* oldest_ = nullptr;
};

class Database {
 public:
  // Opens the database a URL (or a plain SQLite path) names — creating a SQLite file if needed — and migrates
  // it to the newest schema, or only up to `schema_version` when given (tests of an upgrade).
  explicit Database(const std::string& url, int schema_version = -1);
  // A read-only connection to an existing database (no migration): ReaderPool's.
  struct ReadOnly {};
  Database(const std::string& url, ReadOnly);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Engine engine() const;
  void Exec(std::string_view sql);
  // A statement from this connection's cache (prepared on first use of the text).
  Statement Prepare(std::string_view sql) { return cache_->Borrow(sql); }
  // The same, nullopt when the text names a table that does not exist.
  std::optional<Statement> PrepareIfTablesExist(std::string_view sql) {
    return cache_->BorrowIfTablesExist(sql);
  }
  // Runs fn inside a write transaction (one writer at a time, across servers too); rolls back if fn throws.
  void Transaction(const std::function<void()>& fn);
  // Runs fn inside a write transaction that does NOT wait for the writers' turn: for a unit that takes its
  // own row locks (PostgreSQL advisory locks on its keys) and may run while this thread holds the turn on
  // another connection (the rate limits, called from inside a unit of work).
  void TransactionOwnLocks(const std::function<void()>& fn);
  // Runs fn inside a read transaction: every read of fn sees one snapshot of the database.
  void Snapshot(const std::function<void()>& fn);
  // The same two, opened and ended by hand (ReadScope keeps one read transaction across several reads).
  void BeginRead();
  void Commit();
  void Rollback() noexcept;
  bool InTransaction();
  uint64_t StatementsPrepared() const { return cache_->Prepares(); }
  int SchemaVersion();
  // The id an INSERT just gave an INTEGER PRIMARY KEY (PostgreSQL: an identity column's lastval()).
  int64_t LastInsertId();
  // Rows changed by the last INSERT/UPDATE/DELETE.
  int Changes();
  // The SQLite connection (benchmarks' raw anchors); nullptr on PostgreSQL.
  sqlite3* SqliteHandle();

 private:
  std::unique_ptr<storage::Connection> connection_;
  std::unique_ptr<StatementCache> cache_;  // destroyed (statements finalized) before the connection closes
};

// Read-only connections to one database, opened on demand up to `max_connections` and kept. Acquire
// waits only when all of them are lent out. Thread-safe.
class ReaderPool {
 public:
  ReaderPool(std::string url, int max_connections);
  ~ReaderPool();
  class Lease {
   public:
    Lease(ReaderPool* pool, std::unique_ptr<Database> db) : pool_(pool), db_(std::move(db)) {}
    ~Lease();
    Lease(Lease&&) = default;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    Database& db() { return *db_; }

   private:
    ReaderPool* pool_;
    std::unique_ptr<Database> db_;
  };
  // A connection for this thread until the Lease ends; waits while all are lent. Throws DbError when a new
  // connection cannot be opened.
  Lease Acquire();
  int Open() const;

 private:
  void Return(std::unique_ptr<Database> db);
  std::string url_;
  int max_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Database>> idle_;
  int open_ = 0;
};

}  // namespace mizu::backend
