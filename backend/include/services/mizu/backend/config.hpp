#pragma once
// Server configuration: defaults (the embedded default: one process, one SQLite file), then a JSON file
// (--config), then environment variables (MIZU_*), then command-line flags — later wins.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "mizu/meter.hpp"
#include "mizu/text.hpp"
#include "mizu/watch.hpp"

namespace mizu::backend {

struct MailConfig {
  std::string transport = "file";  // "file" (one .eml per message in <data>/mail) | "smtp"
  std::string smtp_url;            // e.g. smtp://127.0.0.1:2525
  std::string from = "Mizumori <no-reply@mizumori.invalid>";
};

// SMS to accounts whose login ID is a mobile number (sms.hpp). Messages share the mail outbox and relay.
struct SmsConfig {
  std::string transport = "file";  // "file" (one .txt per message in <data>/sms) | "webhook"
  std::string webhook_url;         // http(s)://… receiving POST {"to","body","message_id"} as JSON
  std::string webhook_token;       // sent as "Authorization: Bearer <token>" when not empty
};

struct UtilityConfig {
  std::string name = "水守市水道局";
  std::string name_en = "Mizumori City Water Bureau";
  CustomerNumberFormat customer_number;
  std::string counter_phone = "0120-000-000";
  std::string tariff_file;  // empty: <assets>/tariffs/default.json next to the executable's tree
  // Permanent flow rate Q3 (m³/h) per meter diameter (mm), over mizu::DefaultQ3 (ISO 4064 / JIS B 8570):
  // a register that rises faster than 1.25 × Q3 is an anomaly, not water (meter.hpp).
  std::map<int, double> meter_q3_m3_per_h;
};

// The plausibility bound of a meter of `diameter_mm` under the utility's Q3 table; no bound for an unknown
// size.
MeterLimits MeterLimitsFor(const UtilityConfig& utility, int diameter_mm);

// The HTTP server (docs/operations.md "HTTP server and proxy"). The shipped proxy (deploy/nginx) is the edge
// for slow clients and floods; these keep the server sane when reached directly too.
struct HttpConfig {
  int threads = 64;                // request workers: they mostly wait on sockets (hashing has its own pool)
  int backlog = 511;               // listen(2) backlog (cpp-httplib's own is 5)
  int max_header_count = 100;      // header lines per request → 431 above
  int max_header_bytes = 32768;    // names + values per request → 431 above
  int hash_workers = 0;            // password hashes at once; 0: one per CPU core
  int hash_queue = 0;              // hashes waiting for a worker before 503 + Retry-After; 0: 4 per worker
  int long_reads_per_account = 2;  // usage reads over 31 days of one account at once before 429 (1..1024)
  // How long after the last short request long reads go to the low-priority workers; in a quieter moment they
  // run on their request's own thread (low_priority.hpp). 0..3,600,000 ms.
  int long_reads_quiet_ms = 200;
  // Peers whose X-Forwarded-For is believed (addresses or CIDR blocks); loopback: the shipped proxy.
  std::vector<std::string> trusted_proxies = {"127.0.0.1", "::1"};
};

// GET /metrics (docs/operations.md "Metrics"): answered only to these client addresses or CIDR blocks (the
// client behind trusted proxies); anyone else gets 404.
struct MetricsConfig {
  std::vector<std::string> allow = {"127.0.0.1", "::1"};
};

// Counter kiosks (kiosk.hpp, docs/kiosk.md): a kiosk session ends after `idle_seconds` without a request
// (the app warns in the last `warn_seconds`) and at most `session_limit_seconds` after it began.
struct KioskConfig {
  int idle_seconds = 120;            // 30..900
  int warn_seconds = 20;             // 5..idle_seconds/2
  int session_limit_seconds = 1800;  // 300..14400
};

// Web Push (push.hpp, docs/notifications.md). The server POSTs only to subscription endpoints whose host is
// one of `endpoint_hosts` or a subdomain of one (the browsers' push services; a subscription naming any other
// host is refused, so a client cannot make the server send requests elsewhere), over https — or, with
// `allow_http_loopback` (tests), to http://127.0.0.1.
struct PushConfig {
  std::string subject;  // VAPID "sub" (RFC 8292 §2.1): mailto: or https: contact; empty: mailto:<mail.from>
  std::vector<std::string> endpoint_hosts = {"fcm.googleapis.com", "push.services.mozilla.com",
                                             "push.apple.com", "notify.windows.com"};
  bool allow_http_loopback = false;
  int ttl_seconds =
      86400;  // RFC 8030 §5.2 TTL: how long the push service keeps a message for an offline device
};

// 料金のお支払い (docs/payment.md): what the utility's convenience-store barcode and Pay-easy numbers are
// built from when the CIS does not send them, and the limits residents see. Keys payment.<name>.
struct PaymentConfig {
  std::string company_code;  // 請求書発行企業コード, 6 digits; empty: only the CIS's barcodes are shown
  int64_t konbini_limit_yen = 300'000;  // above: no barcode (the stores' limit per slip)
  int64_t stamp_threshold_yen =
      0;  // 印紙フラグ 1 from this amount; 0: never (a public body's receipts need none)
  int deadline_days_after_due = 14;        // the codes' last day when the CIS gives none: due date + this
  int reissue_days = 14;                   // a staff reissue's new deadline: today + this
  std::string payeasy_institution_number;  // 収納機関番号, 5 digits; empty: no Pay-easy numbers
  std::string payeasy_confirmation_key;    // 確認番号 key (≥ 32 characters) when the CIS sends none
};

struct Config {
  std::string listen_host = "127.0.0.1";
  int listen_port = 8080;
  std::string data_dir = "var";
  // database.url / MIZU_DATABASE_URL (db.hpp DatabaseUrl): empty means sqlite:<data_dir>/mizumori.db.
  std::string database_url;
  std::string web_dir;     // empty: the web build is not served
  std::string public_url;  // how residents reach the portal, for links in mails; empty: http://<listen>
  MailConfig mail;
  SmsConfig sms;
  WatchSettings
      watch;  // keys watch.window_hours, watch.report_delay_minutes; the limits are not configurable
  UtilityConfig utility;
  HttpConfig http;
  MetricsConfig metrics;  // key metrics.allow
  KioskConfig kiosk;      // keys kiosk.idle_seconds, kiosk.warn_seconds, kiosk.session_limit_seconds
  PaymentConfig payment;
  PushConfig push;  // keys push.subject, push.endpoint_hosts, push.allow_http_loopback, push.ttl_seconds
  bool test_mode = false;
  int password_hash_log2_n = 0;  // 0: OWASP default (17); only lower it for tests ("auth.scrypt_log2_n")
  bool secure_cookies = false;   // "Secure" cookies: set when served over TLS (a TLS proxy in front)
};

// Throws std::runtime_error naming the file and key on malformed input.
void ApplyConfigFile(Config& config, const std::string& path);
// MIZU_LISTEN, MIZU_DATA_DIR, MIZU_WEB_DIR, MIZU_SMTP_URL, MIZU_MAIL_TRANSPORT, MIZU_SMS_TRANSPORT,
// MIZU_SMS_WEBHOOK_URL, MIZU_SMS_WEBHOOK_TOKEN, MIZU_TEST_MODE, MIZU_TRUSTED_PROXIES (comma-separated;
// "none": trust no proxy).
void ApplyEnvironment(Config& config);
// "HOST:PORT" → config; throws std::invalid_argument when malformed.
void ApplyListen(Config& config, const std::string& host_port);
// Where people reach the portal, for links in mails and printed links: public_url, else
// http://<listen host>:<port>; never with a trailing '/'.
std::string PublicBaseUrl(const Config& config);

}  // namespace mizu::backend
