// Watch settings over real HTTP with mail through a real SMTP server: PUT/GET/DELETE, the shared rules
// (overlap, windows, recipients), the non-smart-meter refusal, the "added" mail and its stop link.
#include "test_watch_helpers.hpp"

using namespace mizu::testing;

namespace {

const json kSon = {{"name", "息子"}, {"email", "son@example.jp"}};

json Recipients(int n, const std::string& prefix = "f") {
  json out = json::array();
  for (int i = 0; i < n; ++i)
    out.push_back(
        {{"name", "家族" + std::to_string(i)}, {"email", prefix + std::to_string(i) + "@example.jp"}});
  return out;
}

}  // namespace

TEST_CASE("watch: PUT, GET, the added mail and its stop link (the watched person's own account)", "[watch]") {
  WatchPortal p;
  REQUIRE(p.SignUp("parent@example.jp").status == 201);
  auto before = p.Get(WatchPortal::WatchPath("00000008002"));
  REQUIRE(before.status == 200);
  CHECK(before.body["active"] == false);
  CHECK(before.body["window_hours"] == 6);

  auto put = p.PutWatch("0-0000008002", {{"start_hours", {6, 24}}, {"recipients", {kSon}}});
  REQUIRE(put.status == 200);
  CHECK(put.body["start_hours"] == json({6, 0}));  // 24:00 is 0:00
  CHECK(put.body["mailed"] == json({"son@example.jp"}));
  CHECK(put.body["windows"][0]["report_at"] == "12:30");
  CHECK(put.body["windows"][1]["report_at"] == "06:30");
  auto got = p.Get(WatchPortal::WatchPath("00000008002"));
  CHECK(got.body["active"] == true);
  CHECK(got.body["recipients"][0]["email"] == "son@example.jp");
  CHECK(got.body["recipients"][0]["stopped"] == false);

  auto added = p.WaitForMails("son@example.jp", 1, "通知先に登録されました");
  REQUIRE(added.size() == 1);
  const std::string body = added[0]["body"];
  INFO(body);
  CHECK(added[0]["to_name"] == "息子");
  CHECK(Contains(body, "parent@example.jp"));  // who set it up
  CHECK(Contains(body, "0-0000008002"));       // which contract
  CHECK(Contains(body, "水守市本町1-2-3"));
  CHECK(Contains(body, "6:00〜12:00（12:30ごろお知らせ）"));
  CHECK(Contains(body, "0:00〜6:00（6:30ごろお知らせ）"));
  CHECK(Contains(body, "水の使用がなかった場合もメールが届きます"));  // what they will receive
  CHECK(Contains(body, "安否を保証するものではありません"));          // the disclaimer
  const std::string link = StopLink(body);

  // The stop link needs no login; GET only shows what it would do (mail scanners fetch links).
  p.ForgetCookie();
  auto page = p.Get(link);
  REQUIRE(page.status == 200);
  CHECK(Contains(page.body.get<std::string>(), "受信を停止する"));
  CHECK(Contains(page.body.get<std::string>(), "son@example.jp"));
  auto info = p.Get(link + "&format=json");
  CHECK(info.body["stopped"] == false);
  CHECK(info.body["display_number"] == "0-0000008002");
  const std::string token = link.substr(link.find('=') + 1);
  auto stopped = p.Post("/api/v1/watch/stop", {{"token", token}});
  REQUIRE(stopped.status == 200);
  CHECK(stopped.body["stopped"] == true);
  CHECK(p.Get(link + "&format=json").body["stopped"] == true);
  CHECK(p.Post("/api/v1/watch/stop", {{"token", token}}).status == 200);  // idempotent
  CHECK(p.Get("/api/v1/watch/stop?token=" + std::string(64, 'a') + "&format=json").status == 404);
  CHECK(ErrorCode(p.Post("/api/v1/watch/stop", {{"token", "nonsense"}})) == "watch_stop_invalid");
  // The account that set the watch up hears about it once.
  REQUIRE(p.WaitForMails("parent@example.jp", 1, "受信を停止しました").size() == 1);

  // Back in the account: the recipient shows as stopped; a PUT keeping the address keeps it stopped (no new
  // mail), only the NEW address is mailed.
  p.Login("parent@example.jp");
  auto again =
      p.PutWatch("00000008002", {{"start_hours", {6}},
                                 {"recipients", {kSon, {{"name", "娘"}, {"email", "daughter@example.jp"}}}},
                                 {"lang", "en"}});
  REQUIRE(again.status == 200);
  CHECK(again.body["mailed"] == json({"daughter@example.jp"}));
  CHECK(again.body["recipients"][0]["stopped"] == true);
  CHECK(again.body["lang"] == "en");
  auto en = p.WaitForMails("daughter@example.jp", 1, "You were added");
  REQUIRE(en.size() == 1);
  CHECK(Contains(en[0]["body"], "06:00–12:00 (report around 12:30)"));
  CHECK(Contains(en[0]["body"], "guarantees nothing"));
  CHECK(StopLink(en[0]["body"]) != link);  // one token per recipient
  CHECK(p.Outbox("son@example.jp", "watch_added") == 1);

  // DELETE cancels; the recipients still receiving are told, the stopped one is not mailed again.
  CHECK(p.Send("DELETE", WatchPortal::WatchPath("00000008002")).status == 204);
  CHECK(p.Get(WatchPortal::WatchPath("00000008002")).body["active"] == false);
  CHECK(p.WaitForMails("daughter@example.jp", 1, "have ended").size() == 1);
  CHECK(p.Outbox("son@example.jp", "watch_ended") == 0);
  CHECK(p.Get(link + "&format=json").status == 404);  // the link died with the watch
  CHECK(p.Send("DELETE", WatchPortal::WatchPath("00000008002")).status == 204);
}

TEST_CASE("watch: a utility's own report delay moves report_at and the added mail's times", "[watch]") {
  WatchPortal p(kFridayAfternoon, [](mizu::backend::Config& c) { c.watch.report_delay_minutes = 45; });
  REQUIRE(p.SignUp("parent@example.jp").status == 201);
  auto before = p.Get(WatchPortal::WatchPath("00000008002"));
  CHECK(before.body["report_delay_minutes"] == 45);
  // 6:00–12:00 → 12:45; 22:00–4:00 (next day) → 4:45.
  auto put = p.PutWatch("00000008002", {{"start_hours", {6, 22}}, {"recipients", {kSon}}});
  REQUIRE(put.status == 200);
  CHECK(put.body["windows"][0] == json({{"start_hour", 6}, {"end_hour", 12}, {"report_at", "12:45"}}));
  CHECK(put.body["windows"][1] == json({{"start_hour", 22}, {"end_hour", 4}, {"report_at", "04:45"}}));
  auto added = p.WaitForMails("son@example.jp", 1, "通知先に登録されました");
  REQUIRE(added.size() == 1);
  const std::string body = added[0]["body"];
  INFO(body);
  CHECK(Contains(body, "6:00〜12:00（12:45ごろお知らせ）"));
  CHECK(Contains(body, "22:00〜4:00（4:45ごろお知らせ）"));
}

TEST_CASE("watch: overlap, window and recipient limits, non-smart meters and strangers are refused",
          "[watch]") {
  WatchPortal p;
  REQUIRE(p.SignUp("parent@example.jp").status == 201);
  const std::string path = WatchPortal::WatchPath("00000008002");

  auto overlap = p.Send("PUT", path, {{"start_hours", {6, 10}}, {"recipients", {kSon}}});
  CHECK(overlap.status == 400);
  CHECK(ErrorCode(overlap) == "watch_overlap");
  CHECK(overlap.body["error"]["message"] == "見守り期間が重複しています");
  CHECK(overlap.body["error"]["fields"]["start_hours"]["code"] == "watch_overlap");
  CHECK(ErrorCode(p.Send("PUT", path, {{"start_hours", {22, 2}}, {"recipients", {kSon}}})) ==
        "watch_overlap");
  CHECK(ErrorCode(p.Send("PUT", path, {{"start_hours", {0, 24}}, {"recipients", {kSon}}})) ==
        "watch_overlap");
  CHECK(p.Send("PUT", path, {{"start_hours", {6, 12}}, {"recipients", {kSon}}}).status ==
        200);  // they only touch
  CHECK(ErrorCode(p.Send("PUT", path, {{"start_hours", {0, 8, 16}}, {"recipients", {kSon}}})) ==
        "watch_too_many_windows");
  CHECK(ErrorCode(p.Send("PUT", path, {{"start_hours", json::array()}, {"recipients", {kSon}}})) ==
        "watch_no_window");
  CHECK(ErrorCode(p.Send("PUT", path, {{"start_hours", {25}}, {"recipients", {kSon}}})) ==
        "watch_hour_invalid");

  auto six = p.Send("PUT", path, {{"start_hours", {6}}, {"recipients", Recipients(6)}});
  CHECK(six.status == 400);
  CHECK(ErrorCode(six) == "watch_too_many_recipients");
  CHECK(six.body["error"]["message"] == "通知先は5件までです。");
  auto five = p.Send("PUT", path, {{"start_hours", {6}}, {"recipients", Recipients(5)}});
  REQUIRE(five.status == 200);
  CHECK(five.body["recipients"].size() == 5);
  CHECK(five.body["mailed"].size() == 5);
  auto dup =
      p.Send("PUT", path,
             {{"start_hours", {6}}, {"recipients", {kSon, {{"name", "二重"}, {"email", "SON@example.jp"}}}}});
  CHECK(ErrorCode(dup) == "watch_duplicate_recipient");
  auto bad_mail =
      p.Send("PUT", path, {{"start_hours", {6}}, {"recipients", {{{"name", "x"}, {"email", "no-at"}}}}});
  CHECK(bad_mail.body["error"]["fields"]["recipients[0].email"]["code"] == "email_invalid");
  CHECK(ErrorCode(p.Send("PUT", path, {{"start_hours", {6}}, {"recipients", {kSon}}, {"lang", "fr"}})) ==
        "invalid_format");
  CHECK(p.Get(path).body["recipients"].size() == 5);  // refused PUTs changed nothing

  // Every new address is mailed, so at most 20 new addresses per account per day (6 so far): the PUT that
  // would mail the 21st is refused as a whole.
  CHECK(p.Send("PUT", path, {{"start_hours", {6}}, {"recipients", Recipients(5, "g")}}).status == 200);
  CHECK(p.Send("PUT", path, {{"start_hours", {6}}, {"recipients", Recipients(5, "h")}}).status == 200);
  auto flood = p.Send("PUT", path, {{"start_hours", {6}}, {"recipients", Recipients(5, "k")}});
  CHECK(flood.status == 429);
  CHECK(ErrorCode(flood) == "rate_limited");
  CHECK_FALSE(flood.retry_after.empty());
  CHECK(p.Get(path).body["recipients"][0]["email"] == "h0@example.jp");
  CHECK(p.Outbox("k0@example.jp", "watch_added") == 0);

  // A contract that is not the caller's: not found (never says whether it exists).
  CHECK(ErrorCode(p.Get(WatchPortal::WatchPath("00000008004"))) == "contract_not_found");
  // Without a session: 401.
  const std::string cookie = p.Cookie();
  p.ForgetCookie();
  CHECK(p.Get(path).status == 401);

  // A contract without a smart meter.
  REQUIRE(p.SignUp("sato@example.jp", "00000008006", "03-1234-5678").status == 201);
  auto no_meter = p.Get(WatchPortal::WatchPath("00000008006"));
  CHECK(no_meter.status == 409);
  CHECK(ErrorCode(no_meter) == "watch_no_smart_meter");
  CHECK(ErrorCode(p.Send("PUT", WatchPortal::WatchPath("00000008006"),
                         {{"start_hours", {6}}, {"recipients", {kSon}}})) == "watch_no_smart_meter");
  CHECK(p.Count("SELECT count(*) FROM watches") == 1);
  p.UseCookie(cookie);
}

TEST_CASE("watch: stop links start with public_url, else http://<listen>", "[watch]") {
  for (std::string public_url : {"https://portal.example.jp", ""}) {
    INFO("public_url: " << public_url);
    Portal p([&](mizu::backend::Config& c) { c.public_url = public_url; });
    REQUIRE(p.SignUp("parent@example.jp").status == 201);
    REQUIRE(
        p.Send("PUT", WatchPortal::WatchPath("00000008002"), {{"start_hours", {6}}, {"recipients", {kSon}}})
            .status == 200);
    REQUIRE(p.WaitForMails("son@example.jp", 1) == 1);
    const std::string body = p.MailsTo("son@example.jp")[0]["body"];
    const std::string base = public_url.empty() ? "http://127.0.0.1:8080" : public_url;  // the default listen
    CHECK(Contains(body, base + StopLink(body)));
  }
}

TEST_CASE("watch: the preview shows the three report mails the recipients will get, and sends nothing",
          "[watch]") {
  WatchPortal p;  // Friday 2026-11-20 15:00 JST
  REQUIRE(p.SignUp("parent@example.jp").status == 201);
  const std::string path = WatchPortal::WatchPath("00000008002") + "/preview";

  // 18:00–24:00 today is still to come (its mail at 0:30): the preview is about 11月20日.
  auto r = p.Post(path, {{"start_hours", {18}}, {"recipients", {kSon}}});
  REQUIRE(r.status == 200);
  INFO(r.body.dump(1));
  REQUIRE(r.body["mails"].size() == 3);
  const json used = r.body["mails"][0], not_used = r.body["mails"][1], no_data = r.body["mails"][2];
  CHECK(used["outcome"] == "used");
  CHECK(used["subject"] == "【水守】見守り：水の使用がありました（11月20日 18:00〜24:00）");
  CHECK(Contains(used["body"], "息子 様"));
  CHECK(Contains(used["body"], "使用水量：150 L"));
  CHECK(Contains(used["body"], "0-0000008002"));
  CHECK(Contains(used["body"], "安否を保証するものではありません"));  // the disclaimer, as in every report
  CHECK(Contains(used["body"], "（受信者ごとの配信停止用URL）"));     // no real link in a preview
  CHECK(not_used["outcome"] == "not_used");
  CHECK(not_used["subject"] == "【水守】見守り：水の使用がありませんでした（11月20日 18:00〜24:00）");
  CHECK(Contains(not_used["body"], "使用水量：0 L（この時間帯のメーターのデータはすべて届いています）"));
  CHECK(no_data["outcome"] == "no_data");
  CHECK(no_data["subject"] == "【水守】見守り：メーターのデータが届いていません（11月20日 18:00〜24:00）");
  CHECK(Contains(no_data["body"], "「水の使用がなかった」という意味ではありません"));

  // 6:00–12:00 has already been reported today (12:30 < 15:00): the next one is tomorrow's; English mails.
  auto en = p.Post(path, {{"start_hours", {6, 18}}, {"recipients", {kSon}}, {"lang", "en"}});
  REQUIRE(en.status == 200);
  CHECK(en.body["mails"][0]["subject"] == "[Mizumori] Watch: water was used (Nov 21, 06:00–12:00 JST)");
  CHECK(Contains(en.body["mails"][2]["body"], "This does NOT mean that no water was used."));

  // The same rules as PUT, and nothing stored or sent.
  auto overlap = p.Post(path, {{"start_hours", {6, 10}}, {"recipients", {kSon}}});
  CHECK(overlap.status == 400);
  CHECK(overlap.body["error"]["fields"]["start_hours"]["code"] == "watch_overlap");
  auto no_one = p.Post(path, {{"start_hours", {6}}, {"recipients", json::array()}});
  CHECK(ErrorCode(no_one) == "watch_no_recipient");
  CHECK(ErrorCode(p.Post(WatchPortal::WatchPath("00000008004") + "/preview",
                         {{"start_hours", {6}}, {"recipients", {kSon}}})) == "contract_not_found");
  CHECK(p.Get(WatchPortal::WatchPath("00000008002")).body["active"] == false);
  CHECK(p.Count("SELECT count(*) FROM watches") == 0);
  CHECK(p.Count("SELECT count(*) FROM mail_outbox WHERE to_addr = 'son@example.jp'") == 0);
}
