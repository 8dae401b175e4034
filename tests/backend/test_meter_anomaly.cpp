// Meter data that is not water (issue 10 §4), through the real server: a radio glitch in the registers is
// never reported as use — not in the watch mail (a real SMTP server receives it), not in the usage API the
// charts draw — and a real meter exchange is still measured. Registers and expected litres are hand-worked.
#include "test_watch_helpers.hpp"

using namespace mizu::testing;

namespace {

const json kSon = {{"name", "息子"}, {"email", "son@example.jp"}};

void WatchedParent(WatchPortal& p) {
  REQUIRE(p.SignUp("parent@example.jp").status == 201);
  p.SetClock("2026-11-21T05:00:00+09:00");
  REQUIRE(p.PutWatch("00000008002", {{"start_hours", {6}}, {"recipients", {kSon}}}).status == 200);
}

}  // namespace

TEST_CASE("meter anomaly: a glitch to zero and back is said so in the mail and never counted as use",
          "[watch][meter]") {
  WatchPortal p;
  WatchedParent(p);
  // 6:00 … 12:00 on a 13 mm meter: +10, glitch (0), back (+40 over two hours), +10, +0, +20.
  p.StoreRegisters("M000001", "2026-11-21T06:00:00+09:00",
                   {1000000, 1000010, 0, 1000050, 1000060, 1000060, 1000080});
  p.SetClock("2026-11-21T12:30:00+09:00");
  auto mails = p.WaitForMails("son@example.jp", 1, "見守り：");
  REQUIRE(mails.size() == 1);
  const std::string body = mails[0]["body"];
  INFO(body);
  CHECK(mails[0]["subject"] == "【水守】見守り：メーターの値に異常があります（11月21日 6:00〜12:00）");
  CHECK(Contains(body, "メーターの値に異常があり、この時間帯の使用水量はわかりません：7:00〜9:00"));
  // Measured: 6–7 (10), 9–10 (10), 10–11 (0), 11–12 (20) = 40 L over 4 of 6 hours.
  CHECK(Contains(body, "使用水量がわかった4時間（6時間中）の使用水量：40 L"));
  CHECK(Contains(body, "データが届いていない時間：なし"));
  CHECK_FALSE(Contains(body, "1,000,0"));
  CHECK(p.Count("SELECT volume_l FROM watch_reports WHERE window_id = '2026-11-21T06'") == 40);
  CHECK(p.Count("SELECT hours_present FROM watch_reports WHERE window_id = '2026-11-21T06'") == 4);

  // The usage API (what the chart draws) marks the same hours as anomalies, without a volume. (Contract data
  // is visible from 09:00 on the next business day after linking: Tue 11-24, Mon 11-23 being 勤労感謝の日.)
  p.SetClock("2026-11-24T09:00:00+09:00");
  auto usage = p.Get(
      "/api/v1/contracts/00000008002/usage?step=hour&from=2026-11-21T06:00:00%2B09:00"
      "&to=2026-11-21T12:00:00%2B09:00");
  REQUIRE(usage.status == 200);
  INFO(usage.body.dump());
  const json& items = usage.body["items"];
  REQUIRE(items.size() == 6);
  std::vector<std::string> statuses;
  for (const auto& h : items) statuses.push_back(h["status"]);
  CHECK(statuses ==
        std::vector<std::string>{"measured", "anomaly", "anomaly", "measured", "measured", "measured"});
  CHECK(items[1]["volume_l"].is_null());
  CHECK(items[2]["volume_l"].is_null());
  CHECK(usage.body["volume_l"] == 40);
  auto days = p.Get("/api/v1/contracts/00000008002/usage?step=day&from=2026-11-21&to=2026-11-21");
  REQUIRE(days.status == 200);
  CHECK(days.body["items"][0]["hours_anomaly"] == 2);
}

TEST_CASE("meter anomaly: a real meter exchange is a reset and the new meter is measured", "[watch][meter]") {
  WatchPortal p;
  WatchedParent(p);
  // Old meter 500,000 → 500,010; the new one reads 2, then 2 → 12 → 12 → 30 → 31 (10 + 0 + 18 + 1 = 29 L).
  p.StoreRegisters("M000001", "2026-11-21T06:00:00+09:00", {500000, 500010, 2, 12, 12, 30, 31});
  p.SetClock("2026-11-21T12:30:00+09:00");
  auto mails = p.WaitForMails("son@example.jp", 1, "見守り：");
  REQUIRE(mails.size() == 1);
  const std::string body = mails[0]["body"];
  INFO(body);
  // 6–7 measured (10) + 7–8 reset (unknown) + 29 L after it = 39 L over 5 of 6 hours.
  CHECK(mails[0]["subject"] == "【水守】見守り：一部の時間のデータが届いていません（11月21日 6:00〜12:00）");
  CHECK(Contains(body, "データが届いた5時間の使用水量：39 L"));
  CHECK(Contains(body, "メーターの交換などにより"));
  CHECK_FALSE(Contains(body, "メーターの値に異常"));
}
