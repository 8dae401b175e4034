// The watch's alerts through the real server (alerts.hpp): choices checked and kept, each episode mailed once
// to the chosen recipients across passes and restarts, "not reported" never told as "no use", quiet hours
// holding a 元気メール until they end, pause while away, and 通知履歴.
#include "mizu/backend/auth.hpp"
#include "mizu/backend/web_push.hpp"
#include "push_service.hpp"
#include "test_watch_helpers.hpp"

using namespace mizu::testing;

namespace {

const json kSon = {{"name", "息子"}, {"email", "son@example.jp"}};
const json kDaughter = {{"name", "娘"}, {"email", "daughter@example.jp"}};
const std::string kAlerts = "/api/v1/contracts/00000008002/watch/alerts";

void Watched(WatchPortal& p) {
  REQUIRE(p.SignUp("parent@example.jp").status == 201);
  p.SetClock("2026-11-21T00:30:00+09:00");
  REQUIRE(p.PutWatch("00000008002", {{"start_hours", {18}}, {"recipients", {kSon, kDaughter}}}).status ==
          200);
}

}  // namespace

TEST_CASE("alerts: continuous flow and back to normal, once each, to the chosen recipient only",
          "[alerts_service]") {
  WatchPortal p;
  Watched(p);
  auto put = p.Send("PUT", kAlerts,
                    {{"continuous_flow", true}, {"flow_hours", 2}, {"recipients", {"SON@example.jp"}}});
  REQUIRE(put.status == 200);
  CHECK(put.body["enabled"] == true);
  CHECK(put.body["recipients"] == json::array({"son@example.jp"}));
  CHECK(put.body["watch_recipients"] == json::array({"son@example.jp", "daughter@example.jp"}));
  // 01–02 no use, 02–03 30 L, 03–04 40 L, 04–05 no use (registers at 01:00 … 05:00).
  p.StoreRegisters("M000001", "2026-11-21T01:00:00+09:00", {100, 100, 130, 170, 170});
  p.SetClock("2026-11-21T05:40:00+09:00");  // the 05:00 hour, 30 minutes on (report_delay_minutes)
  auto flow = p.WaitForMails("son@example.jp", 1, "続けて使われています");
  REQUIRE(flow.size() == 1);
  CHECK(flow[0]["subject"] == "【水守】見守り：水が2時間以上続けて使われています");
  const std::string body = flow[0]["body"];
  CHECK(body.find("11月21日 2:00から") != std::string::npos);  // since the 02:00 hour
  CHECK(body.find("70 L") != std::string::npos);               // 30 + 40 by 04:00
  CHECK(body.find("/watch/stop") != std::string::npos);        // the recipient's stop link
  REQUIRE(p.WaitForMails("son@example.jp", 1, "おさまりました").size() == 1);
  CHECK(p.Outbox("daughter@example.jp", "watch_alert") == 0);

  // Later passes, a restart and a lost hour marker add nothing: the (watch, episode) row is the guarantee.
  p.SetClock("2026-11-21T06:10:00+09:00");
  p.WaitPolls(3);
  p.Stop();
  {
    mizu::backend::Database db((p.DataDir() / "mizumori.db").string());
    db.Exec("DELETE FROM server_state WHERE key = 'alerts.evaluated_hour'");
  }
  p.Start("2026-11-21T06:20:00+09:00");
  p.Login("parent@example.jp");
  p.WaitPolls(3);
  CHECK(p.Outbox("son@example.jp", "watch_alert") == 2);

  auto history = p.Get(kAlerts + "/history");
  REQUIRE(history.status == 200);
  REQUIRE(history.body["alerts"].size() == 2);
  CHECK(history.body["alerts"][0]["kind"] == "flow_normal");
  CHECK(history.body["alerts"][1]["kind"] == "flow");
  CHECK(history.body["alerts"][1]["status"] == "sent");
  CHECK(history.body["alerts"][1]["mails"] == 1);
  CHECK(history.body["alerts"][1]["at"] == "2026-11-21T04:00:00+09:00");
  CHECK(history.body["alerts"][1]["subject"] == "【水守】見守り：水が2時間以上続けて使われています");

  // The son sees 通知履歴 too, on his stop link's page (no account needed: the link is his).
  const std::string link = StopLink(flow[0]["body"].get<std::string>());
  auto page = p.Get(link);
  REQUIRE(page.status == 200);
  const std::string html = page.body.is_string() ? page.body.get<std::string>() : page.body.dump();
  CHECK(html.find("通知履歴") != std::string::npos);
  CHECK(html.find("水が2時間以上続けて使われています") != std::string::npos);
  auto as_json = p.Get(link + "&format=json");
  REQUIRE(as_json.body["alerts"].size() == 2);
  CHECK(as_json.body["alerts"][1]["at"] == "2026-11-21T04:00:00+09:00");
}

TEST_CASE(
    "alerts: hours not reported are never told as no use, and a 元気メール waits for quiet hours to end",
    "[alerts_service]") {
  WatchPortal p;
  Watched(p);
  REQUIRE(p.Send("PUT", kAlerts,
                 {{"long_no_use", true},
                  {"no_use_hours", 12},
                  {"morning", true},
                  {"morning_from_hour", 5},
                  {"morning_by_hour", 9},
                  {"quiet_from_hour", 21},
                  {"quiet_to_hour", 7}})
              .status == 200);
  // 00:30 … : 01–02 used, then no use, with the registers at 05:00 and 06:00 absent (04–07 not reported)
  // until 14:00; the 05–06 hour of the next day used.
  std::vector<int64_t> regs = {100, 110};  // 01:00, 02:00
  for (int h = 3; h <= 14; ++h) regs.push_back(h == 5 || h == 6 ? -1 : 110);
  p.StoreRegisters("M000001", "2026-11-21T01:00:00+09:00", regs);
  p.SetClock("2026-11-21T14:35:00+09:00");
  // 02:00–14:00 without a known use, 3 hours not reported: "the meter has not reported".
  auto silent = p.WaitForMails("son@example.jp", 1, "メーターのデータが届いていません");
  REQUIRE(silent.size() >= 1);
  CHECK(silent[0]["body"].get<std::string>().find("使用がなかった」という意味ではありません") !=
        std::string::npos);
  CHECK(p.MailsTo("son@example.jp", "時間、水の使用がありません").empty());
  // That morning (05:00–09:00) had hours not reported too: its mail says so, never "no use".
  CHECK(p.WaitForMails("son@example.jp", 1, "朝のメーターのデータが届いていません").size() == 1);

  // Next morning: use at 05–06; found at 06:35, inside quiet hours (21–7): held until 07:00.
  p.StoreRegisters("M000001", "2026-11-22T05:00:00+09:00", {200, 240});
  p.SetClock("2026-11-22T06:35:00+09:00");
  p.WaitPolls(3);
  CHECK(p.Outbox("son@example.jp", "watch_alert") == 2);  // not yet
  auto held = p.Get(kAlerts + "/history").body["alerts"];
  REQUIRE(held.size() >= 1);
  CHECK(held[0]["kind"] == "morning_use");
  CHECK(held[0]["status"] == "held");
  p.SetClock("2026-11-22T07:00:30+09:00");
  auto morning = p.WaitForMails("son@example.jp", 1, "元気メール");
  REQUIRE(morning.size() == 1);
  CHECK(morning[0]["subject"] == "【水守】元気メール：11月22日の朝、水が使われました");
  CHECK(morning[0]["body"].get<std::string>().find("5:00台") != std::string::npos);
  CHECK(p.Get(kAlerts + "/history").body["alerts"][0]["status"] == "sent");
  CHECK(p.Outbox("daughter@example.jp", "watch_alert") == 3);  // no choice made: every recipient
}

TEST_CASE("alerts: pause while away drops no-use alerts (kept in the history), and ends by itself",
          "[alerts_service]") {
  WatchPortal p;
  Watched(p);
  REQUIRE(p.Send("PUT", kAlerts,
                 {{"long_no_use", true},
                  {"no_use_hours", 12},
                  {"away_from", "2026-11-21"},
                  {"away_to", "2026-11-21"}})
              .status == 200);
  std::vector<int64_t> regs = {100, 110};
  for (int h = 3; h <= 14; ++h) regs.push_back(110);
  p.StoreRegisters("M000001", "2026-11-21T01:00:00+09:00", regs);  // no use 02:00–14:00
  p.SetClock("2026-11-21T14:35:00+09:00");
  p.WaitPolls(3);
  auto history = p.Get(kAlerts + "/history").body["alerts"];
  REQUIRE(history.size() == 1);
  CHECK(history[0]["kind"] == "no_use");
  CHECK(history[0]["status"] == "dropped");
  CHECK(p.Outbox("son@example.jp", "watch_alert") == 0);
}

TEST_CASE("alerts: choices checked field by field, only on the caller's watched contract",
          "[alerts_service]") {
  WatchPortal p;
  REQUIRE(p.SignUp("parent@example.jp").status == 201);
  p.SetClock("2026-11-21T00:30:00+09:00");
  auto none = p.Get(kAlerts);
  CHECK(none.status == 409);
  CHECK(none.body["error"]["code"] == "watch_alerts_no_watch");
  REQUIRE(p.PutWatch("00000008002", {{"start_hours", {18}}, {"recipients", {kSon}}}).status == 200);
  auto fresh = p.Get(kAlerts);
  REQUIRE(fresh.status == 200);
  CHECK(fresh.body["enabled"] == false);
  CHECK(fresh.body["flow_hours"] == 2);
  CHECK(fresh.body["no_use_hours"] == 24);
  CHECK(fresh.body["quiet_from_hour"].is_null());

  auto bad = p.Send("PUT", kAlerts, {{"continuous_flow", true}, {"flow_hours", 30}});
  CHECK(bad.status == 400);
  CHECK(bad.body["error"]["fields"]["flow_hours"]["code"] == "invalid_format");
  bad = p.Send("PUT", kAlerts, {{"quiet_from_hour", 18446744073709551615ULL}, {"quiet_to_hour", 7}});
  CHECK(bad.body["error"]["fields"]["quiet_from_hour"]["code"] == "invalid_format");  // not a wrapped −1
  bad = p.Send("PUT", kAlerts, {{"quiet_from_hour", -1}, {"quiet_to_hour", -1}});
  CHECK(bad.body["error"]["fields"]["quiet_from_hour"]["code"] == "invalid_format");  // off is null
  bad = p.Send("PUT", kAlerts, {{"morning", "yes"}});
  CHECK(bad.body["error"]["fields"]["morning"]["code"] == "invalid_format");
  bad = p.Send("PUT", kAlerts, {{"long_no_use", true}, {"recipients", {"stranger@example.jp"}}});
  CHECK(bad.body["error"]["fields"]["recipients"]["code"] == "invalid_format");
  bad = p.Send("PUT", kAlerts, {{"long_no_use", true}, {"recipients", {"son@example.jp\x1b"}}});
  CHECK(bad.body["error"]["fields"]["recipients"]["code"] == "control_character");  // as every text field
  bad = p.Send("PUT", kAlerts, {{"away_from", "2026-11-30"}, {"away_to", "2026-11-29"}});
  CHECK(bad.body["error"]["fields"]["away_to"]["code"] == "invalid_format");
  bad = p.Send("PUT", kAlerts, {{"away_from", "someday"}, {"away_to", "2026-11-29"}});
  CHECK(bad.body["error"]["fields"]["away_from"]["code"] == "date_invalid");
  CHECK(p.Get(kAlerts).body["enabled"] == false);  // nothing of a refused PUT was kept

  // Another resident's contract: not theirs.
  p.ForgetCookie();
  REQUIRE(p.SignUp("hanako@example.jp", "00000008004", "0467-22-3333").status == 201);
  CHECK(p.Get(kAlerts).status == 404);
  CHECK(p.Send("PUT", kAlerts, {{"long_no_use", true}}).status == 404);
  CHECK(p.Get(kAlerts + "/history").status == 404);
}

TEST_CASE("alerts: a recipient who holds an account with push on gets them by push, the others by e-mail",
          "[alerts_service]") {
  PushService service;
  WatchPortal p(kFridayAfternoon, [](mizu::backend::Config& c) { c.push.allow_http_loopback = true; });
  // The son has his own account (his own contract) and the app with push on.
  REQUIRE(p.SignUp("son@example.jp", "00000008004", "0467-22-3333").status == 201);
  const auto ua = mizu::backend::GenerateP256KeyPair();
  const std::string auth = mizu::backend::RandomBytes(16);
  REQUIRE(
      p.Post("/api/v1/me/push-subscriptions", {{"endpoint", service.Endpoint(7)},
                                               {"keys",
                                                {{"p256dh", mizu::backend::Base64Encode(ua.public_key, true)},
                                                 {"auth", mizu::backend::Base64Encode(auth, true)}}}})
          .status == 201);
  p.ForgetCookie();
  Watched(p);
  REQUIRE(p.Send("PUT", kAlerts, {{"continuous_flow", true}, {"flow_hours", 2}}).status == 200);
  p.StoreRegisters("M000001", "2026-11-21T01:00:00+09:00", {100, 100, 130, 170, 180});
  p.SetClock("2026-11-21T05:40:00+09:00");  // the 05:00 hour, 30 minutes on (report_delay_minutes)
  const auto pushed = service.WaitFor(1);
  REQUIRE(pushed.size() == 1);
  const json message = json::parse(OpenBody(pushed[0].body, ua.private_key, auth));
  CHECK(message["title"] == "【水守】見守り：水が2時間以上続けて使われています");
  CHECK(message["kind"] == "watch_alert");
  // The son's own stop link, offered by the notification as 配信停止 (the e-mail carries it in its text).
  CHECK(message["stop_url"].get<std::string>().find("/watch/stop") != std::string::npos);
  REQUIRE(p.WaitForMails("daughter@example.jp", 1, "続けて使われています").size() == 1);
  CHECK(p.MailsTo("son@example.jp", "続けて使われています").empty());
  CHECK(p.Outbox("son@example.jp", "watch_alert") == 0);  // pushed instead (its row names the device)
}

TEST_CASE(
    "alerts: a late reading that moves a leak's start, a leak longer than the look-back, and an edit "
    "while an alert is due each keep one alert and its back-to-normal",
    "[alerts_service]") {
  WatchPortal p;
  Watched(p);
  REQUIRE(p.Send("PUT", kAlerts, {{"continuous_flow", true}, {"flow_hours", 2}}).status == 200);
  // 01–02 no use, 02–04 not reported (the 03:00 register late), 04–06 10 L an hour: alerted at 06:40 as the
  // episode after 02:00.
  p.StoreRegisters("M000001", "2026-11-21T01:00:00+09:00", {100, 100, -1, 100, 110, 120});
  p.SetClock("2026-11-21T06:40:00+09:00");
  REQUIRE(p.WaitForMails("son@example.jp", 1, "続けて使われています").size() == 1);
  // The 03:00 register comes: 02–04 had no use, so the run now starts after 04:00 — the same leak.
  p.StoreRegisters("M000001", "2026-11-21T03:00:00+09:00", {100});
  p.StoreRegisters("M000001", "2026-11-21T07:00:00+09:00", {130, 130});  // 06–07 used, 07–08 no use
  p.SetClock("2026-11-21T08:40:00+09:00");
  REQUIRE(p.WaitForMails("son@example.jp", 1, "おさまりました").size() == 1);
  p.WaitPolls(3);
  CHECK(p.MailsTo("son@example.jp", "続けて使われています").size() == 1);

  // A leak of 15 hours (09:00–24:00), longer than the pass's look-back (flow_hours + 7): alerted at 11:40,
  // and its back-to-normal still comes when it stops. Between them, an edit of the recipients at 11:10,
  // when the alert was due but not yet found, loses nothing.
  std::vector<int64_t> regs = {130};  // 09:00
  for (int h = 10; h <= 24; ++h) regs.push_back(130 + (h - 9) * 5);
  regs.push_back(regs.back());  // 01:00 next day: 00–01 no use
  p.StoreRegisters("M000001", "2026-11-21T09:00:00+09:00", regs);
  p.SetClock("2026-11-21T11:10:00+09:00");
  p.WaitPolls(2);
  REQUIRE(
      p.Send("PUT", kAlerts, {{"continuous_flow", true}, {"flow_hours", 2}, {"recipients", {kSon["email"]}}})
          .status == 200);
  p.SetClock("2026-11-21T11:40:00+09:00");
  auto second = p.WaitForMails("son@example.jp", 2, "続けて使われています");
  REQUIRE(second.size() == 2);
  CHECK(second[1]["body"].get<std::string>().find("11月21日 9:00から") != std::string::npos);
  for (const char* at :
       {"2026-11-21T15:40:00+09:00", "2026-11-21T20:40:00+09:00", "2026-11-22T01:40:00+09:00"})
    p.SetClock(at);
  auto normal = p.WaitForMails("son@example.jp", 2, "おさまりました");
  REQUIRE(normal.size() == 2);
  CHECK(normal[1]["body"].get<std::string>().find("15時間") != std::string::npos);
  CHECK(normal[1]["body"].get<std::string>().find("75 L") != std::string::npos);
  CHECK(p.MailsTo("son@example.jp", "続けて使われています").size() == 2);
}
