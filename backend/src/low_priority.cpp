// LowPriorityLane (low_priority.hpp): worker threads at a raised nice value.
#include "mizu/backend/low_priority.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace mizu::backend {

LowPriorityLane::LowPriorityLane(int workers, int nice, int max_waiting)
    : workers_(workers < 1 ? 1 : workers), nice_(nice), max_waiting_(max_waiting < 0 ? 0 : max_waiting) {}

LowPriorityLane::~LowPriorityLane() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& t : threads_) t.join();
}

void LowPriorityLane::SetLimits(int max_waiting, int max_per_key) {
  std::lock_guard lock(mutex_);
  max_waiting_ = max_waiting < 0 ? 0 : static_cast<size_t>(max_waiting);
  max_per_key_ = max_per_key < 1 ? 1 : max_per_key;
}

void LowPriorityLane::Post(int64_t key, std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    if (threads_.empty())
      for (int i = 0; i < workers_; ++i) threads_.emplace_back([this] { Work(); });
    if (key != kNoKey) {
      auto it = per_key_.find(key);
      if (it != per_key_.end() && it->second >= max_per_key_) throw LaneFull(true);
    }
    if (in_lane_ >= max_waiting_ + static_cast<size_t>(workers_)) throw LaneFull(false);
    jobs_.push_back(std::move(job));
    ++in_lane_;
    if (key != kNoKey) ++per_key_[key];
  }
  ready_.notify_one();
}

void LowPriorityLane::Release(int64_t key) {
  std::lock_guard lock(mutex_);
  --in_lane_;
  if (key == kNoKey) return;
  auto it = per_key_.find(key);
  if (it != per_key_.end() && --it->second <= 0) per_key_.erase(it);
}

int LowPriorityLane::WorkerNice() {
  Run([] {});  // the workers have started and set their nice
  std::lock_guard lock(mutex_);
  return worker_nice_;
}

size_t LowPriorityLane::Waiting() {
  std::lock_guard lock(mutex_);
  return jobs_.size();
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
