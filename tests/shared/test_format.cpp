// Tests of mizu/format.hpp: the dates, times and numbers people read, byte for byte as the mails, messages
// and screens showed them before the formatters moved to shared/.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

#include "mizu/format.hpp"

using mizu::CivilDate;
using mizu::Lang;

TEST_CASE("FormatThousands groups by three with a comma", "[format]") {
  CHECK(mizu::FormatThousands(0) == "0");
  CHECK(mizu::FormatThousands(7) == "7");
  CHECK(mizu::FormatThousands(999) == "999");
  CHECK(mizu::FormatThousands(1000) == "1,000");
  CHECK(mizu::FormatThousands(5280) == "5,280");
  CHECK(mizu::FormatThousands(99999) == "99,999");
  CHECK(mizu::FormatThousands(100000) == "100,000");
  CHECK(mizu::FormatThousands(1234567) == "1,234,567");
  CHECK(mizu::FormatThousands(-1) == "-1");
  CHECK(mizu::FormatThousands(-999) == "-999");
  CHECK(mizu::FormatThousands(-1000) == "-1,000");
  CHECK(mizu::FormatThousands(-5280) == "-5,280");
  CHECK(mizu::FormatThousands(std::numeric_limits<int64_t>::max()) == "9,223,372,036,854,775,807");
  CHECK(mizu::FormatThousands(std::numeric_limits<int64_t>::min()) == "-9,223,372,036,854,775,808");
}

TEST_CASE("MonthName and FormatClock", "[format]") {
  CHECK(mizu::MonthName(Lang::kJa, 1) == "1月");
  CHECK(mizu::MonthName(Lang::kJa, 11) == "11月");
  CHECK(mizu::MonthName(Lang::kEn, 1) == "Jan");
  CHECK(mizu::MonthName(Lang::kEn, 12) == "Dec");
  CHECK(mizu::MonthName(Lang::kEn, 0).empty());
  CHECK(mizu::MonthName(Lang::kJa, 13).empty());
  CHECK(mizu::FormatClock(Lang::kJa, 6, 0) == "6:00");
  CHECK(mizu::FormatClock(Lang::kEn, 6, 0) == "06:00");
  CHECK(mizu::FormatClock(Lang::kJa, 0, 5) == "0:05");
  CHECK(mizu::FormatClock(Lang::kEn, 0, 5) == "00:05");
  CHECK(mizu::FormatClock(Lang::kJa, 24, 0) == "24:00");
  CHECK(mizu::FormatClock(Lang::kEn, 24, 0) == "24:00");
}

TEST_CASE("A calendar's weekday heads and month title", "[format]") {
  CHECK(mizu::WeekdayShort(Lang::kJa, 0) == "日");
  CHECK(mizu::WeekdayShort(Lang::kJa, 6) == "土");
  CHECK(mizu::WeekdayShort(Lang::kEn, 2) == "Tue");
  CHECK(mizu::WeekdayShort(Lang::kEn, 7).empty());
  CHECK(mizu::WeekdayShort(Lang::kJa, -1).empty());
  CHECK(mizu::FormatYearMonth(Lang::kJa, 2026, 12) == "2026年12月");
  CHECK(mizu::FormatYearMonth(Lang::kEn, 2027, 1) == "Jan 2027");
}

TEST_CASE("Dates without a time", "[format]") {
  const CivilDate d{2026, 11, 22};  // a Sunday
  CHECK(mizu::FormatMonthDay(Lang::kJa, d) == "11月22日");
  CHECK(mizu::FormatMonthDay(Lang::kEn, d) == "Nov 22");
  CHECK(mizu::FormatMonthDay(Lang::kJa, {2027, 1, 5}) == "1月5日");
  CHECK(mizu::FormatMonthDay(Lang::kEn, {2027, 1, 5}) == "Jan 5");
  CHECK(mizu::FormatDay(Lang::kJa, d) == "2026年11月22日");
  CHECK(mizu::FormatDay(Lang::kEn, d) == "2026-11-22");
  CHECK(mizu::FormatDay(Lang::kJa, CivilDate{2026, 1, 8}) == "2026年1月8日");
  CHECK(mizu::FormatDay(Lang::kEn, CivilDate{2026, 1, 8}) == "2026-01-08");
  CHECK(mizu::FormatDay(Lang::kJa, std::string("2026-01-08")) == "2026年1月8日");
  CHECK(mizu::FormatDay(Lang::kEn, std::string("2026-01-08")) == "2026-01-08");
  CHECK(mizu::FormatDay(Lang::kJa, std::string("2026-02-30")) == "2026-02-30");  // not a date: as is
  CHECK(mizu::FormatDay(Lang::kJa, std::string("")).empty());
  CHECK(mizu::FormatDayWithWeekday(Lang::kJa, d) == "2026年11月22日（日）");
  CHECK(mizu::FormatDayWithWeekday(Lang::kEn, d) == "Sun 22 Nov 2026");
  CHECK(mizu::FormatDayWithWeekday(Lang::kJa, {2025, 12, 31}) == "2025年12月31日（水）");
  CHECK(mizu::FormatDayWithWeekday(Lang::kEn, {2026, 1, 5}) == "Mon 5 Jan 2026");
}

TEST_CASE("Instants are shown in JST", "[format]") {
  const int64_t t = 1795273500;  // 2026-11-21T15:05:00Z = 2026-11-22 00:05 JST (a Sunday)
  REQUIRE(t == mizu::FromJst({2026, 11, 22}, 0, 5));
  CHECK(mizu::FormatMonthDayTime(Lang::kJa, t) == "11月22日 0:05");
  CHECK(mizu::FormatMonthDayTime(Lang::kEn, t) == "Nov 22, 00:05 JST");
  CHECK(mizu::FormatDateTime(Lang::kJa, t) == "2026年11月22日 0:05");
  CHECK(mizu::FormatDateTime(Lang::kEn, t) == "2026-11-22 00:05 JST");
  CHECK(mizu::FormatDateTimeWithWeekday(Lang::kJa, t) == "2026年11月22日（日）0:05");
  CHECK(mizu::FormatDateTimeWithWeekday(Lang::kEn, t) == "Sun 22 Nov 2026, 0:05");

  const int64_t u = mizu::FromJst({2026, 1, 5}, 12, 30);  // a Monday
  CHECK(mizu::FormatMonthDayTime(Lang::kJa, u) == "1月5日 12:30");
  CHECK(mizu::FormatMonthDayTime(Lang::kEn, u) == "Jan 5, 12:30 JST");
  CHECK(mizu::FormatDateTime(Lang::kJa, u) == "2026年1月5日 12:30");
  CHECK(mizu::FormatDateTime(Lang::kEn, u) == "2026-01-05 12:30 JST");
  CHECK(mizu::FormatDateTimeWithWeekday(Lang::kJa, u) == "2026年1月5日（月）12:30");
  CHECK(mizu::FormatDateTimeWithWeekday(Lang::kEn, u) == "Mon 5 Jan 2026, 12:30");
  // 23:59 JST on 31 December is still that year in JST (14:59 UTC).
  const int64_t v = mizu::FromJst({2025, 12, 31}, 23, 59);
  CHECK(mizu::FormatDateTime(Lang::kJa, v) == "2025年12月31日 23:59");
  CHECK(mizu::FormatDateTime(Lang::kEn, v) == "2025-12-31 23:59 JST");
}
