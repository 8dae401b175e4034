// Dates, times and numbers as people read them (see format.hpp).
#include "mizu/format.hpp"

#include <cstdio>

namespace mizu {
namespace {

constexpr const char* kMonthsEn[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* kWeekdaysJa[] = {"日", "月", "火", "水", "木", "金", "土"};
constexpr const char* kWeekdaysEn[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

const char* WeekdayName(Lang lang, CivilDate d) {
  return (lang == Lang::kJa ? kWeekdaysJa : kWeekdaysEn)[Weekday(d)];
}

}  // namespace

std::string WeekdayShort(Lang lang, int weekday) {
  if (weekday < 0 || weekday > 6) return "";
  return (lang == Lang::kJa ? kWeekdaysJa : kWeekdaysEn)[weekday];
}

std::string FormatYearMonth(Lang lang, int year, int month) {
  if (lang == Lang::kJa) return std::to_string(year) + "年" + MonthName(lang, month);
  return MonthName(lang, month) + " " + std::to_string(year);
}

std::string FormatThousands(int64_t value) {
  const uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  const std::string digits = std::to_string(magnitude);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

std::string MonthName(Lang lang, int month) {
  if (month < 1 || month > 12) return "";
  return lang == Lang::kJa ? std::to_string(month) + "月" : kMonthsEn[month - 1];
}

std::string FormatClock(Lang lang, int hour, int minute) {
  char buf[16];
  std::snprintf(buf, sizeof buf, lang == Lang::kEn ? "%02d:%02d" : "%d:%02d", hour, minute);
  return buf;
}

std::string FormatMonthDay(Lang lang, CivilDate d) {
  if (lang == Lang::kEn) return MonthName(lang, d.month) + " " + std::to_string(d.day);
  return std::to_string(d.month) + "月" + std::to_string(d.day) + "日";
}

std::string FormatDay(Lang lang, CivilDate d) {
  if (lang == Lang::kEn) return FormatDate(d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d年%d月%d日", d.year, d.month, d.day);
  return buf;
}

std::string FormatDay(Lang lang, const std::string& iso_date) {
  auto d = ParseDate(iso_date);
  return d ? FormatDay(lang, *d) : iso_date;
}

std::string FormatDayWithWeekday(Lang lang, CivilDate d) {
  char buf[64];
  if (lang == Lang::kJa)
    std::snprintf(buf, sizeof buf, "%d年%d月%d日（%s）", d.year, d.month, d.day, WeekdayName(lang, d));
  else
    std::snprintf(buf, sizeof buf, "%s %d %s %d", WeekdayName(lang, d), d.day,
                  MonthName(lang, d.month).c_str(), d.year);
  return buf;
}

std::string FormatMonthDayTime(Lang lang, int64_t utc) {
  const CivilDateTime t = ToJst(utc);
  if (lang == Lang::kEn)
    return FormatMonthDay(lang, t.date) + ", " + FormatClock(lang, t.hour, t.minute) + " JST";
  return FormatMonthDay(lang, t.date) + " " + FormatClock(lang, t.hour, t.minute);
}

std::string FormatDateTime(Lang lang, int64_t utc) {
  const CivilDateTime t = ToJst(utc);
  char buf[64];
  if (lang == Lang::kEn)
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d JST", t.date.year, t.date.month, t.date.day,
                  t.hour, t.minute);
  else
    std::snprintf(buf, sizeof buf, "%d年%d月%d日 %d:%02d", t.date.year, t.date.month, t.date.day, t.hour,
                  t.minute);
  return buf;
}

std::string FormatDateTimeWithWeekday(Lang lang, int64_t utc) {
  const CivilDateTime t = ToJst(utc);
  char buf[96];
  std::snprintf(buf, sizeof buf, lang == Lang::kJa ? "%s%d:%02d" : "%s, %d:%02d",
                FormatDayWithWeekday(lang, t.date).c_str(), t.hour, t.minute);
  return buf;
}

}  // namespace mizu
