// The server skeleton over real HTTP: health, calendar, tariff, settings, JSON errors, test clock, static
// files.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "mizu/time.hpp"
#include "server_fixture.hpp"

using mizu::testing::kWaitLimit;
using mizu::testing::TestServer;
using mizu::testing::WaitUntil;
using nlohmann::json;

TEST_CASE("healthz answers with the schema version", "[server]") {
  TestServer server;
  auto res = server.Client().Get("/healthz");
  REQUIRE(res);
  CHECK(res->status == 200);
  auto body = json::parse(res->body);
  CHECK(body["status"] == "ok");
  CHECK(body["schema_version"].get<int>() >= 1);
  CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
  // The database it runs on: PostgreSQL under the postgres label (a primary with no standby), else SQLite.
  CHECK(body["database"]["ok"] == true);
  if (mizu::testing::PostgresAdminUrl()) {
    CHECK(body["database"]["engine"] == "postgresql");
    CHECK(body["database"]["role"] == "primary");
    CHECK(body["database"]["replicas"] == 0);
    CHECK(body["database"]["replica_lag_seconds"].is_null());
  } else {
    CHECK(body["database"]["engine"] == "sqlite");
    CHECK(!body["database"].contains("role"));
  }
}

TEST_CASE("healthz says 503 when the database does not answer", "[server]") {
  // A PostgreSQL server that is not there: the readers cannot connect.
  TestServer server([](mizu::backend::Config&) {});
  server.App().readers = std::make_unique<mizu::backend::ReaderPool>(
      "postgresql:///none?host=/nonexistent&connect_timeout=1", 1);
  auto res = server.Client().Get("/healthz");
  REQUIRE(res);
  CHECK(res->status == 503);
  CHECK(json::parse(res->body)["status"] == "database_unavailable");
}

// Hidden ([.standby]): run only by CTest's postgres.standby, which starts a streaming standby of the cluster
// (scripts/pg-cluster standby, a pg_basebackup -R) and names it in MIZU_TEST_STANDBY_URL.
TEST_CASE("healthz on a primary with a streaming standby counts it, and on the standby says so",
          "[.standby]") {
  const char* standby = std::getenv("MIZU_TEST_STANDBY_URL");
  REQUIRE(standby);  // run without a standby: a failure, not a pass
  REQUIRE(mizu::testing::PostgresAdminUrl());
  TestServer server;
  auto health = [&] {
    auto res = server.Client().Get("/healthz");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return json::parse(res->body)["database"];
  };
  // The standby connects on its own schedule: wait for pg_stat_replication to list it.
  json db;
  WaitUntil([&] { return (db = health())["replicas"] == 1; }, kWaitLimit, std::chrono::milliseconds(100));
  CHECK(db["role"] == "primary");
  CHECK(db["replicas"] == 1);
  // replay_lag: null once the standby has caught up and idles, else seconds behind.
  CHECK((db["replica_lag_seconds"].is_null() ||
         (db["replica_lag_seconds"].get<double>() >= 0 && db["replica_lag_seconds"].get<double>() < 30)));

  // The same route reading from the standby (its readers pointed there, as a server configured with the
  // standby would read): role standby, no standbys of its own, the age of the last transaction replayed.
  const std::string primary_url = server.App().db_path;  // postgresql:///<db>?host=…&port=…&user=postgres
  const std::string standby_url = primary_url.substr(0, primary_url.find('?')) +
                                  std::string(standby).substr(std::string(standby).find('?'));
  server.App().readers = std::make_unique<mizu::backend::ReaderPool>(standby_url, 1);
  json replica;
  WaitUntil(  // the test's database reaches the standby with the WAL
      [&] {
        auto res = server.Client().Get("/healthz");
        REQUIRE(res);
        if (res->status == 200) replica = json::parse(res->body)["database"];
        return replica["replica_lag_seconds"].is_number();
      },
      kWaitLimit, std::chrono::milliseconds(100));
  CHECK(replica["role"] == "standby");
  CHECK(replica["replicas"] == 0);
  REQUIRE(replica["replica_lag_seconds"].is_number());
  CHECK(replica["replica_lag_seconds"].get<double>() >= 0);
}

TEST_CASE("calendar lists a year's holidays with names", "[server]") {
  TestServer server;
  auto res = server.Client().Get("/api/v1/calendar/2026");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  auto body = json::parse(res->body);
  CHECK(body["year"] == 2026);
  auto holidays = body["holidays"];
  REQUIRE(holidays.size() == mizu::HolidaysInYear(2026).size());
  bool found = false;
  for (const auto& h : holidays) {
    if (h["date"] == "2026-11-23") {
      found = true;
      CHECK(h["name"] == "勤労感謝の日");
      CHECK_FALSE(h["name_en"].get<std::string>().empty());
    }
  }
  CHECK(found);
  CHECK(holidays.front()["date"] == "2026-01-01");
}

TEST_CASE("calendar refuses a bad year with a clear message in the request's language", "[server]") {
  TestServer server;
  auto client = server.Client();
  for (const char* path :
       {"/api/v1/calendar/abc", "/api/v1/calendar/1800", "/api/v1/calendar/99999", "/api/v1/calendar/"}) {
    INFO(path);
    auto res = client.Get(path);
    REQUIRE(res);
    CHECK(res->status == 400);
    auto body = json::parse(res->body);
    CHECK(body["error"]["code"] == "year_out_of_range");
    CHECK(body["error"]["message"].get<std::string>().find("1970") != std::string::npos);
    CHECK(body["error"]["fields"].contains("year"));
  }
  auto en = client.Get("/api/v1/calendar/1800", {{"Accept-Language", "en-US,en;q=0.9"}});
  REQUIRE(en);
  CHECK(json::parse(en->body)["error"]["message"] == "The year must be between 1970 and 2099.");
}

TEST_CASE("unknown routes get a JSON 404", "[server]") {
  TestServer server;
  auto res = server.Client().Get("/api/v1/no-such-thing");
  REQUIRE(res);
  CHECK(res->status == 404);
  CHECK(res->get_header_value("Content-Type").find("application/json") == 0);
  CHECK(json::parse(res->body)["error"]["code"] == "not_found");
}

TEST_CASE("tariff is served as JSON", "[server]") {
  TestServer server;
  auto res = server.Client().Get("/api/v1/tariff");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  auto body = json::parse(res->body);
  CHECK(body.is_object());
  // Round trip: what the browser receives parses into the same tariff the server computes with.
  CHECK(mizu::ParseTariff(body) == server.App().tariff);
}

TEST_CASE("settings expose the utility's display rules", "[server]") {
  TestServer server;
  auto body = json::parse(server.Client().Get("/api/v1/settings")->body);
  CHECK(body["customer_number"]["digits"] == 11);
  CHECK(body["watch"]["window_hours"] == 6);
  CHECK(body["watch"]["report_delay_minutes"] == 30);
}

TEST_CASE("the test clock moves the server's now, only in test mode", "[server]") {
  TestServer server;
  auto client = server.Client();
  auto res = client.Post("/api/v1/test/clock", R"({"now":"2026-11-20T15:00:00+09:00"})", "application/json");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK(json::parse(client.Get("/healthz")->body)["now"] == "2026-11-20T15:00:00+09:00");
  CHECK(client.Post("/api/v1/test/clock", R"({"now":"yesterday"})", "application/json")->status == 400);
  CHECK(client.Post("/api/v1/test/clock", "{", "application/json")->status == 400);
  CHECK(client.Post("/api/v1/test/clock", R"({"now":null})", "application/json")->status == 200);
  CHECK(json::parse(client.Get("/healthz")->body)["now"] != "2026-11-20T15:00:00+09:00");

  TestServer production([](mizu::backend::Config& c) { c.test_mode = false; });
  CHECK(production.Client().Post("/api/v1/test/clock", R"({"now":null})", "application/json")->status == 404);
}

TEST_CASE("oversized requests are refused with 413 before the body is read", "[server]") {
  TestServer server;
  // curl sends "Expect: 100-continue" for a body over 1 MiB, as well-behaved clients do: the server answers
  // 413 instead of 100 and the 2 MiB are never sent. (A client that pushes the body anyway is cut off.)
  auto body = server.Dir() / "big.json";
  std::ofstream(body) << std::string(2 << 20, 'x');
  std::string cmd =
      "curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @" +
      body.string() + " http://127.0.0.1:" + std::to_string(server.Port()) + "/api/v1/test/clock";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  char code[8] = {};
  REQUIRE(fread(code, 1, 3, p) == 3);
  pclose(p);
  CHECK(std::string(code) == "413");
  // A small request on a fresh connection still works.
  CHECK(server.Client().Get("/healthz")->status == 200);
}

TEST_CASE("the web build is served with the right types and caching", "[server]") {
  const mizu::testing::TempDir web("mizu-web");
  std::ofstream(web / "index.html") << "<!doctype html><title>水守</title>";
  std::ofstream(web / "app.wasm") << "\0asm";
  TestServer server([&](mizu::backend::Config& c) { c.web_dir = web.Path().string(); });
  auto client = server.Client();
  auto index = client.Get("/");
  REQUIRE(index);
  CHECK(index->status == 200);
  CHECK(index->body.find("水守") != std::string::npos);
  CHECK(index->get_header_value("Cache-Control") == "no-cache");
  auto wasm = client.Get("/app.wasm");
  REQUIRE(wasm);
  CHECK(wasm->get_header_value("Content-Type") == "application/wasm");
  CHECK(client.Get("/missing.js")->status == 404);
}
