// Hourly volumes from cumulative registers, with missing, reset and anomalous hours (see meter.hpp).
#include "mizu/meter.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace mizu {
namespace {

constexpr int64_t kHour = 3600;

struct Known {
  std::vector<std::pair<int64_t, int64_t>> values;  // (instant, register) ascending, one per instant
  bool conflict = false;
};

// Every reading at or after `first`, one per instant; disagreeing duplicates and negative registers dropped.
Known Collect(const std::vector<HourlyReading>& readings, int64_t first) {
  std::vector<std::pair<int64_t, int64_t>> all;
  all.reserve(readings.size());
  for (const auto& r : readings)
    if (r.hour_end_utc >= first) all.emplace_back(r.hour_end_utc, r.register_l);
  if (!std::is_sorted(all.begin(), all.end())) std::sort(all.begin(), all.end());
  Known k;
  k.values.reserve(all.size());
  for (size_t i = 0; i < all.size();) {
    size_t j = i;
    bool agree = true;
    while (j < all.size() && all[j].first == all[i].first) {
      if (all[j].second != all[i].second) agree = false;
      ++j;
    }
    if (!agree) k.conflict = true;
    if (agree && all[i].second >= 0) k.values.push_back(all[i]);
    i = j;
  }
  return k;
}

const std::pair<int64_t, int64_t>* At(const Known& k, int64_t instant) {
  auto it = std::lower_bound(k.values.begin(), k.values.end(), std::make_pair(instant, INT64_MIN));
  return it != k.values.end() && it->first == instant ? &*it : nullptr;
}

bool TooFast(int64_t litres, int64_t seconds, const MeterLimits& limits) {
  if (limits.max_litres_per_hour <= 0) return false;
  // litres / (seconds / 3600) > max  ⇔  litres · 3600 > max · seconds (no overflow for real registers)
  return static_cast<long double>(litres) * kHour >
         static_cast<long double>(limits.max_litres_per_hour) * seconds;
}

// After a drop from `before` (at instant t0): the instant of the first later register that is back at or
// above `before` at a rate the meter can pass — the glitch's return — or nullopt (a real reset).
std::optional<int64_t> GlitchReturn(const Known& k, int64_t t0, int64_t before, const MeterLimits& limits) {
  auto it = std::upper_bound(k.values.begin(), k.values.end(), std::make_pair(t0, INT64_MAX));
  for (; it != k.values.end(); ++it) {
    if (it->second >= before && !TooFast(it->second - before, it->first - t0, limits)) return it->first;
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> DefaultQ3(int diameter_mm) {
  static const std::pair<int, double> kTable[] = {{13, 2.5}, {20, 4},  {25, 6.3},  {30, 10},   {40, 16},
                                                  {50, 25},  {75, 63}, {100, 100}, {150, 250}, {200, 400}};
  for (const auto& [d, q3] : kTable)
    if (d == diameter_mm) return q3;
  return std::nullopt;
}

int64_t MaxLitresPerHour(double q3_m3_per_h) {
  return static_cast<int64_t>(std::ceil(q3_m3_per_h * 1.25 * 1000.0 - 1e-9));
}

HourlyVolumes ComputeHourlyVolumes(int64_t start_utc, int count, const std::vector<HourlyReading>& readings,
                                   const MeterLimits& limits) {
  HourlyVolumes out;
  out.hours.reserve(static_cast<size_t>(std::max(count, 0)));
  const Known k = Collect(readings, start_utc);
  out.conflict = k.conflict;
  int64_t anomaly_until = INT64_MIN;  // hours ending at or before this instant are a glitch's hours
  // The latest register a measured hour ended on (at first the baseline at `start`).
  std::optional<std::pair<int64_t, int64_t>> last_good;
  if (const auto* base = At(k, start_utc)) last_good = *base;
  bool spike = false;  // the previous hour rose too fast
  for (int i = 0; i < count; ++i) {
    HourVolume h;
    h.end_utc = start_utc + int64_t{i + 1} * kHour;
    const auto* prev = At(k, h.end_utc - kHour);
    const auto* cur = At(k, h.end_utc);
    if (h.end_utc <= anomaly_until) {
      h.status = HourStatus::kAnomaly;
    } else if (!prev || !cur) {
      h.status = HourStatus::kMissing;
    } else if (cur->second < prev->second) {
      auto back = GlitchReturn(k, prev->first, prev->second, limits);
      bool spike_back = spike && last_good && cur->second >= last_good->second &&
                        !TooFast(cur->second - last_good->second, cur->first - last_good->first, limits);
      if (spike_back) {
        h.status = HourStatus::kAnomaly;  // the end of an upward glitch: back to where the meter really was
      } else if (back) {
        anomaly_until = *back;
        h.status = HourStatus::kAnomaly;
      } else {
        h.status = HourStatus::kReset;
      }
    } else if (TooFast(cur->second - prev->second, kHour, limits)) {
      h.status = HourStatus::kAnomaly;
    } else {
      h.status = HourStatus::kMeasured;
      h.volume_l = cur->second - prev->second;
    }
    spike = h.status == HourStatus::kAnomaly && prev && cur && cur->second > prev->second;
    if (h.status == HourStatus::kMeasured) last_good = *cur;
    if (h.status == HourStatus::kReset) last_good = *cur;  // the new meter's register is the new truth
    out.hours.push_back(h);
  }
  return out;
}

}  // namespace mizu
