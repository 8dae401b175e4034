// What an operator sees (docs/operations.md "Logs", "Metrics"): GET /metrics in the Prometheus text format,
// only for the configured addresses; route labels that never carry a customer number or token; the request
// log's JSON lines, buffered and written whole. Through the real HTTP server and a real pipe.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "mizu/backend/request_log.hpp"
#include "server_fixture.hpp"

using mizu::backend::Database;
using mizu::backend::WriteDb;
using mizu::backend::http::RequestLog;
using mizu::backend::http::RouteLabel;
using mizu::testing::kWaitLimit;
using mizu::testing::TestServer;
using mizu::testing::WaitUntil;

namespace {

std::string Metrics(TestServer& server, const httplib::Headers& headers = {}) {
  auto res = server.Client().Get("/metrics", headers);
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK(res->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0) == 0);
  return res->body;
}

// The value of the sample `name{labels}` (labels exactly as written), or -1 when absent.
double Sample(const std::string& text, const std::string& series) {
  size_t at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

}  // namespace

TEST_CASE("GET /metrics counts requests by route, method and status, with a latency histogram",
          "[observe][metrics]") {
  TestServer server;
  const std::string healthz = R"(mizu_http_requests_total{route="/healthz",method="GET",status="200"})";
  const std::string bills =
      R"(mizu_http_requests_total{route="/api/v1/contracts/{id}/bills",method="GET",status="401"})";
  // One keep-alive connection: the server counts a request after writing its answer, and before it reads the
  // next request of the same connection, so each answer below sees every request sent before it on `kc`.
  httplib::Client kc("127.0.0.1", server.Port());
  kc.set_keep_alive(true);
  auto get = [&kc](const std::string& path) {
    auto res = kc.Get(path);
    REQUIRE(res);
    return *res;
  };
  // The fixture's own /healthz (another connection) is counted just after its answer: wait for that event.
  std::string before = get("/metrics").body;
  WaitUntil([&] { return Sample(before = get("/metrics").body, healthz) >= 1; }, kWaitLimit,
            std::chrono::milliseconds(1));
  const double healthz_before = Sample(before, healthz);
  REQUIRE(healthz_before >= 1);
  CHECK(Sample(before, bills) == -1);
  for (int i = 0; i < 5; ++i) REQUIRE(get("/healthz").status == 200);
  for (int i = 0; i < 3; ++i) REQUIRE(get("/api/v1/contracts/00000008002/bills").status == 401);
  REQUIRE(get("/api/v1/no/such/route").status == 404);
  kc.stop();  // the server closes after that 404: a next request on the old socket could race its FIN
  // The server closes the connection after a 404 of an unknown route, so the next request may come before
  // that one is counted: wait for the count (an event), then every figure must be exact.
  const std::string unmatched =
      R"x(mizu_http_requests_total{route="/api/(unmatched)",method="GET",status="404"})x";
  std::string after = get("/metrics").body;
  // A 401 may close its connection too: wait until every request sent is counted (events), then compare.
  auto all_counted = [&] {
    return Sample(after, unmatched) >= 1 && Sample(after, bills) >= 3 &&
           Sample(after, healthz) >= healthz_before + 5;
  };
  WaitUntil([&] { return all_counted() || (after = get("/metrics").body, all_counted()); }, kWaitLimit,
            std::chrono::milliseconds(1));
  CHECK(Sample(after, healthz) == healthz_before + 5);
  CHECK(Sample(after, bills) == 3);
  CHECK(Sample(after, unmatched) == 1);
  // No customer number anywhere in the exposition.
  CHECK(after.find("00000008002") == std::string::npos);
  // The histogram: cumulative buckets, +Inf equal to the count, for the route's 3 requests.
  const std::string route = R"(route="/api/v1/contracts/{id}/bills")";
  CHECK(Sample(after, "mizu_http_request_duration_seconds_bucket{" + route + R"(,le="+Inf"})") == 3);
  CHECK(Sample(after, "mizu_http_request_duration_seconds_count{" + route + "}") == 3);
  CHECK(Sample(after, "mizu_http_request_duration_seconds_sum{" + route + "}") > 0);
  double previous = 0;
  std::regex bucket("mizu_http_request_duration_seconds_bucket\\{" +
                    std::string(R"(route="/healthz",le="[^"]+"\} )") + "([0-9.e+]+)");
  int buckets = 0;
  for (std::sregex_iterator it(after.begin(), after.end(), bucket), end; it != end; ++it, ++buckets) {
    double v = std::stod((*it)[1]);
    CHECK(v >= previous);
    previous = v;
  }
  CHECK(buckets == 15);
  // Every series has its TYPE line; the database wait histograms are there for both connection kinds.
  for (const char* family :
       {"mizu_http_requests_total", "mizu_http_request_duration_seconds", "mizu_db_wait_seconds",
        "mizu_outbox_waiting_messages", "mizu_outbox_oldest_waiting_seconds", "mizu_ingest_rows_total",
        "mizu_watch_slot_duration_seconds", "mizu_watch_late_reports_total"})
    CHECK(after.find(std::string("# TYPE ") + family + " ") != std::string::npos);
  CHECK(Sample(after, R"(mizu_db_wait_seconds_count{connection="reader"})") > 0);
}

TEST_CASE("GET /metrics reports what waits in the outbox and how old it is", "[observe][metrics]") {
  TestServer server;
  auto& app = server.App();
  const int64_t now = app.clock.Now();
  CHECK(Sample(Metrics(server), "mizu_outbox_waiting_messages") == 0);
  CHECK(Sample(Metrics(server), "mizu_outbox_oldest_waiting_seconds") == 0);
  // Two messages queued 300 s and 60 s ago, due only tomorrow (the relay leaves them alone).
  WriteDb(app, [&](Database& db) {
    for (int64_t age : {300, 60})
      db.Prepare(
            "INSERT INTO mail_outbox (message_key, kind, lang, to_addr, to_name, subject, body_text, "
            "created_at, "
            "next_attempt_at) VALUES (?, 'test', 'ja', 'a@example.jp', '', 's', 'b', ?, ?)")
          .Bind(1, "metrics-" + std::to_string(age))
          .Bind(2, now - age)
          .Bind(3, now + 86400)
          .Run();
  });
  const std::string text = Metrics(server);
  CHECK(Sample(text, "mizu_outbox_waiting_messages") == 2);
  CHECK(Sample(text, "mizu_outbox_oldest_waiting_seconds") >= 300);
  CHECK(Sample(text, "mizu_outbox_oldest_waiting_seconds") < 400);
}

TEST_CASE("GET /metrics answers only the configured addresses", "[observe][metrics]") {
  SECTION("loopback is not allowed: 404 as if there were no such route") {
    TestServer server([](mizu::backend::Config& c) { c.metrics.allow = {"192.0.2.0/24"}; });
    auto res = server.Client().Get("/metrics");
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK(res->body.find("mizu_") == std::string::npos);
  }
  SECTION("behind the trusted proxy, the client it names is asked about, not the proxy") {
    TestServer server;  // allow: loopback; trusted proxies: loopback
    auto outside = server.Client().Get("/metrics", {{"X-Forwarded-For", "203.0.113.9"}});
    REQUIRE(outside);
    CHECK(outside->status == 404);
    CHECK(server.Client().Get("/metrics", {{"X-Forwarded-For", "127.0.0.1"}})->status == 200);
    // A hop that is no address is an unknown client, not the (allowed) proxy.
    CHECK(server.Client().Get("/metrics", {{"X-Forwarded-For", "203.0.113.9, garbage"}})->status == 404);
    CHECK(server.Client().Get("/metrics", {{"X-Forwarded-For", "127.0.0.1:8080"}})->status == 200);
  }
  SECTION("an allowed block") {
    TestServer server([](mizu::backend::Config& c) { c.metrics.allow = {"10.0.0.0/8"}; });
    CHECK(server.Client().Get("/metrics", {{"X-Forwarded-For", "10.1.2.3"}})->status == 200);
    CHECK(server.Client().Get("/metrics", {{"X-Forwarded-For", "11.1.2.3"}})->status == 404);
  }
}

TEST_CASE("Route labels name the feature, never a customer number or token", "[observe]") {
  CHECK(RouteLabel("/api/v1/contracts/00000008002/bills", 200) == "/api/v1/contracts/{id}/bills");
  CHECK(RouteLabel("/api/v1/contracts/0-0000008002/usage", 200) == "/api/v1/contracts/{id}/usage");
  CHECK(RouteLabel("/api/v1/watch/stop/Zm9vYmFyYmF6cXV4cXV1eHh4eHh4", 200) == "/api/v1/watch/stop/{id}");
  CHECK(RouteLabel("/api/v1/me", 200) == "/api/v1/me");
  // Text a client chose never becomes a label, whatever the status (here 401 before any lookup).
  CHECK(RouteLabel("/api/v1/contracts/aaaa/bills", 401) == "/api/v1/contracts/{id}/bills");
  CHECK(RouteLabel("/api/v1/contracts/\xff\xfe/bills", 401) == "/api/v1/contracts/{id}/bills");
  CHECK(RouteLabel("/api/v1/contracts/bills/bills", 401) == "/api/v1/contracts/bills/bills");  // words stay
  CHECK(RouteLabel("/api/v1/CONTRACTS/x", 400) == "/api/v1/{id}/{id}");
  CHECK(RouteLabel("/api/v1/anything/at/all", 404) == "/api/(unmatched)");
  CHECK(RouteLabel("/assets/app-3f2a.wasm", 200) == "(static)");
  CHECK(RouteLabel("/", 200) == "(static)");
  CHECK(RouteLabel("/healthz", 200) == "/healthz");
  CHECK(RouteLabel("/metrics", 404) == "/metrics");
}

TEST_CASE("The request log writes whole JSON lines in blocks, and all of them by the end", "[observe]") {
  // The UTC second now, by strftime (independent of the log's own digit writer); ISO stamps sort as text. The
  // log's clock (system_clock: CLOCK_REALTIME), not std::time(), which glibc reads from the coarse clock a
  // tick behind: near a second's turn the log said :39 while time() still said :38.
  auto utc_second = [] {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return std::string(buf);
  };
  const std::string before = utc_second();
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  {
    RequestLog log(fds[1], std::chrono::hours(1));  // no timed flush during the test
    mizu::backend::http::RequestRecord r{"GET",      "/api/v1/contracts/00000008002/bills", 200, 0.0125, 1234,
                                         "192.0.2.7"};
    for (int i = 0; i < 3; ++i) log.Write(mizu::backend::http::RequestLogLine(r));
    log.Write(mizu::backend::http::ErrorLogLine("GET", r.path, "database is locked \"quoted\"\n"));
    log.Write(mizu::backend::http::RequestLogLine({"GET", "/assets/app.wasm", 200, 0.001, 10, "192.0.2.7"}));
  }  // the destructor writes what is buffered
  ::close(fds[1]);
  std::string text;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  std::vector<nlohmann::json> lines;
  for (size_t at = 0, end; (end = text.find('\n', at)) != std::string::npos; at = end + 1)
    lines.push_back(nlohmann::json::parse(text.substr(at, end - at)));
  REQUIRE(lines.size() == 5);
  for (int i = 0; i < 3; ++i) {
    CHECK(lines[i]["route"] == "/api/v1/contracts/{id}/bills");
    CHECK(lines[i]["status"] == 200);
    CHECK(lines[i]["bytes"] == 1234);
    CHECK(lines[i]["ms"] == 12.5);
    CHECK(lines[i]["client"] == "192.0.2.7");
    CHECK(std::regex_match(lines[i]["ts"].get<std::string>(),
                           std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
    CHECK(lines[i]["ts"].get<std::string>().substr(0, 19) >= before);
    CHECK(lines[i]["ts"].get<std::string>().substr(0, 19) <= utc_second());
  }
  CHECK(lines[3]["level"] == "error");
  CHECK(lines[3]["error"] == "database is locked \"quoted\"\n");
  CHECK(text.find("00000008002") == std::string::npos);
  CHECK(lines[4]["route"] == "(static)");
  CHECK(lines[4]["path"] == "/assets/app.wasm");  // a static file's path is no one's data
  CHECK_FALSE(lines[0].contains("path"));
}
