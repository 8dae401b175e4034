// Password reset (M7), e-mail / password change and withdrawal (M8).
#include "accounts_helpers.hpp"

using namespace mizu::testing;

namespace {
const std::string kPassword = "みずもり水道 2026 なつ";
const std::string kNewPassword = "あたらしい合言葉 ふゆ 2027";
Reply Login(Portal& p, const std::string& email, const std::string& password) {
  return p.Post("/api/v1/login", {{"email", email}, {"password", password}});
}
}  // namespace

TEST_CASE("password reset answers the same for unknown addresses and mails only registered ones",
          "[account]") {
  Portal p;
  REQUIRE(p.SignUp("taro@example.jp").status == 201);
  std::string session = p.Cookie();
  p.ForgetCookie();
  auto known = p.Post("/api/v1/password-reset/start", {{"email", "taro@example.jp"}});
  auto unknown = p.Post("/api/v1/password-reset/start", {{"email", "ghost@example.jp"}});
  CHECK(known.status == 202);
  CHECK(unknown.status == 202);
  CHECK(known.body == unknown.body);
  std::string code = p.CodeFromMail("taro@example.jp", 2);  // 1st was the sign-up code
  CHECK(p.OutboxTo("ghost@example.jp") == 0);               // so nothing was or will be sent to it
  CHECK(p.MailsTo("ghost@example.jp").empty());

  auto weak = p.Post("/api/v1/password-reset/complete",
                     {{"email", "taro@example.jp"}, {"code", code}, {"new_password", "12345678"}});
  CHECK(weak.body["error"]["fields"]["new_password"]["code"] == "password_too_common");
  auto done = p.Post("/api/v1/password-reset/complete",
                     {{"email", "taro@example.jp"}, {"code", code}, {"new_password", kNewPassword}});
  CHECK(done.status == 204);
  p.UseCookie(session);
  CHECK(p.Get("/api/v1/me").status == 401);  // every session ended
  p.ForgetCookie();
  CHECK(Login(p, "taro@example.jp", kPassword).status == 401);
  CHECK(Login(p, "taro@example.jp", kNewPassword).status == 200);
  CHECK(p.WaitForMails("taro@example.jp", 3) == 3);  // the notice
}

TEST_CASE("changing the e-mail needs a code to the new address and tells the old one", "[account]") {
  Portal p;
  REQUIRE(p.SignUp("taro@example.jp").status == 201);
  CHECK(ErrorCode(p.Post("/api/v1/me/email/start", {{"new_email", "taro@example.jp"}})) == "same_email");
  REQUIRE(p.Post("/api/v1/me/email/start", {{"new_email", "taro.new@example.jp"}}).status == 202);
  std::string code = p.CodeFromMail("taro.new@example.jp");
  CHECK(ErrorCode(p.Post("/api/v1/me/email/complete", {{"code", code == "000000" ? "111111" : "000000"}})) ==
        "code_invalid");
  CHECK(p.Post("/api/v1/me/email/complete", {{"code", code}}).status == 204);
  CHECK(p.Get("/api/v1/me").body["email"] == "taro.new@example.jp");
  REQUIRE(p.WaitForMails("taro@example.jp", 2) == 2);
  bool notice = false;
  for (auto& m : p.MailsTo("taro@example.jp"))
    notice = notice || m["body"].get<std::string>().find("taro.new@example.jp") != std::string::npos;
  CHECK(notice);
  p.ForgetCookie();
  CHECK(Login(p, "taro.new@example.jp", kPassword).status == 200);
}

TEST_CASE("changing the password needs the current one and ends the other sessions", "[account]") {
  Portal p;
  REQUIRE(p.SignUp("taro@example.jp").status == 201);
  std::string first = p.Cookie();
  p.ForgetCookie();
  REQUIRE(Login(p, "taro@example.jp", kPassword).status == 200);
  std::string second = p.Cookie();
  auto wrong =
      p.Post("/api/v1/me/password", {{"current_password", "nope nope"}, {"new_password", kNewPassword}});
  CHECK(ErrorCode(wrong) == "password_incorrect");
  CHECK(p.Post("/api/v1/me/password", {{"current_password", kPassword}, {"new_password", kNewPassword}})
            .status == 204);
  CHECK(p.Get("/api/v1/me").status == 200);  // this session stays
  p.UseCookie(first);
  CHECK(p.Get("/api/v1/me").status == 401);  // the other one ended
  p.UseCookie(second);
  CHECK(p.Get("/api/v1/me").status == 200);
}

TEST_CASE("withdrawal ends sessions, returns contracts to paper, and re-registering works", "[account]") {
  Portal p;
  REQUIRE(p.SignUp("taro@example.jp").status == 201);
  auto paper = [&] {
    std::lock_guard lock(p.App().db_mutex);
    auto q = p.App().db->Prepare("SELECT paper_notice FROM customers WHERE customer_number = '00000008002'");
    q.Step();
    return q.Int(0);
  };
  CHECK(paper() == 0);
  std::string session = p.Cookie();
  CHECK(ErrorCode(p.Post("/api/v1/me/withdraw", {{"password", "wrong one"}})) == "password_incorrect");
  CHECK(p.Post("/api/v1/me/withdraw", {{"password", kPassword}}).status == 204);
  CHECK(paper() == 1);
  p.UseCookie(session);
  CHECK(p.Get("/api/v1/me").status == 401);
  p.ForgetCookie();
  CHECK(Login(p, "taro@example.jp", kPassword).status == 401);
  // Registering again, a week later on a Saturday: visible from Monday 09:00.
  p.SetClock("2026-11-28T10:00:00+09:00");
  auto again = p.SignUp("taro@example.jp");
  REQUIRE(again.status == 201);
  CHECK(again.body["visible_from"] == "2026-11-30T09:00:00+09:00");
  CHECK(paper() == 0);
}
