#pragma once
// The watch's alerts from hourly data (issue 16; docs/notifications.md), as the peers offer them: 坂城町's
// 「異変メール」 (water running 2 hours or more without a break, or none for a long time) and 「元気メール」
// (the first use in the morning), 東京都水道局's trial (continuous use, long non-use, a rise against last
// year), EyeOnWater/WaterSmart (leak and high-use alerts with quiet hours). Pure functions over
// ComputeHourlyVolumes's hours (meter.hpp): the backend evaluates a look-back of hours each time, and every
// event carries a key that the same episode always gives, so re-evaluating after late data or a restart adds
// nothing already reported (the backend's unique alert row does the rest). Missing data is never "no use": a
// run with a missing hour is reported as "the meter has not reported", never as "no water was used".
#include <climits>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mizu/errors.hpp"
#include "mizu/meter.hpp"
#include "mizu/time.hpp"

namespace mizu {

// A contract's alert choices (per watch). Hours are JST clock hours.
struct AlertSettings {
  bool continuous_flow = false;
  int flow_hours = 2;  // use in every hour for this many hours in a row (1–24)
  bool long_no_use = false;
  int no_use_hours = 24;      // no use for this many hours (12–72)
  bool morning = false;       // 元気メール
  int morning_from_hour = 5;  // the first use from this hour (0–12) …
  int morning_by_hour = 10;   // … until this hour (from + 1 … 23); none by then: a mail saying so
  bool high_use = false;
  int high_use_percent = 50;  // a week above the same week last year by more than this (10–500)
  // Quiet hours for the non-urgent kinds (元気メール, high use, back to normal): from ≠ to, both 0–23; -1:
  // none.
  int quiet_from_hour = -1;
  int quiet_to_hour = -1;
  // Pause while away (旅行・入院): JST dates, both inclusive; no-use and morning alerts are not sent then,
  // and the pause ends by itself after `away_to`.
  std::optional<CivilDate> away_from;
  std::optional<CivilDate> away_to;
};

// The choices as JSON: the API's shape (docs/api.md; quiet hours and away dates null when off), which is also
// how the backend stores them. Read back leniently: a member missing or of another type keeps its default
// (checking a resident's input is the route's, with field errors).
nlohmann::json AlertSettingsToJson(const AlertSettings& s);
AlertSettings AlertSettingsFromJson(const nlohmann::json& j);
// Any kind turned on.
bool AnyAlert(const AlertSettings& s);

// Field errors (field names as the settings' members; code invalid_format): hours out of range, morning_by
// not after morning_from, quiet hours half set or equal, an away period with one end or ending before it
// starts.
std::vector<FieldError> CheckAlertSettings(const AlertSettings& s);

enum class AlertKind {
  kFlow,           // use in every hour for flow_hours in a row (a leak, a tap left open) — urgent
  kFlowNormal,     // after kFlow: the first measured hour without use
  kNoUse,          // no_use_hours in a row measured with no use — urgent
  kNoData,         // no_use_hours in a row without use or without a report, some not reported — urgent
  kMorningUse,     // 元気メール: the day's first use in [morning_from, morning_by)
  kMorningNone,    // no use by morning_by, every hour measured
  kMorningNoData,  // no use by morning_by, some hours not reported
  kHighUse,        // a week above last year's same week
};
// "flow", "flow_normal", "no_use", "no_data", "morning_use", "morning_none", "morning_no_data", "high_use".
const char* AlertKindName(AlertKind k);
// Urgent kinds go at once, also in quiet hours: kFlow, kNoUse, kNoData.
bool IsUrgent(AlertKind k);

struct AlertEvent {
  AlertKind kind = AlertKind::kFlow;
  std::string episode;    // stable key: one alert per episode ("flow:<run start utc>", "morning:2026-12-01")
  int64_t at_utc = 0;     // the end of the hour that made it true
  int64_t since_utc = 0;  // the episode's first hour's start (flow, no use); the hour used (morning)
  int hours = 0;          // hours in the run when it became true (flow, no use, no data)
  int missing_hours = 0;  // of those, not reported (kNoData; kMorningNoData)
  int64_t volume_l = 0;   // litres in the run (kFlow) or in the hour (kMorningUse)
};

// The events in `hours` (consecutive hours, ascending, as ComputeHourlyVolumes gives them). A run is only
// reported when its start is known within `hours` (a continuous flow: an hour measured without use before it;
// no use: an hour with use before it). Reset and anomaly hours count as not reported. Hours at the end
// without a report that ended after `pending_after_utc` are still pending (their reading may come): they are
// left out, so nothing is decided on them yet.
std::vector<AlertEvent> FindHourlyAlerts(const std::vector<HourVolume>& hours, const AlertSettings& s,
                                         int64_t pending_after_utc = INT64_MAX);

// The weekly high-use check: the 7 JST days ending `week_end` against the same weekdays 364 days earlier;
// each total with its missing hours. Only complete weeks on both sides are compared (missing is not zero).
struct WeekTotal {
  int64_t volume_l = 0;
  int missing_hours = 0;
};
std::optional<AlertEvent> FindHighUse(CivilDate week_end, const WeekTotal& this_week,
                                      const WeekTotal& last_year, const AlertSettings& s);

// What to do with an event now: send it, hold it until `until_utc` (quiet hours), or drop it (away).
struct AlertDisposition {
  enum { kSend, kHold, kDrop } action = kSend;
  int64_t until_utc = 0;
};
AlertDisposition DisposeAlert(const AlertEvent& e, const AlertSettings& s, int64_t now_utc);

}  // namespace mizu
