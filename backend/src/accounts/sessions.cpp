// Login, logout and session checks. Browser sessions: 30 min idle, 12 h absolute; remembered devices: a
// rotating token valid 30 days from its last rotation.
#include "common.hpp"

namespace mizu::backend {

ServiceError::ServiceError(int s, ErrorCode c, std::vector<FieldError> f, int64_t retry)
    : std::runtime_error(std::string(c)), status(s), code(c), fields(std::move(f)), retry_after(retry) {}

using namespace accounts;

namespace {
// The token that replaces `token` when it is rotated: HMAC-SHA-256 under the server key (secret.key, never in
// the database) of the token, as base64url. Deterministic, so every request that carries the replaced token
// during the grace period gets the same successor, while the database keeps hashes only. As unguessable as
// the CSPRNG token it derives from: computing it needs both the token and the server key.
std::string SuccessorToken(const App& app, const std::string& token) {
  std::string hex = HmacSha256Hex(app.code_key, "session-successor\n" + token);
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return Base64Encode(bytes, true);
}

// A token that was rotated at `rotated_at`: within the grace period, the session with the same successor;
// later, a replayed (stolen) token: the whole family ends. The caller holds db_mutex.
std::optional<SessionInfo> Replaced(App& app, SessionInfo info, const std::string& token,
                                    const std::string& family, const std::string& successor_hash,
                                    int64_t rotated_at, int64_t now) {
  auto& db = *app.db;
  if (now - rotated_at <= kRotationGraceSeconds) {
    std::string successor = SuccessorToken(app, token);
    if (!ConstantTimeEquals(HashSecret(successor), successor_hash)) return std::nullopt;
    auto q = db.Prepare("SELECT expires_at FROM sessions WHERE token_hash = ?");
    q.Bind(1, successor_hash);
    if (!q.Step()) return std::nullopt;  // the successor has ended
    info.rotated = NewSession{successor, true, std::max<int64_t>(q.Int(0) - now, 0)};
    return info;
  }
  db.Transaction([&] {
    db.Prepare("DELETE FROM sessions WHERE family = ?").Bind(1, family).Run();
    Audit(db, info.account_id, "session_reuse", "rotated token used after the grace period", now);
  });
  return std::nullopt;
}

}  // namespace

std::optional<SessionInfo> Authenticate(App& app, const std::string& token, int64_t now, int64_t kiosk_id) {
  if (token.empty() || token.size() > 128) return std::nullopt;
  std::string hash = HashSecret(token);
  // Most checks change nothing: a reader answers them beside the writer. Only when the check has something to
  // write (expiry, rotation, a replayed token, last seen) does it go on below, where the read and the write
  // it decides on happen under one hold of db_mutex (the row read again there).
  enum class Quick { kRefused, kValid, kMustWrite };
  SessionInfo quick_info;
  const Quick quick = ReadDb(app, [&](Database& db) {
    auto s = db.Prepare(
        "SELECT s.account_id, s.remember, s.created_at, s.last_seen_at, s.expires_at, a.email, a.lang, "
        "a.mobile, s.rotated_at IS NOT NULL, COALESCE(s.kiosk_id, 0) "
        "FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = ?");
    s.Bind(1, hash);
    if (!s.Step()) return Quick::kRefused;
    quick_info = SessionInfo{s.Int(0), s.Text(5), s.Text(6), std::nullopt, s.Text(7), s.Int(9)};
    if (quick_info.kiosk_id != kiosk_id) return Quick::kRefused;
    bool remember = s.Int(1) != 0;
    int64_t created = s.Int(2), last_seen = s.Int(3), expires = s.Int(4);
    int64_t idle_limit = quick_info.kiosk_id ? app.config.kiosk.idle_seconds : kSessionIdleSeconds;
    bool ends = now >= expires || (!remember && now - last_seen > idle_limit);
    bool rotates = s.Int(8) != 0 || (remember && now - created >= kRememberRotateSeconds);
    bool touches = now - last_seen >= (quick_info.kiosk_id ? 1 : 60);
    return ends || rotates || touches ? Quick::kMustWrite : Quick::kValid;
  });
  if (quick == Quick::kRefused) return std::nullopt;
  if (quick == Quick::kValid) return quick_info;
  WriterLock lock(app);
  auto& db = *app.db;
  auto s = db.Prepare(
      "SELECT s.account_id, s.remember, s.created_at, s.last_seen_at, s.expires_at, a.email, a.lang, "
      "a.mobile, "
      "s.family, s.rotated_at, COALESCE(s.successor_hash, ''), COALESCE(s.kiosk_id, 0) "
      "FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = ?");
  s.Bind(1, hash);
  if (!s.Step()) return std::nullopt;
  SessionInfo info{s.Int(0), s.Text(5), s.Text(6), std::nullopt, s.Text(7)};
  bool remember = s.Int(1) != 0;
  int64_t created = s.Int(2), last_seen = s.Int(3), expires = s.Int(4);
  std::string family = s.Text(8), successor_hash = s.Text(10);
  std::optional<int64_t> rotated_at;
  if (!s.IsNull(9)) rotated_at = s.Int(9);
  info.kiosk_id = s.Int(11);
  s.Reset();
  if (info.kiosk_id != kiosk_id)
    return std::nullopt;  // a kiosk's cookie elsewhere, or a browser's at a kiosk
  int64_t idle_limit = info.kiosk_id ? app.config.kiosk.idle_seconds : kSessionIdleSeconds;
  bool idle = !remember && now - last_seen > idle_limit;
  if (now >= expires || idle) {
    db.Prepare("DELETE FROM sessions WHERE token_hash = ?").Bind(1, hash).Run();
    return std::nullopt;
  }
  if (rotated_at) return Replaced(app, std::move(info), token, family, successor_hash, *rotated_at, now);
  if (remember && now - created >= kRememberRotateSeconds) {
    std::string successor = SuccessorToken(app, token);
    db.Transaction([&] {
      db.Prepare("UPDATE sessions SET rotated_at = ?, successor_hash = ? WHERE token_hash = ?")
          .Bind(1, now)
          .Bind(2, HashSecret(successor))
          .Bind(3, hash)
          .Run();
      info.rotated = InsertSession(db, successor, info.account_id, true, family, now);
    });
  } else if (now - last_seen >= (info.kiosk_id ? 1 : 60)) {  // a browser's: at most once a minute
    db.Prepare("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?").Bind(1, now).Bind(2, hash).Run();
  }
  return info;
}

NewSession Login(App& app, const std::string& email_input, const std::string& password, bool remember,
                 const std::string& client_key, int64_t now) {
  LoginId id = ParseLoginId(email_input);  // an e-mail address or a mobile number
  const std::string& email = id.value;
  std::string account_key = "login:acct:" + email;
  std::string client = "login:ip:" + client_key;
  // Counted before the (slow, concurrent) password check: parallel guesses cannot overtake the throttle.
  auto decision = app.login_throttle.Reserve(account_key, client, now);
  if (!decision.allowed) throw ServiceError(429, err::kRateLimited, {}, decision.retry_after_seconds);
  int64_t account_id = 0;
  std::string stored;
  ReadDb(app, [&](Database& db) {
    auto q = db.Prepare(std::string("SELECT id, password_hash FROM accounts WHERE ") + id.Field() + " = ?");
    q.Bind(1, email);
    if (q.Step()) {
      account_id = q.Int(0);
      stored = q.Text(1);
    }
  });
  bool ok =
      VerifyPassword(password, account_id ? stored : DummyPasswordHash(app.password_hash)) && account_id != 0;
  if (!ok) throw ServiceError(401, err::kLoginFailed);  // already counted by Reserve
  app.login_throttle.RecordSuccess(account_key, client);
  std::string rehash =
      NeedsRehash(stored, app.password_hash) ? HashPassword(password, app.password_hash) : "";
  return WriteDb(app, [&](Database& db) {
    if (!rehash.empty())
      db.Prepare("UPDATE accounts SET password_hash = ? WHERE id = ?")
          .Bind(1, rehash)
          .Bind(2, account_id)
          .Run();
    NewSession session = CreateSession(db, account_id, remember, now);
    Audit(db, account_id, "login", remember ? "remember" : "", now);
    return session;
  });
}

void Logout(App& app, const std::string& token) {
  // One statement: atomic on its own, in WriteDb's transaction as it was in autocommit.
  WriteDb(app, [&](Database& db) {
    db.Prepare("DELETE FROM sessions WHERE family = (SELECT family FROM sessions WHERE token_hash = ?)")
        .Bind(1, HashSecret(token))
        .Run();
  });
}

}  // namespace mizu::backend
