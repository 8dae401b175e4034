#pragma once
// Outgoing mail: a durable outbox (one SQLite row per message, written in the transaction of the change that
// caused it), MIME rendering, two transports (file: one .eml per message; smtp: libcurl), and the relay that
// delivers due rows in the background.
//
// Delivery is at-least-once: a row is marked sent only after its transport reported success, so a crash (or a
// failed database write) between the two sends that message again — with the same Message-ID, so mail clients
// can fold the duplicate. A message is never dropped: it ends 'sent', or 'failed' with last_error for staff
// to see (and RequeueMail to try again).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "mizu/backend/clock.hpp"
#include "mizu/backend/config.hpp"
#include "mizu/backend/db.hpp"
#include "mizu/backend/metrics.hpp"

namespace mizu::backend {

struct PushSender;  // push.hpp
class PushTransport;

// ---- What callers enqueue -----------------------------------------------------------------------------

struct OutgoingMail {
  std::string to;         // addr-spec, e.g. taro@example.jp
  std::string to_name;    // display name (UTF-8), may be empty
  std::string subject;    // UTF-8, one line
  std::string body_text;  // UTF-8 plain text; '\n' or "\r\n" line ends
  std::string kind;  // what caused it, e.g. "signup_code", "password_reset", "bill_notice", "watch_report"
  std::string lang = "ja";  // language tag for Content-Language ("ja", "en")
  // The recipient's stop link when the message carries one (the watch's mails; it is in body_text too): a
  // push of the message offers it as 配信停止 (push.hpp). Not stored with a mail row.
  std::string stop_url;
};

// Throws std::invalid_argument naming the field when the mail cannot be rendered safely: an address that is
// not one plain addr-spec, control characters (CR/LF) in name or subject, malformed UTF-8, an empty kind.
void ValidateMail(const OutgoingMail& mail);

// Adds the mail to the outbox inside the caller's OPEN transaction (Database::Transaction), so the mail and
// the change it reports commit together or not at all. Returns the row id. Throws std::logic_error when no
// transaction is open, std::invalid_argument as ValidateMail. After the commit, MailRelay::Notify() delivers
// it promptly (otherwise the relay's poll finds it). expires_at (UTC seconds, 0 = never): a message that is
// useless afterwards (a code) — the relay neither sends it nor schedules a retry past that instant.
int64_t EnqueueMail(Database& db, const OutgoingMail& mail, int64_t now, int64_t expires_at = 0);
// A row of another channel ("push", push.hpp; "sms" has EnqueueSms), as the caller built it, unchecked beyond
// the open transaction.
int64_t EnqueueOutboxRow(Database& db, std::string_view channel, const OutgoingMail& row, int64_t now,
                         int64_t expires_at = 0);

// ---- Rendering ----------------------------------------------------------------------------------------

struct MailAddress {
  std::string name;  // display name (UTF-8), may be empty
  std::string addr;  // addr-spec
};

// "Name <addr>" or a bare addr (MailConfig::from); throws std::invalid_argument when malformed.
MailAddress ParseMailAddress(std::string_view text);

struct RenderedMail {
  int64_t outbox_id = 0;
  std::string envelope_from;  // MAIL FROM
  std::string envelope_to;    // RCPT TO
  std::string message_id;     // without angle brackets: <key>@<domain of From>
  std::string data;  // the RFC 5322 message: 7-bit, CRLF line ends, lines ≤ 76 (but a longer address's)
};

// Renders a valid mail (see ValidateMail) as text/plain; charset=UTF-8, base64 body; Subject and display
// names as RFC 2047 encoded-words when not plain ASCII; Date in JST (+0900). message_key becomes the
// Message-ID's left part.
RenderedMail RenderMail(const OutgoingMail& mail, const MailAddress& from, std::string_view message_key,
                        int64_t date_utc);

// ---- The outbox ---------------------------------------------------------------------------------------

// When to try again and when to give up.
struct RetryPolicy {
  int64_t first_delay_seconds = 60;  // after the first failed attempt; doubles each time
  int64_t max_delay_seconds = 3600;
  int permanent_max_attempts = 3;                     // 5xx rejections: 'failed' after this many attempts
  int64_t transient_give_up_seconds = 5 * 24 * 3600;  // other errors: 'failed' once the mail is this old
  int64_t lease_seconds = 600;  // a claim expires after this (a crashed worker's rows come back)
};

// Seconds to wait after `attempts` failed attempts (≥ 1): first_delay · 2^(attempts-1), capped; never < 1.
int64_t RetryDelay(const RetryPolicy& policy, int attempts);

// A row taken by one worker; only the claim's holder can mark it.
struct ClaimedMail {
  int64_t id = 0;
  std::string claim;        // random token identifying this claim
  std::string message_key;  // <UTC time>.<id>.<random>: stable across attempts (Message-ID, .eml name)
  int attempts = 0;         // attempts before this one
  int64_t created_at = 0;
  OutgoingMail mail;             // for an SMS (channel "sms"): to = the mobile number, body_text = the text
  std::string channel = "mail";  // "mail" | "sms" (sms.hpp) | "push" (push.hpp)
  int64_t expires_at = 0;        // 0: never
};

// Atomically takes up to `limit` rows due at `now` (pending, or 'sending' with an expired lease), oldest
// first; they become 'sending' until now + lease_seconds. Two claims never return the same row. Rows whose id
// is in `in_flight` (being sent by this process right now) are never taken, whatever the clock says: a lease
// only stands in for a sender that is gone (a crash), and a clock moved forward (the test clock) must not
// hand a message that is being sent to a second sender.
std::vector<ClaimedMail> ClaimDueMails(Database& db, int64_t now, int limit, int64_t lease_seconds,
                                       const std::set<int64_t>& in_flight = {});
// Call only after the transport reported success. False when the claim was lost (lease expired).
bool MarkMailSent(Database& db, const ClaimedMail& claimed, int64_t now);
// Records a failed attempt: back to 'pending' after RetryDelay, or 'failed' for good (see RetryPolicy).
// False when the claim was lost.
bool MarkMailFailed(Database& db, const ClaimedMail& claimed, int64_t now, const std::string& error,
                    bool permanent, const RetryPolicy& policy);
// Returns an unattempted claim to 'pending', due now (a stopping worker's leftovers).
void ReleaseMail(Database& db, const ClaimedMail& claimed, int64_t now);
// Staff: puts a 'failed' message back to 'pending', due now, keeping its history. False if not failed.
bool RequeueMail(Database& db, int64_t id, int64_t now);

// One outbox row as staff see it.
struct OutboxEntry {
  int64_t id = 0;
  std::string kind;
  std::string to;
  std::string subject;
  std::string status;  // "pending" | "sending" | "sent" | "failed"
  int attempts = 0;
  int64_t created_at = 0;
  int64_t next_attempt_at = 0;
  std::optional<int64_t> last_attempt_at;
  std::optional<int64_t> sent_at;
  std::string last_error;  // the last failed attempt's (kept after a later success); empty when none
  std::string message_key;
  std::string channel;     // "mail" | "sms" | "push"
  int64_t expires_at = 0;  // a code's message: not sent after this; 0: never
};

// Staff: the messages to `address` (case-insensitive), newest first, at most `limit`.
std::vector<OutboxEntry> MailsTo(Database& db, std::string_view address, int limit = 100);
std::optional<OutboxEntry> FindMail(Database& db, int64_t id);

// One delivery attempt as recorded with the server's answer (the SMTP reply, the SMS gateway's status).
struct MailAttempt {
  int64_t at = 0;
  std::string outcome;  // "sent" | "retry" (failed, tried again later) | "failed" (given up)
  std::string answer;   // "" for sent; e.g. "smtp: RCPT failed: 550 (server said 550)"
};
// Oldest first.
std::vector<MailAttempt> MailAttemptsOf(Database& db, int64_t outbox_id);

// Staff's delivery overview: per message kind, what was queued, sent and given up in the last hour and day,
// and what waits now (pending or being sent) with its oldest creation time (UTC seconds, 0 when none).
struct DeliveryCounts {
  std::string kind;
  int queued_hour = 0, sent_hour = 0, failed_hour = 0;
  int queued_day = 0, sent_day = 0, failed_day = 0;
  int waiting = 0;
  int64_t oldest_waiting = 0;
};
// Ordered by kind.
std::vector<DeliveryCounts> DeliveryOverview(Database& db, int64_t now);
// What waits to be sent now (pending or being sent) and the age of the oldest of it, for GET /metrics: one
// pass over the waiting rows' partial index, not over the whole outbox.
OutboxGauges OutboxWaiting(Database& db, int64_t now);

// ---- Transports ---------------------------------------------------------------------------------------

class MailSendError : public std::runtime_error {
 public:
  MailSendError(const std::string& message, bool permanent)
      : std::runtime_error(message), permanent_(permanent) {}
  // True for a rejection of this message (SMTP 5xx, but not a refused AUTH: that is our configuration);
  // false for what may pass later (4xx, network, TLS, disk).
  bool Permanent() const { return permanent_; }

 private:
  bool permanent_;
};

class MailTransport {
 public:
  virtual ~MailTransport() = default;
  // Returns only once the message is accepted (written durably / the server said 250); else throws
  // MailSendError. Not thread-safe: one transport per worker.
  virtual void Send(const RenderedMail& mail) = 0;
};

// Writes dir/name: temp file, fsync, rename, fsync of the folder (a crash leaves the old file or the new
// one). Throws MailSendError (not permanent). Shared by the mail and SMS file transports.
void WriteFileDurably(const std::string& dir, const std::string& name, const std::string& data);

// Writes <dir>/<message key>.eml: temp file, fsync, rename, fsync of the folder. A re-send overwrites the
// same name, so files are exactly-once.
class FileTransport : public MailTransport {
 public:
  explicit FileTransport(std::string dir);  // creates dir
  void Send(const RenderedMail& mail) override;

 private:
  std::string dir_;
};

// SMTP through libcurl: smtp:// (STARTTLS when the server offers it) or smtps://, the server's certificate
// verified against the system's CAs (or ca_file); AUTH with the URL's user:password. Keeps one connection
// open across messages.
class SmtpTransport : public MailTransport {
 public:
  // Throws std::invalid_argument unless the URL is smtp:// or smtps://.
  explicit SmtpTransport(std::string url, std::string ca_file = {});
  ~SmtpTransport() override;
  SmtpTransport(const SmtpTransport&) = delete;
  SmtpTransport& operator=(const SmtpTransport&) = delete;
  void Send(const RenderedMail& mail) override;
  // New connections opened so far (1 after any number of messages when the connection was reused).
  int64_t ConnectionsOpened() const { return connections_; }

 private:
  std::string url_;
  void* curl_ = nullptr;  // CURL*
  int64_t connections_ = 0;
};

// The transport MailConfig names ("file": <data_dir>/mail; "smtp": smtp_url); throws std::invalid_argument.
std::unique_ptr<MailTransport> MakeTransport(const MailConfig& config, const std::string& data_dir);

// ---- The relay ----------------------------------------------------------------------------------------

struct RelayOptions {
  int claim_batch = 4;                            // rows a worker takes at once
  std::chrono::milliseconds poll_interval{2000};  // how often an idle worker looks without Notify()
  RetryPolicy retry;
};

// Delivers due outbox rows with `workers` threads, each with its own Database connection to db_path and its
// own transport (connection). Construction opens them all, so a bad config throws here.
class MailRelay {
 public:
  MailRelay(const std::string& db_path, const MailConfig& mail, const std::string& data_dir, Clock& clock,
            int workers = 2, RelayOptions options = {});
  // The same, also delivering the outbox's SMS rows (channel "sms") through the transport `sms` names.
  MailRelay(const std::string& db_path, const MailConfig& mail, const SmsConfig& sms,
            const std::string& data_dir, Clock& clock, int workers = 2, RelayOptions options = {});
  ~MailRelay();  // Stop()s
  MailRelay(const MailRelay&) = delete;
  MailRelay& operator=(const MailRelay&) = delete;

  // Delivers the outbox's 'push' rows too (push.hpp): with the server's VAPID key, each worker through its
  // own transport from `make_transport` (default: libcurl). Before Start(); throws std::logic_error after.
  void EnablePush(PushSender sender, std::function<std::unique_ptr<PushTransport>()> make_transport = {});
  // Starts the background workers; no-op when running.
  void Start();
  // Lets each worker finish the message in hand (an SMTP send times out after 120 s), returns its other
  // claims to the outbox, joins. Idempotent.
  void Stop();
  // Wakes idle workers (call after committing an EnqueueMail).
  void Notify();
  // Without Start(): delivers every row due now with all workers, returns how many were sent. Rows that fail
  // are rescheduled, not retried within the call. Throws std::logic_error while started.
  int RunOnce();

 private:
  struct Worker;
  void Loop(Worker& worker);
  int DeliverBatch(Worker& worker, int64_t due_at, bool honour_stop);
  bool DeliverOne(Worker& worker, const ClaimedMail& claimed);

  MailAddress from_;
  std::shared_ptr<const PushSender> push_;  // set by EnablePush
  Clock& clock_;
  RelayOptions options_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  uint64_t generation_ = 0;        // bumped by Notify(); guarded by mutex_
  bool stop_ = false;              // guarded by mutex_
  bool running_ = false;           // guarded by mutex_
  std::atomic<bool> busy_{false};  // RunOnce in progress
  std::mutex claim_mutex_;         // one claim at a time, so in_flight_ is complete when a claim reads it
  std::set<int64_t> in_flight_;    // outbox ids claimed and not yet recorded; guarded by claim_mutex_
};

}  // namespace mizu::backend
