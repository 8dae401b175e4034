#include "common.hpp"

#include "mizu/text.hpp"
#include "mizu/time.hpp"

namespace mizu::backend::accounts {

std::string RequireEmail(const std::string& input, const char* field) {
  std::string email = NormalizeEmail(input);
  if (email.empty()) throw ServiceError(400, err::kRequired, {{std::string(err::kRequired), field}});
  if (auto e = ValidateEmail(email)) throw ServiceError(400, *e, {{std::string(*e), field}});
  return email;
}

LoginId RequireLoginId(const std::string& input, const char* field) {
  LoginId id;
  if (auto e = CheckLoginId(input, id)) throw ServiceError(400, *e, {{std::string(*e), field}});
  return id;
}

std::string CustomerNumberField(const App& app, const std::string& input, const char* field,
                                std::vector<FieldError>& errors) {
  FieldCheck c = CheckCustomerNumberField(input, &app.config.utility.customer_number);
  if (c.error) errors.push_back({std::string(*c.error), field});
  return c.value;
}

std::string PhoneField(const std::string& input, const char* field, std::vector<FieldError>& errors) {
  FieldCheck c = CheckPhoneField(input);
  if (c.error) errors.push_back({std::string(*c.error), field});
  return c.value;
}

void RequireGoodPassword(const std::string& password, const std::string& email, const char* field) {
  if (auto e = ValidatePassword(password)) throw ServiceError(400, *e, {{std::string(*e), field}});
  if (IsCommonPassword(password, {email}))
    throw ServiceError(400, err::kPasswordTooCommon, {{std::string(err::kPasswordTooCommon), field}});
}

IssuedCode IssueCode(App& app, const std::string& purpose, const std::string& email, int64_t account_id,
                     Lang lang, int64_t now, const char* message) {
  auto& db = *app.db;
  auto last = db.Prepare("SELECT MAX(created_at) FROM codes WHERE purpose = ? AND email = ?");
  last.Bind(1, purpose).Bind(2, email);
  if (last.Step() && !last.IsNull(0) && now - last.Int(0) < kCodeResendSeconds)
    throw ServiceError(429, err::kRateLimited, {}, kCodeResendSeconds - (now - last.Int(0)));
  // Codes sent to one address in an hour (a resident's or a clerk's resend alike): counted only here, for a
  // code that is really sent — asking again within the resend interval above uses up nothing.
  auto by_address = app.codes_per_address.Allow((purpose == "reset" ? "reset:" : "code:") + email, now);
  if (!by_address.allowed) throw ServiceError(429, err::kRateLimited, {}, by_address.retry_after_seconds);
  auto supersede =
      db.Prepare("UPDATE codes SET state = 'superseded' WHERE purpose = ? AND email = ? AND state = 'live'");
  supersede.Bind(1, purpose).Bind(2, email).Run();
  std::string name = message               ? message
                     : purpose == "signup" ? "signup_code"
                     : purpose == "reset"  ? "reset_code"
                                           : "email_code";
  // The older codes' messages not yet sent die with them: a retry must not deliver a dead code after the
  // new one (staff see them as failed, "superseded").
  db.Prepare(
        "UPDATE mail_outbox SET status = 'failed', last_error = 'superseded by a newer code', "
        "next_attempt_at = ?1 WHERE to_addr = ?2 COLLATE NOCASE AND kind IN ('signup_code', 'reset_code', "
        "'email_code', "
        "'staff_reset_code') AND status = 'pending'")
      .Bind(1, now)
      .Bind(2, email)
      .Run();
  std::string code = SixDigitCode();
  auto insert = db.Prepare(
      "INSERT INTO codes (purpose, email, account_id, code_hash, created_at, expires_at) VALUES (?, ?, ?, ?, "
      "?, ?)");
  insert.Bind(1, purpose).Bind(2, email);
  if (account_id)
    insert.Bind(3, account_id);
  else
    insert.BindNull(3);
  insert.Bind(4, HashCode(app.code_key, purpose + ":" + email, code))
      .Bind(5, now)
      .Bind(6, now + kCodeLifetimeSeconds);
  insert.Run();
  int64_t message_id = IsMobileId(email)
                           ? EnqueueSms(db, CatalogSms(app, lang, "sms." + name, email, {{"code", code}}),
                                        now, now + kCodeLifetimeSeconds)
                           : EnqueueMail(db, CatalogMail(app, lang, "mail." + name, email, {{"code", code}}),
                                         now, now + kCodeLifetimeSeconds);
  return {code, message_id};
}

VerifiedCode ConsumeCode(App& app, const std::string& purpose, const std::string& email,
                         const std::string& code, int64_t now) {
  auto& db = *app.db;
  std::string digits;
  for (char c : code)
    if (c >= '0' && c <= '9') digits += c;  // "123 456" is fine; full-width input is normalised by the caller
  ErrorCode failure{};
  VerifiedCode result;
  // Own transaction: a wrong try must be counted even though the request then fails.
  db.Transaction([&] {
    auto find = db.Prepare(
        "SELECT id, COALESCE(account_id, 0), code_hash, expires_at, attempts, state FROM codes "
        "WHERE purpose = ? AND email = ? ORDER BY created_at DESC, id DESC LIMIT 1");
    find.Bind(1, purpose).Bind(2, email);
    if (!find.Step() || find.Text(5) == "used" || find.Text(5) == "superseded") {
      failure = err::kCodeInvalid;
      return;
    }
    int64_t id = find.Int(0), attempts = find.Int(4), expires_at = find.Int(3);
    result = {id, find.Int(1)};
    std::string hash = find.Text(2), state = find.Text(5);
    find.Reset();
    if (state == "dead" || attempts >= kCodeMaxAttempts) {
      failure = err::kCodeLocked;
    } else if (now >= expires_at) {
      failure = err::kCodeExpired;
    } else if (!ConstantTimeEquals(HashCode(app.code_key, purpose + ":" + email, digits), hash)) {
      bool dies = attempts + 1 >= kCodeMaxAttempts;
      auto bump = db.Prepare("UPDATE codes SET attempts = attempts + 1, state = ? WHERE id = ?");
      bump.Bind(1, std::string(dies ? "dead" : "live")).Bind(2, id).Run();
      failure = dies ? err::kCodeLocked : err::kCodeInvalid;
    } else {
      db.Prepare("UPDATE codes SET state = 'used' WHERE id = ?").Bind(1, id).Run();
    }
  });
  if (!failure.empty()) throw ServiceError(400, failure, {{std::string(failure), "code"}});
  return result;
}

NewSession CreateSession(Database& db, int64_t account_id, bool remember, int64_t now) {
  std::string token = RandomToken();
  return InsertSession(db, token, account_id, remember, HashSecret(token), now);
}

NewSession InsertSession(Database& db, const std::string& token, int64_t account_id, bool remember,
                         const std::string& family, int64_t now) {
  NewSession s{token, remember, remember ? kRememberSeconds : 0};
  int64_t expires = now + (remember ? kRememberSeconds : kSessionAbsoluteSeconds);
  auto insert = db.Prepare(
      "INSERT INTO sessions (token_hash, account_id, remember, created_at, last_seen_at, expires_at, family) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  insert.Bind(1, HashSecret(s.token))
      .Bind(2, account_id)
      .Bind(3, int64_t{remember})
      .Bind(4, now)
      .Bind(5, now);
  insert.Bind(6, expires).Bind(7, family).Run();
  return s;
}

void EndSessions(Database& db, int64_t account_id, const std::string& except_token_hash) {
  auto del = db.Prepare("DELETE FROM sessions WHERE account_id = ? AND token_hash != ?");
  del.Bind(1, account_id).Bind(2, except_token_hash).Run();
}

}  // namespace mizu::backend::accounts
