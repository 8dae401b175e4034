#pragma once
// A real mizumori server for one test: a fresh data folder under the system temp dir, the App, and the
// HttpServer on an ephemeral 127.0.0.1 port in a background thread; stopped and joined on destruction.
#include <httplib.h>

#include <filesystem>
#include <functional>
#include <string>
#include <thread>

#include "mizu/backend/app.hpp"
#include "mizu/backend/http_server.hpp"
#include "mizu/backend/mail.hpp"
#include "pg_fixture.hpp"
#include "temp_dir.hpp"
#include "wait_until.hpp"

namespace mizu::testing {

class TestServer {
 public:
  explicit TestServer(const std::function<void(backend::Config&)>& tweak = {}) : dir_("mizu-test") {
    backend::Config config;
    config.data_dir = (dir_ / "data").string();
    config.database_url = TestDatabaseUrl(dir_ / "data");
    config.test_mode = true;
    config.password_hash_log2_n = 10;  // cheap scrypt: tests hash many passwords (production: 17)
    if (tweak) tweak(config);
    app_ = backend::OpenApp(config);
    backend::StartBackground(*app_);
    server_ = std::make_unique<backend::HttpServer>(*app_);
    port_ = server_->Bind("127.0.0.1", 0);
    thread_ = std::thread([this] { server_->Run(); });
    WaitUntil([&] { return static_cast<bool>(Client().Get("/healthz")); });  // the accept loop is up
  }
  ~TestServer() {
    server_->Stop();
    thread_.join();
    if (app_->relay) app_->relay->Stop();
    server_.reset();
    app_.reset();
    DropTestDatabase(dir_ / "data");
  }

  httplib::Client Client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(5);
    c.set_read_timeout(10);
    return c;
  }
  backend::App& App() { return *app_; }
  const std::filesystem::path& Dir() const { return dir_.Path(); }
  int Port() const { return port_; }

 private:
  TempDir dir_;  // first: removed after the server and the App are gone, also when the constructor throws
  std::unique_ptr<backend::App> app_;
  std::unique_ptr<backend::HttpServer> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace mizu::testing
