#pragma once
// A bureau staff member at the console, over real HTTP beside a resident's Portal: their own cookie
// (mizu_staff), enrolment through the one-time link with a TOTP factor computed from the base32 secret the
// enrolment page shows (TotpCode is checked against RFC 6238's vectors in test_totp.cpp).
#include "accounts_helpers.hpp"
#include "mizu/backend/staff.hpp"
#include "mizu/backend/totp.hpp"

namespace mizu::testing {

inline constexpr const char* kStaffPassword = "kaunta-madoguchi-2026";

inline bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Entries of one action in the staff audit log.
inline int64_t AuditCount(Portal& p, const std::string& action) {
  std::lock_guard lock(p.App().db_mutex);
  auto q = p.App().db->Prepare("SELECT count(*) FROM staff_audit WHERE action = ?");
  q.Bind(1, action);
  q.Step();
  return q.Int(0);
}

class StaffDesk {
 public:
  explicit StaffDesk(Portal& portal) : portal_(portal) {}

  Reply Send(const std::string& method, const std::string& path, const json& body = nullptr) {
    auto client = portal_.Client();
    httplib::Headers headers;
    if (!cookie_.empty()) headers.emplace("Cookie", "mizu_staff=" + cookie_);
    const std::string text = body.is_null() ? "{}" : body.dump();
    httplib::Result res = method == "GET"   ? client.Get(path.c_str(), headers)
                          : method == "PUT" ? client.Put(path.c_str(), headers, text, "application/json")
                                            : client.Post(path.c_str(), headers, text, "application/json");
    REQUIRE(res);
    Reply r{res->status, json(), res->get_header_value("Set-Cookie"), res->get_header_value("Retry-After")};
    if (!res->body.empty()) r.body = json::parse(res->body, nullptr, false);
    std::smatch m;
    if (std::regex_search(r.set_cookie, m, std::regex("mizu_staff=([^;]*)"))) cookie_ = m[1];
    return r;
  }
  Reply Get(const std::string& path) { return Send("GET", path); }
  Reply Post(const std::string& path, const json& body) { return Send("POST", path, body); }

  // Creates the account as the CLI does (CreateStaff), enrols it through the link with kStaffPassword and a
  // TOTP code of the current step, and logs in with the next step's code (a code is used once).
  void EnrolAndLogin(const std::string& email, backend::StaffRole role) {
    auto& app = portal_.App();
    auto invite = backend::CreateStaff(app, email, role, 0, "test", app.clock.Now());
    auto page = Get("/api/v1/staff/enrolment?token=" + invite.enrol_token);
    REQUIRE(page.status == 200);
    auto secret = backend::TotpSecretFromBase32(page.body["totp"]["base32"].get<std::string>());
    REQUIRE(secret);
    secret_ = *secret;
    REQUIRE(Post("/api/v1/staff/enrolment",
                 {{"token", invite.enrol_token}, {"password", kStaffPassword}, {"code", Code()}})
                .status == 204);
    portal_.Advance(30);
    REQUIRE(Login(email).status == 204);
  }
  Reply Login(const std::string& email, const std::string& password = kStaffPassword) {
    return Post("/api/v1/staff/login", {{"email", email}, {"password", password}, {"code", Code()}});
  }
  std::string Code() { return backend::TotpCode(secret_, portal_.App().clock.Now()); }
  void UseSecret(std::string secret) { secret_ = std::move(secret); }
  std::string Cookie() const { return cookie_; }
  void ForgetCookie() { cookie_.clear(); }

 private:
  Portal& portal_;
  std::string cookie_, secret_;
};

}  // namespace mizu::testing
