// Evaluation of one watch window from hourly cumulative register readings (W1, W7, "Missing data is never
// zero"). Implements: per-hour volumes from bounding readings, missing hours, register drops (reset /
// replacement / rollover), conflicting duplicates, and the used / not_used / no_data / partial outcome.
// Does not: interpolate across gaps, guess a rollover modulus, or judge what the volume means for anyone.
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

struct KnownRegisters {
  std::vector<std::pair<int64_t, int64_t>> values;  // (instant, register), ascending, one per instant
  bool conflict = false;
};

// The readings inside [first, last] (instant), one per instant; an instant with disagreeing duplicates or a
// negative register is dropped (unknown), never guessed.
KnownRegisters CollectRegisters(const std::vector<HourlyReading>& readings, int64_t first, int64_t last) {
  std::vector<std::pair<int64_t, int64_t>> in_range;
  for (const auto& r : readings) {
    if (r.hour_end_utc >= first && r.hour_end_utc <= last)
      in_range.emplace_back(r.hour_end_utc, r.register_l);
  }
  std::sort(in_range.begin(), in_range.end());
  KnownRegisters known;
  for (size_t i = 0; i < in_range.size();) {
    size_t j = i;
    bool agree = true;
    while (j < in_range.size() && in_range[j].first == in_range[i].first) {
      if (in_range[j].second != in_range[i].second) agree = false;
      ++j;
    }
    if (!agree) known.conflict = true;
    if (agree && in_range[i].second >= 0) known.values.push_back(in_range[i]);
    i = j;
  }
  return known;
}

std::optional<int64_t> RegisterAt(const KnownRegisters& known, int64_t instant) {
  auto it = std::lower_bound(known.values.begin(), known.values.end(),
                             std::make_pair(instant, std::numeric_limits<int64_t>::min()));
  if (it == known.values.end() || it->first != instant) return std::nullopt;
  return it->second;
}

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
                                const std::vector<HourlyReading>& readings) {
  WindowEvaluation ev;
  ev.hours_expected = std::max(settings.window_hours, 0);
  const int64_t start = WindowStartUtc(id);
  const int64_t end = start + int64_t{ev.hours_expected} * 3600;
  const KnownRegisters known = CollectRegisters(readings, start, end);
  ev.conflict_detected = known.conflict;

  std::optional<int64_t> previous = RegisterAt(known, start);  // the baseline
  for (int k = 0; k < ev.hours_expected; ++k) {
    const int64_t interval_end = start + int64_t{k + 1} * 3600;
    const std::optional<int64_t> current = RegisterAt(known, interval_end);
    if (previous && current && *current >= *previous) {
      ev.volume_l += *current - *previous;
      ++ev.hours_present;
    } else {
      if (previous && current) ev.reset_detected = true;  // the register went down: not measurable
      ev.missing_interval_ends_utc.push_back(interval_end);
    }
    previous = current;
  }
  ev.outcome = Classify(ev.hours_expected, ev.hours_present, ev.volume_l);
  return ev;
}

}  // namespace mizu
