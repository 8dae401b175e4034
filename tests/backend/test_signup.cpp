// Sign-up (M1–M5) over real HTTP with the codes read from mails delivered to a real SMTP server.
#include "accounts_helpers.hpp"

using namespace mizu::testing;

TEST_CASE("sign-up: code by mail, details, the contract becomes primary and visible next business day",
          "[signup]") {
  Portal p;
  auto r =
      p.SignUp("taro@example.jp", "０-００００００８００２", "０４６７－１２－３４５６");  // full-width input
  REQUIRE(r.status == 201);
  CHECK(r.body["customer_number"] == "00000008002");
  // Friday 15:00 → Monday 11-23 is 勤労感謝の日 → Tuesday 09:00.
  CHECK(r.body["visible_from"] == "2026-11-24T09:00:00+09:00");
  CHECK(r.set_cookie.find("HttpOnly") != std::string::npos);
  CHECK(r.set_cookie.find("SameSite=Lax") != std::string::npos);
  CHECK(r.set_cookie.find("Max-Age") == std::string::npos);  // a browser session: ends with the browser
  auto me = p.Get("/api/v1/me");
  REQUIRE(me.status == 200);
  CHECK(me.body["email"] == "taro@example.jp");
  REQUIRE(me.body["contracts"].size() == 1);
  CHECK(me.body["contracts"][0]["primary"] == true);
  CHECK(me.body["contracts"][0]["display_number"] == "0-0000008002");
  CHECK(me.body["contracts"][0]["relationship"] == "self");
  auto mail = p.MailsTo("taro@example.jp");
  REQUIRE(mail.size() == 1);
  CHECK(mail[0]["subject"] == "【水守】認証コードのお知らせ");
  CHECK(mail[0]["body"].get<std::string>().find("一番新しい認証コードのみが有効") != std::string::npos);
}

TEST_CASE("sign-up: only the newest code works, resend waits 60 s", "[signup]") {
  Portal p;
  REQUIRE(p.Post("/api/v1/signup/start", {{"email", "hana@example.jp"}}).status == 202);
  std::string first = p.CodeFromMail("hana@example.jp", 1);
  auto again = p.Post("/api/v1/signup/start", {{"email", "hana@example.jp"}});
  CHECK(again.status == 429);
  CHECK(ErrorCode(again) == "rate_limited");
  CHECK(std::stoi(again.retry_after) > 0);
  p.Advance(61);
  REQUIRE(p.Post("/api/v1/signup/start", {{"email", "hana@example.jp"}}).status == 202);
  std::string second = p.CodeFromMail("hana@example.jp", 2);
  if (first != second) {
    auto old = p.Post("/api/v1/signup/verify", {{"email", "hana@example.jp"}, {"code", first}});
    CHECK(old.status == 400);
    CHECK(ErrorCode(old) == "code_invalid");
  }
  CHECK(p.Post("/api/v1/signup/verify", {{"email", "hana@example.jp"}, {"code", second}}).status == 200);
}

TEST_CASE("sign-up: five wrong tries kill the code, codes expire after 10 minutes", "[signup]") {
  Portal p;
  REQUIRE(p.Post("/api/v1/signup/start", {{"email", "ichiro@example.jp"}}).status == 202);
  std::string code = p.CodeFromMail("ichiro@example.jp");
  std::string wrong = code == "000000" ? "111111" : "000000";
  for (int i = 0; i < 4; ++i)
    CHECK(ErrorCode(p.Post("/api/v1/signup/verify", {{"email", "ichiro@example.jp"}, {"code", wrong}})) ==
          "code_invalid");
  CHECK(ErrorCode(p.Post("/api/v1/signup/verify", {{"email", "ichiro@example.jp"}, {"code", wrong}})) ==
        "code_locked");
  CHECK(ErrorCode(p.Post("/api/v1/signup/verify", {{"email", "ichiro@example.jp"}, {"code", code}})) ==
        "code_locked");

  p.Advance(61);
  REQUIRE(p.Post("/api/v1/signup/start", {{"email", "ichiro@example.jp"}}).status == 202);
  std::string fresh = p.CodeFromMail("ichiro@example.jp", 2);
  p.Advance(10 * 60 + 1);
  CHECK(ErrorCode(p.Post("/api/v1/signup/verify", {{"email", "ichiro@example.jp"}, {"code", fresh}})) ==
        "code_expired");
}

TEST_CASE("sign-up: a taken address is told only after the code proves the mailbox", "[signup]") {
  Portal p;
  REQUIRE(p.SignUp("taro@example.jp").status == 201);
  p.ForgetCookie();
  p.Advance(61);  // past the resend interval of the sign-up code
  // Start answers exactly as for a new address.
  auto start = p.Post("/api/v1/signup/start", {{"email", "TARO@example.jp"}});
  CHECK(start.status == 202);
  std::string code = p.CodeFromMail("TARO@example.jp");
  auto verify = p.Post("/api/v1/signup/verify", {{"email", "TARO@example.jp"}, {"code", code}});
  CHECK(verify.status == 409);
  CHECK(ErrorCode(verify) == "email_taken");
  CHECK(verify.body["error"]["message"] == "メールアドレスが登録済みのため、使用することができません");
}

TEST_CASE("sign-up: field errors in Japanese and English, identity and contract checks", "[signup]") {
  Portal p;
  REQUIRE(p.Post("/api/v1/signup/start", {{"email", "sachi@example.jp"}}).status == 202);
  auto v = p.Post("/api/v1/signup/verify",
                  {{"email", "sachi@example.jp"}, {"code", p.CodeFromMail("sachi@example.jp")}});
  REQUIRE(v.status == 200);
  json base = {{"signup_token", v.body["signup_token"]}, {"password", "みずもり水道 2026 なつ"},
               {"customer_number", "00000008006"},       {"bureau_phone", "03-1234-5678"},
               {"applicant_phone", "090-1111-2222"},     {"agree_terms", true}};

  json bad = base;
  bad["password"] = "short";
  bad["customer_number"] = "123";
  bad["applicant_phone"] = "12";
  bad["agree_terms"] = false;
  auto r = p.Post("/api/v1/signup/complete", bad);
  CHECK(r.status == 400);
  auto f = r.body["error"]["fields"];
  CHECK(f["password"]["code"] == "password_too_short");
  CHECK(f["customer_number"]["code"] == "customer_number_invalid");
  CHECK(f["applicant_phone"]["code"] == "phone_invalid");
  CHECK(f["agree_terms"]["code"] == "terms_required");
  auto en = p.Post("/api/v1/signup/complete?lang=en", bad);
  CHECK(en.body["error"]["fields"]["password"]["message"] == "The password must be at least 8 characters.");

  json common = base;
  common["password"] = "password1";
  CHECK(p.Post("/api/v1/signup/complete", common).body["error"]["fields"]["password"]["code"] ==
        "password_too_common");

  json mismatch = base;
  mismatch["bureau_phone"] = "03-9999-9999";
  auto mm = p.Post("/api/v1/signup/complete", mismatch);
  CHECK(mm.status == 400);
  CHECK(ErrorCode(mm) == "identity_mismatch");

  json closed = base;
  closed["customer_number"] = "00000008008";
  closed["bureau_phone"] = "0467-33-4444";
  CHECK(ErrorCode(p.Post("/api/v1/signup/complete", closed)) == "identity_mismatch");

  CHECK(p.Post("/api/v1/signup/complete", base).status == 201);
}

TEST_CASE("sign-up: a contract another account holds cannot be registered, without saying whose",
          "[signup]") {
  Portal p;
  REQUIRE(p.SignUp("child@example.jp", "00000008004", "0467-22-3333").status == 201);
  p.ForgetCookie();
  auto r = p.SignUp("parent@example.jp", "00000008004", "0467-22-3333");
  CHECK(r.status == 409);
  CHECK(ErrorCode(r) == "contract_unavailable");
  std::string message = r.body["error"]["message"];
  CHECK(message.find("窓口") != std::string::npos);
  CHECK(message.find("child") == std::string::npos);
}

TEST_CASE("sign-up: bad requests are refused with the right status", "[signup]") {
  Portal p;
  auto client = p.Server().Client();
  CHECK(client.Post("/api/v1/signup/start", "{", "application/json")->status == 400);
  CHECK(client.Post("/api/v1/signup/start", "email=a", "application/x-www-form-urlencoded")->status == 415);
  CHECK(ErrorCode(p.Post("/api/v1/signup/start", {{"email", "not-an-address"}})) == "email_invalid");
  CHECK(ErrorCode(p.Post("/api/v1/signup/start", json::object())) == "required");
  CHECK(ErrorCode(p.Post("/api/v1/signup/complete", {{"signup_token", "nope"},
                                                     {"password", "x"},
                                                     {"customer_number", "1"},
                                                     {"bureau_phone", "1"},
                                                     {"applicant_phone", "1"},
                                                     {"agree_terms", true}})) == "signup_expired");
  // A state change from another site's page is refused.
  auto cross =
      p.Post("/api/v1/signup/start", {{"email", "x@example.jp"}}, {{"Origin", "https://evil.example"}});
  CHECK(cross.status == 403);
}
