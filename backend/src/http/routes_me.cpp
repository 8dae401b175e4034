// The logged-in account: what it holds, e-mail and password changes, withdrawal.
#include "account_fields.hpp"
#include "guard.hpp"

namespace mizu::backend::http {

void RegisterMeRoutes(httplib::Server& server, App& app) {
  server.Get("/api/v1/me",
             WithAccount(app, [&app](const httplib::Request&, httplib::Response& res, const Caller& c) {
               nlohmann::json contracts = nlohmann::json::array();
               for (const auto& v : ListContracts(app, c.session.account_id))
                 contracts.push_back(ContractJson(v));
               SendJson(res, 200,
                        {{"email", c.session.email},
                         {"mobile", c.session.mobile},
                         {"lang", c.session.lang},
                         {"contracts", contracts}});
             }));

  server.Post(
      "/api/v1/me/email/start",
      WithAccount(
          app,
          [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
            auto [email] = BodyStrings(req, BodyText{"new_email", 320});
            auto sent = StartEmailChange(app, c.session.account_id, email, app.clock.Now());
            SendJson(res, 202, {{"resend_after", sent.resend_after}, {"expires_in", sent.expires_in}});
          },
          KioskUse::kRefused));

  server.Post("/api/v1/me/email/complete",
              WithAccount(
                  app,
                  [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
                    auto [code] = BodyStrings(req, BodyText{"code", 32});
                    CompleteEmailChange(app, c.session.account_id, code, app.clock.Now());
                    res.status = 204;
                  },
                  KioskUse::kRefused));

  server.Post("/api/v1/me/password",
              WithAccount(
                  app,
                  [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
                    auto [current, next] =
                        BodyStrings(req, BodyText{"current_password", 1024}, BodyText{"new_password", 1024});
                    ChangePassword(app, c.session.account_id, c.token, current, next, app.clock.Now());
                    res.status = 204;
                  },
                  KioskUse::kRefused));

  server.Post("/api/v1/me/withdraw",
              WithAccount(
                  app,
                  [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
                    auto [password] = BodyStrings(req, BodyText{"password", 1024});
                    Withdraw(app, c.session.account_id, password, app.clock.Now());
                    ClearSessionCookie(app, res);
                    res.status = 204;
                  },
                  KioskUse::kRefused));
}

}  // namespace mizu::backend::http
