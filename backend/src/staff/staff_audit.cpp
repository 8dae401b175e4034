// The staff audit log (staff.hpp): append-only (the table's triggers refuse UPDATE and DELETE), separate from
// residents' own audit_log, searchable by staff, customer number and time.
#include <algorithm>

#include "mizu/backend/accounts.hpp"
#include "mizu/backend/staff.hpp"
#include "mizu/errors.hpp"
#include "mizu/text.hpp"

namespace mizu::backend {

void StaffAudit(Database& db, const StaffAuditEntry& e) {
  auto i = db.Prepare(
      "INSERT INTO staff_audit (at, staff_id, action, account_id, customer_number, target, reason, client) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  i.Bind(1, e.at);
  if (e.staff_id > 0) i.Bind(2, e.staff_id);
  i.Bind(3, e.action);
  if (e.account_id > 0) i.Bind(4, e.account_id);
  i.Bind(5, e.customer_number).Bind(6, e.target).Bind(7, e.reason).Bind(8, e.client).Run();
}

std::string AccountCustomerNumber(Database& db, int64_t account_id) {
  auto q = db.Prepare(
      "SELECT customer_number FROM contract_links WHERE account_id = ? ORDER BY is_primary DESC, linked_at "
      "LIMIT 1");
  q.Bind(1, account_id);
  return q.Step() ? q.Text(0) : "";
}

std::vector<StaffAuditEntry> SearchStaffAudit(App& app, const StaffAuditQuery& query_input) {
  StaffAuditQuery query = query_input;
  // The number as printed (0-0000008010), full width or without its leading zeros, like every other search.
  if (!query.customer_number.empty()) {
    const auto& format = app.config.utility.customer_number;
    const auto digits = NormalizeCustomerNumber(query.customer_number);
    if (!digits || digits->empty() || digits->size() > static_cast<size_t>(format.digits))
      throw ServiceError(400, err::kInvalidFormat, {{std::string(err::kInvalidFormat), "customer_number"}});
    query.customer_number = std::string(format.digits - digits->size(), '0') + *digits;
  }
  std::string sql =
      "SELECT a.id, a.at, COALESCE(a.staff_id, 0), COALESCE(s.email, ''), a.action, COALESCE(a.account_id, "
      "0), "
      "a.customer_number, a.target, a.reason, a.client FROM staff_audit a LEFT JOIN staff s ON s.id = "
      "a.staff_id "
      "WHERE (?1 = '' OR s.email = ?1 COLLATE NOCASE) AND (?2 = '' OR a.customer_number = ?2) "
      "AND (?3 = 0 OR a.at >= ?3) AND (?4 = 0 OR a.at < ?4) ORDER BY a.at DESC, a.id DESC LIMIT ?5";
  const int limit = std::clamp(query.limit, 1, 500);
  return ReadDb(app, [&](Database& db) {
    auto q = db.Prepare(sql);
    q.Bind(1, query.staff_email).Bind(2, query.customer_number).Bind(3, query.from).Bind(4, query.to);
    q.Bind(5, int64_t{limit});
    std::vector<StaffAuditEntry> out;
    while (q.Step())
      out.push_back({q.Int(0), q.Int(1), q.Int(2), q.Text(3), q.Text(4), q.Int(5), q.Text(6), q.Text(7),
                     q.Text(8), q.Text(9)});
    return out;
  });
}

}  // namespace mizu::backend
