// LowPriorityLane (low_priority.hpp): worker threads at a raised nice value.
#include "mizu/backend/low_priority.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

namespace mizu::backend {

namespace {

int64_t SteadyNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

constexpr int64_t kNoteEveryNs = 1'000'000;  // NoteShortWork stores at most once a millisecond

thread_local bool took_long_read = false;

}  // namespace

LowPriorityLane::LowPriorityLane(int workers, int nice, int max_waiting, std::chrono::nanoseconds quiet)
    : workers_(workers < 1 ? 1 : workers),
      nice_(nice),
      max_waiting_(max_waiting < 0 ? 0 : max_waiting),
      quiet_ns_(quiet.count()),
      last_short_ns_(INT64_MIN / 2) {}  // never noted: quiet

LowPriorityLane::~LowPriorityLane() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& t : threads_) t.join();
}

void LowPriorityLane::SetLimits(int max_waiting, int max_per_key, std::chrono::nanoseconds quiet) {
  quiet_ns_.store(quiet.count(), std::memory_order_relaxed);
  std::lock_guard lock(mutex_);
  max_waiting_ = max_waiting < 0 ? 0 : static_cast<size_t>(max_waiting);
  max_per_key_ = max_per_key < 1 ? 1 : max_per_key;
}

void LowPriorityLane::NoteShortWork() {
  const int64_t now = SteadyNs();
  if (now - last_short_ns_.load(std::memory_order_relaxed) < kNoteEveryNs) return;
  last_short_ns_.store(now, std::memory_order_relaxed);
  // No longer quiet: callers waiting for a slot on their own thread go to the workers now, not when a slot
  // frees. Taking the mutex orders this after any waiter's check of Quiet() and its wait, so none misses it.
  // (The only way quiet ends is this store: a waiter saw quiet, so the last store was a window ago and this
  // one, at least a millisecond later, is not skipped.)
  {
    std::lock_guard lock(mutex_);
    if (here_waiting_ == 0) return;
  }
  here_free_.notify_all();
}

bool LowPriorityLane::TookLongRead() {
  return std::exchange(took_long_read, false);
}

bool LowPriorityLane::Quiet() const {
  const int64_t quiet = quiet_ns_.load(std::memory_order_relaxed);
  return quiet < INT64_MAX / 2 && SteadyNs() - last_short_ns_.load(std::memory_order_relaxed) > quiet;
}

void LowPriorityLane::CheckRoom(int64_t key) {
  if (key != kNoKey) {
    auto it = per_key_.find(key);
    if (it != per_key_.end() && it->second >= max_per_key_) throw LaneFull(true);
  }
  if (in_lane_ >= max_waiting_ + static_cast<size_t>(workers_)) throw LaneFull(false);
}

bool LowPriorityLane::Admit(int64_t key, std::function<void()> job) {
  took_long_read = true;
  std::unique_lock lock(mutex_);
  CheckRoom(key);
  ++in_lane_;
  if (key != kNoKey) ++per_key_[key];
  // Quiet: a caller slot, waited for while the server stays quiet.
  bool here = Quiet();
  bool waited = false;
  while (here && here_running_ >= static_cast<size_t>(workers_)) {
    ++here_waiting_;
    here_free_.wait(lock);
    --here_waiting_;
    waited = true;
    here = Quiet();
  }
  if (here) {
    ++here_running_;
    ++counts_.on_request_thread;
    return true;
  }
  ++counts_.on_workers;
  try {
    Post(lock, std::move(job));  // unlocks, once nothing can throw
  } catch (...) {  // no thread could be started, or no memory: nothing of this job stays counted
    --counts_.on_workers;
    Uncount(key);
    throw;
  }
  if (waited) here_free_.notify_one();  // a slot this waiter was woken for may be free: pass the wake-up on
  return false;
}

void LowPriorityLane::Post(std::unique_lock<std::mutex>& lock, std::function<void()> job) {
  while (threads_.size() < static_cast<size_t>(workers_))  // the first time (or after a failed start)
    threads_.emplace_back([this] { Work(); });
  jobs_.push_back(std::move(job));
  lock.unlock();
  ready_.notify_one();
}

void LowPriorityLane::Uncount(int64_t key) {
  --in_lane_;
  if (key == kNoKey) return;
  auto it = per_key_.find(key);
  if (it != per_key_.end() && --it->second <= 0) per_key_.erase(it);
}

void LowPriorityLane::Release(int64_t key, bool here) {
  {
    std::lock_guard lock(mutex_);
    Uncount(key);
    if (here) --here_running_;
  }
  if (here) here_free_.notify_one();
}

LaneCounts LowPriorityLane::Counts() {
  std::lock_guard lock(mutex_);
  return counts_;
}

int LowPriorityLane::WorkerNice() {
  std::promise<void> ran;
  {
    std::unique_lock lock(mutex_);
    Post(lock, [&ran] { ran.set_value(); });
  }
  ran.get_future().wait();  // a worker has started and set its nice (every worker sets the same)
  std::lock_guard lock(mutex_);
  return worker_nice_;
}

size_t LowPriorityLane::Waiting() {
  std::lock_guard lock(mutex_);
  return jobs_.size() + here_waiting_;
}

void LowPriorityLane::Work() {
  // Linux: PRIO_PROCESS with a thread id sets that thread's nice only (setpriority(2), "BUGS").
  // The value is relative to the process's own nice (a service started with Nice=5 runs these at 15).
  const auto tid = static_cast<id_t>(gettid());
  errno = 0;
  const int base = getpriority(PRIO_PROCESS, tid);
  const int target = std::min(19, (errno == 0 ? base : 0) + nice_);
  const bool lowered = errno == 0 && setpriority(PRIO_PROCESS, tid, target) == 0;
  {
    std::lock_guard lock(mutex_);
    if (lowered) worker_nice_ = target;
  }
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();  // a packaged_task: its exception goes to the waiting caller
  }
}

}  // namespace mizu::backend
