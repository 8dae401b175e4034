#pragma once
// SQLite access: one connection per Database, WAL mode, synchronous=FULL (an acknowledgement promises
// durability), foreign keys on, schema migrations applied in order at open. Not thread-safe: one per thread,
// or guard it.
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace mizu::backend {

class DbError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A prepared statement; binds are 1-based like SQLite's.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

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
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
 public:
  // Opens (creating if needed) the file and migrates it to the newest schema — or only up to `schema_version`
  // when given (tests of an upgrade from an older schema).
  explicit Database(const std::string& path, int schema_version = -1);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void Exec(std::string_view sql);
  Statement Prepare(std::string_view sql) { return Statement(db_, sql); }
  // Runs fn inside BEGIN IMMEDIATE … COMMIT; rolls back if fn throws.
  void Transaction(const std::function<void()>& fn);
  int SchemaVersion();
  int64_t LastInsertId();
  // Rows changed by the last INSERT/UPDATE/DELETE.
  int Changes();
  sqlite3* Handle() { return db_; }

 private:
  void Migrate(int schema_version);
  sqlite3* db_ = nullptr;
};

}  // namespace mizu::backend
