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
        if (RequestKiosk(app, req)) login.remember = false;  // no 「ログインしたままにする」 at a kiosk
        auto session =
            Login(app, login.email, login.password, login.remember, ClientKey(app, req), app.clock.Now());
        StartSession(app, req, res, session);
        SendJson(res, 200, {{"remember", session.remember}});
      }));

  // Also how a kiosk visit ends (ログアウト, 「最初の画面に戻る」, the idle countdown), with or without a
  // session: the terminal's browser is told to forget everything of the site.
  server.Post("/api/v1/logout", Public(
                                    app,
                                    [&app](const httplib::Request& req, httplib::Response& res) {
                                      std::string token = CookieValue(req, kSessionCookie);
                                      if (!token.empty()) Logout(app, token);
                                      ClearSessionCookie(app, res);
                                      if (req.has_header(kKioskHeader)) ClearKioskSiteData(res);
                                      res.status = 204;
                                    },
                                    KioskUse::kLeaving));

  // Whether the browser holds a live session, without a 401 (the app asks this at every start, and a 401
  // would be a console error on every cold visit).
  server.Get("/api/v1/session", Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
               std::string token = CookieValue(req, kSessionCookie);
               auto kiosk = RequestKiosk(app, req);
               auto session = token.empty()
                                  ? std::nullopt
                                  : Authenticate(app, token, app.clock.Now(), kiosk ? kiosk->id : 0);
               nlohmann::json body{{"logged_in", session.has_value()}};
               if (kiosk) {
                 const auto& k = app.config.kiosk;
                 body["kiosk"] = {{"name", kiosk->name},
                                  {"idle_seconds", k.idle_seconds},
                                  {"warn_seconds", k.warn_seconds},
                                  {"session_limit_seconds", k.session_limit_seconds}};
               }
               if (!session && !token.empty()) ClearSessionCookie(app, res);
               if (session && session->rotated) SetSessionCookie(app, res, *session->rotated);
               SendJson(res, 200, body);
             }));

  server.Post("/api/v1/password-reset/start",
              Public(
                  app,
                  [&app](const httplib::Request& req, httplib::Response& res) {
                    auto [email] = BodyStrings(req, BodyLoginId{});
                    StartPasswordReset(app, email, req.remote_addr, app.clock.Now());
                    SendJson(res, 202, {{"status", "accepted"}});
                  },
                  KioskUse::kRefused));

  server.Post("/api/v1/password-reset/complete",
              Public(
                  app,
                  [&app](const httplib::Request& req, httplib::Response& res) {
                    auto [email, code, password] =
                        BodyStrings(req, BodyLoginId{}, BodyText{"code", 32}, BodyText{"new_password", 1024});
                    CompletePasswordReset(app, email, code, password, app.clock.Now());
                    ClearSessionCookie(app, res);
                    res.status = 204;
                  },
                  KioskUse::kRefused));
}

}  // namespace mizu::backend::http
