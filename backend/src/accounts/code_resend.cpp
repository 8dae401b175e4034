// Codes sent again on the bureau staff's behalf (accounts.hpp): the counter's answer to 「コードが届かない」
// and a password-reset mail for a resident who cannot ask for one themselves. The resident's own rules apply:
// a new code kills the old one, and the resend interval and the per-address limit hold.
#include "common.hpp"
#include "mizu/text.hpp"

namespace mizu::backend {

using namespace accounts;

namespace {

constexpr int64_t kReissueWindowSeconds = 24 * 3600;

Lang AccountLang(Database& db, int64_t account_id) {
  auto q = db.Prepare("SELECT lang FROM accounts WHERE id = ?");
  q.Bind(1, account_id);
  return q.Step() ? ParseLang(q.Text(0)) : Lang::kJa;
}

}  // namespace

ReissuedCode ReissueCode(App& app, const std::string& login_id_input, int64_t now) {
  LoginId id;
  if (CheckLoginId(login_id_input, id)) throw ServiceError(404, err::kNotFound);
  auto& db = *app.db;
  auto q = db.Prepare(
      "SELECT purpose, COALESCE(account_id, 0), state, email FROM codes WHERE purpose IN ('signup', 'reset', "
      "'email_change') "
      "AND email = ?1 AND created_at >= ?2 ORDER BY created_at DESC, id DESC LIMIT 1");
  q.Bind(1, id.value).Bind(2, now - kReissueWindowSeconds);
  // The newest code only: once it was used (the sign-up went on), there is nothing to resend.
  if (!q.Step() || q.Text(2) == "used") throw ServiceError(404, err::kNotFound);
  ReissuedCode r{q.Text(0), q.Int(1), 0};
  // The address as the resident gave it (codes are bound to it, case and all), not as staff typed it.
  const std::string login_id = q.Text(3);
  q.Reset();
  // A reset code for an ID with no account was never sent (StartPasswordReset): nothing to send again.
  if (r.purpose == "reset" && r.account_id == 0) throw ServiceError(404, err::kNotFound);
  // Sign-up codes go out in Japanese (the account does not exist yet); the others in the account's language.
  const Lang lang = r.account_id ? AccountLang(db, r.account_id) : Lang::kJa;
  // The same words as the code it replaces: a reset the counter started says so again.
  auto last = db.Prepare(
      "SELECT kind FROM mail_outbox WHERE to_addr = ?1 COLLATE NOCASE AND kind IN ('reset_code', "
      "'staff_reset_code') ORDER BY created_at DESC, id DESC LIMIT 1");
  last.Bind(1, login_id);
  const char* message = r.purpose == "reset" && last.Step() && last.Text(0) == "staff_reset_code"
                            ? "staff_reset_code"
                            : nullptr;
  last.Reset();
  r.message_id = IssueCode(app, r.purpose, login_id, r.account_id, lang, now, message).message_id;
  return r;
}

ReissuedCode IssueResetCodeForAccount(App& app, int64_t account_id, int64_t now) {
  auto& db = *app.db;
  auto q = db.Prepare("SELECT COALESCE(email, mobile), lang FROM accounts WHERE id = ?");
  q.Bind(1, account_id);
  if (!q.Step()) throw ServiceError(404, err::kNotFound);
  const std::string login_id = q.Text(0);
  const Lang lang = ParseLang(q.Text(1));
  q.Reset();
  const IssuedCode issued = IssueCode(app, "reset", login_id, account_id, lang, now, "staff_reset_code");
  return {"reset", account_id, issued.message_id};
}

}  // namespace mizu::backend
