// お知らせ and 通知受信設定 over HTTP with a real SMTP server: a meter-reading notice names the contract,
// read and unread per account, bureau notices in the same list, the new-bill mail in the account's language,
// none when turned off.
#include "billing_helpers.hpp"
#include "mizu/backend/notices.hpp"
#include "sms_helpers.hpp"

using namespace mizu::testing;

namespace {

const json kAddMother = {{"customer_number", "00000008004"},
                         {"bureau_phone", "0467-22-3333"},
                         {"name_kana", "ヤマダ ハナ"},
                         {"relationship", "family"},
                         {"consent", true}};

}  // namespace

TEST_CASE("a new bill creates a meter-reading notice naming the contract, notices are marked read",
          "[billing]") {
  Portal p;
  REQUIRE(p.SignUp("taro@example.jp").status == 201);
  REQUIRE(p.Post("/api/v1/contracts", kAddMother).status == 201);
  At(p, "2026-11-24T10:00:00+09:00", "taro@example.jp");
  REQUIRE(AdminImport(p, "bills",
                      kBillsHeader + BillLine("00000008002", "2026-09-18", 30) +
                          BillLine("00000008002", "2026-11-18", 24, 1030) +
                          BillLine("00000008004", "2026-11-19", 12))
              .body["inserted"] == 3);

  auto r = p.Get("/api/v1/contracts/00000008002/notices");
  REQUIRE(r.status == 200);
  CHECK(r.body["unread"] == 1);
  REQUIRE(r.body["notices"].size() == 1);  // the newest reading only
  auto n = r.body["notices"][0];
  CHECK(n["kind"] == "meter_reading");
  CHECK(n["read"] == false);
  CHECK(n["customer_number"] == "00000008002");
  CHECK(n["title"] == "検針結果のお知らせ（お客様番号 0-0000008002）");
  std::string body = n["body"];
  CHECK(body.find("水守市本町1-2-3") != std::string::npos);  // the supply address names the contract too
  CHECK(body.find("使用水量：24 m³") != std::string::npos);
  CHECK(body.find("検針日：2026年11月18日") != std::string::npos);
  auto en = p.Get("/api/v1/contracts/00000008002/notices?lang=en").body["notices"][0];
  CHECK(en["title"] == "Meter reading (customer number 0-0000008002)");

  // The mother's contract has its own notice; the top screen shows both, newest first.
  auto mother = p.Get("/api/v1/contracts/00000008004/notices").body["notices"];
  REQUIRE(mother.size() == 1);
  CHECK(mother[0]["title"].get<std::string>().find("0-0000008004") != std::string::npos);
  CHECK(mother[0]["body"].get<std::string>().find("水守市桜台4-5-6") != std::string::npos);
  auto top = p.Get("/api/v1/notices");
  CHECK(top.body["unread"] == 2);
  CHECK(top.body["notices"].size() == 2);

  std::string read =
      "/api/v1/contracts/00000008002/notices/" + std::to_string(n["id"].get<int64_t>()) + "/read";
  CHECK(p.Post(read, {}).status == 204);
  CHECK(p.Post(read, {}).status == 204);  // idempotent
  r = p.Get("/api/v1/contracts/00000008002/notices");
  CHECK(r.body["unread"] == 0);
  CHECK(r.body["notices"][0]["read"] == true);
  CHECK(p.Get("/api/v1/notices").body["unread"] == 1);
  // The mother's notice is not in this contract's list.
  std::string wrong =
      "/api/v1/contracts/00000008002/notices/" + std::to_string(mother[0]["id"].get<int64_t>()) + "/read";
  CHECK(ErrorCode(p.Post(wrong, {})) == "notice_not_found");
  CHECK(p.Post("/api/v1/contracts/00000008002/notices/999999/read", {}).status == 404);

  // An older reading filled in later makes no notice; a newer one goes on top.
  p.Advance(600);
  AdminImport(p, "bills", kBillsHeader + BillLine("00000008002", "2026-07-18", 28, 972));
  CHECK(p.Get("/api/v1/contracts/00000008002/notices").body["notices"].size() == 1);
  AdminImport(p, "bills", kBillsHeader + BillLine("00000008002", "2027-01-18", 20, 1054));
  auto list = p.Get("/api/v1/contracts/00000008002/notices").body;
  REQUIRE(list["notices"].size() == 2);
  CHECK(list["notices"][0]["body"].get<std::string>().find("2027年1月18日") != std::string::npos);
  CHECK(list["unread"] == 1);
}

TEST_CASE("bureau notices appear in every contract's list, once on the top screen, and are mailed",
          "[billing]") {
  Portal p;
  REQUIRE(p.SignUp("taro@example.jp").status == 201);
  REQUIRE(p.Post("/api/v1/contracts", kAddMother).status == 201);
  At(p, "2026-11-24T10:00:00+09:00", "taro@example.jp");
  mizu::backend::BureauNotice all;
  all.title_ja = "断水のお知らせ";
  all.body_ja = "12月1日 9:00〜12:00 に本町地区で断水します。";
  all.title_en = "Water outage";
  all.body_en = "No water in Honcho on Dec 1, 9:00-12:00.";
  int64_t now = p.App().clock.Now();
  int64_t id = mizu::backend::PostBureauNotice(p.App(), all, now);
  mizu::backend::BureauNotice later = all;
  later.title_ja = "予定されたお知らせ";
  later.published_at = now + 86400;
  mizu::backend::PostBureauNotice(p.App(), later, now);
  for (const char* cn : {"00000008002", "00000008004"}) {
    auto list = p.Get(std::string("/api/v1/contracts/") + cn + "/notices").body["notices"];
    REQUIRE(list.size() == 1);  // the scheduled one is not shown yet
    CHECK(list[0]["id"] == id);
    CHECK(list[0]["kind"] == "bureau");
    CHECK(list[0]["customer_number"].is_null());
  }
  CHECK(p.Get("/api/v1/notices").body["notices"].size() == 1);
  CHECK(p.Get("/api/v1/notices?lang=en").body["notices"][0]["title"] == "Water outage");
  // Read through one contract: read for the account everywhere.
  CHECK(p.Post("/api/v1/contracts/00000008004/notices/" + std::to_string(id) + "/read", {}).status == 204);
  CHECK(p.Get("/api/v1/contracts/00000008002/notices").body["unread"] == 0);
  REQUIRE(p.WaitForMails("taro@example.jp", 2) >=
          2);  // sign-up code + the bureau notice (once, not per contract)
  auto mails = p.MailsTo("taro@example.jp");
  int bureau = 0;
  for (auto& m : mails)
    if (m["subject"] == "【水守】断水のお知らせ") {
      ++bureau;
      CHECK(m["body"].get<std::string>().find("本町地区で断水") != std::string::npos);
    }
  CHECK(bureau == 1);
  At(p, "2026-11-25T10:00:00+09:00", "taro@example.jp");
  CHECK(p.Get("/api/v1/contracts/00000008002/notices").body["notices"].size() == 2);
}

TEST_CASE("a new bill mails the account in its language unless meter-reading mail is turned off",
          "[billing]") {
  Portal p;
  REQUIRE(AdminImport(p, "bills", kBillsHeader + BillLine("00000008002", "2026-09-18", 30)).status == 200);
  REQUIRE(p.SignUp("taro@example.jp").status == 201);
  // Before the data is visible: the notice waits in the list, no mail goes out.
  REQUIRE(AdminImport(p, "bills", kBillsHeader + BillLine("00000008002", "2026-11-18", 24, 1030))
              .body["inserted"] == 1);
  CHECK(OutboxCount(p, "bill_notice", "taro@example.jp") == 0);

  At(p, "2026-11-24T09:00:00+09:00", "taro@example.jp");
  auto s = p.Get("/api/v1/me/notification-settings");
  REQUIRE(s.status == 200);
  CHECK(s.body ==
        json{{"lang", "ja"},
             {"email", {{"meter_reading", true}, {"payment", true}, {"bureau", true}, {"outage", true}}}});
  auto put = p.Send("PUT", "/api/v1/me/notification-settings", {{"lang", "en"}});
  REQUIRE(put.status == 200);
  CHECK(put.body["lang"] == "en");
  CHECK(p.Get("/api/v1/me").body["lang"] == "en");

  REQUIRE(AdminImport(p, "bills", kBillsHeader + BillLine("00000008002", "2027-01-18", 20, 1054))
              .body["inserted"] == 1);
  REQUIRE(p.WaitForMails("taro@example.jp", 2) == 2);  // the sign-up code and the bill
  json bill;
  for (auto& m : p.MailsTo("taro@example.jp"))
    if (m["subject"].get<std::string>().find("Meter reading") != std::string::npos) bill = m;
  REQUIRE(bill.is_object());
  CHECK(bill["subject"] == "[Mizumori] Meter reading for customer number 0-0000008002");
  std::string text = bill["body"];
  CHECK(text.find("Water used: 20 m³") != std::string::npos);
  CHECK(text.find("(水守市本町1-2-3)") != std::string::npos);
  CHECK(text.find("Read on: 2027-01-18") != std::string::npos);
  auto total = HandWorked(13, 20).total_yen;  // 3,586
  CHECK(text.find("Amount billed: " + Yen(total)) != std::string::npos);

  // Turned off: the notice is still created, no mail is enqueued.
  put = p.Send("PUT", "/api/v1/me/notification-settings", {{"email", {{"meter_reading", false}}}});
  REQUIRE(put.status == 200);
  CHECK(put.body["email"] ==
        json{{"meter_reading", false}, {"payment", true}, {"bureau", true}, {"outage", true}});
  CHECK(put.body["lang"] == "en");
  REQUIRE(AdminImport(p, "bills", kBillsHeader + BillLine("00000008002", "2027-03-18", 19, 1074))
              .body["inserted"] == 1);
  CHECK(OutboxCount(p, "bill_notice", "taro@example.jp") == 1);
  CHECK(p.Get("/api/v1/contracts/00000008002/notices").body["notices"].size() == 4);
  // Payments still mail (that kind is on), in English.
  REQUIRE(AdminImport(p, "payments", kPaymentsHeader + "00000008002,2027-01-18,3000,2027-02-08,口座振替\n")
              .body["inserted"] == 1);
  CHECK(OutboxCount(p, "payment_notice", "taro@example.jp") == 1);
  REQUIRE(p.WaitForMails("taro@example.jp", 3) == 3);
  REQUIRE(p.WaitOutboxSettled());
  CHECK(p.MailsTo("taro@example.jp").size() == 3);  // nothing for the third bill
}

TEST_CASE("notification settings refuse unknown kinds and languages", "[billing]") {
  Portal p;
  CHECK(p.Get("/api/v1/me/notification-settings").status == 401);
  REQUIRE(p.SignUp("taro@example.jp").status == 201);
  auto r =
      p.Send("PUT", "/api/v1/me/notification-settings", {{"email", {{"sms", true}, {"payment", "yes"}}}});
  CHECK(r.status == 400);
  CHECK(r.body["error"]["fields"].contains("email.sms"));
  CHECK(r.body["error"]["fields"].contains("email.payment"));
  CHECK(p.Send("PUT", "/api/v1/me/notification-settings", {{"lang", "fr"}}).status == 400);
  CHECK(p.Send("PUT", "/api/v1/me/notification-settings", {{"email", true}}).status == 400);
  auto ok =
      p.Send("PUT", "/api/v1/me/notification-settings", {{"email", {{"payment", false}, {"bureau", false}}}});
  CHECK(ok.body["email"] ==
        json{{"meter_reading", true}, {"payment", false}, {"bureau", false}, {"outage", true}});
  CHECK(p.Get("/api/v1/me/notification-settings").body == ok.body);
}

TEST_CASE(
    "a mobile-only account sees its notices in the app, gets no bill mail, and is texted the e-mail notice",
    "[billing][sms]") {
  Portal p;
  REQUIRE(SignUpMobile(p, "090-1234-5678", "09012345678").status == 201);
  p.SetClock("2026-11-24T09:00:00+09:00");  // the contract is visible (Mon 11-23 is 勤労感謝の日)
  REQUIRE(p.Post("/api/v1/login", {{"mobile", "09012345678"}, {"password", kPassword}}).status == 200);
  REQUIRE(
      AdminImport(p, "bills", kBillsHeader + BillLine("00000008002", "2026-11-18", 24)).body["inserted"] ==
      1);
  auto notices = p.Get("/api/v1/contracts/00000008002/notices");
  REQUIRE(notices.status == 200);
  CHECK(notices.body["notices"].size() == 1);  // the meter-reading notice is there in the app
  // docs/api.md: bill and notice mails are not sent to an account without an e-mail address — and not texted.
  // The outbox is written with the import, so its one row (the sign-up code) is all there will ever be.
  CHECK(Outbox(p, "09012345678").size() == 1);
  {
    std::lock_guard lock(p.App().db_mutex);
    auto q = p.App().db->Prepare("SELECT COUNT(*) FROM mail_outbox");
    q.Step();
    CHECK(q.Int(0) == 1);
  }

  // Setting an e-mail address: the code goes to the new address, the notice to the number.
  REQUIRE(p.Post("/api/v1/me/email/start", {{"new_email", "taro@example.jp"}}).status == 202);
  std::string code = p.CodeFromMail("taro@example.jp");
  REQUIRE(p.Post("/api/v1/me/email/complete", {{"code", code}}).status == 204);
  auto texts = WaitForSms(p, "09012345678", 2);
  REQUIRE(texts.size() == 2);
  CHECK(texts[1].body.find("メールアドレスがtaro@example.jpに設定されました") != std::string::npos);
  CHECK(p.Get("/api/v1/me").body["email"] == "taro@example.jp");
}
