// Smart-meter usage by hour or day from the hourly cumulative registers. A missing hour is reported missing
// (no volume), never as zero; a day says how many of its hours it was built from.
#include <algorithm>
#include <optional>

#include "common.hpp"
#include "mizu/backend/billing.hpp"
#include "mizu/backend/ingest.hpp"
#include "mizu/watch.hpp"

namespace mizu::backend {

using namespace billing;

namespace {

constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 24 * kHour;

// One bound of the range: a JST date (to: inclusive, so the day after's midnight) or, for step=hour, an
// ISO 8601 instant on the hour. nullopt with an error for anything else.
std::optional<int64_t> ParseBound(const std::string& text, UsageStep step, bool is_to, const char* field,
                                  std::vector<FieldError>& errors) {
  // Dates and instants in the years the portal keeps (1970–2099, as the calendar): a bound in year 9999 would
  // make an end instant in year 10000, which ISO 8601's four-digit years cannot write.
  auto in_years = [](const CivilDate& d) { return d.year >= 1970 && d.year <= 2099; };
  if (auto d = ParseDate(text); d && in_years(*d)) return FromJst(is_to ? AddDays(*d, 1) : *d);
  if (step == UsageStep::kHour)
    if (auto t = ParseIso8601(text); t && *t % kHour == 0 && in_years(ToJst(*t).date)) return *t;
  errors.push_back({std::string(err::kDateInvalid), field});
  return std::nullopt;
}

}  // namespace

UsageRange ParseUsageRange(const std::string& step, const std::string& from, const std::string& to,
                           int64_t now) {
  std::vector<FieldError> errors;
  UsageRange r;
  if (step == "hour")
    r.step = UsageStep::kHour;
  else if (step == "day" || step.empty())
    r.step = UsageStep::kDay;
  else
    throw ServiceError(400, err::kInvalidFormat, {{std::string(err::kInvalidFormat), "step"}});
  const int64_t span = r.step == UsageStep::kHour ? kDay : 30 * kDay;  // the default width
  const int64_t tomorrow = FromJst(AddDays(ToJst(now).date, 1));
  std::optional<int64_t> f, t;
  if (!from.empty()) f = ParseBound(from, r.step, false, "from", errors);
  if (!to.empty()) t = ParseBound(to, r.step, true, "to", errors);
  if (!errors.empty()) throw ServiceError(400, errors.front().code, errors);
  r.to_utc = t ? *t : (f ? *f + span : tomorrow);
  r.from_utc = f ? *f : r.to_utc - span;
  if (r.from_utc >= r.to_utc)
    throw ServiceError(400, err::kDateInvalid, {{std::string(err::kDateInvalid), "to"}});
  int64_t limit =
      r.step == UsageStep::kHour ? int64_t{kMaxUsageHours} * kHour : int64_t{kMaxUsageDays} * kDay;
  if (r.to_utc - r.from_utc > limit)
    throw ServiceError(400, err::kRangeTooLong, {{std::string(err::kRangeTooLong), "from"}});
  return r;
}

UsageSeries ContractUsage(App& app, const ContractView& contract, const UsageRange& range, int64_t now) {
  UsageSeries s;
  s.range = range;
  s.until_utc = std::min(range.to_utc, now - now % kHour);
  const bool daily = range.step == UsageStep::kDay;
  // Daily steps: whole days before until_utc come from the rollup (ingest.hpp), one row a day; readings are
  // read only for the day in progress and for the rare irregular day (a drop, or a rise above the meter's
  // bound), which the hour rules (meter.hpp) must judge from the registers themselves.
  const int64_t whole_days = daily ? std::max<int64_t>(0, s.until_utc - range.from_utc) / kDay : 0;
  const int64_t first_day = JstDayNumber(range.from_utc);
  std::vector<HourlyReading> readings;
  std::vector<std::optional<DailyRollup>> rollups(static_cast<size_t>(whole_days));  // [day - first_day]
  MeterLimits limits;
  ReadDb(app, [&](Database& db) {
    auto q = db.Prepare(
        "SELECT COALESCE(meter_id, ''), smart_meter, diameter_mm FROM customers WHERE customer_number = ?");
    q.Bind(1, contract.customer_number);
    if (!q.Step() || q.Int(1) == 0 || q.Text(0).empty()) throw ServiceError(409, err::kNotSmartMeter);
    std::string meter = q.Text(0);
    limits = MeterLimitsFor(app.config.utility, static_cast<int>(q.Int(2)));
    q.Reset();
    if (s.until_utc <= range.from_utc) return;
    if (!daily) {
      readings = ReadingsForMeter(db, meter, range.from_utc, s.until_utc);
      return;
    }
    if (whole_days > 0)
      for (const DailyRollup& r : DailyRollupsForMeter(db, meter, first_day, first_day + whole_days - 1))
        rollups[static_cast<size_t>(r.day - first_day)] = r;
    for (const auto& r : rollups)
      if (r && !r->Regular(limits)) {
        const int64_t start = range.from_utc + (r->day - first_day) * kDay;
        auto more = ReadingsForMeter(db, meter, start, start + kDay);
        readings.insert(readings.end(), more.begin(), more.end());
      }
    const int64_t partial = range.from_utc + whole_days * kDay;
    if (partial < s.until_utc) {
      auto more = ReadingsForMeter(db, meter, partial, s.until_utc);
      readings.insert(readings.end(), more.begin(), more.end());
    }
  });
  auto by_hour = [](const HourlyReading& a, const HourlyReading& b) {
    return a.hour_end_utc < b.hour_end_utc;
  };
  if (!std::is_sorted(readings.begin(), readings.end(), by_hour))  // one query's rows already are
    std::stable_sort(readings.begin(), readings.end(), by_hour);
  if (!daily) {
    const int count = static_cast<int>(std::max<int64_t>(0, s.until_utc - range.from_utc) / kHour);
    s.hours.reserve(static_cast<size_t>(count));
    for (const HourVolume& v : ComputeHourlyVolumes(range.from_utc, count, readings, limits).hours) {
      UsageHour h{v.end_utc, std::nullopt, v.status == HourStatus::kReset, v.status == HourStatus::kAnomaly};
      if (v.status == HourStatus::kMeasured) {
        h.volume_l = v.volume_l;
        ++s.hours_present;
        s.volume_l += v.volume_l;
      }
      ++s.hours_expected;
      s.hours.push_back(h);
    }
    return s;
  }
  s.days.reserve(static_cast<size_t>((s.until_utc - range.from_utc + kDay - 1) / kDay));
  CivilDate date = ToJst(range.from_utc).date;
  for (int64_t start = range.from_utc, day = first_day; start < s.until_utc;
       start += kDay, ++day, date = AddDays(date, 1)) {
    const bool whole = day < first_day + whole_days;
    const std::optional<DailyRollup>* rollup =
        whole ? &rollups[static_cast<size_t>(day - first_day)] : nullptr;
    if (whole && (!*rollup || (*rollup)->Regular(limits))) {
      // No paired hour (no row), or a regular day: every paired hour is measured.
      UsageDay d{date, std::nullopt, 0, 24, false, 0};
      if (*rollup) {
        d.hours_present = 24 - (*rollup)->missing_hours;
        if (d.hours_present > 0) d.volume_l = (*rollup)->volume_l;
        s.volume_l += (*rollup)->volume_l;
      }
      s.hours_expected += 24;
      s.hours_present += d.hours_present;
      s.days.push_back(d);
      continue;
    }
    WatchSettings whole_day;
    whole_day.window_hours = static_cast<int>(std::min<int64_t>(kDay, s.until_utc - start) / kHour);
    // Only this day's readings (ascending), baseline at midnight included.
    auto first = std::lower_bound(readings.begin(), readings.end(), start,
                                  [](const HourlyReading& r, int64_t t) { return r.hour_end_utc < t; });
    auto last = std::upper_bound(first, readings.end(), start + kDay,
                                 [](int64_t t, const HourlyReading& r) { return t < r.hour_end_utc; });
    WindowEvaluation ev = EvaluateWindow(WindowId{date, 0}, whole_day, {first, last}, limits);
    UsageDay d{date,
               std::nullopt,
               ev.hours_present,
               ev.hours_expected,
               ev.reset_detected,
               static_cast<int>(ev.anomaly_interval_ends_utc.size())};
    if (ev.hours_present > 0) d.volume_l = ev.volume_l;
    s.hours_expected += ev.hours_expected;
    s.hours_present += ev.hours_present;
    s.volume_l += ev.volume_l;
    s.days.push_back(d);
  }
  return s;
}

}  // namespace mizu::backend
