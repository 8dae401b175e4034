// Several servers on one database (docs/operations.md, "Database"): two `mizumori serve` processes share the
// database — a PostgreSQL database of its own under the postgres label, one SQLite file otherwise — and the
// 6:00–12:00 windows of every watch fall due in the same slot. One server is killed with SIGKILL while the
// slot's mails go out. Every window is reported exactly once (the (watch, window) row), every mail of the
// outbox reaches the real SMTP server, the dead server's claimed mails go out from the other once their lease
// ends, and a mail arrives twice only inside the documented crash window: claimed by the dead server (at most
// its 2 workers × 4 rows) and accepted by SMTP before its record was written.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "mizu/backend/app.hpp"
#include "mizu/backend/auth.hpp"
#include "mizu/backend/demo_data.hpp"
#include "mizu/backend/ingest.hpp"
#include "mizu/backend/watch.hpp"
#include "mizu/time.hpp"
#include "serve_process.hpp"
#include "smtp_fixture.hpp"

using namespace mizu::testing;
namespace backend = mizu::backend;

namespace {

constexpr int kWatches = 250;

// The window's day: two days after today (JST), so that nothing is due before the test sets the clock.
mizu::CivilDate SlotDay() {
  return mizu::AddDays(mizu::ToJst(std::time(nullptr)).date, 2);
}

// kWatches watches of 6:00 (6 hours), watch i with 1 + i % 3 recipients: Σ = the mails of the slot.
int FillWatches(const backend::Config& config) {
  auto app = backend::OpenApp(config);
  auto& db = *app->db;
  const int64_t since = mizu::FromJst(SlotDay());
  int mails = 0;
  db.Transaction([&] {
    auto c = db.Prepare(
        "INSERT INTO customers (customer_number, holder_name, holder_kana, address, bureau_phone, meter_id, "
        "smart_meter, diameter_mm, status, updated_at) VALUES (?, '水守 花子', 'ミズモリ ハナコ', "
        "'水守市本町1丁目', "
        "'0467000000', ?, 1, 13, 'active', 0)");
    auto a = db.Prepare(
        "INSERT INTO accounts (email, password_hash, applicant_phone, created_at) VALUES (?, 'x', '0', 0)");
    auto l = db.Prepare(
        "INSERT INTO contract_links (customer_number, account_id, relationship, consent, is_primary, "
        "linked_at, "
        "visible_from) VALUES (?, ?, 'self', 1, 1, 0, 0)");
    auto w = db.Prepare(
        "INSERT INTO watches (customer_number, lang, created_at, updated_at) VALUES (?, 'ja', ?, ?)");
    auto h = db.Prepare(
        "INSERT INTO watch_hours (start_hour, watch_id, position, active_from) VALUES (6, ?, 0, ?)");
    auto r = db.Prepare(
        "INSERT INTO watch_recipients (watch_id, position, name, email, stop_nonce, stop_token_hash, "
        "added_at) "
        "VALUES (?, ?, '家族', ?, ?, ?, ?)");
    for (int i = 1; i <= kWatches; ++i) {
      const std::string cn = std::to_string(20000000000LL + i), meter = "MS" + std::to_string(100000 + i);
      c.Bind(1, cn).Bind(2, meter).Run();
      c.Reset();
      a.Bind(1, "owner" + std::to_string(i) + "@multi.example").Run();
      a.Reset();
      const int64_t account = db.LastInsertId();
      l.Bind(1, cn).Bind(2, account).Run();
      l.Reset();
      w.Bind(1, cn).Bind(2, since).Bind(3, since).Run();
      w.Reset();
      const int64_t watch = db.LastInsertId();
      h.Bind(1, watch).Bind(2, since).Run();
      h.Reset();
      for (int k = 0; k < 1 + i % 3; ++k, ++mails) {
        const std::string nonce = backend::RandomToken();
        r.Bind(1, watch).Bind(2, k).Bind(
            3, "r" + std::to_string(k) + "." + std::to_string(i) + "@multi.example");
        r.Bind(4, nonce)
            .Bind(5, backend::HashSecret(backend::WatchStopToken(*app, nonce)))
            .Bind(6, since)
            .Run();
        r.Reset();
      }
    }
  });
  return mails;
}

std::string ConfigFile(const fs::path& dir, const std::string& data, const std::string& database_url,
                       const std::string& smtp_url) {
  const fs::path path = dir / (fs::path(data).filename().string() + ".json");
  std::ofstream(path)
      << json{{"data_dir", data},
              {"database", {{"url", database_url}}},
              {"test_mode", true},
              {"public_url", "https://portal.multi.example"},
              {"mail", {{"transport", "smtp"}, {"smtp_url", smtp_url}, {"from", "mizumori@multi.example"}}}}
             .dump();
  return path.string();
}

void SetClock(const ServeProcess& server, int64_t utc) {
  auto res = server.Client().Post("/api/v1/test/clock", json{{"now", mizu::FormatIsoJst(utc)}}.dump(),
                                  "application/json");
  REQUIRE(res);
  REQUIRE(res->status == 200);
}

struct OutboxState {
  int rows = 0, sent = 0;
  std::set<std::string> keys;
};

OutboxState Outbox(const std::string& database_url) {
  backend::Database db(database_url);
  OutboxState s;
  auto q = db.Prepare("SELECT message_key, status FROM mail_outbox WHERE kind = 'watch_report'");
  while (q.Step()) {
    ++s.rows;
    s.sent += q.Text(1) == "sent";
    s.keys.insert(q.Text(0));
  }
  return s;
}

}  // namespace

TEST_CASE(
    "two servers on one database: a slot reported once, one killed mid-slot, its mails sent by the "
    "other",
    "[multi_server]") {
  const TempDir dir("mizu-multi");  // first: removed after the servers and the SMTP server
  SmtpServer smtp(dir / "maildir");
  const std::string data_a = (dir / "a").string(), data_b = (dir / "b").string();
  std::string database_url = TestDatabaseUrl(dir / "a");
  if (database_url.empty()) database_url = "sqlite:" + (dir / "a" / "mizumori.db").string();
  backend::Config config;
  config.data_dir = data_a;
  config.database_url = database_url;
  const int expected_mails = FillWatches(config);
  // Every server of a deployment holds the same secret.key (stop links, codes): B gets A's.
  fs::create_directories(data_b);
  fs::copy_file(fs::path(data_a) / "secret.key", fs::path(data_b) / "secret.key");

  ServeProcess a(MIZU_BINARY, {"--listen", "127.0.0.1:0", "--config",
                               ConfigFile(dir.Path(), data_a, database_url, smtp.Url())});
  ServeProcess b(MIZU_BINARY, {"--listen", "127.0.0.1:0", "--config",
                               ConfigFile(dir.Path(), data_b, database_url, smtp.Url())});
  REQUIRE(a.Port() > 0);
  REQUIRE(b.Port() > 0);

  // 12:40 JST: the 6:00–12:00 window of every watch is due (report delay 30 minutes) on both servers at once.
  const int64_t slot = mizu::FromJst(SlotDay(), 12) + 40 * 60;
  // Set on one server, followed by the other through the database (test mode's shared clock).
  SetClock(a, slot);
  WaitUntil([&] { return json::parse(b.Client().Get("/healthz")->body)["now"] == mizu::FormatIsoJst(slot); });
  REQUIRE(json::parse(b.Client().Get("/healthz")->body)["now"] == mizu::FormatIsoJst(slot));
  REQUIRE(WaitUntil([&] { return smtp.Count() >= 20; }));
  a.Kill();  // mid-slot: its relay's claims stay 'sending' until their lease (600 s) ends
  const size_t at_kill = smtp.Count();
  INFO("mails at the kill: " << at_kill << " of " << expected_mails);
  CHECK(at_kill < static_cast<size_t>(expected_mails));  // the kill was during the slot

  // Time passes for the survivor: the dead server's leases end, its claimed mails come back.
  SetClock(b, slot + 11 * 60);
  OutboxState state;
  WaitUntil(
      [&] {
        state = Outbox(database_url);
        return state.rows == expected_mails && state.sent == state.rows && smtp.Count() >= state.keys.size();
      },
      kWaitLimit, std::chrono::milliseconds(100));
  CHECK(state.rows == expected_mails);  // one report per window, its mails once in the outbox
  CHECK(state.sent == state.rows);

  {
    backend::Database db(database_url);
    auto q = db.Prepare("SELECT count(*), count(DISTINCT watch_id) FROM watch_reports");
    REQUIRE(q.Step());
    CHECK(q.Int(0) == kWatches);  // every window, once
    CHECK(q.Int(1) == kWatches);
  }
  // What the SMTP server received, by Message-ID (<message_key@domain>).
  std::map<std::string, int> received;
  for (const auto& m : Inspect(smtp.NewDir())) {
    std::string id = m["message_id"];
    received[id.substr(1, id.find('@') - 1)]++;
  }
  int duplicates = 0;
  for (const std::string& key : state.keys) {
    INFO(key);
    CHECK(received.count(key) == 1);  // every mail of the outbox arrived
    if (received[key] > 1) duplicates += received[key] - 1;
  }
  CHECK(received.size() == state.keys.size());  // nothing else arrived
  // Twice only inside the crash window: the dead server's in-flight claims (2 workers × claim_batch 4).
  CHECK(duplicates <= 8);
  b.Stop();
  DropTestDatabase(dir / "a");
}

TEST_CASE("a server whose database connections are dropped (a restart, a fail-over) serves the next request",
          "[multi_server]") {
  const TempDir dir("mizu-drop");
  {
    backend::Config config;
    config.data_dir = (dir / "data").string();
    config.database_url = TestDatabaseUrl(dir / "data");
    auto app = backend::OpenApp(config);
    REQUIRE(!backend::FillDemoData(*app, app->clock.Now()).empty());
  }
  TestServer server([&](backend::Config& c) {
    c.data_dir = (dir / "data").string();
    c.database_url = TestDatabaseUrl(dir / "data");
  });
  auto client = server.Client();
  auto bills = [&](const std::string& cookie) {
    auto res = client.Get("/api/v1/contracts/00000008002/bills", {{"Cookie", cookie}});
    return res ? res->status : -1;
  };
  auto login = [&] {
    auto res = client.Post("/api/v1/login", {{"Origin", "http://127.0.0.1:" + std::to_string(server.Port())}},
                           R"({"email":"demo@mizumori.example","password":"mizumori-demo-2026"})",
                           "application/json");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    const std::string set = res->get_header_value("Set-Cookie");
    return set.substr(0, set.find(';'));
  };
  const std::string cookie = login();
  REQUIRE(bills(cookie) == 200);
  if (PostgresAdminUrl()) {
    // Every session of the server's database ended by the PostgreSQL server, as a restart or fail-over does.
    const std::string url = TestDatabaseUrl(dir / "data");
    const std::string name = url.substr(url.find(":///") + 4, url.find('?') - url.find(":///") - 4);
    // With a timeout (PostgreSQL 14+) the call returns once each session has really ended, not on the signal
    // (false, with a warning, if one outlived the 10 s).
    CHECK(PostgresAdminValue("SELECT bool_and(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity WHERE "
                             "datname = '" +
                             name + "'") == "t");
  }
  // The next reads and writes: on new sessions, statements prepared again.
  CHECK(bills(cookie) == 200);
  CHECK(client.Get("/healthz")->status == 200);
  CHECK(bills(login()) == 200);  // a write (the new session row) and a read
  CHECK(bills(cookie) == 200);
}

TEST_CASE("limits hold across servers on one database: sign-up starts per client and login failures",
          "[multi_server]") {
  // Two servers on one PostgreSQL database share their limits (auth.hpp SharedLimitStore); on SQLite a
  // deployment is one server, so both sides are the same one.
  const TempDir dir("mizu-limits");
  auto tweak = [&](backend::Config& c) {
    c.data_dir = (dir / "data").string();
    c.database_url = TestDatabaseUrl(dir / "data");
  };
  TestServer first(tweak);
  std::unique_ptr<TestServer> second_owned;
  if (PostgresAdminUrl()) second_owned = std::make_unique<TestServer>(tweak);
  TestServer& second = second_owned ? *second_owned : first;
  auto post = [](TestServer& s, const std::string& path, const json& body) {
    auto res = s.Client().Post(path, {{"Origin", "http://127.0.0.1:" + std::to_string(s.Port())}},
                               body.dump(), "application/json");
    REQUIRE(res);
    return res->status;
  };
  // 20 sign-up starts an hour per client (127.0.0.1 here), taken in turns from the two servers.
  for (int i = 0; i < 20; ++i) {
    INFO(i);
    REQUIRE(post(i % 2 ? second : first, "/api/v1/signup/start",
                 {{"email", "new" + std::to_string(i) + "@limits.example"}}) == 202);
  }
  CHECK(post(first, "/api/v1/signup/start", {{"email", "one-more@limits.example"}}) == 429);
  CHECK(post(second, "/api/v1/signup/start", {{"email", "and-more@limits.example"}}) == 429);
  // Login failures for one address: 5 free, then a wait (1 s, doubling) — counted on both servers.
  for (int i = 0; i < 5; ++i)
    CHECK(post(i % 2 ? second : first, "/api/v1/login",
               {{"email", "nobody@limits.example"}, {"password", "x"}}) == 401);
  CHECK(post(second, "/api/v1/login", {{"email", "nobody@limits.example"}, {"password", "x"}}) == 429);
  CHECK(post(first, "/api/v1/login", {{"email", "nobody@limits.example"}, {"password", "x"}}) == 429);
  second_owned.reset();
  DropTestDatabase(dir / "data");
}
