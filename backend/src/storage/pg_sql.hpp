#pragma once
// The project's SQL text as PostgreSQL reads it. The services write one text for both engines: parameters
// `?` / `?N` (SQLite's), comparisons `x = ? COLLATE NOCASE` on e-mail addresses. PostgreSQL numbers its
// parameters `$N` and keeps those columns as citext (case-insensitive already), so:
//   ?N → $N;  ? → $(one more than the largest number so far, SQLite's rule);  COLLATE NOCASE → (nothing)
// Text inside '…' and "…" is left alone. Anything else engine-specific is chosen by the caller
// (Database::engine()).
#include <string>
#include <string_view>

namespace mizu::backend::storage {

std::string PostgresSql(std::string_view sql);

}  // namespace mizu::backend::storage
