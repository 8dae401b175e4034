#pragma once
// The server's notion of "now": real time, or — only when the config has "test_mode": true — a fixed instant
// set through POST /api/v1/test/clock. Thread-safe.
#include <atomic>
#include <cstdint>
#include <optional>

namespace mizu::backend {

class Clock {
 public:
  // UTC epoch seconds.
  int64_t Now() const;
  // Fixes the clock at utc_seconds (nullopt: back to real time).
  void Set(std::optional<int64_t> utc_seconds);
  bool IsFixed() const { return fixed_.load() != kReal; }

 private:
  static constexpr int64_t kReal = INT64_MIN;
  std::atomic<int64_t> fixed_{kReal};
};

}  // namespace mizu::backend
