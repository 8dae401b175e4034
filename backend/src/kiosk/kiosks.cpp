// Counter kiosks' registry (kiosk.hpp): enrol, list, revoke, and the token check every kiosk request runs.
#include "mizu/backend/accounts.hpp"
#include "mizu/backend/auth.hpp"
#include "mizu/backend/kiosk.hpp"
#include "mizu/errors.hpp"
#include "mizu/text.hpp"

namespace mizu::backend {
namespace {

int64_t StaffIdOf(const StaffSession* staff) {
  return staff ? staff->staff_id : 0;
}

}  // namespace

EnrolledKiosk EnrolKiosk(App& app, const StaffSession* staff, const std::string& name_input,
                         const std::string& client, int64_t now) {
  const std::string name = NormalizeText(name_input);
  if (name.empty()) throw ServiceError(400, err::kRequired, {{std::string(err::kRequired), "name"}});
  if (auto e = ValidateTextField(name, kMaxKioskNameChars))
    throw ServiceError(400, *e, {{std::string(*e), "name"}});
  EnrolledKiosk k;
  k.name = name;
  k.token = RandomToken();
  k.start_url = PublicBaseUrl(app.config) + "/#/?kiosk=" + k.token;
  WriteDb(app, [&](Database& db) {
    auto i = db.Prepare("INSERT INTO kiosks (name, token_hash, created_at, created_by) VALUES (?, ?, ?, ?)");
    i.Bind(1, name).Bind(2, HashSecret(k.token)).Bind(3, now);
    if (staff)
      i.Bind(4, staff->staff_id);
    else
      i.BindNull(4);
    i.Run();
    k.id = db.LastInsertId();
    StaffAudit(db, {.at = now,
                    .staff_id = StaffIdOf(staff),
                    .action = "kiosk_enrolled",
                    .target = name,
                    .client = client});
  });
  return k;
}

std::vector<KioskRow> ListKiosks(App& app) {
  return ReadDb(app, [&](Database& db) {
    auto q = db.Prepare(
        "SELECT id, name, created_at, COALESCE(revoked_at, 0), COALESCE(last_seen_at, 0) FROM kiosks ORDER "
        "BY id "
        "DESC");
    std::vector<KioskRow> out;
    while (q.Step()) out.push_back({q.Int(0), q.Text(1), q.Int(2), q.Int(3), q.Int(4)});
    return out;
  });
}

void RevokeKiosk(App& app, const StaffSession* staff, int64_t kiosk_id, const std::string& reason,
                 const std::string& client, int64_t now) {
  RequireReason(reason);
  WriteDb(app, [&](Database& db) {
    auto u = db.Prepare("UPDATE kiosks SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
    u.Bind(1, now).Bind(2, kiosk_id).Run();
    if (db.Changes() != 1) throw ServiceError(404, err::kNotFound);
    auto n = db.Prepare("SELECT name FROM kiosks WHERE id = ?");
    n.Bind(1, kiosk_id);
    const std::string name = n.Step() ? n.Text(0) : "";
    n.Reset();
    db.Prepare("DELETE FROM sessions WHERE kiosk_id = ?").Bind(1, kiosk_id).Run();  // a visit ends with it
    StaffAudit(db, {.at = now,
                    .staff_id = StaffIdOf(staff),
                    .action = "kiosk_revoked",
                    .target = name,
                    .reason = NormalizeText(reason),
                    .client = client});
  });
}

std::optional<KioskInfo> AuthenticateKiosk(App& app, const std::string& token, int64_t now) {
  if (token.empty() || token.size() > 128) return std::nullopt;
  std::optional<KioskInfo> kiosk;
  bool seen_lately = false;
  ReadDb(app, [&](Database& db) {
    auto q = db.Prepare(
        "SELECT id, name, COALESCE(last_seen_at, 0) FROM kiosks WHERE token_hash = ? AND revoked_at IS NULL");
    q.Bind(1, HashSecret(token));
    if (!q.Step()) return;
    kiosk = KioskInfo{q.Int(0), q.Text(1)};
    seen_lately = now - q.Int(2) < 60;
  });
  if (kiosk && !seen_lately)  // "last seen" to the minute: no write on every request
    WriteDb(app, [&](Database& db) {
      db.Prepare("UPDATE kiosks SET last_seen_at = ? WHERE id = ?").Bind(1, now).Bind(2, kiosk->id).Run();
    });
  return kiosk;
}

void BindSessionToKiosk(App& app, const std::string& session_token, int64_t kiosk_id, int64_t now) {
  WriteDb(app, [&](Database& db) {
    db.Prepare("UPDATE sessions SET kiosk_id = ?, remember = 0, expires_at = ? WHERE token_hash = ?")
        .Bind(1, kiosk_id)
        .Bind(2, now + app.config.kiosk.session_limit_seconds)
        .Bind(3, HashSecret(session_token))
        .Run();
  });
}

}  // namespace mizu::backend
