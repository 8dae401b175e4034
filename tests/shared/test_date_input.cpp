// Tests of mizu/date_input.hpp: dates as residents type them. Every expected date is written out by hand
// (eras from the Cabinet orders: 平成 from 1989-01-08, 令和 from 2019-05-01, 昭和 from 1926-12-25;
// weekdays from a printed calendar: 2026-12-01 is a Tuesday), not computed by the code under test.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "mizu/date_input.hpp"
#include "mizu/format.hpp"

using mizu::CivilDate;
using mizu::ParseDateInput;

namespace {

// Friday 2026-11-20: what the forms with a year are read on (they do not depend on it).
constexpr CivilDate kToday{2026, 11, 20};

using Cases = std::vector<std::pair<std::string, CivilDate>>;

void CheckAll(const Cases& cases, CivilDate today) {
  for (const auto& [text, want] : cases) {
    INFO("\"" << text << "\" on " << today.year << "-" << today.month << "-" << today.day);
    auto got = ParseDateInput(text, today);
    REQUIRE(got.has_value());
    CHECK(got->year == want.year);
    CHECK(got->month == want.month);
    CHECK(got->day == want.day);
  }
}

void CheckRefused(const std::vector<std::string>& texts, CivilDate today) {
  for (const auto& text : texts) {
    INFO("\"" << text << "\"");
    auto got = ParseDateInput(text, today);
    INFO("read as " << (got ? mizu::FormatDate(*got) : std::string("nothing")));
    CHECK_FALSE(got.has_value());
  }
}

}  // namespace

TEST_CASE("ParseDateInput reads Gregorian dates with separators, as 8 digits and as 年月日", "[date_input]") {
  CheckAll({{"2026-12-01", {2026, 12, 1}},
            {"2026/12/1", {2026, 12, 1}},
            {"2026.12.1", {2026, 12, 1}},
            {"2026/1/5", {2026, 1, 5}},
            {"2026-1-05", {2026, 1, 5}},
            {"20261201", {2026, 12, 1}},
            {"2026年12月1日", {2026, 12, 1}},
            {"2026年 12月 1日", {2026, 12, 1}},
            {"2026 年 12 月 1 日", {2026, 12, 1}},
            {"2024-02-29", {2024, 2, 29}},
            {"2000年2月29日", {2000, 2, 29}},
            {"2027/12/31", {2027, 12, 31}}},
           kToday);
}

TEST_CASE("ParseDateInput reads full-width digits and spaces around", "[date_input]") {
  CheckAll({{"２０２６－１２－０１", {2026, 12, 1}},
            {"２０２６／１２／１", {2026, 12, 1}},
            {"２０２６．１２．１", {2026, 12, 1}},
            {"２０２６１２０１", {2026, 12, 1}},
            {"２０２６年１２月１日", {2026, 12, 1}},
            {"２０２６年　１２月　１日", {2026, 12, 1}},
            {"2026−12−01", {2026, 12, 1}},  // U+2212 minus sign
            {"  2026-12-01  ", {2026, 12, 1}},
            {"　2026/12/1　", {2026, 12, 1}},
            {"\t2026年12月1日\n", {2026, 12, 1}}},
           kToday);
}

TEST_CASE("ParseDateInput accepts a trailing weekday in brackets when it is the date's", "[date_input]") {
  CheckAll({{"2026-12-01（火）", {2026, 12, 1}},
            {"2026-12-01(火)", {2026, 12, 1}},
            {"2026年12月1日（火）", {2026, 12, 1}},
            {"2026年12月1日 （火）", {2026, 12, 1}},
            {"2026/12/1 (火曜日)", {2026, 12, 1}},
            {"2026/12/1(火曜)", {2026, 12, 1}},
            {"2026-12-01 (Tue)", {2026, 12, 1}},
            {"2026-12-01(tue)", {2026, 12, 1}},
            {"2026-12-01 (TUE.)", {2026, 12, 1}},
            {"2026-12-01 (Tues)", {2026, 12, 1}},
            {"2026-12-01 (Tuesday)", {2026, 12, 1}},
            {"２０２６年１２月１日（Ｔｕｅ）", {2026, 12, 1}},
            {"20261201(火)", {2026, 12, 1}},
            {"2026-11-22（日）", {2026, 11, 22}},
            {"2026-11-26 (Thu)", {2026, 11, 26}},
            {"2026-11-26 (Thurs)", {2026, 11, 26}},
            {"2026-11-28(土)", {2026, 11, 28}},
            {"令和8年12月1日（火）", {2026, 12, 1}},
            {"R8.12.1(火)", {2026, 12, 1}}},
           kToday);
}

TEST_CASE("ParseDateInput reads Japanese era dates", "[date_input]") {
  CheckAll({{"令和8年12月1日", {2026, 12, 1}},
            {"令和 8年 12月 1日", {2026, 12, 1}},
            {"令和８年１２月１日", {2026, 12, 1}},
            {"㋿8年12月1日", {2026, 12, 1}},
            {"令和元年5月1日", {2019, 5, 1}},
            {"令和1年5月1日", {2019, 5, 1}},
            {"令和2年1月1日", {2020, 1, 1}},
            {"R8.12.1", {2026, 12, 1}},
            {"R8/12/1", {2026, 12, 1}},
            {"r8-12-1", {2026, 12, 1}},
            {"R08.12.01", {2026, 12, 1}},
            {"Ｒ８．１２．１", {2026, 12, 1}},
            {"令和8.12.1", {2026, 12, 1}},
            {"R元.5.1", {2019, 5, 1}},
            {"平成31年4月30日", {2019, 4, 30}},
            {"H31.4.30", {2019, 4, 30}},
            {"h31/4/30", {2019, 4, 30}},
            {"㍻31年4月30日", {2019, 4, 30}},
            {"平成元年1月8日", {1989, 1, 8}},
            {"H1.1.8", {1989, 1, 8}},
            {"平成12年2月29日", {2000, 2, 29}},
            {"昭和64年1月7日", {1989, 1, 7}},
            {"S64.1.7", {1989, 1, 7}},
            {"㍼64年1月7日", {1989, 1, 7}},
            {"昭和元年12月25日", {1926, 12, 25}},
            {"s1.12.25", {1926, 12, 25}},
            {"昭和50年6月15日", {1975, 6, 15}}},
           kToday);
}

TEST_CASE("ParseDateInput refuses a date outside its era", "[date_input]") {
  CheckRefused({"令和1年4月30日", "R1.4.30", "令和元年4月30日", "令和0年5月1日", "R0.5.1", "平成31年5月1日",
                "H31.5.1", "平成32年1月1日", "平成元年1月7日", "H1.1.7", "平成0年1月8日", "昭和64年1月8日",
                "S64.1.8", "昭和65年1月1日", "昭和元年12月24日", "S1.12.24"},
               kToday);
}

TEST_CASE("ParseDateInput reads a date without a year as the first one on or after today", "[date_input]") {
  const CivilDate december_20{2026, 12, 20};
  CheckAll({{"1/5", {2027, 1, 5}},
            {"12/20", {2026, 12, 20}},
            {"12/19", {2027, 12, 19}},
            {"12/31", {2026, 12, 31}},
            {"01/05", {2027, 1, 5}},
            {"１／５", {2027, 1, 5}},
            {"1月5日", {2027, 1, 5}},
            {"12月20日", {2026, 12, 20}},
            {"12月19日", {2027, 12, 19}},
            {"１２月２０日", {2026, 12, 20}},
            {"12/31(木)", {2026, 12, 31}},
            {"12月31日（木）", {2026, 12, 31}},
            {"2/29", {2028, 2, 29}}},
           december_20);
  CheckAll({{"11/24", {2026, 11, 24}}, {"11/20", {2026, 11, 20}}, {"11/19", {2027, 11, 19}}}, kToday);
  // A leap day is looked for across 2100 (not a leap year): 2104 is the next one.
  CheckAll({{"2/29", {2104, 2, 29}}}, CivilDate{2096, 3, 1});
  CheckRefused({"2/30", "13/1", "0/1", "1/0", "12/32", "12/19(木)"}, december_20);
}

TEST_CASE("ParseDateInput refuses everything else", "[date_input]") {
  CheckRefused(
      {
          "",
          "   ",
          "　",
          "2026-02-30",
          "2026年2月30日",
          "2025-02-29",
          "2026-13-01",
          "2026-00-10",
          "2026-12-00",
          "20260230",
          "２０２６－１２－３２",
          // two- and three-digit years, a leading zero
          "26/12/1",
          "26-12-01",
          "26.12.1",
          "26年12月1日",
          "261201",
          "026/12/1",
          "0999-12-01",
          "02026-12-01",
          // missing or extra parts
          "2026",
          "2026-12",
          "2026/12",
          "2026年12月",
          "2026年12月1",
          "12月",
          "12",
          "2026/12/1/",
          "/2026/12/1",
          "2026//12/1",
          "2026-012-01",
          "2026-12-001",
          "202612011",
          "+2026-12-01",
          "-2026-12-01",
          "2026 12 1",
          "2026年12月1日日",
          "2026年12月1日2026年",
          "2026年12月1日ごろ",
          "2026-12-01 10:00",
          "2026-12-01T00:00:00+09:00",
          "2026-12-01から",
          // mixed separators, M-D and M.D without a year
          "2026/12-1",
          "2026.12/1",
          "12-1",
          "12.1",
          // weekdays: wrong, unknown, empty, not in brackets, not at the end
          "2026-12-01(水)",
          "2026-12-01 (Wed)",
          "2026-12-01(祝)",
          "2026-12-01(火・祝)",
          "2026-12-01()",
          "2026-12-01 火",
          "2026-12-01 Tue",
          "2026-12-01)",
          "(火)",
          "(火)2026-12-01",
          "2026-12-01(火)(火)",
          // eras: unknown, Gregorian year with an era, 元 without one, an era in the middle
          "T15.1.1",
          "大正15年1月1日",
          "M45.1.1",
          "令和2026年12月1日",
          "R2026.12.1",
          "R123.1.1",
          "R8",
          "R8.12",
          "令和8年12月",
          "RR8.12.1",
          "R 令和8.12.1",
          "元年5月1日",
          "2026R.12.1",
          "R20261201",
          // words
          "tomorrow",
          "明日",
          "来週の火曜日",
      },
      kToday);
}

TEST_CASE("ParseDateInput reads back what FormatDay and FormatDayWithWeekday write", "[date_input]") {
  CHECK(mizu::FormatDay(mizu::Lang::kJa, CivilDate{2026, 12, 1}) == "2026年12月1日");
  CHECK(mizu::FormatDayWithWeekday(mizu::Lang::kJa, CivilDate{2026, 12, 1}) == "2026年12月1日（火）");
  for (CivilDate d{2018, 12, 25}; d < CivilDate{2028, 1, 10}; d = mizu::AddDays(d, 1)) {
    INFO(mizu::FormatDate(d));
    CHECK(ParseDateInput(mizu::FormatDay(mizu::Lang::kJa, d), kToday) == d);
    CHECK(ParseDateInput(mizu::FormatDay(mizu::Lang::kEn, d), kToday) == d);
    CHECK(ParseDateInput(mizu::FormatDayWithWeekday(mizu::Lang::kJa, d), kToday) == d);
  }
}
