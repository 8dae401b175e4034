// Tests of mizu/time.hpp: civil-date arithmetic, JST conversion, ISO 8601, holidays (against the independent
// holiday_jp oracle, 1970–2050, both directions), business days and the M10 "visible from" rule.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "mizu/time.hpp"

using mizu::CivilDate;

namespace {

// The `YYYY-MM-DD: name` lines of holiday_jp's holidays.yml, keyed by date text.
std::map<std::string, std::string> LoadOracle(const std::string& path) {
  std::map<std::string, std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() < 13 || line[10] != ':' || line[11] != ' ') continue;
    if (!mizu::ParseDate(line.substr(0, 10))) continue;
    out[line.substr(0, 10)] = line.substr(12);
  }
  return out;
}

int64_t Jst(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  return mizu::FromJst({y, mo, d}, h, mi, s);
}

}  // namespace

TEST_CASE("DaysFromCivil known values", "[time]") {
  CHECK(mizu::DaysFromCivil({1970, 1, 1}) == 0);
  CHECK(mizu::DaysFromCivil({1969, 12, 31}) == -1);
  CHECK(mizu::DaysFromCivil({2000, 1, 1}) == 10957);
  CHECK(mizu::DaysFromCivil({2000, 3, 1}) == 11017);
  CHECK(mizu::DaysFromCivil({2026, 11, 20}) == 20777);
  CHECK(mizu::DaysFromCivil({1900, 1, 1}) == -25567);
  CHECK(mizu::DaysFromCivil({0, 3, 1}) == -719468);
  CHECK(mizu::CivilFromDays(20777) == CivilDate{2026, 11, 20});
  CHECK(mizu::CivilFromDays(-1) == CivilDate{1969, 12, 31});
  CHECK(mizu::CivilFromDays(11016) == CivilDate{2000, 2, 29});
}

TEST_CASE("DaysFromCivil and CivilFromDays round-trip", "[time]") {
  // Every day 1600–2400 (leap rules of 100 and 400 included) is consecutive and round-trips.
  int64_t expected = mizu::DaysFromCivil({1600, 1, 1});
  int failures = 0;
  for (int y = 1600; y <= 2400; ++y) {
    for (int m = 1; m <= 12; ++m) {
      for (int d = 1; d <= mizu::DaysInMonth(y, m); ++d) {
        const CivilDate date{y, m, d};
        const int64_t days = mizu::DaysFromCivil(date);
        if (days != expected || mizu::CivilFromDays(days) != date) ++failures;
        ++expected;
      }
    }
  }
  CHECK(failures == 0);
  for (int64_t days = -1000000; days <= 1000000; days += 997) {
    REQUIRE(mizu::DaysFromCivil(mizu::CivilFromDays(days)) == days);
  }
}

TEST_CASE("Weekday, DaysInMonth, IsValidDate, AddDays", "[time]") {
  CHECK(mizu::Weekday({1970, 1, 1}) == 4);
  CHECK(mizu::Weekday({1969, 12, 28}) == 0);
  CHECK(mizu::Weekday({2000, 1, 1}) == 6);
  CHECK(mizu::Weekday({2026, 11, 20}) == 5);
  CHECK(mizu::Weekday({2026, 11, 23}) == 1);
  CHECK(mizu::Weekday({1900, 1, 1}) == 1);

  CHECK(mizu::DaysInMonth(2024, 2) == 29);
  CHECK(mizu::DaysInMonth(2026, 2) == 28);
  CHECK(mizu::DaysInMonth(1900, 2) == 28);
  CHECK(mizu::DaysInMonth(2000, 2) == 29);
  CHECK(mizu::DaysInMonth(2026, 4) == 30);
  CHECK(mizu::DaysInMonth(2026, 12) == 31);
  CHECK(mizu::DaysInMonth(2026, 13) == 0);

  CHECK(mizu::IsValidDate({2024, 2, 29}));
  CHECK_FALSE(mizu::IsValidDate({2026, 2, 29}));
  CHECK_FALSE(mizu::IsValidDate({2026, 2, 30}));
  CHECK_FALSE(mizu::IsValidDate({2026, 4, 31}));
  CHECK_FALSE(mizu::IsValidDate({2026, 0, 1}));
  CHECK_FALSE(mizu::IsValidDate({2026, 1, 0}));

  CHECK(mizu::AddDays({2026, 12, 31}, 1) == CivilDate{2027, 1, 1});
  CHECK(mizu::AddDays({2024, 2, 28}, 1) == CivilDate{2024, 2, 29});
  CHECK(mizu::AddDays({2024, 3, 1}, -1) == CivilDate{2024, 2, 29});
  CHECK(mizu::AddDays({2026, 1, 1}, 365) == CivilDate{2027, 1, 1});
}

TEST_CASE("ToJst and FromJst around midnight UTC and JST", "[time]") {
  const auto epoch = mizu::ToJst(0);
  CHECK(epoch.date == CivilDate{1970, 1, 1});
  CHECK(epoch.hour == 9);
  CHECK(mizu::FromJst({1970, 1, 1}, 9) == 0);

  // 2026-11-19T15:00:00Z is JST midnight of the 20th; one second earlier is still the 19th.
  const int64_t jst_midnight = mizu::FromJst({2026, 11, 20});
  CHECK(mizu::FormatIsoUtc(jst_midnight) == "2026-11-19T15:00:00Z");
  auto t = mizu::ToJst(jst_midnight);
  CHECK(t.date == CivilDate{2026, 11, 20});
  CHECK((t.hour == 0 && t.minute == 0 && t.second == 0));
  t = mizu::ToJst(jst_midnight - 1);
  CHECK(t.date == CivilDate{2026, 11, 19});
  CHECK((t.hour == 23 && t.minute == 59 && t.second == 59));

  // UTC midnight is 09:00 JST the same day.
  const int64_t utc_midnight = mizu::DaysFromCivil({2026, 11, 20}) * 86400;
  t = mizu::ToJst(utc_midnight);
  CHECK(t.date == CivilDate{2026, 11, 20});
  CHECK(t.hour == 9);
  t = mizu::ToJst(utc_midnight - 1);
  CHECK(t.date == CivilDate{2026, 11, 20});
  CHECK((t.hour == 8 && t.minute == 59 && t.second == 59));

  // Before the epoch: floor, not truncation.
  t = mizu::ToJst(-9 * 3600 - 1);
  CHECK(t.date == CivilDate{1969, 12, 31});
  CHECK((t.hour == 23 && t.minute == 59 && t.second == 59));

  for (int64_t s = -100000; s < 200000; s += 7919) {
    const auto j = mizu::ToJst(s);
    REQUIRE(mizu::FromJst(j.date, j.hour, j.minute, j.second) == s);
  }
}

TEST_CASE("ParseDate and FormatDate", "[time]") {
  CHECK(mizu::ParseDate("2026-11-20") == CivilDate{2026, 11, 20});
  CHECK(mizu::ParseDate("2024-02-29") == CivilDate{2024, 2, 29});
  CHECK_FALSE(mizu::ParseDate("2026-02-30"));
  CHECK_FALSE(mizu::ParseDate("2026-13-01"));
  CHECK_FALSE(mizu::ParseDate("2026-1-20"));
  CHECK_FALSE(mizu::ParseDate("2026-11-20 "));
  CHECK_FALSE(mizu::ParseDate("2026/11/20"));
  CHECK_FALSE(mizu::ParseDate(""));
  CHECK_FALSE(mizu::ParseDate("２０２６-11-20"));
  CHECK(mizu::FormatDate({2026, 1, 5}) == "2026-01-05");
  CHECK(mizu::FormatDate({0, 1, 1}) == "0000-01-01");
  CHECK(mizu::FormatDate({9999, 12, 31}) == "9999-12-31");
  CHECK(mizu::FormatDate({10000, 1, 1}) == "10000-01-01");  // beyond four digits: as %04d writes it
  CHECK(mizu::FormatDate({-1, 12, 31}) == "-001-12-31");
}

TEST_CASE("ParseIso8601", "[time]") {
  const int64_t expected = Jst(2026, 11, 22, 7);
  CHECK(mizu::ParseIso8601("2026-11-22T07:00:00+09:00") == expected);
  CHECK(mizu::ParseIso8601("2026-11-21T22:00:00Z") == expected);
  CHECK(mizu::ParseIso8601("2026-11-21T22:00:00z") == expected);
  CHECK(mizu::ParseIso8601("2026-11-21T17:00:00-05:00") == expected);
  CHECK(mizu::ParseIso8601("2026-11-21T22:00+00:00") == expected);  // no seconds
  CHECK(mizu::ParseIso8601("2026-11-22T07:00+09:00") == expected);
  CHECK(mizu::ParseIso8601("2026-11-21T22:00:00.999Z") == expected);  // fraction truncated
  CHECK(mizu::ParseIso8601("2026-11-22T07:00:00+05:30") == expected + 3 * 3600 + 1800);
  CHECK(mizu::ParseIso8601("1970-01-01T00:00:00Z") == 0);
  CHECK(mizu::ParseIso8601("1969-12-31T23:59:59Z") == -1);
  CHECK(mizu::ParseIso8601("2024-02-29T00:00:00+09:00") == Jst(2024, 2, 29));

  CHECK_FALSE(mizu::ParseIso8601("2026-11-22T07:00:00"));        // no offset
  CHECK_FALSE(mizu::ParseIso8601("2026-11-22T07:00"));           // no offset
  CHECK_FALSE(mizu::ParseIso8601("2026-11-22"));                 // date only
  CHECK_FALSE(mizu::ParseIso8601("2026-02-30T07:00:00+09:00"));  // not a date
  CHECK_FALSE(mizu::ParseIso8601("2026-11-22T24:00:00+09:00"));
  CHECK_FALSE(mizu::ParseIso8601("2026-11-22T07:60:00+09:00"));
  CHECK_FALSE(mizu::ParseIso8601("2026-11-22T07:00:60+09:00"));
  CHECK_FALSE(mizu::ParseIso8601("2026-11-22 07:00:00+09:00"));
  CHECK_FALSE(mizu::ParseIso8601("2026-11-22T7:00:00+09:00"));
  CHECK_FALSE(mizu::ParseIso8601("2026-11-22T07:00:00+0900"));
  CHECK_FALSE(mizu::ParseIso8601("2026-11-22T07:00:00+9:00"));
  CHECK_FALSE(mizu::ParseIso8601("2026-11-22T07:00:00+09:00x"));
  CHECK_FALSE(mizu::ParseIso8601("2026-11-22T07:00:00.Z"));
  CHECK_FALSE(mizu::ParseIso8601("2026-11-22T07:00:00ZZ"));
  CHECK_FALSE(mizu::ParseIso8601("garbage"));
  CHECK_FALSE(mizu::ParseIso8601(""));
}

TEST_CASE("FormatIsoJst and FormatIsoUtc", "[time]") {
  CHECK(mizu::FormatIsoJst(Jst(2026, 11, 22, 7)) == "2026-11-22T07:00:00+09:00");
  CHECK(mizu::FormatIsoJst(0) == "1970-01-01T09:00:00+09:00");
  CHECK(mizu::FormatIsoJst(Jst(2026, 12, 31, 23, 59, 59)) == "2026-12-31T23:59:59+09:00");
  CHECK(mizu::FormatIsoUtc(Jst(2026, 11, 22, 9, 47)) == "2026-11-22T00:47:00Z");
  CHECK(mizu::FormatIsoUtc(-1) == "1969-12-31T23:59:59Z");
  // The ends of the four-digit years (hand-worked: 0000-03-01 is 719,468 days before 1970-01-01, Hinnant's
  // constant; 0000-01-01 60 days before that, year 0 being leap; 9999-12-31T23:59:59Z is 253,402,300,799 s),
  // and the years beyond them, written as snprintf's %04d writes them.
  CHECK(mizu::FormatIsoUtc(int64_t{-719468} * 86400) == "0000-03-01T00:00:00Z");
  CHECK(mizu::FormatIsoUtc(int64_t{-719468} * 86400 - 1) == "0000-02-29T23:59:59Z");
  CHECK(mizu::FormatIsoUtc(int64_t{-719528} * 86400) == "0000-01-01T00:00:00Z");
  CHECK(mizu::FormatIsoUtc(int64_t{-719528} * 86400 - 1) == "-001-12-31T23:59:59Z");
  CHECK(mizu::FormatIsoUtc(253402300799) == "9999-12-31T23:59:59Z");
  CHECK(mizu::FormatIsoUtc(253402300800) == "10000-01-01T00:00:00Z");
  CHECK(mizu::FormatIsoJst(253402300799 - 9 * 3600) == "9999-12-31T23:59:59+09:00");
  for (int64_t s = 1700000000; s < 1800000000; s += 12345677) {
    REQUIRE(mizu::ParseIso8601(mizu::FormatIsoJst(s)) == s);
    REQUIRE(mizu::ParseIso8601(mizu::FormatIsoUtc(s)) == s);
  }
}

TEST_CASE("Holidays match the holiday_jp oracle 1970-2050 in both directions", "[holidays]") {
  const std::string path = MIZU_TESTDATA_DIR "/holidays_jp.yml";
  const auto oracle = LoadOracle(path);
  INFO("oracle file: " << path);
  REQUIRE(oracle.size() > 1000);

  std::map<std::string, std::string> ours;
  for (int year = 1970; year <= 2050; ++year) {
    for (const auto& h : mizu::HolidaysInYear(year)) ours[mizu::FormatDate(h.date)] = h.name;
  }

  std::ostringstream mismatches;
  int count = 0;
  for (const auto& [date, name] : oracle) {
    if (date < "1970-01-01" || date > "2050-12-31") continue;
    auto it = ours.find(date);
    if (it == ours.end()) {
      mismatches << "  missing " << date << " " << name << "\n";
      ++count;
    } else if (it->second != name) {
      mismatches << "  name    " << date << " ours=" << it->second << " oracle=" << name << "\n";
      ++count;
    }
  }
  for (const auto& [date, name] : ours) {
    if (oracle.count(date) == 0) {
      mismatches << "  extra   " << date << " " << name << "\n";
      ++count;
    }
  }
  INFO(count << " mismatches:\n" << mismatches.str());
  CHECK(count == 0);
}

TEST_CASE("HolidayOn agrees with HolidaysInYear, every list is sorted and well-formed", "[holidays]") {
  for (int year = mizu::kFirstHolidayYear; year <= mizu::kLastHolidayYear; ++year) {
    const auto list = mizu::HolidaysInYear(year);
    INFO("year " << year);
    REQUIRE(list.size() >= 12);
    for (size_t i = 0; i < list.size(); ++i) {
      REQUIRE(list[i].date.year == year);
      REQUIRE(mizu::IsValidDate(list[i].date));
      REQUIRE_FALSE(list[i].name.empty());
      REQUIRE_FALSE(list[i].name_en.empty());
      if (i > 0) REQUIRE(list[i - 1].date < list[i].date);
    }
  }
  int holidays = 0;
  for (CivilDate d{2026, 1, 1}; d.year == 2026; d = mizu::AddDays(d, 1)) {
    if (mizu::IsHoliday(d)) ++holidays;
  }
  CHECK(holidays == static_cast<int>(mizu::HolidaysInYear(2026).size()));
  CHECK(mizu::HolidaysInYear(1969).empty());
  CHECK(mizu::HolidaysInYear(2100).empty());
  CHECK_FALSE(mizu::IsHoliday({2100, 1, 1}));
}

TEST_CASE("Holiday rules: names, Imperial era, Olympics, substitutes", "[holidays]") {
  auto name_on = [](CivilDate d) {
    auto h = mizu::HolidayOn(d);
    return h ? h->name : std::string("-");
  };
  CHECK(mizu::HolidayOn({2026, 11, 23})->name_en == "Labor Thanksgiving Day");
  CHECK(name_on({2026, 11, 23}) == "勤労感謝の日");
  CHECK(name_on({2018, 12, 23}) == "天皇誕生日");
  CHECK(name_on({2019, 12, 23}) == "-");
  CHECK(name_on({2019, 2, 23}) == "-");
  CHECK(name_on({2020, 2, 23}) == "天皇誕生日");
  CHECK(name_on({1988, 4, 29}) == "天皇誕生日");
  CHECK(name_on({1989, 4, 29}) == "みどりの日");
  CHECK(name_on({2007, 4, 29}) == "昭和の日");
  CHECK(name_on({2007, 5, 4}) == "みどりの日");
  CHECK(name_on({1989, 2, 24}) == "大喪の礼");
  CHECK(name_on({2019, 5, 1}) == "休日（祝日扱い）");
  CHECK(name_on({2019, 4, 30}) == "休日");
  CHECK(name_on({2019, 5, 2}) == "休日");
  CHECK(name_on({2019, 10, 22}) == "休日（祝日扱い）");
  CHECK(name_on({2020, 7, 24}) == "スポーツの日");
  CHECK(name_on({2020, 10, 12}) == "-");
  CHECK(name_on({2021, 8, 8}) == "山の日");
  CHECK(name_on({2021, 8, 9}) == "山の日 振替休日");
  CHECK(mizu::HolidayOn({2021, 8, 9})->name_en == "Substitute Holiday (Mountain Day)");
  CHECK(name_on({1973, 4, 30}) == "天皇誕生日 振替休日");  // the first 振替休日
  CHECK(name_on({1973, 2, 12}) == "-");                    // 2/11 was a Sunday, before the 1973-04-12 law
  CHECK(name_on({2026, 9, 22}) == "休日");  // 国民の休日 between 敬老の日 and 秋分の日
  CHECK(name_on({2026, 5, 6}) == "こどもの日 振替休日");  // 2007 rule: next day that is not a holiday
  // 2051-2099 are computed by the same rules without an oracle: spot checks.
  CHECK(name_on({2099, 3, 20}) == "春分の日");
  CHECK(name_on({2099, 9, 23}) == "秋分の日");
}

TEST_CASE("IsBusinessDay and NextBusinessDay", "[time]") {
  CHECK(mizu::IsBusinessDay({2026, 11, 20}));        // Friday
  CHECK_FALSE(mizu::IsBusinessDay({2026, 11, 21}));  // Saturday
  CHECK_FALSE(mizu::IsBusinessDay({2026, 11, 22}));  // Sunday
  CHECK_FALSE(mizu::IsBusinessDay({2026, 11, 23}));  // 勤労感謝の日 (Monday)
  CHECK(mizu::IsBusinessDay({2026, 11, 24}));
  CHECK(mizu::IsBusinessDay({2026, 1, 2}));  // not a national holiday
  CHECK_FALSE(mizu::IsBusinessDay({2026, 1, 1}));

  CHECK(mizu::NextBusinessDay({2026, 11, 20}) == CivilDate{2026, 11, 24});  // weekend + holiday
  CHECK(mizu::NextBusinessDay({2026, 11, 24}) == CivilDate{2026, 11, 25});  // strictly after
  CHECK(mizu::NextBusinessDay({2026, 5, 1}) == CivilDate{2026, 5, 7});      // Golden Week
  CHECK(mizu::NextBusinessDay({2019, 4, 26}) == CivilDate{2019, 5, 7});     // the 10-day 2019 Golden Week
  CHECK(mizu::NextBusinessDay({2026, 12, 31}) == CivilDate{2027, 1, 4});    // 1/1 Fri, then the weekend
}

TEST_CASE("VisibleFrom: 09:00 JST on the first business day strictly after", "[time]") {
  // Friday afternoon before a Monday holiday → Tuesday.
  CHECK(mizu::VisibleFrom(Jst(2026, 11, 20, 15)) == Jst(2026, 11, 24, 9));
  // Monday early morning → Tuesday, even though Monday 09:00 is still ahead.
  CHECK(mizu::VisibleFrom(Jst(2026, 11, 16, 8)) == Jst(2026, 11, 17, 9));
  // Exactly 09:00 on a business day → the next day.
  CHECK(mizu::VisibleFrom(Jst(2026, 11, 17, 9)) == Jst(2026, 11, 18, 9));
  // Saturday → Monday.
  CHECK(mizu::VisibleFrom(Jst(2026, 11, 14, 10)) == Jst(2026, 11, 16, 9));
  CHECK(mizu::VisibleFrom(Jst(2026, 11, 15, 23, 59, 59)) == Jst(2026, 11, 16, 9));  // Sunday night
  // Just before and at JST midnight (which is 15:00 UTC the day before).
  CHECK(mizu::VisibleFrom(Jst(2026, 11, 17, 23, 59, 59)) == Jst(2026, 11, 18, 9));
  CHECK(mizu::VisibleFrom(Jst(2026, 11, 18, 0, 0, 0)) == Jst(2026, 11, 19, 9));
  CHECK(mizu::VisibleFrom(*mizu::ParseIso8601("2026-11-17T14:59:59Z")) == Jst(2026, 11, 18, 9));
  CHECK(mizu::VisibleFrom(*mizu::ParseIso8601("2026-11-17T15:00:00Z")) == Jst(2026, 11, 19, 9));
  // New Year: 1/1 is a holiday; 1/2 and 1/3 are not national holidays, so business days when weekdays.
  CHECK(mizu::VisibleFrom(Jst(2025, 12, 31, 12)) == Jst(2026, 1, 2, 9));
  CHECK(mizu::VisibleFrom(Jst(2024, 12, 31, 12)) == Jst(2025, 1, 2, 9));
  CHECK(mizu::VisibleFrom(Jst(2025, 1, 2, 12)) == Jst(2025, 1, 3, 9));
  // Golden Week 2026: 4/29 Wed, 5/3 Sun, 5/4-5/5 Mon-Tue, 5/6 振替休日.
  CHECK(mizu::VisibleFrom(Jst(2026, 4, 28, 18)) == Jst(2026, 4, 30, 9));
  CHECK(mizu::VisibleFrom(Jst(2026, 5, 1, 18)) == Jst(2026, 5, 7, 9));
  CHECK(mizu::FormatIsoJst(mizu::VisibleFrom(Jst(2026, 11, 20, 15))) == "2026-11-24T09:00:00+09:00");
}
