// LowPriorityLane: long reads (a year or two of daily usage) run on a few worker threads whose CPU priority
// is lowered (nice, setpriority(2) on the thread), while the request's own thread sleeps until they are done.
// Short requests (a session check, the bills) then take the CPU first when both are ready to run, so that a
// few residents scrolling years of history do not slow everyone else (docs/performance.md, the bystander).
// Linux-specific: nice applies per thread there. A nice that cannot be set (a sandbox refusing it) leaves
// the workers at normal priority: still correct, only not preferred.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <vector>

namespace mizu::backend {

// Thrown by Run when `max_waiting` jobs already wait: the caller answers 503 busy with Retry-After, so that
// long reads never hold more than workers + max_waiting request threads (the rest stay for short requests).
class LaneFull : public std::runtime_error {
 public:
  LaneFull() : std::runtime_error("low-priority lane full") {}
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
    std::packaged_task<std::invoke_result_t<F&>()> task(std::forward<F>(fn));
    auto result = task.get_future();
    Post([&task] { task(); });
    return result.get();
  }

  // The nice value the workers run at (0 when setpriority refused); for the tests.
  int WorkerNice();
  // Jobs posted and not yet taken by a worker.
  size_t Waiting();

 private:
  void Post(std::function<void()> job);
  void Work();
  const int workers_;
  const int nice_;
  const size_t max_waiting_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  int worker_nice_ = 0;
  int idle_ = 0;  // workers waiting for a job (a job posted now starts at once)
  bool stopping_ = false;
};

}  // namespace mizu::backend
