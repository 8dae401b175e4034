#include "mizu/backend/clock.hpp"

#include <chrono>

namespace mizu::backend {

int64_t Clock::Now() const {
  int64_t fixed = fixed_.load();
  if (fixed != kReal) return fixed;
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

void Clock::Set(std::optional<int64_t> utc_seconds) {
  fixed_.store(utc_seconds ? *utc_seconds : kReal);
}

}  // namespace mizu::backend
