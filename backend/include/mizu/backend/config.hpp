#pragma once
// Server configuration: defaults (the embedded default: one process, one SQLite file), then a JSON file
// (--config), then environment variables (MIZU_*), then command-line flags — later wins.
#include <cstdint>
#include <string>
#include <vector>

#include "mizu/text.hpp"

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

struct WatchConfig {
  int window_hours = 6;
  int report_delay_minutes = 30;
};

struct UtilityConfig {
  std::string name = "水守市水道局";
  std::string name_en = "Mizumori City Water Bureau";
  CustomerNumberFormat customer_number;
  std::string counter_phone = "0120-000-000";
  std::string tariff_file;  // empty: <assets>/tariffs/default.json next to the executable's tree
};

struct Config {
  std::string listen_host = "127.0.0.1";
  int listen_port = 8080;
  std::string data_dir = "var";
  std::string web_dir;  // empty: the web build is not served
  std::string public_url;  // how residents reach the portal, for links in mails; empty: http://<listen>
  MailConfig mail;
  SmsConfig sms;
  WatchConfig watch;
  UtilityConfig utility;
  bool test_mode = false;
  int password_hash_log2_n = 0;  // 0: OWASP default (17); only lower it for tests ("auth.scrypt_log2_n")
  bool secure_cookies = false;   // "Secure" cookies: set when served over TLS (a TLS proxy in front)
};

// Throws std::runtime_error naming the file and key on malformed input.
void ApplyConfigFile(Config& config, const std::string& path);
// MIZU_LISTEN, MIZU_DATA_DIR, MIZU_WEB_DIR, MIZU_SMTP_URL, MIZU_MAIL_TRANSPORT, MIZU_SMS_TRANSPORT,
// MIZU_SMS_WEBHOOK_URL, MIZU_SMS_WEBHOOK_TOKEN, MIZU_TEST_MODE.
void ApplyEnvironment(Config& config);
// "HOST:PORT" → config; throws std::invalid_argument when malformed.
void ApplyListen(Config& config, const std::string& host_port);

}  // namespace mizu::backend
