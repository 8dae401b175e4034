// Sign-up, login/logout, the current account, password reset and account changes (M1–M8).
#include "guard.hpp"
#include "mizu/api.hpp"
#include "mizu/text.hpp"
#include "mizu/time.hpp"

namespace mizu::backend::http {
namespace {

void ThrowIf(const std::vector<FieldError>& errors) {
  if (!errors.empty()) throw ServiceError(400, errors.front().code, errors);
}

std::string Str(const nlohmann::json& j, const char* field, std::vector<FieldError>& errors, size_t max = 256,
                bool required = true) {
  std::string out;
  api::ReadString(j, field, out, errors, required, max);
  return out;
}

// The login ID of a sign-up or password-reset request: {"mobile": "090-1234-5678"} (full-width digits and
// hyphens accepted; a bad number is mobile_invalid on "mobile") or {"email": …} (where a mobile number is also
// accepted). The accounts layer tells the two apart: a mobile ID has no '@'.
std::string LoginIdField(const nlohmann::json& j, std::vector<FieldError>& errors) {
  if (!j.contains("mobile")) return Str(j, "email", errors, 320);
  size_t before = errors.size();
  std::string input = Str(j, "mobile", errors, 64);
  if (errors.size() != before) return "";
  auto mobile = NormalizeMobile(input);
  if (!mobile || ValidateMobile(*mobile)) {
    errors.push_back({std::string(err::kMobileInvalid), "mobile"});
    return "";
  }
  return *mobile;
}

nlohmann::json ContractJson(const ContractView& c) {
  return {{"customer_number", c.customer_number}, {"display_number", c.display_number},
          {"holder_name", c.holder_name},         {"address", c.address},
          {"relationship", c.relationship},       {"primary", c.primary},
          {"smart_meter", c.smart_meter},         {"diameter_mm", c.diameter_mm},
          {"linked_at", FormatIsoJst(c.linked_at)}, {"visible_from", FormatIsoJst(c.visible_from)}};
}

}  // namespace

void RegisterAccountRoutes(httplib::Server& server, App& app) {
  server.Post("/api/v1/signup/start", Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
    auto j = ReadJsonBody(req);
    std::vector<FieldError> errors;
    std::string email = LoginIdField(j, errors);
    ThrowIf(errors);
    auto sent = StartSignup(app, email, req.remote_addr, app.clock.Now());
    SendJson(res, 202, {{"resend_after", sent.resend_after}, {"expires_in", sent.expires_in}});
  }));

  server.Post("/api/v1/signup/verify", Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
    auto j = ReadJsonBody(req);
    std::vector<FieldError> errors;
    std::string email = LoginIdField(j, errors);
    std::string code = Str(j, "code", errors, 32);
    ThrowIf(errors);
    SendJson(res, 200, {{"signup_token", VerifySignup(app, email, code, app.clock.Now())}});
  }));

  server.Post("/api/v1/signup/complete", Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
    auto j = ReadJsonBody(req);
    std::vector<FieldError> errors;
    SignupDetails d;
    d.signup_token = Str(j, "signup_token", errors, 128);
    d.password = Str(j, "password", errors, 1024);
    d.customer_number = Str(j, "customer_number", errors, 64);
    d.bureau_phone = Str(j, "bureau_phone", errors, 64);
    d.applicant_phone = Str(j, "applicant_phone", errors, 64);
    api::ReadBool(j, "agree_terms", d.agree_terms, errors);
    ThrowIf(errors);
    auto r = CompleteSignup(app, d, req.remote_addr, app.clock.Now());
    SetSessionCookie(app, res, r.session);
    SendJson(res, 201, {{"account_id", r.account_id},
                        {"customer_number", r.customer_number},
                        {"visible_from", FormatIsoJst(r.visible_from)}});
  }));

  server.Post("/api/v1/login", Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
    api::LoginRequest login;
    auto j = ReadJsonBody(req);
    if (j.contains("mobile")) {  // {mobile, password, remember}; "email" may hold a mobile number too
      std::vector<FieldError> errors;
      login.email = Str(j, "mobile", errors, 64);
      login.password = Str(j, "password", errors, 1024);
      api::ReadBool(j, "remember", login.remember, errors);
      ThrowIf(errors);
    } else {
      ThrowIf(api::ParseLoginRequest(j, login));
    }
    auto session = Login(app, login.email, login.password, login.remember, req.remote_addr, app.clock.Now());
    SetSessionCookie(app, res, session);
    SendJson(res, 200, {{"remember", session.remember}});
  }));

  server.Post("/api/v1/logout", Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
    std::string token = CookieValue(req, kSessionCookie);
    if (!token.empty()) Logout(app, token);
    ClearSessionCookie(app, res);
    res.status = 204;
  }));

  // Whether the browser holds a live session, without a 401 (the app asks this at every start, and a 401 would
  // be a console error on every cold visit).
  server.Get("/api/v1/session", Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
    std::string token = CookieValue(req, kSessionCookie);
    auto session = token.empty() ? std::nullopt : Authenticate(app, token, app.clock.Now());
    if (!session) {
      if (!token.empty()) ClearSessionCookie(app, res);
      return SendJson(res, 200, {{"logged_in", false}});
    }
    if (session->rotated) SetSessionCookie(app, res, *session->rotated);
    SendJson(res, 200, {{"logged_in", true}});
  }));

  server.Get("/api/v1/me", WithAccount(app, [&app](const httplib::Request&, httplib::Response& res, const Caller& c) {
    nlohmann::json contracts = nlohmann::json::array();
    for (const auto& v : ListContracts(app, c.session.account_id)) contracts.push_back(ContractJson(v));
    SendJson(res, 200, {{"email", c.session.email}, {"mobile", c.session.mobile}, {"lang", c.session.lang},
                        {"contracts", contracts}});
  }));

  server.Post("/api/v1/password-reset/start", Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
    auto j = ReadJsonBody(req);
    std::vector<FieldError> errors;
    std::string email = LoginIdField(j, errors);
    ThrowIf(errors);
    StartPasswordReset(app, email, req.remote_addr, app.clock.Now());
    SendJson(res, 202, {{"status", "accepted"}});
  }));

  server.Post("/api/v1/password-reset/complete", Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
    auto j = ReadJsonBody(req);
    std::vector<FieldError> errors;
    std::string email = LoginIdField(j, errors);
    std::string code = Str(j, "code", errors, 32);
    std::string password = Str(j, "new_password", errors, 1024);
    ThrowIf(errors);
    CompletePasswordReset(app, email, code, password, app.clock.Now());
    ClearSessionCookie(app, res);
    res.status = 204;
  }));

  server.Post("/api/v1/me/email/start", WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
    auto j = ReadJsonBody(req);
    std::vector<FieldError> errors;
    std::string email = Str(j, "new_email", errors, 320);
    ThrowIf(errors);
    auto sent = StartEmailChange(app, c.session.account_id, email, app.clock.Now());
    SendJson(res, 202, {{"resend_after", sent.resend_after}, {"expires_in", sent.expires_in}});
  }));

  server.Post("/api/v1/me/email/complete", WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
    auto j = ReadJsonBody(req);
    std::vector<FieldError> errors;
    std::string code = Str(j, "code", errors, 32);
    ThrowIf(errors);
    CompleteEmailChange(app, c.session.account_id, code, app.clock.Now());
    res.status = 204;
  }));

  server.Post("/api/v1/me/password", WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
    auto j = ReadJsonBody(req);
    std::vector<FieldError> errors;
    std::string current = Str(j, "current_password", errors, 1024);
    std::string next = Str(j, "new_password", errors, 1024);
    ThrowIf(errors);
    ChangePassword(app, c.session.account_id, c.token, current, next, app.clock.Now());
    res.status = 204;
  }));

  server.Post("/api/v1/me/withdraw", WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
    auto j = ReadJsonBody(req);
    std::vector<FieldError> errors;
    std::string password = Str(j, "password", errors, 1024);
    ThrowIf(errors);
    Withdraw(app, c.session.account_id, password, app.clock.Now());
    ClearSessionCookie(app, res);
    res.status = 204;
  }));

  server.Get("/api/v1/contracts", WithAccount(app, [&app](const httplib::Request&, httplib::Response& res, const Caller& c) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : ListContracts(app, c.session.account_id)) out.push_back(ContractJson(v));
    SendJson(res, 200, {{"contracts", out}});
  }));

  server.Post("/api/v1/contracts", WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
    auto j = ReadJsonBody(req);
    std::vector<FieldError> errors;
    AddContractRequest r;
    r.customer_number = Str(j, "customer_number", errors, 64, false);
    r.bureau_phone = Str(j, "bureau_phone", errors, 64, false);
    r.name_kana = Str(j, "name_kana", errors, 256, false);
    r.relationship = Str(j, "relationship", errors, 32, false);
    api::ReadBool(j, "consent", r.consent, errors);
    ThrowIf(errors);
    SendJson(res, 201, ContractJson(AddContract(app, c.session.account_id, r, req.remote_addr, app.clock.Now())));
  }));

  server.Delete(R"(/api/v1/contracts/([^/]+))", WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
    RemoveContract(app, c.session.account_id, req.matches[1], app.clock.Now());
    res.status = 204;
  }));

  server.Put(R"(/api/v1/contracts/([^/]+)/primary)", WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
    SetPrimaryContract(app, c.session.account_id, req.matches[1], app.clock.Now());
    res.status = 204;
  }));
}

}  // namespace mizu::backend::http
