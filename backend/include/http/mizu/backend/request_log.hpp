#pragma once
// The operator's view of the HTTP server (docs/operations.md "Logs" and "Metrics"): one JSON line per request
// on stderr, written in blocks by a background thread rather than one unbuffered write per request, and the
// request's route as a bounded label (for log lines and metrics). GET /metrics: routes.hpp.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "mizu/backend/app.hpp"

namespace mizu::backend::http {

// The route a request took, with its variable segments as "{id}" — "/api/v1/contracts/{id}/bills" for
// "/api/v1/contracts/00000008002/bills" — so that labels and log lines name the feature, never a customer
// number or a token. A segment is variable when it holds a digit (other than an API version, "v1") or is
// longer than 24 characters. An /api/ path answered 404 is "/api/(unmatched)", every other path outside /api/
// "(static)", except /healthz and /metrics, so the set of labels stays small whatever clients send.
std::string RouteLabel(std::string_view path, int status);

// The moment the current request's head was read (set by the pre-routing gate on the worker thread that
// serves it; cpp-httplib serves a request on one thread from head to log).
void MarkRequestStart();
double SecondsSinceRequestStart();

// Lines for stderr, buffered: Write appends under a mutex; a background thread writes the buffer every
// `flush_every` (and at once past 64 KiB); the destructor writes what is left. A crash loses at most the
// last `flush_every` of lines. Thread-safe.
class RequestLog {
 public:
  explicit RequestLog(int fd = 2, std::chrono::milliseconds flush_every = std::chrono::milliseconds(200));
  ~RequestLog();
  RequestLog(const RequestLog&) = delete;
  RequestLog& operator=(const RequestLog&) = delete;
  // One line (without its newline).
  void Write(std::string_view line);
  // Writes what is buffered now.
  void Flush();

 private:
  void Run();
  int fd_;
  std::chrono::milliseconds flush_every_;
  std::mutex mutex_;        // guards buffer_ and stop_
  std::mutex write_mutex_;  // one writer of spare_ at a time (the thread, or Flush)
  std::condition_variable wake_;
  std::string buffer_;  // lines being collected
  std::string spare_;   // the block being written
  bool stop_ = false;
  std::thread thread_;
};

// What one log line says about a request.
struct RequestRecord {
  std::string_view method;
  std::string_view path;  // as requested (logged only outside /api/: static files carry no personal data)
  int status = 0;
  double seconds = 0;  // from the head read to the response written
  size_t bytes = 0;    // of the response body
  std::string_view client;
  std::string_view route = {};  // RouteLabel(path, status) if the caller has it; worked out here when empty
};
// {"ts":"2026-11-30T11:00:00.123Z","method":"GET","route":"/api/v1/contracts/{id}/bills","status":200,
//  "ms":1.25,"bytes":5120,"client":"192.0.2.1"} — ts in UTC; a static file's line adds "path".
std::string RequestLogLine(const RequestRecord& r);
// {"ts":…,"level":"error","method":…,"route":…,"error":"…"}: a request that failed with an exception.
std::string ErrorLogLine(std::string_view method, std::string_view path, std::string_view what);

}  // namespace mizu::backend::http
