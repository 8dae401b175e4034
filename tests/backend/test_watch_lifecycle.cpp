// Watch reports across server restarts and downtime, with concurrent evaluators, after unlinking and
// withdrawal, and through the `mizumori evaluate` / `demo-data` commands.
#include <atomic>

#include "test_watch_helpers.hpp"

using namespace mizu::testing;

namespace {

const json kSon = {{"name", "息子"}, {"email", "son@example.jp"}};
const char* kReport = "見守り：";

void WatchedParent(WatchPortal& p, const json& hours) {
  REQUIRE(p.SignUp("parent@example.jp").status == 201);
  p.SetClock("2026-11-21T05:00:00+09:00");
  REQUIRE(p.PutWatch("00000008002", {{"start_hours", hours}, {"recipients", {kSon}}}).status == 200);
  p.StoreRegisters("M000001", "2026-11-21T06:00:00+09:00", {100, 110, 110, 160, 190, 190, 220});
}

}  // namespace

TEST_CASE("watch: each window is reported exactly once across restarts, lost state and rival evaluators",
          "[watch]") {
  WatchPortal p;
  WatchedParent(p, {6});
  p.SetClock("2026-11-21T12:30:00+09:00");
  REQUIRE(p.WaitForMails("son@example.jp", 1, kReport).size() == 1);

  // A new server on the same data folder does not report the window again.
  p.Stop();
  p.Start("2026-11-21T12:31:00+09:00");
  p.WaitPolls(3);
  CHECK(p.Outbox("son@example.jp", "watch_report") == 1);

  // Not even when the remembered instant is lost: the (watch, window) row is the guarantee.
  p.Stop();
  {
    mizu::backend::Database db((p.DataDir() / "mizumori.db").string());
    db.Exec("DELETE FROM server_state WHERE key = 'watch.evaluated_upto'");
  }
  p.Start("2026-11-21T12:32:00+09:00");
  p.WaitPolls(3);
  CHECK(p.Outbox("son@example.jp", "watch_report") == 1);
  CHECK(p.Count("SELECT count(*) FROM watch_reports") == 1);

  // Four evaluators at once on their own connections (e.g. `mizumori evaluate` beside the server) for the
  // next day's window: one of them reports it, the others find the row.
  const int64_t next_due = At("2026-11-22T12:30:00+09:00");
  std::atomic<int> reported{0};
  std::vector<std::thread> rivals;
  for (int i = 0; i < 4; ++i)
    rivals.emplace_back([&] { reported += mizu::backend::EvaluateDue(p.App(), next_due).windows; });
  for (auto& t : rivals) t.join();
  CHECK(reported == 1);
  CHECK(p.Outbox("son@example.jp", "watch_report") == 2);
  CHECK(mizu::backend::EvaluateDue(p.App(), next_due).windows == 0);
  CHECK(p.WaitForMails("son@example.jp", 2, kReport).size() == 2);
}

TEST_CASE("watch: reports that fell due while the server was down are sent at start, saying they are late",
          "[watch]") {
  WatchPortal p;
  WatchedParent(p, {6, 18});
  p.SetClock("2026-11-21T11:00:00+09:00");
  p.WaitPolls();
  p.Stop();  // down from 11:00 to 15:10: the 12:30 report falls due meanwhile

  p.Start("2026-11-21T15:10:00+09:00");
  auto late = p.WaitForMails("son@example.jp", 1, kReport);
  REQUIRE(late.size() == 1);
  const std::string body = late[0]["body"];
  INFO(body);
  CHECK(Contains(body, "使用水量：120 L"));
  CHECK(Contains(body,
                 "※このお知らせは、システムの停止などにより、予定（11月21日 12:30）より遅れて11月21日 "
                 "15:10に送信しています。"));
  CHECK(p.Count("SELECT late FROM watch_reports WHERE window_id = '2026-11-21T06'") == 1);

  // The 18:00 window is then reported on time (and, its readings missing, as no data).
  p.SetClock("2026-11-22T00:30:00+09:00");
  auto both = p.WaitForMails("son@example.jp", 2, kReport);
  REQUIRE(both.size() == 2);
  CHECK(Contains(both[1]["subject"], "メーターのデータが届いていません（11月21日 18:00〜24:00）"));
  CHECK_FALSE(Contains(both[1]["body"], "遅れて"));
}

TEST_CASE("watch: windows due over 48 hours before the evaluation are not reported, rows over 35 days pruned",
          "[watch]") {
  WatchPortal p;
  WatchedParent(p, {6});
  p.SetClock("2026-11-21T11:00:00+09:00");
  p.WaitPolls();
  p.Stop();  // down from Sat 11-21 11:00 to Mon 11-23 13:00

  p.Start("2026-11-23T13:00:00+09:00");
  p.WaitPolls(3);
  // Due 11-21 12:30 is 48 h 30 min back: beyond the catch-up horizon, never reported (docs/operations.md).
  CHECK(p.Count("SELECT count(*) FROM watch_reports WHERE window_id = '2026-11-21T06'") == 0);
  // Due 11-22 12:30 (24 h 30 min back) and 11-23 12:30 (30 min back) are reported, late.
  CHECK(p.Count("SELECT count(*) FROM watch_reports WHERE window_id = '2026-11-22T06' AND late = 1") == 1);
  CHECK(p.Count("SELECT count(*) FROM watch_reports WHERE window_id = '2026-11-23T06' AND late = 1") == 1);
  CHECK(p.Outbox("son@example.jp", "watch_report") == 2);

  // 35 days after 11-22 13:00: the evaluation prunes the rows due before then and keeps the younger one.
  p.SetClock("2026-12-27T13:00:00+09:00");
  p.WaitPolls(3);
  CHECK(p.Count("SELECT count(*) FROM watch_reports WHERE window_id = '2026-11-22T06'") == 0);
  CHECK(p.Count("SELECT count(*) FROM watch_reports WHERE window_id = '2026-11-23T06'") == 1);
  CHECK(p.Count("SELECT count(*) FROM watch_reports WHERE window_id = '2026-12-27T06'") == 1);
}

TEST_CASE("watch: unlinking the contract or withdrawing deletes the watch and tells its recipients",
          "[watch]") {
  WatchPortal p;
  // Pattern 2: the child holds the parent's contract and watches it.
  REQUIRE(p.SignUp("child@example.jp").status == 201);
  REQUIRE(p.Post("/api/v1/contracts", {{"customer_number", "00000008004"},
                                       {"bureau_phone", "0467-22-3333"},
                                       {"name_kana", "ヤマダ ハナ"},
                                       {"relationship", "family"},
                                       {"consent", true}})
              .status == 201);
  p.SetClock("2026-11-21T05:00:00+09:00");
  json both = {{{"name", "子"}, {"email", "child@example.jp"}},
               {{"name", "孫"}, {"email", "grandchild@example.jp"}}};
  REQUIRE(p.PutWatch("00000008004", {{"start_hours", {6}}, {"recipients", both}}).status == 200);
  REQUIRE(p.PutWatch("00000008002", {{"start_hours", {18}}, {"recipients", {kSon}}}).status == 200);
  CHECK(p.Count("SELECT count(*) FROM watches") == 2);

  auto unlink = p.Send("DELETE", "/api/v1/contracts/00000008004");
  REQUIRE(unlink.status / 100 == 2);
  CHECK(p.Count("SELECT count(*) FROM watches") == 1);
  CHECK(p.Count("SELECT count(*) FROM watch_recipients WHERE email = 'grandchild@example.jp'") == 0);
  // The scheduler turns the trigger's notices into "ended" mails.
  auto ended = p.WaitForMails("grandchild@example.jp", 1, "配信を終了しました");
  REQUIRE(ended.size() == 1);
  CHECK(Contains(ended[0]["body"], "0-0000008004"));
  p.StoreRegisters("M000002", "2026-11-21T06:00:00+09:00", {1, 2, 3, 4, 5, 6, 7});
  p.SetClock("2026-11-21T12:30:00+09:00");
  p.WaitPolls();
  CHECK(p.Outbox("child@example.jp", "watch_report") == 0);
  CHECK(p.Outbox("grandchild@example.jp", "watch_report") == 0);

  // Withdrawal (退会) removes the account, its links and so the remaining watch.
  auto withdraw = p.Post("/api/v1/me/withdraw", {{"password", WatchPortal::kPassword}});
  REQUIRE(withdraw.status / 100 == 2);
  CHECK(p.Count("SELECT count(*) FROM watches") == 0);
  CHECK(p.Count("SELECT count(*) FROM watch_hours") == 0);
  CHECK(p.WaitForMails("son@example.jp", 1, "配信を終了しました").size() == 1);
  p.SetClock("2026-11-22T00:30:00+09:00");
  p.WaitPolls();
  CHECK(p.Outbox("son@example.jp", "watch_report") == 0);
  CHECK(p.Count("SELECT count(*) FROM watch_farewells") == 0);
}

TEST_CASE("watch: `mizumori demo-data` then `mizumori evaluate --at` writes report mails once", "[watch]") {
  const TempDir dir("mizu-watch-cli");
  const std::string data = " --data " + (dir / "data").string();
  REQUIRE(RunMizumoriCli("demo-data" + data).code == 0);
  // The demo's watches were set up 26 hours before the real now; evaluate up to now.
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  auto first = RunMizumoriCli("evaluate --at " + mizu::FormatIsoJst(now) + data);
  INFO(first.out);
  REQUIRE(first.code == 0);
  std::smatch m;
  REQUIRE(std::regex_search(first.out, m, std::regex("([0-9]+) windows reported")));
  CHECK(std::stoi(m[1]) >= 2);
  CHECK(Contains(first.out, "reported (0 late)"));  // the demo's past day is history, not an outage
  json mails = Inspect(dir / "data" / "mail");
  int reports = 0;
  for (const auto& mail : mails) {
    reports += Contains(mail["subject"], kReport) ? 1 : 0;
    CHECK_FALSE(Contains(mail["body"], "遅れて"));
  }
  CHECK(reports >= 3);  // two recipients on the demo resident's contract, one on the parent's
  CHECK(
      std::regex_search(first.out, std::regex("\nalerts: [0-9]+ events, [0-9]+ mails\n")));  // the alert pass
  auto second = RunMizumoriCli("evaluate --at " + mizu::FormatIsoJst(now) + data);
  CHECK(Contains(second.out, " 0 windows reported"));
  CHECK(Contains(second.out, "alerts: 0 events, 0 mails"));  // each episode once, also through the command
  CHECK(RunMizumoriCli("evaluate --at yesterday" + data).code == 2);
}
