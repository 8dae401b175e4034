#pragma once
// `mizumori db copy` (docs/operations.md, "Database"): every row of one database into another — a town's
// SQLite file into PostgreSQL when it grows, or back. Both are migrated to the newest schema first; the
// target must hold no customers, accounts or readings yet (a copy is a move, not a merge). One transaction on
// the target: a failed copy leaves it as it was.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mizu/backend/db.hpp"

namespace mizu::backend {

struct CopyTableResult {
  std::string table;
  int64_t rows = 0;
};

// Throws std::runtime_error (target not empty) or DbError. `progress` is told each table as it is done.
std::vector<CopyTableResult> CopyDatabase(const std::string& from_url, const std::string& to_url,
                                          const std::function<void(const CopyTableResult&)>& progress = {});

}  // namespace mizu::backend
