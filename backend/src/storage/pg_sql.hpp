#pragma once
// The project's SQL text as PostgreSQL reads it. The services write one text for both engines: parameters
// `?` / `?N` (SQLite's), comparisons `x = ? COLLATE NOCASE` on e-mail addresses. PostgreSQL numbers its
// parameters `$N` and keeps those columns as citext (case-insensitive already), so:
//   ?N → $N;  ? → $(one more than the largest number so far, SQLite's rule);
//   x COLLATE NOCASE → x::citext (SQLite binds COLLATE to the term before it, as :: does; both sides citext
//   compare without ASCII case, a citext column against a text parameter would not)
// Text inside '…' and "…" is left alone. Anything else engine-specific is chosen by the caller
// (Database::engine()).
#include <string>
#include <string_view>
#include <vector>

namespace mizu::backend::storage {

// `used`, when given, gets one entry per parameter number up to the largest: whether the text names it (a
// statement may skip one, e.g. ?2 and ?3 only; PostgreSQL must then be told that parameter's type).
std::string PostgresSql(std::string_view sql, std::vector<bool>* used = nullptr);

}  // namespace mizu::backend::storage
