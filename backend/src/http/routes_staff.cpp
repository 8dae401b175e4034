// The bureau staff's routes (/api/v1/staff/…, staff.hpp, docs/staff.md): enrolment and login are public;
// every other route needs the staff cookie and a role (WithStaff). Residents' cookies never open them.
#include "account_fields.hpp"
#include "guard.hpp"
#include "mizu/api.hpp"
#include "mizu/backend/kiosk.hpp"
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

nlohmann::json RowJson(const StaffContractRow& r) {
  return {{"customer_number", r.customer_number},
          {"display_number", r.display_number},
          {"holder_name", r.holder_name},
          {"holder_kana", r.holder_kana},
          {"address", r.address},
          {"bureau_phone", r.bureau_phone_masked},
          {"smart_meter", r.smart_meter},
          {"paper_notice", r.paper_notice},
          {"account_id", r.account_id ? nlohmann::json(r.account_id) : nlohmann::json(nullptr)},
          {"login", r.account_login},
          {"relationship", r.relationship},
          {"linked_at", r.linked_at ? nlohmann::json(FormatIsoJst(r.linked_at)) : nlohmann::json(nullptr)},
          {"visible_from",
           r.visible_from ? nlohmann::json(FormatIsoJst(r.visible_from)) : nlohmann::json(nullptr)},
          {"sessions", r.sessions},
          {"watched", r.watched}};
}

nlohmann::json InstantOrNull(int64_t t) {
  return t ? nlohmann::json(FormatIsoJst(t)) : nlohmann::json(nullptr);
}

nlohmann::json MessageJson(const StaffMessage& m) {
  nlohmann::json attempts = nlohmann::json::array();
  for (const auto& a : m.attempts)
    attempts.push_back({{"at", FormatIsoJst(a.at)}, {"outcome", a.outcome}, {"answer", a.answer}});
  return {{"id", m.id},
          {"kind", m.kind},
          {"channel", m.channel},
          {"to", m.to},
          {"subject", m.subject},
          {"queued_at", FormatIsoJst(m.queued_at)},
          {"state", m.state},
          {"next_attempt_at", InstantOrNull(m.next_attempt_at)},
          {"sent_at", InstantOrNull(m.sent_at)},
          {"last_error", m.last_error},
          {"attempts", attempts}};
}

nlohmann::json DeliveryJson(const DeliveryCounts& c) {
  return {{"kind", c.kind},
          {"last_hour", {{"queued", c.queued_hour}, {"sent", c.sent_hour}, {"failed", c.failed_hour}}},
          {"last_day", {{"queued", c.queued_day}, {"sent", c.sent_day}, {"failed", c.failed_day}}},
          {"waiting", c.waiting},
          {"oldest_waiting_at", InstantOrNull(c.oldest_waiting)}};
}

nlohmann::json AccountViewJson(const StaffAccountView& v) {
  nlohmann::json contracts = nlohmann::json::array();
  for (const auto& k : v.contracts) {
    nlohmann::json recipients = nlohmann::json::array();
    for (const auto& r : k.recipients)
      recipients.push_back({{"name", r.name}, {"email", r.email_masked}, {"stopped", r.stopped}});
    contracts.push_back(
        {{"customer_number", k.customer_number},
         {"display_number", k.display_number},
         {"relationship", k.relationship},
         {"primary", k.primary},
         {"visible_from", InstantOrNull(k.visible_from)},
         {"watch", k.watched ? nlohmann::json{{"start_hours", k.start_hours}, {"recipients", recipients}}
                             : nlohmann::json(nullptr)}});
  }
  return {
      {"account_id", v.account_id},       {"login", v.login},      {"lang", v.lang}, {"sessions", v.sessions},
      {"email_notices", v.email_notices}, {"contracts", contracts}};
}

// The number in the route's first group (an account, a kiosk); 404 not_found when it is not one.
int64_t AccountIdOf(const httplib::Request& req) {
  const std::string& s = req.matches[1];
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos)
    throw ServiceError(404, err::kNotFound);
  return std::stoll(s);
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
  server.Get("/api/v1/staff/enrolment",
             Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
               StaffEnrolment e = GetStaffEnrolment(app, req.get_param_value("token"), app.clock.Now());
               SendJson(res, 200,
                        {{"email", e.email},
                         {"role", StaffRoleName(e.role)},
                         {"totp",
                          {{"base32", e.totp_base32},
                           {"uri", e.totp_uri},
                           {"qr_svg", e.totp_qr_svg},
                           {"qr_modules", e.totp_qr_modules}}}});
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

  // ---- Counter: find a customer, end sessions, paper notices ----
  server.Get("/api/v1/staff/customers",
             WithStaff(app, StaffRole::kCounter,
                       [&app](const httplib::Request& req, httplib::Response& res, const StaffCaller& c) {
                         nlohmann::json items = nlohmann::json::array();
                         for (const auto& r : FindCustomers(app, c.staff, req.get_param_value("q"), c.client,
                                                            app.clock.Now()))
                           items.push_back(RowJson(r));
                         SendJson(res, 200, {{"items", items}});
                       }));
  server.Get(R"(/api/v1/staff/accounts/(\d+))",
             WithStaff(app, StaffRole::kCounter,
                       [&app](const httplib::Request& req, httplib::Response& res, const StaffCaller& c) {
                         SendJson(res, 200,
                                  AccountViewJson(StaffViewAccount(app, c.staff, AccountIdOf(req), c.client,
                                                                   app.clock.Now())));
                       }));
  server.Post(R"(/api/v1/staff/accounts/(\d+)/sessions/end)",
              WithStaff(app, StaffRole::kCounter,
                        [&app](const httplib::Request& req, httplib::Response& res, const StaffCaller& c) {
                          auto [reason] = BodyStrings(req, BodyText{"reason", 1000});
                          StaffEndSessions(app, c.staff, AccountIdOf(req), reason, c.client, app.clock.Now());
                          res.status = 204;
                        }));
  // 料金のお支払い: the contract's unpaid bills and what pays each (staff.hpp StaffUnpaidBills).
  server.Get(R"(/api/v1/staff/contracts/([^/]+)/bills)",
             WithStaff(app, StaffRole::kCounter,
                       [&app](const httplib::Request& req, httplib::Response& res, const StaffCaller& c) {
                         nlohmann::json items = nlohmann::json::array();
                         for (const auto& [b, codes] :
                              StaffUnpaidBills(app, c.staff, req.matches[1], c.client, app.clock.Now()))
                           items.push_back({{"reading_date", b.reading_date},
                                            {"due_date", b.due_date},
                                            {"total", b.total},
                                            {"paid", b.paid},
                                            {"payment_method", b.payment_method},
                                            {"unavailable", codes.unavailable.empty()
                                                                ? nlohmann::json(nullptr)
                                                                : nlohmann::json(codes.unavailable)},
                                            {"deadline", codes.deadline.year < 2000
                                                             ? nlohmann::json(nullptr)
                                                             : nlohmann::json(FormatDate(codes.deadline))},
                                            {"reissue", codes.reissue}});
                         SendJson(res, 200, {{"bills", items}});
                       }));
  // 料金のお支払い: a bill's payment codes reissued after their deadline (staff.hpp
  // StaffReissuePaymentCodes).
  server.Post(R"(/api/v1/staff/contracts/([^/]+)/bills/([0-9]{4}-[0-9]{2}-[0-9]{2})/reissue)",
              WithStaff(app, StaffRole::kCounter,
                        [&app](const httplib::Request& req, httplib::Response& res, const StaffCaller& c) {
                          auto [reason] = BodyStrings(req, BodyText{"reason", 1000});
                          auto [reissue, deadline] =
                              StaffReissuePaymentCodes(app, c.staff, req.matches[1], req.matches[2], reason,
                                                       c.client, app.clock.Now());
                          SendJson(res, 200, {{"reissue", reissue}, {"deadline", deadline}});
                        }));
  server.Put(R"(/api/v1/staff/contracts/([^/]+)/paper-notice)",
             WithStaff(app, StaffRole::kCounter,
                       [&app](const httplib::Request& req, httplib::Response& res, const StaffCaller& c) {
                         const nlohmann::json j = ReadJsonBody(req);
                         std::vector<FieldError> errors;
                         bool paper = false;
                         api::ReadBool(j, "paper", paper, errors, /*required=*/true);  // null: no answer
                         const std::string reason = StringField(j, "reason", errors, 1000);
                         ThrowIfErrors(errors);
                         StaffSetPaperNotice(app, c.staff, req.matches[1], paper, reason, c.client,
                                             app.clock.Now());
                         res.status = 204;
                       }));

  // ---- Counter: "the code / notice did not arrive", a password-reset mail, the delivery overview ----
  server.Get(
      "/api/v1/staff/messages",
      WithStaff(
          app, StaffRole::kCounter,
          [&app](const httplib::Request& req, httplib::Response& res, const StaffCaller& c) {
            int64_t account_id = 0;
            if (req.has_param("account_id")) {
              // One of the two: an account, or an address (400 on account_id when both or not digits).
              const std::string v = req.get_param_value("account_id");
              if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos || req.has_param("to"))
                throw ServiceError(400, err::kInvalidFormat,
                                   {{std::string(err::kInvalidFormat), "account_id"}});
              if (v.size() > 18 || std::stoll(v) == 0) throw ServiceError(404, err::kNotFound);
              account_id = std::stoll(v);
            }
            StaffMessages m = StaffListMessages(app, c.staff, req.get_param_value("to"), account_id, c.client,
                                                app.clock.Now());
            nlohmann::json items = nlohmann::json::array();
            for (const auto& msg : m.messages) items.push_back(MessageJson(msg));
            SendJson(res, 200,
                     {{"to", m.to},
                      {"account_id", m.account_id ? nlohmann::json(m.account_id) : nlohmann::json(nullptr)},
                      {"items", items}});
          }));
  server.Post("/api/v1/staff/messages/resend-code",
              WithStaff(app, StaffRole::kCounter,
                        [&app](const httplib::Request& req, httplib::Response& res, const StaffCaller& c) {
                          auto [to, reason] = BodyStrings(req, BodyText{"to", 254}, BodyText{"reason", 1000});
                          StaffResendCode(app, c.staff, to, reason, c.client, app.clock.Now());
                          res.status = 204;
                        }));
  server.Post(R"(/api/v1/staff/accounts/(\d+)/password-reset)",
              WithStaff(app, StaffRole::kCounter,
                        [&app](const httplib::Request& req, httplib::Response& res, const StaffCaller& c) {
                          auto [reason] = BodyStrings(req, BodyText{"reason", 1000});
                          StaffSendPasswordReset(app, c.staff, AccountIdOf(req), reason, c.client,
                                                 app.clock.Now());
                          res.status = 204;
                        }));
  server.Get("/api/v1/staff/delivery",
             WithStaff(app, StaffRole::kCounter,
                       [&app](const httplib::Request&, httplib::Response& res, const StaffCaller&) {
                         const int64_t now = app.clock.Now();
                         nlohmann::json kinds = nlohmann::json::array();
                         for (const auto& k : StaffDeliveryOverview(app, now))
                           kinds.push_back(DeliveryJson(k));
                         SendJson(res, 200, {{"at", FormatIsoJst(now)}, {"kinds", kinds}});
                       }));

  // ---- Supervisor: withdraw an account on the customer's request ----
  server.Post(R"(/api/v1/staff/accounts/(\d+)/withdraw)",
              WithStaff(app, StaffRole::kSupervisor,
                        [&app](const httplib::Request& req, httplib::Response& res, const StaffCaller& c) {
                          auto [reason] = BodyStrings(req, BodyText{"reason", 1000});
                          StaffWithdraw(app, c.staff, AccountIdOf(req), reason, c.client, app.clock.Now());
                          res.status = 204;
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

  // ---- Admin: counter kiosks (kiosk.hpp) ----
  server.Post(
      "/api/v1/staff/kiosks",
      WithStaff(app, StaffRole::kAdmin,
                [&app](const httplib::Request& req, httplib::Response& res, const StaffCaller& c) {
                  auto [name] = BodyStrings(req, BodyText{"name", 600});
                  const EnrolledKiosk k = EnrolKiosk(app, &c.staff, name, c.client, app.clock.Now());
                  SendJson(res, 201,
                           {{"id", k.id}, {"name", k.name}, {"token", k.token}, {"start_url", k.start_url}});
                }));
  server.Get("/api/v1/staff/kiosks",
             WithStaff(app, StaffRole::kAdmin,
                       [&app](const httplib::Request&, httplib::Response& res, const StaffCaller&) {
                         nlohmann::json items = nlohmann::json::array();
                         for (const KioskRow& k : ListKiosks(app))
                           items.push_back({{"id", k.id},
                                            {"name", k.name},
                                            {"created_at", FormatIsoJst(k.created_at)},
                                            {"revoked_at", InstantOrNull(k.revoked_at)},
                                            {"last_seen_at", InstantOrNull(k.last_seen_at)}});
                         SendJson(res, 200, {{"items", items}});
                       }));
  server.Post(R"(/api/v1/staff/kiosks/(\d+)/revoke)",
              WithStaff(app, StaffRole::kAdmin,
                        [&app](const httplib::Request& req, httplib::Response& res, const StaffCaller& c) {
                          auto [reason] = BodyStrings(req, BodyText{"reason", 1000});
                          RevokeKiosk(app, &c.staff, AccountIdOf(req), reason, c.client, app.clock.Now());
                          res.status = 204;
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
