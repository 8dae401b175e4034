// Machine routes of the billing system: imports with a Bearer token of the "import" scope.
#include "guard.hpp"
#include "mizu/backend/api_tokens.hpp"
#include "mizu/backend/billing.hpp"
#include "mizu/backend/cis.hpp"

namespace mizu::backend::http {

nlohmann::json ImportReportJson(const ImportReport& r) {
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& e : r.errors)
    errors.push_back({{"line", e.line}, {"field", e.field}, {"code", e.code}, {"detail", e.detail}});
  return {{"rows", r.rows},           {"inserted", r.inserted}, {"updated", r.updated},
          {"unchanged", r.unchanged}, {"rejected", r.rejected}, {"errors", errors}};
}

namespace {

// An import route for bills / payments: Bearer token of scope import, ?encoding= or a Shift_JIS/CP932
// charset, the report, or 400 with line and detail for a file that cannot be read at all.
httplib::Server::Handler BillingImportRoute(App& app,
                                            ImportReport (*import)(App&, std::string_view, int64_t)) {
  return [&app, import](const httplib::Request& req, httplib::Response& res) {
    if (!CheckApiToken(app, BearerToken(req), "import")) {
      res.set_header("WWW-Authenticate", "Bearer");
      return SendError(req, res, 401, err::kUnauthorized);
    }
    std::string encoding_name = req.has_param("encoding") ? req.get_param_value("encoding") : "";
    std::string type = req.get_header_value("Content-Type");
    for (const char* charset :
         {"charset=shift_jis", "charset=Shift_JIS", "charset=cp932", "charset=windows-31j"})
      if (encoding_name.empty() && type.find(charset) != std::string::npos) encoding_name = "cp932";
    auto encoding = ParseEncoding(encoding_name);
    if (!encoding) return SendError(req, res, 400, err::kInvalidFormat, {{"invalid_format", "encoding"}});
    try {
      SendJson(res, 200, ImportReportJson(import(app, DecodeText(req.body, *encoding), app.clock.Now())));
    } catch (const CsvError& e) {
      nlohmann::json body = api::MakeErrorBody(RequestLang(req), err::kInvalidFormat);
      body["error"]["detail"] = e.what();
      body["error"]["line"] = e.line;
      SendJson(res, 400, body);
    }
  };
}

}  // namespace

void RegisterAdminRoutes(httplib::Server& server, App& app) {
  server.Post("/api/v1/admin/import/bills", BillingImportRoute(app, &ImportBills));
  server.Post("/api/v1/admin/import/payments", BillingImportRoute(app, &ImportPayments));
  server.Post("/api/v1/admin/import/customers", [&app](const httplib::Request& req, httplib::Response& res) {
    if (!CheckApiToken(app, BearerToken(req), "import")) {
      res.set_header("WWW-Authenticate", "Bearer");
      return SendError(req, res, 401, err::kUnauthorized);
    }
    std::string encoding_name = req.has_param("encoding") ? req.get_param_value("encoding") : "";
    std::string type = req.get_header_value("Content-Type");
    if (encoding_name.empty() && (type.find("charset=Shift_JIS") != std::string::npos ||
                                  type.find("charset=shift_jis") != std::string::npos ||
                                  type.find("charset=cp932") != std::string::npos ||
                                  type.find("charset=windows-31j") != std::string::npos))
      encoding_name = "cp932";
    auto encoding = ParseEncoding(encoding_name);
    if (!encoding) return SendError(req, res, 400, err::kInvalidFormat, {{"invalid_format", "encoding"}});
    try {
      std::string text = DecodeText(req.body, *encoding);
      WriterLock lock(app);
      auto report =
          ImportCustomers(*app.db, text, {app.config.utility.customer_number, &app.tariff}, app.clock.Now());
      SendJson(res, 200, ImportReportJson(report));
    } catch (const CsvError& e) {
      nlohmann::json body = api::MakeErrorBody(RequestLang(req), err::kInvalidFormat);
      body["error"]["detail"] = e.what();
      body["error"]["line"] = e.line;
      SendJson(res, 400, body);
    }
  });
}

}  // namespace mizu::backend::http
