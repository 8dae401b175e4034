#pragma once
// The audit log: one row per change an account (or a stop link) made, for the utility's staff.
#include <cstdint>
#include <string>

#include "mizu/backend/db.hpp"

namespace mizu::backend {

// Appends {at, account_id (0: none), event, detail} to audit_log. Call inside the change's transaction.
void Audit(Database& db, int64_t account_id, const std::string& event, const std::string& detail,
           int64_t now);

}  // namespace mizu::backend
