// Password reset (M7), e-mail and password changes and withdrawal (M8). Sessions die on reset, on password
// change (except the one making it) and on withdrawal.
#include "common.hpp"
#include "mizu/backend/push.hpp"
#include "mizu/format.hpp"
#include "mizu/text.hpp"

namespace mizu::backend {

using namespace accounts;

namespace {

struct AccountRow {
  std::string email, password_hash, lang, mobile;  // email or mobile may be empty (not both)
};

AccountRow LoadAccount(Database& db, int64_t account_id) {
  auto q = db.Prepare("SELECT email, password_hash, lang, mobile FROM accounts WHERE id = ?");
  q.Bind(1, account_id);
  if (!q.Step()) throw ServiceError(401, err::kUnauthorized);
  return {q.Text(0), q.Text(1), q.Text(2), q.Text(3)};
}

Lang LangOf(const AccountRow& a) {
  return ParseLang(a.lang);
}

}  // namespace

void StartPasswordReset(App& app, const std::string& email_input, const std::string& client_key,
                        int64_t now) {
  // Same status, body and work whether or not the address is registered: the same statements run in the same
  // order — a code is generated, stored (for an unknown address bound to no account, so it can never reset
  // anything) and its message rendered and enqueued — and only at the end is an unknown address's message
  // taken back out of the outbox, inside the same transaction, so it is never sent.
  LoginId login_id = RequireLoginId(email_input, "email");
  const std::string& email = login_id.value;
  auto by_client = app.reset_per_client.Allow("reset:ip:" + client_key, now);
  if (!by_client.allowed) throw ServiceError(429, err::kRateLimited, {}, by_client.retry_after_seconds);
  WriteDb(app, [&](Database& db) {
    auto q = db.Prepare(std::string("SELECT id, lang FROM accounts WHERE ") + login_id.Field() + " = ?");
    q.Bind(1, email);
    const bool registered = q.Step();
    const int64_t id = registered ? q.Int(0) : 0;
    const Lang lang = registered ? ParseLang(q.Text(1)) : Lang::kJa;
    q.Reset();
    try {
      IssuedCode issued = IssueCode(app, "reset", email, id, lang, now);
      db.Prepare("DELETE FROM mail_outbox WHERE id = ?")
          .Bind(1, registered ? int64_t{0} : issued.message_id)
          .Run();
    } catch (const ServiceError&) {
      // Within the resend interval or past the per-address limit: ignore silently (the same answer as
      // success; a 429 here would tell which addresses are active).
    }
    Audit(db, id, "reset_start", "", now);
  });
  NotifyMail(app);  // for both: the relay finds nothing to send for an unknown address
}

void CompletePasswordReset(App& app, const std::string& email_input, const std::string& code,
                           const std::string& new_password, int64_t now) {
  std::string email = RequireLoginId(email_input, "email").value;
  RequireGoodPassword(new_password, email, "new_password");
  std::string hash = HashPassword(new_password, app.password_hash);
  {
    // Not WriteDb: ConsumeCode commits its own transaction (a wrong try stays counted) before this one.
    WriterLock lock(app);
    auto& db = *app.db;
    VerifiedCode v = ConsumeCode(app, "reset", email, NormalizeText(code), now);
    // A code stored for an unregistered address (StartPasswordReset) resets nothing: the same answer as a
    // wrong code.
    if (v.account_id == 0)
      throw ServiceError(400, err::kCodeInvalid, {{std::string(err::kCodeInvalid), "code"}});
    db.Transaction([&] {
      AccountRow a = LoadAccount(db, v.account_id);
      db.Prepare("UPDATE accounts SET password_hash = ? WHERE id = ?")
          .Bind(1, hash)
          .Bind(2, v.account_id)
          .Run();
      EndSessions(db, v.account_id);
      EndPushDevices(db, v.account_id, now, "password reset");  // whoever had the account keeps no device
      NoticeToAccount(app, db, LangOf(a), a.email, a.mobile, "password_changed",
                      {{"when", FormatDateTime(LangOf(a), now)}}, now);
      Audit(db, v.account_id, "password_reset", "", now);
    });
  }
  NotifyMail(app);
}

CodeSent StartEmailChange(App& app, int64_t account_id, const std::string& new_email_input, int64_t now) {
  std::string email = RequireEmail(new_email_input, "new_email");
  {
    // Not WriteDb: the check reads outside IssueCode's transaction, under the same hold.
    WriterLock lock(app);
    auto& db = *app.db;
    AccountRow a = LoadAccount(db, account_id);
    if (NormalizeEmail(a.email) == email)
      throw ServiceError(400, err::kSameEmail, {{std::string(err::kSameEmail), "new_email"}});
    db.Transaction([&] { IssueCode(app, "email_change", email, account_id, LangOf(a), now); });
  }
  NotifyMail(app);
  return {kCodeResendSeconds, kCodeLifetimeSeconds};
}

void CompleteEmailChange(App& app, int64_t account_id, const std::string& code, int64_t now) {
  {
    // Not WriteDb: ConsumeCode commits its own transaction (a wrong try stays counted) before this one.
    WriterLock lock(app);
    auto& db = *app.db;
    auto q = db.Prepare(
        "SELECT email FROM codes WHERE purpose = 'email_change' AND account_id = ? AND state = 'live' "
        "ORDER BY created_at DESC, id DESC LIMIT 1");
    q.Bind(1, account_id);
    if (!q.Step()) throw ServiceError(400, err::kCodeInvalid, {{std::string(err::kCodeInvalid), "code"}});
    std::string new_email = q.Text(0);
    q.Reset();
    ConsumeCode(app, "email_change", new_email, NormalizeText(code), now);
    db.Transaction([&] {
      AccountRow a = LoadAccount(db, account_id);
      auto taken = db.Prepare("SELECT 1 FROM accounts WHERE email = ? AND id != ?");
      taken.Bind(1, new_email).Bind(2, account_id);
      if (taken.Step())
        throw ServiceError(409, err::kEmailTaken, {{std::string(err::kEmailTaken), "new_email"}});
      db.Prepare("UPDATE accounts SET email = ? WHERE id = ?").Bind(1, new_email).Bind(2, account_id).Run();
      // The notice goes to the OLD address (an account without one: its mobile number), so a hijacked session
      // cannot move the account silently.
      NoticeToAccount(app, db, LangOf(a), a.email, a.mobile, "email_changed",
                      {{"when", FormatDateTime(LangOf(a), now)}, {"new_email", new_email}}, now);
      Audit(db, account_id, "email_change", "", now);
    });
  }
  NotifyMail(app);
}

void ChangePassword(App& app, int64_t account_id, const std::string& current_session_token,
                    const std::string& current_password, const std::string& new_password, int64_t now) {
  AccountRow a = ReadDb(app, [&](Database& db) { return LoadAccount(db, account_id); });
  if (!VerifyPassword(current_password, a.password_hash))
    throw ServiceError(400, err::kPasswordIncorrect,
                       {{std::string(err::kPasswordIncorrect), "current_password"}});
  RequireGoodPassword(new_password, a.email.empty() ? a.mobile : a.email, "new_password");
  std::string hash = HashPassword(new_password, app.password_hash);
  WriteDb(app, [&](Database& db) {
    db.Prepare("UPDATE accounts SET password_hash = ? WHERE id = ?").Bind(1, hash).Bind(2, account_id).Run();
    EndSessions(db, account_id, HashSecret(current_session_token));
    NoticeToAccount(app, db, LangOf(a), a.email, a.mobile, "password_changed",
                    {{"when", FormatDateTime(LangOf(a), now)}}, now);
    Audit(db, account_id, "password_change", "", now);
  });
  NotifyMail(app);
}

void Withdraw(App& app, int64_t account_id, const std::string& password, int64_t now) {
  AccountRow a = ReadDb(app, [&](Database& db) { return LoadAccount(db, account_id); });
  if (!VerifyPassword(password, a.password_hash))
    throw ServiceError(400, err::kPasswordIncorrect, {{std::string(err::kPasswordIncorrect), "password"}});
  WithdrawAccount(app, account_id, "", now);
}

void WithdrawAccount(App& app, int64_t account_id, const std::string& audit_detail, int64_t now) {
  AccountRow a = ReadDb(app, [&](Database& db) { return LoadAccount(db, account_id); });
  WriteDb(app, [&](Database& db) {
    // Paper notices resume for every linked contract; links, sessions and codes go with the account
    // (ON DELETE CASCADE), so the address and the contracts can be registered again.
    db.Prepare(
          "UPDATE customers SET paper_notice = 1 WHERE customer_number IN "
          "(SELECT customer_number FROM contract_links WHERE account_id = ?)")
        .Bind(1, account_id)
        .Run();
    db.Prepare("DELETE FROM accounts WHERE id = ?").Bind(1, account_id).Run();
    NoticeToAccount(app, db, LangOf(a), a.email, a.mobile, "withdrawn",
                    {{"when", FormatDateTime(LangOf(a), now)}}, now);
    Audit(db, account_id, "withdraw", audit_detail, now);
  });
  NotifyMail(app);
}

}  // namespace mizu::backend
