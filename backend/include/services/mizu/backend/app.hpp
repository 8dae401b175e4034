#pragma once
// Everything a request handler or a command needs, built once from the Config: the clock, the database, the
// utility's tariff. Handlers receive it by reference (no globals).
#include <memory>
#include <mutex>
#include <string>

#include "mizu/backend/auth.hpp"
#include "mizu/backend/clock.hpp"
#include "mizu/backend/config.hpp"
#include "mizu/backend/db.hpp"
#include "mizu/billing.hpp"

namespace mizu::backend {

// Held while using App::db: `Lock lock(app.db_mutex);`.
using Lock = std::lock_guard<std::mutex>;

class MailRelay;
class WatchScheduler;

struct App {
  App();
  ~App();
  Config config;
  Clock clock;
  std::mutex db_mutex;  // guards db
  std::unique_ptr<Database> db;
  std::string db_path;
  Tariff tariff;
  // Auth state: the HMAC key for codes (from <data>/secret.key, never in the database), password hash cost,
  // and the in-memory limiters.
  std::string code_key;
  PasswordHashParams password_hash = kDefaultPasswordHashParams;
  RateLimiter signup_per_client{20, 3600};
  RateLimiter reset_per_client{20, 3600};
  RateLimiter codes_per_address{5, 3600};
  RateLimiter watch_added_per_account{20, 86400};  // "added" mails to new watch recipients (no spam relay)
  LoginThrottle login_throttle;
  IdentityProofLimiter identity_proofs;  // every customer number + bureau phone / kana check (accounts)
  std::unique_ptr<MailRelay> relay;      // set by StartBackground
  std::unique_ptr<WatchScheduler> watch_scheduler;  // set by StartBackground (watch.hpp)
};

// Starts the mail relay and the watch scheduler. Stopped when the App is destroyed.
void StartBackground(App& app);
// Wakes the relay after a transaction that enqueued mail committed.
void NotifyMail(App& app);

// Where the shipped assets (default tariff) are: $MIZU_ASSETS_DIR, else the source tree's assets/.
std::string AssetsDir();
// Reads and validates the tariff file; throws std::runtime_error naming the file on failure.
Tariff LoadTariffFile(const std::string& path);
// Creates the data folder (and mail/, sms/), opens and migrates the database, loads the tariff.
std::unique_ptr<App> OpenApp(const Config& config);

}  // namespace mizu::backend
