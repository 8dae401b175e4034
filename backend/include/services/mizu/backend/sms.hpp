#pragma once
// Outgoing SMS, for accounts whose login ID is a mobile number. An SMS is a row of the mail outbox with
// channel 'sms' (to_addr = the mobile number, body_text = the text, subject empty), written in the
// transaction of the change that caused it and delivered by the MailRelay's workers with the same claims,
// retries and back-off as mail. Two transports: `file` (one .txt per message in <data>/sms/) and `webhook`
// (an HTTP POST of JSON {"to","body","message_id"} through libcurl; 2xx = sent).
#include <cstdint>
#include <memory>
#include <string>

#include "mizu/backend/config.hpp"
#include "mizu/backend/db.hpp"
#include "mizu/backend/mail.hpp"

namespace mizu::backend {

inline constexpr size_t kMaxSmsLength = 670;  // code points: 10 concatenated UCS-2 parts

struct OutgoingSms {
  std::string to;    // a normalised mobile number: 11 digits, 070/080/090
  std::string body;  // UTF-8, short
  std::string kind;  // what caused it, e.g. "signup_code"
  std::string lang = "ja";
};

// Throws std::invalid_argument naming the field: not a mobile number, an empty or too long or malformed
// UTF-8 body, an empty kind.
void ValidateSms(const OutgoingSms& sms);

// Adds the SMS to the outbox inside the caller's OPEN transaction (like EnqueueMail); expires_at as there.
int64_t EnqueueSms(Database& db, const OutgoingSms& sms, int64_t now, int64_t expires_at = 0);

// What a transport gets: message_id is the outbox's message key (stable across attempts, so a receiver can
// fold a duplicate of an at-least-once delivery).
struct SmsMessage {
  int64_t outbox_id = 0;
  std::string message_id;
  std::string to;
  std::string body;
};

class SmsTransport {
 public:
  virtual ~SmsTransport() = default;
  // Returns only once the message was accepted; else throws MailSendError. One transport per worker.
  virtual void Send(const SmsMessage& sms) = 0;
};

// Writes <dir>/<message id>.txt ("To: 09012345678", "Message-ID: …", a blank line, the body), durably and
// idempotently (a re-send overwrites the same name).
class FileSmsTransport : public SmsTransport {
 public:
  explicit FileSmsTransport(std::string dir);  // creates dir
  void Send(const SmsMessage& sms) override;

 private:
  std::string dir_;
};

// POSTs {"to","body","message_id"} (application/json; UTF-8) to url, with "Authorization: Bearer <token>"
// when token is not empty. 2xx: sent. Other answers and network errors throw MailSendError: permanent for a
// 4xx other than 408/429 (the outbox still tries RetryPolicy::permanent_max_attempts times), transient
// otherwise (5xx, timeouts, refused connections).
class WebhookSmsTransport : public SmsTransport {
 public:
  // Throws std::invalid_argument unless the URL is http:// or https://.
  WebhookSmsTransport(std::string url, std::string token);
  ~WebhookSmsTransport() override;
  WebhookSmsTransport(const WebhookSmsTransport&) = delete;
  WebhookSmsTransport& operator=(const WebhookSmsTransport&) = delete;
  void Send(const SmsMessage& sms) override;

 private:
  std::string url_;
  std::string auth_header_;
  void* curl_ = nullptr;  // CURL*
};

// The transport SmsConfig names ("file": <data_dir>/sms; "webhook": webhook_url); throws
// std::invalid_argument.
std::unique_ptr<SmsTransport> MakeSmsTransport(const SmsConfig& config, const std::string& data_dir);

}  // namespace mizu::backend
