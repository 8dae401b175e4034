// Sign-up: the login ID's code, its check, then the customer-master proof that opens the account.
#include "account_fields.hpp"
#include "guard.hpp"
#include "mizu/time.hpp"

namespace mizu::backend::http {

void RegisterSignupRoutes(httplib::Server& server, App& app) {
  server.Post("/api/v1/signup/start",
              Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
                auto [email] = BodyStrings(req, BodyLoginId{});
                auto sent = StartSignup(app, email, ClientKey(app, req), app.clock.Now());
                SendJson(res, 202, {{"resend_after", sent.resend_after}, {"expires_in", sent.expires_in}});
              }));

  server.Post("/api/v1/signup/verify",
              Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
                auto [email, code] = BodyStrings(req, BodyLoginId{}, BodyText{"code", 32});
                SendJson(res, 200, {{"signup_token", VerifySignup(app, email, code, app.clock.Now())}});
              }));

  server.Post("/api/v1/signup/complete",
              Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
                auto j = ReadJsonBody(req);
                std::vector<FieldError> errors;
                SignupDetails d;
                d.signup_token = StringField(j, "signup_token", errors, 128);
                d.password = StringField(j, "password", errors, 1024);
                d.customer_number = StringField(j, "customer_number", errors, 64);
                d.bureau_phone = StringField(j, "bureau_phone", errors, 64);
                d.applicant_phone = StringField(j, "applicant_phone", errors, 64);
                api::ReadBool(j, "agree_terms", d.agree_terms, errors);
                ThrowIfErrors(errors);
                auto r = CompleteSignup(app, d, ClientKey(app, req), app.clock.Now());
                StartSession(app, req, res, r.session);
                SendJson(res, 201,
                         {{"account_id", r.account_id},
                          {"customer_number", r.customer_number},
                          {"visible_from", FormatIsoJst(r.visible_from)}});
              }));
}

}  // namespace mizu::backend::http
