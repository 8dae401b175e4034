// LowPriorityLane: long reads (a year or two of daily usage) run on a few worker threads whose CPU priority
// is lowered (nice, setpriority(2) on the thread), while the request's own thread sleeps until they are done.
// Short requests (a session check, the bills) then take the CPU first when both are ready to run, so that a
// few residents scrolling years of history do not slow everyone else (docs/performance.md, the bystander).
// Linux-specific: nice applies per thread there. A nice that cannot be set (a sandbox refusing it) leaves
// the workers at normal priority: still correct, only not preferred.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <vector>

namespace mizu::backend {

// Thrown by Run when `max_waiting` jobs already wait (per_key false: the caller answers 503 busy), or when
// the caller's key already has `max_per_key` jobs in the lane (per_key true: 429, one client flooding), so
// that long reads never hold more than workers + max_waiting request threads and no one client takes the
// lane.
class LaneFull : public std::runtime_error {
 public:
  explicit LaneFull(bool per_key)
      : std::runtime_error(per_key ? "low-priority lane: this client's share is taken"
                                   : "low-priority lane full"),
        per_key(per_key) {}
  bool per_key;
};

class LowPriorityLane {
 public:
  // `workers` threads (started on the first Run), each `nice` steps (1–19: more is yielding more) above the
  // process's own nice value, at most 19; at most `max_waiting` jobs wait for a worker.
  LowPriorityLane(int workers, int nice, int max_waiting);
  ~LowPriorityLane();  // finishes what was queued, then joins the workers
  LowPriorityLane(const LowPriorityLane&) = delete;
  LowPriorityLane& operator=(const LowPriorityLane&) = delete;

  // Runs fn() on a worker and returns its value, or rethrows its exception, on the calling thread. Waits in
  // line while every worker is busy; throws LaneFull at once when max_waiting jobs already wait. fn must not
  // use the caller's thread-local state (a ReadScope).
  template <class F>
  std::invoke_result_t<F&> Run(F&& fn) {
    return Run(kNoKey, std::forward<F>(fn));
  }
  // The same, counted against `key` (an account id): at most max_per_key of a key's jobs in the lane at once.
  template <class F>
  std::invoke_result_t<F&> Run(int64_t key, F&& fn) {
    std::packaged_task<std::invoke_result_t<F&>()> task(std::forward<F>(fn));
    auto result = task.get_future();
    Post(key, [&task] { task(); });
    struct Done {  // the key's share is given back however the job ends
      LowPriorityLane* lane;
      int64_t key;
      ~Done() { lane->Release(key); }
    } done{this, key};
    return result.get();
  }

  // Limits (OpenApp sets them from http.threads): jobs waiting for a worker, and one key's jobs in the lane.
  void SetLimits(int max_waiting, int max_per_key);

  // The nice value the workers run at (0 when setpriority refused); for the tests.
  int WorkerNice();
  // Jobs posted and not yet taken by a worker.
  size_t Waiting();

 private:
  static constexpr int64_t kNoKey = INT64_MIN;
  void Post(int64_t key, std::function<void()> job);
  void Release(int64_t key);
  void Work();
  const int workers_;
  const int nice_;
  size_t max_waiting_;
  int max_per_key_ = 2;
  std::map<int64_t, int> per_key_;  // jobs of each key in the lane (waiting or running)
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  int worker_nice_ = 0;
  // Jobs posted and not yet given back by their caller (waiting, running, or done and not yet returned): at
  // most workers_ + max_waiting_. Counted on the caller's side, so a worker between two jobs never looks
  // busy.
  size_t in_lane_ = 0;
  bool stopping_ = false;
};

}  // namespace mizu::backend
