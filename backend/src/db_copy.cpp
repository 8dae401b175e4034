// CopyDatabase (db_copy.hpp): the tables in an order their references allow, then the readings' day tables
// (made on the target as its engine makes them), rows in multi-row INSERTs of up to 200, the identity
// sequences moved past the copied ids (PostgreSQL).
#include "mizu/backend/db_copy.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "mizu/backend/ingest.hpp"
#include "mizu/time.hpp"

namespace mizu::backend {
namespace {

// Every table of the schema (migrations), parents before the rows that reference them.
const std::vector<std::string> kTables = {"server_state",
                                          "customers",
                                          "accounts",
                                          "contract_links",
                                          "staff",
                                          "kiosks",
                                          "sessions",
                                          "codes",
                                          "signup_tokens",
                                          "api_tokens",
                                          "audit_log",
                                          "reading_meters",
                                          "usage_daily",
                                          "bills",
                                          "payments",
                                          "notices",
                                          "notice_reads",
                                          "notification_settings",
                                          "bureau_notices",
                                          "watches",
                                          "watch_hours",
                                          "watch_recipients",
                                          "watch_reports",
                                          "watch_farewells",
                                          "staff_sessions",
                                          "staff_audit",
                                          "mail_outbox",
                                          "mail_attempts",
                                          "applications",
                                          "application_history",
                                          "push_subscriptions",
                                          "watch_alerts",
                                          "alert_events",
                                          "rate_state"};

// Tables with an INTEGER PRIMARY KEY `id` (an identity column on PostgreSQL).
bool HasIdentity(const std::string& table) {
  static const std::vector<std::string> with = {"accounts",
                                                "staff",
                                                "kiosks",
                                                "codes",
                                                "audit_log",
                                                "reading_meters",
                                                "notices",
                                                "bureau_notices",
                                                "watches",
                                                "watch_recipients",
                                                "watch_farewells",
                                                "staff_audit",
                                                "mail_outbox",
                                                "mail_attempts",
                                                "applications",
                                                "application_history",
                                                "push_subscriptions"};
  return std::find(with.begin(), with.end(), table) != with.end();
}

std::vector<std::string> DayTables(Database& db) {
  auto q =
      db.Prepare(db.engine() == Engine::kPostgres
                     ? "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename "
                       "LIKE 'readings\\_%' ORDER BY tablename"
                     : "SELECT name FROM sqlite_schema WHERE type = 'table' AND name GLOB 'readings_[0-9]*' "
                       "ORDER BY name");
  std::vector<std::string> out;
  while (q.Step())
    if (q.Text(0).size() == 17) out.push_back(q.Text(0));  // readings_YYYYMMDD
  return out;
}

int64_t CountRows(Database& db, const std::string& table) {
  auto q = db.Prepare("SELECT count(*) FROM " + table);
  return q.Step() ? q.Int(0) : 0;
}

int64_t CopyTable(Database& from, Database& to, const std::string& table) {
  constexpr int kBatch = 200;
  auto rows = from.Prepare("SELECT * FROM " + table);
  std::vector<std::vector<std::optional<std::string>>> pending;
  std::vector<std::string> columns;
  int64_t copied = 0;
  auto flush = [&] {
    if (pending.empty()) return;
    std::string sql = "INSERT INTO " + table + " (";
    for (size_t c = 0; c < columns.size(); ++c) sql += (c ? ", " : "") + columns[c];
    sql += ") VALUES ";
    for (size_t r = 0; r < pending.size(); ++r) {
      sql += r ? ", (" : "(";
      for (size_t c = 0; c < columns.size(); ++c) sql += c ? ", ?" : "?";
      sql += ")";
    }
    sql += " ON CONFLICT DO NOTHING";  // the rows a new schema seeds (server_state) stay as copied before
    auto insert = to.Prepare(sql);
    int index = 1;
    for (const auto& row : pending)
      for (const auto& value : row) {
        if (value)
          insert.Bind(index, *value);
        else
          insert.BindNull(index);
        ++index;
      }
    insert.Run();
    copied += static_cast<int64_t>(pending.size());
    pending.clear();
  };
  while (rows.Step()) {
    if (columns.empty())
      for (int c = 0; c < rows.ColumnCount(); ++c) columns.push_back(rows.ColumnName(c));
    std::vector<std::optional<std::string>> row;
    for (int c = 0; c < static_cast<int>(columns.size()); ++c)
      row.push_back(rows.IsNull(c) ? std::nullopt : std::optional<std::string>(rows.Text(c)));
    pending.push_back(std::move(row));
    if (static_cast<int>(pending.size()) == kBatch) flush();
  }
  flush();
  return copied;
}

}  // namespace

std::vector<CopyTableResult> CopyDatabase(const std::string& from_url, const std::string& to_url,
                                          const std::function<void(const CopyTableResult&)>& progress) {
  Database from(from_url);
  Database to(to_url);
  if (from.SchemaVersion() != to.SchemaVersion())
    throw std::runtime_error("the two databases are at different schema versions");
  for (const char* table : {"customers", "accounts", "reading_meters"})
    if (CountRows(to, table) > 0)
      throw std::runtime_error(std::string("the target already holds ") + table +
                               ": db copy fills an empty database only");
  std::vector<CopyTableResult> out;
  from.Snapshot([&] {
    to.Transaction([&] {
      for (const std::string& table : kTables) {
        out.push_back({table, CopyTable(from, to, table)});
        if (progress) progress(out.back());
      }
      for (const std::string& table : DayTables(from)) {
        // The day table's own hours name it: EnsureReadingsTable takes an hour's end within that day (noon).
        const int year = std::stoi(table.substr(9, 4)), month = std::stoi(table.substr(13, 2)),
                  day = std::stoi(table.substr(15, 2));
        EnsureReadingsTable(to, FromJst({year, month, day}, 12));
        out.push_back({table, CopyTable(from, to, table)});
        if (progress) progress(out.back());
      }
      if (to.engine() == Engine::kPostgres)
        for (const std::string& table : kTables)
          if (HasIdentity(table))
            to.Exec("SELECT setval(pg_get_serial_sequence('" + table +
                    "', 'id'), COALESCE((SELECT max(id) FROM " + table + "), 0) + 1, false)");
    });
  });
  return out;
}

}  // namespace mizu::backend
