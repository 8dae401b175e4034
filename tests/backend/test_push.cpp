// Push to the installed app (push.hpp) through the real server, its relay and a loopback push service
// (push_service.hpp): devices registered and checked, a bureau notice pushed instead of mailed — encrypted
// for the device, signed with the server's VAPID key — and every way a push fails ending in exactly one
// e-mail.
#include <catch2/catch.hpp>
#include <regex>

#include "billing_helpers.hpp"
#include "mizu/backend/auth.hpp"
#include "mizu/backend/notices.hpp"
#include "mizu/backend/push.hpp"
#include "mizu/backend/web_push.hpp"
#include "push_service.hpp"

using namespace mizu::testing;
using mizu::backend::Base64Decode;
using mizu::backend::Base64Encode;

namespace {

// A browser's subscription: its key pair and auth secret, and what PushSubscription.toJSON() gives.
struct Browser {
  mizu::backend::P256KeyPair keys = mizu::backend::GenerateP256KeyPair();
  std::string auth = mizu::backend::RandomBytes(16);
  json Subscription(const std::string& endpoint, const std::string& device = "Pixel Chrome") const {
    return {{"endpoint", endpoint},
            {"keys", {{"p256dh", Base64Encode(keys.public_key, true)}, {"auth", Base64Encode(auth, true)}}},
            {"device", device}};
  }
};

void AllowLoopbackPush(mizu::backend::Config& c) {
  c.push.allow_http_loopback = true;
}

// A bureau notice to every linked resident, through the real service (mailed — or pushed — on publishing).
void PostNotice(Portal& p, const std::string& title) {
  mizu::backend::BureauNotice n;
  n.title_ja = title;
  n.body_ja = "12月1日 9:00〜12:00 に本町地区で断水します。";
  mizu::backend::PostBureauNotice(p.App(), n, p.App().clock.Now());
}

// Outbox rows of the push channel and their state, oldest first.
std::vector<std::pair<std::string, std::string>> PushRows(Portal& p) {
  std::lock_guard lock(p.App().db_mutex);
  auto q = p.App().db->Prepare(
      "SELECT status, COALESCE(last_error, '') FROM mail_outbox WHERE channel = 'push' ORDER BY id");
  std::vector<std::pair<std::string, std::string>> out;
  while (q.Step()) out.emplace_back(q.Text(0), q.Text(1));
  return out;
}

// Waits (on the outbox's state) until no row is pending or sending.
void WaitForOutbox(Portal& p) {
  const bool drained = WaitUntil(
      [&] {
        {
          std::lock_guard lock(p.App().db_mutex);
          auto q =
              p.App().db->Prepare("SELECT count(*) FROM mail_outbox WHERE status IN ('pending', 'sending')");
          q.Step();
          if (q.Int(0) == 0) return true;
        }
        p.App().relay->Notify();
        return false;
      },
      kWaitLimit, std::chrono::milliseconds(20));
  if (!drained) FAIL("the outbox did not drain");
}

}  // namespace

TEST_CASE("Push devices: registered with checked keys, listed without their secret URL, turned off, removed",
          "[push]") {
  PushService service;
  Portal p(AllowLoopbackPush);
  VisibleResident(p, "taro@example.jp");
  const auto key = p.Get("/api/v1/push/key");
  REQUIRE(key.status == 200);
  const auto raw = Base64Decode(key.body["key"].get<std::string>(), true);
  REQUIRE(raw);
  CHECK(raw->size() == 65);
  CHECK(p.Get("/api/v1/push/key").body["key"] == key.body["key"]);  // one key, kept

  Browser phone;
  auto added = p.Post("/api/v1/me/push-subscriptions", phone.Subscription(service.Endpoint(1)));
  REQUIRE(added.status == 201);
  CHECK(added.body["device"] == "Pixel Chrome");
  CHECK(added.body["enabled"] == true);
  CHECK(added.body["service"] == service.Endpoint(1).substr(0, service.Endpoint(1).find("/push")));
  const std::string id = std::to_string(added.body["id"].get<int64_t>());
  auto list = p.Get("/api/v1/me/push-subscriptions").body["devices"];
  REQUIRE(list.size() == 1);
  CHECK(list[0].dump().find("/push/1") == std::string::npos);  // the endpoint is a capability: not echoed

  // Refusals, each on its field.
  json bad = phone.Subscription(service.Endpoint(2));
  bad["keys"]["p256dh"] = Base64Encode(std::string(65, '\x04'), true);  // not a point on the curve
  auto r = p.Post("/api/v1/me/push-subscriptions", bad);
  CHECK(r.status == 400);
  CHECK(r.body["error"]["fields"]["p256dh"]["code"] == "push_subscription_invalid");
  bad = phone.Subscription(service.Endpoint(2));
  bad["keys"]["auth"] = Base64Encode("short", true);
  CHECK(p.Post("/api/v1/me/push-subscriptions", bad).body["error"]["fields"]["auth"]["code"] ==
        "push_subscription_invalid");
  for (const std::string& endpoint : std::vector<std::string>{
           "https://evil.example.net/push/1", "http://10.0.0.5/push/1",
           "https://fcm.googleapis.com.evil.example/x", "https://evil.com\\.fcm.googleapis.com/x",
           "https://evil.com%2F.fcm.googleapis.com/x", "https://evil.com;.fcm.googleapis.com/x",
           "https://fcm.googleapis.com:22/x", "https://fcm.googleapis.com:/x",
           "https://fcm.googleapis.com:99999/x", "https://" + std::string(64, 'a') + ".fcm.googleapis.com/x",
           "https://127.0.0.1/x"}) {
    INFO(endpoint);
    r = p.Post("/api/v1/me/push-subscriptions", phone.Subscription(endpoint));
    CHECK(r.status == 400);
    CHECK(r.body["error"]["fields"]["endpoint"]["code"] == "push_endpoint_not_allowed");
    CHECK(r.body["error"]["fields"]["endpoint"]["message"] ==
          "このブラウザーの通知サービスには送信できません。通知はメールでお届けします。");
  }
  CHECK(p.Post("/api/v1/me/push-subscriptions", phone.Subscription("javascript:alert(1)"))
            .body["error"]["fields"]["endpoint"]["code"] == "push_subscription_invalid");
  bad = phone.Subscription(service.Endpoint(2), std::string("a\x01") + "b");
  CHECK(p.Post("/api/v1/me/push-subscriptions", bad).body["error"]["fields"]["device"]["code"] ==
        "control_character");
  // An allowed push service by host suffix (not contacted here); the host is compared and shown in lowercase.
  auto fcm = p.Post("/api/v1/me/push-subscriptions",
                    phone.Subscription("https://FCM.googleapis.com:443/fcm/send/x"));
  CHECK(fcm.status == 201);
  CHECK(fcm.body["service"] == "https://fcm.googleapis.com");  // the origin: no default port

  CHECK(p.Send("PUT", "/api/v1/me/push-subscriptions/" + id, {{"enabled", false}}).body["enabled"] == false);
  CHECK(p.Send("PUT", "/api/v1/me/push-subscriptions/" + id, {{"enabled", "no"}}).status == 400);
  CHECK(p.Send("DELETE", "/api/v1/me/push-subscriptions/" + id).status == 204);
  CHECK(p.Send("DELETE", "/api/v1/me/push-subscriptions/" + id).status == 404);
  CHECK(p.Get("/api/v1/me/push-subscriptions").body["devices"].size() == 1);  // the fcm one

  // Another resident cannot touch the first one's devices.
  const std::string other_id =
      std::to_string(p.Get("/api/v1/me/push-subscriptions").body["devices"][0]["id"].get<int64_t>());
  REQUIRE(p.Post("/api/v1/logout", {}).status == 204);
  VisibleResident(p, "hanako@example.jp", "00000008004", "0467-22-3333");
  CHECK(p.Send("PUT", "/api/v1/me/push-subscriptions/" + other_id, {{"enabled", false}}).status == 404);
  CHECK(p.Send("DELETE", "/api/v1/me/push-subscriptions/" + other_id).status == 404);
  CHECK(p.Get("/api/v1/me/push-subscriptions").body["devices"].empty());
}

TEST_CASE("A notice goes by push instead of e-mail: encrypted for the device, signed with the server's key",
          "[push]") {
  PushService service;
  Portal p(AllowLoopbackPush);
  VisibleResident(p, "taro@example.jp");
  Browser phone;
  REQUIRE(p.Post("/api/v1/me/push-subscriptions", phone.Subscription(service.Endpoint(1))).status == 201);
  const std::string vapid_key = p.Get("/api/v1/push/key").body["key"];
  const size_t mails_before = p.MailsTo("taro@example.jp").size();

  PostNotice(p, "断水のお知らせ");
  const auto got = service.WaitFor(1);
  REQUIRE(got.size() == 1);
  const PushReceived& push = got[0];
  CHECK(push.Header("Content-Encoding") == "aes128gcm");
  CHECK(push.Header("Content-Type") == "application/octet-stream");
  CHECK(push.Header("TTL") == "86400");
  CHECK(push.Header("Urgency") == "normal");
  const json message = json::parse(OpenBody(push.body, phone.keys.private_key, phone.auth));
  CHECK(message["title"] == "【水守】断水のお知らせ");  // the mail's subject
  CHECK(message["body"].get<std::string>().find("断水します") != std::string::npos);
  CHECK(message["url"] == "/#/notices");
  CHECK(message["kind"] == "bureau_notice");
  CHECK_THROWS(OpenBody(push.body, mizu::backend::GenerateP256KeyPair().private_key, phone.auth));

  // RFC 8292: "vapid t=<JWT>, k=<the key /api/v1/push/key gives>"; the JWT's audience is the endpoint's
  // origin.
  std::smatch m;
  const std::string authorization = push.Header("Authorization");
  REQUIRE(
      std::regex_match(authorization, m, std::regex(R"(vapid t=([\w-]+)\.([\w-]+)\.([\w-]+), k=([\w-]+))")));
  CHECK(m[4] == vapid_key);
  const json claims = json::parse(*Base64Decode(m[2].str(), true));
  CHECK(claims["aud"] == service.Endpoint(1).substr(0, service.Endpoint(1).find("/push")));
  CHECK(claims["sub"] == "mailto:no-reply@mizumori.invalid");  // from mail.from (push.subject unset)
  const int64_t now = p.App().clock.Now();
  CHECK(claims["exp"].get<int64_t>() > now);
  CHECK(claims["exp"].get<int64_t>() <= now + 24 * 3600);  // RFC 8292 §2

  WaitForOutbox(p);
  CHECK(PushRows(p) == std::vector<std::pair<std::string, std::string>>{{"sent", ""}});
  CHECK(p.MailsTo("taro@example.jp").size() == mails_before);  // instead of e-mail, not as well
  CHECK(p.Get("/api/v1/me/push-subscriptions").body["devices"][0]["last_sent_at"].is_string());

  // Turned off on that device: the next notice is mailed.
  const std::string id =
      std::to_string(p.Get("/api/v1/me/push-subscriptions").body["devices"][0]["id"].get<int64_t>());
  REQUIRE(p.Send("PUT", "/api/v1/me/push-subscriptions/" + id, {{"enabled", false}}).status == 200);
  PostNotice(p, "点検のお知らせ");
  CHECK(p.WaitForMails("taro@example.jp", mails_before + 1) == mails_before + 1);
  CHECK(service.Received().size() == 1);
}

TEST_CASE("A push service's 404/410 ends the device and the notice comes by e-mail, once", "[push]") {
  PushService service;
  Portal p(AllowLoopbackPush);
  VisibleResident(p, "taro@example.jp");
  Browser phone, tablet;
  REQUIRE(p.Post("/api/v1/me/push-subscriptions", phone.Subscription(service.Endpoint(1))).status == 201);
  REQUIRE(p.Post("/api/v1/me/push-subscriptions", tablet.Subscription(service.Endpoint(2), "iPad")).status ==
          201);
  const size_t mails_before = p.MailsTo("taro@example.jp").size();

  SECTION("one device gone, the other reached: no e-mail") {
    service.Answer(1, 410);
    PostNotice(p, "断水のお知らせ");
    service.WaitFor(2);
    WaitForOutbox(p);
    auto devices = p.Get("/api/v1/me/push-subscriptions").body["devices"];
    REQUIRE(devices.size() == 1);
    CHECK(devices[0]["device"] == "iPad");
    CHECK(p.MailsTo("taro@example.jp").size() == mails_before);
  }
  SECTION("both gone: one e-mail, and the next notice is mailed straight away") {
    service.Answer(1, 404);
    service.Answer(2, 410);
    PostNotice(p, "断水のお知らせ");
    service.WaitFor(2);
    WaitForOutbox(p);
    CHECK(p.WaitForMails("taro@example.jp", mails_before + 1) == mails_before + 1);
    const auto rows = PushRows(p);
    REQUIRE(rows.size() == 2);
    int fallbacks = 0;
    for (const auto& [status, error] : rows) {
      CHECK(status == "failed");
      fallbacks += error.rfind("fallback:", 0) == 0;
    }
    CHECK(fallbacks == 1);
    CHECK(p.Get("/api/v1/me/push-subscriptions").body["devices"].empty());
    PostNotice(p, "点検のお知らせ");
    CHECK(p.WaitForMails("taro@example.jp", mails_before + 2) == mails_before + 2);
    CHECK(service.Received().size() == 2);
  }
  SECTION("refused for good (403: the push service rejects the VAPID token): e-mail at once") {
    service.Answer(1, 403);
    service.Answer(2, 403);
    PostNotice(p, "断水のお知らせ");
    service.WaitFor(2);
    CHECK(p.WaitForMails("taro@example.jp", mails_before + 1) == mails_before + 1);
    CHECK(p.Get("/api/v1/me/push-subscriptions").body["devices"].size() == 2);  // not ended by a 403
  }
  SECTION("still failing (503) after half an hour: e-mail") {
    service.Answer(1, 503);
    service.Answer(2, 503);
    PostNotice(p, "断水のお知らせ");
    service.WaitFor(2);
    CHECK(p.MailsTo("taro@example.jp").size() == mails_before);  // retried later, not yet mailed
    p.Advance(mizu::backend::kPushGiveUpSeconds + 3600);         // past the give-up and every back-off
    p.App().relay->Notify();
    service.WaitFor(4);
    CHECK(p.WaitForMails("taro@example.jp", mails_before + 1) == mails_before + 1);
    WaitForOutbox(p);
    CHECK(p.MailsTo("taro@example.jp").size() == mails_before + 1);
  }
}

TEST_CASE("A device registered again by another account does not get the first account's waiting notice",
          "[push]") {
  PushService service;
  Portal p(AllowLoopbackPush);
  VisibleResident(p, "taro@example.jp");
  Browser shared_pc;
  REQUIRE(p.Post("/api/v1/me/push-subscriptions", shared_pc.Subscription(service.Endpoint(1))).status == 201);
  const size_t mails_before = p.MailsTo("taro@example.jp").size();
  service.Answer(1, 503);  // the first try fails: the notice waits for its retry
  PostNotice(p, "断水のお知らせ");
  service.WaitFor(1);
  // Another resident logs in on the same browser profile: the same endpoint, new keys, their account.
  REQUIRE(p.Post("/api/v1/logout", {}).status == 204);
  VisibleResident(p, "hanako@example.jp", "00000008004", "0467-22-3333");
  Browser same_endpoint;
  REQUIRE(p.Post("/api/v1/me/push-subscriptions", same_endpoint.Subscription(service.Endpoint(1))).status ==
          201);
  service.Answer(1, 201);
  p.Advance(3600);  // past the retry's back-off
  p.App().relay->Notify();
  // Taro's notice goes to taro by e-mail, never to the device now registered to hanako.
  CHECK(p.WaitForMails("taro@example.jp", mails_before + 1) == mails_before + 1);
  WaitForOutbox(p);
  CHECK(service.Received().size() == 1);
}
