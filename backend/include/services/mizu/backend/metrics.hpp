#pragma once
// What an operator watches (docs/operations.md "Metrics"): requests by route and status with a latency
// histogram, time spent waiting for a database connection, the ingest outcome counts, the watch slots'
// duration and late reports. Rendered in the Prometheus text exposition format 0.0.4 by GET /metrics (the
// outbox gauges are read at scrape time). Thread-safe; counters only grow while the process lives.
//
// Our own code, not a library: Debian 12 packages no Prometheus client for C++ (prometheus-cpp is not in
// bookworm), and the text format is a few lines of plain text.
#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "mizu/backend/low_priority.hpp"

namespace mizu::backend {

// Cumulative buckets in seconds (Prometheus' defaults from 1 ms, plus 25 ms… 10 s).
inline constexpr std::array<double, 14> kLatencyBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                           0.1,    0.25,  0.5,    1,     2.5,  5,     10};

class Histogram {
 public:
  void Observe(double seconds);
  // `name{labels,le="…"} n` lines, then _sum and _count; labels without braces ("" for none).
  void Render(std::string& out, std::string_view name, std::string_view labels) const;

 private:
  std::array<std::atomic<uint64_t>, kLatencyBuckets.size() + 1> buckets_{};  // last: +Inf
  std::atomic<uint64_t> sum_ns_{0};
};

// Read from the database when /metrics is scraped.
struct OutboxGauges {
  int64_t waiting = 0;                  // messages not yet sent (queued or retrying)
  std::optional<int64_t> oldest_age_s;  // age of the oldest of them (now − created_at), none when empty
};

class Metrics {
 public:
  // One finished HTTP request. `route` is a bounded label (http::RouteLabel), never the raw path.
  void ObserveRequest(std::string_view route, std::string_view method, int status, double seconds,
                      size_t bytes);
  // Time from asking for a connection to holding it: `write` the writer (db_mutex), else a reader.
  void ObserveDbWait(bool write, double seconds);
  void AddIngest(uint64_t accepted, uint64_t duplicate, uint64_t refused);
  // One pass of the watch scheduler that reported windows; `reports` windows reported, `late` of them more
  // than kLateAfterSeconds (watch.hpp) after their due instant (the server was down or busy).
  void ObserveWatchSlot(double seconds, uint64_t reports, uint64_t late);
  // The whole exposition, the outbox gauges and the long-read lane's counts (read at scrape time) included.
  std::string Render(const OutboxGauges& outbox, const LaneCounts& long_reads) const;

 private:
  struct Route {
    std::map<std::pair<std::string, int>, uint64_t> by_method_status;
    uint64_t response_bytes = 0;
    Histogram latency;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Route, std::less<>> routes_;
  Histogram db_wait_read_, db_wait_write_, watch_slot_;
  std::atomic<uint64_t> ingest_accepted_{0}, ingest_duplicate_{0}, ingest_refused_{0};
  std::atomic<uint64_t> watch_reports_{0}, watch_late_{0};
};

}  // namespace mizu::backend
