#pragma once
// The two storage engines behind Database (db.hpp): what each must provide. Private to the storage room;
// services see only Database and Statement.
//   sqlite_engine.cpp   one SQLite file (WAL), the embedded default
//   pg_engine.cpp       a PostgreSQL 15 server through libpq, for several servers on one database
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mizu/backend/db.hpp"

namespace mizu::backend::storage {

// One prepared statement of one connection. Binds are 1-based; Reset rewinds and clears the bindings.
class StatementImpl {
 public:
  virtual ~StatementImpl() = default;
  virtual void Bind(int index, int64_t value) = 0;
  virtual void Bind(int index, std::string_view value) = 0;
  virtual void BindNull(int index) = 0;
  virtual bool Step() = 0;
  virtual void Reset() = 0;
  virtual int64_t Int(int column) const = 0;
  virtual std::string Text(int column) const = 0;
  virtual bool IsNull(int column) const = 0;
  virtual int ColumnCount() const = 0;
  virtual std::string ColumnName(int column) const = 0;
};

// One connection. Transactions: BeginWrite serialises writers (SQLite: BEGIN IMMEDIATE; PostgreSQL: a
// transaction-scoped advisory lock, so the domain code keeps its one-writer-at-a-time reasoning across
// servers), BeginRead gives one snapshot for every read until Commit.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Engine engine() const = 0;
  // nullptr only when if_tables_exist and the text names a table that does not exist. Throws DbError.
  virtual std::unique_ptr<StatementImpl> Prepare(std::string_view sql, bool if_tables_exist) = 0;
  virtual void Exec(std::string_view sql) = 0;
  virtual void BeginWrite() = 0;
  // A write transaction that does not take the writers' turn (PostgreSQL: plain BEGIN; the unit locks what
  // it touches itself); SQLite has one writer at a time anyway (BEGIN IMMEDIATE).
  virtual void BeginOwnLocks() = 0;
  virtual void BeginRead() = 0;
  virtual void Commit() = 0;
  virtual void Rollback() noexcept = 0;
  virtual bool InTransaction() = 0;
  virtual int64_t LastInsertId() = 0;
  virtual int Changes() = 0;
  virtual int SchemaVersion() = 0;
  // Applies migrations[version … target-1] (each in its own transaction) and records the version.
  virtual void Migrate(const std::vector<const char*>& migrations, size_t target) = 0;
  virtual sqlite3* SqliteHandle() { return nullptr; }
};

std::unique_ptr<Connection> OpenSqlite(const std::string& path, bool read_only);
std::unique_ptr<Connection> OpenPostgres(const std::string& conninfo, bool read_only);

}  // namespace mizu::backend::storage
