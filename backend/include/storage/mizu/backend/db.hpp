#pragma once
// SQLite access: one connection per Database, WAL mode, synchronous=FULL (an acknowledgement promises
// durability), foreign keys on, schema migrations applied in order at open. Not thread-safe: one per thread,
// or guard it. Prepared statements are kept per connection, keyed by their SQL text (SQLite's advice: prepare
// once, reset and rebind), so a hot path prepares each of its statements once per connection, not per call.
// ReaderPool hands out read-only connections to the same file: in WAL mode they read beside the one writer.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace mizu::backend {

class DbError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class StatementCache;

// A prepared statement; binds are 1-based like SQLite's. From Database::Prepare it is borrowed from the
// connection's cache and given back (reset, bindings cleared) when it goes out of scope; it must not outlive
// its Database.
class Statement {
 public:
  // An uncached statement, finalized at the end of its life.
  Statement(sqlite3* db, std::string_view sql);
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
  int64_t Int(int column) const;
  std::string Text(int column) const;
  bool IsNull(int column) const;

 private:
  friend class StatementCache;
  Statement(sqlite3* db, sqlite3_stmt* stmt, StatementCache* cache, std::string sql)
      : db_(db), stmt_(stmt), cache_(cache), sql_(std::move(sql)) {}
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  StatementCache* cache_ = nullptr;  // null: finalize at the end; else give back under sql_
  std::string sql_;
};

// The idle prepared statements of one connection, keyed by SQL text, least recently used evicted beyond
// `capacity` (day-table statements make the set of texts open-ended). Two live borrows of one text get two
// statements.
class StatementCache {
 public:
  explicit StatementCache(sqlite3* db, size_t capacity = 512) : db_(db), capacity_(capacity) {}
  ~StatementCache();
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;
  // Borrows an idle statement for sql or prepares one. Throws DbError when SQLite refuses the text.
  Statement Borrow(std::string_view sql);
  // The same, but nullopt when the text names a table that does not exist (a day table not yet created).
  std::optional<Statement> BorrowIfTablesExist(std::string_view sql);
  void GiveBack(std::string sql, sqlite3_stmt* stmt);
  // Statements prepared since the connection opened (a cache hit prepares nothing): for tests and metrics.
  uint64_t Prepares() const { return prepares_; }
  size_t IdleCount() const { return idle_.size(); }

 private:
  sqlite3_stmt* TakeIdle(std::string_view sql);
  sqlite3* db_;
  size_t capacity_;
  uint64_t prepares_ = 0;
  std::list<std::pair<std::string, sqlite3_stmt*>> idle_;  // most recently given back first
  std::unordered_multimap<std::string_view, std::list<std::pair<std::string, sqlite3_stmt*>>::iterator>
      index_;
};

class Database {
 public:
  // Opens (creating if needed) the file and migrates it to the newest schema — or only up to `schema_version`
  // when given (tests of an upgrade from an older schema).
  explicit Database(const std::string& path, int schema_version = -1);
  // A read-only connection to an existing database (no migration): ReaderPool's.
  struct ReadOnly {};
  Database(const std::string& path, ReadOnly);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void Exec(std::string_view sql);
  // A statement from this connection's cache (prepared on first use of the text).
  Statement Prepare(std::string_view sql) { return cache_->Borrow(sql); }
  // The same, nullopt when the text names a table that does not exist.
  std::optional<Statement> PrepareIfTablesExist(std::string_view sql) {
    return cache_->BorrowIfTablesExist(sql);
  }
  // Runs fn inside BEGIN IMMEDIATE … COMMIT; rolls back if fn throws.
  void Transaction(const std::function<void()>& fn);
  // Runs fn inside BEGIN … COMMIT (deferred): every read of fn sees one snapshot of the database.
  void Snapshot(const std::function<void()>& fn);
  uint64_t StatementsPrepared() const { return cache_->Prepares(); }
  int SchemaVersion();
  int64_t LastInsertId();
  // Rows changed by the last INSERT/UPDATE/DELETE.
  int Changes();
  sqlite3* Handle() { return db_; }

 private:
  void Open(const std::string& path, int flags);
  void Migrate(int schema_version);
  sqlite3* db_ = nullptr;
  std::unique_ptr<StatementCache> cache_;  // destroyed (statements finalized) before the connection closes
};

// Read-only connections to one database file, opened on demand up to `max_connections` and kept. Acquire
// waits only when all of them are lent out. Thread-safe.
class ReaderPool {
 public:
  ReaderPool(std::string path, int max_connections);
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
  std::string path_;
  int max_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Database>> idle_;
  int open_ = 0;
};

}  // namespace mizu::backend
