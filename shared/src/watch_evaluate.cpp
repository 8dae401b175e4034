// Evaluation of one watch window from hourly cumulative register readings (W1, W7, "Missing data is never
// zero"). Implements: the used / not_used / no_data / partial outcome over the hours that meter.hpp's one
// rule measured (missing, reset and anomalous hours are listed, never counted). Does not: interpolate across
// gaps, guess a rollover modulus, or judge what the volume means for anyone.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "mizu/watch.hpp"

namespace mizu {
namespace {

WatchOutcome Classify(int hours_expected, int hours_present, int64_t volume_l) {
  if (hours_expected <= 0 || hours_present == 0) return WatchOutcome::kNoData;
  if (hours_present < hours_expected) return WatchOutcome::kPartial;
  return volume_l > 0 ? WatchOutcome::kUsed : WatchOutcome::kNotUsed;
}

}  // namespace

std::string_view OutcomeName(WatchOutcome outcome) {
  switch (outcome) {
    case WatchOutcome::kUsed:
      return "used";
    case WatchOutcome::kNotUsed:
      return "not_used";
    case WatchOutcome::kNoData:
      return "no_data";
    case WatchOutcome::kPartial:
      return "partial";
  }
  return "no_data";
}

std::optional<WatchOutcome> ParseOutcome(std::string_view name) {
  for (WatchOutcome o :
       {WatchOutcome::kUsed, WatchOutcome::kNotUsed, WatchOutcome::kNoData, WatchOutcome::kPartial}) {
    if (OutcomeName(o) == name) return o;
  }
  return std::nullopt;
}

WindowEvaluation EvaluateWindow(const WindowId& id, const WatchSettings& settings,
                                const std::vector<HourlyReading>& readings, const MeterLimits& limits) {
  WindowEvaluation ev;
  ev.hours_expected = std::max(settings.window_hours, 0);
  const int64_t start = WindowStartUtc(id);
  const HourlyVolumes hv = ComputeHourlyVolumes(start, ev.hours_expected, readings, limits);
  ev.conflict_detected = hv.conflict;
  for (const HourVolume& h : hv.hours) {
    switch (h.status) {
      case HourStatus::kMeasured:
        ev.volume_l += h.volume_l;
        ++ev.hours_present;
        break;
      case HourStatus::kReset:
        ev.reset_detected = true;
        ev.missing_interval_ends_utc.push_back(h.end_utc);
        break;
      case HourStatus::kMissing:
        ev.missing_interval_ends_utc.push_back(h.end_utc);
        break;
      case HourStatus::kAnomaly:
        ev.anomaly_interval_ends_utc.push_back(h.end_utc);
        break;
    }
  }
  ev.outcome = Classify(ev.hours_expected, ev.hours_present, ev.volume_l);
  return ev;
}

}  // namespace mizu
