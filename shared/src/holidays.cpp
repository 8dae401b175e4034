// Japanese national holidays by 国民の祝日に関する法律, 1970–2099.
// Fixed days; Happy Monday days (2000/2003 on); equinoxes by the standard approximation formula;
// 振替休日 (1973-04-12 on, and from 2007 "the next non-holiday day"); 国民の休日 (1985-12-27 on);
// the Imperial-era changes; the one-off ceremonial days; the 2020/2021 Olympic moves.
// Japanese names follow holiday_jp (the test oracle), e.g. 「憲法記念日 振替休日」 and 「休日」.
// [X] 1970–2099   [ ] other years (empty list)   [ ] future amendments of the law
#include <algorithm>
#include <utility>

#include "mizu/time.hpp"

namespace mizu {

namespace {

struct Name {
  const char* ja;
  const char* en;
};

constexpr Name kNewYear{"元日", "New Year's Day"};
constexpr Name kComingOfAge{"成人の日", "Coming of Age Day"};
constexpr Name kFoundation{"建国記念の日", "National Foundation Day"};
constexpr Name kEmperorsBirthday{"天皇誕生日", "Emperor's Birthday"};
constexpr Name kVernalEquinox{"春分の日", "Vernal Equinox Day"};
constexpr Name kShowa{"昭和の日", "Showa Day"};
constexpr Name kGreenery{"みどりの日", "Greenery Day"};
constexpr Name kConstitution{"憲法記念日", "Constitution Memorial Day"};
constexpr Name kChildren{"こどもの日", "Children's Day"};
constexpr Name kMarine{"海の日", "Marine Day"};
constexpr Name kMountain{"山の日", "Mountain Day"};
constexpr Name kRespectForAged{"敬老の日", "Respect for the Aged Day"};
constexpr Name kAutumnalEquinox{"秋分の日", "Autumnal Equinox Day"};
constexpr Name kHealthSports{"体育の日", "Health and Sports Day"};
constexpr Name kHealthSports2019{"体育の日（スポーツの日）", "Health and Sports Day"};
constexpr Name kSports{"スポーツの日", "Sports Day"};
constexpr Name kCulture{"文化の日", "Culture Day"};
constexpr Name kLaborThanksgiving{"勤労感謝の日", "Labor Thanksgiving Day"};
constexpr Name kShowaFuneral{"大喪の礼", "State Funeral of Emperor Showa"};
constexpr Name kEnthronementCeremony1990{"即位礼正殿の儀", "Enthronement Ceremony"};
constexpr Name kRoyalWedding1993{"結婚の儀", "Wedding of Crown Prince Naruhito"};
constexpr Name kEnthronement2019{"休日（祝日扱い）", "Enthronement Day"};
constexpr Name kEnthronementCeremony2019{"休日（祝日扱い）", "Enthronement Ceremony Day"};
constexpr Name kCitizensHoliday{"休日", "Citizens' Holiday"};

// Dates on which the law's amendments took effect.
constexpr CivilDate kSubstituteSince{1973, 4, 12};
constexpr CivilDate kCitizensHolidaySince{1985, 12, 27};
constexpr CivilDate kNextNonHolidaySubstituteSince{2007, 1, 1};

constexpr int kSunday = 0;
constexpr int kMonday = 1;

void Add(std::vector<Holiday>& out, int year, int month, int day, const Name& name) {
  out.push_back(Holiday{CivilDate{year, month, day}, name.ja, name.en});
}

// Day of month of the n-th (1-based) Monday of year/month.
int NthMonday(int year, int month, int n) {
  const int first_weekday = Weekday(CivilDate{year, month, 1});
  const int first_monday = 1 + (kMonday - first_weekday + 7) % 7;
  return first_monday + 7 * (n - 1);
}

// The standard approximation (in millionths, so it is exact integer arithmetic): for 1980–2099
// int(C + 0.242194*(y-1980) - int((y-1980)/4)), for 1900–1979 int(C' + 0.242194*(y-1980) - int((y-1983)/4)).
// `int` truncates toward zero, as the formula's published tables assume.
int EquinoxDay(int year, int64_t c_1900_1979, int64_t c_1980_2099) {
  const bool modern = year >= 1980;
  const int64_t c = modern ? c_1980_2099 : c_1900_1979;
  const int64_t leap_shift = (year - (modern ? 1980 : 1983)) / 4;
  return static_cast<int>((c + 242194 * int64_t{year - 1980} - 1000000 * leap_shift) / 1000000);
}

int VernalEquinoxDay(int year) {
  return EquinoxDay(year, 20835700, 20843100);
}
int AutumnalEquinoxDay(int year) {
  return EquinoxDay(year, 23258800, 23248800);
}

// January–June 国民の祝日 (and the one-off days the law treated as such).
void AddFirstHalf(std::vector<Holiday>& out, int y) {
  Add(out, y, 1, 1, kNewYear);
  Add(out, y, 1, y >= 2000 ? NthMonday(y, 1, 2) : 15, kComingOfAge);
  Add(out, y, 2, 11, kFoundation);
  if (y >= 2020) Add(out, y, 2, 23, kEmperorsBirthday);
  if (y == 1989) Add(out, y, 2, 24, kShowaFuneral);
  Add(out, y, 3, VernalEquinoxDay(y), kVernalEquinox);
  if (y <= 1988) {
    Add(out, y, 4, 29, kEmperorsBirthday);
  } else if (y <= 2006) {
    Add(out, y, 4, 29, kGreenery);
  } else {
    Add(out, y, 4, 29, kShowa);
  }
  if (y == 2019) Add(out, y, 5, 1, kEnthronement2019);
  Add(out, y, 5, 3, kConstitution);
  if (y >= 2007) Add(out, y, 5, 4, kGreenery);
  Add(out, y, 5, 5, kChildren);
  if (y == 1993) Add(out, y, 6, 9, kRoyalWedding1993);
}

// July–December 国民の祝日 (and the one-off days the law treated as such).
void AddSecondHalf(std::vector<Holiday>& out, int y) {
  if (y == 2020) {
    Add(out, y, 7, 23, kMarine);
    Add(out, y, 7, 24, kSports);
    Add(out, y, 8, 10, kMountain);
  } else if (y == 2021) {
    Add(out, y, 7, 22, kMarine);
    Add(out, y, 7, 23, kSports);
    Add(out, y, 8, 8, kMountain);
  } else {
    if (y >= 2003) {
      Add(out, y, 7, NthMonday(y, 7, 3), kMarine);
    } else if (y >= 1996) {
      Add(out, y, 7, 20, kMarine);
    }
    if (y >= 2016) Add(out, y, 8, 11, kMountain);
  }
  Add(out, y, 9, y >= 2003 ? NthMonday(y, 9, 3) : 15, kRespectForAged);
  Add(out, y, 9, AutumnalEquinoxDay(y), kAutumnalEquinox);
  if (y < 2000) {
    Add(out, y, 10, 10, kHealthSports);
  } else if (y < 2019) {
    Add(out, y, 10, NthMonday(y, 10, 2), kHealthSports);
  } else if (y == 2019) {
    Add(out, y, 10, NthMonday(y, 10, 2), kHealthSports2019);
  } else if (y >= 2022) {
    Add(out, y, 10, NthMonday(y, 10, 2), kSports);
  }
  if (y == 2019) Add(out, y, 10, 22, kEnthronementCeremony2019);
  if (y == 1990) Add(out, y, 11, 12, kEnthronementCeremony1990);
  Add(out, y, 11, 3, kCulture);
  Add(out, y, 11, 23, kLaborThanksgiving);
  if (y >= 1989 && y <= 2018) Add(out, y, 12, 23, kEmperorsBirthday);
}

void SortByDate(std::vector<Holiday>& list) {
  std::sort(list.begin(), list.end(), [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
}

// The holiday on d in list; nullptr when none.
const Holiday* FindOn(const std::vector<Holiday>& list, CivilDate d) {
  auto it = std::find_if(list.begin(), list.end(), [d](const Holiday& h) { return h.date == d; });
  return it == list.end() ? nullptr : &*it;
}

// 振替休日: a 国民の祝日 on a Sunday makes the next day a holiday (1973-04-12 on); from 2007 the nearest
// following day that is not a 国民の祝日. The law names it only 「休日」; holiday_jp names it after the
// holiday on the day before it (so 2009-05-06 is 「こどもの日 振替休日」), except 2020-05-06, which it names
// after the Sunday holiday (holiday_jp PR #107). We follow holiday_jp, exception included, so calendars
// agree.
std::vector<Holiday> SubstituteHolidays(const std::vector<Holiday>& national) {
  std::vector<Holiday> out;
  for (const Holiday& h : national) {
    if (Weekday(h.date) != kSunday || h.date < kSubstituteSince) continue;
    CivilDate day = AddDays(h.date, 1);
    if (h.date >= kNextNonHolidaySubstituteSince) {
      while (FindOn(national, day)) day = AddDays(day, 1);
    } else if (FindOn(national, day)) {
      continue;  // never happens under the pre-2007 calendar; the old rule gave no further day
    }
    const bool named_after_sunday = day == CivilDate{2020, 5, 6};
    const Holiday& source = named_after_sunday ? h : *FindOn(national, AddDays(day, -1));
    out.push_back(Holiday{day, source.name + " 振替休日", "Substitute Holiday (" + source.name_en + ")"});
  }
  return out;
}

// 国民の休日 (1985-12-27 on): a day, other than a Sunday or a 振替休日, whose previous and next days are both
// 国民の祝日.
std::vector<Holiday> CitizensHolidays(const std::vector<Holiday>& national,
                                      const std::vector<Holiday>& substitutes) {
  std::vector<Holiday> out;
  for (const Holiday& h : national) {
    const CivilDate between = AddDays(h.date, 1);
    if (between < kCitizensHolidaySince || Weekday(between) == kSunday) continue;
    if (FindOn(national, between) || FindOn(substitutes, between)) continue;
    if (!FindOn(national, AddDays(h.date, 2))) continue;
    out.push_back(Holiday{between, kCitizensHoliday.ja, kCitizensHoliday.en});
  }
  return out;
}

}  // namespace

std::vector<Holiday> HolidaysInYear(int year) {
  if (year < kFirstHolidayYear || year > kLastHolidayYear) return {};
  std::vector<Holiday> national;
  AddFirstHalf(national, year);
  AddSecondHalf(national, year);
  SortByDate(national);
  std::vector<Holiday> substitutes = SubstituteHolidays(national);
  std::vector<Holiday> citizens = CitizensHolidays(national, substitutes);

  std::vector<Holiday> all = national;
  all.insert(all.end(), substitutes.begin(), substitutes.end());
  all.insert(all.end(), citizens.begin(), citizens.end());
  SortByDate(all);
  return all;
}

std::optional<Holiday> HolidayOn(CivilDate d) {
  for (Holiday& h : HolidaysInYear(d.year)) {
    if (h.date == d) return std::move(h);
  }
  return std::nullopt;
}

bool IsHoliday(CivilDate d) {
  return HolidayOn(d).has_value();
}

}  // namespace mizu
