// The SQLite engine (engine.hpp): one file in WAL mode, synchronous=FULL, foreign keys on.
#include <sqlite3.h>

#include "engine.hpp"

namespace mizu::backend::storage {
namespace {

[[noreturn]] void Fail(sqlite3* db, std::string_view what) {
  throw DbError(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "no database"));
}

class SqliteStatement final : public StatementImpl {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }
  void Bind(int index, int64_t value) override {
    if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) Fail(db_, "bind");
  }
  void Bind(int index, std::string_view value) override {
    if (sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT) !=
        SQLITE_OK)
      Fail(db_, "bind");
  }
  void BindNull(int index) override {
    if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) Fail(db_, "bind");
  }
  bool Step() override {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    Fail(db_, "step");
  }
  void Reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  int64_t Int(int column) const override { return sqlite3_column_int64(stmt_, column); }
  std::string Text(int column) const override {
    const auto* p = sqlite3_column_text(stmt_, column);
    return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, column))
             : std::string();
  }
  bool IsNull(int column) const override { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  int ColumnCount() const override { return sqlite3_column_count(stmt_); }
  std::string ColumnName(int column) const override {
    const char* name = sqlite3_column_name(stmt_, column);
    return name ? name : "";
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::string& path, bool read_only) {
    // SQLite counts every allocation under one process-wide mutex unless told not to
    // (SQLITE_CONFIG_MEMSTATUS, sqlite.org/c3ref/c_config_covering_index_scan.html); nothing here reads those
    // counts, and with many request threads that mutex was contended. Possible only before SQLite
    // initialises (first open): a later call answers SQLITE_MISUSE and changes nothing.
    static const int memstatus_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)memstatus_off;
    const int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
      std::string msg = "cannot open database " + path + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory");
      sqlite3_close(db_);
      throw DbError(msg);
    }
    sqlite3_busy_timeout(db_, 5000);
    if (read_only) return;
    try {
      Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
    } catch (...) {
      sqlite3_close(db_);
      throw;
    }
  }
  ~SqliteConnection() override {
    begin_write_.reset();
    begin_read_.reset();
    commit_.reset();
    sqlite3_close(db_);
  }

  Engine engine() const override { return Engine::kSqlite; }

  std::unique_ptr<StatementImpl> Prepare(std::string_view sql, bool if_tables_exist) override {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
      std::string error = sqlite3_errmsg(db_);
      sqlite3_finalize(stmt);
      if (if_tables_exist && error.rfind("no such table", 0) == 0) return nullptr;
      throw DbError("prepare: " + error);
    }
    return std::make_unique<SqliteStatement>(db_, stmt);
  }

  void Exec(std::string_view sql) override {
    std::string s(sql);
    char* err = nullptr;
    if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      throw DbError("exec: " + msg);
    }
  }

  void BeginWrite() override { Once(begin_write_, "BEGIN IMMEDIATE"); }
  void BeginOwnLocks() override { BeginWrite(); }
  void BeginRead() override { Once(begin_read_, "BEGIN"); }
  void Commit() override { Once(commit_, "COMMIT"); }
  void Rollback() noexcept override { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }
  bool InTransaction() override { return !sqlite3_get_autocommit(db_); }
  int64_t LastInsertId() override { return sqlite3_last_insert_rowid(db_); }
  int Changes() override { return sqlite3_changes(db_); }

  int SchemaVersion() override {
    auto s = Prepare("PRAGMA user_version", false);
    s->Step();
    return static_cast<int>(s->Int(0));
  }

  void Migrate(const std::vector<const char*>& migrations, size_t target) override {
    const int version = SchemaVersion();
    if (static_cast<size_t>(version) >= target) return;
    // Foreign keys off while migrating (a no-op inside a transaction, so here), so that a migration can
    // rebuild a referenced table without its DROP cascading; each migration must leave no dangling reference.
    Exec("PRAGMA foreign_keys=OFF");
    try {
      for (size_t i = static_cast<size_t>(version); i < target; ++i) {
        BeginWrite();
        try {
          Exec(migrations[i]);
          if (Prepare("PRAGMA foreign_key_check", false)->Step())
            throw DbError("migration " + std::to_string(i + 1) + " leaves a dangling foreign key");
          Exec("PRAGMA user_version = " + std::to_string(i + 1));
          Commit();
        } catch (...) {
          Rollback();
          throw;
        }
      }
    } catch (...) {
      Exec("PRAGMA foreign_keys=ON");
      throw;
    }
    Exec("PRAGMA foreign_keys=ON");
  }

  sqlite3* SqliteHandle() override { return db_; }

 private:
  // BEGIN/COMMIT run often (every unit of work): prepared once per connection.
  void Once(std::unique_ptr<StatementImpl>& stmt, std::string_view sql) {
    if (!stmt) stmt = Prepare(sql, false);
    stmt->Step();
    stmt->Reset();
  }
  sqlite3* db_ = nullptr;
  std::unique_ptr<StatementImpl> begin_write_, begin_read_, commit_;
};

}  // namespace

std::unique_ptr<Connection> OpenSqlite(const std::string& path, bool read_only) {
  return std::make_unique<SqliteConnection>(path, read_only);
}

}  // namespace mizu::backend::storage
