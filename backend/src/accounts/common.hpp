#pragma once
// Internal helpers shared by the accounts files: normalised input, codes, sessions, mail texts.
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "mizu/backend/accounts.hpp"
#include "mizu/backend/mail.hpp"
#include "mizu/i18n.hpp"

namespace mizu::backend::accounts {

inline constexpr int64_t kCodeLifetimeSeconds = 10 * 60;
inline constexpr int64_t kCodeResendSeconds = 60;
inline constexpr int kCodeMaxAttempts = 5;
inline constexpr int64_t kSignupTokenSeconds = 30 * 60;

using Lock = std::lock_guard<std::mutex>;

// Normalised, validated e-mail; ServiceError 400 with the field otherwise.
std::string RequireEmail(const std::string& input, const char* field);
// A form's customer number / Japanese phone, normalised (full-width, hyphens); on a bad or empty value,
// appends {required | customer_number_invalid | phone_invalid, field} to errors and returns "".
std::string CustomerNumberField(const App& app, const std::string& input, const char* field,
                                std::vector<FieldError>& errors);
std::string PhoneField(const std::string& input, const char* field, std::vector<FieldError>& errors);
// Length policy + common-password check; ServiceError 400 on `field`.
void RequireGoodPassword(const std::string& password, const std::string& email, const char* field);

// Issues a new code (older live codes for the same purpose and address stop working) and enqueues its mail.
// Call inside a transaction. Refuses (429) when the previous code is younger than the resend interval.
std::string IssueCode(App& app, const std::string& purpose, const std::string& email, int64_t account_id,
                      Lang lang, int64_t now);
struct VerifiedCode {
  int64_t id = 0;
  int64_t account_id = 0;
};
// Checks code against the newest live code for (purpose, email); counts wrong tries (5 kill it).
// Throws code_invalid / code_expired / code_locked.
VerifiedCode ConsumeCode(App& app, const std::string& purpose, const std::string& email, const std::string& code,
                         int64_t now);

NewSession CreateSession(Database& db, int64_t account_id, bool remember, int64_t now);
void EndSessions(Database& db, int64_t account_id, const std::string& except_token_hash = "");

// A mail from the catalog: "<key>.subject" / "<key>.body" plus the footer, placeholders filled.
OutgoingMail CatalogMail(const App& app, Lang lang, const std::string& key, const std::string& to,
                         std::vector<std::pair<std::string, std::string>> args);
// "2026年11月22日 9:00" / "2026-11-22 09:00 JST".
std::string FormatWhen(Lang lang, int64_t utc);
void Audit(Database& db, int64_t account_id, const std::string& event, const std::string& detail, int64_t now);

}  // namespace mizu::backend::accounts
