#include "mizu/backend/app.hpp"
#include <algorithm>
#include "mizu/backend/ingest.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mizu/backend/mail.hpp"
#include "mizu/backend/push.hpp"
#include "mizu/backend/shared_limits.hpp"
#include "mizu/backend/watch.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mizu::backend {

App::App() = default;
App::~App() {
  if (watch_scheduler) watch_scheduler->Stop();
  if (relay) relay->Stop();
}

namespace {

// The server's secret key (HMAC of codes): <data>/secret.key, 32 random bytes, created 0600 on first start.
std::string LoadOrCreateKey(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (key.size() >= 32) return key;
    throw std::runtime_error("secret key file is too short: " + path.string());
  }
  std::string key = RandomBytes(32);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) throw std::runtime_error("cannot create secret key file " + path.string());
  bool ok = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write secret key file " + path.string());
  return key;
}

}  // namespace

void StartBackground(App& app) {
  if (app.relay) return;
  app.relay = std::make_unique<MailRelay>(app.db_path, app.config.mail, app.config.sms, app.config.data_dir,
                                          app.clock, 2);
  P256KeyPair vapid;
  {
    WriterLock lock(app);
    vapid = LoadOrCreateVapidKey(*app.db, app.code_key);
  }
  PushSender push{vapid, app.config.push.subject, app.config.push};
  if (push.subject.empty()) push.subject = "mailto:" + ParseMailAddress(app.config.mail.from).addr;
  app.relay->EnablePush(std::move(push));
  app.relay->Start();
  // The test clock moves in jumps: poll it often in test mode so a jump is acted on at once.
  app.watch_scheduler =
      std::make_unique<WatchScheduler>(app, std::chrono::milliseconds(app.config.test_mode ? 100 : 1000));
  app.watch_scheduler->Start();
}

void NotifyMail(App& app) {
  if (app.relay) app.relay->Notify();
}

std::string AssetsDir() {
  if (const char* env = std::getenv("MIZU_ASSETS_DIR"); env && *env) return env;
  return MIZU_SOURCE_ASSETS_DIR;
}

Tariff LoadTariffFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read tariff file " + path);
  std::stringstream text;
  text << in.rdbuf();
  try {
    return ParseTariffText(text.str());
  } catch (const std::exception& e) {
    throw std::runtime_error("tariff file " + path + ": " + e.what());
  }
}

std::unique_ptr<App> OpenApp(const Config& config) {
  namespace fs = std::filesystem;
  auto app = std::make_unique<App>();
  app->config = config;
  fs::create_directories(config.data_dir);
  fs::create_directories(fs::path(config.data_dir) / "mail");
  fs::create_directories(fs::path(config.data_dir) / "sms");
  app->db_path = config.database_url.empty()
                     ? "sqlite:" + (fs::path(config.data_dir) / "mizumori.db").string()
                     : config.database_url;
  app->db = std::make_unique<Database>(app->db_path);
  EnsureDailyRollup(*app->db);  // once, for a database older than the rollup (schema 13)
  // As many readers as request workers (opened as needed), plus the scheduler's and a command's.
  app->readers = std::make_unique<ReaderPool>(app->db_path, config.http.threads + 4);
  // Long reads tie up at most a quarter of the request threads (the 2 running + up to 16 waiting), and one
  // account at most http.long_reads_per_account (2) of them; they yield for http.long_reads_quiet_ms after a
  // short request.
  app->long_reads.SetLimits(std::clamp(config.http.threads / 4 - 2, 0, 16),
                            config.http.long_reads_per_account,
                            std::chrono::milliseconds(config.http.long_reads_quiet_ms));
  app->code_key = LoadOrCreateKey(fs::path(config.data_dir) / "secret.key");
  if (app->db->engine() == Engine::kPostgres) {  // several servers may share it: so do their limits
    app->limit_store = std::make_unique<DbLimitStore>(app->db_path, app->clock);
    app->signup_per_client.Share(app->limit_store.get(), "signup_per_client");
    app->reset_per_client.Share(app->limit_store.get(), "reset_per_client");
    app->codes_per_address.Share(app->limit_store.get(), "codes_per_address");
    app->watch_added_per_account.Share(app->limit_store.get(), "watch_added_per_account");
    app->login_throttle.Share(app->limit_store.get(), "login_throttle");
    app->identity_proofs.Share(app->limit_store.get());
  }
  if (config.password_hash_log2_n > 0) app->password_hash.log2_n = config.password_hash_log2_n;
  std::string tariff =
      config.utility.tariff_file.empty() ? AssetsDir() + "/tariffs/default.json" : config.utility.tariff_file;
  app->tariff = LoadTariffFile(tariff);
  return app;
}

}  // namespace mizu::backend
