// The bureau staff's accounts over real HTTP: enrolment through the one-time link (password + TOTP factor
// shown as QR code and base32), login with both factors, the staff cookie kept apart from residents', roles,
// and the append-only staff audit log.
#include <map>

#include "staff_helpers.hpp"

using namespace mizu::testing;
using mizu::backend::StaffRole;

TEST_CASE("staff: the enrolment link shows the factor, and login needs the password and a fresh TOTP code",
          "[staff]") {
  Portal p;
  StaffDesk desk(p);
  auto& app = p.App();
  auto invite =
      mizu::backend::CreateStaff(app, "Clerk@Example.jp", StaffRole::kCounter, 0, "cli", app.clock.Now());
  CHECK(mizu::backend::StaffEnrolUrl(app.config, invite.enrol_token).find("/#/staff/enrol?token=") !=
        std::string::npos);
  auto page = desk.Get("/api/v1/staff/enrolment?token=" + invite.enrol_token);
  REQUIRE(page.status == 200);
  CHECK(page.body["email"] == "Clerk@example.jp");  // the domain lower-cased, as residents' addresses
  CHECK(page.body["role"] == "counter");
  const std::string base32 = page.body["totp"]["base32"];
  CHECK(base32.size() == 32);  // 20 bytes = 160 bits = 32 base32 characters
  CHECK(page.body["totp"]["uri"].get<std::string>().rfind("otpauth://totp/", 0) == 0);
  CHECK(Contains(page.body["totp"]["uri"].get<std::string>(), "secret=" + base32));
  CHECK(page.body["totp"]["qr_svg"].get<std::string>().rfind("<svg", 0) == 0);
  auto secret = mizu::backend::TotpSecretFromBase32(base32);
  REQUIRE(secret);
  desk.UseSecret(*secret);
  // A second look gives the same secret (it was made once, sealed).
  CHECK(desk.Get("/api/v1/staff/enrolment?token=" + invite.enrol_token).body["totp"]["base32"] == base32);
  CHECK(ErrorCode(desk.Get("/api/v1/staff/enrolment?token=nope")) == "staff_enrol_invalid");

  // Every field checked at once: a common password and a wrong code.
  auto bad = desk.Post("/api/v1/staff/enrolment",
                       {{"token", invite.enrol_token}, {"password", "password1"}, {"code", "000000"}});
  CHECK(bad.status == 400);
  CHECK(bad.body["error"]["fields"]["password"]["code"] == "password_too_common");
  CHECK(bad.body["error"]["fields"]["code"]["code"] == "totp_invalid");
  const std::string enrol_code = desk.Code();
  REQUIRE(desk.Post("/api/v1/staff/enrolment",
                    {{"token", invite.enrol_token}, {"password", kStaffPassword}, {"code", enrol_code}})
              .status == 204);
  CHECK(ErrorCode(desk.Get("/api/v1/staff/enrolment?token=" + invite.enrol_token)) == "staff_enrol_invalid");

  // One answer for every failure; the enrolment's code cannot be used again (RFC 6238 §5.2).
  auto wrong_password = desk.Login("clerk@example.jp", "not-the-password");
  CHECK(wrong_password.status == 401);
  CHECK(ErrorCode(wrong_password) == "staff_login_failed");
  CHECK(ErrorCode(desk.Post("/api/v1/staff/login", {{"email", "clerk@example.jp"},
                                                    {"password", kStaffPassword},
                                                    {"code", enrol_code}})) == "staff_login_failed");
  CHECK(ErrorCode(desk.Post("/api/v1/staff/login", {{"email", "nobody@example.jp"},
                                                    {"password", kStaffPassword},
                                                    {"code", enrol_code}})) == "staff_login_failed");
  p.Advance(30);
  auto ok = desk.Login("clerk@example.jp");
  REQUIRE(ok.status == 204);
  CHECK(Contains(ok.set_cookie, "HttpOnly"));
  CHECK(Contains(ok.set_cookie, "SameSite=Strict"));
  CHECK_FALSE(Contains(ok.set_cookie, "Max-Age"));  // no "remember me"
  auto me = desk.Get("/api/v1/staff/me");
  REQUIRE(me.status == 200);
  CHECK(me.body["role"] == "counter");
  // The same code a second time (another browser, a shoulder-surfer): refused.
  StaffDesk other(p);
  other.UseSecret(*secret);
  CHECK(other.Login("clerk@example.jp").status == 401);

  // Idle for 15 minutes: the session is gone.
  p.Advance(14 * 60);
  CHECK(desk.Get("/api/v1/staff/me").status == 200);
  p.Advance(16 * 60);
  CHECK(desk.Get("/api/v1/staff/me").status == 401);
  CHECK(AuditCount(p, "staff_created") == 1);
  CHECK(AuditCount(p, "staff_enrolled") == 1);
  CHECK(AuditCount(p, "staff_login") == 1);
}

TEST_CASE("staff: residents' cookies never open staff routes, nor staff cookies residents'", "[staff]") {
  Portal p;
  REQUIRE(p.SignUp("resident@example.jp").status == 201);
  CHECK(p.Get("/api/v1/me").status == 200);
  const std::string resident = p.Cookie();
  StaffDesk desk(p);
  desk.EnrolAndLogin("admin@example.jp", StaffRole::kAdmin);
  // The resident's session cookie under the staff cookie's name, and no cookie at all.
  auto client = p.Client();
  auto as_staff = client.Get("/api/v1/staff/me", {{"Cookie", "mizu_staff=" + resident}});
  REQUIRE(as_staff);
  CHECK(as_staff->status == 401);
  CHECK(client.Get("/api/v1/staff/me")->status == 401);
  auto as_resident = client.Get("/api/v1/me", {{"Cookie", "mizu_session=" + desk.Cookie()}});
  REQUIRE(as_resident);
  CHECK(as_resident->status == 401);
  CHECK(desk.Get("/api/v1/staff/me").body["role"] == "admin");
}

TEST_CASE(
    "staff: each role reaches its own routes only, and staff logins and creations are audited, append-only",
    "[staff]") {
  Portal p;
  StaffDesk admin(p), supervisor(p), counter(p);
  admin.EnrolAndLogin("admin@example.jp", StaffRole::kAdmin);
  supervisor.EnrolAndLogin("super@example.jp", StaffRole::kSupervisor);
  counter.EnrolAndLogin("counter@example.jp", StaffRole::kCounter);

  // Staff accounts: admin only; the answer is the new member's enrolment link.
  auto created = admin.Post("/api/v1/staff/staff", {{"email", "new@example.jp"}, {"role", "counter"}});
  REQUIRE(created.status == 201);
  CHECK(Contains(created.body["enrol_url"].get<std::string>(), "/#/staff/enrol?token="));
  CHECK(ErrorCode(admin.Post("/api/v1/staff/staff", {{"email", "NEW@example.jp"}, {"role", "counter"}})) ==
        "staff_exists");
  CHECK(admin.Post("/api/v1/staff/staff", {{"email", "x@example.jp"}, {"role", "root"}}).status == 400);
  CHECK(ErrorCode(supervisor.Post("/api/v1/staff/staff", {{"email", "y@example.jp"}, {"role", "admin"}})) ==
        "forbidden");
  CHECK(counter.Post("/api/v1/staff/staff", {{"email", "z@example.jp"}, {"role", "admin"}}).status == 403);

  // The audit log: supervisor and admin; searchable by staff member and time.
  CHECK(counter.Get("/api/v1/staff/audit").status == 403);
  auto all = supervisor.Get("/api/v1/staff/audit");
  REQUIRE(all.status == 200);
  auto by_admin = supervisor.Get("/api/v1/staff/audit?staff=ADMIN@example.jp");
  REQUIRE(by_admin.status == 200);
  std::vector<std::string> actions;
  for (const auto& e : by_admin.body["items"]) actions.push_back(e["action"]);
  // Newest first: the creation, then the login, then the enrolment (the CLI's creation has no staff).
  CHECK(actions == std::vector<std::string>{"staff_created", "staff_login", "staff_enrolled"});
  CHECK(by_admin.body["items"][0]["target"] == "new@example.jp (counter)");
  CHECK(by_admin.body["items"][0]["client"] == "127.0.0.1");
  CHECK(supervisor.Get("/api/v1/staff/audit?from=yesterday").status == 400);
  CHECK(supervisor.Get("/api/v1/staff/audit?from=2099-01-01T00:00:00Z").body["items"].empty());

  // Append-only: the database itself refuses to change or remove an entry.
  std::lock_guard lock(p.App().db_mutex);
  CHECK_THROWS(p.App().db->Exec("UPDATE staff_audit SET reason = 'x'"));
  CHECK_THROWS(p.App().db->Exec("DELETE FROM staff_audit"));
}

TEST_CASE(
    "staff: a counter finds a customer by what the caller tells, in any form, and sees only what the task "
    "needs",
    "[staff]") {
  Portal p;
  REQUIRE(p.SignUp("yamada@example.jp").status == 201);  // 0-0000008002, ヤマダ タロウ
  StaffDesk counter(p);
  counter.EnrolAndLogin("counter@example.jp", StaffRole::kCounter);
  auto find = [&](const std::string& q) {
    return counter.Get("/api/v1/staff/customers?q=" + httplib::detail::encode_query_param(q));
  };
  for (const std::string q :
       {"0-0000008002", "00000008002", "０－００００００８００２", "8002", "YAMADA@example.jp"}) {
    INFO(q);
    auto r = find(q);
    REQUIRE(r.status == 200);
    REQUIRE(r.body["items"].size() == 1);
    const auto& row = r.body["items"][0];
    CHECK(row["display_number"] == "0-0000008002");
    CHECK(row["login"] == "yamada@example.jp");
    CHECK(row["bureau_phone"] == "******3456");  // masked: enough to compare with what the caller reads
    CHECK(row["sessions"] == 1);
    CHECK(row["paper_notice"] == false);  // registered: no paper (M14)
    CHECK(row["visible_from"] == "2026-11-24T09:00:00+09:00");
  }
  // By kana, hiragana or katakana, a prefix: both Yamadas, registered or not.
  auto kana = find("やまだ");
  REQUIRE(kana.status == 200);
  REQUIRE(kana.body["items"].size() == 2);
  CHECK(kana.body["items"][1]["account_id"].is_null());
  CHECK(find("ヤマダ　ハナ").body["items"].size() == 1);
  // Never a password, a code or a token.
  const std::string text = kana.body.dump();
  CHECK(text.find("password") == std::string::npos);
  CHECK(text.find("hash") == std::string::npos);
  CHECK(find("?!").status == 400);
  CHECK(find("").status == 400);
  CHECK(AuditCount(p, "lookup") == 7);
}

TEST_CASE("staff: end sessions, paper notices and withdrawal act on the account, need a reason and the role",
          "[staff]") {
  Portal p;
  REQUIRE(p.SignUp("yamada@example.jp").status == 201);
  const std::string resident = p.Cookie();
  StaffDesk counter(p), supervisor(p);
  counter.EnrolAndLogin("counter@example.jp", StaffRole::kCounter);
  supervisor.EnrolAndLogin("super@example.jp", StaffRole::kSupervisor);
  const int64_t account = counter.Get("/api/v1/staff/customers?q=8002").body["items"][0]["account_id"];
  const std::string path = "/api/v1/staff/accounts/" + std::to_string(account);

  // End sessions: a reason is required; afterwards the resident's cookie is dead.
  CHECK(counter.Post(path + "/sessions/end", {{"reason", " "}}).body["error"]["fields"]["reason"]["code"] ==
        "required");
  REQUIRE(counter.Post(path + "/sessions/end", {{"reason", "本人から電話: 端末を紛失"}}).status == 204);
  CHECK(p.Get("/api/v1/me").status == 401);
  CHECK(counter.Post("/api/v1/staff/accounts/999999/sessions/end", {{"reason", "x"}}).status == 404);

  // Paper notices back on, then off again.
  REQUIRE(counter
              .Send("PUT", "/api/v1/staff/contracts/0-0000008002/paper-notice",
                    {{"paper", true}, {"reason", "高齢のため紙を希望"}})
              .status == 204);
  CHECK(counter.Get("/api/v1/staff/customers?q=8002").body["items"][0]["paper_notice"] == true);
  CHECK(counter.Send("PUT", "/api/v1/staff/contracts/0-0000008002/paper-notice", {{"reason", "x"}}).status ==
        400);
  CHECK(
      counter
          .Send("PUT", "/api/v1/staff/contracts/99999999999/paper-notice", {{"paper", true}, {"reason", "x"}})
          .status == 404);

  // Withdrawal: a supervisor's; the resident gets the same mail as for their own 退会.
  p.UseCookie(resident);
  REQUIRE(p.Post("/api/v1/login", {{"email", "yamada@example.jp"}, {"password", "みずもり水道 2026 なつ"}})
              .status == 200);
  CHECK(counter.Post(path + "/withdraw", {{"reason", "IDを忘れた本人の申し出"}}).status == 403);
  REQUIRE(supervisor.Post(path + "/withdraw", {{"reason", "IDを忘れた本人の申し出"}}).status == 204);
  CHECK(p.Get("/api/v1/me").status == 401);
  CHECK(counter.Get("/api/v1/staff/customers?q=8002").body["items"][0]["account_id"].is_null());
  CHECK(counter.Get("/api/v1/staff/customers?q=8002").body["items"][0]["paper_notice"] == true);
  CHECK(p.WaitForMails("yamada@example.jp", 2) >= 2);  // the sign-up code, then the farewell

  // Each action in the audit log with its reason, searchable by customer number for the contract's.
  auto log = supervisor.Get("/api/v1/staff/audit?staff=counter@example.jp");
  std::vector<std::string> actions;
  for (const auto& e : log.body["items"]) actions.push_back(e["action"]);
  CHECK(std::count(actions.begin(), actions.end(), "sessions_ended") == 1);
  CHECK(std::count(actions.begin(), actions.end(), "paper_notice_on") == 1);
  // By the customer number: the contract's own action and the account's (filed under its primary contract).
  auto by_contract = supervisor.Get("/api/v1/staff/audit?customer_number=00000008002");
  std::map<std::string, std::string> reasons;
  for (const auto& e : by_contract.body["items"]) reasons[e["action"]] = e["reason"];
  CHECK(reasons["paper_notice_on"] == "高齢のため紙を希望");
  CHECK(reasons.count("sessions_ended") == 1);
  CHECK(reasons.count("account_withdrawn") == 1);
  CHECK(reasons.count("lookup") == 1);
  CHECK(AuditCount(p, "account_withdrawn") == 1);
}

TEST_CASE("staff: an opened account shows its watch with masked recipients and its notification settings",
          "[staff]") {
  Portal p;
  REQUIRE(p.SignUp("yamada@example.jp").status == 201);  // 0-0000008002, a smart meter
  REQUIRE(p.Send("PUT", "/api/v1/contracts/00000008002/watch",
                 {{"start_hours", {18, 6}},
                  {"recipients", {{{"name", "長男"}, {"email", "musuko@example.net"}}}}})
              .status == 200);
  REQUIRE(p.Send("PUT", "/api/v1/me/notification-settings", {{"email", {{"payment", false}}}}).status == 200);
  StaffDesk counter(p);
  counter.EnrolAndLogin("counter@example.jp", StaffRole::kCounter);
  const int64_t account = counter.Get("/api/v1/staff/customers?q=8002").body["items"][0]["account_id"];
  auto v = counter.Get("/api/v1/staff/accounts/" + std::to_string(account));
  REQUIRE(v.status == 200);
  CHECK(v.body["login"] == "yamada@example.jp");
  CHECK(v.body["sessions"] == 1);
  CHECK(v.body["email_notices"]["payment"] == false);
  CHECK(v.body["email_notices"]["meter_reading"] == true);
  CHECK(v.body["email_notices"]["outage"] == true);
  REQUIRE(v.body["contracts"].size() == 1);
  const auto& c = v.body["contracts"][0];
  CHECK(c["display_number"] == "0-0000008002");
  CHECK(c["primary"] == true);
  CHECK(c["watch"]["start_hours"] == json({6, 18}));
  REQUIRE(c["watch"]["recipients"].size() == 1);
  CHECK(c["watch"]["recipients"][0]["name"] == "長男");
  CHECK(c["watch"]["recipients"][0]["email"] == "mu****@example.net");  // 6 characters: 2 kept, 4 masked
  CHECK(c["watch"]["recipients"][0]["stopped"] == false);
  CHECK(v.body.dump().find("musuko@") == std::string::npos);
  CHECK(counter.Get("/api/v1/staff/accounts/999999").status == 404);
  CHECK(AuditCount(p, "account_viewed") == 1);
  StaffDesk nobody(p);
  CHECK(nobody.Get("/api/v1/staff/accounts/" + std::to_string(account)).status == 401);
}
