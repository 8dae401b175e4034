#pragma once
// JST civil time (UTC+9, no DST), Japanese national holidays, business days and the "visible from" rule
// (M10). Instants are UTC epoch seconds (int64_t); dates are proleptic Gregorian civil dates.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mizu {

inline constexpr int64_t kJstOffsetSeconds = 9 * 3600;

struct CivilDate {
  int year = 1970;
  int month = 1;
  int day = 1;
  auto operator<=>(const CivilDate&) const = default;
};

struct CivilDateTime {
  CivilDate date;
  int hour = 0;
  int minute = 0;
  int second = 0;
};

// Days since 1970-01-01 for any valid civil date (negative before 1970).
int64_t DaysFromCivil(CivilDate d);
// Inverse of DaysFromCivil.
CivilDate CivilFromDays(int64_t days);
// 0 = Sunday … 6 = Saturday.
int Weekday(CivilDate d);
bool IsValidDate(CivilDate d);
int DaysInMonth(int year, int month);
CivilDate AddDays(CivilDate d, int64_t n);

// The JST wall-clock time of a UTC instant.
CivilDateTime ToJst(int64_t utc_seconds);
// The UTC instant of a JST wall-clock time.
int64_t FromJst(CivilDate d, int hour = 0, int minute = 0, int second = 0);

// "YYYY-MM-DD" (strict; also accepts full-width digits is NOT done here). nullopt when malformed or not a
// date.
std::optional<CivilDate> ParseDate(std::string_view text);
std::string FormatDate(CivilDate d);
// ISO 8601 instant with an offset: "YYYY-MM-DDTHH:MM[:SS](Z|±HH:MM)"; nullopt when malformed or no offset
// given.
std::optional<int64_t> ParseIso8601(std::string_view text);
// "2026-11-22T07:00:00+09:00".
std::string FormatIsoJst(int64_t utc_seconds);
// "2026-11-22T00:47:00Z".
std::string FormatIsoUtc(int64_t utc_seconds);

struct Holiday {
  CivilDate date;
  std::string name;     // Japanese name as holiday_jp gives it, e.g. 「憲法記念日 振替休日」
  std::string name_en;  // English name, e.g. "Substitute Holiday"
};

inline constexpr int kFirstHolidayYear = 1970;
inline constexpr int kLastHolidayYear = 2099;
// Every national holiday of a year (incl. 振替休日, 国民の休日 and the 2019–2021 special cases), date order.
// Years outside [kFirstHolidayYear, kLastHolidayYear] return an empty list.
std::vector<Holiday> HolidaysInYear(int year);
// The holiday on d, if any.
std::optional<Holiday> HolidayOn(CivilDate d);
bool IsHoliday(CivilDate d);
// Not Saturday, not Sunday, not a national holiday. (Year-end closures are the utility's, not modelled here.)
bool IsBusinessDay(CivilDate d);
// The first business day strictly after d.
CivilDate NextBusinessDay(CivilDate d);
// M10: data becomes visible at 09:00 JST on the first business day strictly after the JST date of `instant`.
int64_t VisibleFrom(int64_t instant);

}  // namespace mizu
