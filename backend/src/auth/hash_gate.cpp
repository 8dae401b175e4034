// A bounded gate in front of scrypt: `workers` hashes at once, `queue` waiting, the rest refused at once.
#include "hash_gate.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "mizu/backend/auth.hpp"

namespace mizu::backend {
namespace {

struct Gate {
  std::mutex mutex;
  std::condition_variable freed;
  int workers = 4;
  int queue = 16;
  int running = 0;
  int waiting = 0;
  long long refused = 0;
};

Gate& TheGate() {
  static Gate gate;
  return gate;
}

}  // namespace

void ConfigurePasswordHashGate(int workers, int queue) {
  Gate& g = TheGate();
  std::lock_guard lock(g.mutex);
  g.workers = std::max(1, workers);
  g.queue = std::max(0, queue);
  g.freed.notify_all();
}

HashGateLoad PasswordHashGateLoad() {
  Gate& g = TheGate();
  std::lock_guard lock(g.mutex);
  return {g.running, g.waiting, g.refused};
}

void EnterHashGate() {
  Gate& g = TheGate();
  std::unique_lock lock(g.mutex);
  if (g.running < g.workers && g.waiting == 0) {
    ++g.running;
    return;
  }
  if (g.waiting >= g.queue) {
    ++g.refused;
    throw HashGateFull();
  }
  ++g.waiting;
  g.freed.wait(lock, [&] { return g.running < g.workers; });
  --g.waiting;
  ++g.running;
}

void LeaveHashGate() {
  Gate& g = TheGate();
  std::lock_guard lock(g.mutex);
  --g.running;
  g.freed.notify_one();
}

}  // namespace mizu::backend
