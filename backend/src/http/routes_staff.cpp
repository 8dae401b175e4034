// The bureau staff's routes (/api/v1/staff/…, staff.hpp, docs/staff.md): enrolment and login are public;
// every other route needs the staff cookie and a role (WithStaff). Residents' cookies never open them.
#include "account_fields.hpp"
#include "guard.hpp"
#include "mizu/time.hpp"

namespace mizu::backend::http {
namespace {

nlohmann::json AuditJson(const StaffAuditEntry& e) {
  return {{"id", e.id},
          {"at", FormatIsoJst(e.at)},
          {"staff", e.staff_email},
          {"action", e.action},
          {"account_id", e.account_id ? nlohmann::json(e.account_id) : nlohmann::json(nullptr)},
          {"customer_number", e.customer_number},
          {"target", e.target},
          {"reason", e.reason},
          {"client", e.client}};
}

// An ISO 8601 instant in a query parameter, 0 when absent; 400 invalid_format on the parameter otherwise.
int64_t InstantParam(const httplib::Request& req, const char* name) {
  const std::string v = req.get_param_value(name);
  if (v.empty()) return 0;
  auto t = ParseIso8601(v);
  if (!t) throw ServiceError(400, err::kInvalidFormat, {{std::string(err::kInvalidFormat), name}});
  return *t;
}

}  // namespace

void RegisterStaffRoutes(httplib::Server& server, App& app) {
  // ---- Enrolment (the one-time link) and login: no staff session yet ----
  server.Get(
      "/api/v1/staff/enrolment", Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
        StaffEnrolment e = GetStaffEnrolment(app, req.get_param_value("token"), app.clock.Now());
        SendJson(res, 200,
                 {{"email", e.email},
                  {"role", StaffRoleName(e.role)},
                  {"totp", {{"base32", e.totp_base32}, {"uri", e.totp_uri}, {"qr_svg", e.totp_qr_svg}}}});
      }));
  server.Post(
      "/api/v1/staff/enrolment", Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
        auto [token, password, code] =
            BodyStrings(req, BodyText{"token", 128}, BodyText{"password", 1024}, BodyText{"code", 32});
        CompleteStaffEnrolment(app, token, password, code, req.remote_addr, app.clock.Now());
        res.status = 204;
      }));
  server.Post(
      "/api/v1/staff/login", Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
        auto [email, password, code] =
            BodyStrings(req, BodyText{"email", 254}, BodyText{"password", 1024}, BodyText{"code", 32});
        SetStaffCookie(app, res, StaffLogin(app, email, password, code, req.remote_addr, app.clock.Now()));
        res.status = 204;
      }));
  server.Post("/api/v1/staff/logout",
              Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
                const std::string token = CookieValue(req, kStaffCookie);
                if (!token.empty()) StaffLogout(app, token, app.clock.Now());
                ClearStaffCookie(app, res);
                res.status = 204;
              }));

  // ---- Every role ----
  server.Get(
      "/api/v1/staff/me",
      WithStaff(app, StaffRole::kCounter,
                [](const httplib::Request&, httplib::Response& res, const StaffCaller& c) {
                  SendJson(res, 200, {{"email", c.staff.email}, {"role", StaffRoleName(c.staff.role)}});
                }));

  // ---- Supervisor: the audit log ----
  server.Get("/api/v1/staff/audit",
             WithStaff(app, StaffRole::kSupervisor,
                       [&app](const httplib::Request& req, httplib::Response& res, const StaffCaller&) {
                         StaffAuditQuery q;
                         q.staff_email = req.get_param_value("staff");
                         q.customer_number = req.get_param_value("customer_number");
                         q.from = InstantParam(req, "from");
                         q.to = InstantParam(req, "to");
                         nlohmann::json items = nlohmann::json::array();
                         for (const auto& e : SearchStaffAudit(app, q)) items.push_back(AuditJson(e));
                         SendJson(res, 200, {{"items", items}});
                       }));

  // ---- Admin: staff accounts ----
  server.Post(
      "/api/v1/staff/staff",
      WithStaff(
          app, StaffRole::kAdmin,
          [&app](const httplib::Request& req, httplib::Response& res, const StaffCaller& c) {
            auto [email, role_name] = BodyStrings(req, BodyText{"email", 254}, BodyText{"role", 16});
            auto role = ParseStaffRole(role_name);
            if (!role)
              throw ServiceError(400, err::kInvalidFormat, {{std::string(err::kInvalidFormat), "role"}});
            StaffInvite invite = CreateStaff(app, email, *role, c.staff.staff_id, c.client, app.clock.Now());
            SendJson(res, 201,
                     {{"id", invite.staff_id},
                      {"enrol_url", StaffEnrolUrl(app.config, invite.enrol_token)},
                      {"expires_at", FormatIsoJst(invite.expires_at)}});
          }));
}

}  // namespace mizu::backend::http
