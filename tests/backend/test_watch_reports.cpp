// Watch reports driven by the test clock through the real scheduler thread, delivered to a real SMTP server:
// used / not used / no data / partial, a window crossing midnight, and pattern 2 (a family member's account).
#include "test_watch_helpers.hpp"

using namespace mizu::testing;

namespace {

const json kSon = {{"name", "息子"}, {"email", "son@example.jp"}};
const char* kReport = "見守り：";  // every report subject; the "added" mail's subject does not have it

// The parent signs up (Fri 11-20 15:00), then on Sat 11-21 05:00 watches their own contract.
void WatchedParent(WatchPortal& p, const json& hours = {6}, const std::string& lang = "ja") {
  REQUIRE(p.SignUp("parent@example.jp").status == 201);
  p.SetClock("2026-11-21T05:00:00+09:00");
  REQUIRE(
      p.PutWatch("00000008002", {{"start_hours", hours}, {"recipients", {kSon}}, {"lang", lang}}).status ==
      200);
}

// Moves the clock to just before the due instant (nothing may be written), then to it; returns the report.
json ReportAt(WatchPortal& p, const std::string& just_before, const std::string& due,
              const std::string& subject_part = kReport) {
  p.SetClock(just_before);
  p.WaitPolls();
  CHECK(p.Outbox("son@example.jp", "watch_report") == 0);
  p.SetClock(due);
  auto mails = p.WaitForMails("son@example.jp", 1, subject_part);
  REQUIRE(mails.size() == 1);
  return mails[0];
}

}  // namespace

TEST_CASE("watch: the 12:30 report for a 6:00 window says how much water was used", "[watch]") {
  WatchPortal p;
  WatchedParent(p);
  // Registers at 6:00 (baseline) … 12:00: 10 + 0 + 50 + 30 + 0 + 30 = 120 L; readings outside are ignored.
  p.StoreRegisters("M000001", "2026-11-21T05:00:00+09:00",
                   {99000, 100000, 100010, 100010, 100060, 100090, 100090, 100120, 100500});
  json mail = ReportAt(p, "2026-11-21T12:29:59+09:00", "2026-11-21T12:30:00+09:00");
  const std::string body = mail["body"];
  INFO(body);
  CHECK(mail["subject"] == "【水守】見守り：水の使用がありました（11月21日 6:00〜12:00）");
  CHECK(mail["to_name"] == "息子");
  CHECK(Contains(body, "11月21日 6:00〜12:00に、水道の使用がありました。"));
  CHECK(Contains(body, "使用水量：120 L"));
  CHECK(Contains(body, "お客様番号：0-0000008002"));
  CHECK(Contains(body, "ご住所：水守市本町1-2-3"));
  CHECK(Contains(body, "安否を保証するものではありません"));
  CHECK_FALSE(Contains(body, "遅れて"));
  StopLink(body);
  CHECK(p.Count("SELECT count(*) FROM mail_outbox WHERE kind = 'watch_report' AND created_at = " +
                std::to_string(At("2026-11-21T12:30:00+09:00"))) == 1);
  CHECK(p.Count("SELECT volume_l FROM watch_reports WHERE window_id = '2026-11-21T06'") == 120);
  // The next day's window is reported the next day, and only then.
  p.SetClock("2026-11-22T12:29:00+09:00");
  p.WaitPolls();
  CHECK(p.Outbox("son@example.jp", "watch_report") == 1);
}

TEST_CASE("watch: while another server has the evaluation turn this one waits, then reports once",
          "[watch]") {
  WatchPortal p;
  WatchedParent(p);
  p.StoreRegisters("M000001", "2026-11-21T05:00:00+09:00",
                   {99000, 100000, 100010, 100010, 100060, 100090, 100090, 100120, 100500});
  // On PostgreSQL, another server's evaluation: its session holds the turn (a session advisory lock). Ended,
  // and the hand evaluation joined, whatever a failed assertion throws.
  struct OtherServer {
    PGconn* conn = nullptr;
    std::thread evaluate;
    void End() {
      if (conn) PQfinish(conn);
      conn = nullptr;
    }
    ~OtherServer() {
      End();
      if (evaluate.joinable()) evaluate.join();
    }
  } other;
  if (PostgresAdminUrl()) {
    other.conn = PQconnectdb(p.App().db_path.c_str());
    REQUIRE(PQstatus(other.conn) == CONNECTION_OK);
    PQclear(PQexec(other.conn, "SELECT pg_advisory_lock(7310003)"));
    // A bureau's database may bound lock waits: the hand evaluation must wait for the turn all the same.
    PQclear(
        PQexec(other.conn,
               "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET lock_timeout = %L', current_database(), "
               "'200ms'); END $$"));
  }
  p.SetClock("2026-11-21T12:30:00+09:00");
  p.WaitPolls();
  if (other.conn) {
    CHECK(p.Outbox("son@example.jp", "watch_report") == 0);  // not this server's turn: nothing, cursor kept
    // `mizumori evaluate` (the App overload) waits for the turn instead of returning with nothing: its lock
    // request shows in pg_locks, not granted, while the other session holds the turn.
    std::atomic<bool> done{false};
    mizu::backend::EvaluateResult by_hand;
    std::string failed;
    other.evaluate = std::thread([&] {
      try {
        by_hand = mizu::backend::EvaluateDue(p.App(), At("2026-11-21T12:30:00+09:00"));
      } catch (const std::exception& e) {
        failed = e.what();
      }
      done = true;
    });
    const std::string waiting =
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 7310003 AND NOT granted AND "
        "database = (SELECT oid FROM pg_database WHERE datname = current_database())";
    WaitUntil([&] { return p.Count(waiting) != 0; });
    CHECK(p.Count(waiting) == 1);
    CHECK(p.Outbox("son@example.jp", "watch_report") == 0);
    // Past the database's lock_timeout: still waiting, not failed.
    const std::string waited =
        "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE "
        "l.locktype = 'advisory' AND l.objid = 7310003 AND NOT l.granted AND "
        "a.query_start < now() - interval '400 milliseconds'";
    CHECK(WaitUntil([&] { return done || p.Count(waited) != 0; }));
    CHECK_FALSE(done);
    other.End();  // that server ends (or crashes): its session's lock goes with it, to the one waiting
    other.evaluate.join();
    CHECK(failed.empty());
    CHECK(by_hand.windows == 1);
  }
  p.WaitPolls();
  CHECK(p.Outbox("son@example.jp", "watch_report") == 1);
  CHECK(p.Count("SELECT count(*) FROM watch_reports WHERE window_id = '2026-11-21T06'") == 1);
}

TEST_CASE("watch: zero use is 'no water used' only when every hour arrived", "[watch]") {
  WatchPortal p;
  WatchedParent(p, {6}, "en");
  p.StoreRegisters("M000001", "2026-11-21T06:00:00+09:00", {5000, 5000, 5000, 5000, 5000, 5000, 5000});
  json mail = ReportAt(p, "2026-11-21T12:29:00+09:00", "2026-11-21T12:30:00+09:00", "Watch:");
  const std::string body = mail["body"];
  INFO(body);
  CHECK(mail["subject"] == "[Mizumori] Watch: no water was used (Nov 21, 06:00–12:00 JST)");
  CHECK(Contains(body, "Water used: 0 L (the meter's data for every hour of this time arrived)"));
  CHECK(Contains(body, "guarantees nothing about anyone's safety"));
  StopLink(body);
}

TEST_CASE("watch: missing readings give the no-data mail, never 'no water used'", "[watch]") {
  SECTION("ja") {
    WatchPortal p;
    WatchedParent(p);
    // Readings before and after the window only: the window itself is unknown.
    p.StoreRegisters("M000001", "2026-11-21T03:00:00+09:00", {7000, 7000, 7000});
    p.StoreRegisters("M000001", "2026-11-21T13:00:00+09:00", {7000});
    json mail = ReportAt(p, "2026-11-21T12:29:00+09:00", "2026-11-21T12:30:00+09:00");
    const std::string body = mail["body"];
    INFO(body);
    CHECK(mail["subject"] == "【水守】見守り：メーターのデータが届いていません（11月21日 6:00〜12:00）");
    CHECK(Contains(body, "11月21日 12:30の時点で届いていません"));
    CHECK(Contains(body, "「水の使用がなかった」という意味ではありません"));
    CHECK_FALSE(Contains(body, "使用はありませんでした"));
    CHECK_FALSE(Contains(body, "0 L"));
    CHECK(p.Count("SELECT count(*) FROM watch_reports WHERE outcome = 'no_data'") == 1);
  }
  SECTION("en") {
    WatchPortal p;
    WatchedParent(p, {6}, "en");
    json mail = ReportAt(p, "2026-11-21T12:29:00+09:00", "2026-11-21T12:30:00+09:00", "Watch:");
    const std::string body = mail["body"];
    INFO(body);
    CHECK(mail["subject"] == "[Mizumori] Watch: no meter data (Nov 21, 06:00–12:00 JST)");
    CHECK(Contains(body, "This does NOT mean that no water was used."));
    CHECK_FALSE(Contains(body, "No water was used"));
  }
}

TEST_CASE("watch: partial data says how many hours arrived and the volume in them", "[watch]") {
  WatchPortal p;
  WatchedParent(p);
  // 9:00 never arrived: hours 8–9 and 9–10 are unknown; 6–8 and 10–12 measured: 20 + 5 + 40 + 0 = 65 L.
  p.StoreRegisters("M000001", "2026-11-21T06:00:00+09:00", {1000, 1020, 1025, -1, 1100, 1140, 1140});
  json mail = ReportAt(p, "2026-11-21T12:29:00+09:00", "2026-11-21T12:30:00+09:00");
  const std::string body = mail["body"];
  INFO(body);
  CHECK(mail["subject"] == "【水守】見守り：一部の時間のデータが届いていません（11月21日 6:00〜12:00）");
  CHECK(Contains(body, "6時間中4時間分"));
  CHECK(Contains(body, "データが届いた4時間の使用水量：65 L"));
  CHECK(Contains(body, "データが届いていない時間：8:00〜10:00"));
  CHECK_FALSE(Contains(body, "使用はありませんでした"));
}

TEST_CASE("watch: a window crossing midnight (start 22, width 6) is reported at 04:30 the next day",
          "[watch]") {
  WatchPortal p;
  REQUIRE(p.SignUp("parent@example.jp").status == 201);
  p.SetClock("2026-11-21T20:00:00+09:00");
  REQUIRE(p.PutWatch("00000008002", {{"start_hours", {22}}, {"recipients", {kSon}}}).status == 200);
  p.StoreRegisters("M000001", "2026-11-21T22:00:00+09:00", {300, 310, 310, 310, 310, 310, 318});
  json mail = ReportAt(p, "2026-11-22T04:29:59+09:00", "2026-11-22T04:30:00+09:00");
  CHECK(mail["subject"] == "【水守】見守り：水の使用がありました（11月21日 22:00〜11月22日 4:00）");
  CHECK(Contains(mail["body"], "使用水量：18 L"));
  CHECK(p.Count("SELECT count(*) FROM watch_reports WHERE window_id = '2026-11-21T22'") == 1);
}

TEST_CASE("watch: pattern 2 — a family member's account watches the parent's contract", "[watch]") {
  WatchPortal p;
  REQUIRE(p.SignUp("child@example.jp").status == 201);  // the child's own contract 8002
  auto add = p.Post("/api/v1/contracts", {{"customer_number", "0-0000008004"},
                                          {"bureau_phone", "0467-22-3333"},
                                          {"name_kana", "ヤマダ ハナ"},
                                          {"relationship", "family"},
                                          {"consent", true}});
  REQUIRE(add.status == 201);
  p.SetClock("2026-11-21T05:00:00+09:00");
  auto put = p.PutWatch("00000008004", {{"start_hours", {6}},
                                        {"recipients", {{{"name", "子"}, {"email", "child@example.jp"}}}}});
  REQUIRE(put.status == 200);
  auto added = p.WaitForMails("child@example.jp", 1, "通知先に登録されました");
  REQUIRE(added.size() == 1);
  CHECK(Contains(added[0]["body"], "0-0000008004"));
  CHECK(Contains(added[0]["body"], "水守市桜台4-5-6"));
  p.StoreRegisters("M000002", "2026-11-21T06:00:00+09:00", {40, 45, 45, 60, 60, 61, 70});
  p.SetClock("2026-11-21T12:30:00+09:00");
  auto reports = p.WaitForMails("child@example.jp", 1, kReport);
  REQUIRE(reports.size() == 1);
  CHECK(Contains(reports[0]["body"], "使用水量：30 L"));
  CHECK(Contains(reports[0]["body"], "0-0000008004"));
  // The parent can no longer register the contract themselves (M5), so watching stays with the child.
  CHECK(p.Count("SELECT count(*) FROM watches w JOIN contract_links l USING (customer_number) "
                "JOIN accounts a ON a.id = l.account_id WHERE a.email = 'child@example.jp'") == 1);
}

TEST_CASE("watch: a register that goes down (meter replaced) is neither negative use nor 'no water used'",
          "[watch]") {
  WatchPortal p;
  WatchedParent(p);
  // Replaced between 8:00 and 9:00 (register back near zero): that hour is unknown, the others count.
  p.StoreRegisters("M000001", "2026-11-21T06:00:00+09:00", {90000, 90010, 90030, 5, 25, 25, 40});
  json mail = ReportAt(p, "2026-11-21T12:29:00+09:00", "2026-11-21T12:30:00+09:00");
  const std::string body = mail["body"];
  INFO(body);
  CHECK(Contains(mail["subject"], "一部の時間のデータが届いていません"));
  CHECK(Contains(body, "データが届いた5時間の使用水量：65 L"));
  CHECK(Contains(body, "※メーターの交換などにより、計測できなかった時間があります。"));
}
