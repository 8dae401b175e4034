// Smart-meter ingestion over real HTTP: the three body formats, every rejection reason, duplicates and
// conflicts, late and out-of-order batches, tokens, size limits, ReadingsForMeter — and a real `mizumori
// serve` killed with SIGKILL right after a 2xx, restarted on the same data folder, still holding every
// acknowledged reading and no half of an unacknowledged batch.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include "mizu/backend/accounts.hpp"
#include "mizu/backend/api_tokens.hpp"
#include "mizu/backend/cis.hpp"
#include "mizu/backend/ingest.hpp"
#include "mizu/time.hpp"
#include "server_fixture.hpp"

using json = nlohmann::json;
using mizu::ParseIso8601;
using mizu::testing::TestServer;
namespace mb = mizu::backend;

namespace {

constexpr const char* kNow = "2026-11-22T12:00:00+09:00";  // the server's test clock
constexpr int64_t kHour = 3600;

int64_t At(const char* iso) {
  return *ParseIso8601(iso);
}

// A customer master with smart meters M000001..M<count> (customer numbers 1000000000 + i).
std::string CityCsv(int count, int first = 1) {
  std::string csv =
      "customer_number,holder_name,holder_kana,address,bureau_phone,meter_id,smart_meter,diameter_mm,"
      "status\n";
  for (int i = first; i < first + count; ++i) {
    char line[200];
    std::snprintf(line, sizeof line,
                  "%011d,水守 太郎,ミズモリ タロウ,水守市本町%d,0467-12-3456,M%06d,1,13,active\n",
                  1000000000 + i, i, i);
    csv += line;
  }
  return csv;
}

struct Reply {
  int status = 0;
  json body;
};

class Ingest {
 public:
  explicit Ingest(int meters = 3) {
    auto& app = server_.App();
    {
      std::lock_guard lock(app.db_mutex);
      auto report = mb::ImportCustomers(*app.db, CityCsv(meters), {{}, &app.tariff}, 0);
      REQUIRE(report.inserted == meters);
    }
    app.clock.Set(At(kNow));
    token_ = mb::CreateApiToken(app, "ingest", "head-end", 0);
  }

  Reply Post(const std::string& body, const std::string& type = "application/json") {
    return PostWith(body, type, {{"Authorization", "Bearer " + token_}});
  }
  Reply PostWith(const std::string& body, const std::string& type, const httplib::Headers& headers) {
    auto client = server_.Client();
    client.set_read_timeout(60);
    auto res = client.Post("/api/v1/ingest/readings", headers, body, type.c_str());
    REQUIRE(res);
    return {res->status, json::parse(res->body, nullptr, false)};
  }
  std::vector<mizu::HourlyReading> Readings(const std::string& meter, int64_t from, int64_t to) {
    std::lock_guard lock(App().db_mutex);
    return mb::ReadingsForMeter(*App().db, meter, from, to);
  }
  int64_t StoredAlarms(const std::string& meter, int64_t hour_end) {
    std::lock_guard lock(App().db_mutex);
    auto q =
        App().db->Prepare("SELECT r.alarms FROM " + mb::ReadingsTableName(hour_end) +
                          " r JOIN reading_meters m ON m.id = r.meter WHERE m.meter_id = ? AND r.hour = ?");
    q.Bind(1, meter).Bind(2, hour_end / kHour);
    return q.Step() ? q.Int(0) : -1;
  }
  mb::App& App() { return server_.App(); }
  TestServer& Server() { return server_; }

 private:
  TestServer server_;
  std::string token_;
};

json Reading(const std::string& meter, const json& at, const json& reg, const json& alarms = nullptr) {
  json r = {{"meter_id", meter}, {"at", at}, {"register_l", reg}};
  if (!alarms.is_null()) r["alarms"] = alarms;
  return r;
}

// index → code of every error in a report.
std::map<size_t, std::string> Codes(const json& report) {
  std::map<size_t, std::string> out;
  for (auto& e : report["errors"]) out[e["index"].get<size_t>()] = e["code"].get<std::string>();
  return out;
}

std::vector<int64_t> Registers(const std::vector<mizu::HourlyReading>& readings) {
  std::vector<int64_t> out;
  for (auto& r : readings) out.push_back(r.register_l);
  return out;
}

}  // namespace

TEST_CASE("a JSON array with ISO and epoch times is stored and read back in hour order", "[ingest]") {
  Ingest in;
  json body = json::array({
      Reading("M000001", "2026-11-22T11:00:00+09:00", 1030, {"leak", "no-use"}),
      Reading("M000001", At("2026-11-22T09:00:00+09:00"), 1000),               // epoch seconds
      Reading("M000001", "2026-11-22T01:00:00Z", 1010, {"over-flow"}),         // = 10:00 JST
      Reading("M000002", std::to_string(At("2026-11-22T10:00:00+09:00")), 7),  // epoch as a string
  });
  auto r = in.Post(body.dump());
  REQUIRE(r.status == 200);
  CHECK(r.body["accepted"] == 4);
  CHECK(r.body["duplicate"] == 0);
  CHECK(r.body["rejected"] == 0);
  CHECK(r.body["errors"].empty());
  auto got = in.Readings("M000001", At("2026-11-22T00:00:00+09:00"), At("2026-11-23T00:00:00+09:00"));
  REQUIRE(got.size() == 3);
  CHECK(got[0].hour_end_utc == At("2026-11-22T09:00:00+09:00"));
  CHECK(Registers(got) == std::vector<int64_t>{1000, 1010, 1030});
  CHECK(in.StoredAlarms("M000001", At("2026-11-22T11:00:00+09:00")) == (mb::kAlarmLeak | mb::kAlarmNoUse));
  CHECK(in.StoredAlarms("M000001", At("2026-11-22T10:00:00+09:00")) == mb::kAlarmOverflow);
  CHECK(in.StoredAlarms("M000001", At("2026-11-22T09:00:00+09:00")) == 0);
  CHECK(in.Readings("M000002", 0, At(kNow)).size() == 1);
}

TEST_CASE("NDJSON and CSV bodies, with their line numbers in errors", "[ingest]") {
  Ingest in;
  std::string ndjson =
      "{\"meter_id\":\"M000001\",\"at\":\"2026-11-22T08:00:00+09:00\",\"register_l\":500}\n"
      "\n"
      "{\"meter_id\":\"M000001\",\"at\":\"2026-11-22T09:00:00+09:00\",\"register_l\":520,\"alarms\":["
      "\"backflow\"]}\r\n"
      "{\"meter_id\":\"M000001\",\"at\":\"2026-11-22T10:00:00+09:00\",\"register_l\":\n"  // broken JSON
      "[1, 2]\n"                                                                          // not an object
      "{\"meter_id\":\"M000002\",\"at\":" +
      std::to_string(At("2026-11-22T10:00:00+09:00")) + ",\"register_l\":3}";
  auto r = in.Post(ndjson, "application/x-ndjson");
  REQUIRE(r.status == 200);
  CHECK(r.body["accepted"] == 3);
  CHECK(r.body["rejected"] == 2);
  REQUIRE(r.body["errors"].size() == 2);
  CHECK(r.body["errors"][0]["index"] == 2);
  CHECK(r.body["errors"][0]["line"] == 4);
  CHECK(r.body["errors"][0]["code"] == "invalid_json");
  CHECK(r.body["errors"][1]["index"] == 3);
  CHECK(r.body["errors"][1]["line"] == 5);
  CHECK(r.body["errors"][1]["code"] == "invalid_format");
  CHECK(in.StoredAlarms("M000001", At("2026-11-22T09:00:00+09:00")) == mb::kAlarmBackflow);
  // Every line valid (read in one pass): errors still name their lines, blank lines included.
  auto clean = in.Post(
      "\n{\"meter_id\":\"M000002\",\"at\":\"2026-11-22T06:00:00+09:00\",\"register_l\":1}\n\n"
      "{\"meter_id\":\"M000002\",\"at\":\"2026-11-22T06:10:00+09:00\",\"register_l\":2}\n",
      "application/x-ndjson");
  CHECK(clean.body["accepted"] == 1);
  CHECK(clean.body["errors"][0]["index"] == 1);
  CHECK(clean.body["errors"][0]["line"] == 4);
  // Two values on one line are that line's error, not two readings.
  auto two = in.Post(
      "{\"meter_id\":\"M000002\",\"at\":\"2026-11-22T05:00:00+09:00\",\"register_l\":1},"
      "{\"meter_id\":\"M000002\",\"at\":\"2026-11-22T04:00:00+09:00\",\"register_l\":1}\n",
      "application/x-ndjson");
  CHECK(two.body["accepted"] == 0);
  CHECK(two.body["rejected"] == 1);
  CHECK(two.body["errors"][0]["code"] == "invalid_json");

  std::string csv =
      "register_l,meter_id,at,alarms,extra\r\n"  // order free, extra columns ignored
      "530,M000001,2026-11-22T10:00:00+09:00,leak|backflow,x\r\n"
      "540,M000001,2026-11-22T11:00:00+09:00,\"over-flow;no_use\",\r\n"
      "11,M000003," +
      std::to_string(At("2026-11-22T11:00:00+09:00")) +
      ",,\r\n"
      "12,M000003,2026-11-22T11:30:00+09:00,,\r\n"  // line 5: not on the hour
      ",M000003,2026-11-22T10:00:00+09:00,,\r\n";   // line 6: no register
  r = in.Post(csv, "text/csv; charset=utf-8");
  REQUIRE(r.status == 200);
  CHECK(r.body["accepted"] == 3);
  CHECK(r.body["rejected"] == 2);
  CHECK(r.body["errors"][0]["line"] == 5);
  CHECK(r.body["errors"][0]["code"] == "reading_not_on_hour");
  CHECK(r.body["errors"][0]["at"] == "2026-11-22T11:30:00+09:00");
  CHECK(r.body["errors"][1]["line"] == 6);
  CHECK(r.body["errors"][1]["code"] == "required");
  auto got = in.Readings("M000001", At("2026-11-22T08:00:00+09:00"), At("2026-11-22T11:00:00+09:00"));
  CHECK(Registers(got) == std::vector<int64_t>{500, 520, 530, 540});
  CHECK(in.StoredAlarms("M000001", At("2026-11-22T10:00:00+09:00")) == (mb::kAlarmLeak | mb::kAlarmBackflow));
  CHECK(in.StoredAlarms("M000001", At("2026-11-22T11:00:00+09:00")) ==
        (mb::kAlarmOverflow | mb::kAlarmNoUse));
}

TEST_CASE("every rejection reason is reported with its index, meter and time", "[ingest]") {
  Ingest in;
  const int64_t now = At(kNow);
  json body = json::array({
      Reading("M000001", "2026-11-22T10:00:00+09:00", 100),                   // 0 ok
      Reading("M000001", "2026-11-22T10:15:00+09:00", 100),                   // 1 not on the hour
      Reading("M000001", now + 3 * kHour, 100),                               // 2 too far ahead
      Reading("M000001", now + 2 * kHour, 100),                               // 3 ok: exactly 2 h ahead
      Reading("M000001", now - 60 * 86400, 100),                              // 4 ok: exactly 60 days old
      Reading("M000001", now - 60 * 86400 - kHour, 100),                      // 5 too old
      json{{"at", "2026-11-22T09:00:00+09:00"}, {"register_l", 1}},           // 6 no meter_id
      json{{"meter_id", "M000001"}, {"register_l", 1}},                       // 7 no at
      Reading("M000001", "22/11/2026 09:00", 1),                              // 8 malformed at
      Reading("M000001", "2026-11-22T09:00:00", 1),                           // 9 no offset
      Reading("M000001", "2026-11-22T08:00:00+09:00", -5),                    // 10 negative register
      Reading("M000001", "2026-11-22T08:00:00+09:00", 12.5),                  // 11 fractional register
      json{{"meter_id", "M000001"}, {"at", "2026-11-22T08:00:00+09:00"}},     // 12 no register
      Reading("M000001", "2026-11-22T07:00:00+09:00", 1, {"leak", "flood"}),  // 13 unknown alarm
      Reading("M999999", "2026-11-22T07:00:00+09:00", 1),                     // 14 unknown meter
      Reading("M000001", "2026-11-22T10:00:00+09:00", 999),                   // 15 conflicts with 0
      "M000001,2026-11-22T06:00:00+09:00,1",                                  // 16 not an object
      json{{"meter_id", 42}, {"at", "2026-11-22T06:00:00+09:00"}, {"register_l", 1}},  // 17 meter not text
      Reading("", "2026-11-22T06:00:00+09:00", 1),                                     // 18 empty meter
      Reading("M000002", "2026-11-22T06:00:00+09:00", 1000000000000),  // 19 register beyond range
  });
  auto r = in.Post(body.dump());
  REQUIRE(r.status == 200);
  CHECK(r.body["accepted"] == 3);
  CHECK(r.body["duplicate"] == 0);
  CHECK(r.body["rejected"] == 17);
  std::map<size_t, std::string> expected = {{1, "reading_not_on_hour"},
                                            {2, "reading_in_future"},
                                            {5, "reading_too_old"},
                                            {6, "required"},
                                            {7, "required"},
                                            {8, "invalid_format"},
                                            {9, "invalid_format"},
                                            {10, "register_invalid"},
                                            {11, "register_invalid"},
                                            {12, "required"},
                                            {13, "alarm_unknown"},
                                            {14, "meter_unknown"},
                                            {15, "reading_conflict"},
                                            {16, "invalid_format"},
                                            {17, "invalid_format"},
                                            {18, "invalid_format"},
                                            {19, "register_invalid"}};
  CHECK(Codes(r.body) == expected);
  for (auto& e : r.body["errors"]) {
    CHECK(!e["detail"].get<std::string>().empty());
    if (e["index"] == 14) {
      CHECK(e["meter_id"] == "M999999");
      CHECK(e["at"] == "2026-11-22T07:00:00+09:00");
    }
    if (e["index"] == 1) CHECK(e["at"] == "2026-11-22T10:15:00+09:00");
  }
  // The conflicting row changed nothing.
  CHECK(Registers(in.Readings("M000001", At("2026-11-22T10:00:00+09:00"), At("2026-11-22T10:00:00+09:00"))) ==
        std::vector<int64_t>{100});
}

TEST_CASE("re-sends are duplicates, a different value is a conflict and the stored value stays", "[ingest]") {
  Ingest in;
  json batch = json::array();
  for (int h = 1; h <= 6; ++h)
    batch.push_back(Reading("M000001", At("2026-11-22T00:00:00+09:00") + h * kHour, 100 + h));
  REQUIRE(in.Post(batch.dump()).body["accepted"] == 6);

  auto again = in.Post(batch.dump());
  CHECK(again.body["accepted"] == 0);
  CHECK(again.body["duplicate"] == 6);
  CHECK(again.body["rejected"] == 0);

  // The same value with other alarms is still a duplicate: the first reading's alarms stay.
  json alarmed = json::array({Reading("M000001", At("2026-11-22T00:00:00+09:00") + kHour, 101, {"leak"})});
  CHECK(in.Post(alarmed.dump()).body["duplicate"] == 1);
  CHECK(in.StoredAlarms("M000001", At("2026-11-22T01:00:00+09:00")) == 0);

  json changed = batch;
  changed[2]["register_l"] = 999;
  changed[4]["register_l"] = 0;
  auto c = in.Post(changed.dump());
  CHECK(c.body["accepted"] == 0);
  CHECK(c.body["duplicate"] == 4);
  CHECK(c.body["rejected"] == 2);
  CHECK(Codes(c.body) == std::map<size_t, std::string>{{2, "reading_conflict"}, {4, "reading_conflict"}});
  auto got = in.Readings("M000001", At("2026-11-22T00:00:00+09:00"), At("2026-11-22T06:00:00+09:00"));
  CHECK(Registers(got) == std::vector<int64_t>{101, 102, 103, 104, 105, 106});

  // Inside one batch the first row for an hour wins, whatever the order of the rest.
  json within = json::array({Reading("M000002", "2026-11-22T05:00:00+09:00", 50),
                             Reading("M000002", "2026-11-22T04:00:00+09:00", 40),
                             Reading("M000002", "2026-11-22T05:00:00+09:00", 50),
                             Reading("M000002", "2026-11-22T05:00:00+09:00", 51)});
  auto w = in.Post(within.dump());
  CHECK(w.body["accepted"] == 2);
  CHECK(w.body["duplicate"] == 1);
  CHECK(Codes(w.body) == std::map<size_t, std::string>{{3, "reading_conflict"}});
  CHECK(Registers(in.Readings("M000002", 0, At(kNow))) == std::vector<int64_t>{40, 50});
}

TEST_CASE("out-of-order and late batches fill the gaps, across JST midnight", "[ingest]") {
  Ingest in;
  const int64_t midnight = At("2026-11-22T00:00:00+09:00");
  auto batch = [&](std::initializer_list<int> offsets) {
    json b = json::array();
    for (int o : offsets) b.push_back(Reading("M000003", midnight + o * kHour, 10'000 + 10 * (o + 10)));
    return b.dump();
  };
  CHECK(in.Post(batch({3, -2, 1})).body["accepted"] == 3);
  CHECK(in.Post(batch({0, 2, -1})).body["accepted"] == 3);  // late: fills the gaps
  // A day later (still well inside 60 days) the hours before are late but welcome.
  in.App().clock.Set(At(kNow) + 30 * 86400);
  CHECK(in.Post(batch({-3, 4})).body["accepted"] == 2);
  auto got = in.Readings("M000003", midnight - 3 * kHour, midnight + 4 * kHour);
  REQUIRE(got.size() == 8);
  for (size_t i = 0; i < got.size(); ++i) {
    CHECK(got[i].hour_end_utc == midnight + (static_cast<int64_t>(i) - 3) * kHour);
    CHECK(got[i].register_l == 10'000 + 10 * (static_cast<int64_t>(i) - 3 + 10));
  }
  // The hour ending at 00:00 belongs to the day before (it is 23:00–24:00 of 11-21).
  CHECK(mb::ReadingsTableName(midnight) == "readings_20261121");
  CHECK(mb::ReadingsTableName(midnight + kHour) == "readings_20261122");
}

TEST_CASE("unknown meters are reported, once the master has them they are accepted", "[ingest]") {
  Ingest in;
  json body = json::array({Reading("M000100", "2026-11-22T10:00:00+09:00", 1),
                           Reading("M000001", "2026-11-22T10:00:00+09:00", 2),
                           Reading("M000100", "2026-11-22T11:00:00+09:00", 3)});
  auto r = in.Post(body.dump());
  CHECK(r.body["accepted"] == 1);
  CHECK(Codes(r.body) == std::map<size_t, std::string>{{0, "meter_unknown"}, {2, "meter_unknown"}});
  CHECK(in.Readings("M000100", 0, At(kNow)).empty());
  {
    std::lock_guard lock(in.App().db_mutex);
    mb::ImportCustomers(*in.App().db, CityCsv(1, 100), {{}, &in.App().tariff}, 0);
  }
  r = in.Post(body.dump());
  CHECK(r.body["accepted"] == 2);
  CHECK(r.body["duplicate"] == 1);
  CHECK(Registers(in.Readings("M000100", 0, At(kNow))) == std::vector<int64_t>{1, 3});
}

TEST_CASE("ingest needs an ingest-scope token, a known content type and a readable body", "[ingest]") {
  Ingest in;
  std::string body = json::array({Reading("M000001", "2026-11-22T10:00:00+09:00", 1)}).dump();
  CHECK(in.PostWith(body, "application/json", {}).status == 401);
  auto wrong = mb::CreateApiToken(in.App(), "import", "cis", 0);
  auto r = in.PostWith(body, "application/json", {{"Authorization", "Bearer " + wrong}});
  CHECK(r.status == 401);
  CHECK(r.body["error"]["code"] == "unauthorized");
  CHECK(in.PostWith(body, "application/json", {{"Authorization", "Bearer not-a-token"}}).status == 401);
  CHECK(in.Readings("M000001", 0, At(kNow)).empty());

  CHECK(in.Post(body, "text/plain").status == 415);
  CHECK(in.Post("[{\"meter_id\":", "application/json").status == 400);
  CHECK(in.Post("{\"meter_id\":\"M000001\"}", "application/json").status == 400);  // not an array
  CHECK(in.Post("", "application/json").status == 400);
  auto csv = in.Post("meter_id,at\nM000001,2026-11-22T10:00:00+09:00\n", "text/csv");
  CHECK(csv.status == 400);
  CHECK(csv.body["error"]["detail"].get<std::string>().find("register_l") != std::string::npos);
  CHECK(in.Post("meter_id,at,register_l\n\"M000001,x,1\n", "text/csv").status == 400);  // unterminated quote
  auto empty = in.Post("[]");
  CHECK(empty.status == 200);
  CHECK(empty.body["accepted"] == 0);
}

namespace {

// Sends only the request head (no body) and returns the status line's code.
int StatusForDeclaredLength(int port, const std::string& path, size_t length, bool expect_continue = false) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  std::string head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
                     "Content-Length: " + std::to_string(length) + "\r\n" +
                     (expect_continue ? "Expect: 100-continue\r\n\r\n" : "\r\n");
  REQUIRE(::send(fd, head.data(), head.size(), 0) == static_cast<ssize_t>(head.size()));
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[64] = {};
  ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
  ::close(fd);
  std::string line(buf, n > 0 ? static_cast<size_t>(n) : 0);
  return line.size() > 12 ? std::atoi(line.c_str() + 9) : 0;
}

}  // namespace

TEST_CASE("ingest takes bodies up to 32 MiB, every other route stays at 1 MiB", "[ingest]") {
  Ingest in(200);
  int port = in.Server().Port();
  CHECK(StatusForDeclaredLength(port, "/api/v1/ingest/readings", (32u << 20) + 1) == 413);
  CHECK(StatusForDeclaredLength(port, "/api/v1/login", (1u << 20) + 1) == 413);
  CHECK(StatusForDeclaredLength(port, "/api/v1/admin/import/customers", 2u << 20) == 413);
  // A client that waits for "100 Continue" hears the refusal before sending anything.
  CHECK(StatusForDeclaredLength(port, "/api/v1/ingest/readings", 40u << 20, true) == 413);
  CHECK(StatusForDeclaredLength(port, "/api/v1/ingest/readings", 1u << 20, true) == 100);
  // Without a token the answer comes before the body is read (nobody can make the server buffer 32 MiB).
  CHECK(StatusForDeclaredLength(port, "/api/v1/ingest/readings", 10u << 20) == 401);

  // A real 2 MiB batch (24 hours of 200 meters, padded with ignored fields) goes through.
  json batch = json::array();
  for (int m = 1; m <= 200; ++m)
    for (int h = 1; h <= 24; ++h) {
      char meter[16];
      std::snprintf(meter, sizeof meter, "M%06d", m);
      json r = Reading(meter, At("2026-11-21T00:00:00+09:00") + h * kHour, m * 1000 + h);
      r["note"] = std::string(400, 'x');
      batch.push_back(r);
    }
  std::string body = batch.dump();
  REQUIRE(body.size() > (2u << 20));
  auto r = in.Post(body);
  CHECK(r.status == 200);
  CHECK(r.body["accepted"] == 4800);
  // The same size refused by the HTTP client's view of an ordinary route.
  auto client = in.Server().Client();
  auto res = client.Post("/api/v1/login", body, "application/json");
  if (res) CHECK(res->status == 413);  // (the server may also just close the connection on the unread body)
}

TEST_CASE("StoreReadings and ReadingsForMeter on the database directly", "[ingest]") {
  Ingest in;
  auto& db = *in.App().db;
  std::lock_guard lock(in.App().db_mutex);
  const int64_t base = At("2026-11-20T00:00:00+09:00");
  std::vector<mb::ReadingRow> rows;
  for (int h = 1; h <= 72; ++h)
    if (h % 5 != 0) rows.push_back({"M000002", base + h * kHour, 1000 + h, 0});  // every 5th hour missing
  rows.push_back({"M000009", base + kHour, 1, 0});
  rows.push_back({"M000002", base + kHour, 1001, 0});
  rows.push_back({"M000002", base + 2 * kHour, 5, 0});
  auto outcomes = mb::StoreReadings(db, rows);
  REQUIRE(outcomes.size() == rows.size());
  CHECK(outcomes[0] == mb::StoreOutcome::kAccepted);
  CHECK(outcomes[rows.size() - 3] == mb::StoreOutcome::kUnknownMeter);
  CHECK(outcomes[rows.size() - 2] == mb::StoreOutcome::kDuplicate);
  CHECK(outcomes[rows.size() - 1] == mb::StoreOutcome::kConflict);

  // Inclusive bounds; a bound between hours rounds inward; missing hours are absent, never zero.
  auto got = mb::ReadingsForMeter(db, "M000002", base + 10 * kHour, base + 30 * kHour);
  CHECK(got.size() == 21 - 5);
  CHECK(got.front().hour_end_utc == base + 11 * kHour);  // 10 is missing
  CHECK(got.back().hour_end_utc == base + 29 * kHour);   // 30 is missing
  for (size_t i = 1; i < got.size(); ++i) CHECK(got[i].hour_end_utc > got[i - 1].hour_end_utc);
  for (auto& r : got) CHECK(r.register_l == 1000 + (r.hour_end_utc - base) / kHour);
  auto inner = mb::ReadingsForMeter(db, "M000002", base + 3 * kHour - 1, base + 4 * kHour + 1);
  REQUIRE(inner.size() == 2);
  CHECK(inner[0].hour_end_utc == base + 3 * kHour);
  CHECK(mb::ReadingsForMeter(db, "M000002", base + 2 * kHour + 1, base + 3 * kHour - 1).empty());
  CHECK(mb::ReadingsForMeter(db, "M000002", 0, INT64_MAX).size() == 72 - 14);
  CHECK(mb::ReadingsForMeter(db, "M000002", base + 30 * kHour, base).empty());
  CHECK(mb::ReadingsForMeter(db, "M000009", 0, INT64_MAX).empty());
  CHECK(mb::ReadingsForMeter(db, "M000001", 0, INT64_MAX).empty());
  auto many =
      mb::ReadingsForMeters(db, {"M000001", "M000002", "M000404"}, base + 10 * kHour, base + 30 * kHour);
  REQUIRE(many.size() == 3);
  CHECK(many[0].empty());
  CHECK(Registers(many[1]) == Registers(got));
  CHECK(many[2].empty());
}

TEST_CASE("alarm names and content types", "[ingest]") {
  CHECK(mb::ParseAlarmName("no-use") == mb::kAlarmNoUse);
  CHECK(mb::ParseAlarmName("No_Use") == mb::kAlarmNoUse);
  CHECK(mb::ParseAlarmName("over-flow") == mb::kAlarmOverflow);
  CHECK(mb::ParseAlarmName("BACKFLOW") == mb::kAlarmBackflow);
  CHECK(mb::ParseAlarmName("leakage") == 0);
  CHECK(mb::AlarmNames(mb::kAlarmLeak | mb::kAlarmOverflow) == "leak|overflow");
  CHECK(mb::IngestFormatFromContentType("application/json; charset=utf-8") == mb::IngestFormat::kJson);
  CHECK(mb::IngestFormatFromContentType("Application/X-NDJSON") == mb::IngestFormat::kNdjson);
  CHECK(mb::IngestFormatFromContentType("text/csv;charset=UTF-8") == mb::IngestFormat::kCsv);
  CHECK(!mb::IngestFormatFromContentType("text/plain"));
}
