// The daily usage rollup (ingest.hpp "The daily rollup"): kept by StoreReadings in the readings' transaction,
// it gives the same days as the hour rules applied to the registers — whatever order and batches the
// readings arrive in, late hours included — while missing stays distinct from zero; a drop, a glitch or an
// impossible rise sends that day back to its readings; an older database is filled once at open.
#include <algorithm>
#include <random>

#include "billing_helpers.hpp"
#include "mizu/backend/ingest.hpp"

using namespace mizu::testing;
using mizu::backend::Database;
using mizu::backend::ReadingRow;
using mizu::backend::StoreOutcome;

namespace {

int64_t Jst(const char* iso) {
  return *mizu::ParseIso8601(iso);
}

void Store(Portal& p, const std::vector<ReadingRow>& rows) {
  std::lock_guard lock(p.App().db_mutex);
  for (auto o : mizu::backend::StoreReadings(*p.App().db, rows)) REQUIRE(o != StoreOutcome::kConflict);
}

json Day(Portal& p, const std::string& date) {
  auto r = p.Get("/api/v1/contracts/00000008002/usage?step=day&from=" + date + "&to=" + date);
  REQUIRE(r.status == 200);
  REQUIRE(r.body["items"].size() == 1);
  return r.body["items"][0];
}

// The row usage_daily holds for M000001 on that JST date, as "missing/volume/max/drops", or "none".
std::string Row(Portal& p, const char* date) {
  std::lock_guard lock(p.App().db_mutex);
  auto q = p.App().db->Prepare(
      "SELECT missing_hours, volume_l, max_rise_l, drops FROM usage_daily u JOIN reading_meters m ON m.id = "
      "u.meter WHERE m.meter_id = 'M000001' AND u.day = ?");
  q.Bind(1, mizu::backend::JstDayNumber(Jst(date)));
  if (!q.Step()) return "none";
  return std::to_string(q.Int(0)) + "/" + std::to_string(q.Int(1)) + "/" + std::to_string(q.Int(2)) + "/" +
         std::to_string(q.Int(3));
}

}  // namespace

TEST_CASE("daily rollup: hours arriving out of order and late are each counted once", "[billing][rollup]") {
  Portal p;
  VisibleResident(p, "taro@example.jp");  // now: Tue 2026-11-24 09:00
  // Sunday 2026-11-22: registers at every hour end 00:00–24:00, 10 L an hour except the hours ending
  // 02:00–04:00 (zero use). Hand-worked: 21 hours × 10 L = 210 L over 24 hours.
  const int64_t start = Jst("2026-11-22T00:00:00+09:00");
  std::vector<ReadingRow> all;
  int64_t reg = 500'000;
  for (int h = 0; h <= 24; ++h) {
    if (h > 0 && !(h >= 2 && h <= 4)) reg += 10;
    all.push_back({"M000001", start + h * 3600, reg, 0});
  }
  auto part = [&](std::initializer_list<int> hours) {
    std::vector<ReadingRow> rows;
    for (int h : hours) rows.push_back(all[h]);
    return rows;
  };
  // The evening first (hours ending 19:00–24:00: 5 paired hours, 50 L).
  Store(p, part({24, 20, 19, 22, 21, 23}));
  CHECK(Row(p, "2026-11-22T00:00:00+09:00") == "19/50/10/0");
  json d = Day(p, "2026-11-22");
  CHECK(d["hours_present"] == 5);
  CHECK(d["volume_l"] == 50);
  // The morning without 05:00, and the same evening again (duplicates change nothing).
  Store(p, part({0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 24, 23}));
  CHECK(Row(p, "2026-11-22T00:00:00+09:00") == "2/190/10/0");
  d = Day(p, "2026-11-22");
  CHECK(d["hours_present"] == 22);  // the hours ending 05:00 and 06:00 lack a register
  CHECK(d["volume_l"] == 190);
  // 05:00 arrives late: both its hours become paired.
  Store(p, part({5}));
  CHECK(Row(p, "2026-11-22T00:00:00+09:00") == "0/210/10/0");
  d = Day(p, "2026-11-22");
  CHECK(d["hours_present"] == 24);
  CHECK(d["volume_l"] == 210);
  // The midnight register ends Sunday's last hour and is Monday's baseline: Monday has no paired hour yet.
  CHECK(Row(p, "2026-11-23T00:00:00+09:00") == "none");
  d = Day(p, "2026-11-23");
  CHECK(d["hours_present"] == 0);
  CHECK(d["volume_l"].is_null());  // no data is not "no water used"
  Store(p, {{"M000001", start + 25 * 3600, reg, 0}});
  d = Day(p, "2026-11-23");
  CHECK(d["hours_present"] == 1);
  CHECK(d["volume_l"] == 0);  // one measured hour, no water: a real zero
}

TEST_CASE("daily rollup: a drop, a glitch or an impossible rise is judged from the readings",
          "[billing][rollup]") {
  Portal p;
  VisibleResident(p, "taro@example.jp");
  const int64_t start = Jst("2026-11-22T00:00:00+09:00");
  std::vector<ReadingRow> rows;
  // Hours ending 01–06: 10 L each; 07: the register falls to 0 and never comes back (a meter exchange: a
  // reset, not use); 08–24: 5 L an hour on the new meter. Hand-worked: 6×10 + 17×5 = 145 L over 23 hours.
  int64_t reg = 1'000;
  rows.push_back({"M000001", start, reg, 0});
  for (int h = 1; h <= 24; ++h) {
    reg = h <= 6 ? reg + 10 : (h == 7 ? 0 : reg + 5);
    rows.push_back({"M000001", start + h * 3600, reg, 0});
  }
  Store(p, rows);
  CHECK(Row(p, "2026-11-22T00:00:00+09:00") == "0/145/10/1");
  json d = Day(p, "2026-11-22");
  CHECK(d["reset"] == true);
  CHECK(d["hours_present"] == 23);
  CHECK(d["volume_l"] == 145);
  // By hour, the hour of the fall says so, without a volume; its neighbours are measured.
  auto hours = p.Get(
      "/api/v1/contracts/00000008002/usage?step=hour&from=2026-11-22T05:00:00%2B09:00"
      "&to=2026-11-22T08:00:00%2B09:00");
  REQUIRE(hours.status == 200);
  REQUIRE(hours.body["items"].size() == 3);
  CHECK(hours.body["items"][0]["status"] == "measured");
  CHECK(hours.body["items"][0]["volume_l"] == 10);
  CHECK(hours.body["items"][1]["status"] == "reset");
  CHECK(hours.body["items"][1]["volume_l"].is_null());
  CHECK(hours.body["items"][1]["start"] == "2026-11-22T06:00:00+09:00");
  CHECK(hours.body["items"][1]["end"] == "2026-11-22T07:00:00+09:00");
  CHECK(hours.body["items"][2]["status"] == "measured");
  CHECK(hours.body["items"][2]["volume_l"] == 5);

  // Monday (hand-worked, a 13 mm meter passes at most 3,125 L an hour): the baseline is Sunday's last
  // register, 85 L on the new meter; 01:00 reads 10,002 (an impossible rise: anomaly); 02:00 +2; 03:00 reads
  // 0 and 04:00 is back at 10,006, above the 10,004 before the drop (a glitch: both hours anomalies); 05–09
  // +2 each; 10:00 +100,000 (anomaly); 11–24 +2 each. Measured: 1 + 5 + 14 = 20 hours, 2 + 10 + 28 = 40 L.
  rows.clear();
  reg = 10'000;
  const int64_t monday = start + 24 * 3600;
  for (int h = 1; h <= 24; ++h) {
    if (h == 3) {
      rows.push_back({"M000001", monday + h * 3600, 0, 0});
      continue;
    }
    reg += (h == 10 ? 100'000 : 2);
    if (h == 4) reg = 10'006;  // back above the level before the drop (10,004), at a possible rate
    rows.push_back({"M000001", monday + h * 3600, reg, 0});
  }
  Store(p, rows);
  d = Day(p, "2026-11-23");
  INFO(d.dump());
  CHECK(d["hours_anomaly"] == 4);
  CHECK(d["hours_present"] == 20);
  CHECK(d["volume_l"] == 40);
}

TEST_CASE("daily rollup equals the hour rules for random histories delivered in random batches",
          "[billing][rollup]") {
  Portal p;
  VisibleResident(p, "taro@example.jp");  // now: Tue 2026-11-24 09:00
  const int64_t start = Jst("2026-11-10T00:00:00+09:00");
  const int days = 14;
  std::mt19937 rng(20261130);
  std::vector<ReadingRow> rows;
  int64_t reg = 50'000;
  for (int h = 0; h <= days * 24; ++h) {
    int kind = static_cast<int>(rng() % 100);
    if (kind < 8) continue;  // lost by the radio
    if (kind < 10)
      reg = static_cast<int64_t>(rng() % 100);  // a drop (a reset, or a glitch if it comes back)
    else if (kind < 11)
      reg += 5'000;  // faster than a 13 mm meter can turn
    else
      reg += static_cast<int64_t>(rng() % 40);
    rows.push_back({"M000001", start + h * 3600, reg, 0});
  }
  std::shuffle(rows.begin(), rows.end(), rng);
  for (size_t at = 0; at < rows.size();) {
    size_t n = 1 + rng() % 60;
    std::vector<ReadingRow> batch(rows.begin() + at, rows.begin() + std::min(rows.size(), at + n));
    if (at > 0) batch.push_back(rows[rng() % at]);  // a duplicate of an earlier reading
    Store(p, batch);
    at += n;
  }
  auto r = p.Get("/api/v1/contracts/00000008002/usage?step=day&from=2026-11-10&to=2026-11-23");
  REQUIRE(r.status == 200);
  REQUIRE(r.body["items"].size() == days);
  // The oracle: each day from its own registers through the shared hour rules, as before the rollup.
  mizu::MeterLimits limits = mizu::backend::MeterLimitsFor(p.App().config.utility, 13);
  int irregular = 0;
  for (int i = 0; i < days; ++i) {
    const int64_t day_start = start + int64_t{i} * 86400;
    std::vector<mizu::HourlyReading> readings;
    {
      std::lock_guard lock(p.App().db_mutex);
      readings = mizu::backend::ReadingsForMeter(*p.App().db, "M000001", day_start, day_start + 86400);
    }
    mizu::WatchSettings whole_day;
    whole_day.window_hours = 24;
    auto ev =
        mizu::EvaluateWindow(mizu::WindowId{mizu::ToJst(day_start).date, 0}, whole_day, readings, limits);
    const json& d = r.body["items"][i];
    INFO("day " << i << ": " << d.dump());
    CHECK(d["hours_present"] == ev.hours_present);
    CHECK(d["reset"] == ev.reset_detected);
    CHECK(d["hours_anomaly"] == static_cast<int>(ev.anomaly_interval_ends_utc.size()));
    if (ev.hours_present > 0)
      CHECK(d["volume_l"] == ev.volume_l);
    else
      CHECK(d["volume_l"].is_null());
    if (ev.reset_detected || !ev.anomaly_interval_ends_utc.empty()) ++irregular;
  }
  CHECK(irregular > 0);     // the history did exercise the slow path…
  CHECK(irregular < days);  // …and the rollup's own
}

TEST_CASE("daily rollup: an older database is filled from its day tables once, at open",
          "[billing][rollup][sqlite]") {
  Portal p;
  VisibleResident(p, "taro@example.jp");
  const int64_t start = Jst("2026-11-21T00:00:00+09:00");
  std::vector<ReadingRow> rows;
  int64_t reg = 7'000;
  for (int h = 0; h <= 48; ++h) {
    if (h == 30) continue;
    if (h == 40) reg = 3;  // a drop
    reg += h % 3;
    rows.push_back({"M000001", start + h * 3600, reg, 0});
  }
  Store(p, rows);
  const std::string sat = Row(p, "2026-11-21T00:00:00+09:00"), sun = Row(p, "2026-11-22T00:00:00+09:00");
  CHECK(sat == "0/24/2/0");  // hand-worked: 24 hours of (h % 3) litres over h = 1..24 → 8 × (0+1+2) = 24
  CHECK(sun.rfind("2/", 0) == 0);  // the hours ending 06:00 and 07:00 of Sunday lack the 30th register
  {
    std::lock_guard lock(p.App().db_mutex);
    p.App().db->Exec("DELETE FROM usage_daily; DELETE FROM server_state WHERE key = 'usage_daily.complete'");
    mizu::backend::EnsureDailyRollup(*p.App().db);
  }
  CHECK(Row(p, "2026-11-21T00:00:00+09:00") == sat);
  CHECK(Row(p, "2026-11-22T00:00:00+09:00") == sun);
  {
    std::lock_guard lock(p.App().db_mutex);
    p.App().db->Exec("DELETE FROM usage_daily");
    mizu::backend::EnsureDailyRollup(*p.App().db);  // already complete: nothing is rebuilt
  }
  CHECK(Row(p, "2026-11-21T00:00:00+09:00") == "none");
}
