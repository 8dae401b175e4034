// The `smtp` mail transport over libcurl (no hand-written SMTP). Implements: smtp:// with STARTTLS when the
// server offers it (CURLUSESSL_TRY; certificates verified), smtps:// (implicit TLS), AUTH from the URL's
// user:password, one connection kept open across messages, 4xx/5xx classification.
// Not implemented: several recipients per message, DSN options, a client certificate.
#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "mizu/backend/mail.hpp"

namespace mizu::backend {
namespace {

constexpr long kConnectTimeoutSeconds = 15;
constexpr long kMessageTimeoutSeconds = 120;  // must stay well under RetryPolicy::lease_seconds

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Reader {
  const std::string* data;
  size_t offset = 0;
};

size_t ReadChunk(char* buffer, size_t size, size_t count, void* user) {
  auto* r = static_cast<Reader*>(user);
  size_t n = std::min(size * count, r->data->size() - r->offset);
  std::memcpy(buffer, r->data->data() + r->offset, n);
  r->offset += n;
  return n;
}

}  // namespace

SmtpTransport::SmtpTransport(std::string url, std::string ca_file) : url_(std::move(url)) {
  if (!url_.starts_with("smtp://") && !url_.starts_with("smtps://"))
    throw std::invalid_argument("mail.smtp_url must start with smtp:// or smtps://");
  GlobalInit();
  CURL* curl = curl_easy_init();
  if (!curl) throw std::runtime_error("curl_easy_init failed");
  curl_ = curl;
  curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  if (!ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file.c_str());
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, &ReadChunk);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, kConnectTimeoutSeconds);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, kMessageTimeoutSeconds);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
}

SmtpTransport::~SmtpTransport() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}  // sends QUIT

void SmtpTransport::Send(const RenderedMail& mail) {
  CURL* curl = static_cast<CURL*>(curl_);
  std::string from = "<" + mail.envelope_from + ">";
  std::string to = "<" + mail.envelope_to + ">";
  curl_slist* recipients = curl_slist_append(nullptr, to.c_str());
  if (!recipients) throw MailSendError("out of memory", false);
  Reader reader{&mail.data};
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_READDATA, &reader);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(mail.data.size()));
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  CURLcode rc = curl_easy_perform(curl);
  long response = 0;
  long connects = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response);
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &connects);
  connections_ += connects;
  // The handle outlives these locals: unhook them before they go.
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, nullptr);
  curl_easy_setopt(curl, CURLOPT_READDATA, nullptr);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  curl_slist_free_all(recipients);
  if (rc == CURLE_OK) return;
  std::string message = "smtp: " + std::string(error[0] ? error : curl_easy_strerror(rc));
  if (response > 0) message += " (server said " + std::to_string(response) + ")";
  // A 5xx is a rejection of this message — except a refused login, which is our configuration and may be
  // fixed.
  bool permanent = response >= 500 && response < 600 && rc != CURLE_LOGIN_DENIED;
  throw MailSendError(message, permanent);
}

}  // namespace mizu::backend
