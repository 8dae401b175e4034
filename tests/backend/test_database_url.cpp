// The database URL (db.hpp DatabaseUrl: database.url / MIZU_DATABASE_URL) and the SQL text as PostgreSQL
// reads it (storage/pg_sql.hpp): parameters renumbered by SQLite's rules, quoted text left alone.
#include <catch2/catch.hpp>
#include <stdexcept>

#include "migrations.hpp"
#include "mizu/backend/db.hpp"
#include "pg_sql.hpp"

using mizu::backend::DatabaseUrl;
using mizu::backend::Engine;
using mizu::backend::storage::PostgresSql;

TEST_CASE("database url: sqlite paths and postgresql URIs are told apart, other schemes refused") {
  auto plain = DatabaseUrl::Parse("var/mizumori.db");
  CHECK(plain.engine == Engine::kSqlite);
  CHECK(plain.target == "var/mizumori.db");
  CHECK(DatabaseUrl::Parse("sqlite:var/m.db").target == "var/m.db");
  CHECK(DatabaseUrl::Parse("sqlite:///srv/m.db").target == "/srv/m.db");
  CHECK(DatabaseUrl::Parse("/tmp/a:b/m.db").engine == Engine::kSqlite);  // a colon after a slash is a path
  auto pg = DatabaseUrl::Parse("postgresql://mizu:s3cret@db1:5432/mizumori?sslmode=require");
  CHECK(pg.engine == Engine::kPostgres);
  CHECK(pg.target == "postgresql://mizu:s3cret@db1:5432/mizumori?sslmode=require");
  CHECK(pg.Redacted() == "postgresql://mizu:***@db1:5432/mizumori?sslmode=require");
  CHECK(DatabaseUrl::Parse("postgres://db1/m").engine == Engine::kPostgres);
  CHECK(DatabaseUrl::Parse("postgres://db1/m").Redacted() == "postgres://db1/m");
  CHECK_THROWS_AS(DatabaseUrl::Parse(""), std::invalid_argument);
  CHECK_THROWS_AS(DatabaseUrl::Parse("sqlite:"), std::invalid_argument);
  CHECK_THROWS_AS(DatabaseUrl::Parse("mysql://db1/m"), std::invalid_argument);
}

TEST_CASE("database url: PostgreSQL's text numbers parameters as SQLite does and leaves quotes alone") {
  CHECK(PostgresSql("SELECT a FROM t WHERE b = ? AND c = ?") == "SELECT a FROM t WHERE b = $1 AND c = $2");
  CHECK(PostgresSql("UPDATE t SET a = ?2 WHERE id = ?1 AND b = ?2") ==
        "UPDATE t SET a = $2 WHERE id = $1 AND b = $2");
  // SQLite: a bare ? after ?N takes one more than the largest number so far.
  CHECK(PostgresSql("SELECT ?3, ?, ?1, ?") == "SELECT $3, $4, $1, $5");
  CHECK(PostgresSql("SELECT '?', \"a?b\", 'it''s ?' FROM t WHERE x = ?") ==
        "SELECT '?', \"a?b\", 'it''s ?' FROM t WHERE x = $1");
  CHECK(PostgresSql("SELECT 1 FROM accounts WHERE email = ?1 COLLATE NOCASE") ==
        "SELECT 1 FROM accounts WHERE email = $1::citext");
  CHECK(PostgresSql("SELECT 'x COLLATE NOCASE'") == "SELECT 'x COLLATE NOCASE'");
}

TEST_CASE("database url: both engines have a migration for every schema version") {
  // A migration added to one list only would leave the other engine a version behind.
  CHECK(mizu::backend::PostgresMigrations().size() == mizu::backend::SchemaMigrations().size());
  CHECK(mizu::backend::SchemaMigrations().size() >= 16);
}

TEST_CASE("database url: the parameters a text skips are told apart from those it names") {
  std::vector<bool> used;
  CHECK(PostgresSql("SELECT 1 WHERE a = ?2 AND b = ?3 AND c = ?2", &used) ==
        "SELECT 1 WHERE a = $2 AND b = $3 AND c = $2");
  CHECK(used == std::vector<bool>{false, true, true});
}
