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

  server.Post("/api/v1/me/email/start",
              WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
                auto j = ReadJsonBody(req);
                std::vector<FieldError> errors;
                std::string email = StringField(j, "new_email", errors, 320);
                ThrowIfErrors(errors);
                auto sent = StartEmailChange(app, c.session.account_id, email, app.clock.Now());
                SendJson(res, 202, {{"resend_after", sent.resend_after}, {"expires_in", sent.expires_in}});
              }));

  server.Post("/api/v1/me/email/complete",
              WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
                auto j = ReadJsonBody(req);
                std::vector<FieldError> errors;
                std::string code = StringField(j, "code", errors, 32);
                ThrowIfErrors(errors);
                CompleteEmailChange(app, c.session.account_id, code, app.clock.Now());
                res.status = 204;
              }));

  server.Post("/api/v1/me/password",
              WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
                auto j = ReadJsonBody(req);
                std::vector<FieldError> errors;
                std::string current = StringField(j, "current_password", errors, 1024);
                std::string next = StringField(j, "new_password", errors, 1024);
                ThrowIfErrors(errors);
                ChangePassword(app, c.session.account_id, c.token, current, next, app.clock.Now());
                res.status = 204;
              }));

  server.Post("/api/v1/me/withdraw",
              WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
                auto j = ReadJsonBody(req);
                std::vector<FieldError> errors;
                std::string password = StringField(j, "password", errors, 1024);
                ThrowIfErrors(errors);
                Withdraw(app, c.session.account_id, password, app.clock.Now());
                ClearSessionCookie(app, res);
                res.status = 204;
              }));
}

}  // namespace mizu::backend::http
