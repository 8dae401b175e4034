// The PostgreSQL engine (engine.hpp) on libpq (postgresql.org/docs/15/libpq.html): statements prepared once
// per connection (PQprepare) and run with text-format parameters; a write transaction takes one
// transaction-scoped advisory lock, so writers take turns across every server on the database as they do
// on one SQLite file, and the domain code's read-check-write units stay correct without a second copy.
#include <libpq-fe.h>

#include <cstdlib>
#include <mutex>

#include "engine.hpp"
#include "pg_sql.hpp"

namespace mizu::backend::storage {
namespace {

// pg_advisory_xact_lock keys (any two 64-bit numbers the project owns): the writers' turn, migrations.
constexpr const char* kBeginWrite = "BEGIN; SELECT pg_advisory_xact_lock(7310001)";
constexpr const char* kMigrationLock = "SELECT pg_advisory_lock(7310002)";
constexpr const char* kMigrationUnlock = "SELECT pg_advisory_unlock(7310002)";

std::string ErrorOf(PGconn* conn, const PGresult* result) {
  std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (result)
    if (const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE))
      message += std::string(" [SQLSTATE ") + state + "]";
  return message;
}

bool Ok(const PGresult* result) {
  const auto status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

struct Result {
  PGresult* get = nullptr;
  explicit Result(PGresult* r) : get(r) {}
  ~Result() { PQclear(get); }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
};

class PgConnection;

class PgStatement final : public StatementImpl {
 public:
  PgStatement(PgConnection& connection, std::string name, std::string text, std::vector<Oid> types,
              uint64_t generation)
      : connection_(connection),
        name_(std::move(name)),
        text_(std::move(text)),
        types_(std::move(types)),
        generation_(generation),
        values_(types_.size()),
        bound_(types_.size()) {}
  ~PgStatement() override;
  void Bind(int index, int64_t value) override { Set(index, std::to_string(value)); }
  void Bind(int index, std::string_view value) override { Set(index, std::string(value)); }
  void BindNull(int index) override {
    Check(index);
    bound_[index - 1] = false;
  }
  bool Step() override;
  void Reset() override {
    PQclear(result_);
    result_ = nullptr;
    row_ = -1;
    std::fill(bound_.begin(), bound_.end(), false);
  }
  int64_t Int(int column) const override {
    if (PQgetisnull(result_, row_, column)) return 0;
    const char* v = PQgetvalue(result_, row_, column);
    if (v[0] == 't' && v[1] == 0) return 1;  // a boolean expression's value
    if (v[0] == 'f' && v[1] == 0) return 0;
    return std::strtoll(v, nullptr, 10);
  }
  std::string Text(int column) const override {
    if (PQgetisnull(result_, row_, column)) return {};
    return std::string(PQgetvalue(result_, row_, column), PQgetlength(result_, row_, column));
  }
  bool IsNull(int column) const override { return PQgetisnull(result_, row_, column); }
  int ColumnCount() const override { return result_ ? PQnfields(result_) : 0; }
  std::string ColumnName(int column) const override { return result_ ? PQfname(result_, column) : ""; }

 private:
  void Check(int index) const {
    if (index < 1 || index > static_cast<int>(values_.size()))
      throw DbError("bind: parameter " + std::to_string(index) + " out of range");
  }
  void Set(int index, std::string value) {
    Check(index);
    values_[index - 1] = std::move(value);
    bound_[index - 1] = true;
  }
  PgConnection& connection_;
  std::string name_;
  std::string text_;        // as prepared, to prepare again on a new session (after a reconnect)
  std::vector<Oid> types_;  // one per parameter
  uint64_t generation_;     // the connection's session it was prepared on
  std::vector<std::string> values_;
  std::vector<bool> bound_;  // false: NULL (as SQLite treats a parameter never bound)
  PGresult* result_ = nullptr;
  int row_ = -1;
};

class PgConnection final : public Connection {
 public:
  PgConnection(const std::string& conninfo, bool read_only) {
    conn_ = PQconnectdb(conninfo.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string message = PQerrorMessage(conn_);
      PQfinish(conn_);
      while (!message.empty() && message.back() == '\n') message.pop_back();
      throw DbError("cannot connect to PostgreSQL: " + message);
    }
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);  // "already exists, skipping" etc.
    setup_ =
        read_only ? "SET default_transaction_read_only = on; SET TIME ZONE 'UTC'" : "SET TIME ZONE 'UTC'";
    Exec(setup_);
  }

  // A connection the server dropped (a restart, a fail-over to the standby the URL also names with
  // target_session_attrs=read-write): a new session, whose statements are prepared again as they are used.
  bool Reconnect() {
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) return false;
    ++generation_;
    Result r(PQexec(conn_, setup_.c_str()));
    return Ok(r.get);
  }
  bool Broken() const { return PQstatus(conn_) == CONNECTION_BAD; }
  uint64_t generation() const { return generation_; }
  ~PgConnection() override { PQfinish(conn_); }

  Engine engine() const override { return Engine::kPostgres; }
  PGconn* conn() { return conn_; }
  void SetChanges(int n) { changes_ = n; }

  std::unique_ptr<StatementImpl> Prepare(std::string_view sql, bool if_tables_exist) override {
    std::vector<bool> used;
    const std::string text = PostgresSql(sql, &used);
    // A parameter the text skips has no context to give it a type: text (25, pg_type's oid), bound or not.
    std::vector<Oid> types(used.size(), 0);
    for (size_t i = 0; i < used.size(); ++i)
      if (!used[i]) types[i] = 25;
    const std::string name = "m" + std::to_string(++statements_);
    // A failed prepare inside a transaction would abort it: a savepoint keeps the transaction usable when
    // a missing table is an answer, not an error.
    const bool guard = if_tables_exist && InTransaction();
    if (guard) Exec("SAVEPOINT mizu_prepare");
    Result prepared(
        PQprepare(conn_, name.c_str(), text.c_str(), static_cast<int>(types.size()), types.data()));
    if (!Ok(prepared.get)) {
      const char* state = PQresultErrorField(prepared.get, PG_DIAG_SQLSTATE);
      const std::string error = ErrorOf(conn_, prepared.get);
      if (guard) Exec("ROLLBACK TO SAVEPOINT mizu_prepare; RELEASE SAVEPOINT mizu_prepare");
      if (if_tables_exist && state && std::string_view(state) == "42P01") return nullptr;  // undefined_table
      throw DbError("prepare: " + error + " in: " + text);
    }
    if (guard) Exec("RELEASE SAVEPOINT mizu_prepare");
    Result described(PQdescribePrepared(conn_, name.c_str()));
    if (!Ok(described.get)) throw DbError("describe: " + ErrorOf(conn_, described.get));
    // A parameter PostgreSQL typed as a 32-bit integer from its context (`?3 = 0`, `? / 3600`) would refuse
    // an epoch time past 2038 or a large count: every integer parameter is 64 bits, as SQLite's (oids 23
    // int4 → 20 int8), so such a statement is prepared again with those declared.
    const int params = PQnparams(described.get);
    bool narrow = false;
    types.resize(static_cast<size_t>(params), 0);
    for (int i = 0; i < params; ++i)
      if (PQparamtype(described.get, i) == 23) {
        types[static_cast<size_t>(i)] = 20;
        narrow = true;
      }
    if (narrow) {
      Exec("DEALLOCATE " + name);
      Result again(PQprepare(conn_, name.c_str(), text.c_str(), params, types.data()));
      if (!Ok(again.get)) throw DbError("prepare: " + ErrorOf(conn_, again.get) + " in: " + text);
    }
    return std::make_unique<PgStatement>(*this, name, text, std::move(types), generation_);
  }

  void Exec(std::string_view sql) override {
    Result r(PQexec(conn_, std::string(sql).c_str()));
    if (!Ok(r.get)) throw DbError("exec: " + ErrorOf(conn_, r.get));
  }

  void BeginWrite() override { Begin(kBeginWrite); }
  void BeginOwnLocks() override { Begin("BEGIN"); }
  void BeginRead() override { Begin("BEGIN ISOLATION LEVEL REPEATABLE READ"); }
  void Commit() override {
    Result r(PQexec(conn_, "COMMIT"));
    if (!Ok(r.get)) throw DbError("commit: " + ErrorOf(conn_, r.get));
    // COMMIT of a transaction an error aborted answers "ROLLBACK": nothing was kept.
    if (std::string_view(PQcmdStatus(r.get)) == "ROLLBACK")
      throw DbError("commit: the transaction was rolled back");
  }
  void Rollback() noexcept override { PQclear(PQexec(conn_, "ROLLBACK")); }
  bool InTransaction() override { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }

  int64_t LastInsertId() override {
    Result r(PQexec(conn_, "SELECT lastval()"));
    if (!Ok(r.get)) throw DbError("lastval: " + ErrorOf(conn_, r.get));
    return std::strtoll(PQgetvalue(r.get, 0, 0), nullptr, 10);
  }
  int Changes() override { return changes_; }

  int SchemaVersion() override {
    Result r(PQexec(conn_, "SELECT version FROM mizu_schema"));
    if (PQresultStatus(r.get) != PGRES_TUPLES_OK) return 0;  // no table yet: a new database
    return PQntuples(r.get) ? std::atoi(PQgetvalue(r.get, 0, 0)) : 0;
  }

  void Migrate(const std::vector<const char*>& migrations, size_t target) override {
    Exec(kMigrationLock);  // two servers starting together: one migrates, the other then finds it done
    try {
      Exec("CREATE TABLE IF NOT EXISTS mizu_schema (version INTEGER NOT NULL)");
      for (size_t i = static_cast<size_t>(SchemaVersion()); i < target; ++i) {
        BeginWrite();
        try {
          if (migrations[i] && *migrations[i]) Exec(migrations[i]);
          Exec("DELETE FROM mizu_schema; INSERT INTO mizu_schema (version) VALUES (" + std::to_string(i + 1) +
               ")");
          Commit();
        } catch (...) {
          Rollback();
          throw;
        }
      }
    } catch (...) {
      PQclear(PQexec(conn_, kMigrationUnlock));
      throw;
    }
    Exec(kMigrationUnlock);
  }

 private:
  // A unit of work begins on a live session: a connection found dropped is reset once and the BEGIN sent
  // again (nothing of the unit has run yet, so nothing can run twice).
  void Begin(const char* sql) {
    if (Broken()) Reconnect();
    Result r(PQexec(conn_, sql));
    if (Ok(r.get)) return;
    const std::string error = ErrorOf(conn_, r.get);
    if (!Broken() || !Reconnect()) throw DbError("begin: " + error);
    Exec(sql);
  }

  PGconn* conn_ = nullptr;
  std::string setup_;
  uint64_t generation_ = 0;
  uint64_t statements_ = 0;
  int changes_ = 0;
};

PgStatement::~PgStatement() {
  PQclear(result_);
  if (generation_ != connection_.generation() || connection_.Broken()) return;  // gone with its session
  const std::string deallocate = "DEALLOCATE " + name_;
  PQclear(PQexec(connection_.conn(), deallocate.c_str()));
}

bool PgStatement::Step() {
  if (!result_) {
    if (connection_.Broken() && !connection_.InTransaction()) connection_.Reconnect();
    if (generation_ != connection_.generation()) {
      Result again(PQprepare(connection_.conn(), name_.c_str(), text_.c_str(),
                             static_cast<int>(types_.size()), types_.data()));
      if (!Ok(again.get))
        throw DbError("prepare: " + ErrorOf(connection_.conn(), again.get) + " in: " + text_);
      generation_ = connection_.generation();
    }
    std::vector<const char*> pointers(values_.size());
    for (size_t i = 0; i < values_.size(); ++i) pointers[i] = bound_[i] ? values_[i].c_str() : nullptr;
    result_ = PQexecPrepared(connection_.conn(), name_.c_str(), static_cast<int>(values_.size()),
                             pointers.data(), nullptr, nullptr, 0);
    if (!Ok(result_)) {
      const std::string error = ErrorOf(connection_.conn(), result_);
      PQclear(result_);
      result_ = nullptr;
      throw DbError("step: " + error);
    }
    // As sqlite3_changes: the rows the last INSERT, UPDATE or DELETE changed (a SELECT leaves it).
    const std::string_view tag = PQcmdStatus(result_);
    if (tag.rfind("INSERT", 0) == 0 || tag.rfind("UPDATE", 0) == 0 || tag.rfind("DELETE", 0) == 0)
      connection_.SetChanges(std::atoi(PQcmdTuples(result_)));
    row_ = -1;
  }
  return ++row_ < PQntuples(result_);
}

}  // namespace

std::unique_ptr<Connection> OpenPostgres(const std::string& conninfo, bool read_only) {
  return std::make_unique<PgConnection>(conninfo, read_only);
}

}  // namespace mizu::backend::storage
