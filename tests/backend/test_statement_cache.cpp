// The per-connection statement cache (db.hpp): a text is prepared once per connection and reused, two live
// borrows of one text are two statements, a borrowed statement comes back reset with no bindings, the idle
// set is bounded, and a missing day table is told apart from a bad text. Through real SQLite files.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "mizu/backend/db.hpp"
#include "server_fixture.hpp"

using mizu::backend::Database;
using mizu::backend::DbError;

namespace {

class TempDb {
 public:
  TempDb() : dir_("mizu-stmt"), db_((dir_ / "t.db").string()) {
    db_.Exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)");
    db_.Exec("INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three')");
  }
  Database& operator*() { return db_; }
  std::string Path() const { return (dir_ / "t.db").string(); }

 private:
  mizu::testing::TempDir dir_;  // first: removed after the database is closed
  Database db_;
};

std::string ValueOf(Database& db, int64_t key) {
  auto q = db.Prepare("SELECT v FROM t WHERE k = ?");
  q.Bind(1, key);
  return q.Step() ? q.Text(0) : std::string("(none)");
}

}  // namespace

TEST_CASE("A statement text is prepared once per connection and reused", "[sqlite][db][statement_cache]") {
  TempDb db;
  const uint64_t before = (*db).StatementsPrepared();
  for (int64_t k = 1; k <= 3; ++k) ValueOf(*db, k);
  for (int i = 0; i < 100; ++i) CHECK(ValueOf(*db, 2) == "two");
  CHECK((*db).StatementsPrepared() - before == 1);
}

TEST_CASE("A statement comes back reset with its bindings cleared", "[sqlite][db][statement_cache]") {
  TempDb db;
  {
    auto q = (*db).Prepare("SELECT v FROM t WHERE k = ? OR ? IS NULL ORDER BY k");
    q.Bind(1, int64_t{3}).Bind(2, int64_t{0});
    REQUIRE(q.Step());
    CHECK(q.Text(0) == "three");  // given back in the middle of its rows
  }
  auto q = (*db).Prepare("SELECT v FROM t WHERE k = ? OR ? IS NULL ORDER BY k");
  // Unbound parameters are NULL: "? IS NULL" holds, so every row, from the first.
  std::vector<std::string> rows;
  while (q.Step()) rows.push_back(q.Text(0));
  CHECK(rows == std::vector<std::string>{"one", "two", "three"});
}

TEST_CASE("Two live borrows of one text are two statements", "[sqlite][db][statement_cache]") {
  TempDb db;
  auto outer = (*db).Prepare("SELECT k FROM t ORDER BY k");
  std::vector<std::string> pairs;
  while (outer.Step()) {
    auto inner = (*db).Prepare("SELECT k FROM t ORDER BY k");
    while (inner.Step()) pairs.push_back(std::to_string(outer.Int(0)) + std::to_string(inner.Int(0)));
  }
  CHECK(pairs.size() == 9);
  CHECK(pairs.front() == "11");
  CHECK(pairs.back() == "33");
}

TEST_CASE("The idle statements of a connection are bounded", "[sqlite][db][statement_cache]") {
  TempDb db;
  for (int i = 0; i < 2000; ++i) (*db).Prepare("SELECT " + std::to_string(i)).Run();
  // 512 kept (db.hpp's default capacity), the rest finalized; the oldest texts are prepared again.
  const uint64_t before = (*db).StatementsPrepared();
  (*db).Prepare("SELECT 1999").Run();
  CHECK((*db).StatementsPrepared() == before);
  (*db).Prepare("SELECT 0").Run();
  CHECK((*db).StatementsPrepared() == before + 1);
}

TEST_CASE("PrepareIfTablesExist: a missing table is nullopt, a bad text still throws",
          "[sqlite][db][statement_cache]") {
  TempDb db;
  CHECK_FALSE((*db).PrepareIfTablesExist("SELECT 1 FROM readings_20991231").has_value());
  CHECK((*db).PrepareIfTablesExist("SELECT v FROM t").has_value());
  CHECK_THROWS_AS((*db).PrepareIfTablesExist("SELEKT nothing"), DbError);
  (*db).Exec("CREATE TABLE readings_20991231 (x INTEGER)");
  CHECK((*db).PrepareIfTablesExist("SELECT 1 FROM readings_20991231").has_value());
}

TEST_CASE("A cached statement follows a schema change of its table", "[sqlite][db][statement_cache]") {
  TempDb db;
  CHECK(ValueOf(*db, 1) == "one");
  (*db).Exec("ALTER TABLE t ADD COLUMN w TEXT");
  (*db).Exec("UPDATE t SET v = 'uno' WHERE k = 1");
  CHECK(ValueOf(*db, 1) == "uno");
}

TEST_CASE("A read-only connection reads and refuses writes", "[sqlite][db][statement_cache]") {
  TempDb db;
  Database reader(db.Path(), Database::ReadOnly{});
  CHECK(ValueOf(reader, 2) == "two");
  CHECK_THROWS_AS(reader.Exec("INSERT INTO t VALUES (4, 'four')"), DbError);
}

TEST_CASE("A statement held while its text would be evicted stays usable and is kept",
          "[sqlite][db][statement_cache]") {
  TempDb db;
  auto held = (*db).Prepare("SELECT v FROM t ORDER BY k");
  REQUIRE(held.Step());
  // 2,000 other texts pass through the cache (512 kept): the held text is the least recently used but in use.
  for (int i = 0; i < 2000; ++i) (*db).Prepare("SELECT " + std::to_string(i)).Run();
  CHECK(held.Text(0) == "one");
  REQUIRE(held.Step());
  CHECK(held.Text(0) == "two");
  { auto moved = std::move(held); }  // given back once, by the statement it was moved to
  const uint64_t before = (*db).StatementsPrepared();
  CHECK(ValueOf(*db, 3) == "three");  // a text of its own: prepared
  auto again = (*db).Prepare("SELECT v FROM t ORDER BY k");
  CHECK((*db).StatementsPrepared() == before + 1);  // the held one came back to its slot: not prepared again
  REQUIRE(again.Step());
  CHECK(again.Text(0) == "one");
}

TEST_CASE("A refused text or a missing table leaves the cache as it was", "[sqlite][db][statement_cache]") {
  TempDb db;
  CHECK(ValueOf(*db, 1) == "one");
  for (int i = 0; i < 3; ++i) {
    CHECK_THROWS_AS((*db).Prepare("SELEKT nothing"), DbError);
    CHECK_FALSE((*db).PrepareIfTablesExist("SELECT 1 FROM readings_20991231").has_value());
  }
  const uint64_t before = (*db).StatementsPrepared();
  CHECK(ValueOf(*db, 2) == "two");
  CHECK((*db).StatementsPrepared() == before);
}

TEST_CASE("More texts held at once than the cache keeps: all usable, the newest kept after",
          "[sqlite][db][statement_cache]") {
  TempDb db;
  {
    std::vector<mizu::backend::Statement> held;  // 600 live at once (a range of day tables can hold more)
    for (int i = 0; i < 600; ++i) held.push_back((*db).Prepare("SELECT " + std::to_string(i)));
    for (int i = 0; i < 600; ++i) {
      REQUIRE(held[i].Step());
      CHECK(held[i].Int(0) == i);
    }
    for (auto& statement : held) auto given_back = std::move(statement);  // first to last: 88–599 kept
  }
  const uint64_t before = (*db).StatementsPrepared();
  (*db).Prepare("SELECT 599").Run();
  (*db).Prepare("SELECT 88").Run();
  CHECK((*db).StatementsPrepared() == before);
  (*db).Prepare("SELECT 87").Run();  // evicted
  CHECK((*db).StatementsPrepared() == before + 1);
}
