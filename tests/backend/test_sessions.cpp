// Login, logout, session lifetimes and the remembered device (M6), with the test clock.
#include "accounts_helpers.hpp"

using namespace mizu::testing;

namespace {
Reply Login(Portal& p, const std::string& email, const std::string& password, bool remember = false) {
  return p.Post("/api/v1/login", {{"email", email}, {"password", password}, {"remember", remember}});
}
const std::string kPassword = "みずもり水道 2026 なつ";
}  // namespace

TEST_CASE("login: wrong password and unknown address get the same answer", "[sessions]") {
  Portal p;
  REQUIRE(p.SignUp("taro@example.jp").status == 201);
  p.ForgetCookie();
  auto wrong = Login(p, "taro@example.jp", "wrong password here");
  auto unknown = Login(p, "nobody@example.jp", "wrong password here");
  CHECK(wrong.status == 401);
  CHECK(unknown.status == 401);
  CHECK(wrong.body == unknown.body);
  CHECK(ErrorCode(wrong) == "login_failed");
  auto ok = Login(p, "taro@example.jp", kPassword);
  CHECK(ok.status == 200);
  CHECK(p.Get("/api/v1/me").status == 200);
}

TEST_CASE("logout ends the session for good", "[sessions]") {
  Portal p;
  REQUIRE(p.SignUp("taro@example.jp").status == 201);
  std::string cookie = p.Cookie();
  auto out = p.Post("/api/v1/logout", json::object());
  CHECK(out.status == 204);
  CHECK(out.set_cookie.find("Max-Age=0") != std::string::npos);
  p.UseCookie(cookie);  // replaying the old cookie
  CHECK(p.Get("/api/v1/me").status == 401);
}

TEST_CASE("browser sessions die after 30 minutes idle and 12 hours in all", "[sessions]") {
  Portal p;
  REQUIRE(p.SignUp("taro@example.jp").status == 201);
  p.Advance(29 * 60);
  CHECK(p.Get("/api/v1/me").status == 200);
  p.Advance(29 * 60);
  CHECK(p.Get("/api/v1/me").status == 200);  // active use keeps it alive
  p.Advance(31 * 60);
  CHECK(p.Get("/api/v1/me").status == 401);

  p.ForgetCookie();
  REQUIRE(Login(p, "taro@example.jp", kPassword).status == 200);
  for (int i = 0; i < 25; ++i) {  // busy all day, never idle 30 minutes
    p.Advance(29 * 60);
    if (p.Get("/api/v1/me").status != 200) {
      CHECK(i * 29 * 60 >= 11 * 3600);
      return;
    }
  }
  FAIL("the session outlived its 12 hours");
}

TEST_CASE("a remembered device stays logged in for 30 days with a rotating token", "[sessions]") {
  Portal p;
  REQUIRE(p.SignUp("taro@example.jp").status == 201);
  p.ForgetCookie();
  auto r = Login(p, "taro@example.jp", kPassword, true);
  REQUIRE(r.status == 200);
  CHECK(r.set_cookie.find("Max-Age=2592000") != std::string::npos);
  std::string first = p.Cookie();
  p.Advance(3 * 3600);  // idle for hours: still in
  CHECK(p.Get("/api/v1/me").status == 200);
  p.Advance(2 * 86400);
  auto rotated = p.Get("/api/v1/me");
  CHECK(rotated.status == 200);
  CHECK(rotated.set_cookie.find("Max-Age=2592000") != std::string::npos);
  CHECK(p.Cookie() != first);
  std::string second = p.Cookie();
  p.UseCookie(first);  // within the 60 s grace the old token answers with the same successor (see
  CHECK(p.Get("/api/v1/me").status == 200);  // test_auth_concurrency.cpp for the reuse after it)
  CHECK(p.Cookie() == second);
  p.Advance(31 * 86400);
  CHECK(p.Get("/api/v1/me").status == 401);
}

TEST_CASE("repeated login failures slow down, and the owner gets back in after the wait", "[sessions]") {
  Portal p;
  REQUIRE(p.SignUp("taro@example.jp").status == 201);
  p.ForgetCookie();
  int refused = 0;
  for (int i = 0; i < 10; ++i) {
    auto r = Login(p, "taro@example.jp", "guess number " + std::to_string(i));
    if (r.status == 429) {
      ++refused;
      CHECK(std::stoi(r.retry_after) > 0);
    }
  }
  CHECK(refused > 0);
  CHECK(Login(p, "taro@example.jp", kPassword).status == 429);  // even the right password waits
  p.Advance(16 * 60);
  CHECK(Login(p, "taro@example.jp", kPassword).status == 200);
}

TEST_CASE("requests without a session are refused", "[sessions]") {
  Portal p;
  CHECK(p.Get("/api/v1/me").status == 401);
  CHECK(p.Get("/api/v1/contracts").status == 401);
  p.UseCookie("forged-token");
  auto r = p.Get("/api/v1/me");
  CHECK(r.status == 401);
  CHECK(r.set_cookie.find("Max-Age=0") != std::string::npos);
}

TEST_CASE("GET /api/v1/session says whether the cookie is a live session, never 401", "[sessions]") {
  Portal p;
  auto none = p.Get("/api/v1/session");
  CHECK(none.status == 200);
  CHECK(none.body["logged_in"] == false);
  REQUIRE(p.SignUp("taro@example.jp").status == 201);
  auto live = p.Get("/api/v1/session");
  CHECK(live.status == 200);
  CHECK(live.body["logged_in"] == true);
  std::string cookie = p.Cookie();
  REQUIRE(p.Post("/api/v1/logout", json::object()).status == 204);
  p.UseCookie(cookie);  // the old cookie after logout: not logged in, and the browser is told to drop it
  auto stale = p.Get("/api/v1/session");
  CHECK(stale.status == 200);
  CHECK(stale.body["logged_in"] == false);
  CHECK(stale.set_cookie.find("Max-Age=0") != std::string::npos);
}
