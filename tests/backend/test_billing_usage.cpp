// Smart-meter usage over HTTP: hourly and daily, a missing hour is missing (null, counted), never zero;
// a day says how many hours it is built from; only smart-meter contracts; the query is validated.
#include <future>
#include <latch>
#include <optional>
#include <thread>
#include <tuple>

#include "billing_helpers.hpp"
#include "mizu/backend/ingest.hpp"

using namespace mizu::testing;

namespace {

int64_t Jst(const char* iso) {
  return *mizu::ParseIso8601(iso);
}

// Sunday 2026-11-22 JST: registers at every hour end from 00:00 to 24:00 except 05:00 (lost by the radio);
// 10 L an hour, none during the hours ending 02:00–04:00 (measured zero use).
void StoreSunday(Portal& p) {
  std::vector<mizu::backend::ReadingRow> rows;
  int64_t reg = 500'000;
  int64_t start = Jst("2026-11-22T00:00:00+09:00");
  for (int h = 0; h <= 24; ++h) {
    if (h > 0 && !(h >= 2 && h <= 4)) reg += 10;
    if (h == 5) continue;
    rows.push_back({"M000001", start + h * 3600, reg, 0});
  }
  std::lock_guard lock(p.App().db_mutex);
  for (auto o : mizu::backend::StoreReadings(*p.App().db, rows))
    REQUIRE(o == mizu::backend::StoreOutcome::kAccepted);
}

}  // namespace

TEST_CASE("hourly usage reports missing hours as missing, never as zero", "[billing]") {
  Portal p;
  VisibleResident(p, "taro@example.jp");
  StoreSunday(p);
  auto r = p.Get("/api/v1/contracts/00000008002/usage?step=hour&from=2026-11-22&to=2026-11-22");
  REQUIRE(r.status == 200);
  CHECK(r.body["unit"] == "L");
  CHECK(r.body["from"] == "2026-11-22T00:00:00+09:00");
  CHECK(r.body["to"] == "2026-11-23T00:00:00+09:00");
  auto items = r.body["items"];
  REQUIRE(items.size() == 24);
  CHECK(items[0]["start"] == "2026-11-22T00:00:00+09:00");
  CHECK(items[0]["end"] == "2026-11-22T01:00:00+09:00");
  CHECK(items[0]["volume_l"] == 10);
  CHECK(items[1]["volume_l"] == 0);  // measured: no water used in that hour
  CHECK(items[1]["status"] == "measured");
  // The reading at 05:00 is missing: the hours ending 05:00 and 06:00 have no volume.
  for (int i : {4, 5}) {
    INFO(i);
    CHECK(items[i]["volume_l"].is_null());
    CHECK(items[i]["status"] == "missing");
  }
  CHECK(items[6]["volume_l"] == 10);
  CHECK(r.body["hours_expected"] == 24);
  CHECK(r.body["hours_present"] == 22);
  CHECK(r.body["hours_missing"] == 2);
  CHECK(r.body["complete"] == false);
  CHECK(r.body["volume_l"] == 190);  // 21 hours at 10 L, less the 2 missing ones (20 L), over measured hours
  // Every hour's stamps, written out by hand (the route writes them from a per-day cache): start and end
  // of each item, the last one ending at the next day's midnight.
  for (size_t i = 0; i < items.size(); ++i) {
    INFO(i);
    auto two = [](size_t n) { return std::string(n < 10 ? "0" : "") + std::to_string(n); };
    CHECK(items[i]["start"] == "2026-11-22T" + two(i) + ":00:00+09:00");
    CHECK(items[i]["end"] ==
          (i == 23 ? std::string("2026-11-23T00:00:00+09:00") : "2026-11-22T" + two(i + 1) + ":00:00+09:00"));
  }

  // An ISO range on the hours; instants are hour ends, the range [from, to).
  auto iso = p.Get(
      "/api/v1/contracts/00000008002/usage?step=hour&from=2026-11-22T01:00:00%2B09:00"
      "&to=2026-11-22T04:00:00%2B09:00");
  REQUIRE(iso.status == 200);
  REQUIRE(iso.body["items"].size() == 3);
  CHECK(iso.body["complete"] == true);
  CHECK(iso.body["volume_l"] == 0);  // all measured and zero: the only way to say "no water used"

  // No reading at all: every hour missing, the total is null, not 0.
  auto empty = p.Get("/api/v1/contracts/00000008002/usage?step=hour&from=2026-11-20&to=2026-11-20");
  CHECK(empty.body["hours_present"] == 0);
  CHECK(empty.body["volume_l"].is_null());
  for (auto& h : empty.body["items"]) CHECK(h["volume_l"].is_null());
}

TEST_CASE("daily usage says how many hours each day is built from, future hours are not reported",
          "[billing]") {
  Portal p;
  VisibleResident(p, "taro@example.jp");  // now: Tue 2026-11-24 09:00
  StoreSunday(p);
  auto r = p.Get("/api/v1/contracts/00000008002/usage?step=day&from=2026-11-21&to=2026-11-25");
  REQUIRE(r.status == 200);
  auto days = r.body["items"];
  REQUIRE(days.size() == 4);  // 11-25 has not started
  CHECK(days[0]["date"] == "2026-11-21");
  CHECK(days[0]["volume_l"].is_null());  // nothing arrived: unknown, not zero
  CHECK(days[0]["hours_present"] == 0);
  CHECK(days[0]["hours_expected"] == 24);
  CHECK(days[1]["date"] == "2026-11-22");
  CHECK(days[1]["volume_l"] == 190);
  CHECK(days[1]["hours_present"] == 22);
  CHECK(days[1]["complete"] == false);
  CHECK(days[2]["volume_l"].is_null());
  CHECK(days[3]["date"] == "2026-11-24");
  CHECK(days[3]["hours_expected"] == 9);  // 00:00–09:00 so far
  CHECK(r.body["until"] == "2026-11-24T09:00:00+09:00");
  CHECK(r.body["hours_expected"] == 24 * 3 + 9);

  // Defaults: the last 30 days by day; today by hour (only the hours already ended).
  auto d = p.Get("/api/v1/contracts/00000008002/usage");
  CHECK(d.body["step"] == "day");
  CHECK(d.body["items"].size() == 30);
  auto h = p.Get("/api/v1/contracts/00000008002/usage?step=hour");
  CHECK(h.body["items"].size() == 9);
}

TEST_CASE("usage: only smart-meter contracts, step and range validated", "[billing]") {
  Portal p;
  VisibleResident(p, "sato@example.jp", "00000008006", "03-1234-5678");  // no smart meter
  auto r = p.Get("/api/v1/contracts/00000008006/usage");
  CHECK(r.status == 409);
  CHECK(ErrorCode(r) == "not_smart_meter");
  p.ForgetCookie();
  VisibleResident(p, "taro@example.jp");
  auto bad = [&](const std::string& query, const std::string& field, const std::string& code) {
    INFO(query);
    auto res = p.Get("/api/v1/contracts/00000008002/usage?" + query);
    CHECK(res.status == 400);
    CHECK(res.body["error"]["fields"][field]["code"] == code);
  };
  bad("step=minute", "step", "invalid_format");
  bad("from=2026-02-30", "from", "date_invalid");
  bad("step=day&from=2026-11-22T01:00:00%2B09:00", "from", "date_invalid");   // days take dates
  bad("step=hour&from=2026-11-22T01:30:00%2B09:00", "from", "date_invalid");  // not on the hour
  bad("from=2026-11-22&to=2026-11-21", "to", "date_invalid");
  bad("step=hour&from=2026-10-01&to=2026-11-22", "from", "range_too_long");
  bad("step=day&from=2024-01-01&to=2026-11-22", "from", "range_too_long");
  auto en = p.Send("GET", "/api/v1/contracts/00000008002/usage?step=hour&from=2026-10-01&to=2026-11-22",
                   nullptr, {{"Accept-Language", "en"}});
  CHECK(en.body["error"]["message"] == "The period is too long: at most 31 days by hour, 2 years by day.");
}

namespace {

// Occupies both workers of the long-read lane with jobs (counted against `key`, or against no account) that
// wait until Release(); returns once both workers have taken them.
class BusyLane {
 public:
  BusyLane(mizu::backend::LowPriorityLane& lane, std::optional<int64_t> key) : release_(gate_.get_future()) {
    for (int i = 0; i < 2; ++i)
      threads_.emplace_back([&lane, key, this] {
        auto job = [this] {
          started_.count_down();
          release_.wait();
        };
        key ? lane.Run(*key, job) : lane.Run(job);
      });
    started_.wait();
  }
  void Release() {
    gate_.set_value();
    for (auto& t : threads_) t.join();
  }

 private:
  std::promise<void> gate_;
  std::shared_future<void> release_;
  std::latch started_{2};
  std::vector<std::thread> threads_;
};

int64_t AccountId(Portal& p, const std::string& email) {
  std::lock_guard lock(p.App().db_mutex);
  auto q = p.App().db->Prepare("SELECT id FROM accounts WHERE email = ?");
  q.Bind(1, email);
  REQUIRE(q.Step());
  return q.Int(0);
}

}  // namespace

TEST_CASE(
    "long usage reads: a full lane answers 503 busy, one account's share full 429, both with Retry-After",
    "[billing][lane]") {
  // 8 request threads: the lane keeps no waiting line (a quarter of the threads less 2), only its 2 workers.
  Portal p([](mizu::backend::Config& c) { c.http.threads = 8; });
  VisibleResident(p, "taro@example.jp");
  const std::string year = "/api/v1/contracts/00000008002/usage?step=day&from=2025-11-24&to=2026-11-23";
  const std::string week = "/api/v1/contracts/00000008002/usage?step=hour&from=2026-11-16&to=2026-11-22";
  REQUIRE(p.Get(year).status == 200);

  SECTION("every worker busy with other work: 503, and short reads still answer") {
    BusyLane busy(p.App().long_reads, std::nullopt);
    auto r = p.Get(year);
    CHECK(r.status == 503);
    CHECK(ErrorCode(r) == "busy");
    CHECK(r.Header("Retry-After") == "2");
    CHECK(p.Get(week).status == 200);  // a month or less never enters the lane
    busy.Release();
    CHECK(p.Get(year).status == 200);
  }
  SECTION("the account already has 2 long reads in the lane: 429 for it") {
    BusyLane busy(p.App().long_reads, AccountId(p, "taro@example.jp"));
    auto r = p.Get(year);
    CHECK(r.status == 429);
    CHECK(ErrorCode(r) == "rate_limited");
    CHECK(r.Header("Retry-After") == "2");
    busy.Release();
    CHECK(p.Get(year).status == 200);
  }
}

TEST_CASE(
    "long usage reads run on the request's thread while the server is quiet, on the low-priority lane "
    "after a short request, with the same answer either way",
    "[billing][lane]") {
  auto year_read = [](int quiet_ms, bool short_first) {
    Portal p([quiet_ms](mizu::backend::Config& c) { c.http.long_reads_quiet_ms = quiet_ms; });
    VisibleResident(p, "taro@example.jp");
    StoreSunday(p);
    const std::string year = "/api/v1/contracts/00000008002/usage?step=day&from=2025-11-24&to=2026-11-23";
    if (short_first) REQUIRE(p.Get("/api/v1/contracts/00000008002/bills").status == 200);
    const auto before = p.App().long_reads.Counts();
    auto r = p.Get(year);
    REQUIRE(r.status == 200);
    const auto after = p.App().long_reads.Counts();
    return std::make_tuple(r.body, after.on_request_thread - before.on_request_thread,
                           after.on_workers - before.on_workers);
  };
  // An hour's window: every request just sent (the sign-up's, the bills) keeps it from being quiet.
  auto [lane_body, lane_here, lane_workers] = year_read(3'600'000, true);
  CHECK(lane_here == 0);
  CHECK(lane_workers == 1);
  // No window: nothing short "within" it, so the read runs on its own thread.
  auto [here_body, here_here, here_workers] = year_read(0, true);
  CHECK(here_here == 1);
  CHECK(here_workers == 0);
  CHECK(here_body == lane_body);
  CHECK(lane_body["items"].size() == 365);
  // 2026-11-22 by hand: 10 L in the hour ending 01:00 and in each of the 18 ending 07:00…24:00; the two hours
  // around the lost 05:00 reading are missing, not zero.
  CHECK(lane_body["items"][363]["volume_l"] == 190);
}

TEST_CASE("GET /metrics counts the long reads by where they ran", "[observe][metrics][lane]") {
  Portal p([](mizu::backend::Config& c) { c.http.long_reads_quiet_ms = 3'600'000; });
  VisibleResident(p, "taro@example.jp");
  REQUIRE(p.Get("/api/v1/contracts/00000008002/usage?step=day&from=2025-11-24&to=2026-11-23").status == 200);
  auto m = p.Server().Client().Get("/metrics");
  REQUIRE(m);
  REQUIRE(m->status == 200);
  CHECK(m->body.find("\nmizu_long_reads_total{ran=\"low_priority\"} 1\n") != std::string::npos);
  CHECK(m->body.find("\nmizu_long_reads_total{ran=\"request_thread\"} 0\n") != std::string::npos);
}
