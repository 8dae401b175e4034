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

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), cache_(other.cache_), sql_(std::move(other.sql_)) {
  other.stmt_ = nullptr;
}

Statement::~Statement() {
  if (!stmt_) return;
  if (cache_)
    cache_->GiveBack(std::move(sql_), stmt_);
  else
    sqlite3_finalize(stmt_);
}

StatementCache::~StatementCache() {
  for (auto& [sql, stmt] : idle_) sqlite3_finalize(stmt);
}

sqlite3_stmt* StatementCache::TakeIdle(std::string_view sql) {
  auto it = index_.find(sql);
  if (it == index_.end()) return nullptr;
  sqlite3_stmt* stmt = it->second->second;
  auto entry = it->second;
  index_.erase(it);
  idle_.erase(entry);
  return stmt;
}

Statement StatementCache::Borrow(std::string_view sql) {
  if (sqlite3_stmt* idle = TakeIdle(sql)) return Statement(db_, idle, this, std::string(sql));
  sqlite3_stmt* stmt = nullptr;
  ++prepares_;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt);
    Fail(db_, "prepare");
  }
  return Statement(db_, stmt, this, std::string(sql));
}

std::optional<Statement> StatementCache::BorrowIfTablesExist(std::string_view sql) {
  if (sqlite3_stmt* idle = TakeIdle(sql)) return Statement(db_, idle, this, std::string(sql));
  sqlite3_stmt* stmt = nullptr;
  ++prepares_;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
    std::string error = sqlite3_errmsg(db_);
    sqlite3_finalize(stmt);
    if (error.rfind("no such table", 0) == 0) return std::nullopt;
    throw DbError("prepare: " + error);
  }
  return Statement(db_, stmt, this, std::string(sql));
}

void StatementCache::GiveBack(std::string sql, sqlite3_stmt* stmt) {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  idle_.emplace_front(std::move(sql), stmt);
  index_.emplace(idle_.front().first, idle_.begin());
  if (idle_.size() <= capacity_) return;
  auto& [old_sql, old_stmt] = idle_.back();
  auto [first, last] = index_.equal_range(old_sql);
  for (auto it = first; it != last; ++it)
    if (it->second == std::prev(idle_.end())) {
      index_.erase(it);
      break;
    }
  sqlite3_finalize(old_stmt);
  idle_.pop_back();
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

void Database::Open(const std::string& path, int flags) {
  // SQLite counts every allocation under one process-wide mutex unless told not to (SQLITE_CONFIG_MEMSTATUS,
  // sqlite.org/c3ref/c_config_covering_index_scan.html); nothing here reads those counts, and with many
  // request threads that mutex was contended. Possible only before SQLite initialises (first open): a later
  // call answers SQLITE_MISUSE and changes nothing.
  static const int memstatus_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)memstatus_off;
  if (sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    std::string msg = "cannot open database " + path + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory");
    sqlite3_close(db_);
    db_ = nullptr;
    throw DbError(msg);
  }
  cache_ = std::make_unique<StatementCache>(db_);
  sqlite3_busy_timeout(db_, 5000);
}

Database::Database(const std::string& path, int schema_version) {
  Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  try {
    Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
    Migrate(schema_version);
  } catch (...) {
    cache_.reset();
    sqlite3_close(db_);
    throw;
  }
}

Database::Database(const std::string& path, ReadOnly) {
  Open(path, SQLITE_OPEN_READONLY);
}

Database::~Database() {
  cache_.reset();
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
  Prepare("BEGIN IMMEDIATE").Run();
  try {
    fn();
    Prepare("COMMIT").Run();
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void Database::Snapshot(const std::function<void()>& fn) {
  Prepare("BEGIN").Run();
  try {
    fn();
    Prepare("COMMIT").Run();
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

int Database::SchemaVersion() {
  auto s = Prepare("PRAGMA user_version");
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

ReaderPool::ReaderPool(std::string path, int max_connections)
    : path_(std::move(path)), max_(std::max(1, max_connections)) {}

ReaderPool::~ReaderPool() = default;

ReaderPool::Lease::~Lease() {
  if (db_) pool_->Return(std::move(db_));
}

ReaderPool::Lease ReaderPool::Acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [&] { return !idle_.empty() || open_ < max_; });
  if (!idle_.empty()) {
    auto db = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(db));
  }
  ++open_;
  lock.unlock();
  try {
    return Lease(this, std::make_unique<Database>(path_, Database::ReadOnly{}));
  } catch (...) {
    std::lock_guard relock(mutex_);
    --open_;
    available_.notify_one();
    throw;
  }
}

void ReaderPool::Return(std::unique_ptr<Database> db) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(db));
  }
  available_.notify_one();
}

int ReaderPool::Open() const {
  std::lock_guard lock(mutex_);
  return open_;
}

}  // namespace mizu::backend
