// LowPriorityLane: long reads (a year or two of daily usage) run on a few worker threads whose CPU priority
// is lowered (nice, setpriority(2) on the thread), while the request's own thread sleeps until they are done.
// Short requests (a session check, the bills) then take the CPU first when both are ready to run, so that a
// few residents scrolling years of history do not slow everyone else (docs/performance.md, the bystander).
// Linux-specific: nice applies per thread there. A nice that cannot be set (a sandbox refusing it) leaves
// the workers at normal priority: still correct, only not preferred.
//
// The hand-off costs two thread wake-ups a read, and a worker at nice +10 loses the CPU to anything at normal
// priority, whoever it is. So the lane yields only when there is someone to yield to: while no short request
// has finished within the quiet window (NoteShortWork, 200 ms by default), Run runs fn on the calling thread
// itself, at most `workers` such reads at once (the others wait for one of these slots, or, when a short
// request turns up meanwhile, go to the workers), under the same limits. A busy server's long reads go to the
// workers; a quiet one's are not slowed for nobody's sake (docs/performance.md).
#pragma once

#include <atomic>
#include <chrono>
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

// How many long reads each way went (GET /metrics).
struct LaneCounts {
  uint64_t on_request_thread = 0;  // run by the caller: nothing short finished within the quiet window
  uint64_t on_workers = 0;         // handed to the workers at the raised nice
};

class LowPriorityLane {
 public:
  // `workers` threads (started on the first Run), each `nice` steps (1–19: more is yielding more) above the
  // process's own nice value, at most 19; at most `max_waiting` jobs wait for a worker. `quiet`: how long
  // after the last short request reads run on their caller's thread again (see above);
  // std::chrono::nanoseconds::max() never does.
  LowPriorityLane(int workers, int nice, int max_waiting,
                  std::chrono::nanoseconds quiet = std::chrono::milliseconds(200));
  ~LowPriorityLane();  // finishes what was queued, then joins the workers
  LowPriorityLane(const LowPriorityLane&) = delete;
  LowPriorityLane& operator=(const LowPriorityLane&) = delete;

  // Runs fn() on a worker — or on the calling thread while the server is quiet — and returns its value, or
  // rethrows its exception, on the calling thread. Waits in line while every worker (or every caller slot) is
  // busy; throws LaneFull at once when max_waiting jobs already wait. fn must not use the caller's
  // thread-local state (a ReadScope).
  template <class F>
  std::invoke_result_t<F&> Run(F&& fn) {
    return Run(kNoKey, std::forward<F>(fn));
  }
  // The same, counted against `key` (an account id): at most max_per_key of a key's jobs in the lane at once.
  template <class F>
  std::invoke_result_t<F&> Run(int64_t key, F&& fn) {
    std::packaged_task<std::invoke_result_t<F&>()> task(std::forward<F>(fn));
    auto result = task.get_future();
    const bool here = Admit(key, [&task] { task(); });  // throws LaneFull before anything is counted
    struct Done {  // the key's share (and a caller slot) is given back however the job ends
      LowPriorityLane* lane;
      int64_t key;
      bool here;
      ~Done() { lane->Release(key, here); }
    } done{this, key, here};
    if (here) task();  // its exception, too, goes to the future
    return result.get();
  }

  // A request that did not go through the lane has finished (the HTTP layer's logger): for the quiet window
  // from now, long reads yield to the workers. Cheap enough for every request (one relaxed load, and a store
  // at most once a millisecond).
  void NoteShortWork();
  // Whether the calling thread has called Run since it last asked (so the logger tells a long read from a
  // short request); clears the mark.
  static bool TookLongRead();

  // Limits (OpenApp sets them from http.threads): jobs waiting for a worker, and one key's jobs in the lane;
  // and the quiet window.
  void SetLimits(int max_waiting, int max_per_key, std::chrono::nanoseconds quiet);

  // The nice value the workers run at (0 when setpriority refused); for the tests.
  int WorkerNice();
  // Jobs admitted and not yet running: waiting for a worker, or for a slot on their caller's thread.
  size_t Waiting();
  LaneCounts Counts();

 private:
  static constexpr int64_t kNoKey = INT64_MIN;
  bool Quiet() const;
  // Counts the job in (or throws LaneFull); true: the caller runs it (a caller slot taken), false: posted.
  bool Admit(int64_t key, std::function<void()> job);
  void CheckRoom(int64_t key);                                               // mutex_ held
  void Post(std::unique_lock<std::mutex>& lock, std::function<void()> job);  // unlocks
  void Uncount(int64_t key);  // mutex_ held: the job's share of in_lane_ and per_key_ given back
  void Release(int64_t key, bool here);
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
  // Jobs admitted and not yet given back by their caller (waiting, running, or done and not yet returned; on
  // a worker or on the caller's thread): at most workers_ + max_waiting_. Counted on the caller's side, so a
  // worker between two jobs never looks busy.
  size_t in_lane_ = 0;
  std::atomic<int64_t> quiet_ns_;       // the quiet window; INT64_MAX: never quiet
  std::atomic<int64_t> last_short_ns_;  // steady clock, when NoteShortWork last stored
  size_t here_running_ = 0;             // jobs run by their caller now: at most workers_
  size_t here_waiting_ = 0;             // callers waiting for one of those slots
  std::condition_variable here_free_;
  LaneCounts counts_;
  bool stopping_ = false;
};

}  // namespace mizu::backend
