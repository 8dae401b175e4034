// 使用開始 / 使用中止 applications (M16): public forms (no login), answered with the reference to quote; the
// applicant looks the status up with the reference and their e-mail address.
#include "account_fields.hpp"
#include "guard.hpp"
#include "mizu/backend/applications.hpp"
#include "mizu/time.hpp"

namespace mizu::backend::http {
namespace {

void Handle(App& app, ApplicationKind kind, const httplib::Request& req, httplib::Response& res) {
  const nlohmann::json body = ReadJsonBody(req);
  std::vector<FieldError> errors;
  ApplicationRequest r;
  r.kind = kind;
  // Shape only (types, sizes); what is required and valid is SubmitApplication's.
  auto read = [&](const char* field, std::string& out, size_t max = 1024) {
    api::ReadString(body, field, out, errors, /*required=*/false, max);
  };
  read("address", r.address);
  read("postal_code", r.postal_code, 32);
  read("name", r.name);
  read("name_kana", r.name_kana);
  read("phone", r.phone, 64);
  read("email", r.email, 320);
  // As typed: 「令和８年１２月１日（火曜日）」 (full width, a weekday) is 42 bytes.
  read("desired_date", r.desired_date, 64);
  read("payment_method", r.payment_method, 64);
  if (kind == ApplicationKind::kMoveOut) {
    read("customer_number", r.customer_number, 64);
    read("forwarding_address", r.forwarding_address);
  }
  if (!errors.empty()) throw ServiceError(400, errors.front().code, errors);
  auto receipt = SubmitApplication(app, r, RequestLang(req), ClientKey(app, req), app.clock.Now());
  SendJson(res, 201,
           {{"id", receipt.id},
            {"reference", receipt.reference},
            {"kind", kind == ApplicationKind::kMoveIn ? "move_in" : "move_out"},
            {"status", receipt.status},
            {"desired_date", FormatDate(receipt.desired_date)}});
}

}  // namespace

void RegisterApplicationRoutes(httplib::Server& server, App& app) {
  server.Post("/api/v1/applications/move-in",
              Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
                Handle(app, ApplicationKind::kMoveIn, req, res);
              }));
  server.Post("/api/v1/applications/move-out",
              Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
                Handle(app, ApplicationKind::kMoveOut, req, res);
              }));
  // A POST, so that the e-mail address stays out of URLs and access logs.
  server.Post("/api/v1/applications/status",
              Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
                auto [reference, email] = BodyStrings(req, BodyText{"reference", 64}, BodyText{"email", 320});
                ApplicationStatusView v = LookupApplication(app, reference, email);
                SendJson(res, 200,
                         {{"reference", v.reference},
                          {"kind", v.kind},
                          {"status", v.status},
                          {"desired_date", v.desired_date},
                          {"received_at", FormatIsoJst(v.created_at)},
                          {"updated_at", FormatIsoJst(v.updated_at)},
                          {"note", v.note}});
              }));
}

}  // namespace mizu::backend::http
