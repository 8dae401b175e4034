// The outbox table (schema: the mail_outbox migration in storage/migrations.cpp): enqueue in the caller's
// transaction, claims with leases for the relay's workers, attempt bookkeeping with exponential backoff, and
// the staff queries.

#include <algorithm>
#include <cstdio>
#include <random>
#include <stdexcept>

#include "mizu/backend/auth.hpp"
#include "mizu/backend/mail.hpp"
#include "mizu/backend/sms.hpp"
#include "mizu/text.hpp"
#include "mizu/time.hpp"

namespace mizu::backend {
namespace {

constexpr size_t kMaxErrorLength = 1000;

// One delivery attempt with the server's answer (the SMTP reply or the SMS gateway's), for staff answering
// "the code did not arrive" (staff.hpp). In the transaction that marks the message.
void RecordAttempt(Database& db, int64_t outbox_id, int64_t now, const char* outcome,
                   const std::string& answer) {
  db.Prepare("INSERT INTO mail_attempts (outbox_id, at, outcome, answer) VALUES (?, ?, ?, ?)")
      .Bind(1, outbox_id)
      .Bind(2, now)
      .Bind(3, outcome)
      .Bind(4, std::string_view(answer).substr(0, kMaxErrorLength))
      .Run();
}

// `bytes` random bytes from the CSPRNG (OpenSSL's, auth.hpp) as lowercase hex.
std::string RandomHex(int bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(static_cast<size_t>(bytes) * 2);
  for (unsigned char c : RandomBytes(static_cast<size_t>(bytes))) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

// "20261121T220000Z.00000042.3f9c0a7d12b4e6f1": sorts by creation time, then row id (creation order within
// one database); the random part makes it unique across databases.
std::string MessageKey(int64_t now, int64_t id) {
  std::string iso = FormatIsoUtc(now);  // 2026-11-21T22:00:00Z
  std::string compact;
  for (char c : iso)
    if (c != '-' && c != ':') compact += c;
  char number[24];
  std::snprintf(number, sizeof number, "%08lld", static_cast<long long>(id));
  return compact + "." + number + "." + RandomHex(8);
}

OutboxEntry ReadEntry(const Statement& s) {
  OutboxEntry e;
  e.id = s.Int(0);
  e.kind = s.Text(1);
  e.to = s.Text(2);
  e.subject = s.Text(3);
  e.status = s.Text(4);
  e.attempts = static_cast<int>(s.Int(5));
  e.created_at = s.Int(6);
  e.next_attempt_at = s.Int(7);
  if (!s.IsNull(8)) e.last_attempt_at = s.Int(8);
  if (!s.IsNull(9)) e.sent_at = s.Int(9);
  e.last_error = s.Text(10);
  e.message_key = s.Text(11);
  e.channel = s.Text(12);
  e.expires_at = s.IsNull(13) ? 0 : s.Int(13);
  return e;
}

constexpr const char* kEntryColumns =
    "SELECT id, kind, to_addr, subject, status, attempts, created_at, next_attempt_at, last_attempt_at, "
    "sent_at, last_error, message_key, channel, expires_at FROM mail_outbox ";

// One outbox row of either channel (an SMS has no name or subject).
// PostgreSQL: the same row in one round trip — the id (max + 1, the writers' turn held) and the message key
// that names it worked out by the server (MessageKey's format: "<compact UTC>.<id, 8 digits or more>.<hex>").
int64_t InsertOutboxRowPostgres(Database& db, std::string_view channel, const OutgoingMail& mail, int64_t now,
                                int64_t expires_at) {
  std::string compact;
  for (char c : FormatIsoUtc(now))
    if (c != '-' && c != ':') compact += c;
  auto s = db.Prepare(
      "INSERT INTO mail_outbox (id, message_key, kind, lang, to_addr, to_name, subject, body_text, "
      "created_at, "
      "next_attempt_at, channel, expires_at) SELECT n, ?1 || '.' || CASE WHEN n < 100000000 THEN "
      "lpad(CAST(n AS TEXT), 8, '0') ELSE CAST(n AS TEXT) END || '.' || ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, "
      "?10, ?11 FROM (SELECT COALESCE(max(id), 0) + 1 AS n FROM mail_outbox) AS next RETURNING id");
  s.Bind(1, compact).Bind(2, RandomHex(8)).Bind(3, mail.kind).Bind(4, mail.lang).Bind(5, mail.to);
  s.Bind(6, mail.to_name).Bind(7, mail.subject).Bind(8, mail.body_text).Bind(9, now).Bind(10, channel);
  if (expires_at > 0)
    s.Bind(11, expires_at);
  else
    s.BindNull(11);
  if (!s.Step()) throw DbError("outbox insert returned no id");
  return s.Int(0);
}

int64_t InsertOutboxRow(Database& db, std::string_view channel, const OutgoingMail& mail, int64_t now,
                        int64_t expires_at) {
  if (db.engine() == Engine::kPostgres) return InsertOutboxRowPostgres(db, channel, mail, now, expires_at);
  // The row's id is known before the insert (the caller's write transaction holds the only writer), so its
  // message key, which names the id, is written once with the row.
  // Exactly "SELECT max(id)": SQLite answers it from the end of the table's B-tree (its min/max optimisation,
  // which an expression around max() would turn into a full scan).
  auto last = db.Prepare("SELECT max(id) FROM mail_outbox");
  last.Step();
  const int64_t id = (last.IsNull(0) ? 0 : last.Int(0)) + 1;
  last.Reset();
  auto s = db.Prepare(
      "INSERT INTO mail_outbox (id, message_key, kind, lang, to_addr, to_name, subject, body_text, "
      "created_at, "
      "next_attempt_at, channel, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11)");
  s.Bind(1, id).Bind(2, MessageKey(now, id)).Bind(3, mail.kind).Bind(4, mail.lang).Bind(5, mail.to);
  s.Bind(6, mail.to_name).Bind(7, mail.subject).Bind(8, mail.body_text).Bind(9, now).Bind(10, channel);
  if (expires_at > 0)
    s.Bind(11, expires_at);
  else
    s.BindNull(11);
  s.Run();
  return id;
}

}  // namespace

int64_t EnqueueMail(Database& db, const OutgoingMail& mail, int64_t now, int64_t expires_at) {
  if (!db.InTransaction())
    throw std::logic_error("EnqueueMail needs the caller's open transaction (Database::Transaction)");
  ValidateMail(mail);
  return InsertOutboxRow(db, "mail", mail, now, expires_at);
}

int64_t EnqueueOutboxRow(Database& db, std::string_view channel, const OutgoingMail& row, int64_t now,
                         int64_t expires_at) {
  if (!db.InTransaction())
    throw std::logic_error("EnqueueOutboxRow needs the caller's open transaction (Database::Transaction)");
  return InsertOutboxRow(db, channel, row, now, expires_at);
}

void ValidateSms(const OutgoingSms& sms) {
  if (ValidateMobile(sms.to)) throw std::invalid_argument("sms.to: not a mobile number");
  if (sms.kind.empty()) throw std::invalid_argument("sms.kind: empty");
  if (sms.body.empty()) throw std::invalid_argument("sms.body: empty");
  for (size_t pos = 0; pos < sms.body.size();) {
    Utf8Char ch = DecodeUtf8At(sms.body, pos);
    if (!ch.ok) throw std::invalid_argument("sms.body: not UTF-8");
    pos += ch.len;
  }
  if (Utf8Length(sms.body) > kMaxSmsLength) throw std::invalid_argument("sms.body: too long");
}

int64_t EnqueueSms(Database& db, const OutgoingSms& sms, int64_t now, int64_t expires_at) {
  if (!db.InTransaction())
    throw std::logic_error("EnqueueSms needs the caller's open transaction (Database::Transaction)");
  ValidateSms(sms);
  OutgoingMail row;
  row.to = sms.to;
  row.body_text = sms.body;
  row.kind = sms.kind;
  row.lang = sms.lang;
  return InsertOutboxRow(db, "sms", row, now, expires_at);
}

int64_t RetryDelay(const RetryPolicy& policy, int attempts) {
  int64_t delay = std::max<int64_t>(1, policy.first_delay_seconds);
  for (int i = 1; i < attempts && delay < policy.max_delay_seconds; ++i) delay *= 2;
  return std::max<int64_t>(1, std::min(delay, policy.max_delay_seconds));
}

std::vector<ClaimedMail> ClaimDueMails(Database& db, int64_t now, int limit, int64_t lease_seconds,
                                       const std::set<int64_t>& in_flight) {
  std::string claim = RandomHex(8);
  const bool postgres = db.engine() == Engine::kPostgres;
  // The ids this relay is still sending: a JSON array for SQLite's json_each, an array literal for
  // PostgreSQL.
  std::string exclude;
  for (int64_t id : in_flight) exclude += (exclude.empty() ? "" : ",") + std::to_string(id);
  exclude = postgres ? "{" + exclude + "}" : "[" + exclude + "]";
  // One statement. SQLite takes the write lock before reading, so concurrent claims serialise; PostgreSQL
  // locks the rows it picks and skips rows another server's relay has locked (FOR UPDATE SKIP LOCKED), so two
  // servers never claim one message.
  auto s = db.Prepare(
      std::string(
          "UPDATE mail_outbox SET status = 'sending', claim = ?1, next_attempt_at = CAST(?2 AS BIGINT) + ?3 "
          "WHERE id IN (SELECT id FROM mail_outbox WHERE status IN ('pending', 'sending') "
          "AND next_attempt_at <= ?2 AND ") +
      (postgres ? "NOT (id = ANY (CAST(?5 AS BIGINT[]))) ORDER BY next_attempt_at, id LIMIT ?4 FOR UPDATE "
                  "SKIP LOCKED) "
                : "id NOT IN (SELECT value FROM json_each(?5)) ORDER BY next_attempt_at, id LIMIT ?4) ") +
      "RETURNING id, message_key, attempts, created_at, to_addr, to_name, subject, body_text, kind, lang, "
      "channel, COALESCE(expires_at, 0)");
  s.Bind(1, claim).Bind(2, now).Bind(3, lease_seconds).Bind(4, static_cast<int64_t>(limit)).Bind(5, exclude);
  std::vector<ClaimedMail> out;
  while (s.Step()) {
    ClaimedMail c;
    c.id = s.Int(0);
    c.claim = claim;
    c.message_key = s.Text(1);
    c.attempts = static_cast<int>(s.Int(2));
    c.created_at = s.Int(3);
    c.mail = OutgoingMail{.to = s.Text(4),
                          .to_name = s.Text(5),
                          .subject = s.Text(6),
                          .body_text = s.Text(7),
                          .kind = s.Text(8),
                          .lang = s.Text(9),
                          .stop_url = {}};  // not stored with a mail row (mail.hpp)
    c.channel = s.Text(10);
    c.expires_at = s.Int(11);
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const ClaimedMail& a, const ClaimedMail& b) { return a.id < b.id; });
  return out;
}

bool MarkMailSent(Database& db, const ClaimedMail& claimed, int64_t now) {
  auto s = db.Prepare(
      "UPDATE mail_outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?1, last_attempt_at = ?1, "
      "next_attempt_at = ?1, claim = NULL WHERE id = ?2 AND claim = ?3");
  s.Bind(1, now).Bind(2, claimed.id).Bind(3, claimed.claim);
  s.Run();
  if (db.Changes() != 1) return false;
  RecordAttempt(db, claimed.id, now, "sent", "");
  return true;
}

bool MarkMailFailed(Database& db, const ClaimedMail& claimed, int64_t now, const std::string& error,
                    bool permanent, const RetryPolicy& policy) {
  int attempts = claimed.attempts + 1;
  bool give_up = permanent ? attempts >= policy.permanent_max_attempts
                           : now - claimed.created_at >= policy.transient_give_up_seconds;
  // A message with a life (a code) is not retried past it.
  if (claimed.expires_at > 0 && now + RetryDelay(policy, attempts) >= claimed.expires_at) give_up = true;
  auto s = db.Prepare(
      "UPDATE mail_outbox SET status = ?1, attempts = attempts + 1, last_attempt_at = ?2, last_error = ?3, "
      "next_attempt_at = ?4, claim = NULL WHERE id = ?5 AND claim = ?6");
  s.Bind(1, give_up ? "failed" : "pending").Bind(2, now);
  s.Bind(3, std::string_view(error).substr(0, kMaxErrorLength));
  s.Bind(4, give_up ? now : now + RetryDelay(policy, attempts)).Bind(5, claimed.id).Bind(6, claimed.claim);
  s.Run();
  if (db.Changes() != 1) return false;
  RecordAttempt(db, claimed.id, now, give_up ? "failed" : "retry", error);
  return true;
}

void ReleaseMail(Database& db, const ClaimedMail& claimed, int64_t now) {
  auto s = db.Prepare(
      "UPDATE mail_outbox SET status = 'pending', next_attempt_at = ?1, claim = NULL WHERE id = ?2 AND claim "
      "= ?3");
  s.Bind(1, now).Bind(2, claimed.id).Bind(3, claimed.claim);
  s.Run();
}

bool RequeueMail(Database& db, int64_t id, int64_t now) {
  auto s = db.Prepare(
      "UPDATE mail_outbox SET status = 'pending', next_attempt_at = ?1, claim = NULL "
      "WHERE id = ?2 AND status = 'failed'");
  s.Bind(1, now).Bind(2, id);
  s.Run();
  return db.Changes() == 1;
}

std::vector<OutboxEntry> MailsTo(Database& db, std::string_view address, int limit) {
  auto s = db.Prepare(std::string(kEntryColumns) +
                      "WHERE to_addr = ?1 COLLATE NOCASE ORDER BY created_at DESC, id DESC LIMIT ?2");
  s.Bind(1, address).Bind(2, static_cast<int64_t>(limit));
  std::vector<OutboxEntry> out;
  while (s.Step()) out.push_back(ReadEntry(s));
  return out;
}

std::optional<OutboxEntry> FindMail(Database& db, int64_t id) {
  auto s = db.Prepare(std::string(kEntryColumns) + "WHERE id = ?1");
  s.Bind(1, id);
  if (!s.Step()) return std::nullopt;
  return ReadEntry(s);
}

std::vector<MailAttempt> MailAttemptsOf(Database& db, int64_t outbox_id) {
  auto s = db.Prepare("SELECT at, outcome, answer FROM mail_attempts WHERE outbox_id = ? ORDER BY at, id");
  s.Bind(1, outbox_id);
  std::vector<MailAttempt> out;
  while (s.Step()) out.push_back({s.Int(0), s.Text(1), s.Text(2)});
  return out;
}

std::vector<DeliveryCounts> DeliveryOverview(Database& db, int64_t now) {
  // One pass over the outbox (a staff page opened now and then, not a hot path): the last day plus what
  // waits.
  auto s = db.Prepare(
      "SELECT kind, "
      "count(CASE WHEN created_at >= ?1 THEN 1 END), count(CASE WHEN status = 'sent' AND sent_at >= ?1 THEN "
      "1 END), "
      "count(CASE WHEN status = 'failed' AND last_attempt_at >= ?1 THEN 1 END), "
      "count(CASE WHEN created_at >= ?2 THEN 1 END), count(CASE WHEN status = 'sent' AND sent_at >= ?2 THEN "
      "1 END), "
      "count(CASE WHEN status = 'failed' AND last_attempt_at >= ?2 THEN 1 END), "
      "count(CASE WHEN status IN ('pending', 'sending') THEN 1 END), min(CASE WHEN status IN ('pending', "
      "'sending') THEN created_at "
      "END) "
      "FROM mail_outbox WHERE created_at >= ?2 OR sent_at >= ?2 OR last_attempt_at >= ?2 "
      "OR status IN ('pending', 'sending') GROUP BY kind ORDER BY kind");
  s.Bind(1, now - 3600).Bind(2, now - 24 * 3600);
  std::vector<DeliveryCounts> out;
  while (s.Step()) {
    DeliveryCounts c;
    c.kind = s.Text(0);
    c.queued_hour = static_cast<int>(s.Int(1));
    c.sent_hour = static_cast<int>(s.Int(2));
    c.failed_hour = static_cast<int>(s.Int(3));
    c.queued_day = static_cast<int>(s.Int(4));
    c.sent_day = static_cast<int>(s.Int(5));
    c.failed_day = static_cast<int>(s.Int(6));
    c.waiting = static_cast<int>(s.Int(7));
    c.oldest_waiting = s.IsNull(8) ? 0 : s.Int(8);
    out.push_back(std::move(c));
  }
  return out;
}

OutboxGauges OutboxWaiting(Database& db, int64_t now) {
  auto s = db.Prepare(std::string("SELECT count(*), min(created_at) FROM mail_outbox ") +
                      (db.engine() == Engine::kSqlite ? "INDEXED BY mail_outbox_due " : "") +
                      "WHERE status IN ('pending', 'sending')");
  OutboxGauges g;
  if (s.Step()) {
    g.waiting = s.Int(0);
    if (!s.IsNull(1)) g.oldest_age_s = std::max<int64_t>(0, now - s.Int(1));
  }
  return g;
}

}  // namespace mizu::backend
