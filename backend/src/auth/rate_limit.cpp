// Sliding-window rate limiter and login throttle over a bounded, least-recently-used key store.
#include <algorithm>
#include <list>
#include <mutex>
#include <sstream>
#include <unordered_map>

#include "mizu/backend/auth.hpp"

namespace mizu::backend {
namespace {

// String-keyed map with a size cap: inserting beyond max_keys evicts the least recently used key.
// Not thread-safe (the owners lock).
template <typename Value>
class LruStore {
 public:
  explicit LruStore(std::size_t max_keys) : max_keys_(std::max<std::size_t>(max_keys, 1)) {}

  // The value for key (marked most recent), or nullptr.
  Value* Find(std::string_view key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->value;
  }

  // The value for key, created with Value{} if absent; marked most recent.
  Value& Touch(std::string_view key) {
    if (Value* found = Find(key)) return *found;
    while (index_.size() >= max_keys_) Erase(order_.back().key);
    order_.push_front(Node{std::string(key), Value{}});
    index_.emplace(order_.front().key, order_.begin());
    return order_.front().value;
  }

  void Erase(std::string_view key) {
    auto it = index_.find(key);
    if (it == index_.end()) return;
    auto node = it->second;
    index_.erase(it);
    order_.erase(node);
  }

  // Drops least recently used entries for as long as expired(value) holds (amortised O(1) per call).
  template <typename Pred>
  void DropExpiredTail(Pred expired) {
    while (!order_.empty() && expired(order_.back().value)) Erase(order_.back().key);
  }

  std::size_t Size() const { return index_.size(); }

 private:
  struct Node {
    std::string key;
    Value value;
  };
  std::size_t max_keys_;
  std::list<Node> order_;  // front: most recently used
  // Keys view the strings held by the list nodes, which never move.
  std::unordered_map<std::string_view, typename std::list<Node>::iterator> index_;
};

}  // namespace

// ---------------------------------------------------------------------------------------------------------
// RateLimiter

namespace {

// A shared row's text ↔ the values kept in memory: "t1 t2 …" for a window's events, "failures last" for a
// throttle's record.
std::vector<int64_t> ParseInts(const std::string& text) {
  std::vector<int64_t> out;
  std::istringstream in(text);
  for (int64_t v = 0; in >> v;) out.push_back(v);
  return out;
}
std::string FormatInts(const std::vector<int64_t>& values) {
  std::string out;
  for (int64_t v : values) out += (out.empty() ? "" : " ") + std::to_string(v);
  return out;
}

// The window's rule on one key's events (ascending instants of allowed events).
RateDecision AllowOn(std::vector<int64_t>& events, int limit, int64_t window, int64_t now) {
  const int64_t horizon = now - window;  // events at or before this no longer count
  events.erase(events.begin(), std::upper_bound(events.begin(), events.end(), horizon));
  if (static_cast<int>(events.size()) < limit) {
    // Keep the list ascending even if the caller's clock stepped back.
    events.insert(std::upper_bound(events.begin(), events.end(), now), now);
    return {true, 0};
  }
  // At most the window: an event stamped later than now (the clock stepped back: NTP, a test clock) does not
  // make anyone wait longer than the rule itself says.
  return {false, std::clamp<int64_t>(events.front() + window - now, 1, window)};
}

void RefundOn(std::vector<int64_t>& events, int64_t at) {
  auto it = std::lower_bound(events.begin(), events.end(), at);
  if (it != events.end() && *it == at) events.erase(it);
}

}  // namespace

struct RateLimiter::Impl {
  int limit;
  int64_t window;
  std::mutex mutex;
  LruStore<std::vector<int64_t>> store;  // per key: instants of allowed events, ascending
  SharedLimitStore* shared = nullptr;
  std::string bucket;

  Impl(int l, int64_t w, std::size_t max_keys) : limit(l), window(w), store(max_keys) {}

  // fn over the key's events, in the shared store when there is one.
  template <typename F>
  void With(std::string_view key, int64_t now, F fn) {
    if (!shared) {
      std::lock_guard lock(mutex);
      fn(store.Touch(key));
      return;
    }
    shared->Update(bucket, {std::string(key)}, now + window, [&](std::vector<std::string>& values) {
      std::vector<int64_t> events = ParseInts(values[0]);
      fn(events);
      values[0] = FormatInts(events);
    });
  }
};

RateLimiter::RateLimiter(int limit, int64_t window_seconds, std::size_t max_keys) {
  if (limit < 1 || window_seconds < 1)
    throw std::invalid_argument("RateLimiter: limit and window must be >= 1");
  impl_ = std::make_unique<Impl>(limit, window_seconds, max_keys);
}

RateLimiter::~RateLimiter() = default;

RateDecision RateLimiter::Allow(std::string_view key, int64_t now) {
  if (!impl_->shared) {
    std::lock_guard lock(impl_->mutex);
    const int64_t horizon = now - impl_->window;
    impl_->store.DropExpiredTail(
        [&](const std::vector<int64_t>& events) { return events.empty() || events.back() <= horizon; });
  }
  RateDecision decision;
  impl_->With(key, now, [&](std::vector<int64_t>& events) {
    decision = AllowOn(events, impl_->limit, impl_->window, now);
  });
  return decision;
}

void RateLimiter::Reset(std::string_view key) {
  if (!impl_->shared) {
    std::lock_guard lock(impl_->mutex);
    impl_->store.Erase(key);
    return;
  }
  impl_->With(key, 0, [](std::vector<int64_t>& events) { events.clear(); });
}

void RateLimiter::Refund(std::string_view key, int64_t at) {
  if (!impl_->shared) {
    std::lock_guard lock(impl_->mutex);
    if (std::vector<int64_t>* events = impl_->store.Find(key)) RefundOn(*events, at);
    return;
  }
  impl_->With(key, at, [&](std::vector<int64_t>& events) { RefundOn(events, at); });
}

void RateLimiter::Share(SharedLimitStore* store, std::string bucket) {
  impl_->shared = store;
  impl_->bucket = std::move(bucket);
}

std::size_t RateLimiter::KeyCount() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->store.Size();
}

// ---------------------------------------------------------------------------------------------------------
// IdentityProofLimiter

IdentityProofLimiter::IdentityProofLimiter(IdentityProofPolicy policy)
    : policy_(policy),
      customer_(policy.per_customer, policy.customer_window_seconds, policy.max_keys),
      account_(policy.per_account, policy.account_window_seconds, policy.max_keys),
      client_(policy.per_client, policy.client_window_seconds, policy.max_keys) {}

RateDecision IdentityProofLimiter::Reserve(const Keys& keys, int64_t now) {
  // Each Allow is atomic, so no key ever counts more than its limit; a refusal by a later key takes back
  // what the earlier ones counted.
  struct Step {
    RateLimiter& limiter;
    const std::string& key;
  };
  const Step steps[] = {{customer_, keys.customer}, {account_, keys.account}, {client_, keys.client}};
  for (std::size_t i = 0; i < std::size(steps); ++i) {
    if (steps[i].key.empty()) continue;
    RateDecision d = steps[i].limiter.Allow(steps[i].key, now);
    if (d.allowed) continue;
    for (std::size_t j = 0; j < i; ++j)
      if (!steps[j].key.empty()) steps[j].limiter.Refund(steps[j].key, now);
    return d;
  }
  return {true, 0};
}

void IdentityProofLimiter::Share(SharedLimitStore* store) {
  customer_.Share(store, "identity_customer");
  account_.Share(store, "identity_account");
  client_.Share(store, "identity_client");
}

void IdentityProofLimiter::Refund(const Keys& keys, int64_t reserved_at) {
  if (!keys.customer.empty()) customer_.Refund(keys.customer, reserved_at);
  if (!keys.account.empty()) account_.Refund(keys.account, reserved_at);
  if (!keys.client.empty()) client_.Refund(keys.client, reserved_at);
}

// ---------------------------------------------------------------------------------------------------------
// LoginThrottle

namespace {

struct FailureRecord {
  int failures = 0;
  int64_t last_failure = 0;
};

// Accounts and clients share one store; prefixes keep their keys apart.
std::string AccountKey(std::string_view key) {
  return "a:" + std::string(key);
}
std::string ClientKey(std::string_view key) {
  return "c:" + std::string(key);
}

}  // namespace

struct LoginThrottle::Impl {
  LoginThrottlePolicy policy;
  std::mutex mutex;
  LruStore<FailureRecord> store;
  SharedLimitStore* shared = nullptr;
  std::string bucket;

  // The shared path: fn over the records of the account and the client (a record with no failures for a
  // key that is skipped or has none), stored back; the same rules as in memory.
  void WithShared(std::string_view account_key, std::string_view client_key, int64_t now,
                  const std::function<void(FailureRecord*, FailureRecord*)>& fn) {
    const std::vector<std::string> keys = {account_key.empty() ? "" : AccountKey(account_key),
                                           client_key.empty() ? "" : ClientKey(client_key)};
    shared->Update(bucket, keys, now + policy.forget_after_seconds, [&](std::vector<std::string>& values) {
      FailureRecord records[2];
      for (int i = 0; i < 2; ++i) {
        const auto v = ParseInts(values[static_cast<size_t>(i)]);
        if (v.size() == 2) records[i] = {static_cast<int>(v[0]), v[1]};
        if (records[i].failures > 0 && Stale(records[i], now)) records[i] = FailureRecord{};
      }
      fn(keys[0].empty() ? nullptr : &records[0], keys[1].empty() ? nullptr : &records[1]);
      for (int i = 0; i < 2; ++i)
        values[static_cast<size_t>(i)] =
            records[i].failures > 0 ? FormatInts({records[i].failures, records[i].last_failure}) : "";
    });
  }
  int64_t WaitOn(const FailureRecord* r, int free_failures, int64_t now) const {
    if (!r || r->failures == 0) return 0;
    return Remaining(*r, free_failures, now);
  }
  // Seconds still to wait after r's last failure: none within the free failures, and never more than the
  // delay itself — a record stamped later than now (the clock stepped back: NTP, a test clock) does not lock
  // anyone out for the difference.
  int64_t Remaining(const FailureRecord& r, int free_failures, int64_t now) const {
    const int64_t delay = Delay(r.failures, free_failures);
    return std::clamp<int64_t>(r.last_failure + delay - now, 0, delay);
  }
  static void FailOn(FailureRecord* r, int64_t now) {
    if (!r) return;
    r->failures = std::min(r->failures + 1, 1000);
    r->last_failure = now;
  }
  RateDecision DecideOn(const FailureRecord* account, const FailureRecord* client, int64_t now) const {
    const int64_t wait = std::max(WaitOn(account, policy.free_failures_per_account, now),
                                  WaitOn(client, policy.free_failures_per_client, now));
    return {wait == 0, wait};
  }

  explicit Impl(const LoginThrottlePolicy& p) : policy(p), store(p.max_keys) {
    // A record must outlive its longest delay, or forgetting it would cut the delay short.
    policy.forget_after_seconds = std::max(policy.forget_after_seconds, policy.max_delay_seconds);
  }

  bool Stale(const FailureRecord& record, int64_t now) const {
    return now - record.last_failure >= policy.forget_after_seconds;
  }

  // Seconds the holder of key must still wait (0: may try now). Drops a stale record.
  int64_t Delay(int failures, int free_failures) const {
    if (failures < free_failures) return 0;
    const int doublings = failures - free_failures;
    if (doublings >= 40) return policy.max_delay_seconds;
    return std::min(policy.max_delay_seconds, policy.base_delay_seconds * (int64_t{1} << doublings));
  }

  int64_t Wait(const std::string& key, int free_failures, int64_t now) {
    FailureRecord* record = store.Find(key);
    if (record == nullptr) return 0;
    if (Stale(*record, now)) {
      store.Erase(key);
      return 0;
    }
    return Remaining(*record, free_failures, now);
  }

  // Check's decision; the caller holds the mutex.
  RateDecision Decide(std::string_view account_key, std::string_view client_key, int64_t now);

  void Fail(const std::string& key, int64_t now) {
    store.DropExpiredTail([&](const FailureRecord& r) { return Stale(r, now); });
    FailureRecord& record = store.Touch(key);
    if (Stale(record, now)) record = FailureRecord{};
    record.failures = std::min(record.failures + 1, 1000);
    record.last_failure = now;
  }
};

LoginThrottle::LoginThrottle(LoginThrottlePolicy policy) : impl_(std::make_unique<Impl>(policy)) {}

LoginThrottle::~LoginThrottle() = default;

int64_t LoginThrottle::DelayFor(int failures, int free_failures) const {
  return impl_->Delay(failures, free_failures);
}

void LoginThrottle::Share(SharedLimitStore* store, std::string bucket) {
  impl_->shared = store;
  impl_->bucket = std::move(bucket);
}

RateDecision LoginThrottle::Reserve(std::string_view account_key, std::string_view client_key, int64_t now) {
  if (impl_->shared) {
    RateDecision decision;
    impl_->WithShared(account_key, client_key, now, [&](FailureRecord* account, FailureRecord* client) {
      decision = impl_->DecideOn(account, client, now);
      if (!decision.allowed) return;
      Impl::FailOn(account, now);
      Impl::FailOn(client, now);
    });
    return decision;
  }
  std::lock_guard lock(impl_->mutex);
  RateDecision decision = impl_->Decide(account_key, client_key, now);
  if (!decision.allowed) return decision;
  if (!account_key.empty()) impl_->Fail(AccountKey(account_key), now);
  if (!client_key.empty()) impl_->Fail(ClientKey(client_key), now);
  return decision;
}

RateDecision LoginThrottle::Check(std::string_view account_key, std::string_view client_key, int64_t now) {
  if (impl_->shared) {
    RateDecision decision;
    impl_->WithShared(account_key, client_key, now, [&](FailureRecord* account, FailureRecord* client) {
      decision = impl_->DecideOn(account, client, now);
    });
    return decision;
  }
  std::lock_guard lock(impl_->mutex);
  return impl_->Decide(account_key, client_key, now);
}

RateDecision LoginThrottle::Impl::Decide(std::string_view account_key, std::string_view client_key,
                                         int64_t now) {
  int64_t wait = 0;
  if (!account_key.empty()) {
    wait = Wait(AccountKey(account_key), policy.free_failures_per_account, now);
  }
  if (!client_key.empty()) {
    wait = std::max(wait, Wait(ClientKey(client_key), policy.free_failures_per_client, now));
  }
  return {wait == 0, wait};
}

void LoginThrottle::RecordFailure(std::string_view account_key, std::string_view client_key, int64_t now) {
  if (impl_->shared) {
    impl_->WithShared(account_key, client_key, now, [&](FailureRecord* account, FailureRecord* client) {
      Impl::FailOn(account, now);
      Impl::FailOn(client, now);
    });
    return;
  }
  std::lock_guard lock(impl_->mutex);
  if (!account_key.empty()) impl_->Fail(AccountKey(account_key), now);
  if (!client_key.empty()) impl_->Fail(ClientKey(client_key), now);
}

void LoginThrottle::RecordSuccess(std::string_view account_key) {
  if (impl_->shared) return RecordSuccess(account_key, std::string_view());
  std::lock_guard lock(impl_->mutex);
  impl_->store.Erase(AccountKey(account_key));
}

void LoginThrottle::RecordSuccess(std::string_view account_key, std::string_view client_key) {
  if (impl_->shared) {
    // The records' age does not matter here: `now` only dates a record that is rewritten.
    impl_->WithShared(account_key, client_key, 0, [&](FailureRecord* account, FailureRecord* client) {
      if (account) *account = FailureRecord{};
      if (client && client->failures > 0) --client->failures;
    });
    return;
  }
  std::lock_guard lock(impl_->mutex);
  if (!account_key.empty()) impl_->store.Erase(AccountKey(account_key));
  if (client_key.empty()) return;
  if (FailureRecord* record = impl_->store.Find(ClientKey(client_key)); record && record->failures > 0)
    --record->failures;
}

std::size_t LoginThrottle::KeyCount() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->store.Size();
}

}  // namespace mizu::backend
