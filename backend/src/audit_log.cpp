// The audit log (see audit_log.hpp).
#include "mizu/backend/audit_log.hpp"

namespace mizu::backend {

void Audit(Database& db, int64_t account_id, const std::string& event, const std::string& detail,
           int64_t now) {
  auto a = db.Prepare("INSERT INTO audit_log (at, account_id, event, detail) VALUES (?, ?, ?, ?)");
  a.Bind(1, now).Bind(2, account_id).Bind(3, event).Bind(4, detail).Run();
}

}  // namespace mizu::backend
