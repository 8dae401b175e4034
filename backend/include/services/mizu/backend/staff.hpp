#pragma once
// The bureau's staff (M9, M14, M16; docs/staff.md): staff accounts with the least access each task needs,
// their second factor, their own sessions and their own append-only audit log. Residents' accounts,
// sessions and audit entries are separate tables; a resident's cookie never opens a staff route.
//   [X] staff create (CLI) → a one-time enrolment link; enrolment sets a password and a TOTP factor
//       (RFC 6238, 30 s, SHA-1, 6 digits, ±1 step, no replay) shown as a QR code and as base32 text
//   [X] login with password + TOTP at once (one generic failure), throttled per address and per client
//   [X] staff sessions: own cookie, 15 min idle, 8 h absolute, no "remember me"; logout
//   [X] roles counter < supervisor < admin, checked by every staff route
//   [X] the staff audit log (who, when, action, on whom, reason, client), append-only, searchable
//   [X] what was sent to an address, with each attempt's answer; resend a code; a password-reset mail
//   [X] the delivery overview (queued, sent, failed in the last hour and day; the oldest waiting)
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mizu/backend/app.hpp"
#include "mizu/backend/mail.hpp"
#include "mizu/backend/payment_codes.hpp"

namespace mizu::backend {

enum class StaffRole { kCounter = 1, kSupervisor = 2, kAdmin = 3 };
// "counter" / "supervisor" / "admin".
const char* StaffRoleName(StaffRole role);
std::optional<StaffRole> ParseStaffRole(std::string_view name);

inline constexpr int64_t kStaffIdleSeconds = 15 * 60;
inline constexpr int64_t kStaffAbsoluteSeconds = 8 * 3600;  // a working day
inline constexpr int64_t kStaffEnrolSeconds = 72 * 3600;    // the enrolment link's life
inline constexpr const char* kTotpIssuer = "水守";

// ---- Accounts and enrolment ----------------------------------------------------------------------------

struct StaffInvite {
  int64_t staff_id = 0;
  std::string enrol_token;  // shown once (the link), stored hashed
  int64_t expires_at = 0;
};
// A new staff account (not yet usable) and its enrolment token; the TOTP secret is made now (CSPRNG) and
// kept sealed. `created_by` 0 for the CLI. 409 staff_exists when the address has a staff account; 400
// email_invalid / invalid_format (role).
StaffInvite CreateStaff(App& app, const std::string& email, StaffRole role, int64_t created_by,
                        const std::string& client, int64_t now);
// "<public_url>/#/staff/enrol?token=…".
std::string StaffEnrolUrl(const Config& config, const std::string& token);

struct StaffEnrolment {
  std::string email;
  StaffRole role = StaffRole::kCounter;
  std::string totp_base32;  // the secret as an authenticator app takes it typed
  std::string totp_uri;     // otpauth://totp/…
  std::string totp_qr_svg;  // the URI as a QR code
  std::vector<std::string>
      totp_qr_modules;  // the same symbol's modules, rows of '1'/'0' (the web app draws it)
};
// What the enrolment page shows for a live token; 404 staff_enrol_invalid otherwise (unknown, used, expired).
StaffEnrolment GetStaffEnrolment(App& app, const std::string& token, int64_t now);
// Sets the password (the residents' password rules, field "password") and proves the factor (field "code": a
// current TOTP code); the token dies. 404 staff_enrol_invalid, 400 with field errors.
void CompleteStaffEnrolment(App& app, const std::string& token, const std::string& password,
                            const std::string& code, const std::string& client, int64_t now);

// ---- Login and sessions --------------------------------------------------------------------------------

struct StaffSession {
  int64_t staff_id = 0;
  std::string email;
  StaffRole role = StaffRole::kCounter;
};
// E-mail + password + TOTP code, checked together; any wrong part, an unknown address, an unenrolled or
// disabled account: 401 staff_login_failed (the same answer and the same password-hash time). 429 after too
// many failures (per address, per client). Returns the new session's cookie token.
std::string StaffLogin(App& app, const std::string& email, const std::string& password,
                       const std::string& code, const std::string& client, int64_t now);
// The session of a staff cookie token (idle and absolute limits; touching it extends the idle time), or
// nullopt (the row is removed when expired).
std::optional<StaffSession> AuthenticateStaff(App& app, const std::string& token, int64_t now);
void StaffLogout(App& app, const std::string& token, int64_t now);

// ---- Finding a customer and the counter's actions ----------------------------------------------------

// One contract as the counter sees it, with the account that holds it (account_id 0: not registered).
struct StaffContractRow {
  std::string customer_number;  // digits
  std::string display_number;   // 0-0000008002
  std::string holder_name, holder_kana, address;
  std::string bureau_phone_masked;  // 「******5678」: enough to compare with what the caller reads out
  bool smart_meter = false;
  bool paper_notice = true;  // 使用水量等のお知らせ on paper
  int64_t account_id = 0;
  std::string account_login;  // the account's e-mail address, or its mobile number masked (*******5678)
  std::string relationship;   // self | family | other ("" when not registered)
  int64_t linked_at = 0, visible_from = 0;
  int sessions = 0;  // the account's live sessions
  bool watched = false;
};
// By customer number (any form a resident types: 0-0000008002, full width, without hyphens), e-mail
// address, mobile number or kana name (a prefix of the holder's kana, hiragana or katakana, at least 2
// characters). At most 50 rows; audited as "lookup" with the query. 400 invalid_format on `q` when it is
// none of these.
std::vector<StaffContractRow> FindCustomers(App& app, const StaffSession& staff, const std::string& query,
                                            const std::string& client, int64_t now);
// One account as the counter opens it: its contracts with their watch (start hours, recipients — names and
// masked addresses, stopped or not), its notification settings and its live sessions. Audited as
// "account_viewed". 404 not_found.
struct StaffWatchRecipient {
  std::string name;
  std::string email_masked;  // 「mu****@example.net」: the domain and the first characters, to compare
  bool stopped = false;      // the recipient used the stop link
};
struct StaffAccountContract {
  std::string customer_number, display_number, relationship;
  bool primary = false;
  int64_t visible_from = 0;
  bool watched = false;
  std::vector<int> start_hours;  // the watch's windows' start hours (JST), ascending
  std::vector<StaffWatchRecipient> recipients;
};
struct StaffAccountView {
  int64_t account_id = 0;
  std::string login;  // the e-mail address, or the mobile number masked
  std::string lang;
  int sessions = 0;
  std::map<std::string, bool> email_notices;  // 通知受信設定: per kind (kNoticeKinds), mail on or off
  std::vector<StaffAccountContract> contracts;
};
StaffAccountView StaffViewAccount(App& app, const StaffSession& staff, int64_t account_id,
                                  const std::string& client, int64_t now);
// Why a staff member acts on a resident's account: required, at most 200 characters (400 required /
// too_long on "reason").
void RequireReason(const std::string& reason);
// Ends every session of the account (the resident must log in again). 404 not_found for no such account.
void StaffEndSessions(App& app, const StaffSession& staff, int64_t account_id, const std::string& reason,
                      const std::string& client, int64_t now);
// 料金のお支払い at the counter: a contract's bills not yet paid, newest first, with what pays each today
// (payment_codes.hpp) — the caller on the phone says which bill. Audited as "lookup" (target "bills"). 404
// contract_not_found.
struct StaffUnpaidBill {
  BillView bill;
  PaymentCodes codes;
};
std::vector<StaffUnpaidBill> StaffUnpaidBills(App& app, const StaffSession& staff,
                                              const std::string& customer_number_input,
                                              const std::string& client, int64_t now);
// 料金のお支払い: reissue an unpaid bill's convenience-store barcode and Pay-easy numbers after their
// deadline (再発行, payment_codes.hpp): the reissue digit + 1 (at most 9) and a new deadline of today (JST) +
// payment.reissue_days, audited as "payment_codes_reissued" with the reason. Returns the new count and
// deadline (YYYY-MM-DD). 404 bill_not_found; 409 bill_paid, direct_debit, reissue_limit.
std::pair<int, std::string> StaffReissuePaymentCodes(App& app, const StaffSession& staff,
                                                     const std::string& customer_number_input,
                                                     const std::string& reading_date,
                                                     const std::string& reason, const std::string& client,
                                                     int64_t now);
// 「使用水量等のお知らせ」 on paper on or off for a contract (the CIS export shows it). 404
// contract_not_found.
void StaffSetPaperNotice(App& app, const StaffSession& staff, const std::string& customer_number_input,
                         bool paper, const std::string& reason, const std::string& client, int64_t now);
// Withdraws the account on the customer's request (supervisor): the same effects as the resident's 退会 —
// sessions end, paper notices resume, watch recipients are told, the resident is mailed.
void StaffWithdraw(App& app, const StaffSession& staff, int64_t account_id, const std::string& reason,
                   const std::string& client, int64_t now);

// ---- "The code / notice did not arrive" and the delivery overview ---------------------------------------

// One message as the counter sees it: never its body (a code is in it).
struct StaffMessage {
  int64_t id = 0;
  std::string kind;     // signup_code, reset_code, watch_report, meter_reading, …
  std::string channel;  // mail | sms
  std::string to;
  std::string subject;  // "" for an SMS
  int64_t queued_at = 0;
  // queued (not tried yet) · sending · delivered (the receiving server took it) · retry_waiting (failed,
  // tried again at next_attempt_at) · refused (the receiving server said no: a 5xx / 4xx gateway answer,
  // given up) · failed (given up otherwise: too old, expired code, superseded by a newer code)
  std::string state;
  int64_t next_attempt_at = 0;  // retry_waiting only
  int64_t sent_at = 0;
  std::string last_error;
  std::vector<MailAttempt> attempts;
};
struct StaffMessages {
  std::string to;  // the address or number looked at (an account's login ID)
  int64_t account_id = 0;
  std::vector<StaffMessage> messages;  // newest first, at most 100
};
// Every message to an address or mobile number (any form a resident types), or — account_id > 0 — to the
// account's login ID. Audited as "messages_viewed". 400 invalid_format on "to"; 404 not_found (account).
StaffMessages StaffListMessages(App& app, const StaffSession& staff, const std::string& to,
                                int64_t account_id, const std::string& client, int64_t now);
// A fresh code for the newest unused code sent to `to` (ReissueCode, accounts.hpp): the old one dies.
// Audited as "code_resent" with the purpose. 404 not_found, 429 rate_limited, 400 reason.
void StaffResendCode(App& app, const StaffSession& staff, const std::string& to, const std::string& reason,
                     const std::string& client, int64_t now);
// A password-reset code mailed to the account (IssueResetCodeForAccount). Audited as
// "password_reset_sent". 404 not_found, 429 rate_limited, 400 reason.
void StaffSendPasswordReset(App& app, const StaffSession& staff, int64_t account_id,
                            const std::string& reason, const std::string& client, int64_t now);
// DeliveryOverview (mail.hpp) for the console.
std::vector<DeliveryCounts> StaffDeliveryOverview(App& app, int64_t now);

// ---- Audit ---------------------------------------------------------------------------------------------

// One staff action, appended inside the action's transaction.
struct StaffAuditEntry {
  int64_t id = 0;
  int64_t at = 0;
  int64_t staff_id = 0;  // 0: the CLI
  // Strings default to "" ({}: designated initialisers may leave any of them out).
  std::string staff_email{};
  std::string action{};  // staff_created, staff_enrolled, staff_login, lookup, sessions_ended, …
  int64_t account_id = 0;
  std::string customer_number{};
  std::string target{};  // what else the action was about (an address, a reference)
  std::string reason{};
  std::string client{};
};
void StaffAudit(Database& db, const StaffAuditEntry& entry);
// The customer number an entry about an account is filed under (its primary contract, else its first), so
// 「who looked at or changed customer X」 finds account actions too; "" when it holds none.
std::string AccountCustomerNumber(Database& db, int64_t account_id);
struct StaffAuditQuery {
  std::string staff_email;      // exact, any case
  std::string customer_number;  // any form a resident types (400 invalid_format otherwise)
  int64_t from = 0, to = 0;     // UTC seconds, [from, to); 0: open
  int limit = 100;              // 1..500
};
// Newest first.
std::vector<StaffAuditEntry> SearchStaffAudit(App& app, const StaffAuditQuery& query);

}  // namespace mizu::backend
