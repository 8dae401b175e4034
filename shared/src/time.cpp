// JST civil time: civil-date arithmetic (proleptic Gregorian, plain integers), JST <-> UTC, ISO 8601
// parsing and formatting, business days and the M10 "visible from" rule. Holidays live in holidays.cpp.
// [X] any int year in the arithmetic   [X] ISO 8601 with Z / ±HH:MM, optional seconds and fraction
// [ ] ISO week/ordinal dates, the basic (no-dash) format, leap seconds — refused, not needed
#include "mizu/time.hpp"

#include <cstdio>

namespace mizu {

namespace {

constexpr int64_t kSecondsPerDay = 86400;

// Floor division for a positive divisor (C++ `/` truncates toward zero).
constexpr int64_t FloorDiv(int64_t a, int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// Reads exactly `count` ASCII digits at text[pos]; advances pos. nullopt when any is not a digit.
std::optional<int> ReadDigits(std::string_view text, size_t& pos, size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = 0; i < count; ++i) {
    char c = text[pos + i];
    if (!IsDigit(c)) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += count;
  return value;
}

bool Expect(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

// "YYYY-MM-DD" at text[pos]; advances pos. nullopt when malformed or not a real date.
std::optional<CivilDate> ReadDate(std::string_view text, size_t& pos) {
  auto year = ReadDigits(text, pos, 4);
  if (!year || !Expect(text, pos, '-')) return std::nullopt;
  auto month = ReadDigits(text, pos, 2);
  if (!month || !Expect(text, pos, '-')) return std::nullopt;
  auto day = ReadDigits(text, pos, 2);
  if (!day) return std::nullopt;
  CivilDate d{*year, *month, *day};
  if (!IsValidDate(d)) return std::nullopt;
  return d;
}

// Writes value as `width` decimal digits (0 <= value < 10^width) ending just before end; returns the start.
char* PutDigits(char* end, int value, int width) {
  for (int i = 0; i < width; ++i, value /= 10) *--end = static_cast<char>('0' + value % 10);
  return end;
}

// "YYYY-MM-DDTHH:MM:SS" + suffix. Years 0–9999 are written digit by digit (a usage answer formats two of
// these per hour: snprintf was 15 % of its CPU); any other year goes through snprintf's %04d as before.
std::string FormatDateTime(const CivilDateTime& t, const char* suffix) {
  if (t.date.year >= 0 && t.date.year <= 9999) {
    char digits[19] = {'0', '0', '0', '0', '-', '0', '0', '-', '0', '0',
                       'T', '0', '0', ':', '0', '0', ':', '0', '0'};
    PutDigits(digits + 4, t.date.year, 4);
    PutDigits(digits + 7, t.date.month, 2);
    PutDigits(digits + 10, t.date.day, 2);
    PutDigits(digits + 13, t.hour, 2);
    PutDigits(digits + 16, t.minute, 2);
    PutDigits(digits + 19, t.second, 2);
    std::string out(digits, sizeof digits);
    out += suffix;
    return out;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%s", t.date.year, t.date.month, t.date.day,
                t.hour, t.minute, t.second, suffix);
  return buf;
}

CivilDateTime ToCivilDateTime(int64_t seconds) {
  int64_t days = FloorDiv(seconds, kSecondsPerDay);
  int64_t rest = seconds - days * kSecondsPerDay;
  CivilDateTime t;
  t.date = CivilFromDays(days);
  t.hour = static_cast<int>(rest / 3600);
  t.minute = static_cast<int>(rest % 3600 / 60);
  t.second = static_cast<int>(rest % 60);
  return t;
}

}  // namespace

// Howard Hinnant's days_from_civil: eras of 400 years, March-based years so the leap day is the last day.
int64_t DaysFromCivil(CivilDate d) {
  const int64_t y = static_cast<int64_t>(d.year) - (d.month <= 2 ? 1 : 0);
  const int64_t era = FloorDiv(y, 400);
  const int64_t yoe = y - era * 400;                          // [0, 399]
  const int64_t mp = (d.month + 9) % 12;                      // March = 0
  const int64_t doy = (153 * mp + 2) / 5 + d.day - 1;         // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = FloorDiv(z, 146097);
  const int64_t doe = z - era * 146097;                                       // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return CivilDate{static_cast<int>(year), month, day};
}

int Weekday(CivilDate d) {
  // 1970-01-01 was a Thursday (4).
  const int64_t w = (DaysFromCivil(d) + 4) % 7;
  return static_cast<int>(w < 0 ? w + 7 : w);
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2) {
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

bool IsValidDate(CivilDate d) {
  return d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= DaysInMonth(d.year, d.month);
}

CivilDate AddDays(CivilDate d, int64_t n) {
  return CivilFromDays(DaysFromCivil(d) + n);
}

CivilDateTime ToJst(int64_t utc_seconds) {
  return ToCivilDateTime(utc_seconds + kJstOffsetSeconds);
}

int64_t FromJst(CivilDate d, int hour, int minute, int second) {
  return DaysFromCivil(d) * kSecondsPerDay + int64_t{hour} * 3600 + int64_t{minute} * 60 + second -
         kJstOffsetSeconds;
}

std::optional<CivilDate> ParseDate(std::string_view text) {
  size_t pos = 0;
  auto d = ReadDate(text, pos);
  if (!d || pos != text.size()) return std::nullopt;
  return d;
}

std::string FormatDate(CivilDate d) {
  if (d.year >= 0 && d.year <= 9999) {  // digit by digit, as FormatDateTime (a usage answer has 731 of these)
    char digits[10] = {'0', '0', '0', '0', '-', '0', '0', '-', '0', '0'};
    PutDigits(digits + 4, d.year, 4);
    PutDigits(digits + 7, d.month, 2);
    PutDigits(digits + 10, d.day, 2);
    return std::string(digits, sizeof digits);
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

// Accepts "YYYY-MM-DDTHH:MM[:SS[.fff…]](Z|±HH:MM)" ('t'/'z' too, as RFC 3339 allows); a fraction is
// truncated.
std::optional<int64_t> ParseIso8601(std::string_view text) {
  size_t pos = 0;
  auto date = ReadDate(text, pos);
  if (!date) return std::nullopt;
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't')) return std::nullopt;
  ++pos;
  auto hour = ReadDigits(text, pos, 2);
  if (!hour || !Expect(text, pos, ':')) return std::nullopt;
  auto minute = ReadDigits(text, pos, 2);
  if (!minute) return std::nullopt;
  int second = 0;
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    auto s = ReadDigits(text, pos, 2);
    if (!s) return std::nullopt;
    second = *s;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      const size_t start = pos;
      while (pos < text.size() && IsDigit(text[pos])) ++pos;
      if (pos == start) return std::nullopt;
    }
  }
  if (*hour > 23 || *minute > 59 || second > 59) return std::nullopt;

  if (pos >= text.size()) return std::nullopt;  // no offset: ambiguous, refused
  int64_t offset = 0;
  const char sign = text[pos++];
  if (sign == 'Z' || sign == 'z') {
    offset = 0;
  } else if (sign == '+' || sign == '-') {
    auto oh = ReadDigits(text, pos, 2);
    if (!oh || !Expect(text, pos, ':')) return std::nullopt;
    auto om = ReadDigits(text, pos, 2);
    if (!om || *oh > 23 || *om > 59) return std::nullopt;
    offset = (int64_t{*oh} * 3600 + int64_t{*om} * 60) * (sign == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;

  const int64_t local =
      DaysFromCivil(*date) * kSecondsPerDay + int64_t{*hour} * 3600 + int64_t{*minute} * 60 + second;
  return local - offset;
}

std::string FormatIsoJst(int64_t utc_seconds) {
  return FormatDateTime(ToJst(utc_seconds), "+09:00");
}

std::string FormatIsoUtc(int64_t utc_seconds) {
  return FormatDateTime(ToCivilDateTime(utc_seconds), "Z");
}

bool IsBusinessDay(CivilDate d) {
  const int wd = Weekday(d);
  return wd != 0 && wd != 6 && !IsHoliday(d);
}

CivilDate NextBusinessDay(CivilDate d) {
  CivilDate next = AddDays(d, 1);
  while (!IsBusinessDay(next)) next = AddDays(next, 1);
  return next;
}

int64_t VisibleFrom(int64_t instant) {
  return FromJst(NextBusinessDay(ToJst(instant).date), 9);
}

}  // namespace mizu
