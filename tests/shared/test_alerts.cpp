// Unit tests of the watch's alert rules (mizu/alerts.hpp): hour series written out by hand, every expected
// instant and litre worked out by hand from them (JST 2026-12-01 = UTC 2026-11-30 15:00).
#include "mizu/alerts.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mizu/time.hpp"

using mizu::AlertEvent;
using mizu::AlertKind;
using mizu::AlertSettings;
using mizu::CivilDate;
using mizu::HourStatus;
using mizu::HourVolume;

namespace {

constexpr CivilDate kDay{2026, 12, 1};
constexpr int64_t kHour = 3600;
// 2026-12-01 00:00 JST in UTC epoch seconds: 2026-11-30T15:00:00Z, worked out independently of FromJst:
// 2026-11-30 is day 20,787 since 1970-01-01 (56 years × 365 + 14 leap days + 334 days to 30 Nov in 2026, less
// one).
constexpr int64_t kMidnight = (int64_t{56} * 365 + 14 + 333) * 86400 + 15 * kHour;

int64_t At(int jst_hour) {
  return kMidnight + jst_hour * kHour;
}

// Hours from JST hour `first` of kDay: '0' measured without use, '1'–'9' measured tens of litres, '-' not
// reported, 'r' a reset, 'a' an anomaly.
std::vector<HourVolume> Hours(int first, const std::string& pattern) {
  std::vector<HourVolume> out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    HourVolume h;
    h.end_utc = At(first + static_cast<int>(i) + 1);
    const char c = pattern[i];
    h.status = c == '-'   ? HourStatus::kMissing
               : c == 'r' ? HourStatus::kReset
               : c == 'a' ? HourStatus::kAnomaly
                          : HourStatus::kMeasured;
    if (c >= '0' && c <= '9') h.volume_l = (c - '0') * 10;
    out.push_back(h);
  }
  return out;
}

std::vector<AlertEvent> Of(AlertKind kind, const std::vector<AlertEvent>& all) {
  std::vector<AlertEvent> out;
  for (const auto& e : all)
    if (e.kind == kind) out.push_back(e);
  return out;
}

}  // namespace

TEST_CASE("The independent midnight constant is FromJst's", "[alerts]") {
  CHECK(mizu::FromJst(kDay) == kMidnight);
}

TEST_CASE("Continuous flow: one alert when a run reaches N hours, then one back to normal", "[alerts]") {
  AlertSettings s;
  s.continuous_flow = true;
  s.flow_hours = 2;
  // 00–01 no use; 01–02, 02–03, 03–04 used (10, 20, 30 L); 04–05 no use.
  auto events = mizu::FindHourlyAlerts(Hours(0, "01230"), s);
  REQUIRE(events.size() == 2);
  CHECK(events[0].kind == AlertKind::kFlow);
  CHECK(events[0].at_utc == At(3));  // the end of the 2nd hour in a row
  CHECK(events[0].since_utc == At(1));
  CHECK(events[0].volume_l == 30);  // 10 + 20
  CHECK(events[0].episode == "flow:" + std::to_string(At(1)));
  CHECK(events[1].kind == AlertKind::kFlowNormal);
  CHECK(events[1].at_utc == At(5));
  CHECK(events[1].hours == 3);
  CHECK(events[1].volume_l == 60);
  CHECK(events[1].episode == "flow_normal:" + std::to_string(At(1)));

  CHECK(mizu::FindHourlyAlerts(Hours(0, "01010"), s).empty());  // never two hours in a row
  CHECK(mizu::FindHourlyAlerts(Hours(0, "1110"), s).empty());   // started before the look-back: not ours
  // Still running: the alert, no normal yet; a gap not reported keeps it open until a measured zero.
  CHECK(mizu::FindHourlyAlerts(Hours(0, "0111"), s).size() == 1);
  CHECK(Of(AlertKind::kFlowNormal, mizu::FindHourlyAlerts(Hours(0, "011-"), s)).empty());
  auto gap = Of(AlertKind::kFlowNormal, mizu::FindHourlyAlerts(Hours(0, "011--0"), s));
  REQUIRE(gap.size() == 1);
  CHECK(gap[0].at_utc == At(6));
  // A reset or an anomaly is not use: it ends the run without claiming normal.
  CHECK(Of(AlertKind::kFlowNormal, mizu::FindHourlyAlerts(Hours(0, "011r"), s)).empty());

  s.flow_hours = 24;  // a day of water running without a break
  CHECK(mizu::FindHourlyAlerts(Hours(0, "0" + std::string(23, '1')), s).empty());
  auto day = mizu::FindHourlyAlerts(Hours(0, "0" + std::string(24, '1')), s);
  REQUIRE(day.size() == 1);
  CHECK(day[0].at_utc == At(25));
  CHECK(day[0].volume_l == 240);
}

TEST_CASE("A flow across hours not reported is one episode, before and after the late reading", "[alerts]") {
  AlertSettings s;
  s.continuous_flow = true;
  s.flow_hours = 2;
  // 00–01 no use, then use with the 03:00 reading missing (02–04 not reported), use again, then no use.
  const auto gapped = Of(AlertKind::kFlow, mizu::FindHourlyAlerts(Hours(0, "011--110"), s));
  const auto late =
      Of(AlertKind::kFlow, mizu::FindHourlyAlerts(Hours(0, "01111110"), s));  // the reading came
  REQUIRE(gapped.size() == 2);  // both runs reach 2 hours: one key, so the backend keeps one alert
  CHECK(gapped[0].episode == "flow:" + std::to_string(At(1)));
  CHECK(gapped[1].episode == gapped[0].episode);
  REQUIRE(late.size() == 1);
  CHECK(late[0].episode == gapped[0].episode);
  CHECK(late[0].since_utc == At(1));
  // No hour measured without use before the run in the look-back: its start is unknown.
  CHECK(mizu::FindHourlyAlerts(Hours(0, "-1110"), s).empty());
  CHECK(mizu::FindHourlyAlerts(Hours(0, "1-110"), s).empty());
}

TEST_CASE("The newest hours without a report are pending, not missing, until their grace has passed",
          "[alerts]") {
  AlertSettings s;
  s.long_no_use = true;
  s.no_use_hours = 12;
  s.morning = true;  // 05:00–10:00
  // Use 00–01, then 11 hours without use and the 12th (12–13) not reported yet.
  const auto hours = Hours(0, "1" + std::string(11, '0') + "-");
  const auto pending = mizu::FindHourlyAlerts(hours, s, At(12));  // 12–13 ended after 12:00: pending
  CHECK(Of(AlertKind::kNoData, pending).empty());
  CHECK(Of(AlertKind::kNoUse, pending).empty());
  auto decided = mizu::FindHourlyAlerts(hours, s, At(13));  // its grace is over: not reported
  REQUIRE(decided.size() == 2);
  CHECK(decided[0].kind == AlertKind::kNoData);
  CHECK(decided[1].kind == AlertKind::kMorningNone);  // 05–10 all measured without use
  // A morning whose last hour has no report yet is not decided.
  CHECK(Of(AlertKind::kMorningNoData, mizu::FindHourlyAlerts(Hours(0, "000000000-"), s, At(9))).empty());
  CHECK(Of(AlertKind::kMorningNoData, mizu::FindHourlyAlerts(Hours(0, "000000000-"), s, At(10))).size() == 1);
}

TEST_CASE("Episode keys do not move when the look-back starts earlier or data arrives later", "[alerts]") {
  AlertSettings s;
  s.continuous_flow = s.long_no_use = true;
  s.flow_hours = 2;
  s.no_use_hours = 12;
  const std::string tail = "0110" + std::string(12, '0');
  auto short_view = mizu::FindHourlyAlerts(Hours(5, tail), s);
  auto long_view = mizu::FindHourlyAlerts(Hours(0, "00000" + tail), s);
  REQUIRE(short_view.size() == 3);  // flow, normal, no use
  REQUIRE(long_view.size() == short_view.size());
  for (size_t i = 0; i < short_view.size(); ++i) {
    CHECK(short_view[i].episode == long_view[i].episode);
    CHECK(short_view[i].at_utc == long_view[i].at_utc);
  }
}

TEST_CASE("Long no use: measured zeros say no use, any hour not reported says the meter did not report",
          "[alerts]") {
  AlertSettings s;
  s.long_no_use = true;
  s.no_use_hours = 12;
  // 00–01 used, then 12 hours measured without use (01:00–13:00).
  auto none = mizu::FindHourlyAlerts(Hours(0, "1" + std::string(12, '0')), s);
  REQUIRE(none.size() == 1);
  CHECK(none[0].kind == AlertKind::kNoUse);
  CHECK(none[0].at_utc == At(13));
  CHECK(none[0].since_utc == At(1));
  CHECK(none[0].missing_hours == 0);
  // The same with the 05–06 hour not reported: never "no water was used".
  auto gap = mizu::FindHourlyAlerts(Hours(0, std::string("10000-000000") + "0"), s);
  REQUIRE(gap.size() == 1);
  CHECK(gap[0].kind == AlertKind::kNoData);
  CHECK(gap[0].missing_hours == 1);
  CHECK(gap[0].episode == none[0].episode);  // one episode: whichever was known first is the only alert
  // A meter silent for 12 hours after a use.
  auto silent = mizu::FindHourlyAlerts(Hours(0, "1" + std::string(12, '-')), s);
  REQUIRE(silent.size() == 1);
  CHECK(silent[0].kind == AlertKind::kNoData);
  CHECK(silent[0].missing_hours == 12);

  CHECK(mizu::FindHourlyAlerts(Hours(0, "1" + std::string(11, '0')), s).empty());  // 11 hours: not yet
  CHECK(mizu::FindHourlyAlerts(Hours(0, std::string(13, '0')), s).empty());        // no known use before it
  CHECK(mizu::FindHourlyAlerts(Hours(0, "1" + std::string(6, '0') + "1" + std::string(6, '0')), s).empty());
}

TEST_CASE("元気メール: the first use from 05:00, or by 10:00 a mail saying none (or no report)", "[alerts]") {
  AlertSettings s;
  s.morning = true;  // 05:00–10:00
  // 00:00–11:00: night quiet, 05–06 no use, 06–07 30 L, 07–08 50 L.
  auto used = mizu::FindHourlyAlerts(Hours(0,
                                           "10000"
                                           "035"
                                           "000"),
                                     s);
  REQUIRE(used.size() == 1);
  CHECK(used[0].kind == AlertKind::kMorningUse);
  CHECK(used[0].at_utc == At(7));
  CHECK(used[0].since_utc == At(6));
  CHECK(used[0].volume_l == 30);
  CHECK(used[0].episode == "morning:2026-12-01");

  auto none = mizu::FindHourlyAlerts(Hours(0, std::string(10, '0')), s);
  REQUIRE(none.size() == 1);
  CHECK(none[0].kind == AlertKind::kMorningNone);
  CHECK(none[0].at_utc == At(10));
  auto gap = mizu::FindHourlyAlerts(Hours(0,
                                          "00000"
                                          "00-00"),
                                    s);
  REQUIRE(gap.size() == 1);
  CHECK(gap[0].kind == AlertKind::kMorningNoData);
  CHECK(gap[0].missing_hours == 1);
  CHECK(gap[0].episode == "morning:2026-12-01");

  CHECK(mizu::FindHourlyAlerts(Hours(0, std::string(9, '0')), s).empty());  // 09:00: not over yet
  CHECK(mizu::FindHourlyAlerts(Hours(0, "1111"), s).empty());               // night use is not morning use
  // Use at 10–11 is after the window: the mail at 10:00 said none.
  auto late = mizu::FindHourlyAlerts(Hours(0, std::string(10, '0') + "5"), s);
  REQUIRE(late.size() == 1);
  CHECK(late[0].kind == AlertKind::kMorningNone);
  // Two days: one mail each.
  auto two = mizu::FindHourlyAlerts(Hours(0, "000000300" + std::string(15, '0') + "000000010"), s);
  REQUIRE(two.size() == 2);
  CHECK(two[0].episode == "morning:2026-12-01");
  CHECK(two[1].episode == "morning:2026-12-02");
  CHECK(two[1].at_utc == At(24 + 8));
}

TEST_CASE("High use: a complete week more than the chosen percentage above last year's", "[alerts]") {
  AlertSettings s;
  s.high_use = true;
  s.high_use_percent = 50;
  const CivilDate end{2026, 11, 29};
  CHECK_FALSE(mizu::FindHighUse(end, {1500, 0}, {1000, 0}, s));  // exactly +50 %: not above
  auto e = mizu::FindHighUse(end, {1501, 0}, {1000, 0}, s);
  REQUIRE(e);
  CHECK(e->episode == "high_use:2026-11-29");
  CHECK(e->volume_l == 1501);
  CHECK(e->at_utc == mizu::FromJst(CivilDate{2026, 11, 30}));
  CHECK_FALSE(mizu::FindHighUse(end, {3000, 1}, {1000, 0}, s));  // an hour missing this week
  CHECK_FALSE(mizu::FindHighUse(end, {3000, 0}, {1000, 2}, s));  // or last year
  CHECK_FALSE(mizu::FindHighUse(end, {3000, 0}, {0, 0}, s));     // nothing to compare with
  s.high_use = false;
  CHECK_FALSE(mizu::FindHighUse(end, {3000, 0}, {1000, 0}, s));
}

TEST_CASE("Quiet hours hold the non-urgent kinds until they end, away drops no-use and morning alerts",
          "[alerts]") {
  AlertSettings s;
  s.quiet_from_hour = 21;
  s.quiet_to_hour = 7;
  AlertEvent morning{AlertKind::kMorningUse, "morning:2026-12-01", At(7), At(6), 0, 0, 30};
  AlertEvent flow{AlertKind::kFlow, "flow:x", At(23), At(21), 2, 0, 40};
  auto d = mizu::DisposeAlert(morning, s, At(22));
  CHECK(d.action == mizu::AlertDisposition::kHold);
  CHECK(d.until_utc == At(24 + 7));  // 07:00 the next day
  d = mizu::DisposeAlert(morning, s, At(6) + 59 * 60);
  CHECK(d.action == mizu::AlertDisposition::kHold);
  CHECK(d.until_utc == At(7));
  CHECK(mizu::DisposeAlert(morning, s, At(7)).action == mizu::AlertDisposition::kSend);
  CHECK(mizu::DisposeAlert(flow, s, At(23)).action == mizu::AlertDisposition::kSend);  // urgent

  s.away_from = CivilDate{2026, 12, 1};
  s.away_to = CivilDate{2026, 12, 3};
  AlertEvent no_use{AlertKind::kNoUse, "no_use:x", At(24 + 5), At(5), 24, 0, 0};
  CHECK(mizu::DisposeAlert(no_use, s, At(24 + 5)).action == mizu::AlertDisposition::kDrop);
  CHECK(mizu::DisposeAlert(morning, s, At(8)).action == mizu::AlertDisposition::kDrop);
  CHECK(mizu::DisposeAlert(flow, s, At(23)).action == mizu::AlertDisposition::kSend);  // a leak still matters
  AlertEvent after{AlertKind::kNoUse, "no_use:y", At(3 * 24 + 1), At(24), 24, 0, 0};   // 12-04 01:00
  CHECK(mizu::DisposeAlert(after, s, At(3 * 24 + 1)).action == mizu::AlertDisposition::kSend);  // pause over
}

TEST_CASE("Alert settings: ranges, the morning window, quiet hours and the away period", "[alerts]") {
  CHECK(mizu::CheckAlertSettings({}).empty());
  auto field_of = [](const AlertSettings& s) {
    auto e = mizu::CheckAlertSettings(s);
    return e.size() == 1 ? e[0].field : std::string("(") + std::to_string(e.size()) + " errors)";
  };
  AlertSettings s;
  s.flow_hours = 0;
  CHECK(field_of(s) == "flow_hours");
  s = {};
  s.flow_hours = 25;
  CHECK(field_of(s) == "flow_hours");
  s = {};
  s.no_use_hours = 11;
  CHECK(field_of(s) == "no_use_hours");
  s.no_use_hours = 73;
  CHECK(field_of(s) == "no_use_hours");
  s = {};
  s.morning_by_hour = 5;
  CHECK(field_of(s) == "morning_by_hour");
  s = {};
  s.high_use_percent = 9;
  CHECK(field_of(s) == "high_use_percent");
  s = {};
  s.quiet_from_hour = 22;
  CHECK(field_of(s) == "quiet_to_hour");
  s.quiet_to_hour = 22;
  CHECK(field_of(s) == "quiet_to_hour");
  s.quiet_to_hour = 6;
  CHECK(mizu::CheckAlertSettings(s).empty());
  s = {};
  s.away_from = CivilDate{2026, 12, 5};
  CHECK(field_of(s) == "away_to");
  s.away_to = CivilDate{2026, 12, 4};
  CHECK(field_of(s) == "away_to");
  s.away_to = CivilDate{2026, 12, 5};
  CHECK(mizu::CheckAlertSettings(s).empty());
}

TEST_CASE("Alert settings as the API's JSON and back, leniently", "[alerts]") {
  AlertSettings s;
  s.continuous_flow = true;
  s.flow_hours = 3;
  s.quiet_from_hour = 21;
  s.quiet_to_hour = 7;
  s.away_from = CivilDate{2026, 12, 24};
  s.away_to = CivilDate{2026, 12, 26};
  const nlohmann::json j = mizu::AlertSettingsToJson(s);
  CHECK(j ==
        nlohmann::json::parse(R"({"continuous_flow":true,"flow_hours":3,"long_no_use":false,"no_use_hours":24,
    "morning":false,"morning_from_hour":5,"morning_by_hour":10,"high_use":false,"high_use_percent":50,
    "quiet_from_hour":21,"quiet_to_hour":7,"away_from":"2026-12-24","away_to":"2026-12-26"})"));
  const AlertSettings back = mizu::AlertSettingsFromJson(j);
  CHECK(mizu::AlertSettingsToJson(back) == j);
  CHECK(mizu::AnyAlert(back));
  // Off is null; a member of another type keeps its default; nothing on is no alert.
  const AlertSettings off = mizu::AlertSettingsFromJson(
      nlohmann::json::parse(R"({"quiet_from_hour":null,"flow_hours":"3","away_from":"someday"})"));
  CHECK(off.quiet_from_hour == -1);
  CHECK(off.flow_hours == 2);
  CHECK_FALSE(off.away_from);
  CHECK_FALSE(mizu::AnyAlert(off));
  CHECK(mizu::AlertSettingsToJson(off)["quiet_to_hour"].is_null());
}
