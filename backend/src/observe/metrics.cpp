// The Prometheus text exposition (format 0.0.4) of metrics.hpp's counters and histograms.
#include "mizu/backend/metrics.hpp"

#include <cmath>
#include <cstdio>

namespace mizu::backend {
namespace {

void AppendNumber(std::string& out, double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  out += buf;
}

void Line(std::string& out, std::string_view name, std::string_view labels, double value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    out += labels;
    out += '}';
  }
  out += ' ';
  AppendNumber(out, value);
  out += '\n';
}

void Header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

// A label value escaped as the format asks (backslash, double quote, newline).
std::string Quoted(std::string_view v) {
  std::string s = "\"";
  for (char c : v) {
    if (c == '\\' || c == '"')
      s += '\\', s += c;
    else if (c == '\n')
      s += "\\n";
    else
      s += c;
  }
  return s + '"';
}

}  // namespace

void Histogram::Observe(double seconds) {
  if (!(seconds >= 0)) seconds = 0;
  size_t i = 0;
  while (i < kLatencyBuckets.size() && seconds > kLatencyBuckets[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<uint64_t>(std::llround(seconds * 1e9)), std::memory_order_relaxed);
}

void Histogram::Render(std::string& out, std::string_view name, std::string_view labels) const {
  std::string prefix = labels.empty() ? std::string() : std::string(labels) + ",";
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= kLatencyBuckets.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    std::string le;
    if (i < kLatencyBuckets.size()) {
      AppendNumber(le, kLatencyBuckets[i]);
    } else {
      le = "+Inf";
    }
    Line(out, std::string(name) + "_bucket", prefix + "le=\"" + le + "\"", static_cast<double>(cumulative));
  }
  Line(out, std::string(name) + "_sum", labels, sum_ns_.load(std::memory_order_relaxed) / 1e9);
  Line(out, std::string(name) + "_count", labels, static_cast<double>(cumulative));
}

void Metrics::ObserveRequest(std::string_view route, std::string_view method, int status, double seconds,
                             size_t bytes) {
  std::lock_guard lock(mutex_);
  auto it = routes_.find(route);
  if (it == routes_.end()) it = routes_.try_emplace(std::string(route)).first;
  ++it->second.by_method_status[{std::string(method), status}];
  it->second.response_bytes += bytes;
  it->second.latency.Observe(seconds);
}

void Metrics::ObserveDbWait(bool write, double seconds) {
  (write ? db_wait_write_ : db_wait_read_).Observe(seconds);
}

void Metrics::AddIngest(uint64_t accepted, uint64_t duplicate, uint64_t refused) {
  ingest_accepted_ += accepted;
  ingest_duplicate_ += duplicate;
  ingest_refused_ += refused;
}

void Metrics::ObserveWatchSlot(double seconds, uint64_t reports, uint64_t late) {
  watch_slot_.Observe(seconds);
  watch_reports_ += reports;
  watch_late_ += late;
}

std::string Metrics::Render(const OutboxGauges& outbox, const LaneCounts& long_reads) const {
  std::string out;
  {
    std::lock_guard lock(mutex_);
    Header(out, "mizu_http_requests_total", "counter",
           "HTTP requests finished, by route, method and status.");
    for (const auto& [route, r] : routes_)
      for (const auto& [key, n] : r.by_method_status)
        Line(out, "mizu_http_requests_total",
             "route=" + Quoted(route) + ",method=" + Quoted(key.first) + ",status=\"" +
                 std::to_string(key.second) + "\"",
             static_cast<double>(n));
    Header(out, "mizu_http_response_bytes_total", "counter", "Response body bytes, by route.");
    for (const auto& [route, r] : routes_)
      Line(out, "mizu_http_response_bytes_total", "route=" + Quoted(route),
           static_cast<double>(r.response_bytes));
    Header(out, "mizu_http_request_duration_seconds", "histogram",
           "From the request line read to the response written, by route.");
    for (const auto& [route, r] : routes_)
      r.latency.Render(out, "mizu_http_request_duration_seconds", "route=" + Quoted(route));
  }
  Header(out, "mizu_db_wait_seconds", "histogram",
         "Time a unit of work waited for its database connection (the one writer, or a pooled reader).");
  db_wait_read_.Render(out, "mizu_db_wait_seconds", "connection=\"reader\"");
  db_wait_write_.Render(out, "mizu_db_wait_seconds", "connection=\"writer\"");
  Header(out, "mizu_long_reads_total", "counter",
         "Usage reads over a month, by where they ran: on the request's thread (nothing short finished "
         "within the quiet window) or on the low-priority workers.");
  Line(out, "mizu_long_reads_total", "ran=\"request_thread\"",
       static_cast<double>(long_reads.on_request_thread));
  Line(out, "mizu_long_reads_total", "ran=\"low_priority\"", static_cast<double>(long_reads.on_workers));
  Header(out, "mizu_outbox_waiting_messages", "gauge", "Mails and SMS queued or retrying, not yet sent.");
  Line(out, "mizu_outbox_waiting_messages", "", static_cast<double>(outbox.waiting));
  Header(out, "mizu_outbox_oldest_waiting_seconds", "gauge",
         "Age of the oldest message not yet sent (0 when none waits).");
  Line(out, "mizu_outbox_oldest_waiting_seconds", "", static_cast<double>(outbox.oldest_age_s.value_or(0)));
  Header(out, "mizu_ingest_rows_total", "counter", "Meter readings received, by outcome.");
  Line(out, "mizu_ingest_rows_total", "outcome=\"accepted\"", static_cast<double>(ingest_accepted_.load()));
  Line(out, "mizu_ingest_rows_total", "outcome=\"duplicate\"", static_cast<double>(ingest_duplicate_.load()));
  Line(out, "mizu_ingest_rows_total", "outcome=\"refused\"", static_cast<double>(ingest_refused_.load()));
  Header(out, "mizu_watch_slot_duration_seconds", "histogram",
         "One scheduler pass evaluating the watch windows that fell due.");
  watch_slot_.Render(out, "mizu_watch_slot_duration_seconds", "");
  Header(out, "mizu_watch_reports_total", "counter", "Watch reports enqueued.");
  Line(out, "mizu_watch_reports_total", "", static_cast<double>(watch_reports_.load()));
  Header(out, "mizu_watch_late_reports_total", "counter",
         "Watch reports enqueued more than 10 minutes (kLateAfterSeconds, watch.hpp) after they fell due.");
  Line(out, "mizu_watch_late_reports_total", "", static_cast<double>(watch_late_.load()));
  return out;
}

}  // namespace mizu::backend
