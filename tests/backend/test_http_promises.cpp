// What docs/api.md promises at the HTTP edge, checked through the real server (the hostile-client cases are
// in test_http_edge.cpp): the security headers on API answers (success and error alike), the cross-site
// refusal of state-changing requests, the session cookie's flags (Secure only with secure_cookies) and the
// per-address / per-client limits on codes and sign-ups.
#include "accounts_helpers.hpp"

using namespace mizu::testing;

namespace {

// docs/api.md "Every response carries …; API responses are Cache-Control: no-store".
void CheckApiHeaders(const httplib::Result& res, const std::string& what) {
  INFO(what);
  REQUIRE(res);
  CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK(res->get_header_value("X-Frame-Options") == "DENY");
  CHECK_FALSE(res->get_header_value("Referrer-Policy").empty());
  CHECK_FALSE(res->get_header_value("Content-Security-Policy").empty());
  CHECK(res->get_header_value("Cache-Control") == "no-store");
}

}  // namespace

TEST_CASE("API answers carry the security headers and no-store, errors included", "[http]") {
  TestServer server;
  auto c = server.Client();
  struct Request {
    const char* method;
    const char* path;
    const char* body;
    int status;
  };
  for (const Request& r :
       {Request{"GET", "/api/v1/tariff", "", 200}, Request{"GET", "/api/v1/me", "", 401},
        Request{"GET", "/api/v1/no-such-route", "", 404}, Request{"POST", "/api/v1/login", "{not json", 400},
        Request{"POST", "/api/v1/logout", "{}", 204},  // no body: still no-store
        Request{"GET", "/api/v1/calendar/1800", "", 400}}) {
    const std::string what = std::string(r.method) + " " + r.path;
    auto res = std::string(r.method) == "GET" ? c.Get(r.path) : c.Post(r.path, r.body, "application/json");
    REQUIRE(res);
    CHECK(res->status == r.status);
    CheckApiHeaders(res, what);
  }
}

TEST_CASE("state-changing requests from another site are refused with 403 forbidden", "[http]") {
  Portal p;
  REQUIRE(p.SignUp("taro@example.jp").status == 201);
  const json creds = {{"email", "taro@example.jp"}, {"password", "みずもり水道 2026 なつ"}};

  // The session is live; a cross-site logout must not end it.
  auto cross = p.Post("/api/v1/logout", nullptr, {{"Sec-Fetch-Site", "cross-site"}});
  CHECK(cross.status == 403);
  CHECK(ErrorCode(cross) == "forbidden");
  CHECK(p.Get("/api/v1/me").status == 200);
  auto same_site = p.Send("PUT", "/api/v1/me/notification-settings", {{"email", {{"payment", false}}}},
                          {{"Sec-Fetch-Site", "same-site"}});
  CHECK(same_site.status == 403);
  CHECK(ErrorCode(same_site) == "forbidden");
  auto other_origin =
      p.Send("DELETE", "/api/v1/contracts/00000008002", nullptr, {{"Origin", "https://evil.example"}});
  CHECK(other_origin.status == 403);
  CHECK(ErrorCode(other_origin) == "forbidden");
  CHECK(p.Get("/api/v1/contracts").body["contracts"].size() == 1);  // still linked

  p.ForgetCookie();
  CHECK(p.Post("/api/v1/login", creds, {{"Sec-Fetch-Site", "cross-site"}}).status == 403);
  CHECK(p.Post("/api/v1/login", creds, {{"Sec-Fetch-Site", "same-origin"}}).status == 200);
  CHECK(p.Post("/api/v1/login", creds).status == 200);  // no browser headers: a script or app, allowed
  // Reading is not state-changing: a cross-site GET is answered.
  auto read = p.Send("GET", "/api/v1/me", nullptr, {{"Sec-Fetch-Site", "cross-site"}});
  CHECK(read.status == 200);
}

TEST_CASE("the session cookie is Secure exactly when secure_cookies is set", "[http]") {
  SECTION("secure_cookies on (a TLS proxy in front)") {
    Portal p([](mizu::backend::Config& c) { c.secure_cookies = true; });
    auto r = p.SignUp("taro@example.jp");
    REQUIRE(r.status == 201);
    CHECK(r.set_cookie.find("; Secure") != std::string::npos);
    CHECK(r.set_cookie.find("HttpOnly") != std::string::npos);
    CHECK(r.set_cookie.find("SameSite=Lax") != std::string::npos);
    auto out = p.Post("/api/v1/logout", nullptr);  // the clearing cookie too
    CHECK(out.set_cookie.find("Max-Age=0") != std::string::npos);
    CHECK(out.set_cookie.find("; Secure") != std::string::npos);
  }
  SECTION("secure_cookies off (the default)") {
    Portal p;
    auto r = p.SignUp("taro@example.jp");
    REQUIRE(r.status == 201);
    CHECK_FALSE(r.set_cookie.empty());
    CHECK(r.set_cookie.find("Secure") == std::string::npos);
  }
}

TEST_CASE("codes: at most 5 an hour per address over HTTP, with Retry-After", "[http][signup]") {
  Portal p;
  const json body = {{"email", "hana@example.jp"}};
  for (int i = 0; i < 5; ++i) {
    INFO("code " << i + 1);
    REQUIRE(p.Post("/api/v1/signup/start", body).status == 202);
    p.Advance(61);  // past the 60 s resend wait
  }
  auto sixth = p.Post("/api/v1/signup/start", body);  // 5 × 61 s after the first: inside the hour
  CHECK(sixth.status == 429);
  CHECK(ErrorCode(sixth) == "rate_limited");
  REQUIRE_FALSE(sixth.retry_after.empty());
  const int wait = std::stoi(sixth.retry_after);
  CHECK(wait > 60);  // not the resend wait: the hourly limit
  CHECK(wait <= 3600);
  CHECK(p.OutboxTo("hana@example.jp") == 5);  // the refused request mailed nothing
  p.Advance(wait);
  CHECK(p.Post("/api/v1/signup/start", body).status == 202);
}

TEST_CASE("sign-ups: at most 20 an hour per client over HTTP, with Retry-After", "[http][signup]") {
  Portal p;
  for (int i = 0; i < 20; ++i) {
    INFO("sign-up " << i + 1);
    REQUIRE(p.Post("/api/v1/signup/start", {{"email", "user" + std::to_string(i) + "@example.jp"}}).status ==
            202);
  }
  auto refused = p.Post("/api/v1/signup/start", {{"email", "user20@example.jp"}});
  CHECK(refused.status == 429);
  CHECK(ErrorCode(refused) == "rate_limited");
  REQUIRE_FALSE(refused.retry_after.empty());
  CHECK(std::stoi(refused.retry_after) > 0);
  CHECK(p.OutboxTo("user20@example.jp") == 0);
  p.Advance(3601);
  CHECK(p.Post("/api/v1/signup/start", {{"email", "user20@example.jp"}}).status == 202);
}
