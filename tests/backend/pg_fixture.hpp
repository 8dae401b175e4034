#pragma once
// The engine the integration tests run on. Without MIZU_TEST_POSTGRES_URL: SQLite files in each test's data
// folder (the default). With it — the admin URL of the throwaway cluster scripts/pg-cluster starts (CTest's
// "postgres" label) — each test's data folder gets a database of its own on that cluster, named after the
// folder (a restarted server finds the same one) and dropped with it.
#include <libpq-fe.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>

namespace mizu::testing {

inline const char* PostgresAdminUrl() {
  const char* url = std::getenv("MIZU_TEST_POSTGRES_URL");
  return url && *url ? url : nullptr;
}

inline void PostgresAdmin(const std::string& sql) {
  PGconn* conn = PQconnectdb(PostgresAdminUrl());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("test cluster: " + message);
  }
  PGresult* r = PQexec(conn, sql.c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
  std::string message = PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(conn);
  if (!ok) throw std::runtime_error("test cluster: " + message);
}

// The first cell of a query on the admin connection ("" when there is none).
inline std::string PostgresAdminValue(const std::string& sql) {
  PGconn* conn = PQconnectdb(PostgresAdminUrl());
  PGresult* r = PQexec(conn, sql.c_str());
  std::string value = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
  PQclear(r);
  PQfinish(conn);
  return value;
}

inline std::string PostgresDatabaseName(const std::filesystem::path& data_dir) {
  return "t" + std::to_string(std::hash<std::string>{}(data_dir.string()));
}

// The database URL for a test's data folder: "" (the SQLite default) or a PostgreSQL database made for it.
inline std::string TestDatabaseUrl(const std::filesystem::path& data_dir) {
  if (!PostgresAdminUrl()) return {};
  const std::string name = PostgresDatabaseName(data_dir);
  const std::string admin = PostgresAdminUrl();
  try {
    PostgresAdmin("CREATE DATABASE " + name);
  } catch (const std::runtime_error& e) {
    if (std::string(e.what()).find("already exists") == std::string::npos) throw;
  }
  // postgresql:///postgres?host=…  →  postgresql:///<name>?host=…
  const auto slash = admin.find('/', admin.find("://") + 3);
  const auto query = admin.find('?', slash);
  const std::string url =
      admin.substr(0, slash + 1) + name + (query == std::string::npos ? "" : admin.substr(query));
  // The commands a test runs (mizumori export …) read the same database: the process's environment
  // (test cases run one after another in one process).
  setenv("MIZU_DATABASE_URL", url.c_str(), 1);
  return url;
}

inline void DropTestDatabase(const std::filesystem::path& data_dir) {
  if (!PostgresAdminUrl()) return;
  unsetenv("MIZU_DATABASE_URL");
  try {
    PostgresAdmin("DROP DATABASE IF EXISTS " + PostgresDatabaseName(data_dir) + " WITH (FORCE)");
  } catch (const std::exception&) {  // a test's end must not throw; the cluster goes with the run anyway
  }
}

}  // namespace mizu::testing
