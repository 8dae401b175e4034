// 「コードが届かない」 at the counter (staff.hpp): what was sent to an address and what the receiving server
// answered each time, a fresh code, a password-reset mail, and the delivery overview. Bodies are never shown
// (a code is in them).
#include "mizu/backend/accounts.hpp"
#include "mizu/backend/staff.hpp"
#include "mizu/errors.hpp"
#include "mizu/text.hpp"

namespace mizu::backend {
namespace {

// Whether a failed attempt's answer is the receiving side saying no to this message: an SMTP 5xx (the
// transport appends "(server said NNN)") or the SMS gateway's 4xx.
bool IsRefusal(const std::string& answer) {
  return answer.find("(server said 5") != std::string::npos ||
         answer.find("sms webhook: HTTP 4") != std::string::npos;
}

std::string StateOf(const OutboxEntry& e) {
  if (e.status == "sent") return "delivered";
  if (e.status == "sending") return "sending";
  if (e.status == "pending") return e.attempts == 0 ? "queued" : "retry_waiting";
  // Given up: why is the last error — the refusal of the last attempt, or a reason of our own
  // ("superseded by a newer code", an expired code).
  return IsRefusal(e.last_error) ? "refused" : "failed";
}

// The login ID an account signs in with (the address its codes go to).
std::string LoginIdOf(Database& db, int64_t account_id) {
  auto q = db.Prepare("SELECT COALESCE(email, mobile) FROM accounts WHERE id = ?");
  q.Bind(1, account_id);
  if (!q.Step()) throw ServiceError(404, err::kNotFound);
  return q.Text(0);
}

}  // namespace

StaffMessages StaffListMessages(App& app, const StaffSession& staff, const std::string& to_input,
                                int64_t account_id, const std::string& client, int64_t now) {
  StaffMessages out;
  out.account_id = account_id;
  if (account_id == 0) {
    LoginId id;
    if (CheckLoginId(to_input, id))
      throw ServiceError(400, err::kInvalidFormat, {{std::string(err::kInvalidFormat), "to"}});
    out.to = id.value;
  }
  return WriteDb(app, [&](Database& db) {
    if (account_id) out.to = LoginIdOf(db, account_id);
    for (OutboxEntry& e : MailsTo(db, out.to, 100)) {
      StaffMessage m;
      m.attempts = MailAttemptsOf(db, e.id);
      m.state = StateOf(e);
      m.id = e.id;
      m.kind = e.kind;
      m.channel = e.channel;
      m.to = e.to;
      m.subject = e.subject;
      m.queued_at = e.created_at;
      m.next_attempt_at = m.state == "retry_waiting" ? e.next_attempt_at : 0;
      m.sent_at = e.sent_at.value_or(0);
      m.last_error = e.last_error;
      out.messages.push_back(std::move(m));
    }
    StaffAudit(db, {.at = now,
                    .staff_id = staff.staff_id,
                    .action = "messages_viewed",
                    .account_id = account_id,
                    .customer_number = account_id ? AccountCustomerNumber(db, account_id) : std::string(),
                    .target = out.to,
                    .client = client});
    return out;
  });
}

void StaffResendCode(App& app, const StaffSession& staff, const std::string& to, const std::string& reason,
                     const std::string& client, int64_t now) {
  RequireReason(reason);
  WriteDb(app, [&](Database& db) {
    ReissuedCode r = ReissueCode(app, to, now);
    auto m = FindMail(db, r.message_id);
    StaffAudit(db, {.at = now,
                    .staff_id = staff.staff_id,
                    .action = "code_resent",
                    .account_id = r.account_id,
                    .customer_number = r.account_id ? AccountCustomerNumber(db, r.account_id) : std::string(),
                    .target = r.purpose + " " + (m ? m->to : std::string()),
                    .reason = NormalizeText(reason),
                    .client = client});
  });
  NotifyMail(app);
}

void StaffSendPasswordReset(App& app, const StaffSession& staff, int64_t account_id,
                            const std::string& reason, const std::string& client, int64_t now) {
  RequireReason(reason);
  WriteDb(app, [&](Database& db) {
    IssueResetCodeForAccount(app, account_id, now);
    StaffAudit(db, {.at = now,
                    .staff_id = staff.staff_id,
                    .action = "password_reset_sent",
                    .account_id = account_id,
                    .customer_number = AccountCustomerNumber(db, account_id),
                    .reason = NormalizeText(reason),
                    .client = client});
  });
  NotifyMail(app);
}

std::vector<DeliveryCounts> StaffDeliveryOverview(App& app, int64_t now) {
  return ReadDb(app, [&](Database& db) { return DeliveryOverview(db, now); });
}

}  // namespace mizu::backend
