// Sign-up (M1–M5): e-mail address or mobile number → 6-digit code (mail or SMS) → sign-up token → details
// checked against the customer master.
#include "common.hpp"
#include "mizu/text.hpp"
#include "mizu/time.hpp"

namespace mizu::backend {

using namespace accounts;

namespace {

// email_taken / mobile_taken (409) when an account already has this login ID.
void RefuseTaken(Database& db, const LoginId& id) {
  auto taken = db.Prepare(std::string("SELECT 1 FROM accounts WHERE ") + id.Field() + " = ?");
  taken.Bind(1, id.value);
  if (!taken.Step()) return;
  ErrorCode code = id.mobile ? err::kMobileTaken : err::kEmailTaken;
  throw ServiceError(409, code, {{std::string(code), id.Field()}});
}

}  // namespace

CodeSent StartSignup(App& app, const std::string& email_input, const std::string& client_key, int64_t now) {
  std::string email = RequireLoginId(email_input, "email").value;
  auto by_client = app.signup_per_client.Allow("signup:ip:" + client_key, now);
  if (!by_client.allowed) throw ServiceError(429, err::kRateLimited, {}, by_client.retry_after_seconds);
  // No hint here whether the address has an account: that is answered only after the code proves the
  // mailbox belongs to the caller (VerifySignup).
  WriteDb(app, [&](Database&) { IssueCode(app, "signup", email, 0, Lang::kJa, now); });
  NotifyMail(app);
  return {kCodeResendSeconds, kCodeLifetimeSeconds};
}

std::string VerifySignup(App& app, const std::string& email_input, const std::string& code, int64_t now) {
  LoginId id = RequireLoginId(email_input, "email");
  const std::string& email = id.value;
  // Not WriteDb: ConsumeCode commits its own transaction (a wrong try stays counted) before the insert.
  WriterLock lock(app);
  ConsumeCode(app, "signup", email, NormalizeText(code), now);
  RefuseTaken(*app.db, id);
  std::string token = RandomToken();
  auto i = app.db->Prepare("INSERT INTO signup_tokens (token_hash, email, expires_at) VALUES (?, ?, ?)");
  i.Bind(1, HashSecret(token)).Bind(2, email).Bind(3, now + kSignupTokenSeconds).Run();
  return token;
}

SignupResult CompleteSignup(App& app, const SignupDetails& d, const std::string& client_key, int64_t now) {
  std::vector<FieldError> errors;
  auto field_error = [&](ErrorCode code, const char* field) { errors.push_back({std::string(code), field}); };
  const IdentityClaim claim = ReadIdentityClaim(app, d.customer_number, d.bureau_phone, errors);
  const std::string& cn = claim.customer_number;
  std::string applicant = PhoneField(d.applicant_phone, "applicant_phone", errors);
  if (!d.agree_terms) field_error(err::kTermsRequired, "agree_terms");
  if (auto e = ValidatePassword(d.password)) field_error(*e, "password");

  const std::string token_hash = HashSecret(d.signup_token);
  // The token's row, or signup_expired (expired, finished, or killed by wrong identity proofs).
  auto live_token = [&](Database& db) {
    auto t = db.Prepare("SELECT email FROM signup_tokens WHERE token_hash = ? AND expires_at > ?");
    t.Bind(1, token_hash).Bind(2, now);
    if (!t.Step()) throw ServiceError(400, err::kSignupExpired);
    return t.Text(0);
  };
  std::string email = ReadDb(app, live_token);
  if (errors.empty() && IsCommonPassword(d.password, {email}))
    field_error(err::kPasswordTooCommon, "password");
  if (!errors.empty()) throw ServiceError(400, errors.front().code, errors);

  IdentityProof proof(app, cn, "signup:" + email, client_key, now);  // 429 when locked
  std::string hash = HashPassword(d.password, app.password_hash);    // slow: outside the lock

  SignupResult result;
  bool mismatch = false;
  WriteDb(app, [&](Database& db) {
    // Again inside the transaction: parallel requests with one token are serialised here, so a token killed
    // by wrong proofs cannot be used by requests that were already under way.
    live_token(db);
    auto linked = proof.Check(db, claim);
    if (!linked) {  // counted on the token, committed; the token dies at kSignupTokenMaxMismatches
      db.Prepare("UPDATE signup_tokens SET mismatches = mismatches + 1 WHERE token_hash = ?")
          .Bind(1, token_hash)
          .Run();
      db.Prepare("DELETE FROM signup_tokens WHERE token_hash = ? AND mismatches >= ?")
          .Bind(1, token_hash)
          .Bind(2, int64_t{kSignupTokenMaxMismatches})
          .Run();
      mismatch = true;
      return;
    }
    if (*linked != 0)  // linked to another account: say so without saying whose (pattern 2)
      throw ServiceError(409, err::kContractUnavailable,
                         {{std::string(err::kContractUnavailable), "customer_number"}});
    const LoginId id{email, IsMobileId(email)};
    RefuseTaken(db, id);
    auto a = db.Prepare(std::string("INSERT INTO accounts (") + id.Field() +
                        ", password_hash, applicant_phone, lang, created_at) VALUES (?, ?, ?, 'ja', ?)");
    a.Bind(1, email).Bind(2, hash).Bind(3, applicant).Bind(4, now).Run();
    result.account_id = db.LastInsertId();
    result.customer_number = cn;
    result.visible_from = VisibleFrom(now);
    auto link = db.Prepare(
        "INSERT INTO contract_links (customer_number, account_id, relationship, consent, is_primary, "
        "linked_at, "
        "visible_from) VALUES (?, ?, 'self', 1, 1, ?, ?)");
    link.Bind(1, cn).Bind(2, result.account_id).Bind(3, now).Bind(4, result.visible_from).Run();
    db.Prepare("UPDATE customers SET paper_notice = 0 WHERE customer_number = ?").Bind(1, cn).Run();
    db.Prepare("DELETE FROM signup_tokens WHERE token_hash = ?").Bind(1, token_hash).Run();
    result.session = CreateSession(db, result.account_id, false, now);
    Audit(db, result.account_id, "signup", cn, now);
  });
  if (mismatch) IdentityProof::ThrowMismatch(claim);
  return result;
}

}  // namespace mizu::backend
