// Ingest throughput, measured in one run for a city of N smart meters (default 200,000):
//   (a) readings/s through POST /api/v1/ingest/readings of an in-process server on loopback — bulk bodies of
//   B
//       readings (default 10,000), one hour of B meters each, the whole day in hour order, one connection;
//   (b) the raw rate of prepared SQLite inserts (sqlite3_bind/step/reset, meter indices already known) of the
//       same readings in the same order and batch size into the same day table, synchronous=FULL, one
//       transaction per batch;
// on the FIRST day of history and again on the THIRTIETH, after days 2..29 were pre-filled through a fast raw
// path (synchronous=OFF). Between (b) and (a) the day's table is dropped, so both start from the same state.
// Also: per-meter range queries (ReadingsForMeter over 30 days) on the full history.
// Usage: mizu_bench_ingest [--meters N] [--batch B] [--hours H] [--format json|ndjson|csv] [--dir DIR]
// Run through scripts/bench/ingest.
#include <httplib.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench_city.hpp"
#include "mizu/backend/accounts.hpp"
#include "mizu/backend/api_tokens.hpp"
#include "mizu/backend/app.hpp"
#include "mizu/backend/cis.hpp"
#include "mizu/backend/http_server.hpp"
#include "mizu/backend/ingest.hpp"
#include "mizu/time.hpp"
#include "pg_fixture.hpp"

namespace fs = std::filesystem;
using namespace mizu::backend;
using namespace mizu::bench;

namespace {

struct Options {
  int meters = 200'000;
  int batch = 10'000;
  int hours = 24;
  int history = 29;  // days stored before the second measurement (0: measure the first day only)
  int layouts = 0;   // > 0: instead, compare storage layouts over this many days (raw inserts only)
  std::string format = "json";
  std::string order = "hour";  // --compare-layouts: batches hour-ordered or meter-ordered
  std::string dir;
  std::string engine = "sqlite";  // postgres: on the cluster MIZU_TEST_POSTGRES_URL names (scripts/pg-run)
};

// The first JST day of the benchmark's history (day 0).
const mizu::CivilDate kDay0{2026, 10, 1};
int64_t HourEnd(int day, int h) {
  return mizu::FromJst(mizu::AddDays(kDay0, day)) + h * int64_t{3600};
}

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
}

// The bodies of one day: for each hour 1..hours, the meters in slices of `batch`.
std::vector<std::string> DayBodies(const Options& o, int day) {
  std::vector<std::string> bodies;
  for (int h = 1; h <= o.hours; ++h) {
    int64_t at = HourEnd(day, h);
    std::string iso = mizu::FormatIsoJst(at);
    for (int first = 1; first <= o.meters; first += o.batch) {
      int last = std::min(o.meters, first + o.batch - 1);
      std::string body = o.format == "csv"    ? "meter_id,at,register_l,alarms\n"
                         : o.format == "json" ? "["
                                              : "";
      body.reserve(static_cast<size_t>(last - first + 1) * 90);
      for (int m = first; m <= last; ++m) {
        std::string reg = std::to_string(Register(m, at / 3600));
        const char* alarm = (m % 997 == 0) ? "leak" : nullptr;
        if (o.format == "csv") {
          body += MeterId(m) + "," + iso + "," + reg + "," + (alarm ? alarm : "") + "\n";
        } else {
          if (o.format == "json" && m != first) body += ",";
          body += "{\"meter_id\":\"" + MeterId(m) + "\",\"at\":\"" + iso + "\",\"register_l\":" + reg;
          body += alarm ? std::string(",\"alarms\":[\"") + alarm + "\"]}" : std::string("}");
          if (o.format == "ndjson") body += "\n";
        }
      }
      if (o.format == "json") body += "]";
      bodies.push_back(std::move(body));
    }
  }
  return bodies;
}

// (b): prepared inserts of the same readings, same order, same batch size; returns readings/s.
double RawDay(const std::string& db_path, const Options& o, int day,
              const std::vector<int64_t>& meter_index) {
  Database db(db_path);
  ConfigureIngestConnection(db);
  EnsureReadingsTable(db, HourEnd(day, 1));
  sqlite3* h = db.SqliteHandle();
  sqlite3_stmt* insert = nullptr;
  std::string sql = "INSERT INTO " + ReadingsTableName(HourEnd(day, 1)) +
                    " (meter, hour, register_l, alarms) VALUES (?, ?, ?, ?)";
  Check(sqlite3_prepare_v2(h, sql.c_str(), -1, &insert, nullptr), h, "prepare");
  auto start = Steady::now();
  size_t rows = 0;
  for (int hr = 1; hr <= o.hours; ++hr) {
    int64_t at = HourEnd(day, hr);
    for (int first = 1; first <= o.meters; first += o.batch) {
      int last = std::min(o.meters, first + o.batch - 1);
      Check(sqlite3_exec(h, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), h, "begin");
      for (int m = first; m <= last; ++m) {
        sqlite3_bind_int64(insert, 1, meter_index[m]);
        sqlite3_bind_int64(insert, 2, at / 3600);
        sqlite3_bind_int64(insert, 3, Register(m, at / 3600));
        sqlite3_bind_int64(insert, 4, m % 997 == 0 ? kAlarmLeak : 0);
        Check(sqlite3_step(insert), h, "insert");
        sqlite3_reset(insert);
        ++rows;
      }
      Check(sqlite3_exec(h, "COMMIT", nullptr, nullptr, nullptr), h, "commit");
    }
  }
  double rate = static_cast<double>(rows) / Seconds(start);
  sqlite3_finalize(insert);
  db.Exec("DROP TABLE " + ReadingsTableName(HourEnd(day, 1)));  // (a) starts from the same state
  return rate;
}

// (b) on PostgreSQL: the raw COPY rate (libpq COPY … FROM STDIN, text format) of the same readings, same
// order, one COPY and one transaction per batch; returns readings/s.
double RawDayPostgres(const std::string& url, const Options& o, int day,
                      const std::vector<int64_t>& meter_index) {
  {
    Database db(url);
    EnsureReadingsTable(db, HourEnd(day, 1));
  }
  const std::string table = ReadingsTableName(HourEnd(day, 1));
  PGconn* conn = PQconnectdb(mizu::backend::DatabaseUrl::Parse(url).target.c_str());
  if (PQstatus(conn) != CONNECTION_OK) throw std::runtime_error(PQerrorMessage(conn));
  auto exec = [&](const std::string& sql, ExecStatusType want) {
    PGresult* r = PQexec(conn, sql.c_str());
    const bool ok = PQresultStatus(r) == want;
    std::string message = PQresultErrorMessage(r);
    PQclear(r);
    if (!ok) throw std::runtime_error(sql + ": " + message);
  };
  auto start = Steady::now();
  size_t rows = 0;
  std::string data;
  for (int hr = 1; hr <= o.hours; ++hr) {
    int64_t at = HourEnd(day, hr);
    for (int first = 1; first <= o.meters; first += o.batch) {
      int last = std::min(o.meters, first + o.batch - 1);
      data.clear();
      for (int m = first; m <= last; ++m) {
        data += std::to_string(meter_index[m]) + '\t' + std::to_string(at / 3600) + '\t' +
                std::to_string(Register(m, at / 3600)) + '\t' +
                (m % 997 == 0 ? std::to_string(kAlarmLeak) : "0") + '\n';
        ++rows;
      }
      exec("BEGIN", PGRES_COMMAND_OK);
      exec("COPY " + table + " (meter, hour, register_l, alarms) FROM STDIN", PGRES_COPY_IN);
      if (PQputCopyData(conn, data.data(), static_cast<int>(data.size())) != 1 ||
          PQputCopyEnd(conn, nullptr) != 1)
        throw std::runtime_error(PQerrorMessage(conn));
      PGresult* r = PQgetResult(conn);
      const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
      PQclear(r);
      if (!ok) throw std::runtime_error(PQerrorMessage(conn));
      exec("COMMIT", PGRES_COMMAND_OK);
    }
  }
  double rate = static_cast<double>(rows) / Seconds(start);
  exec("DROP TABLE " + table, PGRES_COMMAND_OK);  // (a) starts from the same state
  PQfinish(conn);
  return rate;
}

// (a): the same readings through the endpoint; returns readings/s (bodies built beforehand, not timed). With
// several ports (servers on one database), one client per port sends every n-th body, all at once.
double HttpDay(App& app, const std::vector<int>& ports, const std::string& token, const Options& o, int day) {
  auto bodies = DayBodies(o, day);
  app.clock.Set(HourEnd(day, 24) + 3600);
  httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  std::string type = o.format == "csv"      ? "text/csv"
                     : o.format == "ndjson" ? "application/x-ndjson"
                                            : "application/json";
  std::atomic<size_t> accepted = 0;
  std::atomic<bool> failed = false;
  const size_t expected = static_cast<size_t>(o.meters) * o.hours;
  auto send = [&](size_t which) {
    httplib::Client client("127.0.0.1", ports[which]);
    client.set_read_timeout(300);
    client.set_write_timeout(300);
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);
    for (size_t i = which; i < bodies.size(); i += ports.size()) {
      auto res = client.Post("/api/v1/ingest/readings", auth, bodies[i], type.c_str());
      if (!res || res->status != 200) {
        failed = true;
        return;
      }
      accepted += nlohmann::json::parse(res->body)["accepted"].get<size_t>();
    }
  };
  auto start = Steady::now();
  std::vector<std::thread> clients;
  for (size_t k = 1; k < ports.size(); ++k) clients.emplace_back(send, k);
  send(0);
  for (auto& c : clients) c.join();
  if (failed) throw std::runtime_error("ingest request failed");
  double rate = static_cast<double>(expected) / Seconds(start);
  if (accepted != expected)
    throw std::runtime_error("endpoint accepted " + std::to_string(accepted) + " of " +
                             std::to_string(expected));
  return rate;
}

// Days [first, last] of history, fast: each a copy of day 0 (the first measured day) moved by whole days, in
// key order, synchronous=OFF. The meter index equals the meter number (checked at setup), so the registers
// are exactly what Register() gives.
void Prefill(const std::string& db_path, int first, int last) {
  Database db(db_path);
  ConfigureIngestConnection(db);
  db.Exec("PRAGMA synchronous=OFF");
  std::string source = ReadingsTableName(HourEnd(0, 1));
  for (int day = first; day <= last; ++day) CopyDayLater(db, source, HourEnd(0, 1), day, 0);
  db.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  ::sync();  // the copies' dirty pages must not be written back during the next measurement
}

// --compare-layouts: raw inserts (batches of B, synchronous=FULL, --order hour|meter) for `days` days into
// three layouts, then one meter's readings over all those days (the mean of 200 random meters). Shows why
// readings live in one table per day keyed (meter, hour).
void CompareLayouts(const fs::path& dir, const Options& o) {
  struct Layout {
    const char* name;
    bool per_day, hour_first;
  };
  const Layout layouts[] = {{"one table, key (meter, hour)", false, false},
                            {"a table a day, key (hour, meter)", true, true},
                            {"a table a day, key (meter, hour) *", true, false}};
  std::printf("raw %s-ordered inserts, %d meters, bodies of %d; readings/s on day 1, 2, ... %d:\n",
              o.order.c_str(), o.meters, o.batch, o.layouts);
  for (const auto& layout : layouts) {
    Database db((dir / ("layout-" + std::to_string(&layout - layouts) + ".db")).string());
    ConfigureIngestConnection(db);
    sqlite3* h = db.SqliteHandle();
    std::printf("  %-36s", layout.name);
    for (int day = 0; day < o.layouts; ++day) {
      std::string table = layout.per_day ? "r" + std::to_string(day) : "r";
      db.Exec("CREATE TABLE IF NOT EXISTS " + table +
              " (meter INTEGER NOT NULL, hour INTEGER NOT NULL, register_l " +
              "INTEGER NOT NULL, alarms INTEGER NOT NULL, PRIMARY KEY " +
              (layout.hour_first ? "(hour, meter)" : "(meter, hour)") + ") WITHOUT ROWID");
      sqlite3_stmt* insert = nullptr;
      Check(sqlite3_prepare_v2(h, ("INSERT INTO " + table + " VALUES (?, ?, ?, 0)").c_str(), -1, &insert,
                               nullptr),
            h, "prepare");
      auto start = Steady::now();
      // Reading k of the day: hour-ordered (every meter's hour h, then h + 1) or meter-ordered (a meter's 24
      // hours).
      const int64_t total = 24LL * o.meters, first_hour = HourEnd(day, 1) / 3600;
      for (int64_t k0 = 0; k0 < total; k0 += o.batch) {
        db.Exec("BEGIN IMMEDIATE");
        for (int64_t k = k0; k < std::min(total, k0 + o.batch); ++k) {
          int64_t m = o.order == "meter" ? 1 + k / 24 : 1 + k % o.meters;
          int64_t hour = first_hour + (o.order == "meter" ? k % 24 : k / o.meters);
          sqlite3_bind_int64(insert, 1, m);
          sqlite3_bind_int64(insert, 2, hour);
          sqlite3_bind_int64(insert, 3, Register(static_cast<int>(m), hour));
          Check(sqlite3_step(insert), h, "insert");
          sqlite3_reset(insert);
        }
        db.Exec("COMMIT");
      }
      std::printf(" %7.0f", 24.0 * o.meters / Seconds(start));
      std::fflush(stdout);
      sqlite3_finalize(insert);
    }
    // One meter over all the days: a range scan per table, or (hour-first) a point lookup per hour.
    std::mt19937 rng(7);
    auto start = Steady::now();
    for (int q = 0; q < 200; ++q) {
      int64_t m = 1 + static_cast<int64_t>(rng() % o.meters);
      for (int day = 0; day < (layout.per_day ? o.layouts : 1); ++day) {
        std::string table = layout.per_day ? "r" + std::to_string(day) : "r";
        auto stmt =
            db.Prepare(layout.hour_first ? "SELECT register_l FROM " + table + " WHERE hour = ? AND meter = ?"
                                         : "SELECT register_l FROM " + table + " WHERE meter = ?");
        for (int hr = 1; hr <= (layout.hour_first ? 24 : 1); ++hr) {
          stmt.Reset();
          if (layout.hour_first)
            stmt.Bind(1, HourEnd(day, hr) / 3600).Bind(2, m);
          else
            stmt.Bind(1, m);
          while (stmt.Step()) {
          }
        }
      }
    }
    std::printf("   | one meter, %d days: %.2f ms\n", o.layouts, Seconds(start) / 200 * 1e3);
  }
}

void Report(const char* label, double http, double raw, const char* anchor = "raw inserts") {
  std::printf("%-26s endpoint %9.0f readings/s   %s %9.0f readings/s   endpoint/raw %5.1f %%\n", label, http,
              anchor, raw, 100.0 * http / raw);
  std::fflush(stdout);
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string name = argv[i], value = argv[i + 1];
    int* number = name == "--meters"            ? &o.meters
                  : name == "--batch"           ? &o.batch
                  : name == "--hours"           ? &o.hours
                  : name == "--history"         ? &o.history
                  : name == "--compare-layouts" ? &o.layouts
                                                : nullptr;
    if (name == "--engine") {
      o.engine = value;
      continue;
    }
    if (number)
      *number = std::stoi(value);
    else if (name == "--format")
      o.format = value;
    else if (name == "--order")
      o.order = value;
    else if (name == "--dir")
      o.dir = value;
    else
      throw std::invalid_argument("unknown option " + name);
  }
  if (o.meters < 1 || o.batch < 1 || o.hours < 1 || o.hours > 24 || o.history < 0 || o.history > 58 ||
      o.layouts < 0 || o.layouts > 60 || (o.format != "json" && o.format != "ndjson" && o.format != "csv") ||
      (o.order != "hour" && o.order != "meter") || (o.engine != "sqlite" && o.engine != "postgres") ||
      (o.engine == "postgres" && (o.history > 0 || o.layouts > 0 || !mizu::testing::PostgresAdminUrl())))
    throw std::invalid_argument(
        "usage: mizu_bench_ingest [--meters N] [--batch B] [--hours 1..24] "
        "[--history DAYS] [--format json|ndjson|csv] [--dir DIR] | [--meters N] [--order hour|meter] "
        "--compare-layouts DAYS; --engine postgres: day 1 only (--history 0), under scripts/pg-run");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  // The in-process server logs every request on stderr: keep the real stderr for the bench's own errors only.
  FILE* errors = fdopen(::dup(2), "w");
  if (!std::freopen("/dev/null", "w", stderr)) errors = stdout;
  try {
    Options o = ParseArgs(argc, argv);
    fs::path dir = o.dir.empty() ? ScratchDir("ingest") : fs::path(o.dir);
    if (!o.dir.empty() && fs::exists(dir) && !fs::is_empty(dir))
      throw std::invalid_argument("--dir must name a new or empty directory (it is filled, then kept)");
    if (o.dir.empty()) fs::remove_all(dir);
    fs::create_directories(dir);
    if (o.layouts > 0) {
      CompareLayouts(dir, o);
      if (o.dir.empty()) fs::remove_all(dir);
      return 0;
    }
    std::printf("city: %d meters, %d hours a day measured, bodies of %d readings (%s), data in %s\n",
                o.meters, o.hours, o.batch, o.format.c_str(), dir.c_str());

    Config config;
    config.data_dir = (dir / "data").string();
    config.test_mode = true;
    if (o.engine == "postgres") config.database_url = mizu::testing::TestDatabaseUrl(dir / "data");
    auto app = OpenApp(config);
    auto start = Steady::now();
    std::string csv =
        "customer_number,holder_name,holder_kana,address,bureau_phone,meter_id,smart_meter,diameter_mm,"
        "status\n";
    for (int m = 1; m <= o.meters; ++m) {
      char line[160];
      std::snprintf(line, sizeof line,
                    "%011d,水守 太郎,ミズモリ タロウ,水守市本町%d,0467-12-3456,%s,1,13,active\n",
                    10'000'000 + m, m, MeterId(m).c_str());
      csv += line;
    }
    std::vector<int64_t> meter_index(o.meters + 1, 0);
    {
      std::lock_guard lock(app->db_mutex);
      auto report = ImportCustomers(*app->db, csv, {{}, &app->tariff}, 0);
      if (report.inserted != o.meters) throw std::runtime_error("customer import failed");
      app->db->Transaction([&] {
        for (int m = 1; m <= o.meters; ++m) meter_index[m] = RegisterMeterIndex(*app->db, MeterId(m));
      });
      if (meter_index[o.meters] != o.meters) throw std::runtime_error("meter indices are not 1..N");
    }
    std::printf("setup: customer master imported and meters indexed in %.1f s\n", Seconds(start));
    std::string token = CreateApiToken(*app, "ingest", "bench", 0);
    HttpServer server(*app);
    int port = server.Bind("127.0.0.1", 0);
    std::thread serving([&] { server.Run(); });

    const bool postgres = o.engine == "postgres";
    double raw1 =
        postgres ? RawDayPostgres(app->db_path, o, 0, meter_index) : RawDay(app->db_path, o, 0, meter_index);
    double http1 = HttpDay(*app, {port}, token, o, 0);
    Report("day 1 (empty history):", http1, raw1, postgres ? "raw COPY" : "raw inserts");
    if (postgres) {  // two servers on the database (two Apps, as two `mizumori serve`), one client each
      auto second_app = OpenApp(config);
      HttpServer second(*second_app);
      int second_port = second.Bind("127.0.0.1", 0);
      std::thread second_serving([&] { second.Run(); });
      const double raw2 = RawDayPostgres(app->db_path, o, 1, meter_index);
      second_app->clock.Set(HourEnd(1, 24) + 3600);
      const double http2 = HttpDay(*app, {port, second_port}, token, o, 1);
      Report("day 2, two servers at once:", http2, raw2, "raw COPY");
      second.Stop();
      second_serving.join();
    }

    int last = o.history;  // the day measured second, 0-based
    if (last > 0) {
      start = Steady::now();
      if (last > 1) Prefill(app->db_path, 1, last - 1);
      std::printf("pre-filled days 2..%d (%.1f M readings) in %.1f s; database %.2f GB\n", last,
                  (last - 1) * o.hours * static_cast<double>(o.meters) / 1e6, Seconds(start),
                  fs::file_size(app->db_path) / 1e9);
      double raw_n = RawDay(app->db_path, o, last, meter_index);
      double http_n = HttpDay(*app, {port}, token, o, last);
      std::string label = "day " + std::to_string(last + 1) + " (" + std::to_string(last) + " days stored):";
      Report(label.c_str(), http_n, raw_n);
      std::printf("flat over history: endpoint day %d / day 1 = %.2f, raw day %d / day 1 = %.2f\n", last + 1,
                  http_n / http1, last + 1, raw_n / raw1);
    }

    // Per-meter range queries over the 30 days (the usage chart, the watch evaluation).
    {
      std::lock_guard lock(app->db_mutex);
      std::mt19937 rng(42);
      int queries = 1000;
      size_t readings = 0;
      start = Steady::now();
      for (int q = 0; q < queries; ++q) {
        int m = 1 + static_cast<int>(rng() % o.meters);
        readings += ReadingsForMeter(*app->db, MeterId(m), HourEnd(0, 0), HourEnd(last, 24)).size();
      }
      double per = Seconds(start) / queries;
      std::printf("ReadingsForMeter over %d days: %.2f ms per query (%zu readings each)\n", last + 1,
                  per * 1e3, readings / queries);
      start = Steady::now();
      for (int q = 0; q < queries; ++q) {
        int m = 1 + static_cast<int>(rng() % o.meters);
        readings += ReadingsForMeter(*app->db, MeterId(m), HourEnd(last, 6), HourEnd(last, 12)).size();
      }
      std::printf("ReadingsForMeter over one 6-hour watch window: %.3f ms per query\n",
                  Seconds(start) / queries * 1e3);
      std::vector<std::string> ids;
      for (int m = 1; m <= o.meters; m += 2) ids.push_back(MeterId(m));
      start = Steady::now();
      auto bulk = ReadingsForMeters(*app->db, ids, HourEnd(last, 6), HourEnd(last, 12));
      double secs = Seconds(start);
      size_t got = 0;
      for (auto& r : bulk) got += r.size();
      std::printf(
          "ReadingsForMeters, one 6-hour window of %zu meters: %.2f s (%.1f us a meter, %zu readings)\n",
          ids.size(), secs, secs / ids.size() * 1e6, got);
    }
    server.Stop();
    serving.join();
    app.reset();
    if (o.dir.empty()) fs::remove_all(dir);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(errors, "mizu_bench_ingest: %s\n", e.what());
    return 1;
  }
}
