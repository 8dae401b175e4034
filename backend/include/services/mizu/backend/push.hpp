#pragma once
// Push to the installed app (docs/notifications.md). A browser that allowed notifications registers its push
// subscription (PushSubscription.toJSON(): an RFC 8030 endpoint and the RFC 8291 keys) for the logged-in
// account; notices for that account are then queued as outbox rows of channel 'push', one per device, and the
// MailRelay's workers deliver them: encrypted (web_push.hpp), signed with the server's VAPID key, POSTed to
// the endpoint. A push service answering 404/410 ends that subscription; a message that cannot go by push
// (ended, refused, or still failing after kPushGiveUpSeconds) goes by e-mail instead, so nothing is lost.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mizu/backend/config.hpp"
#include "mizu/backend/db.hpp"
#include "mizu/backend/mail.hpp"
#include "mizu/backend/web_push.hpp"

namespace mizu::backend {

// At most this many live subscriptions (devices) per account; registering another ends the oldest.
inline constexpr int kMaxPushDevices = 10;
// A push message still failing (network, 5xx, 429) this long after it was queued goes by e-mail instead.
inline constexpr int64_t kPushGiveUpSeconds = 30 * 60;
// The longest device label kept ("iPhone Safari", from the app).
inline constexpr size_t kMaxPushDeviceLength = 60;
// The longest endpoint URL accepted (push services' are ~200–400 characters).
inline constexpr size_t kMaxPushEndpointLength = 1024;

// The server's VAPID key pair (RFC 8292), made on first use and kept in server_state: the public key as
// base64url, the private key sealed with the server key (auth.hpp SealSecret), so a database leak alone does
// not let anyone push as the bureau. Takes its own transaction.
P256KeyPair LoadOrCreateVapidKey(Database& db, std::string_view server_key);

struct PushSubscriptionInput {
  std::string endpoint;  // https URL of the push service (RFC 8030 §5)
  std::string p256dh;    // base64url of the 65-byte P-256 public key
  std::string auth;      // base64url of the 16-byte auth secret
  std::string device;    // a label the resident sees; may be empty
};

struct PushSubscriptionView {
  int64_t id = 0;
  std::string device;
  bool enabled = true;
  int64_t created_at = 0;
  std::optional<int64_t> last_sent_at;
  std::string endpoint_origin;  // where it is delivered ("https://fcm.googleapis.com"), not the secret URL
};

// The field errors (FieldError: push_subscription_invalid on endpoint / p256dh / auth, too_long / control_
// character on device, push_endpoint_not_allowed on endpoint) of a registration under `config`; empty when
// it may be saved.
std::vector<FieldError> CheckPushSubscription(const PushSubscriptionInput& in, const PushConfig& config);
// Saves (or takes over: the same endpoint from another login on this browser) a checked subscription for the
// account, enabled, inside the caller's OPEN transaction; ends the oldest beyond kMaxPushDevices. Returns its
// id.
int64_t SavePushSubscription(Database& db, int64_t account_id, const PushSubscriptionInput& in, int64_t now);
// The account's live subscriptions, newest first.
std::vector<PushSubscriptionView> ListPushSubscriptions(Database& db, int64_t account_id);
// Turns push on or off for one of the account's devices; false when it is not one of them (or ended).
bool SetPushEnabled(Database& db, int64_t account_id, int64_t id, bool enabled);
// Ends one of the account's subscriptions (the device unsubscribed); false when it is not one of them.
bool EndPushSubscription(Database& db, int64_t account_id, int64_t id, int64_t now, std::string_view reason);

// Ends every device of the account (a password reset, staff ending its sessions: whoever registered a device
// may not keep receiving its notices). Inside the caller's OPEN transaction.
void EndPushDevices(Database& db, int64_t account_id, int64_t now, std::string_view reason);

// A notice for an account holder: by push to each enabled device of the account when it has any, else (or
// when a push cannot be delivered, later, by the relay) by the e-mail `mail`. Inside the caller's OPEN
// transaction. `url` is the app screen the notification opens ("/#/notices"). Returns the outbox ids queued.
std::vector<int64_t> EnqueueAccountNotice(Database& db, int64_t account_id, const OutgoingMail& mail,
                                          std::string_view url, int64_t now);

// The login addresses (lowercase) of accounts with push on at least one device, and their account ids: read
// once per batch of mails (a watch slot, an alert pass), so a recipient who is such an account holder is
// found without a query per mail.
using PushAddresses = std::unordered_map<std::string, int64_t>;
PushAddresses LoadPushAddresses(Database& db);
// A mail to an address (a watch recipient): when it is the login address of an account with push on, by
// push to that account's devices instead (EnqueueAccountNotice, falling back to this very mail); else by
// e-mail. Inside the caller's OPEN transaction.
std::vector<int64_t> EnqueueToAddress(Database& db, const OutgoingMail& mail, std::string_view url,
                                      int64_t now, const PushAddresses& push);

// ---- Delivery (RFC 8030) ---------------------------------------------------------------------------------

// One encrypted push request as a transport sends it.
struct PushRequest {
  std::string endpoint;
  std::string authorization;  // "vapid t=…, k=…"
  std::string body;           // aes128gcm
  int ttl_seconds = 86400;
  std::string urgency = "normal";  // RFC 8030 §5.3: very-low | low | normal | high
  std::string topic;               // RFC 8030 §5.4 (replaces an undelivered message with the same topic)
};

// What the push service answered: its HTTP status (0 when no answer: a network error, `error` says which).
struct PushAnswer {
  int status = 0;
  std::string error;
};

class PushTransport {
 public:
  virtual ~PushTransport() = default;
  virtual PushAnswer Send(const PushRequest& request) = 0;
};

// POSTs through libcurl (Content-Encoding: aes128gcm, Content-Type: application/octet-stream, TTL, Urgency,
// Authorization), 30 s timeout, no redirects followed.
std::unique_ptr<PushTransport> MakeCurlPushTransport();

// What the relay needs to deliver 'push' rows: the VAPID key, the contact, the endpoint rules and TTL.
struct PushSender {
  P256KeyPair vapid;
  std::string subject;  // "mailto:…"
  PushConfig config;
};

// Delivers one claimed 'push' row with `transport` and records the outcome, falling back to e-mail as the
// header says; true when pushed. Used by the MailRelay.
bool DeliverPush(Database& db, PushTransport& transport, const PushSender& sender, const ClaimedMail& claimed,
                 int64_t now, const RetryPolicy& policy);
// A 'push' row that cannot be delivered at all (it could not be read or encrypted): failed for good, its
// notice by e-mail as DeliverPush's fallback (once per notice).
void PushFailed(Database& db, const ClaimedMail& claimed, const std::string& why, int64_t now,
                const RetryPolicy& policy);

}  // namespace mizu::backend
