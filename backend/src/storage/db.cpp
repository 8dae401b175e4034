// Database, Statement, StatementCache and ReaderPool over either engine (engine.hpp); the migration lists
// (migrations.hpp) applied at open.
#include "mizu/backend/db.hpp"

#include <algorithm>

#include "engine.hpp"
#include "migrations.hpp"

namespace mizu::backend {

using storage::Connection;
using storage::StatementImpl;

DatabaseUrl DatabaseUrl::Parse(std::string_view text) {
  if (text.empty()) throw std::invalid_argument("database.url is empty");
  for (std::string_view scheme : {"postgresql://", "postgres://"})
    if (text.substr(0, scheme.size()) == scheme) return {Engine::kPostgres, std::string(text)};
  if (text.substr(0, 7) == "sqlite:") {
    std::string_view path = text.substr(7);
    if (path.substr(0, 2) == "//") path.remove_prefix(2);  // sqlite:///abs/path, as some tools write it
    if (path.empty()) throw std::invalid_argument("database.url: sqlite: needs a file path");
    return {Engine::kSqlite, std::string(path)};
  }
  const auto colon = text.find(':');
  const auto slash = text.find('/');
  if (colon != std::string_view::npos && colon > 1 && (slash == std::string_view::npos || colon < slash))
    throw std::invalid_argument("database.url: unknown scheme (sqlite: or postgresql://)");
  return {Engine::kSqlite, std::string(text)};  // a plain path
}

std::string DatabaseUrl::Redacted() const {
  if (engine == Engine::kSqlite) return "sqlite:" + target;
  // postgresql://user:secret@host/… → postgresql://user:***@host/…
  std::string out = target;
  const auto start = out.find("://") + 3;
  const auto at = out.find('@', start);
  if (at == std::string::npos) return out;
  const auto colon = out.find(':', start);
  if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  return out;
}

// One SQL text of a StatementCache: its idle statements (usually one; more after nested borrows), how many
// of its statements are out, and its neighbours in the cache's order.
struct Statement::Slot {
  std::string sql;
  std::vector<std::unique_ptr<StatementImpl>> idle;
  int borrowed = 0;
  Slot* newer = nullptr;
  Slot* older = nullptr;
};

Statement::Statement(std::unique_ptr<StatementImpl> impl, StatementCache* cache, Slot* slot)
    : impl_(std::move(impl)), cache_(cache), slot_(slot) {}

Statement::Statement(Statement&& other) noexcept
    : impl_(std::move(other.impl_)), cache_(other.cache_), slot_(other.slot_) {}

Statement::~Statement() {
  if (impl_ && cache_) cache_->GiveBack(slot_, std::move(impl_));
}

Statement& Statement::Bind(int index, int64_t value) {
  impl_->Bind(index, value);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  impl_->Bind(index, value);
  return *this;
}

Statement& Statement::BindNull(int index) {
  impl_->BindNull(index);
  return *this;
}

bool Statement::Step() {
  return impl_->Step();
}

void Statement::Run() {
  while (Step()) {
  }
}

void Statement::Reset() {
  impl_->Reset();
}

int64_t Statement::Int(int column) const {
  return impl_->Int(column);
}

std::string Statement::Text(int column) const {
  return impl_->Text(column);
}

bool Statement::IsNull(int column) const {
  return impl_->IsNull(column);
}

int Statement::ColumnCount() const {
  return impl_->ColumnCount();
}

std::string Statement::ColumnName(int column) const {
  return impl_->ColumnName(column);
}

StatementCache::StatementCache(Connection* connection, size_t capacity)
    : connection_(connection), capacity_(std::max<size_t>(1, capacity)) {}

StatementCache::~StatementCache() = default;

void StatementCache::Unlink(Slot* slot) {
  (slot->newer ? slot->newer->older : newest_) = slot->older;
  (slot->older ? slot->older->newer : oldest_) = slot->newer;
  slot->newer = slot->older = nullptr;
}

void StatementCache::PushFront(Slot* slot) {
  slot->older = newest_;
  (newest_ ? newest_->newer : oldest_) = slot;
  newest_ = slot;
}

// Eviction of a slot in the order (no live statement). A slot made by Take and refused by the engine is not
// in the order: Take erases it from the map itself.
void StatementCache::Erase(Slot* slot) {
  Unlink(slot);
  slots_.erase(std::string_view(slot->sql));  // the key views slot->sql: erased before the slot is freed
}

Statement StatementCache::Take(std::string_view sql, bool if_tables_exist, bool& missing_table) {
  missing_table = false;
  auto it = slots_.find(sql);
  if (it == slots_.end()) {
    auto slot = std::make_unique<Slot>();
    slot->sql = std::string(sql);
    const std::string_view key = slot->sql;
    it = slots_.emplace(key, std::move(slot)).first;  // not in the order: about to be borrowed
  } else if (it->second->borrowed == 0) {
    Unlink(it->second.get());  // borrowed from now on: out of eviction's reach
  }
  Slot* slot = it->second.get();
  std::unique_ptr<StatementImpl> impl;
  if (!slot->idle.empty()) {
    impl = std::move(slot->idle.back());
    slot->idle.pop_back();
  } else {
    // Only a new slot or one with live statements has none idle: neither is in the order.
    ++prepares_;
    try {
      impl = connection_->Prepare(sql, if_tables_exist);
    } catch (...) {
      if (slot->borrowed == 0) slots_.erase(std::string_view(slot->sql));  // a refused text keeps no slot
      throw;
    }
    if (!impl) {
      missing_table = true;
      if (slot->borrowed == 0) slots_.erase(std::string_view(slot->sql));
      return Statement(nullptr, nullptr, nullptr);
    }
  }
  ++slot->borrowed;
  return Statement(std::move(impl), this, slot);
}

Statement StatementCache::Borrow(std::string_view sql) {
  bool missing_table = false;
  return Take(sql, false, missing_table);
}

std::optional<Statement> StatementCache::BorrowIfTablesExist(std::string_view sql) {
  bool missing_table = false;
  Statement statement = Take(sql, true, missing_table);
  if (missing_table) return std::nullopt;
  return statement;
}

void StatementCache::GiveBack(Slot* slot, std::unique_ptr<StatementImpl> impl) {
  impl->Reset();
  slot->idle.push_back(std::move(impl));
  if (--slot->borrowed == 0) PushFront(slot);  // back in the order, as its most recent
  // Beyond capacity: the least recently used texts (their statements finalized). Texts with live statements
  // are not in the order, so each give-back evicts in constant time however many are held.
  while (slots_.size() > capacity_ && oldest_) Erase(oldest_);
}

namespace {

std::unique_ptr<Connection> OpenConnection(const std::string& url, bool read_only) {
  const DatabaseUrl parsed = DatabaseUrl::Parse(url);
  return parsed.engine == Engine::kPostgres ? storage::OpenPostgres(parsed.target, read_only)
                                            : storage::OpenSqlite(parsed.target, read_only);
}

}  // namespace

Database::Database(const std::string& url, int schema_version) : connection_(OpenConnection(url, false)) {
  cache_ = std::make_unique<StatementCache>(connection_.get());
  const auto& migrations =
      connection_->engine() == Engine::kPostgres ? PostgresMigrations() : SchemaMigrations();
  const size_t target =
      schema_version < 0 ? migrations.size() : std::min(migrations.size(), size_t(schema_version));
  connection_->Migrate(migrations, target);
}

Database::Database(const std::string& url, ReadOnly) : connection_(OpenConnection(url, true)) {
  cache_ = std::make_unique<StatementCache>(connection_.get());
}

Database::~Database() {
  cache_.reset();  // statements before their connection
}

Engine Database::engine() const {
  return connection_->engine();
}

void Database::Exec(std::string_view sql) {
  connection_->Exec(sql);
}

void Database::Transaction(const std::function<void()>& fn) {
  connection_->BeginWrite();
  try {
    fn();
    connection_->Commit();
  } catch (...) {
    connection_->Rollback();
    throw;
  }
}

void Database::TransactionOwnLocks(const std::function<void()>& fn) {
  connection_->BeginOwnLocks();
  try {
    fn();
    connection_->Commit();
  } catch (...) {
    connection_->Rollback();
    throw;
  }
}

void Database::Snapshot(const std::function<void()>& fn) {
  connection_->BeginRead();
  try {
    fn();
    connection_->Commit();
  } catch (...) {
    connection_->Rollback();
    throw;
  }
}

void Database::BeginRead() {
  connection_->BeginRead();
}

void Database::Commit() {
  connection_->Commit();
}

void Database::Rollback() noexcept {
  connection_->Rollback();
}

bool Database::InTransaction() {
  return connection_->InTransaction();
}

int Database::SchemaVersion() {
  return connection_->SchemaVersion();
}

int64_t Database::LastInsertId() {
  return connection_->LastInsertId();
}

int Database::Changes() {
  return connection_->Changes();
}

sqlite3* Database::SqliteHandle() {
  return connection_->SqliteHandle();
}

ReaderPool::ReaderPool(std::string url, int max_connections)
    : url_(std::move(url)), max_(std::max(1, max_connections)) {}

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
    return Lease(this, std::make_unique<Database>(url_, Database::ReadOnly{}));
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
