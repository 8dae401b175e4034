#pragma once
// What a smart meter's hourly registers say about water: the volume of each hour, or why it is unknown. One
// rule for the watch mails, the usage charts and the alerts ("Meter data that is not water", issue 10 §4).
//
// An hour (end − 1 h, end] is measured only when both bounding registers are known and the rise between them
// is water a meter of this size can pass. Otherwise it is:
//  - missing: a bounding register never arrived (or two readings for one instant disagreed);
//  - reset:   the register went down and did not come back — a meter exchange or rollover; the hours after it
//             are measured from the new register;
//  - anomaly: a value the meter cannot have produced: the register went down and later came back to at least
//             its level before the drop (a radio or head-end glitch: every hour from the drop to the return
//             is unknown), or it rose faster than the meter's overload flow rate allows.
// The overload bound is Q4 = 1.25 × Q3 (ISO 4064-1:2014 §4.2.3 / JIS B 8570-1), Q3 being the permanent flow
// rate of the meter's size (a utility setting; DefaultQ3 gives the usual values). Never interpolated, never
// zero.
#include <cstdint>
#include <optional>
#include <vector>

namespace mizu {

// One smart-meter reading: the cumulative register (litres) at the END of an hour (UTC, on the hour).
struct HourlyReading {
  int64_t hour_end_utc = 0;
  int64_t register_l = 0;
};

struct MeterLimits {
  int64_t max_litres_per_hour = 0;  // 0: no physical bound known (the rise check is skipped)
};

// The usual permanent flow rate Q3 (m³/h) of a water meter of nominal diameter `diameter_mm` as Japanese
// utilities size them (13, 20, 25, 30, 40, 50, 75, 100, 150, 200 mm; ISO 4064 R-series values: 13 → 2.5,
// 20 → 4, 25 → 6.3, 30 → 10, 40 → 16, 50 → 25, 75 → 63, 100 → 100, 150 → 250, 200 → 400). nullopt for other
// sizes.
std::optional<double> DefaultQ3(int diameter_mm);
// Q4 = 1.25 × Q3 for one hour, in litres (rounded up): the most a meter of that rate can register in an hour.
int64_t MaxLitresPerHour(double q3_m3_per_h);

enum class HourStatus { kMeasured, kMissing, kReset, kAnomaly };

struct HourVolume {
  int64_t end_utc = 0;
  HourStatus status = HourStatus::kMissing;
  int64_t volume_l = 0;  // only when kMeasured
};

struct HourlyVolumes {
  std::vector<HourVolume> hours;  // `count` hours from start, ascending
  bool conflict = false;          // two readings for one instant disagreed (that instant is unknown)
};

// The `count` hours (start, start + 1 h], … from `readings` (any order, any other instants; readings after
// the last hour are used only to recognise a glitch's return). A negative register is unknown.
HourlyVolumes ComputeHourlyVolumes(int64_t start_utc, int count, const std::vector<HourlyReading>& readings,
                                   const MeterLimits& limits);

}  // namespace mizu
