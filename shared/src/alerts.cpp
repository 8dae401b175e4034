// The watch's alerts from hourly data (alerts.hpp).
#include "mizu/alerts.hpp"

#include "mizu/json_fields.hpp"

namespace mizu {
namespace {

constexpr int64_t kHour = 3600;

bool Used(const HourVolume& h) {
  return h.status == HourStatus::kMeasured && h.volume_l > 0;
}
bool MeasuredZero(const HourVolume& h) {
  return h.status == HourStatus::kMeasured && h.volume_l == 0;
}
int64_t StartOf(const HourVolume& h) {
  return h.end_utc - kHour;
}
// The hour of the day in JST, 0–23, of an instant.
int JstHour(int64_t utc) {
  return ToJst(utc).hour;
}
bool InQuiet(int hour, int from, int to) {
  return from <= to ? hour >= from && hour < to : hour >= from || hour < to;
}

void FindFlow(const std::vector<HourVolume>& hours, const AlertSettings& s, std::vector<AlertEvent>& out) {
  const size_t n = hours.size(), need = static_cast<size_t>(s.flow_hours);
  for (size_t a = 1; a < n; ++a) {
    if (!Used(hours[a]) || Used(hours[a - 1])) continue;  // a run of use starts at a
    size_t b = a;
    int64_t total = 0, first_total = 0;
    while (b < n && Used(hours[b])) {
      total += hours[b].volume_l;
      if (b - a < need) first_total += hours[b].volume_l;
      ++b;
    }
    const size_t start = a;
    a = b;
    if (b - start < need) continue;
    // The episode is keyed by the last hour measured WITHOUT use before the run: hours not reported between
    // them may have been part of it (a reading that comes late joins two runs), so a gap never makes a second
    // episode of one leak. No such hour in the look-back: the start is unknown, the episode is not ours.
    size_t z = start;
    while (z > 0 && !MeasuredZero(hours[z - 1])) --z;
    if (z == 0) continue;
    const int64_t since = hours[z - 1].end_utc;
    const std::string key = std::to_string(since);
    out.push_back({AlertKind::kFlow, "flow:" + key, hours[start + need - 1].end_utc, since, s.flow_hours, 0,
                   first_total});
    // Back to normal: the first measured hour without use after the run (hours not reported in between
    // leave it open; a use before it continues the episode).
    for (size_t j = b; j < n && !Used(hours[j]); ++j) {
      if (!MeasuredZero(hours[j])) continue;
      out.push_back({AlertKind::kFlowNormal, "flow_normal:" + key, hours[j].end_utc, since,
                     static_cast<int>(b - start), 0, total});
      break;
    }
  }
}

void FindNoUse(const std::vector<HourVolume>& hours, const AlertSettings& s, std::vector<AlertEvent>& out) {
  const size_t n = hours.size(), need = static_cast<size_t>(s.no_use_hours);
  for (size_t a = 1; a < n; ++a) {
    if (Used(hours[a]) || !Used(hours[a - 1])) continue;  // quiet from a on, after a known use
    size_t b = a;
    while (b < n && !Used(hours[b])) ++b;
    if (b - a < need) {
      a = b;
      continue;
    }
    int missing = 0;
    for (size_t i = a; i < a + need; ++i) missing += MeasuredZero(hours[i]) ? 0 : 1;
    // One key for both kinds: once "not reported" went out, late data showing no use adds no second alert.
    out.push_back({missing ? AlertKind::kNoData : AlertKind::kNoUse,
                   "no_use:" + std::to_string(StartOf(hours[a])), hours[a + need - 1].end_utc,
                   StartOf(hours[a]), s.no_use_hours, missing, 0});
    a = b;
  }
}

void FindMorning(const std::vector<HourVolume>& hours, const AlertSettings& s, std::vector<AlertEvent>& out) {
  if (hours.empty()) return;
  const CivilDate first = ToJst(StartOf(hours.front())).date, last = ToJst(StartOf(hours.back())).date;
  const int64_t base = StartOf(hours.front());
  for (CivilDate d = first; !(last < d); d = AddDays(d, 1)) {
    const int64_t from = FromJst(d, s.morning_from_hour), by = FromJst(d, s.morning_by_hour);
    if (from < base) continue;  // the window's first hours are not in the look-back
    const std::string key = "morning:" + FormatDate(d);
    int present = 0, missing = 0;
    bool used = false;
    for (const HourVolume& h : hours) {
      if (StartOf(h) < from || StartOf(h) >= by) continue;
      ++present;
      if (Used(h)) {
        out.push_back({AlertKind::kMorningUse, key, h.end_utc, StartOf(h), 0, missing, h.volume_l});
        used = true;
        break;
      }
      if (!MeasuredZero(h)) ++missing;
    }
    if (used || present < s.morning_by_hour - s.morning_from_hour) continue;  // a use, or not over yet
    out.push_back(
        {missing ? AlertKind::kMorningNoData : AlertKind::kMorningNone, key, by, from, present, missing, 0});
  }
}

}  // namespace

nlohmann::json AlertSettingsToJson(const AlertSettings& s) {
  nlohmann::json j = {{"continuous_flow", s.continuous_flow},
                      {"flow_hours", s.flow_hours},
                      {"long_no_use", s.long_no_use},
                      {"no_use_hours", s.no_use_hours},
                      {"morning", s.morning},
                      {"morning_from_hour", s.morning_from_hour},
                      {"morning_by_hour", s.morning_by_hour},
                      {"high_use", s.high_use},
                      {"high_use_percent", s.high_use_percent}};
  const bool quiet = s.quiet_from_hour >= 0 && s.quiet_to_hour >= 0;
  j["quiet_from_hour"] = quiet ? nlohmann::json(s.quiet_from_hour) : nlohmann::json();
  j["quiet_to_hour"] = quiet ? nlohmann::json(s.quiet_to_hour) : nlohmann::json();
  j["away_from"] = s.away_from ? nlohmann::json(FormatDate(*s.away_from)) : nlohmann::json();
  j["away_to"] = s.away_to ? nlohmann::json(FormatDate(*s.away_to)) : nlohmann::json();
  return j;
}

AlertSettings AlertSettingsFromJson(const nlohmann::json& j) {
  AlertSettings s;
  s.continuous_flow = FieldOr(j, "continuous_flow", s.continuous_flow);
  s.flow_hours = FieldOr(j, "flow_hours", s.flow_hours);
  s.long_no_use = FieldOr(j, "long_no_use", s.long_no_use);
  s.no_use_hours = FieldOr(j, "no_use_hours", s.no_use_hours);
  s.morning = FieldOr(j, "morning", s.morning);
  s.morning_from_hour = FieldOr(j, "morning_from_hour", s.morning_from_hour);
  s.morning_by_hour = FieldOr(j, "morning_by_hour", s.morning_by_hour);
  s.high_use = FieldOr(j, "high_use", s.high_use);
  s.high_use_percent = FieldOr(j, "high_use_percent", s.high_use_percent);
  s.quiet_from_hour = FieldOr(j, "quiet_from_hour", s.quiet_from_hour);
  s.quiet_to_hour = FieldOr(j, "quiet_to_hour", s.quiet_to_hour);
  s.away_from = ParseDate(FieldOr(j, "away_from", ""));
  s.away_to = ParseDate(FieldOr(j, "away_to", ""));
  return s;
}

bool AnyAlert(const AlertSettings& s) {
  return s.continuous_flow || s.long_no_use || s.morning || s.high_use;
}

std::vector<FieldError> CheckAlertSettings(const AlertSettings& s) {
  std::vector<FieldError> e;
  auto bad = [&](const char* field) { e.push_back({std::string(err::kInvalidFormat), field}); };
  if (s.flow_hours < 1 || s.flow_hours > 24) bad("flow_hours");
  if (s.no_use_hours < 12 || s.no_use_hours > 72) bad("no_use_hours");
  if (s.morning_from_hour < 0 || s.morning_from_hour > 12) bad("morning_from_hour");
  if (s.morning_by_hour <= s.morning_from_hour || s.morning_by_hour > 23) bad("morning_by_hour");
  if (s.high_use_percent < 10 || s.high_use_percent > 500) bad("high_use_percent");
  const bool quiet_off = s.quiet_from_hour == -1 && s.quiet_to_hour == -1;
  if (!quiet_off) {
    if (s.quiet_from_hour < 0 || s.quiet_from_hour > 23) bad("quiet_from_hour");
    if (s.quiet_to_hour < 0 || s.quiet_to_hour > 23 || s.quiet_to_hour == s.quiet_from_hour)
      bad("quiet_to_hour");
  }
  if (s.away_from.has_value() != s.away_to.has_value() || (s.away_from && *s.away_to < *s.away_from))
    bad("away_to");
  return e;
}

const char* AlertKindName(AlertKind k) {
  switch (k) {
    case AlertKind::kFlow:
      return "flow";
    case AlertKind::kFlowNormal:
      return "flow_normal";
    case AlertKind::kNoUse:
      return "no_use";
    case AlertKind::kNoData:
      return "no_data";
    case AlertKind::kMorningUse:
      return "morning_use";
    case AlertKind::kMorningNone:
      return "morning_none";
    case AlertKind::kMorningNoData:
      return "morning_no_data";
    case AlertKind::kHighUse:
      return "high_use";
  }
  return "";
}

bool IsUrgent(AlertKind k) {
  return k == AlertKind::kFlow || k == AlertKind::kNoUse || k == AlertKind::kNoData;
}

std::vector<AlertEvent> FindHourlyAlerts(const std::vector<HourVolume>& all, const AlertSettings& s,
                                         int64_t pending_after_utc) {
  // The newest hours without a report may only be waiting for their reading: not yet "not reported".
  size_t n = all.size();
  while (n > 0 && all[n - 1].status != HourStatus::kMeasured && all[n - 1].end_utc > pending_after_utc) --n;
  const std::vector<HourVolume> hours(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n));
  std::vector<AlertEvent> out;
  if (s.continuous_flow) FindFlow(hours, s, out);
  if (s.long_no_use) FindNoUse(hours, s, out);
  if (s.morning) FindMorning(hours, s, out);
  return out;
}

std::optional<AlertEvent> FindHighUse(CivilDate week_end, const WeekTotal& this_week,
                                      const WeekTotal& last_year, const AlertSettings& s) {
  if (!s.high_use || this_week.missing_hours || last_year.missing_hours || last_year.volume_l <= 0)
    return std::nullopt;
  if (this_week.volume_l * 100 <= last_year.volume_l * (100 + s.high_use_percent)) return std::nullopt;
  return AlertEvent{AlertKind::kHighUse,
                    "high_use:" + FormatDate(week_end),
                    FromJst(AddDays(week_end, 1)),
                    FromJst(AddDays(week_end, -6)),
                    7 * 24,
                    0,
                    this_week.volume_l};
}

AlertDisposition DisposeAlert(const AlertEvent& e, const AlertSettings& s, int64_t now_utc) {
  const bool away_kind = e.kind == AlertKind::kNoUse || e.kind == AlertKind::kNoData ||
                         e.kind == AlertKind::kMorningUse || e.kind == AlertKind::kMorningNone ||
                         e.kind == AlertKind::kMorningNoData;
  if (away_kind && s.away_from && s.away_to) {
    const CivilDate day = ToJst(e.at_utc - 1).date;  // the day the hour that made it belongs to
    if (!(day < *s.away_from) && !(*s.away_to < day)) return {AlertDisposition::kDrop, 0};
  }
  if (IsUrgent(e.kind) || s.quiet_from_hour < 0 ||
      !InQuiet(JstHour(now_utc), s.quiet_from_hour, s.quiet_to_hour))
    return {AlertDisposition::kSend, 0};
  // Held until the quiet hours end: the next quiet_to o'clock (JST) after now.
  const CivilDate today = ToJst(now_utc).date;
  int64_t until = FromJst(today, s.quiet_to_hour);
  if (until <= now_utc) until = FromJst(AddDays(today, 1), s.quiet_to_hour);
  return {AlertDisposition::kHold, until};
}

}  // namespace mizu
