#pragma once
// Internal helpers shared by the accounts files: normalised input, codes, sessions (catalog mails:
// catalog_messages.hpp, the audit log: audit_log.hpp).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mizu/backend/accounts.hpp"
#include "mizu/backend/audit_log.hpp"
#include "mizu/backend/catalog_messages.hpp"
#include "mizu/backend/mail.hpp"
#include "mizu/backend/sms.hpp"
#include "mizu/i18n.hpp"

namespace mizu::backend::accounts {

inline constexpr int64_t kCodeLifetimeSeconds = 10 * 60;
inline constexpr int64_t kCodeResendSeconds = 60;
inline constexpr int kCodeMaxAttempts = 5;
inline constexpr int64_t kSignupTokenSeconds = 30 * 60;
inline constexpr int kSignupTokenMaxMismatches = 3;  // a sign-up token dies at its 3rd identity_mismatch

// Normalised, validated e-mail; ServiceError 400 with the field otherwise.
std::string RequireEmail(const std::string& input, const char* field);

// The login ID rule (LoginId, ParseLoginId, IsMobileId: mizu/text.hpp), validated: CheckLoginId's error is a
// ServiceError 400 on `field`. Login itself uses ParseLoginId (every failure answers login_failed).
LoginId RequireLoginId(const std::string& input, const char* field);
// A form's customer number / Japanese phone, normalised (full-width, hyphens); on a bad or empty value,
// appends {required | customer_number_invalid | phone_invalid, field} to errors and returns "".
std::string CustomerNumberField(const App& app, const std::string& input, const char* field,
                                std::vector<FieldError>& errors);
std::string PhoneField(const std::string& input, const char* field, std::vector<FieldError>& errors);
// Length policy + common-password check; ServiceError 400 on `field`.
void RequireGoodPassword(const std::string& password, const std::string& email, const char* field);

// Issues a new code (older live codes for the same purpose and address stop working) and enqueues its mail,
// or its SMS when `email` is a mobile ID; the message expires with the code. Call inside a transaction.
// Refuses (429) when the previous code is younger than the resend interval, or when the address already had
// its codes for the hour (app.codes_per_address, counted here only for codes really issued). `message` names
// the catalog mail/SMS ("mail.<message>", "sms.<message>"); by default the purpose's own (signup_code,
// reset_code, email_code). Unsent messages of older codes to the address are marked failed ("superseded").
struct IssuedCode {
  std::string code;
  int64_t message_id = 0;  // the outbox row of its mail / SMS
};
IssuedCode IssueCode(App& app, const std::string& purpose, const std::string& email, int64_t account_id,
                     Lang lang, int64_t now, const char* message = nullptr);
struct VerifiedCode {
  int64_t id = 0;
  int64_t account_id = 0;
};
// Checks code against the newest live code for (purpose, email); counts wrong tries (5 kill it).
// Throws code_invalid / code_expired / code_locked.
VerifiedCode ConsumeCode(App& app, const std::string& purpose, const std::string& email,
                         const std::string& code, int64_t now);

// What the caller says proves a contract is theirs: the customer number with the bureau phone and, for
// 契約の追加, the holder's name in kana (normalised; compared without spaces).
struct IdentityClaim {
  std::string customer_number, bureau_phone;
  std::optional<std::string> name_kana;
};
// The customer number and bureau phone of a form, normalised (CustomerNumberField, PhoneField), their field
// errors appended to `errors` in that order; name_kana is left to the caller. Sign-up and 契約の追加 both
// read their claim here.
IdentityClaim ReadIdentityClaim(const App& app, const std::string& customer_number,
                                const std::string& bureau_phone, std::vector<FieldError>& errors);
// One identity proof. Every route that checks a customer number against the customer master goes through
// this: it is counted by app.identity_proofs per customer number, per account (or sign-up address) and per
// client BEFORE the check (so parallel guesses cannot overtake the limits), and the count is taken back when
// the proof is right or never checked. The constructor refuses with 429 rate_limited + Retry-After when a key
// is locked — the same answer whether or not the customer exists.
class IdentityProof {
 public:
  IdentityProof(App& app, const std::string& customer_number, std::string account_key, std::string client_key,
                int64_t now);
  ~IdentityProof();
  IdentityProof(const IdentityProof&) = delete;
  IdentityProof& operator=(const IdentityProof&) = delete;
  // Checks the claim against the customer master (an open, closed-excluded contract) with the same work
  // whether or not the number exists. Returns the account the contract is linked to (0: none) when it
  // matches; nullopt when it does not (the attempt then stays counted).
  std::optional<int64_t> Check(Database& db, const IdentityClaim& claim);
  // 400 identity_mismatch on the claim's fields — the same body whether or not the customer exists.
  [[noreturn]] static void ThrowMismatch(const IdentityClaim& claim);

 private:
  App& app_;
  IdentityProofLimiter::Keys keys_;
  int64_t reserved_at_;
  bool counted_ = false;  // a wrong proof: keep the reservation
};

// A new session (a new family: its first token, from the CSPRNG).
NewSession CreateSession(Database& db, int64_t account_id, bool remember, int64_t now);
// Stores a session for `token` (only its hash) in `family` (the hash of the family's first token).
NewSession InsertSession(Database& db, const std::string& token, int64_t account_id, bool remember,
                         const std::string& family, int64_t now);
void EndSessions(Database& db, int64_t account_id, const std::string& except_token_hash = "");

}  // namespace mizu::backend::accounts
