// The outbox relay: N workers, each with its own SQLite connection and transport, claim due rows, send them
// and record the outcome. Implements: Notify() wake-ups, polling for rows enqueued by other processes or
// becoming due, clean Stop() (claims in hand go back to the outbox), RunOnce() for tests and the CLI.
// Not implemented: rate limits per destination domain.
#include <exception>
#include <iostream>
#include <thread>

#include "mizu/backend/mail.hpp"
#include "mizu/backend/push.hpp"
#include "mizu/backend/sms.hpp"

namespace mizu::backend {

struct MailRelay::Worker {
  std::unique_ptr<Database> db;
  std::unique_ptr<MailTransport> transport;
  std::unique_ptr<SmsTransport> sms;
  std::unique_ptr<PushTransport> push;  // set by EnablePush
  std::thread thread;
};

MailRelay::MailRelay(const std::string& db_path, const MailConfig& mail, const std::string& data_dir,
                     Clock& clock, int workers, RelayOptions options)
    : MailRelay(db_path, mail, SmsConfig{}, data_dir, clock, workers, options) {}

MailRelay::MailRelay(const std::string& db_path, const MailConfig& mail, const SmsConfig& sms,
                     const std::string& data_dir, Clock& clock, int workers, RelayOptions options)
    : from_(ParseMailAddress(mail.from)), clock_(clock), options_(options) {
  if (workers < 1) throw std::invalid_argument("mail relay needs at least one worker");
  if (options_.claim_batch < 1) options_.claim_batch = 1;
  for (int i = 0; i < workers; ++i) {
    auto w = std::make_unique<Worker>();
    w->db = std::make_unique<Database>(db_path);
    w->transport = MakeTransport(mail, data_dir);
    w->sms = MakeSmsTransport(sms, data_dir);
    workers_.push_back(std::move(w));
  }
}

MailRelay::~MailRelay() {
  Stop();
}

void MailRelay::EnablePush(PushSender sender,
                           std::function<std::unique_ptr<PushTransport>()> make_transport) {
  std::lock_guard lock(mutex_);
  if (running_) throw std::logic_error("MailRelay::EnablePush after Start");
  if (!make_transport) make_transport = MakeCurlPushTransport;
  for (auto& w : workers_) w->push = make_transport();
  push_ = std::make_shared<PushSender>(std::move(sender));
}

void MailRelay::Start() {
  std::lock_guard lock(mutex_);
  if (running_) return;
  if (busy_) throw std::logic_error("MailRelay::Start during RunOnce");
  stop_ = false;
  running_ = true;
  for (auto& w : workers_) w->thread = std::thread([this, worker = w.get()] { Loop(*worker); });
}

void MailRelay::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (!running_) return;
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& w : workers_) w->thread.join();
  std::lock_guard lock(mutex_);
  running_ = false;
}

void MailRelay::Notify() {
  {
    std::lock_guard lock(mutex_);
    ++generation_;
  }
  wake_.notify_all();
}

int MailRelay::RunOnce() {
  {
    std::lock_guard lock(mutex_);
    if (running_) throw std::logic_error("MailRelay::RunOnce while started");
    if (busy_.exchange(true)) throw std::logic_error("MailRelay::RunOnce already running");
  }
  const int64_t due_at = clock_.Now();  // failures reschedule past this instant, so the loops end
  std::atomic<int> sent{0};
  std::mutex error_mutex;
  std::exception_ptr error;
  std::vector<std::thread> threads;
  for (auto& w : workers_) {
    threads.emplace_back([&, worker = w.get()] {
      try {
        int n;
        while ((n = DeliverBatch(*worker, due_at, false)) != 0)
          if (n > 0) sent += n;
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
      }
    });
  }
  for (auto& t : threads) t.join();
  busy_ = false;
  if (error) std::rethrow_exception(error);
  return sent;
}

void MailRelay::Loop(Worker& worker) {
  for (;;) {
    uint64_t seen;
    {
      std::lock_guard lock(mutex_);
      if (stop_) return;
      seen = generation_;
    }
    bool found = false;
    try {
      found = DeliverBatch(worker, clock_.Now(), true) != 0;
    } catch (const std::exception& e) {  // e.g. the database busy past its timeout: wait and try again
      std::cerr << "mail relay: " << e.what() << "\n";
    }
    if (found) continue;
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, options_.poll_interval, [&] { return stop_ || generation_ != seen; });
  }
}

// Claims up to claim_batch rows due at `due_at` and delivers them. Returns 0 when nothing was due, else the
// number sent, or -1 when rows were claimed but none was sent.
int MailRelay::DeliverBatch(Worker& worker, int64_t due_at, bool honour_stop) {
  std::vector<ClaimedMail> claimed;
  {
    std::lock_guard lock(claim_mutex_);
    claimed =
        ClaimDueMails(*worker.db, due_at, options_.claim_batch, options_.retry.lease_seconds, in_flight_);
    for (const auto& c : claimed) in_flight_.insert(c.id);
  }
  auto done = [this](const ClaimedMail& c) {
    std::lock_guard lock(claim_mutex_);
    in_flight_.erase(c.id);
  };
  int sent = 0;
  for (size_t i = 0; i < claimed.size(); ++i) {
    bool stopping = false;
    if (honour_stop) {
      std::lock_guard lock(mutex_);
      stopping = stop_;
    }
    if (stopping) {
      for (size_t j = i; j < claimed.size(); ++j) {
        ReleaseMail(*worker.db, claimed[j], clock_.Now());
        done(claimed[j]);
      }
      break;
    }
    try {
      if (DeliverOne(worker, claimed[i])) ++sent;
    } catch (...) {
      for (size_t j = i; j < claimed.size(); ++j) done(claimed[j]);  // the lease brings them back
      throw;
    }
    done(claimed[i]);
  }
  if (claimed.empty()) return 0;
  return sent > 0 ? sent : -1;
}

// Sends one claimed row and records the outcome; true when sent.
bool MailRelay::DeliverOne(Worker& worker, const ClaimedMail& claimed) {
  if (claimed.expires_at > 0 &&
      clock_.Now() >= claimed.expires_at) {  // e.g. a code whose 10 minutes are over
    MarkMailFailed(*worker.db, claimed, clock_.Now(), "expired before delivery", true, options_.retry);
    return false;
  }
  if (claimed.channel == "push") {
    if (!push_ || !worker.push) {
      MarkMailFailed(*worker.db, claimed, clock_.Now(), "push is not enabled on this relay", false,
                     options_.retry);
      return false;
    }
    try {
      return DeliverPush(*worker.db, *worker.push, *push_, claimed, clock_.Now(), options_.retry);
    } catch (const DbError&) {
      throw;                             // the lease brings the row back
    } catch (const std::exception& e) {  // a row that cannot be encrypted or read will not improve
      PushFailed(*worker.db, claimed, e.what(), clock_.Now(), options_.retry);
      return false;
    }
  }
  try {
    if (claimed.channel == "sms") {
      worker.sms->Send({claimed.id, claimed.message_key, claimed.mail.to, claimed.mail.body_text});
    } else {
      RenderedMail rendered = RenderMail(claimed.mail, from_, claimed.message_key, claimed.created_at);
      rendered.outbox_id = claimed.id;
      worker.transport->Send(rendered);
    }
  } catch (const MailSendError& e) {
    MarkMailFailed(*worker.db, claimed, clock_.Now(), e.what(), e.Permanent(), options_.retry);
    return false;
  } catch (const std::exception& e) {  // a row that cannot be rendered will not improve: permanent
    MarkMailFailed(*worker.db, claimed, clock_.Now(), e.what(), true, options_.retry);
    return false;
  }
  // Sent: record it. If the database refuses for a while, the lease expires and the message goes again
  // (at-least-once), so try hard before giving up.
  for (int attempt = 0;; ++attempt) {
    try {
      MarkMailSent(*worker.db, claimed, clock_.Now());
      return true;
    } catch (const DbError& e) {
      if (attempt >= 4) throw;
      std::cerr << "mail relay: marking message " << claimed.id << " sent: " << e.what() << "; retrying\n";
      std::this_thread::sleep_for(std::chrono::milliseconds(200 << attempt));
    }
  }
}

}  // namespace mizu::backend
