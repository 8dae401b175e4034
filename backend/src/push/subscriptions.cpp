// Push subscriptions per account, the server's VAPID key, and notices queued by push or e-mail (push.hpp).
#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "mizu/backend/auth.hpp"
#include "mizu/backend/push.hpp"
#include "mizu/text.hpp"
#include "p256.hpp"

namespace mizu::backend {
namespace {

constexpr const char* kVapidPublicKey = "push.vapid_public";
constexpr const char* kVapidPrivateKey = "push.vapid_private_sealed";
constexpr const char* kVapidSealPurpose = "vapid";
// The text of a notification: the mail's first lines, at most this many characters (a lock screen shows 2–4
// lines; the app opens the whole notice).
constexpr size_t kPushBodyChars = 180;

// The host of an endpoint's origin when the authority is a plain DNS name (labels of letters, digits and
// '-', lowercase) with no port or the scheme's own (443 for https), or — `loopback_http` — 127.0.0.1,
// localhost or [::1] with any port; "" otherwise. Push services' endpoints are all of the first kind.
std::string PlainHost(const std::string& origin, bool loopback_http) {
  const size_t sep = origin.find("://");
  const std::string scheme = origin.substr(0, sep), authority = AsciiLower(origin.substr(sep + 3));
  std::string host = authority, port;
  bool has_port = false;
  if (authority == "[::1]" || authority.rfind("[::1]:", 0) == 0) {
    host = "[::1]";
    has_port = authority.size() > 5;
    port = has_port ? authority.substr(6) : "";
  } else if (size_t colon = authority.find(':'); colon != std::string::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    has_port = true;
  }
  const bool digits = !port.empty() && port.size() <= 5 &&
                      std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (has_port && !digits) return {};  // "host:" or "host:x"
  if (loopback_http) {
    if (scheme != "http" || (host != "127.0.0.1" && host != "localhost" && host != "[::1]")) return {};
    return !has_port || (std::stoi(port) > 0 && std::stoi(port) < 65536) ? host : std::string();
  }
  if (scheme != "https" || (has_port && port != "443") || host.empty() || host.size() > 253) return {};
  size_t label = 0;
  for (char c : host) {
    if (c == '.') {
      if (label == 0) return {};
      label = 0;
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
      if (++label > 63) return {};
    } else {
      return {};  // percent signs, backslashes, '%00', ';', '&', brackets …: never a push service's host
    }
  }
  return label == 0 ? std::string() : host;
}

bool HostAllowed(const std::string& host, const std::vector<std::string>& allowed) {
  for (const std::string& a : allowed) {
    const std::string suffix = AsciiLower(a);
    if (suffix.empty()) continue;
    if (host == suffix) return true;
    if (host.size() > suffix.size() + 1 &&
        host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0 &&
        host[host.size() - suffix.size() - 1] == '.')
      return true;
  }
  return false;
}

// The first lines of a mail's text, whole characters, at most kPushBodyChars, "…" when cut.
std::string NotificationText(const std::string& text) {
  std::string out;
  size_t chars = 0;
  for (size_t pos = 0; pos < text.size();) {
    Utf8Char ch = DecodeUtf8At(text, pos);
    if (!ch.ok) break;
    if (chars == kPushBodyChars) return out + "…";
    out.append(text, pos, ch.len);
    pos += ch.len;
    ++chars;
  }
  return out;
}

}  // namespace

P256KeyPair LoadOrCreateVapidKey(Database& db, std::string_view server_key) {
  P256KeyPair key;
  db.Transaction([&] {
    auto q = db.Prepare("SELECT key, value FROM server_state WHERE key IN (?1, ?2)");
    q.Bind(1, kVapidPublicKey).Bind(2, kVapidPrivateKey);
    std::string pub, sealed;
    while (q.Step()) (q.Text(0) == kVapidPublicKey ? pub : sealed) = q.Text(1);
    q.Reset();
    if (!pub.empty() && !sealed.empty()) {
      auto priv = OpenSealed(server_key, kVapidSealPurpose, sealed);
      auto pub_raw = Base64Decode(pub, true);
      if (!priv || !pub_raw || P256PublicKey(*priv) != *pub_raw)
        throw CryptoError("the stored VAPID key does not open with this server key (secret.key replaced?)");
      key = {*priv, *pub_raw};
      return;
    }
    key = GenerateP256KeyPair();
    auto put = db.Prepare(
        "INSERT INTO server_state (key, value) VALUES (?1, ?2) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    put.Bind(1, kVapidPublicKey).Bind(2, Base64Encode(key.public_key, true)).Run();
    put.Reset();
    put.Bind(1, kVapidPrivateKey).Bind(2, SealSecret(server_key, kVapidSealPurpose, key.private_key)).Run();
  });
  return key;
}

std::vector<FieldError> CheckPushSubscription(const PushSubscriptionInput& in, const PushConfig& config) {
  std::vector<FieldError> errors;
  const std::string origin = PushEndpointOrigin(in.endpoint);
  bool endpoint_ok = !origin.empty() && in.endpoint.size() <= kMaxPushEndpointLength;
  for (unsigned char c : in.endpoint) endpoint_ok = endpoint_ok && c > 0x20 && c < 0x7f;
  if (!endpoint_ok) {
    errors.push_back({std::string(err::kPushSubscriptionInvalid), "endpoint"});
  } else {
    const bool loopback = config.allow_http_loopback && !PlainHost(origin, true).empty();
    const std::string host = PlainHost(origin, false);
    if (!loopback && (host.empty() || !HostAllowed(host, config.endpoint_hosts)))
      errors.push_back({std::string(err::kPushEndpointNotAllowed), "endpoint"});
  }
  auto p256dh = Base64Decode(in.p256dh, true);
  bool key_ok = p256dh.has_value();
  if (key_ok) {
    try {
      push::RequirePublicKey(*p256dh);
    } catch (const std::invalid_argument&) {
      key_ok = false;
    }
  }
  if (!key_ok) errors.push_back({std::string(err::kPushSubscriptionInvalid), "p256dh"});
  auto auth = Base64Decode(in.auth, true);
  if (!auth || auth->size() != 16) errors.push_back({std::string(err::kPushSubscriptionInvalid), "auth"});
  if (auto e = ValidateTextField(in.device, kMaxPushDeviceLength))
    errors.push_back({std::string(*e), "device"});
  return errors;
}

int64_t SavePushSubscription(Database& db, int64_t account_id, const PushSubscriptionInput& in, int64_t now) {
  // The same endpoint is the same browser profile: it now belongs to whoever logged in there last.
  auto up = db.Prepare(
      "INSERT INTO push_subscriptions (account_id, endpoint, p256dh, auth, device, enabled, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6) ON CONFLICT (endpoint) DO UPDATE SET account_id = "
      "excluded.account_id, "
      "p256dh = excluded.p256dh, auth = excluded.auth, device = excluded.device, enabled = 1, "
      "created_at = excluded.created_at, last_sent_at = NULL, ended_at = NULL, ended_reason = NULL "
      "RETURNING id");
  up.Bind(1, account_id)
      .Bind(2, in.endpoint)
      .Bind(3, in.p256dh)
      .Bind(4, in.auth)
      .Bind(5, in.device)
      .Bind(6, now);
  if (!up.Step()) throw DbError("saving the push subscription returned no row");
  const int64_t id = up.Int(0);
  up.Reset();
  auto oldest = db.Prepare(
      "UPDATE push_subscriptions SET ended_at = ?2, ended_reason = 'replaced: more than the device limit' "
      "WHERE id IN (SELECT id FROM push_subscriptions WHERE account_id = ?1 AND ended_at IS NULL "
      "ORDER BY created_at DESC, id DESC LIMIT 9223372036854775807 OFFSET ?3)");  // "no limit" in both
                                                                                  // engines
  oldest.Bind(1, account_id).Bind(2, now).Bind(3, int64_t{kMaxPushDevices}).Run();
  return id;
}

std::vector<PushSubscriptionView> ListPushSubscriptions(Database& db, int64_t account_id) {
  auto q = db.Prepare(
      "SELECT id, device, enabled, created_at, last_sent_at, endpoint FROM push_subscriptions "
      "WHERE account_id = ?1 AND ended_at IS NULL ORDER BY created_at DESC, id DESC");
  q.Bind(1, account_id);
  std::vector<PushSubscriptionView> out;
  while (q.Step()) {
    PushSubscriptionView v{q.Int(0), q.Text(1),    q.Int(2) != 0,
                           q.Int(3), std::nullopt, PushEndpointOrigin(q.Text(5))};
    if (!q.IsNull(4)) v.last_sent_at = q.Int(4);
    out.push_back(std::move(v));
  }
  return out;
}

bool SetPushEnabled(Database& db, int64_t account_id, int64_t id, bool enabled) {
  auto q = db.Prepare(
      "UPDATE push_subscriptions SET enabled = ?3 WHERE id = ?1 AND account_id = ?2 AND ended_at IS NULL "
      "RETURNING id");
  q.Bind(1, id).Bind(2, account_id).Bind(3, int64_t{enabled ? 1 : 0});
  return q.Step();
}

bool EndPushSubscription(Database& db, int64_t account_id, int64_t id, int64_t now, std::string_view reason) {
  auto q = db.Prepare(
      "UPDATE push_subscriptions SET ended_at = ?3, ended_reason = ?4 WHERE id = ?1 AND account_id = ?2 "
      "AND ended_at IS NULL RETURNING id");
  q.Bind(1, id).Bind(2, account_id).Bind(3, now).Bind(4, reason);
  return q.Step();
}

void EndPushDevices(Database& db, int64_t account_id, int64_t now, std::string_view reason) {
  db.Prepare(
        "UPDATE push_subscriptions SET ended_at = ?2, ended_reason = ?3 WHERE account_id = ?1 AND ended_at "
        "IS NULL")
      .Bind(1, account_id)
      .Bind(2, now)
      .Bind(3, reason)
      .Run();
}

std::vector<int64_t> EnqueueAccountNotice(Database& db, int64_t account_id, const OutgoingMail& mail,
                                          std::string_view url, int64_t now) {
  ValidateMail(mail);
  std::vector<int64_t> devices;
  {
    auto q = db.Prepare(
        "SELECT id FROM push_subscriptions WHERE account_id = ?1 AND ended_at IS NULL AND enabled = 1 "
        "ORDER BY id");
    q.Bind(1, account_id);
    while (q.Step()) devices.push_back(q.Int(0));
  }
  if (devices.empty()) return {EnqueueMail(db, mail, now)};
  // One row per device; they are siblings (ids first … first + n − 1 in this write transaction): the e-mail
  // fallback goes once, and only when no sibling was pushed.
  auto last = db.Prepare("SELECT max(id) FROM mail_outbox");
  last.Step();
  const int64_t first = (last.IsNull(0) ? 0 : last.Int(0)) + 1;
  last.Reset();
  nlohmann::json body = {
      {"title", mail.subject},
      {"body", NotificationText(mail.body_text)},
      {"url", url},
      {"kind", mail.kind},
      {"siblings", {first, first + static_cast<int64_t>(devices.size()) - 1}},
      {"account", account_id},  // a device that changed hands since is not this account's: e-mail instead
      {"stop_url", mail.stop_url},
      {"fallback",
       {{"to", mail.to}, {"name", mail.to_name}, {"subject", mail.subject}, {"text", mail.body_text}}}};
  std::vector<int64_t> ids;
  for (int64_t device : devices) {
    OutgoingMail row = mail;
    row.to = "push:" + std::to_string(device);
    row.to_name.clear();
    row.body_text = body.dump();
    ids.push_back(EnqueueOutboxRow(db, "push", row, now));
  }
  return ids;
}

PushAddresses LoadPushAddresses(Database& db) {
  auto q = db.Prepare(
      "SELECT DISTINCT a.email, a.id FROM accounts a JOIN push_subscriptions p ON p.account_id = a.id "
      "WHERE p.ended_at IS NULL AND p.enabled = 1 AND a.email IS NOT NULL");
  PushAddresses out;
  while (q.Step()) out.emplace(AsciiLower(q.Text(0)), q.Int(1));
  return out;
}

std::vector<int64_t> EnqueueToAddress(Database& db, const OutgoingMail& mail, std::string_view url,
                                      int64_t now, const PushAddresses& push) {
  if (!push.empty()) {
    auto it = push.find(AsciiLower(mail.to));
    if (it != push.end()) return EnqueueAccountNotice(db, it->second, mail, url, now);
  }
  return {EnqueueMail(db, mail, now)};
}

}  // namespace mizu::backend
