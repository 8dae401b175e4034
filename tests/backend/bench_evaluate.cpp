// Watch evaluation throughput for one due slot, measured in one run: a city of M smart meters (default
// 200,000) with D days of hourly readings (default 7), W watches (default 100,000, on every other meter),
// every watch with a 6:00 window (half also 18:00), 1–3 recipients each (2 on average). The 12:30 slot of the
// last day then holds W windows: the run times EvaluateDue for it (read readings, EvaluateWindow, write the
// report rows and one outbox mail per recipient, synchronous=FULL, transactions of 512 watches) and, as
// baselines in the same run on the same data, (a) the bulk readings query alone (ReadingsForMeters for the
// same meters and window) and (b) raw prepared inserts of as many outbox-shaped rows in one transaction. Then
// it evaluates the slot again (exactly-once: nothing is reported twice) and shows the outcome mix (2 % of the
// meters miss the 9:00 reading: partial; 1 % miss the whole window: no data). Usage: mizu_bench_evaluate
// [--meters M] [--watches W] [--days D] [--dir DIR]   (run via scripts/bench/evaluate) With --dir, a filled
// database found there is reused (its reports and outbox are emptied first).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench_city.hpp"
#include "mizu/backend/alerts.hpp"
#include "mizu/backend/app.hpp"
#include "mizu/backend/auth.hpp"
#include "mizu/backend/ingest.hpp"
#include "mizu/backend/mail.hpp"
#include "mizu/backend/watch.hpp"
#include "mizu/time.hpp"
#include "pg_fixture.hpp"

namespace fs = std::filesystem;
using namespace mizu::backend;
using namespace mizu::bench;

namespace {

struct Options {
  int meters = 200'000;
  int watches = 100'000;
  int days = 7;
  std::string dir;
  std::string engine = "sqlite";  // postgres: on the cluster MIZU_TEST_POSTGRES_URL names (scripts/pg-run)
};

std::string CustomerNumber(int m) {
  char cn[16];
  std::snprintf(cn, sizeof cn, "%011d", 10'000'000 + m);
  return cn;
}

const mizu::CivilDate kDay0{2026, 11, 1};
int64_t Day(int d) {
  return mizu::FromJst(mizu::AddDays(kDay0, d));
}

void Log(const char* what, Steady::time_point since) {
  std::printf("  %-58s %7.1f s\n", what, Seconds(since));
  std::fflush(stdout);
}

// Customers, meters, accounts, links, watches and recipients by direct SQL (one transaction each).
void FillMaster(App& app, Database& db, const Options& o) {
  auto t = Steady::now();
  db.Transaction([&] {
    auto c = db.Prepare(
        "INSERT INTO customers (customer_number, holder_name, holder_kana, address, bureau_phone, meter_id, "
        "smart_meter, diameter_mm, status, updated_at) VALUES (?, '水守 花子', 'ミズモリ ハナコ', ?, "
        "'0467000000', ?, 1, "
        "13, 'active', 0)");
    for (int m = 0; m < o.meters; ++m) {
      c.Bind(1, CustomerNumber(m))
          .Bind(2, "水守市本町" + std::to_string(m % 9 + 1) + "丁目" + std::to_string(m % 50 + 1) + "番");
      c.Bind(3, MeterId(m)).Run();
      c.Reset();
      if (RegisterMeterIndex(db, MeterId(m)) != m + 1) throw std::runtime_error("meter indices are not 1..M");
    }
  });
  Log("customers and meters", t);
  t = Steady::now();
  const int64_t since = Day(0);
  db.Transaction([&] {
    auto a = db.Prepare(
        "INSERT INTO accounts (id, email, password_hash, applicant_phone, created_at) VALUES (?, ?, 'x', "
        "'0', 0)");
    auto l = db.Prepare(
        "INSERT INTO contract_links (customer_number, account_id, relationship, consent, is_primary, "
        "linked_at, "
        "visible_from) VALUES (?, ?, 'self', 1, 1, 0, 0)");
    auto w = db.Prepare(
        "INSERT INTO watches (id, customer_number, lang, created_at, updated_at) VALUES (?, ?, ?, ?, ?)");
    auto h = db.Prepare(
        "INSERT INTO watch_hours (start_hour, watch_id, position, active_from) VALUES (?, ?, ?, ?)");
    auto r = db.Prepare(
        "INSERT INTO watch_recipients (watch_id, position, name, email, stop_nonce, stop_token_hash, "
        "added_at) "
        "VALUES (?, ?, '家族', ?, ?, ?, ?)");
    for (int i = 1; i <= o.watches; ++i) {
      const std::string cn = CustomerNumber((2 * (i - 1)) % o.meters);
      a.Bind(1, i).Bind(2, "owner" + std::to_string(i) + "@bench.example").Run();
      a.Reset();
      l.Bind(1, cn).Bind(2, i).Run();
      l.Reset();
      w.Bind(1, i).Bind(2, cn).Bind(3, i % 10 == 0 ? "en" : "ja").Bind(4, since).Bind(5, since).Run();
      w.Reset();
      h.Bind(1, 6).Bind(2, i).Bind(3, 0).Bind(4, since).Run();
      h.Reset();
      if (i % 2 == 0) {
        h.Bind(1, 18).Bind(2, i).Bind(3, 1).Bind(4, since).Run();
        h.Reset();
      }
      for (int k = 0; k < 1 + i % 3; ++k) {
        const std::string nonce = RandomToken();
        r.Bind(1, i).Bind(2, k).Bind(3, "r" + std::to_string(k) + "." + std::to_string(i) + "@bench.example");
        r.Bind(4, nonce).Bind(5, HashSecret(WatchStopToken(app, nonce))).Bind(6, since).Run();
        r.Reset();
      }
    }
  });
  Log("accounts, links, watches, recipients", t);
}

// Day 0 by prepared inserts, the other days copied with shifted hours (synchronous=OFF: setup only). Then the
// gaps of the measured window on the last day.
void FillReadings(Database& db, const Options& o) {
  auto t = Steady::now();
  ConfigureIngestConnection(db);
  const bool postgres = db.engine() == Engine::kPostgres;
  if (!postgres) db.Exec("PRAGMA synchronous=OFF");
  const int64_t first_end = Day(0) + 3600;
  const std::string day0 = ReadingsTableName(first_end);
  EnsureReadingsTable(db, first_end);
  if (postgres) {  // the same registers as Register(), computed by the server (no round trip per row)
    const std::string h = "(" + std::to_string(first_end / 3600) + " + k)";
    db.Exec("INSERT INTO " + day0 + " (meter, hour, register_l, alarms) SELECT m + 1, " + h +
            ", m * 1000 + " + h + " * 20 + (" + h +
            " * 7919 + m) % 20, 0 FROM generate_series(CAST(0 AS BIGINT), 23) AS k, generate_series(CAST(0 "
            "AS BIGINT), " +
            std::to_string(o.meters - 1) + ") AS m");
  } else {
    db.Transaction([&] {
      auto ins = db.Prepare("INSERT INTO " + day0 + " (meter, hour, register_l, alarms) VALUES (?, ?, ?, 0)");
      for (int k = 0; k < 24; ++k) {
        const int64_t hour = first_end / 3600 + k;
        for (int m = 0; m < o.meters; ++m) {
          ins.Bind(1, m + 1).Bind(2, hour).Bind(3, Register(m, hour)).Run();
          ins.Reset();
        }
      }
    });
  }
  for (int d = 1; d < o.days; ++d) CopyDayLater(db, day0, first_end, d, 1);  // meter index m + 1
  // The measured window (last day 6:00–12:00): 2 % of meters miss 9:00, 1 % miss the whole window.
  const int64_t last = o.days - 1;
  const int64_t h6 = Day(static_cast<int>(last)) / 3600 + 6, h9 = h6 + 3, h12 = h6 + 6;
  const std::string table = ReadingsTableName(h9 * 3600);
  db.Exec("DELETE FROM " + table + " WHERE (meter - 1) % 50 = 0 AND hour = " + std::to_string(h9));
  db.Exec("DELETE FROM " + table + " WHERE (meter - 1) % 100 = 2 AND hour BETWEEN " + std::to_string(h6) +
          " AND " + std::to_string(h12));
  if (!postgres) db.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  char what[80];
  std::snprintf(what, sizeof what, "readings: %d meters x %d days x 24 h", o.meters, o.days);
  Log(what, t);
}

// The alerts (issue 16): every meter watched with every hourly alert on — watches (without report hours) for
// the meters the slot's watches leave out, one recipient each — then one EvaluateAlerts pass at the slot's
// instant (look-back: the choices' 24 h no use + the hour before + 6 h of lateness = 31 h), and a second pass
// with its hour marker rewound: the steady cost of every later hour, every episode already known (exactly
// once).
struct AlertRun {
  int watches = 0;
  AlertPassResult first, again;
  double first_s = 0, again_s = 0, setup_s = 0;
};
AlertRun AlertPass(App& app, Database& db, const Options& o, int64_t now) {
  AlertRun run;
  auto t = Steady::now();
  const int64_t since = Day(0);
  db.Transaction([&] {
    auto a = db.Prepare(
        "INSERT INTO accounts (id, email, password_hash, applicant_phone, created_at) VALUES (?, ?, 'x', "
        "'0', "
        "0) ON CONFLICT DO NOTHING");
    auto l = db.Prepare(
        "INSERT INTO contract_links (customer_number, account_id, relationship, consent, is_primary, "
        "linked_at, visible_from) VALUES (?, ?, 'self', 1, 1, 0, 0) ON CONFLICT DO NOTHING");
    auto w = db.Prepare(
        "INSERT INTO watches (id, customer_number, lang, created_at, updated_at) VALUES (?, ?, 'ja', ?, ?) "
        "ON CONFLICT DO NOTHING");
    auto r = db.Prepare(
        "INSERT INTO watch_recipients (watch_id, position, name, email, stop_nonce, stop_token_hash, "
        "added_at) VALUES (?, 0, '家族', ?, ?, ?, ?) ON CONFLICT DO NOTHING");
    for (int m = 1; m < o.meters; m += 2) {  // the odd meters: no watch yet
      const int id = o.watches + 1 + m / 2;
      a.Bind(1, id).Bind(2, "owner" + std::to_string(id) + "@bench.example").Run();
      a.Reset();
      l.Bind(1, CustomerNumber(m)).Bind(2, id).Run();
      l.Reset();
      w.Bind(1, id).Bind(2, CustomerNumber(m)).Bind(3, since).Bind(4, since).Run();
      w.Reset();
      const std::string nonce = RandomToken();
      r.Bind(1, id).Bind(2, "a." + std::to_string(id) + "@bench.example").Bind(3, nonce);
      r.Bind(4, HashSecret(WatchStopToken(app, nonce))).Bind(5, since).Run();
      r.Reset();
    }
    db.Exec(
        "INSERT INTO watch_alerts (watch_id, settings, recipients, active_from, updated_at) SELECT id, "
        "'{\"continuous_flow\":true,\"flow_hours\":2,\"long_no_use\":true,\"no_use_hours\":24,"
        "\"morning\":true,\"high_use\":true}', '[]', " +
        std::to_string(since) +
        ", 0 FROM watches WHERE true ON CONFLICT (watch_id) DO UPDATE SET settings = excluded.settings, "
        "recipients = excluded.recipients, active_from = excluded.active_from");
    db.Exec("DELETE FROM alert_events");
    db.Exec("DELETE FROM server_state WHERE key = 'alerts.evaluated_hour'");
  });
  auto n = db.Prepare("SELECT count(*) FROM watch_alerts");
  n.Step();
  run.watches = static_cast<int>(n.Int(0));
  n.Reset();
  run.setup_s = Seconds(t);
  t = Steady::now();
  run.first = EvaluateAlerts(db, app, now);
  run.first_s = Seconds(t);
  db.Exec("DELETE FROM server_state WHERE key = 'alerts.evaluated_hour'");
  t = Steady::now();
  run.again = EvaluateAlerts(db, app, now);
  run.again_s = Seconds(t);
  return run;
}

// Baseline (b): `rows` outbox-shaped inserts (same columns and body size) in one prepared transaction.
double RawOutboxInserts(Database& db, int rows, size_t body_bytes) {
  db.Exec("CREATE TEMP TABLE IF NOT EXISTS raw_outbox AS SELECT * FROM mail_outbox WHERE 1 = 0");
  const std::string body(body_bytes, 'x');
  auto t = Steady::now();
  db.Transaction([&] {
    auto ins = db.Prepare(
        "INSERT INTO raw_outbox (id, message_key, kind, lang, to_addr, to_name, subject, body_text, status, "
        "attempts, "
        "created_at, next_attempt_at) VALUES (?, ?, 'watch_report', 'ja', ?, '家族', '件名', ?, 'pending', "
        "0, 0, 0)");
    for (int i = 0; i < rows; ++i) {
      ins.Bind(1, i + 1).Bind(2, "k" + std::to_string(i)).Bind(3, "r" + std::to_string(i) + "@bench.example");
      ins.Bind(4, body).Run();
      ins.Reset();
    }
  });
  const double s = Seconds(t);
  db.Exec("DROP TABLE raw_outbox");
  return s;
}

// Baseline (b'): the same raw prepared inserts into the outbox itself — its indexes (message key, due,
// address) and durability (WAL, synchronous=FULL) — in transactions of 1,024 rows as the slot writes them.
// The rows are removed again.
double RawInsertsIntoOutbox(Database& db, int rows, size_t body_bytes) {
  auto first = db.Prepare("SELECT max(id) FROM mail_outbox");
  first.Step();
  const int64_t before = first.IsNull(0) ? 0 : first.Int(0);
  first.Reset();
  const std::string body(body_bytes, 'x');
  auto t = Steady::now();
  for (int done = 0; done < rows;) {
    db.Transaction([&] {
      auto ins = db.Prepare(
          "INSERT INTO mail_outbox (id, message_key, kind, lang, to_addr, to_name, subject, body_text, "
          "created_at, next_attempt_at) VALUES (?, ?, 'watch_report', 'ja', ?, '家族', '件名', ?, 0, 0)");
      for (int k = 0; k < 1024 && done < rows; ++k, ++done) {
        ins.Bind(1, before + done + 1).Bind(2, "raw" + std::to_string(done));
        ins.Bind(3, "r" + std::to_string(done) + "@bench.example").Bind(4, body).Run();
        ins.Reset();
      }
    });
  }
  const double s = Seconds(t);
  db.Exec("DELETE FROM mail_outbox WHERE id > " + std::to_string(before));
  return s;
}

// Baseline (c): EnqueueMail alone — `rows` copies of one report mail from the outbox, in transactions of 512
// watches' worth (1,024 mails), as the evaluation writes them. The rows are removed again.
double EnqueueOnly(Database& db, int rows) {
  auto q = db.Prepare("SELECT to_addr, to_name, subject, body_text, kind, lang FROM mail_outbox LIMIT 1");
  if (!q.Step()) return 0;
  const OutgoingMail mail{q.Text(0), q.Text(1), q.Text(2), q.Text(3), q.Text(4), q.Text(5)};
  q.Reset();
  auto first = db.Prepare("SELECT COALESCE(MAX(id), 0) FROM mail_outbox");
  first.Step();
  const int64_t before = first.Int(0);
  first.Reset();
  auto t = Steady::now();
  for (int done = 0; done < rows;) {
    db.Transaction([&] {
      for (int k = 0; k < 1024 && done < rows; ++k, ++done) EnqueueMail(db, mail, 0);
    });
  }
  const double s = Seconds(t);
  db.Exec("DELETE FROM mail_outbox WHERE id > " + std::to_string(before));
  return s;
}

// PostgreSQL only: the same slot evaluated by two servers at once (two connections, two threads, as two
// `mizumori serve` processes on one database would): the reports and the outbox emptied and the cursor
// rewound first. Prints the wall time against one server's, and checks every window was reported exactly once
// and mailed as often as by one server.
void TwoServers(const App& app, const EvaluateResult& one, double one_s, int64_t due) {
  Database db(app.db_path);
  db.Exec("DELETE FROM watch_reports");
  db.Exec("DELETE FROM mail_outbox");
  db.Exec("UPDATE server_state SET value = '" + std::to_string(due - 60) +
          "' WHERE key = 'watch.evaluated_upto'");
  Database a(app.db_path), b(app.db_path);
  EvaluateResult ra, rb;
  auto t = Steady::now();
  std::thread other([&] { rb = EvaluateDue(b, app, due, due); });
  ra = EvaluateDue(a, app, due, due);
  other.join();
  const double s = Seconds(t);
  auto count = [&](const char* sql) {
    auto q = db.Prepare(sql);
    q.Step();
    return q.Int(0);
  };
  const int64_t reports = count("SELECT count(*) FROM watch_reports");
  const int64_t mails = count("SELECT count(*) FROM mail_outbox");
  std::printf(
      "  two servers on the slot at once      %7d+%d windows %6d mails %5.2f s   %.2fx one server's time; "
      "%lld reports, %lld mails queued (one server: %d, %d)\n",
      ra.windows, rb.windows, ra.mails + rb.mails, s, s / one_s, static_cast<long long>(reports),
      static_cast<long long>(mails), one.windows, one.mails);
  if (reports != one.windows || mails != one.mails || ra.windows + rb.windows != one.windows)
    throw std::runtime_error("two servers reported a window twice or not at all");
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; i += 2) {
    const std::string name = argv[i];
    if (i + 1 >= argc) throw std::invalid_argument(name + " needs a value");
    const std::string value = argv[i + 1];
    if (name == "--meters")
      o.meters = std::stoi(value);
    else if (name == "--watches")
      o.watches = std::stoi(value);
    else if (name == "--days")
      o.days = std::stoi(value);
    else if (name == "--dir")
      o.dir = value;
    else if (name == "--engine")
      o.engine = value;
    else
      throw std::invalid_argument("unknown option " + name);
  }
  if (o.meters < 2 || o.watches < 1 || o.watches * 2 > o.meters || o.days < 1 || o.days > 28)
    throw std::invalid_argument("need meters >= 2, 1 <= watches <= meters / 2, 1 <= days <= 28");
  if (o.engine != "sqlite" && o.engine != "postgres")
    throw std::invalid_argument("--engine is sqlite or postgres");
  if (o.engine == "postgres" && (!o.dir.empty() || !mizu::testing::PostgresAdminUrl()))
    throw std::invalid_argument(
        "--engine postgres runs under scripts/pg-run (a throwaway cluster), without --dir");
  return o;
}

}  // namespace

int main(int argc, char** argv) try {
  const Options o = ParseArgs(argc, argv);
  const bool keep = !o.dir.empty();
  const fs::path dir = keep ? fs::path(o.dir) : ScratchDir("evaluate");
  const fs::path marker = dir / "filled";
  const std::string shape =
      std::to_string(o.meters) + " " + std::to_string(o.watches) + " " + std::to_string(o.days);
  std::string found;
  if (fs::exists(marker)) std::getline(std::ifstream(marker), found);
  if (found != shape) fs::remove_all(dir);
  Config config;
  config.data_dir = dir.string();
  const bool postgres = o.engine == "postgres";
  if (postgres) {
    fs::create_directories(dir);
    config.database_url = mizu::testing::TestDatabaseUrl(dir);
  }
  auto app = OpenApp(config);
  std::printf("watch evaluation benchmark: %d meters, %d watches, %d days of hourly readings (%s, %s)\n",
              o.meters, o.watches, o.days, o.engine.c_str(), dir.c_str());
  if (found != shape) {
    std::printf("setup:\n");
    Database fill(app->db_path);
    FillMaster(*app, fill, o);
    FillReadings(fill, o);
    std::ofstream(marker) << shape << "\n";
  } else {
    std::printf("setup: reusing the filled database\n");
  }
  const mizu::WindowId slot{mizu::AddDays(kDay0, o.days - 1), 6};
  const int64_t due = mizu::WindowDueUtc(slot, app->config.watch);
  Database db(app->db_path);
  db.Exec("DELETE FROM watch_reports; DELETE FROM mail_outbox; DELETE FROM watch_farewells;");
  db.Exec("INSERT INTO server_state (key, value) VALUES ('watch.evaluated_upto', '" +
          std::to_string(due - 60) + "') ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  if (!postgres) db.Exec("PRAGMA wal_checkpoint(TRUNCATE)");

  std::vector<std::string> meters;
  for (int i = 1; i <= o.watches; ++i) meters.push_back(MeterId((2 * (i - 1)) % o.meters));
  auto t = Steady::now();
  size_t read = 0;
  for (size_t i = 0; i < meters.size(); i += 512) {
    std::vector<std::string> chunk(meters.begin() + i, meters.begin() + std::min(meters.size(), i + 512));
    for (auto& r : ReadingsForMeters(db, chunk, mizu::WindowStartUtc(slot), mizu::WindowEndUtc(slot, {})))
      read += r.size();
  }
  const double read_s = Seconds(t);

  t = Steady::now();
  const EvaluateResult r = EvaluateDue(db, *app, due, due);
  const double eval_s = Seconds(t);
  auto body = db.Prepare(postgres ? "SELECT CAST(avg(octet_length(body_text)) AS BIGINT) FROM mail_outbox"
                                  : "SELECT avg(length(CAST(body_text AS BLOB))) FROM mail_outbox");
  body.Step();
  const size_t body_bytes = static_cast<size_t>(body.Int(0));
  body.Reset();
  const double raw_s = RawOutboxInserts(db, r.mails, body_bytes);
  const double outbox_s = RawInsertsIntoOutbox(db, r.mails, body_bytes);
  const double enqueue_s = EnqueueOnly(db, r.mails);
  // Again with the remembered instant rewound: only the report rows stand between the slot and a second mail.
  db.Exec("UPDATE server_state SET value = '" + std::to_string(due - 60) +
          "' WHERE key = 'watch.evaluated_upto'");
  t = Steady::now();
  const EvaluateResult again = EvaluateDue(db, *app, due, due);
  const double again_s = Seconds(t);

  std::printf("due slot %s 12:30 (6:00–12:00 windows):\n", mizu::FormatDate(slot.date).c_str());
  std::printf(
      "  evaluate + enqueue (EvaluateDue)     %7d windows %8d mails %7.2f s   %8.0f windows/s %8.0f "
      "mails/s\n",
      r.windows, r.mails, eval_s, r.windows / eval_s, r.mails / eval_s);
  std::printf("  (a) readings query alone             %7zu meters  %8zu rows  %7.2f s   %8.0f meters/s\n",
              meters.size(), read, read_s, meters.size() / read_s);
  std::printf("  (b) raw outbox-shaped inserts        %16d rows  %7.2f s   %8.0f rows/s (%zu-byte bodies)\n",
              r.mails, raw_s, r.mails / raw_s, body_bytes);
  std::printf(
      "  (b') raw inserts into the outbox table  %13d rows  %7.2f s   %8.0f rows/s (its indexes, "
      "synchronous=FULL, transactions of 1,024)\n",
      r.mails, outbox_s, r.mails / outbox_s);
  std::printf(
      "  (c) EnqueueMail alone                 %16d mails %7.2f s   %8.0f mails/s (%.0f %% of the slot's "
      "time)\n",
      r.mails, enqueue_s, r.mails / enqueue_s, 100.0 * enqueue_s / eval_s);
  std::printf("  slot time per mail vs a raw insert per row: %.1fx (b), %.1fx (b')\n", eval_s / raw_s,
              eval_s / outbox_s);
  std::printf("  same slot again (exactly once)       %7d windows %8d mails %7.2f s\n", again.windows,
              again.mails, again_s);
  if (postgres) TwoServers(*app, r, eval_s, due);
  auto mix = db.Prepare("SELECT outcome, count(*) FROM watch_reports GROUP BY outcome ORDER BY outcome");
  std::printf("  outcomes:");
  while (mix.Step()) std::printf(" %s %lld", mix.Text(0).c_str(), static_cast<long long>(mix.Int(1)));
  std::printf("\n");
  std::fflush(stdout);
  mix.Reset();
  const AlertRun alerts = AlertPass(*app, db, o, due);
  std::printf("alerts (every kind on, %d watched meters, 31 hours of look-back; set-up %.1f s):\n",
              alerts.watches, alerts.setup_s);
  std::printf(
      "  one pass (EvaluateAlerts)            %7d events  %8d mails %7.2f s   %8.0f meters/s  %.2fx the "
      "slot\n",
      alerts.first.events, alerts.first.mails, alerts.first_s, alerts.watches / alerts.first_s,
      alerts.first_s / eval_s);
  std::printf("  the same hour again (exactly once)   %7d events  %8d mails %7.2f s\n", alerts.again.events,
              alerts.again.mails, alerts.again_s);
  auto kinds = db.Prepare("SELECT kind, status, count(*) FROM alert_events GROUP BY 1, 2 ORDER BY 1, 2");
  std::printf("  events:");
  while (kinds.Step())
    std::printf(" %s/%s %lld", kinds.Text(0).c_str(), kinds.Text(1).c_str(),
                static_cast<long long>(kinds.Int(2)));
  std::printf("\n");
  std::fflush(stdout);
  kinds.Reset();
  if (!keep) {
    app.reset();
    fs::remove_all(dir);
  }
  return again.windows == 0 && alerts.again.events == 0 ? 0 : 1;
} catch (const std::exception& e) {
  std::fprintf(stderr, "mizu_bench_evaluate: %s\n", e.what());
  return 1;
}
