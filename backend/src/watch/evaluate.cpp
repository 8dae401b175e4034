// Evaluation of due watch windows (W1, W7): which (watch, window) pairs fell due since the remembered
// instant, their readings through ReadingsForMeters, EvaluateWindow, and one report mail per recipient —
// exactly once per (watch, window): the report row (PRIMARY KEY watch_id, window_id) and its mails commit in
// one transaction, and a pair whose row exists is never mailed again.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <limits>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include "mizu/backend/ingest.hpp"
#include "mizu/backend/push.hpp"
#include "mizu/backend/watch.hpp"
#include "mizu/time.hpp"
#include "watch_mail.hpp"
#include "watch_store.hpp"

namespace mizu::backend {
namespace {

constexpr const char* kCursorKey = "watch.evaluated_upto";
constexpr const char* kHistoryKey = "watch.history_until";  // see RecordWatchHistoryUntil
constexpr size_t kChunk = 512;                              // watches per transaction: short write locks
constexpr int64_t kReportRetentionSeconds = 35 * 86400;     // report rows older than this are pruned

std::optional<int64_t> ReadInstant(Database& db, const char* key) {
  auto q = db.Prepare("SELECT value FROM server_state WHERE key = ?");
  q.Bind(1, key);
  if (!q.Step()) return std::nullopt;
  try {
    return std::stoll(q.Text(0));
  } catch (const std::exception&) {
    return std::nullopt;  // unreadable: as if absent (for the cursor: the report rows dedupe)
  }
}

// Moves a remembered instant forward only (a concurrent evaluator may have gone further).
void WriteInstantForward(Database& db, const char* key, int64_t instant) {
  db.Transaction([&] {
    auto current = ReadInstant(db, key);
    if (current && *current >= instant) return;
    db.Prepare(
          "INSERT INTO server_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
          "excluded.value")
        .Bind(1, key)
        .Bind(2, std::to_string(instant))
        .Run();
  });
}

struct DueWatch {
  int64_t watch_id = 0;
  watch::ContractInfo contract;
  std::string meter_id;
  MeterLimits limits;
  Lang lang = Lang::kJa;
  WindowEvaluation evaluation;
};

// The watches with this start hour, watched since before the window's due instant, not yet reported.
std::vector<DueWatch> DueWatches(Database& db, const Config& config, const WindowId& window, int64_t due,
                                 const std::string& window_key) {
  auto q = db.Prepare(
      "SELECT h.watch_id, w.customer_number, COALESCE(c.meter_id, ''), w.lang, COALESCE(c.address, ''), "
      "COALESCE(c.diameter_mm, 0) "
      "FROM watch_hours h JOIN watches w ON w.id = h.watch_id "
      "LEFT JOIN customers c ON c.customer_number = w.customer_number "
      "WHERE h.start_hour = ?1 AND h.active_from < ?2 AND NOT EXISTS "
      "(SELECT 1 FROM watch_reports r WHERE r.watch_id = h.watch_id AND r.window_id = ?3) ORDER BY "
      "h.watch_id");
  q.Bind(1, int64_t{window.start_hour}).Bind(2, due).Bind(3, window_key);
  std::vector<DueWatch> out;
  while (q.Step()) {
    DueWatch d;
    d.watch_id = q.Int(0);
    d.contract.customer_number = q.Text(1);
    d.contract.display_number =
        FormatCustomerNumber(d.contract.customer_number, config.utility.customer_number);
    d.meter_id = q.Text(2);
    d.lang = ParseLang(q.Text(3));
    d.contract.address = q.Text(4);
    d.limits = MeterLimitsFor(config.utility, static_cast<int>(q.Int(5)));
    out.push_back(std::move(d));
  }
  return out;
}

// One chunk in one transaction: report row first; only when this call inserted it, the mails.
void CommitChunk(Database& db, const App& app, const WindowId& window, const std::string& window_key,
                 int64_t due, int64_t upto, int64_t now, bool late, std::vector<DueWatch>::iterator first,
                 std::vector<DueWatch>::iterator last, EvaluateResult& result) {
  db.Transaction([&] {
    // The watch may have been cancelled since DueWatches read it: then nothing is inserted (and nothing
    // mailed).
    auto report = db.Prepare(
        "INSERT INTO watch_reports (watch_id, window_id, due_at, evaluated_at, outcome, volume_l, "
        "hours_present, hours_expected, late, mails) SELECT CAST(?1 AS BIGINT), CAST(?2 AS TEXT), "
        "CAST(?3 AS BIGINT), CAST(?4 AS BIGINT), CAST(?5 AS TEXT), CAST(?6 AS BIGINT), CAST(?7 AS BIGINT), "
        "CAST(?8 AS BIGINT), CAST(?9 AS BIGINT), CAST(?10 AS BIGINT) "
        "WHERE EXISTS (SELECT 1 FROM watches WHERE id = ?1) ON CONFLICT DO NOTHING");
    // The chunk's recipients in one statement (one round trip on PostgreSQL, not one per watch): the ids as a
    // JSON array for SQLite's json_each, an array literal for PostgreSQL.
    const bool postgres = db.engine() == Engine::kPostgres;
    std::string ids;
    for (auto it = first; it != last; ++it) ids += (ids.empty() ? "" : ",") + std::to_string(it->watch_id);
    auto recipients =
        db.Prepare(std::string("SELECT watch_id, name, email, stop_nonce FROM watch_recipients WHERE ") +
                   (postgres ? "watch_id = ANY(CAST(?1 AS BIGINT[]))"
                             : "watch_id IN (SELECT value FROM json_each(?1))") +
                   " AND stopped_at IS NULL ORDER BY watch_id, position");
    recipients.Bind(1, postgres ? "{" + ids + "}" : "[" + ids + "]");
    struct Recipient {
      std::string name, email, stop_nonce;
    };
    std::unordered_map<int64_t, std::vector<Recipient>> by_watch;
    while (recipients.Step())
      by_watch[recipients.Int(0)].push_back({recipients.Text(1), recipients.Text(2), recipients.Text(3)});
    recipients.Reset();
    // Recipients who hold an account with push on get the report by push (push.hpp).
    const PushAddresses push = LoadPushAddresses(db);
    int windows = 0, mails = 0, lates = 0, anomalies = 0;
    for (auto it = first; it != last; ++it) {
      std::vector<OutgoingMail> out;
      watch::ReportFacts facts{it->contract, window, it->evaluation, upto, std::nullopt};
      if (late) facts.late_due = due;
      for (const Recipient& r : by_watch[it->watch_id]) {
        const std::string url = WatchStopUrl(app.config, WatchStopToken(app, r.stop_nonce));
        out.push_back(watch::ReportMail(app, it->lang, facts, r.email, r.name, url));
      }
      const WindowEvaluation& ev = it->evaluation;
      report.Bind(1, it->watch_id).Bind(2, window_key).Bind(3, due).Bind(4, upto);
      report.Bind(5, OutcomeName(ev.outcome)).Bind(6, ev.volume_l).Bind(7, int64_t{ev.hours_present});
      report.Bind(8, int64_t{ev.hours_expected})
          .Bind(9, int64_t{late})
          .Bind(10, static_cast<int64_t>(out.size()));
      report.Run();
      const bool inserted = db.Changes() == 1;
      report.Reset();
      if (!inserted) continue;  // another evaluator reported this (watch, window) already
      ++windows;
      lates += late ? 1 : 0;
      anomalies += static_cast<int>(ev.anomaly_interval_ends_utc.size());
      for (const auto& mail : out) {
        try {
          EnqueueToAddress(db, mail, "/#/top", now, push);
          ++mails;
        } catch (const std::invalid_argument& e) {  // one unrenderable address must not hold back the rest
          std::fprintf(stderr, "watch: report to recipient of watch %lld not mailed: %s\n",
                       static_cast<long long>(it->watch_id), e.what());
        }
      }
    }
    result.windows += windows;
    result.mails += mails;
    result.late += lates;
    result.anomaly_hours += anomalies;
  });
}

// False when cancelled between two chunks. A window due before `history_until` is never late.
bool EvaluateWindowSlot(Database& db, const App& app, const WindowId& window, int64_t upto, int64_t now,
                        int64_t history_until, const std::atomic<bool>* cancel, EvaluateResult& result) {
  const WatchSettings& settings = app.config.watch;
  const int64_t due = WindowDueUtc(window, settings);
  const bool late = upto - due > kLateAfterSeconds && due >= history_until;
  const int64_t start = WindowStartUtc(window);
  const int64_t end = WindowEndUtc(window, settings);
  const std::string window_key = FormatWindowId(window);
  std::vector<DueWatch> due_watches = DueWatches(db, app.config, window, due, window_key);
  for (size_t i = 0; i < due_watches.size(); i += kChunk) {
    if (cancel && cancel->load()) return false;
    const size_t stop = std::min(due_watches.size(), i + kChunk);
    std::vector<std::string> meters;  // one bulk read per chunk (ReadingsForMeter for many meters)
    for (size_t k = i; k < stop; ++k) meters.push_back(due_watches[k].meter_id);
    const std::vector<std::vector<HourlyReading>> readings = ReadingsForMeters(db, meters, start, end);
    for (size_t k = i; k < stop; ++k)
      due_watches[k].evaluation = EvaluateWindow(window, settings, readings[k - i], due_watches[k].limits);
    CommitChunk(db, app, window, window_key, due, upto, now, late,
                due_watches.begin() + static_cast<std::ptrdiff_t>(i),
                due_watches.begin() + static_cast<std::ptrdiff_t>(stop), result);
  }
  return true;
}

}  // namespace

namespace {

// Several servers on one PostgreSQL database (docs/operations.md): one evaluates the due windows at a time —
// a session advisory lock, released when it is done or when its session ends (a crashed server's lock goes
// with its connection, so another server takes over from the shared cursor). The schedulers' polls that find
// it taken return at once, their cursor untouched (kSkip); `mizumori evaluate` waits for it (kWait). The
// unique report row keeps exactly once even without the lock (a reconnect drops it).
class EvaluationTurn {
 public:
  EvaluationTurn(Database& db, EvaluationTurnPolicy policy) : db_(db) {
    if (db.engine() != Engine::kPostgres) return;
    // Waiting means waiting: a lock_timeout or statement_timeout set for the database or role would turn the
    // wait into an error after that time (this session's own settings; the CLI's connection is its own).
    if (policy == EvaluationTurnPolicy::kWait) db.Exec("SET lock_timeout = 0; SET statement_timeout = 0");
    auto q = db.Prepare(policy == EvaluationTurnPolicy::kWait
                            ? "SELECT 1 FROM pg_advisory_lock(7310003)"
                            : "SELECT CASE WHEN pg_try_advisory_lock(7310003) THEN 1 ELSE 0 END");
    held_ = q.Step() && q.Int(0) == 1;
    locked_ = held_;
  }
  ~EvaluationTurn() {
    if (!locked_) return;
    try {
      auto q = db_.Prepare("SELECT pg_advisory_unlock(7310003)");
      q.Step();
    } catch (const DbError&) {  // the session is gone: so is its lock
    }
  }
  EvaluationTurn(const EvaluationTurn&) = delete;
  EvaluationTurn& operator=(const EvaluationTurn&) = delete;
  // False when another server is evaluating (PostgreSQL only).
  bool Mine() const { return held_ || db_.engine() != Engine::kPostgres; }

 private:
  Database& db_;
  bool held_ = false, locked_ = false;
};

}  // namespace

EvaluateResult EvaluateDue(Database& db, const App& app, int64_t upto, int64_t now,
                           const std::atomic<bool>* cancel, EvaluationTurnPolicy policy) {
  EvaluateResult result;
  const EvaluationTurn turn(db, policy);
  if (!turn.Mine()) {  // another server is at it: its cursor is the one that moves
    result.evaluated_upto = ReadInstant(db, kCursorKey).value_or(0);
    return result;
  }
  result.farewells = SendWatchFarewells(db, app, now);
  const std::optional<int64_t> cursor = ReadInstant(db, kCursorKey);
  result.evaluated_upto = cursor.value_or(0);
  auto first = db.Prepare("SELECT MIN(active_from) FROM watch_hours");
  first.Step();
  if (first.IsNull(0)) return result;  // no watch: nothing to remember either
  int64_t after = std::max(cursor.value_or(std::numeric_limits<int64_t>::min()), first.Int(0));
  first.Reset();
  if (upto <= after) return result;
  if (after < upto - kCatchUpHorizonSeconds) {
    std::fprintf(stderr, "watch: windows due %s .. %s are beyond the catch-up horizon: not evaluated\n",
                 FormatIsoJst(after).c_str(), FormatIsoJst(upto - kCatchUpHorizonSeconds).c_str());
    after = upto - kCatchUpHorizonSeconds;
  }
  std::vector<int> every_hour(24);
  std::iota(every_hour.begin(), every_hour.end(), 0);
  const std::vector<WindowId> windows = WindowsDueIn(every_hour, app.config.watch, after, upto);
  if (windows.empty()) return result;
  const int64_t history_until = ReadInstant(db, kHistoryKey).value_or(std::numeric_limits<int64_t>::min());
  for (const WindowId& w : windows)  // false: cancelled, resumed at the next start
    if (!EvaluateWindowSlot(db, app, w, upto, now, history_until, cancel, result)) return result;
  WriteInstantForward(db, kCursorKey, upto);
  result.evaluated_upto = std::max(result.evaluated_upto, upto);
  db.Transaction([&] {
    db.Prepare("DELETE FROM watch_reports WHERE due_at < ?").Bind(1, upto - kReportRetentionSeconds).Run();
  });
  if (result.windows > 0) {
    std::fprintf(stderr, "watch: %d windows reported up to %s (%d late), %d mails\n", result.windows,
                 FormatIsoJst(upto).c_str(), result.late, result.mails);
  }
  return result;
}

void RecordWatchHistoryUntil(Database& db, int64_t instant) {
  WriteInstantForward(db, kHistoryKey, instant);
}

EvaluateResult EvaluateDue(App& app, int64_t upto) {
  Database db(app.db_path);
  EvaluateResult result = EvaluateDue(db, app, upto, app.clock.Now(), nullptr, EvaluationTurnPolicy::kWait);
  if (result.mails + result.farewells > 0) NotifyMail(app);
  return result;
}

}  // namespace mizu::backend
