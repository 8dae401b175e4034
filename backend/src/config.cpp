// Config loading: JSON file keys as in docs/operations.md, environment overrides, --listen parsing.
#include "mizu/backend/config.hpp"

#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "mizu/backend/db.hpp"
#include "mizu/json_fields.hpp"

namespace mizu::backend {
namespace {

void CheckDatabaseUrl(const std::string& url, const std::string& where) {
  try {
    DatabaseUrl::Parse(url);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(where + ": " + e.what());
  }
}

template <typename T>
void Read(const nlohmann::json& j, const char* key, T& out, const std::string& where) {
  if (!j.contains(key)) return;
  // JsonIs: 1e30 or 2^40 for an int is refused, not truncated (nlohmann's get<int>() would be undefined).
  if (!JsonIs<T>(j.at(key))) throw std::runtime_error(where + ": key \"" + key + "\" has the wrong type");
  out = j.at(key).get<T>();
}

// A message transport block ("mail", "sms"), when present: its "transport" (which must be "file" or
// `other`), then its string keys in the order given.
void ReadTransport(const nlohmann::json& j, const char* block, std::string& transport, const char* other,
                   std::initializer_list<std::pair<const char*, std::string*>> keys,
                   const std::string& path) {
  if (!j.contains(block)) return;
  const auto& b = j.at(block);
  const std::string where = path + " " + block;
  Read(b, "transport", transport, where);
  for (const auto& [key, out] : keys) Read(b, key, *out, where);
  if (transport != "file" && transport != other)
    throw std::runtime_error(path + ": " + block + ".transport must be \"file\" or \"" + other + "\"");
}

}  // namespace

MeterLimits MeterLimitsFor(const UtilityConfig& utility, int diameter_mm) {
  MeterLimits limits;
  auto it = utility.meter_q3_m3_per_h.find(diameter_mm);
  std::optional<double> q3 =
      it != utility.meter_q3_m3_per_h.end() ? std::optional<double>(it->second) : DefaultQ3(diameter_mm);
  if (q3) limits.max_litres_per_hour = MaxLitresPerHour(*q3);
  return limits;
}

std::string PublicBaseUrl(const Config& config) {
  std::string base = config.public_url.empty()
                         ? "http://" + config.listen_host + ":" + std::to_string(config.listen_port)
                         : config.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

void ApplyListen(Config& config, const std::string& host_port) {
  auto colon = host_port.rfind(':');
  if (colon == std::string::npos || colon == 0) throw std::invalid_argument("--listen wants HOST:PORT");
  std::string port = host_port.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
    throw std::invalid_argument("--listen: bad port \"" + port + "\"");
  int p = std::stoi(port);
  if (p > 65535) throw std::invalid_argument("--listen: port out of range");
  config.listen_host = host_port.substr(0, colon);
  config.listen_port = p;
}

void ApplyConfigFile(Config& config, const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read config file " + path);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw std::runtime_error(path + ": not valid JSON: " + e.what());
  }
  if (!j.is_object()) throw std::runtime_error(path + ": the config must be a JSON object");
  if (j.contains("listen")) ApplyListen(config, j.at("listen").get<std::string>());
  Read(j, "data_dir", config.data_dir, path);
  if (j.contains("database")) {
    Read(j.at("database"), "url", config.database_url, path + " database");
    if (!config.database_url.empty()) CheckDatabaseUrl(config.database_url, path + ": database.url");
  }
  Read(j, "web_dir", config.web_dir, path);
  Read(j, "public_url", config.public_url, path);
  Read(j, "test_mode", config.test_mode, path);
  auto& mail = config.mail;
  ReadTransport(j, "mail", mail.transport, "smtp", {{"smtp_url", &mail.smtp_url}, {"from", &mail.from}},
                path);
  auto& sms = config.sms;
  ReadTransport(j, "sms", sms.transport, "webhook",
                {{"webhook_url", &sms.webhook_url}, {"webhook_token", &sms.webhook_token}}, path);
  if (j.contains("sms") && sms.transport == "webhook" && sms.webhook_url.empty())
    throw std::runtime_error(path + ": sms.webhook_url is required with the webhook transport");
  Read(j, "secure_cookies", config.secure_cookies, path);
  if (j.contains("auth")) {
    Read(j.at("auth"), "scrypt_log2_n", config.password_hash_log2_n, path + " auth");
    if (config.password_hash_log2_n < 0 || config.password_hash_log2_n > 20)
      throw std::runtime_error(path + ": auth.scrypt_log2_n must be 1..20");
  }
  if (j.contains("http")) {
    const auto& h = j.at("http");
    auto& c = config.http;
    Read(h, "threads", c.threads, path + " http");
    Read(h, "backlog", c.backlog, path + " http");
    Read(h, "max_header_count", c.max_header_count, path + " http");
    Read(h, "max_header_bytes", c.max_header_bytes, path + " http");
    Read(h, "hash_workers", c.hash_workers, path + " http");
    Read(h, "hash_queue", c.hash_queue, path + " http");
    Read(h, "long_reads_per_account", c.long_reads_per_account, path + " http");
    Read(h, "long_reads_quiet_ms", c.long_reads_quiet_ms, path + " http");
    Read(h, "trusted_proxies", c.trusted_proxies, path + " http");
    if (c.threads < 2 || c.threads > 1024) throw std::runtime_error(path + ": http.threads must be 2..1024");
    if (c.backlog < 1 || c.backlog > 65535)
      throw std::runtime_error(path + ": http.backlog must be 1..65535");
    if (c.max_header_count < 10 || c.max_header_bytes < 1024)
      throw std::runtime_error(path + ": http.max_header_count must be >= 10 and max_header_bytes >= 1024");
    if (c.hash_workers < 0 || c.hash_queue < 0)
      throw std::runtime_error(path + ": http.hash_workers and http.hash_queue must be >= 0");
    if (c.long_reads_per_account < 1 || c.long_reads_per_account > 1024)
      throw std::runtime_error(path + ": http.long_reads_per_account must be 1..1024");
    if (c.long_reads_quiet_ms < 0 || c.long_reads_quiet_ms > 3'600'000)
      throw std::runtime_error(path + ": http.long_reads_quiet_ms must be 0..3600000");
  }
  if (j.contains("watch")) {
    const auto& w = j.at("watch");
    Read(w, "window_hours", config.watch.window_hours, path + " watch");
    Read(w, "report_delay_minutes", config.watch.report_delay_minutes, path + " watch");
    const std::vector<std::string> problems = CheckWatchSettings(config.watch);
    if (!problems.empty()) throw std::runtime_error(path + ": " + problems.front());
  }
  if (j.contains("metrics")) Read(j.at("metrics"), "allow", config.metrics.allow, path + " metrics");
  if (j.contains("push")) {
    const auto& q = j.at("push");
    auto& c = config.push;
    Read(q, "subject", c.subject, path + " push");
    Read(q, "endpoint_hosts", c.endpoint_hosts, path + " push");
    Read(q, "allow_http_loopback", c.allow_http_loopback, path + " push");
    Read(q, "ttl_seconds", c.ttl_seconds, path + " push");
    if (!c.subject.empty() && c.subject.rfind("mailto:", 0) != 0 && c.subject.rfind("https:", 0) != 0)
      throw std::runtime_error(path + ": push.subject must be a mailto: or https: URI");
    if (c.ttl_seconds < 0 || c.ttl_seconds > 28 * 86400)
      throw std::runtime_error(path + ": push.ttl_seconds must be 0..2419200");
  }
  if (j.contains("payment")) {
    const auto& q = j.at("payment");
    auto& c = config.payment;
    const std::string where = path + " payment";
    Read(q, "company_code", c.company_code, where);
    Read(q, "konbini_limit_yen", c.konbini_limit_yen, where);
    Read(q, "stamp_threshold_yen", c.stamp_threshold_yen, where);
    Read(q, "deadline_days_after_due", c.deadline_days_after_due, where);
    Read(q, "reissue_days", c.reissue_days, where);
    Read(q, "payeasy_institution_number", c.payeasy_institution_number, where);
    Read(q, "payeasy_confirmation_key", c.payeasy_confirmation_key, where);
    auto digits = [](const std::string& s, size_t n) {
      return s.size() == n && s.find_first_not_of("0123456789") == std::string::npos;
    };
    if (!c.company_code.empty() && !digits(c.company_code, 6))
      throw std::runtime_error(path + ": payment.company_code must be 6 digits");
    if (c.konbini_limit_yen < 1 || c.konbini_limit_yen > 999'999)
      throw std::runtime_error(path + ": payment.konbini_limit_yen must be 1..999999");
    if (c.stamp_threshold_yen < 0)
      throw std::runtime_error(path + ": payment.stamp_threshold_yen must be >= 0");
    if (c.deadline_days_after_due < 0 || c.deadline_days_after_due > 90)
      throw std::runtime_error(path + ": payment.deadline_days_after_due must be 0..90");
    if (c.reissue_days < 1 || c.reissue_days > 90)
      throw std::runtime_error(path + ": payment.reissue_days must be 1..90");
    if (!c.payeasy_institution_number.empty() && !digits(c.payeasy_institution_number, 5))
      throw std::runtime_error(path + ": payment.payeasy_institution_number must be 5 digits");
    if (!c.payeasy_confirmation_key.empty() && c.payeasy_confirmation_key.size() < 32)
      throw std::runtime_error(path + ": payment.payeasy_confirmation_key must be at least 32 characters");
  }
  if (j.contains("kiosk")) {
    const auto& k = j.at("kiosk");
    auto& c = config.kiosk;
    Read(k, "idle_seconds", c.idle_seconds, path + " kiosk");
    Read(k, "warn_seconds", c.warn_seconds, path + " kiosk");
    Read(k, "session_limit_seconds", c.session_limit_seconds, path + " kiosk");
    if (c.idle_seconds < 30 || c.idle_seconds > 900)
      throw std::runtime_error(path + ": kiosk.idle_seconds must be 30..900");
    if (c.warn_seconds < 5 || c.warn_seconds > c.idle_seconds / 2)
      throw std::runtime_error(path + ": kiosk.warn_seconds must be 5..idle_seconds/2");
    if (c.session_limit_seconds < 300 || c.session_limit_seconds > 14400)
      throw std::runtime_error(path + ": kiosk.session_limit_seconds must be 300..14400");
  }
  if (j.contains("utility")) {
    const auto& u = j.at("utility");
    Read(u, "name", config.utility.name, path + " utility");
    Read(u, "name_en", config.utility.name_en, path + " utility");
    Read(u, "counter_phone", config.utility.counter_phone, path + " utility");
    Read(u, "tariff_file", config.utility.tariff_file, path + " utility");
    Read(u, "customer_number_digits", config.utility.customer_number.digits, path + " utility");
    Read(u, "customer_number_groups", config.utility.customer_number.groups, path + " utility");
    if (u.contains("meter_q3_m3_per_h")) {
      const auto& table = u.at("meter_q3_m3_per_h");
      if (!table.is_object())
        throw std::runtime_error(path + ": utility.meter_q3_m3_per_h must be an object");
      for (const auto& [diameter, q3] : table.items()) {
        if (diameter.empty() || diameter.size() > 4 ||
            diameter.find_first_not_of("0123456789") != std::string::npos || !q3.is_number() ||
            q3.get<double>() <= 0 || q3.get<double>() > 10000)
          throw std::runtime_error(path +
                                   ": utility.meter_q3_m3_per_h wants {\"<diameter mm>\": <Q3 m³/h > 0>}");
        config.utility.meter_q3_m3_per_h[std::stoi(diameter)] = q3.get<double>();
      }
    }
    int sum = 0;
    for (int g : config.utility.customer_number.groups) sum += g;
    if (sum != config.utility.customer_number.digits || config.utility.customer_number.digits < 4 ||
        config.utility.customer_number.digits > 20)
      throw std::runtime_error(path +
                               ": utility.customer_number_groups must add up to customer_number_digits");
  }
}

void ApplyEnvironment(Config& config) {
  auto env = [](const char* name) -> const char* {
    const char* v = std::getenv(name);
    return (v && *v) ? v : nullptr;
  };
  if (auto v = env("MIZU_LISTEN")) ApplyListen(config, v);
  if (auto v = env("MIZU_DATA_DIR")) config.data_dir = v;
  if (auto v = env("MIZU_DATABASE_URL")) {
    CheckDatabaseUrl(v, "MIZU_DATABASE_URL");
    config.database_url = v;
  }
  if (auto v = env("MIZU_WEB_DIR")) config.web_dir = v;
  if (auto v = env("MIZU_PUBLIC_URL")) config.public_url = v;
  if (auto v = env("MIZU_SMTP_URL")) {
    config.mail.smtp_url = v;
    config.mail.transport = "smtp";
  }
  if (auto v = env("MIZU_MAIL_TRANSPORT")) config.mail.transport = v;
  if (auto v = env("MIZU_SMS_WEBHOOK_URL")) {
    config.sms.webhook_url = v;
    config.sms.transport = "webhook";
  }
  if (auto v = env("MIZU_SMS_TRANSPORT")) config.sms.transport = v;
  if (auto v = env("MIZU_SMS_WEBHOOK_TOKEN")) config.sms.webhook_token = v;
  if (auto v = env("MIZU_TRUSTED_PROXIES")) {  // comma-separated; "" is not read (env() skips empty values)
    config.http.trusted_proxies.clear();
    std::string list = v;
    size_t pos = 0;
    while (pos <= list.size()) {
      size_t comma = list.find(',', pos);
      if (comma == std::string::npos) comma = list.size();
      std::string item = list.substr(pos, comma - pos);
      if (!item.empty() && item != "none") config.http.trusted_proxies.push_back(item);
      pos = comma + 1;
    }
  }
  if (auto v = env("MIZU_TEST_MODE")) config.test_mode = std::string(v) == "1" || std::string(v) == "true";
}

}  // namespace mizu::backend
