// Watch rules (W3/W4): start hours, overlap on the 24-hour circle, recipients, window timing and due windows.
// Evaluation from readings lives in watch_evaluate.cpp.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mizu/errors.hpp"
#include "mizu/format.hpp"
#include "mizu/text.hpp"
#include "mizu/time.hpp"
#include "mizu/watch.hpp"

namespace mizu {
namespace {

constexpr int kHoursPerDay = 24;
constexpr int kMinutesPerHour = 60;

std::string IndexedField(std::string_view base, size_t i, std::string_view member = {}) {
  std::string out(base);
  out += '[';
  out += std::to_string(i);
  out += ']';
  if (!member.empty()) {
    out += '.';
    out += member;
  }
  return out;
}

// Valid start hours normalised to 0..23, duplicates removed, ascending.
std::vector<int> DistinctStartHours(const std::vector<int>& raw) {
  std::vector<int> hours;
  for (int h : raw) {
    if (IsValidStartHour(h)) hours.push_back(NormalizeStartHour(h));
  }
  std::sort(hours.begin(), hours.end());
  hours.erase(std::unique(hours.begin(), hours.end()), hours.end());
  return hours;
}

}  // namespace

std::vector<std::string> CheckWatchSettings(const WatchSettings& s) {
  std::vector<std::string> problems;
  if (s.window_hours < 1 || s.window_hours > 12) problems.push_back("watch.window_hours must be 1..12");
  if (s.report_delay_minutes < 0 || s.report_delay_minutes > 24 * 60) {
    problems.push_back("watch.report_delay_minutes must be 0..1440");
  }
  if (s.max_windows < 1 || s.max_windows > kHoursPerDay)
    problems.push_back("watch.max_windows must be 1..24");
  if (s.max_recipients < 1 || s.max_recipients > 100)
    problems.push_back("watch.max_recipients must be 1..100");
  return problems;
}

// ---- Start hours ------------------------------------------------------------------------------------------

bool IsValidStartHour(int raw_hour) {
  return raw_hour >= 0 && raw_hour <= kHoursPerDay;
}

int NormalizeStartHour(int raw_hour) {
  return raw_hour == kHoursPerDay ? 0 : raw_hour;
}

std::vector<int> NormalizeStartHours(const std::vector<int>& raw) {
  std::vector<int> out;
  out.reserve(raw.size());
  for (int h : raw) out.push_back(NormalizeStartHour(h));
  return out;
}

bool WindowsOverlap(int start_a, int start_b, int width_hours) {
  if (width_hours <= 0) return false;
  // Distance from a forward to b on the circle; [a, a+w) and [b, b+w) meet unless both gaps are ≥ w.
  int d = ((start_b - start_a) % kHoursPerDay + kHoursPerDay) % kHoursPerDay;
  return d < width_hours || kHoursPerDay - d < width_hours;
}

std::vector<FieldError> ValidateStartHours(const std::vector<int>& raw, const WatchSettings& settings) {
  std::vector<FieldError> errors;
  if (raw.empty()) {
    errors.push_back({std::string(err::kWatchNoWindow), "start_hours"});
    return errors;
  }
  if (static_cast<int>(raw.size()) > settings.max_windows) {
    errors.push_back({std::string(err::kWatchTooManyWindows), "start_hours"});
  }
  std::vector<int> valid;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (!IsValidStartHour(raw[i])) {
      errors.push_back({std::string(err::kWatchHourInvalid), IndexedField("start_hours", i)});
    } else {
      valid.push_back(NormalizeStartHour(raw[i]));
    }
  }
  bool overlap = false;
  for (size_t i = 0; i < valid.size() && !overlap; ++i) {
    for (size_t j = i + 1; j < valid.size() && !overlap; ++j) {
      overlap = WindowsOverlap(valid[i], valid[j], settings.window_hours);
    }
  }
  if (overlap) errors.push_back({std::string(err::kWatchOverlap), "start_hours"});
  return errors;
}

// ---- Recipients -------------------------------------------------------------------------------------------

WatchRecipient NormalizeRecipient(const WatchRecipient& raw) {
  return WatchRecipient{NormalizeText(raw.name), NormalizeEmail(raw.email)};
}

std::vector<WatchRecipient> NormalizeRecipients(const std::vector<WatchRecipient>& raw) {
  std::vector<WatchRecipient> out;
  out.reserve(raw.size());
  for (const auto& r : raw) out.push_back(NormalizeRecipient(r));
  return out;
}

std::vector<FieldError> ValidateRecipients(const std::vector<WatchRecipient>& raw,
                                           const WatchSettings& settings) {
  std::vector<FieldError> errors;
  if (raw.empty()) {
    errors.push_back({std::string(err::kWatchNoRecipient), "recipients"});
    return errors;
  }
  if (static_cast<int>(raw.size()) > settings.max_recipients) {
    errors.push_back({std::string(err::kWatchTooManyRecipients), "recipients"});
  }
  std::vector<std::string> seen;  // lower-cased valid addresses of earlier entries
  for (size_t i = 0; i < raw.size(); ++i) {
    const WatchRecipient r = NormalizeRecipient(raw[i]);
    if (r.name.empty()) {
      errors.push_back({std::string(err::kRequired), IndexedField("recipients", i, "name")});
    } else if (Utf8Length(r.name) > static_cast<size_t>(kMaxRecipientNameLength)) {
      errors.push_back({std::string(err::kTooLong), IndexedField("recipients", i, "name")});
    }
    const std::string email_field = IndexedField("recipients", i, "email");
    if (r.email.empty()) {
      errors.push_back({std::string(err::kRequired), email_field});
      continue;
    }
    if (auto code = ValidateEmail(r.email)) {
      errors.push_back({std::string(*code), email_field});
      continue;
    }
    std::string key = AsciiLower(r.email);
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      errors.push_back({std::string(err::kWatchDuplicateRecipient), email_field});
    } else {
      seen.push_back(std::move(key));
    }
  }
  return errors;
}

// ---- Windows ----------------------------------------------------------------------------------------------

WindowTiming WindowTimingOf(int start_hour, const WatchSettings& settings) {
  WindowTiming t;
  t.start_minute = NormalizeStartHour(start_hour) * kMinutesPerHour;
  t.end_minute = t.start_minute + settings.window_hours * kMinutesPerHour;
  t.report_minute = t.end_minute + settings.report_delay_minutes;
  return t;
}

DayTime DayTimeOf(int minutes) {
  constexpr int kMinutesPerDay = kHoursPerDay * kMinutesPerHour;
  return DayTime{minutes / kMinutesPerDay, minutes % kMinutesPerDay / kMinutesPerHour,
                 minutes % kMinutesPerHour};
}

int64_t WindowStartUtc(const WindowId& id) {
  return FromJst(id.date, id.start_hour);
}

int64_t WindowEndUtc(const WindowId& id, const WatchSettings& settings) {
  const WindowTiming t = WindowTimingOf(id.start_hour, settings);
  return WindowStartUtc(id) + int64_t{t.end_minute - t.start_minute} * 60;
}

int64_t WindowDueUtc(const WindowId& id, const WatchSettings& settings) {
  const WindowTiming t = WindowTimingOf(id.start_hour, settings);
  return WindowStartUtc(id) + int64_t{t.report_minute - t.start_minute} * 60;
}

WindowId WindowStartingAt(int64_t start_utc) {
  const CivilDateTime jst = ToJst(start_utc);
  return WindowId{jst.date, jst.hour};
}

std::string FormatWindowId(const WindowId& id) {
  std::string out = FormatDate(id.date);
  out += 'T';
  out += static_cast<char>('0' + id.start_hour / 10);
  out += static_cast<char>('0' + id.start_hour % 10);
  return out;
}

std::optional<WindowId> ParseWindowId(std::string_view text) {
  const size_t t = text.find('T');
  if (t == std::string_view::npos || text.size() != t + 3) return std::nullopt;
  const auto date = ParseDate(text.substr(0, t));
  const char h1 = text[t + 1];
  const char h2 = text[t + 2];
  if (!date || h1 < '0' || h1 > '9' || h2 < '0' || h2 > '9') return std::nullopt;
  const int hour = (h1 - '0') * 10 + (h2 - '0');
  if (hour >= kHoursPerDay) return std::nullopt;
  return WindowId{*date, hour};
}

std::vector<WindowId> WindowsDueIn(const std::vector<int>& start_hours, const WatchSettings& settings,
                                   int64_t after_utc, int64_t upto_utc) {
  std::vector<WindowId> due;
  if (upto_utc <= after_utc) return due;
  const std::vector<int> hours = DistinctStartHours(start_hours);
  if (hours.empty()) return due;
  // A window is due in (after, upto] exactly when its start lies in (after − lag, upto − lag].
  const WindowTiming timing = WindowTimingOf(0, settings);  // the same lag for every start hour
  const int64_t lag = int64_t{timing.report_minute - timing.start_minute} * 60;
  const int64_t first_start = after_utc - lag;  // exclusive
  const int64_t last_start = upto_utc - lag;    // inclusive
  const CivilDate last_date = ToJst(last_start).date;
  for (CivilDate d = ToJst(first_start).date; d <= last_date; d = AddDays(d, 1)) {
    for (int h : hours) {
      const int64_t start = FromJst(d, h);
      if (start > first_start && start <= last_start) due.push_back(WindowId{d, h});
    }
  }
  // Days ascend and hours ascend within a day, and every window has the same lag: already in due order.
  return due;
}

std::string FormatDailyWindow(Lang lang, int start_hour, const WatchSettings& settings) {
  const WindowTiming t = WindowTimingOf(start_hour, settings);
  const DayTime start = DayTimeOf(t.start_minute);
  const DayTime end = DayTimeOf(t.end_minute);
  const bool midnight = end.days_later == 1 && end.hour == 0 && end.minute == 0;  // read as 24:00
  return FormatClock(lang, start.hour, start.minute) + (lang == Lang::kEn ? "–" : "〜") +
         FormatClock(lang, midnight ? 24 : end.hour, end.minute);
}

}  // namespace mizu
