// 「コードが届かない」 at the counter over real HTTP: every message sent to an address with each attempt and
// the receiving SMTP server's answer (a real aiosmtpd that refuses reject…@ with 550), a fresh code that
// kills the old one within the resident's own limits, a password-reset mail sent on the customer's request,
// and the delivery overview.
#include <set>

#include "staff_helpers.hpp"

using namespace mizu::testing;
using mizu::backend::StaffRole;

namespace {

std::string Query(const std::string& v) {
  return httplib::detail::encode_query_param(v);
}

// The counter's view of `to`, once its newest message has had `attempts` attempts (the relay works on its own
// thread: this waits on the recorded attempts, at most kWaitLimit).
Reply MessagesOnceTried(StaffDesk& desk, const std::string& to, size_t attempts) {
  Reply r;
  WaitUntil(
      [&] {
        r = desk.Get("/api/v1/staff/messages?to=" + Query(to));
        return r.status == 200 && !r.body["items"].empty() &&
               r.body["items"][0]["attempts"].size() >= attempts;
      },
      kWaitLimit, std::chrono::milliseconds(20));
  return r;
}

}  // namespace

TEST_CASE("staff: a refused sign-up code shows the server's answer, and a resend kills the old code's mail",
          "[staff]") {
  const TempDir dir("mizu-staff-picky");  // first: removed after the portal and the SMTP server
  SmtpServer picky(dir / "maildir", /*picky=*/true);
  Portal p([&](mizu::backend::Config& c) { c.mail.smtp_url = picky.Url(); });
  StaffDesk counter(p);
  counter.EnrolAndLogin("counter@example.jp", StaffRole::kCounter);
  REQUIRE(p.Post("/api/v1/signup/start", {{"email", "reject-me@example.jp"}}).status == 202);

  // Looked up as the caller spells it (any case): one sign-up code, refused once with 550, waiting to retry.
  auto seen = MessagesOnceTried(counter, "Reject-Me@example.jp", 1);
  REQUIRE(seen.status == 200);
  CHECK(seen.body["to"] == "Reject-Me@example.jp");  // the login ID rule keeps the local part's case
  REQUIRE(seen.body["items"].size() == 1);
  const auto& first = seen.body["items"][0];
  CHECK(first["kind"] == "signup_code");
  CHECK(first["channel"] == "mail");
  CHECK(first["subject"] == "【水守】認証コードのお知らせ");
  CHECK(first["state"] == "retry_waiting");
  CHECK(first["next_attempt_at"].is_string());
  REQUIRE(first["attempts"].size() == 1);
  CHECK(first["attempts"][0]["outcome"] == "retry");
  CHECK(Contains(first["attempts"][0]["answer"], "550"));
  CHECK_FALSE(first.contains("body"));  // the code is in the body: never shown
  CHECK(AuditCount(p, "messages_viewed") >= 1);

  // The resident's own resend interval holds for staff too; a reason is required.
  auto early = counter.Post("/api/v1/staff/messages/resend-code",
                            {{"to", "reject-me@example.jp"}, {"reason", "届かないとのお電話"}});
  CHECK(early.status == 429);
  CHECK_FALSE(early.retry_after.empty());
  // A minute on, the relay tries again by itself (its retry is due); the resend comes after that attempt, so
  // no attempt is in flight when the old message dies.
  p.Advance(61);
  auto retried = MessagesOnceTried(counter, "reject-me@example.jp", 2);
  REQUIRE(retried.body["items"][0]["attempts"].size() == 2);
  CHECK(retried.body["items"][0]["state"] == "retry_waiting");
  CHECK(counter.Post("/api/v1/staff/messages/resend-code", {{"to", "reject-me@example.jp"}, {"reason", " "}})
            .body["error"]["fields"]["reason"]["code"] == "required");
  REQUIRE(counter
              .Post("/api/v1/staff/messages/resend-code",
                    {{"to", "reject-me@example.jp"}, {"reason", "届かないとのお電話"}})
              .status == 204);
  // The new code's mail is tried (refused again: the address really does not exist); the old one will never
  // be retried with its dead code.
  auto after = MessagesOnceTried(counter, "reject-me@example.jp", 1);
  REQUIRE(after.body["items"].size() == 2);
  CHECK(after.body["items"][0]["state"] == "retry_waiting");
  CHECK(after.body["items"][1]["state"] == "failed");
  CHECK(after.body["items"][1]["last_error"] == "superseded by a newer code");
  CHECK(AuditCount(p, "code_resent") == 1);

  // Nothing sent, nothing to resend; a used code has nothing to resend either.
  CHECK(counter.Post("/api/v1/staff/messages/resend-code", {{"to", "nobody@example.jp"}, {"reason", "x"}})
            .status == 404);
  CHECK(counter.Get("/api/v1/staff/messages?to=" + Query("not an address")).status == 400);
  CHECK(counter.Get("/api/v1/staff/messages?to=nobody@example.jp").body["items"].empty());
}

TEST_CASE("staff: the resent code works and the old one does not, for sign-up and by account", "[staff]") {
  Portal p;
  StaffDesk counter(p);
  counter.EnrolAndLogin("counter@example.jp", StaffRole::kCounter);
  REQUIRE(p.Post("/api/v1/signup/start", {{"email", "hanako@example.jp"}}).status == 202);
  const std::string old_code = p.CodeFromMail("hanako@example.jp", 1);
  CHECK(MessagesOnceTried(counter, "hanako@example.jp", 1).body["items"][0]["state"] == "delivered");
  p.Advance(61);
  REQUIRE(counter
              .Post("/api/v1/staff/messages/resend-code",
                    {{"to", "HANAKO@example.jp"}, {"reason", "迷惑メールに振り分けられた"}})
              .status == 204);
  const std::string new_code = p.CodeFromMail("hanako@example.jp", 2);
  if (old_code != new_code)
    CHECK(ErrorCode(p.Post("/api/v1/signup/verify", {{"email", "hanako@example.jp"}, {"code", old_code}})) ==
          "code_invalid");
  auto verified = p.Post("/api/v1/signup/verify", {{"email", "hanako@example.jp"}, {"code", new_code}});
  REQUIRE(verified.status == 200);
  // The newest code was used: nothing left to resend.
  p.Advance(61);
  CHECK(counter.Post("/api/v1/staff/messages/resend-code", {{"to", "hanako@example.jp"}, {"reason", "x"}})
            .status == 404);

  // By account: the account's login ID and its messages.
  REQUIRE(p.SignUp("taro@example.jp").status == 201);
  const int64_t account =
      counter.Get("/api/v1/staff/customers?q=taro@example.jp").body["items"][0]["account_id"];
  auto by_account = counter.Get("/api/v1/staff/messages?account_id=" + std::to_string(account));
  REQUIRE(by_account.status == 200);
  CHECK(by_account.body["to"] == "taro@example.jp");
  CHECK(by_account.body["account_id"] == account);
  CHECK(by_account.body["items"].size() >= 1);
  CHECK(counter.Get("/api/v1/staff/messages?account_id=999999").status == 404);
  CHECK(counter.Get("/api/v1/staff/messages?account_id=x").status == 400);
}

TEST_CASE(
    "staff: a password-reset mail on the customer's request, completed by the resident, never seen by staff",
    "[staff]") {
  Portal p;
  REQUIRE(p.SignUp("taro@example.jp").status == 201);
  const std::string resident = p.Cookie();
  StaffDesk counter(p);
  counter.EnrolAndLogin("counter@example.jp", StaffRole::kCounter);
  const int64_t account = counter.Get("/api/v1/staff/customers?q=8002").body["items"][0]["account_id"];
  const std::string path = "/api/v1/staff/accounts/" + std::to_string(account) + "/password-reset";
  CHECK(counter.Post(path, json::object()).body["error"]["fields"]["reason"]["code"] == "required");
  CHECK(counter.Post("/api/v1/staff/accounts/999999/password-reset", {{"reason", "x"}}).status == 404);
  auto sent = counter.Post(path, {{"reason", "パスワードを忘れたとのお電話"}});
  REQUIRE(sent.status == 204);
  CHECK(!sent.body.is_object());                       // nothing comes back: staff never see the code
  REQUIRE(p.WaitForMails("taro@example.jp", 2) == 2);  // the sign-up code, then this
  json mails = p.MailsTo("taro@example.jp");
  bool from_counter = false;
  for (const auto& m : mails) from_counter |= Contains(m["subject"], "窓口でのお申し出");
  CHECK(from_counter);
  const std::string code = p.CodeFromMail("taro@example.jp", 2);
  p.ForgetCookie();
  REQUIRE(
      p.Post("/api/v1/password-reset/complete",
             {{"email", "taro@example.jp"}, {"code", code}, {"new_password", "あたらしい合言葉 2027 ふゆ"}})
          .status == 204);
  p.UseCookie(resident);
  CHECK(p.Get("/api/v1/me").status == 401);  // the reset ended the resident's sessions, as their own would
  CHECK(AuditCount(p, "password_reset_sent") == 1);
  // The resident's own resend interval holds here too.
  CHECK(counter.Post(path, {{"reason", "もう一度"}}).status == 429);
}

TEST_CASE("staff: the delivery overview counts by kind, and these routes refuse residents and no session",
          "[staff]") {
  Portal p;
  REQUIRE(p.SignUp("taro@example.jp").status == 201);
  const std::string resident = p.Cookie();
  REQUIRE(p.SignUp("hanako@example.jp", "00000008004", "0467-22-3333").status == 201);
  REQUIRE(p.WaitOutboxSettled());
  StaffDesk counter(p), nobody(p);
  counter.EnrolAndLogin("counter@example.jp", StaffRole::kCounter);
  auto overview = counter.Get("/api/v1/staff/delivery");
  REQUIRE(overview.status == 200);
  json signup_codes;
  for (const auto& k : overview.body["kinds"])
    if (k["kind"] == "signup_code") signup_codes = k;
  REQUIRE(signup_codes.is_object());
  // Two sign-ups, one code each, both delivered within the hour; nothing waits.
  CHECK(signup_codes["last_hour"]["queued"] == 2);
  CHECK(signup_codes["last_hour"]["sent"] == 2);
  CHECK(signup_codes["last_day"]["sent"] == 2);
  CHECK(signup_codes["last_hour"]["failed"] == 0);
  CHECK(signup_codes["waiting"] == 0);
  CHECK(signup_codes["oldest_waiting_at"].is_null());
  // Two hours later the hour is empty, the day is not.
  p.Advance(2 * 3600);
  for (const auto& k : counter.Get("/api/v1/staff/delivery").body["kinds"])
    if (k["kind"] == "signup_code") {
      CHECK(k["last_hour"]["sent"] == 0);
      CHECK(k["last_day"]["sent"] == 2);
    }

  auto client = p.Client();
  for (const std::string path : {"/api/v1/staff/delivery", "/api/v1/staff/messages?to=taro@example.jp"}) {
    INFO(path);
    CHECK(nobody.Get(path).status == 401);
    auto as_resident = client.Get(path.c_str(), {{"Cookie", "mizu_staff=" + resident}});
    REQUIRE(as_resident);
    CHECK(as_resident->status == 401);
  }
  CHECK(nobody.Post("/api/v1/staff/messages/resend-code", {{"to", "taro@example.jp"}, {"reason", "x"}})
            .status == 401);
  CHECK(nobody.Post("/api/v1/staff/accounts/1/password-reset", {{"reason", "x"}}).status == 401);
}

TEST_CASE("staff: asking again within the minute uses up none of the hour's codes, for residents and staff",
          "[staff]") {
  Portal p;
  StaffDesk counter(p);
  counter.EnrolAndLogin("counter@example.jp", StaffRole::kCounter);
  REQUIRE(p.Post("/api/v1/signup/start", {{"email", "probe@example.jp"}}).status == 202);
  // Impatient presses, a resident's and a clerk's: refused by the 60 s interval, and not counted.
  for (int i = 0; i < 4; ++i) {
    CHECK(p.Post("/api/v1/signup/start", {{"email", "probe@example.jp"}}).status == 429);
    auto r =
        counter.Post("/api/v1/staff/messages/resend-code", {{"to", "probe@example.jp"}, {"reason", "x"}});
    CHECK(r.status == 429);
    CHECK(r.retry_after == "60");
  }
  // Five codes an hour, each a minute apart: the sixth waits for the hour.
  for (int sent = 2; sent <= 5; ++sent) {
    INFO(sent);
    p.Advance(61);
    CHECK(counter.Post("/api/v1/staff/messages/resend-code", {{"to", "probe@example.jp"}, {"reason", "x"}})
              .status == 204);
  }
  p.Advance(61);
  auto sixth = p.Post("/api/v1/signup/start", {{"email", "probe@example.jp"}});
  CHECK(sixth.status == 429);
  CHECK(std::stoi(sixth.retry_after) > 60);
}

TEST_CASE("staff: a resent counter reset keeps its words, and account actions are found by customer number",
          "[staff]") {
  Portal p;
  REQUIRE(p.SignUp("taro@example.jp").status == 201);  // 0-0000008002
  StaffDesk counter(p), supervisor(p);
  counter.EnrolAndLogin("counter@example.jp", StaffRole::kCounter);
  supervisor.EnrolAndLogin("super@example.jp", StaffRole::kSupervisor);
  const int64_t account = counter.Get("/api/v1/staff/customers?q=8002").body["items"][0]["account_id"];
  REQUIRE(counter
              .Post("/api/v1/staff/accounts/" + std::to_string(account) + "/password-reset",
                    {{"reason", "窓口で依頼"}})
              .status == 204);
  p.Advance(61);
  REQUIRE(counter.Post("/api/v1/staff/messages/resend-code", {{"to", "taro@example.jp"}, {"reason", "再送"}})
              .status == 204);
  auto sent = counter.Get("/api/v1/staff/messages?account_id=" + std::to_string(account));
  REQUIRE(sent.body["items"].size() >= 3);
  CHECK(sent.body["items"][0]["kind"] == "staff_reset_code");  // the resent one says "at the counter" too
  CHECK(sent.body["items"][1]["kind"] == "staff_reset_code");
  // The parameters: one of the two, digits, an account that exists.
  CHECK(counter.Get("/api/v1/staff/messages?account_id=0").status == 404);
  CHECK(counter.Get("/api/v1/staff/messages?account_id=99999999999999999999").status == 404);
  CHECK(counter.Get("/api/v1/staff/messages?to=taro@example.jp&account_id=1")
            .body["error"]["fields"]["account_id"]["code"] == "invalid_format");

  // The audit log by the number as printed: the look-up that found the customer, the reset mail, the resend.
  auto audit = supervisor.Get("/api/v1/staff/audit?customer_number=" +
                              httplib::detail::encode_query_param("０－００００００８００２"));
  REQUIRE(audit.status == 200);
  std::set<std::string> actions;
  for (const auto& e : audit.body["items"]) actions.insert(e["action"].get<std::string>());
  CHECK(actions.count("lookup") == 1);
  CHECK(actions.count("password_reset_sent") == 1);
  CHECK(actions.count("code_resent") == 1);
  CHECK(actions.count("messages_viewed") == 1);
  CHECK(supervisor.Get("/api/v1/staff/audit?customer_number=abc").status == 400);

  // Paper notices: null is no answer, not "off".
  auto null_paper = counter.Send("PUT", "/api/v1/staff/contracts/0-0000008002/paper-notice",
                                 {{"paper", nullptr}, {"reason", "x"}});
  CHECK(null_paper.body["error"]["fields"]["paper"]["code"] == "required");

  // A failed staff login is kept for the supervisor, known address or not.
  StaffDesk stranger(p);
  stranger.UseSecret("12345678901234567890");
  CHECK(stranger.Login("counter@example.jp", "wrong-password-here").status == 401);
  CHECK(stranger.Login("nobody@example.jp").status == 401);
  auto failed = supervisor.Get("/api/v1/staff/audit");
  int failures = 0;
  for (const auto& e : failed.body["items"]) failures += e["action"] == "staff_login_failed" ? 1 : 0;
  CHECK(failures == 2);
}
