// The SMS transports: `file` (one .txt per message in <data>/sms/, written like the mail file transport) and
// `webhook` (libcurl: POST JSON {"to","body","message_id"} to the configured URL, optional Bearer token).
// Not implemented: a provider's own API shape (put a small adapter behind the webhook), delivery receipts.
#include <curl/curl.h>

#include <cctype>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>

#include "mizu/backend/sms.hpp"

namespace mizu::backend {
namespace {

constexpr long kConnectTimeoutSeconds = 10;
constexpr long kRequestTimeoutSeconds = 30;  // well under RetryPolicy::lease_seconds

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t Discard(char*, size_t size, size_t count, void*) {
  return size * count;
}

}  // namespace

FileSmsTransport::FileSmsTransport(std::string dir) : dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_);
}

void FileSmsTransport::Send(const SmsMessage& sms) {
  std::string stem = sms.message_id;
  for (char& c : stem)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_')) c = '_';
  if (stem.empty() || stem.front() == '.') stem = "s" + stem;
  WriteFileDurably(dir_, stem + ".txt",
                   "To: " + sms.to + "\nMessage-ID: " + sms.message_id + "\n\n" + sms.body + "\n");
}

WebhookSmsTransport::WebhookSmsTransport(std::string url, std::string token) : url_(std::move(url)) {
  if (!url_.starts_with("http://") && !url_.starts_with("https://"))
    throw std::invalid_argument("sms.webhook_url must start with http:// or https://");
  if (!token.empty()) auth_header_ = "Authorization: Bearer " + token;
  GlobalInit();
  CURL* curl = curl_easy_init();
  if (!curl) throw std::runtime_error("curl_easy_init failed");
  curl_ = curl;
  curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, kConnectTimeoutSeconds);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, kRequestTimeoutSeconds);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Discard);
}

WebhookSmsTransport::~WebhookSmsTransport() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

void WebhookSmsTransport::Send(const SmsMessage& sms) {
  CURL* curl = static_cast<CURL*>(curl_);
  const std::string payload =
      nlohmann::json{{"to", sms.to}, {"body", sms.body}, {"message_id", sms.message_id}}.dump();
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json; charset=utf-8");
  if (headers && !auth_header_.empty()) headers = curl_slist_append(headers, auth_header_.c_str());
  if (headers) headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  if (!headers) throw MailSendError("out of memory", false);
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, payload.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  // The handle outlives these locals: unhook them before they go.
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, nullptr);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  curl_slist_free_all(headers);
  if (rc != CURLE_OK)
    throw MailSendError("sms webhook: " + std::string(error[0] ? error : curl_easy_strerror(rc)), false);
  if (status >= 200 && status < 300) return;
  bool permanent = status >= 400 && status < 500 && status != 408 && status != 429;
  throw MailSendError("sms webhook: HTTP " + std::to_string(status), permanent);
}

std::unique_ptr<SmsTransport> MakeSmsTransport(const SmsConfig& config, const std::string& data_dir) {
  if (config.transport == "file") return std::make_unique<FileSmsTransport>(data_dir + "/sms");
  if (config.transport == "webhook")
    return std::make_unique<WebhookSmsTransport>(config.webhook_url, config.webhook_token);
  throw std::invalid_argument("sms.transport must be \"file\" or \"webhook\", not \"" + config.transport +
                              "\"");
}

}  // namespace mizu::backend
