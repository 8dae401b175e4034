// Meter plausibility (meter.hpp): impossible register values are never water. Expected values are worked by
// hand from the registers written in each case and ISO 4064's Q4 = 1.25 × Q3.
#include <catch2/catch.hpp>
#include <vector>

#include "mizu/meter.hpp"
#include "mizu/time.hpp"
#include "mizu/watch.hpp"

using mizu::HourlyReading;
using mizu::HourStatus;
using mizu::MeterLimits;

namespace {

const int64_t kT = mizu::FromJst({2026, 11, 21}, 6);  // 06:00 JST, the baseline instant

std::vector<HourlyReading> Registers(const std::vector<int64_t>& values) {
  std::vector<HourlyReading> out;
  for (size_t i = 0; i < values.size(); ++i) out.push_back({kT + static_cast<int64_t>(i) * 3600, values[i]});
  return out;
}

std::vector<HourStatus> Statuses(const mizu::HourlyVolumes& v) {
  std::vector<HourStatus> out;
  for (const auto& h : v.hours) out.push_back(h.status);
  return out;
}

const MeterLimits k13mm{3125};  // Q3 2.5 m³/h → Q4 3.125 m³/h → 3,125 L in an hour

constexpr auto M = HourStatus::kMeasured;
constexpr auto A = HourStatus::kAnomaly;
constexpr auto R = HourStatus::kReset;
constexpr auto X = HourStatus::kMissing;

}  // namespace

TEST_CASE("meter: Q3 defaults per diameter and the hourly bound Q4 = 1.25 x Q3", "[meter]") {
  CHECK(mizu::DefaultQ3(13) == 2.5);
  CHECK(mizu::DefaultQ3(20) == 4.0);
  CHECK(mizu::DefaultQ3(25) == 6.3);
  CHECK(mizu::DefaultQ3(40) == 16.0);
  CHECK(mizu::DefaultQ3(100) == 100.0);
  CHECK_FALSE(mizu::DefaultQ3(14).has_value());
  CHECK(mizu::MaxLitresPerHour(2.5) == 3125);  // 2.5 × 1.25 × 1000
  CHECK(mizu::MaxLitresPerHour(4.0) == 5000);
  CHECK(mizu::MaxLitresPerHour(6.3) == 7875);  // 6.3 × 1.25 = 7.875 m³
}

TEST_CASE("meter: a radio glitch to zero and back is an anomaly for every hour it touches", "[meter]") {
  // The reported case: 1,000,000 → 1,000,010 → 0 → 1,000,050 → 1,000,060.
  auto v = mizu::ComputeHourlyVolumes(kT, 4, Registers({1000000, 1000010, 0, 1000050, 1000060}), k13mm);
  CHECK(Statuses(v) == std::vector<HourStatus>{M, A, A, M});
  CHECK(v.hours[0].volume_l == 10);
  CHECK(v.hours[3].volume_l == 10);
  // The same without a known meter size: the return to the old level still gives the glitch away.
  auto unbounded = mizu::ComputeHourlyVolumes(kT, 4, Registers({1000000, 1000010, 0, 1000050, 1000060}), {});
  CHECK(Statuses(unbounded) == std::vector<HourStatus>{M, A, A, M});
  // A shallow dip and back: the hour of the dip and the hour of the return.
  auto dip =
      mizu::ComputeHourlyVolumes(kT, 4, Registers({1000000, 1000010, 999990, 1000030, 1000040}), k13mm);
  CHECK(Statuses(dip) == std::vector<HourStatus>{M, A, A, M});
  // An upward spike and back to where the meter really was.
  auto spike = mizu::ComputeHourlyVolumes(kT, 3, Registers({1000000, 9999999, 1000020, 1000030}), k13mm);
  CHECK(Statuses(spike) == std::vector<HourStatus>{A, A, M});
  CHECK(spike.hours[2].volume_l == 10);
}

TEST_CASE("meter: a real meter exchange still works: the drop hour is a reset and the new meter is measured",
          "[meter]") {
  // Old meter at 1,000,010, new meter from 3: 3 → 10 → 25 (7 L and 15 L).
  auto v = mizu::ComputeHourlyVolumes(kT, 4, Registers({1000000, 1000010, 3, 10, 25}), k13mm);
  CHECK(Statuses(v) == std::vector<HourStatus>{M, R, M, M});
  CHECK(v.hours[2].volume_l == 7);
  CHECK(v.hours[3].volume_l == 15);
}

TEST_CASE("meter: a rise faster than the meter's overload flow is not water", "[meter]") {
  // 3,200 L in an hour: over 3,125 for 13 mm, within 5,000 for 20 mm; exactly 3,125 is possible.
  CHECK(Statuses(mizu::ComputeHourlyVolumes(kT, 2, Registers({0, 100, 3300}), k13mm)) ==
        std::vector<HourStatus>{M, A});
  CHECK(Statuses(mizu::ComputeHourlyVolumes(kT, 2, Registers({0, 100, 3300}), MeterLimits{5000})) ==
        std::vector<HourStatus>{M, M});
  CHECK(Statuses(mizu::ComputeHourlyVolumes(kT, 1, Registers({0, 3125}), k13mm)) ==
        std::vector<HourStatus>{M});
  CHECK(Statuses(mizu::ComputeHourlyVolumes(kT, 1, Registers({0, 3126}), k13mm)) ==
        std::vector<HourStatus>{A});
}

TEST_CASE("meter: missing stays missing and a window lists anomalies apart from missing hours", "[meter]") {
  CHECK(Statuses(mizu::ComputeHourlyVolumes(kT, 2, {}, k13mm)) == std::vector<HourStatus>{X, X});
  mizu::WatchSettings four_hours;
  four_hours.window_hours = 4;
  auto ev = mizu::EvaluateWindow({{2026, 11, 21}, 6}, four_hours, Registers({1000000, 1000010, 0, 1000050}),
                                 k13mm);  // 10:00 never arrived
  CHECK(ev.outcome == mizu::WatchOutcome::kPartial);
  CHECK(ev.volume_l == 10);  // only 6:00–7:00; never 1,000,050
  CHECK(ev.hours_present == 1);
  CHECK(ev.anomaly_interval_ends_utc == std::vector<int64_t>{kT + 2 * 3600, kT + 3 * 3600});
  CHECK(ev.missing_interval_ends_utc == std::vector<int64_t>{kT + 4 * 3600});
  CHECK_FALSE(ev.reset_detected);
}
