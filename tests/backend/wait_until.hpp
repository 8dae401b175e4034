// Waiting in the backend tests: for a condition (a mail delivered, a poll done, a server answering), checked
// again and again, with one limit for every wait measured on the steady clock. The limit is reached only when
// the awaited thing never happens — a broken feature — so it is generous: on a loaded 2-core CI machine
// (Chromium suites beside postgres.backend, PostgreSQL's fsync on a slow disk) an event can come seconds
// late, and a wait counted in loop turns of a few seconds failed there while passing here.
#pragma once

#include <chrono>
#include <thread>

namespace mizu::testing {

// How long any wait in these tests gives its condition before it gives up (60 s).
inline constexpr std::chrono::milliseconds kWaitLimit{60'000};

// Checks `ready` every `every` until it is true (→ true) or `limit` has passed (→ false; `ready` is checked
// once more at the end, so a condition that came true during the last pause counts).
template <typename Ready>
bool WaitUntil(Ready ready, std::chrono::milliseconds limit = kWaitLimit,
               std::chrono::milliseconds every = std::chrono::milliseconds(10)) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (ready()) return true;
    std::this_thread::sleep_for(every);
  }
  return static_cast<bool>(ready());
}

}  // namespace mizu::testing
