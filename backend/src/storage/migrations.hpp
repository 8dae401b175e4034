// The schema, as the list of migrations Database::Migrate applies in order (storage/db.cpp).
#pragma once

#include <vector>

namespace mizu::backend {

// Entry i (0-based) is the SQL that brings a database from schema version i to i + 1. Append-only.
// SQLite's text (migrations.cpp).
const std::vector<const char*>& SchemaMigrations();
// Versions 10 on of the same list (migrations_later.cpp), in order.
const std::vector<const char*>& LaterSchemaMigrations();
// PostgreSQL's (migrations_postgres.cpp): as long as SchemaMigrations(), entry for entry.
const std::vector<const char*>& PostgresMigrations();

}  // namespace mizu::backend
