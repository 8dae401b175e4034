#pragma once
// Water watch (見守り, W1–W7): start-hour and recipient rules, window timing (start / end / due, which
// windows fall due in an interval) and the evaluation of one window from hourly meter readings. Pure
// functions: used by the backend's scheduler and, compiled to wasm, by the browser's form validation. Missing
// data is never zero: an interval without both bounding readings is missing, never "no water used".
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mizu/errors.hpp"
#include "mizu/i18n.hpp"
#include "mizu/meter.hpp"
#include "mizu/time.hpp"

namespace mizu {

// The utility's watch settings (config keys watch.window_hours, watch.report_delay_minutes).
struct WatchSettings {
  int window_hours = 6;           // 「見守り設定時間は6時間幅」; sane range 1..12
  int report_delay_minutes = 30;  // the mail is due this long after the window ends (6:00–12:00 → 12:30)
  int max_windows = 2;            // start times per day
  int max_recipients = 5;
};

inline constexpr int kMaxRecipientNameLength = 40;  // code points

// Empty when the settings are usable; otherwise one English sentence per problem (for config loading).
std::vector<std::string> CheckWatchSettings(const WatchSettings& settings);

// ---- Start hours ------------------------------------------------------------------------------------------

// True for an acceptable raw start hour: whole hours 0..24 (24 means 0:00, as the guide's 「24:00」).
bool IsValidStartHour(int raw_hour);
// 24 → 0; every other value is returned unchanged (so an invalid hour stays invalid).
int NormalizeStartHour(int raw_hour);
// NormalizeStartHour applied to each entry, order kept. Call after ValidateStartHours found nothing.
std::vector<int> NormalizeStartHours(const std::vector<int>& raw);
// Whether windows of `width_hours` starting at hours a and b (0..23) intersect on the 24-hour circle
// (22:00 + 6h overlaps 2:00; 6:00 and 12:00 with width 6 only touch and do not overlap; a == b overlaps).
bool WindowsOverlap(int start_a, int start_b, int width_hours);
// W3/W4. Errors, in this order: kWatchNoWindow / kWatchTooManyWindows on "start_hours"; kWatchHourInvalid on
// "start_hours[i]" for each hour outside 0..24; at most one kWatchOverlap on "start_hours" (duplicates, incl.
// 0 and 24, overlap). Empty when acceptable.
std::vector<FieldError> ValidateStartHours(const std::vector<int>& raw, const WatchSettings& settings);

// ---- Recipients -------------------------------------------------------------------------------------------

struct WatchRecipient {
  std::string name;
  std::string email;
  bool operator==(const WatchRecipient&) const = default;
};

// Name through NormalizeText, e-mail through NormalizeEmail; order kept.
WatchRecipient NormalizeRecipient(const WatchRecipient& raw);
std::vector<WatchRecipient> NormalizeRecipients(const std::vector<WatchRecipient>& raw);
// W3. Normalises each entry first, then: kWatchNoRecipient / kWatchTooManyRecipients on "recipients";
// per entry i: "recipients[i].name" kRequired / kTooLong (> kMaxRecipientNameLength code points),
// "recipients[i].email" kRequired / kEmailInvalid / kWatchDuplicateRecipient (same address as an earlier
// entry, compared case-insensitively). Empty when acceptable.
std::vector<FieldError> ValidateRecipients(const std::vector<WatchRecipient>& raw,
                                           const WatchSettings& settings);

// ---- Windows ----------------------------------------------------------------------------------------------

// One watched window: the JST date it STARTS on and its start hour (0..23). A window starting at 22:00 on
// 11-22 ends on 11-23 and still has date 11-22.
struct WindowId {
  CivilDate date;
  int start_hour = 0;
  auto operator<=>(const WindowId&) const = default;
};

// A wall-clock time (JST) counted from 0:00 of the day a window starts.
struct DayTime {
  int days_later = 0;  // 0: the start day, 1: the next day, …
  int hour = 0;        // 0..23
  int minute = 0;      // 0..59
  bool operator==(const DayTime&) const = default;
};

// The one home of the watch's timing rule (W2): the daily window starting at `start_hour` lasts
// settings.window_hours, and its report is due settings.report_delay_minutes after it ends. All three are
// minutes after 0:00 JST of the start day, and end/report pass 1440 on the next day: start 22, width 6,
// delay 30 → 1320 (22:00), 1680 (04:00 next day), 1710 (04:30 next day). JST has no daylight saving, so the
// same minutes hold on every date. `start_hour` 24 means 0; other hours outside 0..23 are not checked.
struct WindowTiming {
  int start_minute = 0;   // start_hour · 60
  int end_minute = 0;     // start_minute + window_hours · 60
  int report_minute = 0;  // end_minute + report_delay_minutes
  bool operator==(const WindowTiming&) const = default;
};
WindowTiming WindowTimingOf(int start_hour, const WatchSettings& settings);
// Minutes after 0:00 of a window's start day (≥ 0) as {days later, hour, minute}: 1710 → {1, 4, 30}.
DayTime DayTimeOf(int minutes);

// The daily window of a start hour without a date, as the form, the confirmation and the mails all say it:
// 「6:00〜12:00」 / "06:00–12:00"; a window that ends at midnight ends at 「24:00」, never 「0:00」.
std::string FormatDailyWindow(Lang lang, int start_hour, const WatchSettings& settings);

// FromJst(date, start_hour).
int64_t WindowStartUtc(const WindowId& id);
// The instant of WindowTimingOf(id.start_hour).end_minute on id.date (start + window_hours).
int64_t WindowEndUtc(const WindowId& id, const WatchSettings& settings);
// The instant of WindowTimingOf(id.start_hour).report_minute on id.date (end + report_delay_minutes): when
// the mail about this window goes out.
int64_t WindowDueUtc(const WindowId& id, const WatchSettings& settings);
// The window starting at a UTC instant (inverse of WindowStartUtc; minutes/seconds are dropped).
WindowId WindowStartingAt(int64_t start_utc);
// "2026-11-22T06" (JST date and start hour): a stable key for storage and logs.
std::string FormatWindowId(const WindowId& id);
// Inverse of FormatWindowId; nullopt when malformed.
std::optional<WindowId> ParseWindowId(std::string_view text);

// Every window of the given start hours (raw: 24 is 0; invalid hours ignored; duplicates counted once) whose
// due instant lies in (after_utc, upto_utc], sorted by due instant. Handles ranges of any number of days and
// windows crossing midnight (start 22, width 6, delay 30 → due 04:30 the next day, dated the day before).
// Empty when upto_utc <= after_utc. Cost is linear in the number of days spanned.
std::vector<WindowId> WindowsDueIn(const std::vector<int>& start_hours, const WatchSettings& settings,
                                   int64_t after_utc, int64_t upto_utc);

// ---- Evaluation -------------------------------------------------------------------------------------------

enum class WatchOutcome {
  kUsed,     // every hour measured, volume > 0
  kNotUsed,  // every hour measured, volume == 0 — the ONLY way to say "no water used"
  kNoData,   // no hour measured
  kPartial,  // some hours measured: volume_l is a lower bound over the measured hours only
};

// "used" / "not_used" / "no_data" / "partial".
std::string_view OutcomeName(WatchOutcome outcome);
// Inverse of OutcomeName; nullopt for anything else.
std::optional<WatchOutcome> ParseOutcome(std::string_view name);

struct WindowEvaluation {
  WatchOutcome outcome = WatchOutcome::kNoData;
  int64_t volume_l = 0;         // sum over measured hours only
  int hours_expected = 0;       // = window_hours
  int hours_present = 0;        // hours with both bounding readings and a register that did not go down
  bool reset_detected = false;  // the register went down in some hour (meter reset / replacement / rollover)
  bool conflict_detected = false;  // two readings for one instant disagreed (that instant is then unknown)
  std::vector<int64_t> missing_interval_ends_utc;  // ascending: each hour without data (or the reset hour)
  std::vector<int64_t> anomaly_interval_ends_utc;  // ascending: each hour whose meter values are impossible
};

// Hour k (0-based) of the window is (start + k h, start + (k+1) h]; its volume is register(end) −
// register(start), so the reading at the start instant is the baseline. Each hour is measured, missing, reset
// or an anomaly by ComputeHourlyVolumes (meter.hpp) under `limits`: only measured hours count; a reset sets
// reset_detected and is listed as missing; an anomaly is listed apart (never as use, never as "no report").
// Readings may come in any order, include other hours, repeat with the same value; a negative register or
// conflicting duplicates make that instant unknown. Outcome: all measured → kUsed / kNotUsed by volume; none
// → kNoData; otherwise kPartial.
WindowEvaluation EvaluateWindow(const WindowId& id, const WatchSettings& settings,
                                const std::vector<HourlyReading>& readings, const MeterLimits& limits = {});

}  // namespace mizu
