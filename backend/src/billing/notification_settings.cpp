// 通知受信設定 (M13): e-mail on/off per kind of notice, and the account's language (the language of its
// mails).
#include <algorithm>

#include "common.hpp"
#include "mizu/backend/accounts.hpp"
#include "mizu/backend/audit_log.hpp"
#include "mizu/backend/notices.hpp"

namespace mizu::backend {

using namespace billing;

namespace {

bool KnownKind(const std::string& kind) {
  return std::any_of(kNoticeKinds.begin(), kNoticeKinds.end(), [&](const char* k) { return kind == k; });
}

NotificationSettings Load(Database& db, int64_t account_id) {
  auto a = db.Prepare("SELECT lang FROM accounts WHERE id = ?");
  a.Bind(1, account_id);
  if (!a.Step()) throw ServiceError(401, err::kUnauthorized);
  NotificationSettings s;
  s.lang = a.Text(0);
  for (const char* kind : kNoticeKinds) s.email[kind] = WantsMail(db, account_id, kind);
  return s;
}

}  // namespace

NotificationSettings GetNotificationSettings(App& app, int64_t account_id) {
  return ReadDb(app, [&](Database& db) { return Load(db, account_id); });
}

NotificationSettings UpdateNotificationSettings(App& app, int64_t account_id,
                                                const NotificationSettingsUpdate& update, int64_t now) {
  std::vector<FieldError> errors;
  if (update.lang && *update.lang != "ja" && *update.lang != "en")
    errors.push_back({std::string(err::kInvalidFormat), "lang"});
  for (const auto& [kind, on] : update.email)
    if (!KnownKind(kind)) errors.push_back({std::string(err::kInvalidFormat), "email." + kind});
  if (!errors.empty()) throw ServiceError(400, errors.front().code, errors);
  return WriteDb(app, [&](Database& db) {
    Load(db, account_id);  // 401 for an account that is gone
    if (update.lang)
      db.Prepare("UPDATE accounts SET lang = ? WHERE id = ?").Bind(1, *update.lang).Bind(2, account_id).Run();
    auto put = db.Prepare(
        "INSERT INTO notification_settings (account_id, kind, email, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (account_id, kind) DO UPDATE SET email = excluded.email, updated_at = "
        "excluded.updated_at");
    std::string detail;
    for (const auto& [kind, on] : update.email) {
      put.Reset();
      put.Bind(1, account_id).Bind(2, kind).Bind(3, int64_t{on}).Bind(4, now).Run();
      detail += kind + (on ? "=on " : "=off ");
    }
    if (update.lang) detail += "lang=" + *update.lang;
    Audit(db, account_id, "notification_settings", detail, now);
    return Load(db, account_id);  // as stored, read before the commit: no other request in between
  });
}

}  // namespace mizu::backend
