// Kiosk sessions over real HTTP (kiosk.hpp, guard.hpp, docs/kiosk.md): a counter terminal presents its token
// on every request; a visit begun there is a kiosk session — never remembered, bound to that terminal, ended
// by the server after the idle timeout and at the hard limit, ended with the terminal's revocation — and a
// kiosk may not change e-mail or password, reset a password, withdraw or reach anything of the staff's.
// Leaving answers Clear-Site-Data.
#include "staff_helpers.hpp"

#include "mizu/backend/kiosk.hpp"

using namespace mizu::testing;
using mizu::backend::StaffRole;

namespace {

constexpr const char* kEmail = "kiosk-visitor@example.jp";
constexpr const char* kPassword = "みずもり水道 2026 なつ";

std::string Enrol(Portal& p, const std::string& name) {
  return mizu::backend::EnrolKiosk(p.App(), nullptr, name, "test", p.App().clock.Now()).token;
}

int64_t SessionKioskId(Portal& p, const std::string& cookie) {
  std::lock_guard lock(p.App().db_mutex);
  auto q = p.App().db->Prepare("SELECT COALESCE(kiosk_id, 0) FROM sessions WHERE token_hash = ?");
  q.Bind(1, mizu::backend::HashSecret(cookie));
  return q.Step() ? q.Int(0) : -1;  // -1: no such session
}

Reply LogIn(Portal& p, bool remember = false) {
  return p.Post("/api/v1/login", {{"email", kEmail}, {"password", kPassword}, {"remember", remember}});
}

}  // namespace

TEST_CASE("kiosk sessions: the token is checked on every request and a visit is bound to its terminal",
          "[kiosk]") {
  Portal p;
  REQUIRE(p.SignUp(kEmail).status == 201);
  p.ForgetCookie();
  const std::string token = Enrol(p, "本庁 1番窓口");
  const std::string other = Enrol(p, "北支所 窓口");

  // A token that names no terminal is refused everywhere, before anything else.
  p.AlwaysSend(mizu::backend::kKioskHeader, "not-a-token");
  CHECK(ErrorCode(p.Get("/api/v1/session")) == "kiosk_unknown");
  CHECK(p.Get("/api/v1/session").status == 401);
  CHECK(ErrorCode(LogIn(p)) == "kiosk_unknown");
  CHECK(p.Get("/healthz").status == 200);  // the health check is not a visit

  // The terminal's own token: the session check says it is a kiosk and gives its timings.
  p.AlwaysSend(mizu::backend::kKioskHeader, token);
  auto s = p.Get("/api/v1/session");
  REQUIRE(s.status == 200);
  CHECK(s.body["logged_in"] == false);
  CHECK(s.body["kiosk"]["name"] == "本庁 1番窓口");
  CHECK(s.body["kiosk"]["idle_seconds"] == 120);
  CHECK(s.body["kiosk"]["warn_seconds"] == 20);
  CHECK(s.body["kiosk"]["session_limit_seconds"] == 1800);

  // 「ログインしたままにする」 does not exist at a kiosk: a browser-lifetime cookie, a kiosk session.
  auto login = LogIn(p, /*remember=*/true);
  REQUIRE(login.status == 200);
  CHECK(login.body["remember"] == false);
  CHECK_FALSE(Contains(login.set_cookie, "Max-Age"));
  const std::string cookie = p.Cookie();
  const int64_t kiosk_id = SessionKioskId(p, cookie);
  CHECK(kiosk_id > 0);
  CHECK(p.Get("/api/v1/me").status == 200);
  CHECK(p.Get("/api/v1/session").body["logged_in"] == true);

  // The cookie is worth nothing away from its terminal: without the header, or at another kiosk.
  p.AlwaysSend(mizu::backend::kKioskHeader, "");
  CHECK(p.Get("/api/v1/me").status == 401);
  p.UseCookie(cookie);
  CHECK(p.Get("/api/v1/session").body["logged_in"] == false);
  p.UseCookie(cookie);
  p.AlwaysSend(mizu::backend::kKioskHeader, other);
  CHECK(p.Get("/api/v1/me").status == 401);
  // A browser session is not a kiosk's either.
  p.AlwaysSend(mizu::backend::kKioskHeader, "");
  p.ForgetCookie();
  REQUIRE(LogIn(p).status == 200);
  const std::string browser_cookie = p.Cookie();
  CHECK(SessionKioskId(p, browser_cookie) == 0);
  p.AlwaysSend(mizu::backend::kKioskHeader, token);
  CHECK(p.Get("/api/v1/me").status == 401);

  // Still alive at its own terminal, until the terminal is revoked: then the token and the visit end.
  p.UseCookie(cookie);
  CHECK(p.Get("/api/v1/me").status == 200);
  StaffDesk admin(p);
  admin.EnrolAndLogin("admin@example.jp", StaffRole::kAdmin);
  REQUIRE(
      admin.Post("/api/v1/staff/kiosks/" + std::to_string(kiosk_id) + "/revoke", {{"reason", "端末の盗難"}})
          .status == 204);
  auto refused = p.Get("/api/v1/me");
  CHECK(refused.status == 401);
  CHECK(ErrorCode(refused) == "kiosk_unknown");
  CHECK(SessionKioskId(p, cookie) == -1);  // the session row is gone, not just unreachable
}

TEST_CASE("kiosk sessions: the server ends a visit after the idle timeout and at the hard limit", "[kiosk]") {
  Portal p([](mizu::backend::Config& c) {
    c.kiosk.idle_seconds = 60;  // a utility setting (kiosk.idle_seconds)
    c.kiosk.session_limit_seconds = 600;
  });
  REQUIRE(p.SignUp(kEmail).status == 201);
  p.ForgetCookie();
  const std::string token = Enrol(p, "本庁 2番窓口");
  p.AlwaysSend(mizu::backend::kKioskHeader, token);
  CHECK(p.Get("/api/v1/session").body["kiosk"]["idle_seconds"] == 60);

  // Idle: 60 s without a request is still alive, 61 s is not.
  REQUIRE(LogIn(p).status == 200);
  p.Advance(60);
  CHECK(p.Get("/api/v1/me").status == 200);
  p.Advance(61);
  CHECK(p.Get("/api/v1/me").status == 401);

  // A browser session idle as long is untouched (30 min idle).
  {
    Portal browser;
    REQUIRE(browser.SignUp("home@example.jp").status == 201);
    browser.Advance(121);
    CHECK(browser.Get("/api/v1/me").status == 200);
  }

  // Hard limit: a visitor active every 50 s is still ended 600 s after logging in.
  REQUIRE(LogIn(p).status == 200);
  for (int elapsed = 50; elapsed < 600; elapsed += 50) {
    p.Advance(50);
    INFO("after " << elapsed << " s");
    REQUIRE(p.Get("/api/v1/session").body["logged_in"] == true);  // the session check keeps it alive
  }
  p.Advance(50);  // 600 s
  CHECK(p.Get("/api/v1/me").status == 401);
}

TEST_CASE("kiosk sessions: what a shared terminal may not do is refused with kiosk_forbidden", "[kiosk]") {
  Portal p;
  StaffDesk staff(p);
  staff.EnrolAndLogin("clerk@example.jp", StaffRole::kCounter);
  const std::string token = Enrol(p, "本庁 3番窓口");
  p.AlwaysSend(mizu::backend::kKioskHeader, token);

  // Sign-up at the kiosk works (the code goes to the resident's own address) and begins a kiosk session.
  auto signup = p.SignUp(kEmail);
  REQUIRE(signup.status == 201);
  CHECK(SessionKioskId(p, p.Cookie()) > 0);
  CHECK(p.Get("/api/v1/me").status == 200);
  CHECK(p.Get("/api/v1/contracts").status == 200);

  struct Refused {
    std::string path;
    json body;
  };
  const std::vector<Refused> refused = {
      {"/api/v1/me/email/start", {{"new_email", "new@example.jp"}}},
      {"/api/v1/me/email/complete", {{"code", "123456"}}},
      {"/api/v1/me/password", {{"current_password", kPassword}, {"new_password", "べつの 合言葉 2027 ふゆ"}}},
      {"/api/v1/me/withdraw", {{"password", kPassword}}},
      {"/api/v1/password-reset/start", {{"email", kEmail}}},
      {"/api/v1/password-reset/complete",
       {{"email", kEmail}, {"code", "123456"}, {"new_password", "べつの 合言葉 2027 ふゆ"}}},
      {"/api/v1/staff/login",
       {{"email", "clerk@example.jp"}, {"password", kStaffPassword}, {"code", "000000"}}},
  };
  for (const auto& r : refused) {
    INFO(r.path);
    auto reply = p.Post(r.path, r.body);
    CHECK(reply.status == 403);
    CHECK(ErrorCode(reply) == "kiosk_forbidden");
  }
  // Nothing changed: the account is there, the password the same, no mail about a change was queued.
  CHECK(p.Get("/api/v1/me").status == 200);
  CHECK(p.OutboxTo("new@example.jp") == 0);
  p.AlwaysSend(mizu::backend::kKioskHeader, "");
  p.ForgetCookie();
  CHECK(LogIn(p).status == 200);

  // A staff cookie in the kiosk's browser reaches nothing of the staff's while the header is sent.
  auto staff_cookie =
      httplib::Headers{{"Cookie", "mizu_staff=" + staff.Cookie()}, {mizu::backend::kKioskHeader, token}};
  auto res = p.Client().Get("/api/v1/staff/messages?to=" + std::string(kEmail), staff_cookie);
  REQUIRE(res);
  CHECK(res->status == 403);
  CHECK(staff.Get("/api/v1/staff/messages?to=" + std::string(kEmail)).status == 200);  // not at a kiosk
}

TEST_CASE("kiosk sessions: leaving ends the visit and tells the browser to forget the site", "[kiosk]") {
  Portal p;
  REQUIRE(p.SignUp(kEmail).status == 201);
  p.ForgetCookie();
  const std::string token = Enrol(p, "本庁 4番窓口");
  p.AlwaysSend(mizu::backend::kKioskHeader, token);
  REQUIRE(LogIn(p).status == 200);
  const std::string cookie = p.Cookie();

  auto out = p.Post("/api/v1/logout", json::object());
  CHECK(out.status == 204);
  CHECK(out.Header("Clear-Site-Data") == R"("cache", "cookies")");
  CHECK(Contains(out.set_cookie, "Max-Age=0"));
  // The old cookie replayed from the same terminal is refused.
  p.UseCookie(cookie);
  CHECK(p.Get("/api/v1/me").status == 401);
  CHECK(SessionKioskId(p, cookie) == -1);

  // 「最初の画面に戻る」 with no one logged in answers the same.
  p.ForgetCookie();
  CHECK(p.Post("/api/v1/logout", json::object()).Header("Clear-Site-Data") == R"("cache", "cookies")");
  // A browser's logout keeps the site's storage (language, text size, the installed app).
  p.AlwaysSend(mizu::backend::kKioskHeader, "");
  REQUIRE(LogIn(p).status == 200);
  auto home = p.Post("/api/v1/logout", json::object());
  CHECK(home.status == 204);
  CHECK(home.Header("Clear-Site-Data").empty());
}

TEST_CASE(
    "kiosk sessions: each terminal is its own client for the login throttle, apart from the bureau's address",
    "[kiosk]") {
  Portal p;
  REQUIRE(p.SignUp(kEmail).status == 201);
  p.ForgetCookie();
  const std::string a = Enrol(p, "本庁 5番窓口"), b = Enrol(p, "本庁 6番窓口");
  // Wrong passwords for many addresses at terminal A (the per-account limit never comes into play) until the
  // per-client limit answers 429 there.
  p.AlwaysSend(mizu::backend::kKioskHeader, a);
  int refused_at = 0;
  for (int i = 0; i < 60 && !refused_at; ++i)
    if (p.Post("/api/v1/login", {{"email", "guess" + std::to_string(i) + "@example.jp"}, {"password", "x"}})
            .status == 429)
      refused_at = i + 1;
  REQUIRE(refused_at > 0);
  CHECK(LogIn(p).status == 429);  // the next visitor at A waits
  // Terminal B, at the same network address (127.0.0.1), is another client: its visitor logs in.
  p.AlwaysSend(mizu::backend::kKioskHeader, b);
  CHECK(LogIn(p).status == 200);
}
