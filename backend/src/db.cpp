// SQLite wrapper and the schema migrations (append-only: never edit a shipped migration, add a new one).
#include "mizu/backend/db.hpp"

#include <sqlite3.h>

#include <vector>

namespace mizu::backend {
namespace {

// Each entry is one migration; its index + 1 is the schema version it brings the database to.
const std::vector<const char*>& Migrations() {
  static const std::vector<const char*> migrations = {
      // 1: settings the server keeps about itself (e.g. when the scheduler last ran).
      R"sql(
        CREATE TABLE server_state (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT;
      )sql",
      // 2: the mail outbox (mail.hpp): one row per outgoing message; the partial index serves the relay's due
      // query, the second one staff looking up a recipient's mail.
      R"sql(
        CREATE TABLE mail_outbox (
          id INTEGER PRIMARY KEY,
          message_key TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL,
          lang TEXT NOT NULL,
          to_addr TEXT NOT NULL,
          to_name TEXT NOT NULL,
          subject TEXT NOT NULL,
          body_text TEXT NOT NULL,
          status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
          attempts INTEGER NOT NULL DEFAULT 0,
          created_at INTEGER NOT NULL,
          next_attempt_at INTEGER NOT NULL,
          claim TEXT,
          last_attempt_at INTEGER,
          sent_at INTEGER,
          last_error TEXT
        ) STRICT;
        CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id) WHERE status IN ('pending', 'sending');
        CREATE INDEX mail_outbox_to ON mail_outbox (to_addr COLLATE NOCASE, created_at);
      )sql",
      // 3: accounts and identity — the customer master (from the CIS), accounts, the contracts linked to them,
      // sessions, one-time codes, sign-up tokens, machine tokens and an audit trail. Secrets are stored hashed.
      R"sql(
        CREATE TABLE customers (
          customer_number TEXT PRIMARY KEY,
          holder_name TEXT NOT NULL,
          holder_kana TEXT NOT NULL,
          address TEXT NOT NULL,
          bureau_phone TEXT NOT NULL,
          meter_id TEXT,
          smart_meter INTEGER NOT NULL DEFAULT 0,
          diameter_mm INTEGER NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'closed')),
          paper_notice INTEGER NOT NULL DEFAULT 1,
          updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX customers_meter ON customers (meter_id) WHERE meter_id IS NOT NULL;
        CREATE TABLE accounts (
          id INTEGER PRIMARY KEY,
          email TEXT NOT NULL UNIQUE COLLATE NOCASE,
          password_hash TEXT NOT NULL,
          applicant_phone TEXT NOT NULL,
          lang TEXT NOT NULL DEFAULT 'ja',
          created_at INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE contract_links (
          customer_number TEXT PRIMARY KEY REFERENCES customers (customer_number),
          account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
          relationship TEXT NOT NULL CHECK (relationship IN ('self', 'family', 'other')),
          consent INTEGER NOT NULL,
          is_primary INTEGER NOT NULL DEFAULT 0,
          linked_at INTEGER NOT NULL,
          visible_from INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX contract_links_account ON contract_links (account_id);
        CREATE TABLE sessions (
          token_hash TEXT PRIMARY KEY,
          account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
          remember INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          last_seen_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX sessions_account ON sessions (account_id);
        CREATE TABLE codes (
          id INTEGER PRIMARY KEY,
          purpose TEXT NOT NULL CHECK (purpose IN ('signup', 'reset', 'email_change')),
          email TEXT NOT NULL COLLATE NOCASE,
          account_id INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
          code_hash TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          state TEXT NOT NULL DEFAULT 'live' CHECK (state IN ('live', 'used', 'superseded', 'dead'))
        ) STRICT;
        CREATE INDEX codes_lookup ON codes (purpose, email, created_at);
        CREATE TABLE signup_tokens (
          token_hash TEXT PRIMARY KEY,
          email TEXT NOT NULL,
          expires_at INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE api_tokens (
          token_hash TEXT PRIMARY KEY,
          scope TEXT NOT NULL CHECK (scope IN ('ingest', 'import')),
          label TEXT NOT NULL,
          created_at INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE audit_log (
          id INTEGER PRIMARY KEY,
          at INTEGER NOT NULL,
          account_id INTEGER,
          event TEXT NOT NULL,
          detail TEXT NOT NULL DEFAULT ''
        ) STRICT;
      )sql",
  };
  return migrations;
}

[[noreturn]] void Fail(sqlite3* db, std::string_view what) {
  throw DbError(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "no database"));
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) != SQLITE_OK)
    Fail(db, "prepare");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::Bind(int index, int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) Fail(db_, "bind");
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  if (sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT) != SQLITE_OK)
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

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::Text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, column)) : std::string();
}

bool Statement::IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

Database::Database(const std::string& path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string msg = "cannot open database " + path + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory");
    sqlite3_close(db_);
    throw DbError(msg);
  }
  sqlite3_busy_timeout(db_, 5000);
  Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
  Migrate();
}

Database::~Database() { sqlite3_close(db_); }

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

int64_t Database::LastInsertId() { return sqlite3_last_insert_rowid(db_); }
int Database::Changes() { return sqlite3_changes(db_); }

void Database::Migrate() {
  const auto& migrations = Migrations();
  int version = SchemaVersion();
  for (size_t i = static_cast<size_t>(version); i < migrations.size(); ++i) {
    Transaction([&] {
      Exec(migrations[i]);
      Exec("PRAGMA user_version = " + std::to_string(i + 1));
    });
  }
}

}  // namespace mizu::backend
