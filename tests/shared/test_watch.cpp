// Unit tests of the watch rules (start hours, overlap, recipients, due windows) and window evaluation.
#include "mizu/watch.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mizu/errors.hpp"
#include "mizu/time.hpp"

using mizu::CivilDate;
using mizu::FieldError;
using mizu::FormatDailyWindow;
using mizu::HourlyReading;
using mizu::Lang;
using mizu::WatchOutcome;
using mizu::WatchRecipient;
using mizu::WatchSettings;
using mizu::WindowId;
namespace err = mizu::err;

namespace {

constexpr CivilDate kDay{2026, 11, 22};
constexpr int64_t kHour = 3600;

int64_t Jst(CivilDate d, int hour, int minute = 0) {
  return mizu::FromJst(d, hour, minute);
}

FieldError Err(std::string_view code, std::string field) {
  return FieldError{std::string(code), std::move(field)};
}

WatchSettings Width(int hours) {
  WatchSettings s;
  s.window_hours = hours;
  return s;
}

// Readings at start, start+1h, …; std::nullopt leaves that instant out.
std::vector<HourlyReading> Series(int64_t start, const std::vector<std::optional<int64_t>>& registers) {
  std::vector<HourlyReading> out;
  for (size_t i = 0; i < registers.size(); ++i) {
    if (registers[i]) out.push_back({start + static_cast<int64_t>(i) * kHour, *registers[i]});
  }
  return out;
}

std::vector<std::string> Keys(const std::vector<WindowId>& ids) {
  std::vector<std::string> out;
  for (const auto& id : ids) out.push_back(mizu::FormatWindowId(id));
  return out;
}

}  // namespace

// ---- Settings and start hours -----------------------------------------------------------------------------

TEST_CASE("watch settings: defaults are the guide's and sane, nonsense is reported", "[watch]") {
  WatchSettings s;
  CHECK(s.window_hours == 6);
  CHECK(s.report_delay_minutes == 30);
  CHECK(s.max_windows == 2);
  CHECK(s.max_recipients == 5);
  CHECK(mizu::CheckWatchSettings(s).empty());
  CHECK(mizu::CheckWatchSettings(Width(1)).empty());
  CHECK(mizu::CheckWatchSettings(Width(12)).empty());
  CHECK(mizu::CheckWatchSettings(Width(0)).size() == 1);
  CHECK(mizu::CheckWatchSettings(Width(13)).size() == 1);
  s.report_delay_minutes = -1;
  CHECK(mizu::CheckWatchSettings(s).size() == 1);
}

TEST_CASE("start hours: 24 means 0:00, other valid hours unchanged", "[watch]") {
  struct Row {
    int raw;
    int normalized;
  };
  auto row = GENERATE(Row{24, 0}, Row{0, 0}, Row{1, 1}, Row{6, 6}, Row{12, 12}, Row{23, 23});
  CAPTURE(row.raw);
  CHECK(mizu::IsValidStartHour(row.raw));
  CHECK(mizu::NormalizeStartHour(row.raw) == row.normalized);
  CHECK(mizu::ValidateStartHours({row.raw}, WatchSettings{}).empty());
}

TEST_CASE("start hours: NormalizeStartHours keeps the order", "[watch]") {
  CHECK(mizu::NormalizeStartHours({24, 12}) == std::vector<int>{0, 12});
  CHECK(mizu::NormalizeStartHours({18, 6}) == std::vector<int>{18, 6});
}

TEST_CASE("start hours: outside 0..24 is refused on the offending entry", "[watch]") {
  auto bad = GENERATE(25, -1, 100, -24);
  CAPTURE(bad);
  CHECK_FALSE(mizu::IsValidStartHour(bad));
  CHECK(mizu::ValidateStartHours({bad}, WatchSettings{}) ==
        std::vector<FieldError>{Err(err::kWatchHourInvalid, "start_hours[0]")});
  CHECK(mizu::ValidateStartHours({6, bad}, WatchSettings{}) ==
        std::vector<FieldError>{Err(err::kWatchHourInvalid, "start_hours[1]")});
}

TEST_CASE("start hours: none, and more than max_windows, are refused", "[watch]") {
  WatchSettings s;
  CHECK(mizu::ValidateStartHours({}, s) == std::vector<FieldError>{Err(err::kWatchNoWindow, "start_hours")});
  // 0, 8 and 16 do not overlap at width 6: only the count is wrong.
  CHECK(mizu::ValidateStartHours({0, 8, 16}, s) ==
        std::vector<FieldError>{Err(err::kWatchTooManyWindows, "start_hours")});
  s.max_windows = 3;
  CHECK(mizu::ValidateStartHours({0, 8, 16}, s).empty());
  s.max_windows = 1;
  CHECK(mizu::ValidateStartHours({0, 12}, s) ==
        std::vector<FieldError>{Err(err::kWatchTooManyWindows, "start_hours")});
  CHECK(mizu::ValidateStartHours({6}, s).empty());
}

TEST_CASE("start hours: overlap on the 24-hour circle, width as a setting", "[watch]") {
  struct Row {
    int a;
    int b;
    int width;
    bool overlap;
  };
  auto row = GENERATE(Row{22, 2, 6, true},    // 22:00–04:00 contains 2:00 (across midnight)
                      Row{2, 22, 6, true},    // same pair, other order
                      Row{6, 12, 6, false},   // adjacent: 6–12 and 12–18 only touch
                      Row{12, 6, 6, false},   //
                      Row{18, 0, 6, false},   // adjacent across midnight
                      Row{19, 0, 6, true},    // 19:00–01:00 contains 0:00
                      Row{6, 6, 6, true},     // the same hour twice
                      Row{0, 24, 6, true},    // 24 is 0: a duplicate
                      Row{6, 7, 2, true},     // width 2
                      Row{6, 8, 2, false},    //
                      Row{23, 0, 2, true},    //
                      Row{23, 1, 2, false},   //
                      Row{0, 12, 12, false},  // two half days fit exactly
                      Row{0, 13, 12, true},   //
                      Row{5, 5, 1, true}, Row{5, 6, 1, false});
  CAPTURE(row.a, row.b, row.width);
  const int a = mizu::NormalizeStartHour(row.a);
  const int b = mizu::NormalizeStartHour(row.b);
  CHECK(mizu::WindowsOverlap(a, b, row.width) == row.overlap);
  CHECK(mizu::WindowsOverlap(b, a, row.width) == row.overlap);
  const auto errors = mizu::ValidateStartHours({row.a, row.b}, Width(row.width));
  if (row.overlap) {
    CHECK(errors == std::vector<FieldError>{Err(err::kWatchOverlap, "start_hours")});
  } else {
    CHECK(errors.empty());
  }
}

TEST_CASE("start hours: several problems are all reported, overlap once", "[watch]") {
  WatchSettings s;
  s.max_windows = 4;
  CHECK(mizu::ValidateStartHours({6, 25, 6, 7}, s) ==
        std::vector<FieldError>{Err(err::kWatchHourInvalid, "start_hours[1]"),
                                Err(err::kWatchOverlap, "start_hours")});
}

// ---- Recipients -------------------------------------------------------------------------------------------

namespace {
std::vector<WatchRecipient> Recipients(size_t n) {
  std::vector<WatchRecipient> out;
  for (size_t i = 0; i < n; ++i)
    out.push_back({"山田 花子" + std::to_string(i), "hanako" + std::to_string(i) + "@example.jp"});
  return out;
}
}  // namespace

TEST_CASE("recipients: between 1 and max_recipients", "[watch]") {
  WatchSettings s;
  CHECK(mizu::ValidateRecipients(Recipients(0), s) ==
        std::vector<FieldError>{Err(err::kWatchNoRecipient, "recipients")});
  CHECK(mizu::ValidateRecipients(Recipients(1), s).empty());
  CHECK(mizu::ValidateRecipients(Recipients(5), s).empty());
  CHECK(mizu::ValidateRecipients(Recipients(6), s) ==
        std::vector<FieldError>{Err(err::kWatchTooManyRecipients, "recipients")});
  s.max_recipients = 6;
  CHECK(mizu::ValidateRecipients(Recipients(6), s).empty());
}

TEST_CASE("recipients: per-entry errors name the entry and the field", "[watch]") {
  struct Row {
    WatchRecipient second;
    FieldError expected;
  };
  auto row = GENERATE(
      Row{{"山田 太郎", "not-an-address"}, Err(err::kEmailInvalid, "recipients[1].email")},
      Row{{"山田 太郎", "taro@"}, Err(err::kEmailInvalid, "recipients[1].email")},
      Row{{"山田 太郎", ""}, Err(err::kRequired, "recipients[1].email")},
      Row{{"", "taro@example.jp"}, Err(err::kRequired, "recipients[1].name")},
      Row{{"   ", "taro@example.jp"}, Err(err::kRequired, "recipients[1].name")},
      // the first entry's address in another case is the same address
      Row{{"山田 太郎", "Hanako0@EXAMPLE.jp"}, Err(err::kWatchDuplicateRecipient, "recipients[1].email")},
      Row{{"山田 太郎", "  hanako0@example.jp "}, Err(err::kWatchDuplicateRecipient, "recipients[1].email")});
  CAPTURE(row.second.name, row.second.email);
  std::vector<WatchRecipient> list = Recipients(1);
  list.push_back(row.second);
  CHECK(mizu::ValidateRecipients(list, WatchSettings{}) == std::vector<FieldError>{row.expected});
}

TEST_CASE("recipients: the name may have up to 40 code points", "[watch]") {
  std::string forty;
  for (int i = 0; i < 40; ++i) forty += "水";
  CHECK(mizu::ValidateRecipients({{forty, "a@example.jp"}}, WatchSettings{}).empty());
  CHECK(mizu::ValidateRecipients({{forty + "守", "a@example.jp"}}, WatchSettings{}) ==
        std::vector<FieldError>{Err(err::kTooLong, "recipients[0].name")});
}

TEST_CASE("recipients: both fields of one entry and several entries are reported together", "[watch]") {
  std::vector<WatchRecipient> list = {{"", "bad"}, {"B", "b@example.jp"}, {"C", "B@example.jp"}};
  CHECK(mizu::ValidateRecipients(list, WatchSettings{}) ==
        std::vector<FieldError>{Err(err::kRequired, "recipients[0].name"),
                                Err(err::kEmailInvalid, "recipients[0].email"),
                                Err(err::kWatchDuplicateRecipient, "recipients[2].email")});
}

TEST_CASE("recipients: normalisation trims the address and lower-cases its domain", "[watch]") {
  const WatchRecipient r = mizu::NormalizeRecipient({"山田 花子", " Hanako@Example.JP "});
  CHECK(r.email == "Hanako@example.jp");
  CHECK(r.name == "山田 花子");
  CHECK(mizu::NormalizeRecipients({{"a", "A@B.JP"}, {"b", "c@d.jp"}}).size() == 2);
}

// ---- Window timing ----------------------------------------------------------------------------------------

TEST_CASE("window timing: start, end and report minutes of a daily window, worked by hand", "[watch]") {
  using mizu::DayTime;
  using mizu::WindowTiming;
  WatchSettings s;  // width 6, delay 30
  // 22:00 + 6 h = 04:00 next day (28 × 60 = 1680); + 30 min = 04:30 next day (1710).
  CHECK(mizu::WindowTimingOf(22, s) == WindowTiming{1320, 1680, 1710});
  CHECK(mizu::DayTimeOf(1320) == DayTime{0, 22, 0});
  CHECK(mizu::DayTimeOf(1680) == DayTime{1, 4, 0});
  CHECK(mizu::DayTimeOf(1710) == DayTime{1, 4, 30});
  // The guide: 6:00–12:00, report 12:30 (750); 「24:00」 is 0:00: 0:00–6:00, report 6:30 (390).
  CHECK(mizu::WindowTimingOf(6, s) == WindowTiming{360, 720, 750});
  CHECK(mizu::WindowTimingOf(24, s) == WindowTiming{0, 360, 390});
  // A utility's 45-minute delay: 6:00–12:00 → 12:45 (765); 22:00 → 04:45 next day (1725).
  s.report_delay_minutes = 45;
  CHECK(mizu::WindowTimingOf(6, s) == WindowTiming{360, 720, 765});
  CHECK(mizu::DayTimeOf(765) == DayTime{0, 12, 45});
  CHECK(mizu::WindowTimingOf(22, s).report_minute == 1725);
  CHECK(mizu::DayTimeOf(1725) == DayTime{1, 4, 45});
  // No delay, ending exactly at midnight: 18:00 + 6 h = 0:00 next day (1440), reported then.
  s.report_delay_minutes = 0;
  CHECK(mizu::WindowTimingOf(18, s) == WindowTiming{1080, 1440, 1440});
  CHECK(mizu::DayTimeOf(1440) == DayTime{1, 0, 0});
  // The widest settings: 22:00 + 12 h = 10:00 next day (2040); + 1440 min = 10:00 two days later (3480).
  s.window_hours = 12;
  s.report_delay_minutes = 1440;
  CHECK(mizu::WindowTimingOf(22, s) == WindowTiming{1320, 2040, 3480});
  CHECK(mizu::DayTimeOf(3480) == DayTime{2, 10, 0});
}

TEST_CASE("windows: start, end and due times in JST", "[watch]") {
  struct Row {
    int start_hour;
    int delay_minutes;
    CivilDate due_date;
    int due_hour;
    int due_minute;
  };
  auto row = GENERATE(Row{6, 30, {2026, 11, 22}, 12, 30},  // the guide: 6:00 → 12:30 about 6:00–12:00
                      Row{0, 30, {2026, 11, 22}, 6, 30},   // 「24:00」 → 6:30 about 0:00–6:00
                      Row{22, 30, {2026, 11, 23}, 4, 30},  // crosses midnight: due the next day
                      Row{6, 45, {2026, 11, 22}, 12, 45},  //
                      Row{0, 45, {2026, 11, 22}, 6, 45},   //
                      Row{22, 45, {2026, 11, 23}, 4, 45},  //
                      Row{18, 0, {2026, 11, 23}, 0, 0});   // ends exactly at midnight
  CAPTURE(row.start_hour, row.delay_minutes);
  WatchSettings s;
  s.report_delay_minutes = row.delay_minutes;
  const WindowId id{kDay, row.start_hour};
  CHECK(mizu::WindowStartUtc(id) == Jst(kDay, row.start_hour));
  CHECK(mizu::WindowEndUtc(id, s) == Jst(kDay, row.start_hour) + 6 * kHour);
  CHECK(mizu::WindowDueUtc(id, s) == Jst(row.due_date, row.due_hour, row.due_minute));
}

TEST_CASE("windows: the window id is the JST start date and hour", "[watch]") {
  const WindowId late{kDay, 22};
  CHECK(mizu::FormatWindowId(late) == "2026-11-22T22");
  CHECK(mizu::FormatWindowId({kDay, 6}) == "2026-11-22T06");
  CHECK(mizu::ParseWindowId("2026-11-22T22") == std::optional<WindowId>(late));
  CHECK(mizu::ParseWindowId("2026-11-22T06") == std::optional<WindowId>(WindowId{kDay, 6}));
  CHECK_FALSE(mizu::ParseWindowId("2026-11-22T24"));
  CHECK_FALSE(mizu::ParseWindowId("2026-11-22T6"));
  CHECK_FALSE(mizu::ParseWindowId("2026-11-22"));
  CHECK_FALSE(mizu::ParseWindowId("2026-13-22T06"));
  // 22:00 JST on the 22nd is 13:00 UTC on the 22nd; 02:00 JST on the 23rd is 17:00 UTC on the 22nd.
  CHECK(mizu::WindowStartingAt(mizu::WindowStartUtc(late)) == late);
  CHECK(mizu::WindowStartingAt(Jst({2026, 11, 23}, 2)) == WindowId{{2026, 11, 23}, 2});
}

TEST_CASE("windows due: across a day boundary, in due order, after < due <= upto", "[watch]") {
  WatchSettings s;
  const std::vector<int> hours = {22, 6};
  // 12:00 on the 22nd to 13:00 on the 23rd: 22nd 6:00 (due 12:30), 22nd 22:00 (due 23rd 04:30), 23rd 6:00.
  CHECK(Keys(mizu::WindowsDueIn(hours, s, Jst(kDay, 12), Jst({2026, 11, 23}, 13))) ==
        std::vector<std::string>{"2026-11-22T06", "2026-11-22T22", "2026-11-23T06"});
  // The lower bound is exclusive, the upper inclusive.
  CHECK(Keys(mizu::WindowsDueIn(hours, s, Jst(kDay, 12, 30), Jst({2026, 11, 23}, 4, 30))) ==
        std::vector<std::string>{"2026-11-22T22"});
  CHECK(mizu::WindowsDueIn(hours, s, Jst(kDay, 12, 30), Jst({2026, 11, 23}, 4, 29)).empty());
  CHECK(mizu::WindowsDueIn(hours, s, Jst(kDay, 13), Jst(kDay, 13)).empty());
  CHECK(mizu::WindowsDueIn(hours, s, Jst(kDay, 14), Jst(kDay, 13)).empty());
}

TEST_CASE("windows due: several days, year end, raw hours", "[watch]") {
  WatchSettings s;
  // {24, 12} = 0:00 and 12:00: due 6:30 and 18:30 every day; three whole days give six windows.
  const auto ids = mizu::WindowsDueIn({24, 12}, s, Jst(kDay, 0), Jst({2026, 11, 25}, 0));
  CHECK(Keys(ids) == std::vector<std::string>{"2026-11-22T00", "2026-11-22T12", "2026-11-23T00",
                                              "2026-11-23T12", "2026-11-24T00", "2026-11-24T12"});
  // Crossing the year: the 31 Dec 22:00 window is due 1 Jan 04:30 and keeps its start date.
  CHECK(Keys(mizu::WindowsDueIn({22}, s, Jst({2026, 12, 31}, 12), Jst({2027, 1, 1}, 12))) ==
        std::vector<std::string>{"2026-12-31T22"});
  // Duplicates count once; invalid hours are ignored; a 45-minute delay moves the due time.
  s.report_delay_minutes = 45;
  CHECK(Keys(mizu::WindowsDueIn({6, 6, 30, -1}, s, Jst(kDay, 12, 30), Jst(kDay, 12, 45))) ==
        std::vector<std::string>{"2026-11-22T06"});
  CHECK(mizu::WindowsDueIn({}, s, Jst(kDay, 0), Jst({2026, 12, 22}, 0)).empty());
}

TEST_CASE("windows due: a month in one call equals the same month in scheduler ticks", "[watch]") {
  auto width = GENERATE(2, 6, 12);
  auto delay = GENERATE(0, 30, 45);
  CAPTURE(width, delay);
  WatchSettings s = Width(width);
  s.report_delay_minutes = delay;
  const std::vector<int> hours = {22, 12};
  const int64_t from = Jst({2026, 11, 1}, 0);
  const int64_t to = Jst({2026, 12, 1}, 0);
  const auto whole = mizu::WindowsDueIn(hours, s, from, to);
  CHECK(whole.size() == 60);
  std::vector<WindowId> ticked;
  for (int64_t t = from; t < to; t += 7 * 60) {  // an odd tick that does not divide an hour
    for (const auto& id : mizu::WindowsDueIn(hours, s, t, std::min(t + 7 * 60, to))) ticked.push_back(id);
  }
  CHECK(Keys(ticked) == Keys(whole));
  for (size_t i = 0; i < whole.size(); ++i) {
    const int64_t due = mizu::WindowDueUtc(whole[i], s);
    CHECK(due > from);
    CHECK(due <= to);
    if (i > 0) CHECK(mizu::WindowDueUtc(whole[i - 1], s) < due);
  }
}

// ---- Evaluation -------------------------------------------------------------------------------------------

TEST_CASE("outcome names round-trip", "[watch]") {
  struct Row {
    WatchOutcome outcome;
    std::string_view name;
  };
  auto row = GENERATE(Row{WatchOutcome::kUsed, "used"}, Row{WatchOutcome::kNotUsed, "not_used"},
                      Row{WatchOutcome::kNoData, "no_data"}, Row{WatchOutcome::kPartial, "partial"});
  CHECK(mizu::OutcomeName(row.outcome) == row.name);
  CHECK(mizu::ParseOutcome(row.name) == std::optional<WatchOutcome>(row.outcome));
  CHECK_FALSE(mizu::ParseOutcome("unused"));
  CHECK_FALSE(mizu::ParseOutcome(""));
}

namespace {
const WindowId kMorning{kDay, 6};
const int64_t kStart = Jst(kDay, 6);
const std::vector<std::optional<int64_t>> kUsedRegisters = {1000, 1000, 1010, 1030, 1030, 1030, 1100};
}  // namespace

TEST_CASE("evaluate: every hour present with use → used", "[watch]") {
  const auto ev = mizu::EvaluateWindow(kMorning, WatchSettings{}, Series(kStart, kUsedRegisters));
  CHECK(ev.outcome == WatchOutcome::kUsed);
  CHECK(ev.volume_l == 100);
  CHECK(ev.hours_expected == 6);
  CHECK(ev.hours_present == 6);
  CHECK_FALSE(ev.reset_detected);
  CHECK_FALSE(ev.conflict_detected);
  CHECK(ev.missing_interval_ends_utc.empty());
}

TEST_CASE("evaluate: every hour present and zero volume → not_used", "[watch]") {
  const auto ev = mizu::EvaluateWindow(kMorning, WatchSettings{},
                                       Series(kStart, {5000, 5000, 5000, 5000, 5000, 5000, 5000}));
  CHECK(ev.outcome == WatchOutcome::kNotUsed);
  CHECK(ev.volume_l == 0);
  CHECK(ev.hours_present == 6);
  CHECK(ev.missing_interval_ends_utc.empty());
}

TEST_CASE("evaluate: no readings at all → no_data, never not_used", "[watch]") {
  const auto ev = mizu::EvaluateWindow(kMorning, WatchSettings{}, {});
  CHECK(ev.outcome == WatchOutcome::kNoData);
  CHECK(ev.volume_l == 0);
  CHECK(ev.hours_expected == 6);
  CHECK(ev.hours_present == 0);
  CHECK(ev.missing_interval_ends_utc == std::vector<int64_t>{kStart + kHour, kStart + 2 * kHour,
                                                             kStart + 3 * kHour, kStart + 4 * kHour,
                                                             kStart + 5 * kHour, kStart + 6 * kHour});
  // Readings of other days only, or the baseline alone, measure nothing either.
  CHECK(mizu::EvaluateWindow(kMorning, WatchSettings{}, Series(Jst({2026, 11, 21}, 6), kUsedRegisters))
            .outcome == WatchOutcome::kNoData);
  CHECK(mizu::EvaluateWindow(kMorning, WatchSettings{}, {{kStart, 1000}}).outcome == WatchOutcome::kNoData);
}

TEST_CASE("evaluate: missing baseline only → partial with 5 of 6 hours", "[watch]") {
  const auto ev = mizu::EvaluateWindow(kMorning, WatchSettings{},
                                       Series(kStart, {std::nullopt, 1000, 1010, 1030, 1030, 1030, 1100}));
  CHECK(ev.outcome == WatchOutcome::kPartial);
  CHECK(ev.hours_present == 5);
  CHECK(ev.volume_l == 100);  // 7:00 → 12:00 only
  CHECK(ev.missing_interval_ends_utc == std::vector<int64_t>{kStart + kHour});
}

TEST_CASE("evaluate: one reading missing mid-window loses the two hours it bounds", "[watch]") {
  const auto ev = mizu::EvaluateWindow(kMorning, WatchSettings{},
                                       Series(kStart, {1000, 1000, 1010, std::nullopt, 1030, 1030, 1100}));
  CHECK(ev.outcome == WatchOutcome::kPartial);
  CHECK(ev.hours_present == 4);
  CHECK(ev.volume_l == 10 + 70);
  CHECK(ev.missing_interval_ends_utc == std::vector<int64_t>{kStart + 3 * kHour, kStart + 4 * kHour});
  CHECK_FALSE(ev.reset_detected);
}

TEST_CASE("evaluate: a register that goes down is a reset, not negative and not zero", "[watch]") {
  const auto ev =
      mizu::EvaluateWindow(kMorning, WatchSettings{}, Series(kStart, {1000, 1010, 1020, 5, 15, 25, 35}));
  CHECK(ev.reset_detected);
  CHECK(ev.outcome == WatchOutcome::kPartial);
  CHECK(ev.hours_present == 5);
  CHECK(ev.volume_l == 50);
  CHECK(ev.missing_interval_ends_utc == std::vector<int64_t>{kStart + 3 * kHour});
  // A reset in a window without any other use is still not "not used".
  const auto quiet =
      mizu::EvaluateWindow(kMorning, WatchSettings{}, Series(kStart, {900, 900, 900, 0, 0, 0, 0}));
  CHECK(quiet.outcome == WatchOutcome::kPartial);
  CHECK(quiet.volume_l == 0);
}

TEST_CASE("evaluate: order, same-value duplicates and readings outside the window do not matter", "[watch]") {
  auto readings = Series(kStart, kUsedRegisters);
  readings.push_back(readings[3]);
  readings.push_back(readings[0]);
  readings.push_back({kStart - kHour, 1});           // before the baseline
  readings.push_back({kStart + 7 * kHour, 999999});  // after the end
  readings.push_back({kStart + 6 * kHour + 60, 0});  // off the hour
  std::reverse(readings.begin(), readings.end());
  std::rotate(readings.begin(), readings.begin() + 4, readings.end());
  const auto ev = mizu::EvaluateWindow(kMorning, WatchSettings{}, readings);
  CHECK(ev.outcome == WatchOutcome::kUsed);
  CHECK(ev.volume_l == 100);
  CHECK(ev.hours_present == 6);
  CHECK_FALSE(ev.conflict_detected);
}

TEST_CASE("evaluate: disagreeing duplicates make that instant unknown", "[watch]") {
  auto readings = Series(kStart, kUsedRegisters);
  readings.push_back({kStart + 2 * kHour, 1011});
  const auto ev = mizu::EvaluateWindow(kMorning, WatchSettings{}, readings);
  CHECK(ev.conflict_detected);
  CHECK(ev.outcome == WatchOutcome::kPartial);
  CHECK(ev.missing_interval_ends_utc == std::vector<int64_t>{kStart + 2 * kHour, kStart + 3 * kHour});
}

TEST_CASE("evaluate: a window crossing midnight uses the next day's readings", "[watch]") {
  const WindowId night{kDay, 22};
  const int64_t start = Jst(kDay, 22);
  const auto ev =
      mizu::EvaluateWindow(night, WatchSettings{}, Series(start, {200, 200, 200, 200, 200, 200, 212}));
  CHECK(ev.outcome == WatchOutcome::kUsed);
  CHECK(ev.volume_l == 12);
  CHECK(ev.hours_present == 6);
  // The last reading is 04:00 on the 23rd; without it the window is partial.
  const auto late =
      mizu::EvaluateWindow(night, WatchSettings{}, Series(start, {200, 200, 200, 200, 200, 200}));
  CHECK(late.outcome == WatchOutcome::kPartial);
  CHECK(late.missing_interval_ends_utc == std::vector<int64_t>{Jst({2026, 11, 23}, 4)});
}

TEST_CASE("evaluate: the window width is the setting's", "[watch]") {
  const auto ev = mizu::EvaluateWindow(kMorning, Width(2), Series(kStart, {1000, 1000, 1000, 1500}));
  CHECK(ev.hours_expected == 2);
  CHECK(ev.hours_present == 2);
  CHECK(ev.outcome == WatchOutcome::kNotUsed);  // the 1500 at 9:00 is outside a 6:00–8:00 window
}

TEST_CASE("evaluate: missing is never zero, for every subset of missing readings", "[watch]") {
  // A window without use: whichever of its 7 readings go missing, only the complete set says not_used.
  for (int mask = 0; mask < (1 << 7); ++mask) {
    std::vector<std::optional<int64_t>> registers;
    for (int i = 0; i < 7; ++i)
      registers.push_back((mask >> i) & 1 ? std::optional<int64_t>(4200) : std::nullopt);
    const auto ev = mizu::EvaluateWindow(kMorning, WatchSettings{}, Series(kStart, registers));
    CAPTURE(mask);
    CHECK(ev.volume_l == 0);
    CHECK(ev.hours_present + static_cast<int>(ev.missing_interval_ends_utc.size()) == 6);
    CHECK((ev.outcome == WatchOutcome::kNotUsed) == (mask == 0x7f));
    CHECK((ev.outcome == WatchOutcome::kNoData) == (ev.hours_present == 0));
  }
}

// One way everywhere (issue 12: the form said 「18:00〜0:00」 where the mails say 「18:00〜24:00」):
// hand-worked from the default 6-hour windows and a 4-hour utility.
TEST_CASE("a daily window that ends at midnight ends at 24:00, in the form and the mails alike", "[watch]") {
  WatchSettings six;
  CHECK(FormatDailyWindow(Lang::kJa, 18, six) == "18:00〜24:00");
  CHECK(FormatDailyWindow(Lang::kEn, 18, six) == "18:00–24:00");
  CHECK(FormatDailyWindow(Lang::kJa, 0, six) == "0:00〜6:00");
  CHECK(FormatDailyWindow(Lang::kJa, 22, six) == "22:00〜4:00");
  WatchSettings four;
  four.window_hours = 4;
  CHECK(FormatDailyWindow(Lang::kJa, 20, four) == "20:00〜24:00");
  CHECK(FormatDailyWindow(Lang::kJa, 21, four) == "21:00〜1:00");
}
