// Delivering the outbox's 'push' rows (push.hpp): RFC 8030 §5 requests through libcurl, the push service's
// answer turned into sent / retry / the subscription ended, and the e-mail fallback.
#include <curl/curl.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "mizu/backend/auth.hpp"
#include "mizu/backend/push.hpp"
#include "mizu/json_fields.hpp"

namespace mizu::backend {
namespace {

constexpr long kConnectTimeoutSeconds = 10, kRequestTimeoutSeconds = 30;
// RFC 8292 §2: a VAPID token lives at most 24 hours; 12 is what push services commonly expect.
constexpr int64_t kVapidLifetimeSeconds = 12 * 3600;

size_t Discard(char*, size_t size, size_t n, void*) {
  return size * n;
}

class CurlPushTransport : public PushTransport {
 public:
  CurlPushTransport() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    curl_ = curl_easy_init();
    if (!curl_) throw std::runtime_error("curl_easy_init failed");
  }
  ~CurlPushTransport() override { curl_easy_cleanup(curl_); }
  CurlPushTransport(const CurlPushTransport&) = delete;
  CurlPushTransport& operator=(const CurlPushTransport&) = delete;

  PushAnswer Send(const PushRequest& r) override {
    curl_easy_reset(curl_);
    curl_easy_setopt(curl_, CURLOPT_URL, r.endpoint.c_str());
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT, kConnectTimeoutSeconds);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT, kRequestTimeoutSeconds);
    curl_easy_setopt(curl_, CURLOPT_FOLLOWLOCATION, 0L);  // an endpoint is where the push service said
    curl_easy_setopt(curl_, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &Discard);
    curl_slist* headers = nullptr;
    for (const std::string& h :
         {std::string("Content-Type: application/octet-stream"), std::string("Content-Encoding: aes128gcm"),
          "TTL: " + std::to_string(r.ttl_seconds), "Urgency: " + r.urgency,
          "Authorization: " + r.authorization, std::string("Expect:")})
      headers = curl_slist_append(headers, h.c_str());
    if (!r.topic.empty()) headers = curl_slist_append(headers, ("Topic: " + r.topic).c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, r.body.data());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
    char error[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error);
    const CURLcode rc = curl_easy_perform(curl_);
    long status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, nullptr);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) return {0, error[0] ? error : curl_easy_strerror(rc)};
    return {static_cast<int>(status), {}};
  }

 private:
  CURL* curl_ = nullptr;
};

// This row will not be pushed: it is marked failed for good, and the notice's e-mail goes instead — once per
// notice, by the last of its sibling rows (the same notice to the account's other devices) to end when none
// of them was pushed. One IMMEDIATE transaction: two workers ending siblings at once are serialised, so the
// second sees the first as ended. (PostgreSQL: the siblings are read FOR UPDATE.)
void FallBackToMail(Database& db, const ClaimedMail& claimed, const nlohmann::json& body,
                    const std::string& why, int64_t now, const RetryPolicy& policy) {
  RetryPolicy final_policy = policy;
  final_policy.permanent_max_attempts = 1;  // give up this row now
  db.Transaction([&] {
    const auto& siblings = body.at("siblings");
    auto q = db.Prepare(
        "SELECT count(*) FILTER (WHERE status = 'sent' OR last_error LIKE 'fallback:%'), "
        "count(*) FILTER (WHERE status IN ('pending', 'sending')) FROM mail_outbox "
        "WHERE channel = 'push' AND id BETWEEN ?1 AND ?2 AND id <> ?3");
    q.Bind(1, siblings.at(0).get<int64_t>()).Bind(2, siblings.at(1).get<int64_t>()).Bind(3, claimed.id);
    q.Step();
    const bool covered = q.Int(0) > 0, waiting = q.Int(1) > 0;
    q.Reset();
    const std::string error = covered ? "not pushed (" + why + "); the notice reached another device"
                              : waiting
                                  ? "not pushed (" + why + "); the account's other devices are still tried"
                                  : "fallback: e-mail queued (" + why + ")";
    if (!MarkMailFailed(db, claimed, now, error, true, final_policy) || covered || waiting) return;
    const auto& f = body.at("fallback");
    OutgoingMail mail{.to = f.at("to").get<std::string>(),
                      .to_name = f.at("name").get<std::string>(),
                      .subject = f.at("subject").get<std::string>(),
                      .body_text = f.at("text").get<std::string>(),
                      .kind = claimed.mail.kind,
                      .lang = claimed.mail.lang,
                      .stop_url = {}};  // the stop link is in the text; a mail row does not keep it
    EnqueueMail(db, mail, now);
  });
}

}  // namespace

void PushFailed(Database& db, const ClaimedMail& claimed, const std::string& why, int64_t now,
                const RetryPolicy& policy) {
  const auto body = nlohmann::json::parse(claimed.mail.body_text, nullptr, false);
  if (body.is_object() && body.contains("fallback") && body.contains("siblings"))
    return FallBackToMail(db, claimed, body, why, now, policy);
  MarkMailFailed(db, claimed, now, why, true, policy);  // not a row EnqueueAccountNotice wrote: no fallback
}

std::unique_ptr<PushTransport> MakeCurlPushTransport() {
  return std::make_unique<CurlPushTransport>();
}

bool DeliverPush(Database& db, PushTransport& transport, const PushSender& sender, const ClaimedMail& claimed,
                 int64_t now, const RetryPolicy& policy) {
  const nlohmann::json body =
      nlohmann::json::parse(claimed.mail.body_text);  // written by EnqueueAccountNotice
  const int64_t device = std::stoll(claimed.mail.to.substr(claimed.mail.to.find(':') + 1));
  std::string endpoint, p256dh, auth;
  {
    // Only while the device still belongs to the notice's account: an endpoint registered again by another
    // login takes the same row with new keys, and must not receive this account's notice.
    auto q = db.Prepare(
        "SELECT endpoint, p256dh, auth FROM push_subscriptions WHERE id = ?1 AND account_id = ?2 AND "
        "ended_at IS "
        "NULL AND enabled = 1");
    q.Bind(1, device).Bind(2, FieldOr<int64_t>(body, "account", -1));
    if (q.Step()) endpoint = q.Text(0), p256dh = q.Text(1), auth = q.Text(2);
  }
  if (endpoint.empty()) {
    FallBackToMail(db, claimed, body, "the device's push was turned off, ended or moved to another account",
                   now, policy);
    return false;
  }
  // What the service worker reads (web/shell/sw.js): the notification's title, text and the screen it opens;
  // the message key lets it fold a duplicate of an at-least-once delivery.
  nlohmann::json message = {{"title", body.at("title")},
                            {"body", body.at("body")},
                            {"url", body.at("url")},
                            {"kind", body.at("kind")},
                            {"id", claimed.message_key}};
  if (!FieldOr(body, "stop_url", "").empty())
    message["stop_url"] = body.at("stop_url");  // 配信停止 (a watch's)
  PushRequest request;
  request.endpoint = endpoint;
  request.ttl_seconds = sender.config.ttl_seconds;
  request.body = EncryptPushMessage(message.dump(), *Base64Decode(p256dh, true), *Base64Decode(auth, true));
  request.authorization =
      VapidAuthorization(PushEndpointOrigin(endpoint), now + kVapidLifetimeSeconds, sender.subject,
                         sender.vapid.private_key, sender.vapid.public_key);
  const PushAnswer answer = transport.Send(request);
  const std::string what =
      answer.status ? "push service answered HTTP " + std::to_string(answer.status) : "push: " + answer.error;
  if (answer.status == 201 || answer.status == 200 || answer.status == 202) {
    db.Transaction([&] {
      if (!MarkMailSent(db, claimed, now)) return;
      db.Prepare("UPDATE push_subscriptions SET last_sent_at = ?2 WHERE id = ?1")
          .Bind(1, device)
          .Bind(2, now)
          .Run();
    });
    return true;
  }
  if (answer.status == 404 || answer.status == 410) {  // RFC 8030 §7.3: the subscription is gone
    db.Transaction([&] {
      db.Prepare(
            "UPDATE push_subscriptions SET ended_at = ?2, ended_reason = ?3 WHERE id = ?1 AND ended_at IS "
            "NULL")
          .Bind(1, device)
          .Bind(2, now)
          .Bind(3, what)
          .Run();
    });
    FallBackToMail(db, claimed, body, what, now, policy);
    return false;
  }
  const bool transient =
      answer.status == 0 || answer.status == 408 || answer.status == 429 || answer.status >= 500;
  if (!transient || now - claimed.created_at >= kPushGiveUpSeconds) {
    FallBackToMail(db, claimed, body, what, now, policy);
    return false;
  }
  MarkMailFailed(db, claimed, now, what, false, policy);
  return false;
}

}  // namespace mizu::backend
