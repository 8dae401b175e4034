#pragma once
// Accounts, identity and sessions (M1–M9, M15): sign-up with codes, login, sessions, password reset, account
// changes, withdrawal and the contracts linked to an account. Every function takes the App (its own lock on
// the database) and `now`; failures are ServiceError with the HTTP status and a stable code, so the HTTP
// handlers stay thin. Outgoing mail is written to the outbox in the same transaction as the change.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "mizu/backend/app.hpp"
#include "mizu/errors.hpp"

namespace mizu::backend {

class ServiceError : public std::runtime_error {
 public:
  ServiceError(int status, ErrorCode code, std::vector<FieldError> fields = {}, int64_t retry_after = 0);
  int status;
  std::string code;
  std::vector<FieldError> fields;
  int64_t retry_after = 0;  // seconds, for 429
};

// ---- Sessions ----
inline constexpr int64_t kSessionIdleSeconds = 30 * 60;
inline constexpr int64_t kSessionAbsoluteSeconds = 12 * 3600;
inline constexpr int64_t kRememberSeconds = 30 * 24 * 3600;
inline constexpr int64_t kRememberRotateSeconds = 24 * 3600;
// After a remembered session's token is rotated, the replaced token still works this long (parallel requests
// that carried it get the same successor); presented later, it is taken as stolen: the whole family ends.
inline constexpr int64_t kRotationGraceSeconds = 60;

struct NewSession {
  std::string token;      // the cookie value (only the hash is stored)
  bool remember = false;  // persistent cookie (Max-Age) vs browser-session cookie
  int64_t max_age = 0;    // seconds, for a remembered session's cookie
};

struct SessionInfo {
  int64_t account_id = 0;
  std::string email;  // empty for an account that logs in with a mobile number only
  std::string lang;
  std::optional<NewSession>
      rotated;           // set when a remembered session's token was rotated: send the new cookie
  std::string mobile;    // 11 digits, or empty
  int64_t kiosk_id = 0;  // the counter kiosk the session was begun on (kiosk.hpp); 0: a browser session
};

// Checks a cookie token: unknown, idle-expired or past its absolute end → nullopt (and the row is removed).
// A remembered token older than kRememberRotateSeconds is rotated: `rotated` holds its successor. A replaced
// token still authenticates for kRotationGraceSeconds, answering the same successor (never a second one);
// after that its use ends every session of its family (audit event "session_reuse") → nullopt.
// `kiosk_id` is the terminal the request comes from (0: none): a kiosk session is valid only from its own
// terminal, a browser session only outside any kiosk. A kiosk session ends after config.kiosk.idle_seconds
// without a request and at its hard limit (BindSessionToKiosk).
std::optional<SessionInfo> Authenticate(App& app, const std::string& token, int64_t now,
                                        int64_t kiosk_id = 0);
// `email` is the login ID: an e-mail address or a mobile number (full-width digits and hyphens accepted).
NewSession Login(App& app, const std::string& email, const std::string& password, bool remember,
                 const std::string& client_key, int64_t now);
// Ends the token's session family (the token, its predecessors in their grace period and its successor).
void Logout(App& app, const std::string& token);

// ---- Sign-up (M1–M5) ----
// Every `email` parameter of sign-up and password reset is a login ID: an e-mail address, or a Japanese
// mobile number (070/080/090, full-width digits and hyphens accepted) — then the code goes by SMS (sms.hpp),
// the account's ID is that number, and "taken" is mobile_taken.
struct CodeSent {
  int64_t resend_after = 0;  // seconds until a new code may be asked for
  int64_t expires_in = 0;
};
CodeSent StartSignup(App& app, const std::string& email, const std::string& client_key, int64_t now);
// Returns the sign-up token. email_taken / mobile_taken (409) only after the code proved the mailbox (phone)
// is the caller's.
std::string VerifySignup(App& app, const std::string& email, const std::string& code, int64_t now);

struct SignupDetails {
  std::string signup_token, password, customer_number, bureau_phone, applicant_phone;
  bool agree_terms = false;
};
struct SignupResult {
  int64_t account_id = 0;
  NewSession session;
  std::string customer_number;
  int64_t visible_from = 0;
};
// The customer number and bureau phone are an IdentityProof (limited per customer number, per sign-up address
// and per client: 429 rate_limited + Retry-After); the sign-up token dies after kSignupTokenMaxMismatches (3)
// identity_mismatch answers (then signup_expired).
SignupResult CompleteSignup(App& app, const SignupDetails& details, const std::string& client_key,
                            int64_t now);

// ---- Password reset (M7): start answers the same whether or not the address is registered ----
void StartPasswordReset(App& app, const std::string& email, const std::string& client_key, int64_t now);
void CompletePasswordReset(App& app, const std::string& email, const std::string& code,
                           const std::string& new_password, int64_t now);

// ---- Account changes (M8) ----
CodeSent StartEmailChange(App& app, int64_t account_id, const std::string& new_email, int64_t now);
void CompleteEmailChange(App& app, int64_t account_id, const std::string& code, int64_t now);
// Ends every other session of the account.
void ChangePassword(App& app, int64_t account_id, const std::string& current_session_token,
                    const std::string& current_password, const std::string& new_password, int64_t now);
void Withdraw(App& app, int64_t account_id, const std::string& password, int64_t now);
// 退会 without the password, for the bureau's staff acting on the customer's request (StaffWithdraw): the
// same effects; `audit_detail` names the staff action in the resident's own audit entry. 404 not_found.
void WithdrawAccount(App& app, int64_t account_id, const std::string& audit_detail, int64_t now);

// ---- Codes on the bureau staff's behalf (staff.hpp: StaffResendCode, StaffSendPasswordReset) ----
// Both run inside the caller's WriteDb, so the staff audit entry lands in the same transaction.
struct ReissuedCode {
  std::string purpose;  // signup | reset | email_change
  int64_t account_id = 0;
  int64_t message_id = 0;  // the new message's outbox row
};
// "The code did not arrive": a fresh code for the newest code sent to `login_id` (an e-mail address or a
// mobile number, any form) in the last 24 hours that was not used — the same purpose, language and channel.
// The old code and its unsent message die. The resident's own limits hold: 429 rate_limited (+ retry after)
// within the resend interval or past the per-address limit. 404 not_found when there is no such code, or it
// was a reset code for an unregistered ID (those are never sent).
ReissuedCode ReissueCode(App& app, const std::string& login_id, int64_t now);
// A password-reset code for the account, to its login ID, in its language, in the mail that says it was asked
// for at the counter (mail.staff_reset_code / sms.staff_reset_code). The resident completes the reset on the
// 「パスワードをお忘れの方」 screen; staff never see or set a password. 404 not_found; 429 as above.
ReissuedCode IssueResetCodeForAccount(App& app, int64_t account_id, int64_t now);

// ---- Contracts (M15) ----
inline constexpr int kMaxContractsPerAccount = 20;
struct ContractView {
  std::string customer_number;  // digits
  std::string display_number;   // formatted, e.g. 0-0000008002
  std::string holder_name;
  std::string address;
  std::string relationship;  // self | family | other
  bool primary = false;
  bool smart_meter = false;
  int diameter_mm = 0;
  int64_t linked_at = 0;
  int64_t visible_from = 0;
};
// Primary first, then by link time.
std::vector<ContractView> ListContracts(App& app, int64_t account_id);
struct AddContractRequest {
  std::string customer_number, bureau_phone, name_kana, relationship;
  bool consent = false;
};
// The customer number, bureau phone and holder kana must match the customer master (an IdentityProof: wrong
// proofs are limited per customer number, per account and per client; 429 rate_limited + Retry-After).
ContractView AddContract(App& app, int64_t account_id, const AddContractRequest& request,
                         const std::string& client_key, int64_t now);
void RemoveContract(App& app, int64_t account_id, const std::string& customer_number, int64_t now);
void SetPrimaryContract(App& app, int64_t account_id, const std::string& customer_number, int64_t now);
// The caller's link to the contract or ServiceError 404 (never reveals whether it exists for someone else).
ContractView RequireOwnContract(App& app, int64_t account_id, const std::string& customer_number_input);

}  // namespace mizu::backend
