// SQLite wrapper: statements, transactions, and applying the schema migrations (migrations.cpp) at open.
#include "mizu/backend/db.hpp"

#include <algorithm>

#include "migrations.hpp"

#include <sqlite3.h>

#include <vector>

namespace mizu::backend {
namespace {

[[noreturn]] void Fail(sqlite3* db, std::string_view what) {
  throw DbError(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "no database"));
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) != SQLITE_OK)
    Fail(db, "prepare");
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement& Statement::Bind(int index, int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) Fail(db_, "bind");
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  if (sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT) !=
      SQLITE_OK)
    Fail(db_, "bind");
  return *this;
}

Statement& Statement::BindNull(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) Fail(db_, "bind");
  return *this;
}

bool Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Fail(db_, "step");
}

void Statement::Run() {
  while (Step()) {
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::Int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::Text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, column))
           : std::string();
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Database::Database(const std::string& path, int schema_version) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string msg = "cannot open database " + path + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory");
    sqlite3_close(db_);
    throw DbError(msg);
  }
  sqlite3_busy_timeout(db_, 5000);
  Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
  Migrate(schema_version);
}

Database::~Database() {
  sqlite3_close(db_);
}

void Database::Exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw DbError("exec: " + msg);
  }
}

void Database::Transaction(const std::function<void()>& fn) {
  Exec("BEGIN IMMEDIATE");
  try {
    fn();
    Exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

int Database::SchemaVersion() {
  Statement s(db_, "PRAGMA user_version");
  s.Step();
  return static_cast<int>(s.Int(0));
}

int64_t Database::LastInsertId() {
  return sqlite3_last_insert_rowid(db_);
}
int Database::Changes() {
  return sqlite3_changes(db_);
}

void Database::Migrate(int schema_version) {
  const auto& migrations = SchemaMigrations();
  size_t target =
      schema_version < 0 ? migrations.size() : std::min(migrations.size(), size_t(schema_version));
  int version = SchemaVersion();
  if (static_cast<size_t>(version) >= target) return;
  // Foreign keys off while migrating (a no-op inside a transaction, so here), so that a migration can rebuild
  // a referenced table without its DROP cascading; each migration must leave no dangling reference.
  Exec("PRAGMA foreign_keys=OFF");
  try {
    for (size_t i = static_cast<size_t>(version); i < target; ++i) {
      Transaction([&] {
        Exec(migrations[i]);
        Statement check(db_, "PRAGMA foreign_key_check");
        if (check.Step())
          throw DbError("migration " + std::to_string(i + 1) + " leaves a dangling foreign key");
        Exec("PRAGMA user_version = " + std::to_string(i + 1));
      });
    }
  } catch (...) {
    Exec("PRAGMA foreign_keys=ON");
    throw;
  }
  Exec("PRAGMA foreign_keys=ON");
}

}  // namespace mizu::backend
