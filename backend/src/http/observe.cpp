// Request log lines, route labels and the /metrics route (observe.hpp).
#include "observe.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string_view>

#include "http_util.hpp"
#include "json_writer.hpp"
#include "mizu/backend/mail.hpp"
#include "mizu/time.hpp"

namespace mizu::backend::http {
namespace {

thread_local std::chrono::steady_clock::time_point request_start = std::chrono::steady_clock::now();

// Every literal segment of the /api routes, sorted (tests/api/routes.test.mjs checks that each route's
// literals are here). Any other segment is labelled {id}: a label is never text a client chose, so the metric
// series stay a fixed, small set whatever paths are sent (customer numbers, tokens, junk, invalid UTF-8).
constexpr std::string_view kRouteWords[] = {
    "accounts",
    "admin",
    "alerts",
    "api",
    "applications",
    "audit",
    "bills",
    "calendar",
    "clock",
    "complete",
    "contracts",
    "customers",
    "delivery",
    "email",
    "end",
    "enrolment",
    "history",
    "import",
    "ingest",
    "key",
    "kiosks",
    "login",
    "logout",
    "me",
    "messages",
    "move-in",
    "move-out",
    "notices",
    "notification-settings",
    "paper-notice",
    "password",
    "password-reset",
    "payments",
    "preview",
    "primary",
    "push",
    "push-subscriptions",
    "read",
    "readings",
    "reissue",
    "resend-code",
    "revoke",
    "session",
    "sessions",
    "settings",
    "signup",
    "staff",
    "start",
    "status",
    "stop",
    "tariff",
    "test",
    "usage",
    "v1",
    "verify",
    "watch",
    "withdraw",
};

bool Variable(std::string_view segment) {
  return !std::binary_search(std::begin(kRouteWords), std::end(kRouteWords), segment);
}

std::string NowUtc() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  // The civil date by arithmetic (mizu/time.hpp), not gmtime_r: glibc's takes a process-wide lock
  // (tzset_lock) that every request thread would queue on.
  const int64_t seconds = ms / 1000, days = seconds / 86400, in_day = seconds % 86400;  // after 1970
  const CivilDate date = CivilFromDays(days);
  // YYYY-MM-DDTHH:MM:SS.mmmZ written digit by digit (on every request's path; snprintf was a measurable
  // part).
  char buf[] = "0000-00-00T00:00:00.000Z";
  auto put = [&buf](int at, int width, int value) {
    for (int i = at + width - 1; i >= at; --i, value /= 10) buf[i] = static_cast<char>('0' + value % 10);
  };
  put(0, 4, date.year);
  put(5, 2, date.month);
  put(8, 2, date.day);
  put(11, 2, static_cast<int>(in_day / 3600));
  put(14, 2, static_cast<int>(in_day / 60 % 60));
  put(17, 2, static_cast<int>(in_day % 60));
  put(20, 3, static_cast<int>(ms % 1000));
  return buf;
}

void WriteAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // stderr gone: the lines are lost, the server goes on
    done += static_cast<size_t>(n);
  }
}

constexpr size_t kFlushBytes = 64 * 1024;

}  // namespace

std::string RouteLabel(std::string_view path, int status) {
  if (path == "/healthz" || path == "/metrics") return std::string(path);
  if (path.rfind("/api/", 0) != 0) return "(static)";
  if (status == 404) return "/api/(unmatched)";
  std::string out;
  size_t at = 1;
  while (at <= path.size()) {
    size_t end = path.find('/', at);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(at, end - at);
    out += '/';
    out += Variable(segment) ? std::string_view("{id}") : segment;
    at = end + 1;
  }
  return out;
}

void MarkRequestStart() {
  request_start = std::chrono::steady_clock::now();
}

double SecondsSinceRequestStart() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - request_start).count();
}

RequestLog::RequestLog(int fd, std::chrono::milliseconds flush_every) : fd_(fd), flush_every_(flush_every) {
  buffer_.reserve(2 * kFlushBytes);
  spare_.reserve(2 * kFlushBytes);
  thread_ = std::thread([this] { Run(); });
}

RequestLog::~RequestLog() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
  Flush();
}

void RequestLog::Write(std::string_view line) {
  bool full;
  {
    std::lock_guard lock(mutex_);
    buffer_ += line;
    buffer_ += '\n';
    full = buffer_.size() >= kFlushBytes;
  }
  if (full) wake_.notify_one();
}

void RequestLog::Flush() {
  std::lock_guard writing(write_mutex_);
  {
    std::lock_guard lock(mutex_);
    spare_.swap(buffer_);  // both keep their capacity: no large allocation per block
  }
  if (!spare_.empty()) WriteAll(fd_, spare_);
  spare_.clear();
}

void RequestLog::Run() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    wake_.wait_for(lock, flush_every_, [&] { return stop_ || buffer_.size() >= kFlushBytes; });
    lock.unlock();
    Flush();
    lock.lock();
  }
}

std::string RequestLogLine(const RequestRecord& r) {
  // Written front to back (JsonWriter): one line per request, on every request's path. Keys in the order
  // nlohmann's objects print them (sorted), as the error lines below.
  const std::string computed = r.route.empty() ? RouteLabel(r.path, r.status) : std::string();
  const std::string_view route = r.route.empty() ? std::string_view(computed) : r.route;
  JsonWriter w(256);
  w.BeginObject().Key("bytes").Int(static_cast<int64_t>(r.bytes)).Key("client").String(r.client);
  w.Key("method").String(r.method).Key("ms").Number(std::round(r.seconds * 1e5) / 100);
  if (route == "(static)") w.Key("path").String(r.path);
  w.Key("route").String(route).Key("status").Int(r.status).Key("ts").String(NowUtc()).EndObject();
  return w.Take();
}

std::string ErrorLogLine(std::string_view method, std::string_view path, std::string_view what) {
  nlohmann::json line = {{"ts", NowUtc()},
                         {"level", "error"},
                         {"method", method},
                         {"route", RouteLabel(path, 500)},
                         {"error", what}};
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void RegisterMetricsRoute(httplib::Server& server, App& app, const ProxySet& allow) {
  server.Get("/metrics", [&app, allow](const httplib::Request& req, httplib::Response& res) {
    if (!allow.Contains(req.remote_addr)) {
      SendError(req, res, 404, err::kNotFound);
      return;
    }
    const int64_t now = app.clock.Now();
    OutboxGauges outbox = ReadDb(app, [&](Database& db) { return OutboxWaiting(db, now); });
    res.set_content(app.metrics.Render(outbox, app.long_reads.Counts()),
                    "text/plain; version=0.0.4; charset=utf-8");
    res.set_header("Cache-Control", "no-store");
  });
}

}  // namespace mizu::backend::http
