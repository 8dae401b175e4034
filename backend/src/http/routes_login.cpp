// Login, logout, the session check and password reset.
#include "account_fields.hpp"
#include "guard.hpp"

namespace mizu::backend::http {

void RegisterLoginRoutes(httplib::Server& server, App& app) {
  server.Post(
      "/api/v1/login", Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
        api::LoginRequest login;
        auto j = ReadJsonBody(req);
        if (j.contains("mobile")) {  // {mobile, password, remember}; "email" may hold a mobile number too
          std::vector<FieldError> errors;
          login.email = StringField(j, "mobile", errors, 64);
          login.password = StringField(j, "password", errors, 1024);
          api::ReadBool(j, "remember", login.remember, errors);
          ThrowIfErrors(errors);
        } else {
          ThrowIfErrors(api::ParseLoginRequest(j, login));
        }
        auto session =
            Login(app, login.email, login.password, login.remember, req.remote_addr, app.clock.Now());
        SetSessionCookie(app, res, session);
        SendJson(res, 200, {{"remember", session.remember}});
      }));

  server.Post("/api/v1/logout", Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
                std::string token = CookieValue(req, kSessionCookie);
                if (!token.empty()) Logout(app, token);
                ClearSessionCookie(app, res);
                res.status = 204;
              }));

  // Whether the browser holds a live session, without a 401 (the app asks this at every start, and a 401
  // would be a console error on every cold visit).
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

  server.Post("/api/v1/password-reset/start",
              Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
                auto [email] = BodyStrings(req, BodyLoginId{});
                StartPasswordReset(app, email, req.remote_addr, app.clock.Now());
                SendJson(res, 202, {{"status", "accepted"}});
              }));

  server.Post("/api/v1/password-reset/complete",
              Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
                auto [email, code, password] =
                    BodyStrings(req, BodyLoginId{}, BodyText{"code", 32}, BodyText{"new_password", 1024});
                CompletePasswordReset(app, email, code, password, app.clock.Now());
                ClearSessionCookie(app, res);
                res.status = 204;
              }));
}

}  // namespace mizu::backend::http
