// ReadScope (app.hpp): one pooled read connection and one read transaction for all the ReadDb of a request on
// this thread.
#include "mizu/backend/app.hpp"

namespace mizu::backend {

struct ReadScope::State {
  App* app;
  ReaderPool::Lease lease;
  bool open = false;  // BEGIN run, COMMIT not yet
  State* outer;       // the thread's scope of another App (tests run several), restored at the end
};

namespace {

thread_local ReadScope::State* current = nullptr;

ReadScope::State* Find(App& app) {
  return current && current->app == &app ? current : nullptr;
}

void End(ReadScope::State& s) {
  if (!s.open) return;
  s.open = false;
  // A read transaction commits nothing; COMMIT only releases the snapshot. If it fails (the connection
  // broken), ROLLBACK releases it too.
  try {
    s.lease.db().Commit();
  } catch (const DbError&) {
    s.lease.db().Rollback();
  }
}

}  // namespace

ReadScope::ReadScope(App& app) {
  if (!app.readers || Find(app)) return;
  const auto asked = std::chrono::steady_clock::now();
  ReaderPool::Lease lease = app.readers->Acquire();
  app.metrics.ObserveDbWait(false, detail::SecondsSince(asked));
  state_.reset(new State{&app, std::move(lease), false, current});
  current = state_.get();
}

ReadScope::~ReadScope() {
  if (!state_) return;
  End(*state_);
  current = state_->outer;
}

namespace detail {

Database* ScopedReader(App& app) {
  ReadScope::State* s = Find(app);
  if (!s) return nullptr;
  if (!s->open) {
    s->lease.db().BeginRead();
    s->open = true;
  }
  return &s->lease.db();
}

void EndScopedRead(App& app) {
  if (ReadScope::State* s = Find(app)) End(*s);
}

}  // namespace detail
}  // namespace mizu::backend
