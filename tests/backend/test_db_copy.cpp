// `mizumori db copy` (db_copy.hpp): the demo utility's SQLite file into another database — PostgreSQL under
// the postgres label, a second SQLite file otherwise — and back into a third file: every table, row for row,
// equals the original (an independent comparison: each table's rows as text, sorted); a server on the copy
// logs the demo resident in and shows the same bills; a target that holds data is refused.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "mizu/backend/app.hpp"
#include "mizu/backend/db_copy.hpp"
#include "mizu/backend/demo_data.hpp"
#include "server_fixture.hpp"

using namespace mizu::testing;
namespace backend = mizu::backend;
namespace fs = std::filesystem;

namespace {

// Every table's rows as sorted "a|b|c" lines (NULL as \N), the day tables included.
std::map<std::string, std::vector<std::string>> Dump(const std::string& url) {
  backend::Database db(url);
  std::vector<std::string> tables;
  {
    auto q =
        db.Prepare(db.engine() == backend::Engine::kPostgres
                       ? "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename "
                         "!= 'mizu_schema' AND tablename != 'readings'"
                       : "SELECT name FROM sqlite_schema WHERE type = 'table'");
    while (q.Step()) tables.push_back(q.Text(0));
  }
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& table : tables) {
    auto q = db.Prepare("SELECT * FROM " + table);
    auto& rows = out[table];
    while (q.Step()) {
      std::string line;
      for (int c = 0; c < q.ColumnCount(); ++c) line += (c ? "|" : "") + (q.IsNull(c) ? "\\N" : q.Text(c));
      rows.push_back(line);
    }
    std::sort(rows.begin(), rows.end());
  }
  return out;
}

}  // namespace

TEST_CASE("db copy: the demo utility into another database and back, row for row, and a server on the copy",
          "[db_copy]") {
  const TempDir dir("mizu-copy");
  const std::string source = "sqlite:" + (dir / "src" / "mizumori.db").string();
  {
    backend::Config config;
    config.data_dir = (dir / "src").string();
    auto app = backend::OpenApp(config);
    REQUIRE(!backend::FillDemoData(*app, app->clock.Now()).empty());
  }
  std::string middle = TestDatabaseUrl(dir / "middle");
  if (middle.empty()) middle = "sqlite:" + (dir / "middle.db").string();
  const std::string back = "sqlite:" + (dir / "back.db").string();

  int64_t copied = 0;
  for (const auto& t : backend::CopyDatabase(source, middle)) copied += t.rows;
  CHECK(copied > 10000);  // a week of hourly readings and the rest
  backend::CopyDatabase(middle, back);
  const auto original = Dump(source), returned = Dump(back);
  CHECK(original.size() >= 40);  // the schema's tables and the day tables
  for (const auto& [table, rows] : original) {
    INFO(table);
    REQUIRE(returned.count(table) == 1);
    CHECK(returned.at(table) == rows);
  }
  CHECK(returned.size() == original.size());

  // A second copy into a database that holds the town: refused, nothing added.
  CHECK_THROWS_WITH(backend::CopyDatabase(source, middle),
                    Catch::Contains("db copy fills an empty database only"));

  // A server on the copy: the demo resident logs in and sees the bills the original shows.
  std::string bills_original, bills_copy;
  for (const std::string* url : std::vector<const std::string*>{&source, &middle}) {
    TestServer server([&](backend::Config& c) {
      c.database_url = *url;
      c.data_dir = (dir / "src").string();  // the same secret.key
    });
    auto client = server.Client();
    auto login = client.Post(
        "/api/v1/login", {{"Origin", "http://127.0.0.1:" + std::to_string(server.Port())}},
        R"({"email":"demo@mizumori.example","password":"mizumori-demo-2026"})", "application/json");
    REQUIRE(login);
    REQUIRE(login->status == 200);
    const std::string cookie =
        login->get_header_value("Set-Cookie").substr(0, login->get_header_value("Set-Cookie").find(';'));
    auto bills = client.Get("/api/v1/contracts/00000008002/bills", {{"Cookie", cookie}});
    REQUIRE(bills);
    CHECK(bills->status == 200);
    (url == &source ? bills_original : bills_copy) = bills->body;
  }
  CHECK(bills_copy == bills_original);
  CHECK(bills_copy.find("\"bills\":[{") != std::string::npos);
  DropTestDatabase(dir / "middle");
}
