// LowPriorityLane (low_priority.hpp): runs work on its own threads at a raised nice value and hands back the
// value or the exception, or, while nothing short has finished within its quiet window, on the caller's
// thread; the nice value read back from the kernel, not from the lane.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <latch>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "mizu/backend/low_priority.hpp"
#include "wait_until.hpp"

using mizu::backend::LowPriorityLane;

namespace {

int ThreadNice() {
  return getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
}

// A lane that always hands its jobs to the workers (never quiet), and one whose quiet window is an hour:
// quiet until NoteShortWork, then not for the length of any test.
constexpr auto kNever = std::chrono::nanoseconds::max();
constexpr auto kHour = std::chrono::hours(1);

// Six callers at once, each running a busy loop through the lane: how many finished, the most that ran at
// once, and how many ran on their caller's own thread.
struct Crowd {
  int done, most, on_caller;
};
Crowd SixCallers(LowPriorityLane& lane) {
  std::atomic<int> running{0}, most{0}, done{0}, on_caller{0};
  std::vector<std::future<void>> callers;
  for (int i = 0; i < 6; ++i)
    callers.push_back(std::async(std::launch::async, [&] {
      const auto me = std::this_thread::get_id();
      lane.Run([&] {
        if (std::this_thread::get_id() == me) ++on_caller;
        const int now = ++running;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        for (volatile int k = 0; k < 2000000; ++k) {
        }
        --running;
        ++done;
      });
    }));
  for (auto& c : callers) c.get();
  return {done.load(), most.load(), on_caller.load()};
}

}  // namespace

TEST_CASE("LowPriorityLane runs fn on a worker thread at the process's nice + n and returns its value",
          "[low_priority]") {
  LowPriorityLane lane(2, 10, 16, kNever);
  const int mine = ThreadNice();
  const auto caller = std::this_thread::get_id();
  auto [nice, other_thread] =
      lane.Run([&] { return std::make_pair(ThreadNice(), std::this_thread::get_id() != caller); });
  CHECK(other_thread);
  CHECK(nice == std::min(19, mine + 10));  // the kernel's answer for the worker thread
  CHECK(ThreadNice() == mine);             // the caller's thread is untouched
  CHECK(lane.WorkerNice() == nice);
}

TEST_CASE("LowPriorityLane rethrows fn's exception on the caller and keeps working", "[low_priority]") {
  LowPriorityLane lane(1, 5, 16, kNever);
  CHECK_THROWS_WITH(lane.Run([]() -> int { throw std::runtime_error("boom"); }), "boom");
  CHECK(lane.Run([] { return 41 + 1; }) == 42);
}

TEST_CASE("LowPriorityLane: more callers than workers wait in line, and every job runs once",
          "[low_priority]") {
  LowPriorityLane lane(2, 10, 16, kNever);
  const Crowd crowd = SixCallers(lane);
  CHECK(crowd.done == 6);
  CHECK(crowd.most <= 2);  // never more at once than the lane's workers
  CHECK(crowd.on_caller == 0);
}

TEST_CASE(
    "LowPriorityLane: past max_waiting waiting jobs, Run throws LaneFull at once, then it takes jobs again",
    "[low_priority]") {
  LowPriorityLane lane(1, 10, 1, kNever);
  std::promise<void> started, release;
  auto release_future = release.get_future().share();
  auto busy = std::async(std::launch::async, [&] {
    lane.Run([&] {
      started.set_value();
      release_future.wait();  // the one worker stays busy until the test lets it go
    });
  });
  started.get_future().wait();
  auto queued = std::async(std::launch::async, [&] { return lane.Run([] { return 7; }); });
  while (lane.Waiting() != 1) std::this_thread::yield();  // the second job is in line (an event, polled)
  try {
    lane.Run([] { return 0; });
    FAIL("a third job was accepted");
  } catch (const mizu::backend::LaneFull& e) {
    CHECK_FALSE(e.per_key);
  }
  release.set_value();
  busy.get();
  CHECK(queued.get() == 7);
  CHECK(lane.Run([] { return 8; }) == 8);  // room again
}

TEST_CASE(
    "LowPriorityLane: one key holds at most max_per_key jobs, other keys still get in, the share comes back",
    "[low_priority]") {
  LowPriorityLane lane(1, 10, 16, kNever);
  lane.SetLimits(16, 1, kNever);
  std::promise<void> started, release;
  auto release_future = release.get_future().share();
  auto busy = std::async(std::launch::async, [&] {
    lane.Run(int64_t{42}, [&] {
      started.set_value();
      release_future.wait();
    });
  });
  started.get_future().wait();
  try {
    lane.Run(int64_t{42}, [] { return 0; });
    FAIL("key 42 got a second job in");
  } catch (const mizu::backend::LaneFull& e) {
    CHECK(e.per_key);
  }
  auto other = std::async(std::launch::async, [&] { return lane.Run(int64_t{7}, [] { return 7; }); });
  while (lane.Waiting() != 1) std::this_thread::yield();  // key 7 waits behind key 42's job, not refused
  release.set_value();
  busy.get();
  CHECK(other.get() == 7);
  CHECK(lane.Run(int64_t{42}, [] { return 42; }) == 42);  // 42's share was given back
  CHECK_THROWS_AS(lane.Run(int64_t{42}, []() -> int { throw std::runtime_error("x"); }), std::runtime_error);
  CHECK(lane.Run(int64_t{42}, [] { return 43; }) == 43);  // and after an exception too
}

TEST_CASE("LowPriorityLane: with no waiting line each worker still takes a job, back to back from one caller",
          "[low_priority]") {
  LowPriorityLane lane(2, 10, 0, kNever);
  // The first job (before the workers reach their first wait) and each next one (while the worker that ran
  // the last is still on its way back) are taken: a worker is free once its caller has the result.
  for (int i = 0; i < 200; ++i) REQUIRE(lane.Run([i] { return i; }) == i);
  std::promise<void> release;
  auto release_future = release.get_future().share();
  std::latch started(2);
  std::vector<std::future<void>> busy;
  for (int i = 0; i < 2; ++i)
    busy.push_back(std::async(std::launch::async, [&] {
      lane.Run([&] {
        started.count_down();
        release_future.wait();
      });
    }));
  started.wait();
  CHECK_THROWS_AS(lane.Run([] { return 0; }), mizu::backend::LaneFull);  // both workers busy, no line
  release.set_value();
  for (auto& b : busy) b.get();
  CHECK(lane.Run([] { return 9; }) == 9);
}

TEST_CASE(
    "LowPriorityLane: while quiet, Run runs fn on the caller's thread, at most `workers` at once, and after "
    "a "
    "short request, on a worker at the raised nice",
    "[low_priority]") {
  LowPriorityLane lane(2, 10, 16, kHour);
  const int mine = ThreadNice();
  const auto caller = std::this_thread::get_id();
  SECTION("quiet: the caller's own thread, its nice untouched") {
    auto [nice, same_thread] =
        lane.Run([&] { return std::make_pair(ThreadNice(), std::this_thread::get_id() == caller); });
    CHECK(same_thread);
    CHECK(nice == mine);
    CHECK(lane.Counts().on_request_thread == 1);
    CHECK(lane.Counts().on_workers == 0);
    CHECK_THROWS_WITH(lane.Run([]() -> int { throw std::runtime_error("boom"); }), "boom");
    CHECK(lane.Run([] { return 5; }) == 5);  // the slot came back after the exception
  }
  SECTION("quiet, 6 callers at once: never more than 2 run, every one runs once on its own thread") {
    const Crowd crowd = SixCallers(lane);
    CHECK(crowd.done == 6);
    CHECK(crowd.most <= 2);
    CHECK(crowd.on_caller == 6);  // each on its own thread
    CHECK(lane.Counts().on_request_thread == 6);
  }
  SECTION("a short request just finished: a worker, at the process's nice + 10") {
    lane.NoteShortWork();
    auto [nice, other_thread] =
        lane.Run([&] { return std::make_pair(ThreadNice(), std::this_thread::get_id() != caller); });
    CHECK(other_thread);
    CHECK(nice == std::min(19, mine + 10));
    CHECK(lane.Counts().on_workers == 1);
    CHECK(lane.Counts().on_request_thread == 0);
  }
}

TEST_CASE(
    "LowPriorityLane: the limits hold on the caller's thread too, and a caller waiting for a slot goes to "
    "the workers once a short request has finished",
    "[low_priority]") {
  LowPriorityLane lane(1, 10, 1, kHour);
  lane.SetLimits(1, 1, kHour);
  std::promise<void> started, release;
  auto release_future = release.get_future().share();
  auto busy = std::async(std::launch::async, [&] {
    lane.Run(int64_t{42}, [&] {
      started.set_value();
      release_future.wait();  // holds the one slot (quiet: on its caller's thread)
    });
  });
  started.get_future().wait();
  try {
    lane.Run(int64_t{42}, [] { return 0; });
    FAIL("key 42 got a second job in");
  } catch (const mizu::backend::LaneFull& e) {
    CHECK(e.per_key);
  }
  const int mine = ThreadNice();
  auto queued = std::async(std::launch::async, [&] {
    const auto me = std::this_thread::get_id();
    return lane.Run(int64_t{7},
                    [&] { return std::make_pair(ThreadNice(), std::this_thread::get_id() != me); });
  });
  while (lane.Waiting() != 1) std::this_thread::yield();  // key 7 waits for the slot (an event, polled)
  try {
    lane.Run(int64_t{8}, [] { return 0; });
    FAIL("a third job was accepted");
  } catch (const mizu::backend::LaneFull& e) {
    CHECK_FALSE(e.per_key);
  }
  lane.NoteShortWork();  // no longer quiet: the waiting caller hands its read to a worker
  release.set_value();
  busy.get();
  auto [nice, other_thread] = queued.get();
  CHECK(other_thread);
  CHECK(nice == std::min(19, mine + 10));
  CHECK(lane.Counts().on_request_thread == 1);
  CHECK(lane.Counts().on_workers == 1);
}

TEST_CASE(
    "LowPriorityLane: callers waiting for a slot on their own thread go to the workers as soon as a short "
    "request finishes, while the slot is still taken",
    "[low_priority]") {
  LowPriorityLane lane(1, 10, 16, kHour);
  std::promise<void> started, release;
  auto release_future = release.get_future().share();
  auto holder = std::async(std::launch::async, [&] {
    lane.Run([&] {
      started.set_value();
      release_future.wait();  // the one caller slot stays taken for the whole test
    });
  });
  started.get_future().wait();
  const int mine = ThreadNice();
  std::vector<std::future<int>> waiting;
  for (int i = 0; i < 3; ++i)
    waiting.push_back(std::async(std::launch::async, [&] { return lane.Run([] { return ThreadNice(); }); }));
  struct Let {  // on the way out, a failure included: the slot is given back, so no thread is left waiting
    std::promise<void>& release;
    bool done = false;
    ~Let() {
      if (!done) release.set_value();
    }
  } let{release};
  while (lane.Waiting() != 3) std::this_thread::yield();  // all three wait for the slot (an event, polled)
  lane.NoteShortWork();
  for (auto& w : waiting) {
    REQUIRE(w.wait_for(mizu::testing::kWaitLimit) == std::future_status::ready);  // not stranded
    CHECK(w.get() == std::min(19, mine + 10));                                    // on the worker
  }
  CHECK(lane.Counts().on_workers == 3);
  release.set_value();
  let.done = true;
  holder.get();
}
