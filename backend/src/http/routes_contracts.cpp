// The account's contracts: list, add by identity proof, remove, choose the primary one.
#include "account_fields.hpp"
#include "guard.hpp"

namespace mizu::backend::http {

void RegisterContractRoutes(httplib::Server& server, App& app) {
  server.Get("/api/v1/contracts",
             WithAccount(app, [&app](const httplib::Request&, httplib::Response& res, const Caller& c) {
               nlohmann::json out = nlohmann::json::array();
               for (const auto& v : ListContracts(app, c.session.account_id)) out.push_back(ContractJson(v));
               SendJson(res, 200, {{"contracts", out}});
             }));

  server.Post("/api/v1/contracts",
              WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
                auto j = ReadJsonBody(req);
                std::vector<FieldError> errors;
                AddContractRequest r;
                r.customer_number = StringField(j, "customer_number", errors, 64, false);
                r.bureau_phone = StringField(j, "bureau_phone", errors, 64, false);
                r.name_kana = StringField(j, "name_kana", errors, 256, false);
                r.relationship = StringField(j, "relationship", errors, 32, false);
                api::ReadBool(j, "consent", r.consent, errors);
                ThrowIfErrors(errors);
                SendJson(res, 201,
                         ContractJson(AddContract(app, c.session.account_id, r, ClientKey(app, req),
                                                  app.clock.Now())));
              }));

  server.Delete(
      R"(/api/v1/contracts/([^/]+))",
      WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
        RemoveContract(app, c.session.account_id, req.matches[1], app.clock.Now());
        res.status = 204;
      }));

  server.Put(R"(/api/v1/contracts/([^/]+)/primary)",
             WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
               SetPrimaryContract(app, c.session.account_id, req.matches[1], app.clock.Now());
               res.status = 204;
             }));
}

}  // namespace mizu::backend::http
