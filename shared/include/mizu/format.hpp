#pragma once
// Dates, times and numbers as people read them, in Japanese and English: the one home of these texts for the
// server's mails and messages and the web app's screens (the same on both sides). Dates and times are JST
// (instants are UTC epoch seconds, shown in JST); Japanese texts use no leading zeros.
#include <cstdint>
#include <string>

#include "mizu/i18n.hpp"
#include "mizu/time.hpp"

namespace mizu {

// 1234567 → "1,234,567", -5280 → "-5,280", 999 → "999", 0 → "0".
std::string FormatThousands(int64_t value);

// 11 → "11月" / "Nov"; "" outside 1..12.
std::string MonthName(Lang lang, int month);
// 0 (Sunday) … 6 → 「日」…「土」 / "Sun" … "Sat"; "" outside 0..6.
std::string WeekdayShort(Lang lang, int weekday);
// 「2026年12月」 / "Dec 2026" (a calendar's month).
std::string FormatYearMonth(Lang lang, int year, int month);
// "9:05" / "09:05". hour may be 24 (the end of a day).
std::string FormatClock(Lang lang, int hour, int minute);
// 「11月22日」 / "Nov 22".
std::string FormatMonthDay(Lang lang, CivilDate d);
// 「2026年11月18日」 / "2026-11-18".
std::string FormatDay(Lang lang, CivilDate d);
// As FormatDay for a "YYYY-MM-DD" text; a text that is not such a date is returned as is.
std::string FormatDay(Lang lang, const std::string& iso_date);
// 「2026年11月22日（日）」 / "Sun 22 Nov 2026".
std::string FormatDayWithWeekday(Lang lang, CivilDate d);

// 「11月22日 12:30」 / "Nov 22, 12:30 JST".
std::string FormatMonthDayTime(Lang lang, int64_t utc);
// 「2026年11月22日 9:00」 / "2026-11-22 09:00 JST".
std::string FormatDateTime(Lang lang, int64_t utc);
// 「2026年11月22日（日）9:00」 / "Sun 22 Nov 2026, 9:00".
std::string FormatDateTimeWithWeekday(Lang lang, int64_t utc);

}  // namespace mizu
