// Staff accounts (staff.hpp): creation with a one-time enrolment link, enrolment (password + TOTP factor),
// login with both factors at once, and the staff's own sessions.
#include "mizu/backend/accounts.hpp"
#include "mizu/backend/auth.hpp"
#include "mizu/backend/staff.hpp"
#include "mizu/backend/totp.hpp"
#include "mizu/errors.hpp"
#include "mizu/text.hpp"

namespace mizu::backend {
namespace {

constexpr const char* kSealPurpose = "staff-totp";

struct StaffRow {
  int64_t id = 0;
  std::string email;
  StaffRole role = StaffRole::kCounter;
  std::string password_hash;  // empty until enrolled
  std::string totp_sealed;
  int64_t totp_last_step = -1;
  bool enrolled = false;
  bool disabled = false;
};

constexpr const char* kStaffColumns =
    "SELECT id, email, role, COALESCE(password_hash, ''), totp_sealed, totp_last_step, enrolled_at IS NOT "
    "NULL, "
    "disabled_at IS NOT NULL FROM staff ";

StaffRow ReadRow(Statement& q) {
  StaffRow r;
  r.id = q.Int(0);
  r.email = q.Text(1);
  r.role = ParseStaffRole(q.Text(2)).value_or(StaffRole::kCounter);
  r.password_hash = q.Text(3);
  r.totp_sealed = q.Text(4);
  r.totp_last_step = q.Int(5);
  r.enrolled = q.Int(6) != 0;
  r.disabled = q.Int(7) != 0;
  return r;
}

// The live enrolment of a token (not used, not expired), or 404 staff_enrol_invalid.
StaffRow RequireEnrolment(Database& db, const std::string& token, int64_t now) {
  auto q = db.Prepare(std::string(kStaffColumns) +
                      "WHERE enrol_token_hash = ? AND enrol_expires_at > ? AND enrolled_at IS NULL");
  q.Bind(1, HashSecret(token)).Bind(2, now);
  if (!q.Step()) throw ServiceError(404, err::kStaffEnrolInvalid);
  return ReadRow(q);
}

// The code as typed: full-width digits and the space or hyphen authenticator apps show inside it are allowed.
std::string CodeDigits(const std::string& typed) {
  std::string out;
  for (char c : NormalizeWidth(typed))
    if (c != ' ' && c != '-') out += c;
  return out;
}

std::string OpenTotp(const App& app, const StaffRow& r) {
  auto secret = OpenSealed(app.code_key, kSealPurpose, r.totp_sealed);
  if (!secret) throw ServiceError(500, err::kInternal);  // the key file changed: the factor cannot be read
  return *secret;
}

}  // namespace

const char* StaffRoleName(StaffRole role) {
  switch (role) {
    case StaffRole::kCounter:
      return "counter";
    case StaffRole::kSupervisor:
      return "supervisor";
    case StaffRole::kAdmin:
      return "admin";
  }
  return "counter";
}

std::optional<StaffRole> ParseStaffRole(std::string_view name) {
  if (name == "counter") return StaffRole::kCounter;
  if (name == "supervisor") return StaffRole::kSupervisor;
  if (name == "admin") return StaffRole::kAdmin;
  return std::nullopt;
}

std::string StaffEnrolUrl(const Config& config, const std::string& token) {
  return PublicBaseUrl(config) + "/#/staff/enrol?token=" + token;
}

StaffInvite CreateStaff(App& app, const std::string& email_input, StaffRole role, int64_t created_by,
                        const std::string& client, int64_t now) {
  const std::string email = NormalizeEmail(email_input);
  if (auto e = ValidateEmail(email)) throw ServiceError(400, *e, {{std::string(*e), "email"}});
  StaffInvite invite;
  invite.enrol_token = RandomToken();
  invite.expires_at = now + kStaffEnrolSeconds;
  const std::string sealed = SealSecret(app.code_key, kSealPurpose, NewTotpSecret());
  WriteDb(app, [&](Database& db) {
    auto exists = db.Prepare("SELECT 1 FROM staff WHERE email = ?");
    exists.Bind(1, email);
    if (exists.Step())
      throw ServiceError(409, err::kStaffExists, {{std::string(err::kStaffExists), "email"}});
    auto i = db.Prepare(
        "INSERT INTO staff (email, role, totp_sealed, enrol_token_hash, enrol_expires_at, created_at, "
        "created_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    i.Bind(1, email).Bind(2, StaffRoleName(role)).Bind(3, sealed).Bind(4, HashSecret(invite.enrol_token));
    i.Bind(5, invite.expires_at).Bind(6, now);
    if (created_by > 0) i.Bind(7, created_by);
    i.Run();
    invite.staff_id = db.LastInsertId();
    StaffAudit(db, {.at = now,
                    .staff_id = created_by,
                    .action = "staff_created",
                    .target = email + " (" + StaffRoleName(role) + ")",
                    .client = client});
  });
  return invite;
}

StaffEnrolment GetStaffEnrolment(App& app, const std::string& token, int64_t now) {
  StaffRow r = ReadDb(app, [&](Database& db) { return RequireEnrolment(db, token, now); });
  const std::string secret = OpenTotp(app, r);
  StaffEnrolment e;
  e.email = r.email;
  e.role = r.role;
  e.totp_base32 = TotpBase32(secret);
  e.totp_uri = TotpUri(kTotpIssuer, r.email, secret);
  e.totp_qr_svg = QrSvg(e.totp_uri, "二段階認証の登録用QRコード / QR code to enrol two-step verification");
  e.totp_qr_modules = QrModules(e.totp_uri);
  return e;
}

void CompleteStaffEnrolment(App& app, const std::string& token, const std::string& password,
                            const std::string& code, const std::string& client, int64_t now) {
  StaffRow r = ReadDb(app, [&](Database& db) { return RequireEnrolment(db, token, now); });
  std::vector<FieldError> errors;
  if (auto e = ValidatePassword(password))
    errors.push_back({std::string(*e), "password"});
  else if (IsCommonPassword(password, {r.email}))
    errors.push_back({std::string(err::kPasswordTooCommon), "password"});
  const auto step = VerifyTotp(OpenTotp(app, r), CodeDigits(code), now, r.totp_last_step);
  if (!step) errors.push_back({std::string(err::kTotpInvalid), "code"});
  if (!errors.empty()) throw ServiceError(400, errors.front().code, errors);
  const std::string hash = HashPassword(password, app.password_hash);
  WriteDb(app, [&](Database& db) {
    auto u = db.Prepare(
        "UPDATE staff SET password_hash = ?, totp_last_step = ?, enrolled_at = ?, enrol_token_hash = NULL, "
        "enrol_expires_at = NULL WHERE id = ? AND enrolled_at IS NULL");
    u.Bind(1, hash).Bind(2, *step).Bind(3, now).Bind(4, r.id).Run();
    if (db.Changes() != 1) throw ServiceError(404, err::kStaffEnrolInvalid);  // a parallel enrolment won
    StaffAudit(db, {.at = now, .staff_id = r.id, .action = "staff_enrolled", .client = client});
  });
}

std::string StaffLogin(App& app, const std::string& email_input, const std::string& password,
                       const std::string& code, const std::string& client, int64_t now) {
  const std::string email = NormalizeEmail(email_input);
  const std::string account_key = "staff:acct:" + AsciiLower(email), client_key = "staff:ip:" + client;
  auto decision = app.login_throttle.Reserve(account_key, client_key, now);
  if (!decision.allowed) throw ServiceError(429, err::kRateLimited, {}, decision.retry_after_seconds);
  std::optional<StaffRow> row = ReadDb(app, [&](Database& db) -> std::optional<StaffRow> {
    auto q = db.Prepare(std::string(kStaffColumns) + "WHERE email = ?");
    q.Bind(1, email);
    if (!q.Step()) return std::nullopt;
    return ReadRow(q);
  });
  const bool usable = row && row->enrolled && !row->disabled && !row->password_hash.empty();
  // The password hash runs whether or not the address is known (the same time for every failure).
  const bool password_ok =
      VerifyPassword(password, usable ? row->password_hash : DummyPasswordHash(app.password_hash)) && usable;
  const auto step = password_ok ? VerifyTotp(OpenTotp(app, *row), CodeDigits(code), now, row->totp_last_step)
                                : std::nullopt;
  if (!step) {
    // Kept for the supervisor (someone trying staff addresses); the same write whether or not it is known.
    WriteDb(app, [&](Database& db) {
      StaffAudit(db, {.at = now,
                      .staff_id = row ? row->id : 0,
                      .action = "staff_login_failed",
                      .target = email.substr(0, 254),
                      .client = client});
    });
    throw ServiceError(401, err::kStaffLoginFailed);  // counted by Reserve
  }
  app.login_throttle.RecordSuccess(account_key, client_key);
  const std::string token = RandomToken();
  WriteDb(app, [&](Database& db) {
    // The step is used up: the same code cannot log in twice (RFC 6238 §5.2).
    auto u = db.Prepare("UPDATE staff SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?");
    u.Bind(1, *step).Bind(2, row->id).Bind(3, *step).Run();
    if (db.Changes() != 1) throw ServiceError(401, err::kStaffLoginFailed);  // a parallel login used it
    db.Prepare(
          "INSERT INTO staff_sessions (token_hash, staff_id, created_at, last_seen_at, client) VALUES (?, ?, "
          "?, ?, ?)")
        .Bind(1, HashSecret(token))
        .Bind(2, row->id)
        .Bind(3, now)
        .Bind(4, now)
        .Bind(5, client)
        .Run();
    StaffAudit(db, {.at = now, .staff_id = row->id, .action = "staff_login", .client = client});
  });
  return token;
}

std::optional<StaffSession> AuthenticateStaff(App& app, const std::string& token, int64_t now) {
  if (token.empty()) return std::nullopt;
  const std::string hash = HashSecret(token);
  return WriteDb(app, [&](Database& db) -> std::optional<StaffSession> {
    auto q = db.Prepare(
        "SELECT s.staff_id, s.created_at, s.last_seen_at, t.email, t.role, t.disabled_at IS NOT NULL "
        "FROM staff_sessions s JOIN staff t ON t.id = s.staff_id WHERE s.token_hash = ?");
    q.Bind(1, hash);
    if (!q.Step()) return std::nullopt;
    const bool expired = now - q.Int(2) > kStaffIdleSeconds || now - q.Int(1) > kStaffAbsoluteSeconds;
    if (expired || q.Int(5) != 0) {
      db.Prepare("DELETE FROM staff_sessions WHERE token_hash = ?").Bind(1, hash).Run();
      return std::nullopt;
    }
    StaffSession s{q.Int(0), q.Text(3), ParseStaffRole(q.Text(4)).value_or(StaffRole::kCounter)};
    db.Prepare("UPDATE staff_sessions SET last_seen_at = ? WHERE token_hash = ?")
        .Bind(1, now)
        .Bind(2, hash)
        .Run();
    return s;
  });
}

void StaffLogout(App& app, const std::string& token, int64_t now) {
  WriteDb(app, [&](Database& db) {
    auto q = db.Prepare("SELECT staff_id, client FROM staff_sessions WHERE token_hash = ?");
    q.Bind(1, HashSecret(token));
    if (!q.Step()) return;
    const int64_t staff_id = q.Int(0);
    const std::string client = q.Text(1);
    db.Prepare("DELETE FROM staff_sessions WHERE token_hash = ?").Bind(1, HashSecret(token)).Run();
    StaffAudit(db, {.at = now, .staff_id = staff_id, .action = "staff_logout", .client = client});
  });
}

}  // namespace mizu::backend
