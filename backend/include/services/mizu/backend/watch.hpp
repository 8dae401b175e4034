#pragma once
// The water watch (見守り, W1–W7) on the server: watch settings per linked smart-meter contract, the mails
// to recipients (added, report, ended), the per-recipient stop link, and the evaluation of due windows —
// exactly once per (watch, window), also across restarts and with several evaluators at once.
//   [X] GET/PUT/DELETE of a contract's watch (both patterns: own contract, or a family member's link)
//   [X] report mails: used / not used / no data / partial, late note after downtime, disclaimer, stop link
//   [X] stop link without login (CSPRNG token, stored hashed), affects one recipient of one watch
//   [X] "ended" mail to the recipients when a watch goes (cancel, recipient removed, unlink, withdrawal)
//   [X] scheduler thread (polls the App's clock; wakes on Notify) and the same EvaluateDue for the CLI
//   [ ] a follow-up mail when readings of a no-data / partial window arrive later
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "mizu/backend/app.hpp"
#include "mizu/i18n.hpp"
#include "mizu/watch.hpp"

namespace mizu::backend {

// "<base>/api/v1/watch/stop?token=…": base is config public_url ($MIZU_PUBLIC_URL), else http://<listen
// host>:<port>.
std::string WatchStopUrl(const Config& config, const std::string& token);
// A recipient's stop token: HMAC-SHA-256(app.code_key, nonce) in hex. The database holds the nonce and the
// token's hash, so a leaked database alone yields no working link, yet every report mail can carry it.
std::string WatchStopToken(const App& app, const std::string& nonce);

// ---- Settings (W2–W6) ----------------------------------------------------------------------------------

struct WatchRecipientView {
  std::string name;
  std::string email;
  bool stopped = false;  // the recipient used the stop link: no more mails to this address for this watch
  int64_t added_at = 0;
};

struct WatchView {
  std::string customer_number;  // digits
  std::string display_number;   // 0-0000008002
  std::string address;
  bool active = false;           // false: no watch on this contract (the lists are empty)
  std::vector<int> start_hours;  // 0..23, as stored (24 was normalised to 0), in the order given
  std::vector<WatchRecipientView> recipients;
  std::string lang = "ja";  // the language of the mails
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::vector<std::string> mailed;  // PUT only: the addresses that were sent an "added" mail
};

struct WatchUpdate {
  std::vector<int> start_hours;  // raw (24 allowed)
  std::vector<WatchRecipient> recipients;
  Lang lang = Lang::kJa;
};

// The caller's linked contract with a smart meter, or ServiceError: 404 contract_not_found (not linked to
// this account), 409 watch_no_smart_meter.
WatchView GetWatch(App& app, int64_t account_id, const std::string& customer_number_input);
// Validates with ValidateStartHours / ValidateRecipients (400 with field errors; overlap → watch_overlap),
// then replaces the watch. Recipients are matched by address (case-insensitive): a kept address keeps its
// stop token and its stopped state; each NEW address gets an "added" mail with its own stop link; a removed
// one an "ended" mail. Start hours that were already watched keep their start instant, so a report falling
// due during the edit is not lost. Mails are in the outbox when this returns (same transaction). At most 20
// new addresses per account per day (429 rate_limited).
WatchView PutWatch(App& app, int64_t account_id, const std::string& customer_number_input,
                   const WatchUpdate& update, int64_t now);
// What the recipients will get (the confirmation step shows it before 登録): the report mail of each outcome
// — "used" (kPreviewVolumeL litres, an illustration), "not_used", "no_data" — about the next window of the
// first start hour after `now`, composed by the same ReportMail the scheduler sends, addressed to the first
// recipient, in update.lang, with the stop link's place named instead of a real link. Validates exactly as
// PutWatch (same errors) and changes nothing.
inline constexpr int64_t kPreviewVolumeL = 150;
struct WatchMailPreview {
  std::string outcome;  // used | not_used | no_data
  std::string subject;
  std::string body;  // plain text, as mailed
};
std::vector<WatchMailPreview> PreviewWatchMails(App& app, int64_t account_id,
                                                const std::string& customer_number_input,
                                                const WatchUpdate& update, int64_t now);
// Cancels the watch (「現在の見守り設定を解除する」); the recipients still receiving get an "ended" mail.
// No-op when there is none. Same errors as GetWatch.
void DeleteWatch(App& app, int64_t account_id, const std::string& customer_number_input, int64_t now);

// ---- Stop link ----------------------------------------------------------------------------------------

struct StopLinkInfo {
  std::string email;
  std::string display_number;
  std::string address;
  Lang lang = Lang::kJa;
  bool stopped = false;
  // 通知履歴 for the recipient: the watch's alerts that were sent, newest first (at most 20): {at, subject}.
  std::vector<std::pair<int64_t, std::string>> alerts;
};
// What a stop token is about; nullopt for an unknown token (or one whose watch is gone).
std::optional<StopLinkInfo> LookupStopToken(App& app, const std::string& token);
// Stops mails to that one recipient of that one watch (idempotent) and tells the account that set the watch
// up. nullopt for an unknown token.
std::optional<StopLinkInfo> StopByToken(App& app, const std::string& token, int64_t now);

// The demo (demo_data.cpp): a week of hourly readings for every smart meter, and watches set up a day before
// `now` on the demo logins' contracts (own contract and a parent's), so evaluation writes report mails.
void FillDemoWatch(App& app, int64_t now);

// ---- Evaluation (W1, W7) ------------------------------------------------------------------------------

struct EvaluateResult {
  int windows = 0;             // (watch, window) pairs reported by this call
  int mails = 0;               // report mails written to the outbox
  int late = 0;                // windows reported more than kLateAfterSeconds after their due instant
  int farewells = 0;           // "ended" mails written for watches that went away (unlink, withdrawal)
  int anomaly_hours = 0;       // hours of the reported windows whose meter values were impossible (meter.hpp)
  int64_t evaluated_upto = 0;  // the remembered instant after the call
};

// A report sent this long after its due instant says it is late.
inline constexpr int64_t kLateAfterSeconds = 10 * 60;
// After a longer downtime, windows that fell due more than this before `upto` are not reported any more
// (a report days late is no watch; it is logged instead).
inline constexpr int64_t kCatchUpHorizonSeconds = 48 * 3600;

// Reports every (watch, window) due in (remembered instant, upto] — per watch hour only windows due after
// that hour was set up — using EvaluateWindow over ReadingsForMeters. Each report row (UNIQUE per watch and
// window) is inserted in the same transaction as its mails, so a window is reported exactly once whatever
// crashes, restarts or concurrent evaluators do; then the remembered instant (server_state
// "watch.evaluated_upto") moves to upto. `now` stamps the outbox rows (when they may be sent). Uses `db` (the
// caller's connection, not app.db) and app's config and key only. A set `cancel` stops it between two
// transactions (the cursor then stays: the next call resumes).
// On PostgreSQL one connection evaluates at a time (a session advisory lock, "the evaluation turn"): with
// kSkip (the scheduler's polls) a call that finds another server's evaluation running returns at once,
// reporting nothing, its next poll tries again; with kWait (`mizumori evaluate`) it waits for that one to
// end, then evaluates what is still due. SQLite: no turn (one writer at a time anyway).
enum class EvaluationTurnPolicy { kSkip, kWait };
EvaluateResult EvaluateDue(Database& db, const App& app, int64_t upto, int64_t now,
                           const std::atomic<bool>* cancel = nullptr,
                           EvaluationTurnPolicy policy = EvaluationTurnPolicy::kSkip);
// The same on a fresh connection to the App's database, waiting for the turn, then wakes the mail relay. For
// the CLI and tests.
EvaluateResult EvaluateDue(App& app, int64_t upto);
// Windows due before `instant` were history when their readings arrived (a data folder filled with past
// readings, as the demo's is): reporting them later is not a delay of the service, so their mails carry no
// late note and they are not counted late. Remembered in server_state "watch.history_until"; moves forward
// only. Caller holds the connection (not inside a transaction).
void RecordWatchHistoryUntil(Database& db, int64_t instant);
// Turns the "ended" notices left by watches deleted with their contract link into outbox mails.
int SendWatchFarewells(Database& db, const App& app, int64_t now);

// The background evaluator: every poll interval (or on Notify) it runs EvaluateDue up to the App clock's
// now, on its own database connection. Errors are logged and retried at the next poll.
class WatchScheduler {
 public:
  WatchScheduler(App& app, std::chrono::milliseconds poll_interval);
  ~WatchScheduler();  // Stop()s
  WatchScheduler(const WatchScheduler&) = delete;
  WatchScheduler& operator=(const WatchScheduler&) = delete;
  void Start();   // no-op when running
  void Stop();    // finishes the evaluation in hand, joins; idempotent
  void Notify();  // look now (e.g. after the clock moved)
  // Polls completed so far (for tests that must know the scheduler has looked at least once more).
  uint64_t Polls() const;

 private:
  void Loop();
  App& app_;
  std::chrono::milliseconds poll_;
  std::unique_ptr<Database> db_;
  // Test mode: the shared test clock's value last seen in the database ('test.clock', written by
  // POST /api/v1/test/clock on any server), so that every server on the database follows a change. Read at
  // Start (the value then is the past: this server's clock was set as it started), so a change made on
  // another server once this one has started is followed however late its first poll comes.
  std::optional<std::string> shared_clock_seen_;  // guarded by mutex_
  std::string ReadSharedClock();
  void FollowSharedClock();

 public:
  // The test clock route's own write of 'test.clock': not a change to follow (a later direct Clock::Set of a
  // test must not be undone by it). The route holds App::test_clock_mutex around its store, this and its Set.
  void SawSharedClock(const std::string& value) {
    std::lock_guard lock(mutex_);
    shared_clock_seen_ = value;
  }

 private:
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::atomic<bool> cancel_{false};  // Stop() ends a long evaluation between two transactions
  bool running_ = false;
  bool notified_ = false;
  uint64_t polls_ = 0;
};

}  // namespace mizu::backend
