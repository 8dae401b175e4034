// The watch scheduler thread: polls the App's clock (real or test) and runs EvaluateDue up to now on its own
// database connection. A report that fell due while the server was down is found at the first poll.
#include <cstdio>

#include "mizu/backend/alerts.hpp"
#include "mizu/backend/watch.hpp"

namespace mizu::backend {

WatchScheduler::WatchScheduler(App& app, std::chrono::milliseconds poll_interval)
    : app_(app), poll_(poll_interval), db_(std::make_unique<Database>(app.db_path)) {}

WatchScheduler::~WatchScheduler() {
  Stop();
}

void WatchScheduler::Start() {
  std::optional<std::string> shared_clock;
  if (app_.config.test_mode) {
    std::lock_guard clock_lock(app_.test_clock_mutex);
    try {
      shared_clock = ReadSharedClock();
    } catch (const DbError& e) {  // then the first poll's value counts as the past, as before
      std::fprintf(stderr, "watch scheduler: test clock not read at start: %s\n", e.what());
    }
  }
  std::lock_guard lock(mutex_);
  if (running_) return;
  if (shared_clock) shared_clock_seen_ = shared_clock;
  stop_ = false;
  cancel_ = false;
  running_ = true;
  thread_ = std::thread([this] { Loop(); });
}

void WatchScheduler::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (!running_) return;
    stop_ = true;
    cancel_ = true;
  }
  wake_.notify_all();
  thread_.join();
  std::lock_guard lock(mutex_);
  running_ = false;
}

void WatchScheduler::Notify() {
  {
    std::lock_guard lock(mutex_);
    notified_ = true;
  }
  wake_.notify_all();
}

uint64_t WatchScheduler::Polls() const {
  std::lock_guard lock(mutex_);
  return polls_;
}

std::string WatchScheduler::ReadSharedClock() {
  auto q = db_->Prepare("SELECT value FROM server_state WHERE key = 'test.clock'");
  return q.Step() ? q.Text(0) : std::string();
}

void WatchScheduler::FollowSharedClock() {
  // One step with the route's store and Set (App::test_clock_mutex): a value read before another store of
  // this server is never applied after it.
  std::lock_guard clock_lock(app_.test_clock_mutex);
  const std::string value = ReadSharedClock();
  {  // the value at start is the past (this server's own clock was set when it started): only a change counts
    std::lock_guard lock(mutex_);
    const bool changed = shared_clock_seen_ && *shared_clock_seen_ != value;
    shared_clock_seen_ = value;
    if (!changed) return;
  }
  if (value.empty())
    app_.clock.Set(std::nullopt);
  else
    app_.clock.Set(std::stoll(value));
}

void WatchScheduler::Loop() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    notified_ = false;
    lock.unlock();
    try {
      if (app_.config.test_mode) FollowSharedClock();
      const int64_t now = app_.clock.Now();
      const auto began = std::chrono::steady_clock::now();
      EvaluateResult r = EvaluateDue(*db_, app_, now, now, &cancel_);
      if (r.windows > 0)  // a pass that reported something: a slot (idle polls are not slots)
        app_.metrics.ObserveWatchSlot(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count(),
            static_cast<uint64_t>(r.windows), static_cast<uint64_t>(r.late));
      const AlertPassResult alerts = EvaluateAlerts(*db_, app_, now);
      if (r.mails + r.farewells + alerts.mails > 0) NotifyMail(app_);
    } catch (const std::exception& e) {  // e.g. the database busy for longer than its timeout: next poll
      std::fprintf(stderr, "watch scheduler: %s\n", e.what());
    }
    lock.lock();
    ++polls_;
    wake_.wait_for(lock, poll_, [this] { return stop_ || notified_; });
  }
}

}  // namespace mizu::backend
