// `mizumori serve`: the server in the foreground until SIGINT/SIGTERM.
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <thread>

#include "commands.hpp"
#include "mizu/backend/app.hpp"
#include "mizu/backend/http_server.hpp"

namespace mizu::backend::cli {
namespace {

namespace fs = std::filesystem;

// The web build of the build tree this binary was linked in (<build>/backend/mizumori →
// <build>/wasm/web/dist), when it holds an index.html; empty otherwise (an installed binary, a native-only
// build).
std::string DistNextToBinary() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  const fs::path dist = (exe.parent_path().parent_path() / "wasm" / "web" / "dist").lexically_normal();
  return fs::is_regular_file(dist / "index.html", ec) ? dist.string() : "";
}

// Defaults, then --config, then the environment, then the flags; no web folder given: the build's dist.
Config ServerConfig(const ServeOptions& o) {
  Config config;
  if (!o.data.config.empty()) ApplyConfigFile(config, o.data.config);
  ApplyEnvironment(config);
  if (!o.listen.empty()) ApplyListen(config, o.listen);
  if (!o.data.data.empty()) config.data_dir = o.data.data;
  if (!o.web.empty()) config.web_dir = o.web;
  if (config.web_dir.empty()) config.web_dir = DistNextToBinary();
  return config;
}

// The line after "serving on": where the app at / comes from, or how to serve one.
void PrintWebLine(const Config& config) {
  if (config.web_dir.empty()) {
    std::printf(
        "mizumori: no web app: / answers 404 (give --web DIR, e.g. build/wasm/web/dist, or web_dir)\n");
  } else {
    std::printf("mizumori: web app from %s\n", config.web_dir.c_str());
  }
}

}  // namespace

// SIGINT / SIGTERM stop the server whenever they arrive — also between "serving on" and the accept loop's
// start, when cpp-httplib's stop() would be a no-op: the signals are blocked in every thread and taken by one
// thread with sigwait, which stops the server once it runs.
int Serve(const ServeOptions& o) {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);  // inherited by every thread started below
  auto app = OpenApp(ServerConfig(o));
  HttpServer server(*app);
  int port = server.Bind(app->config.listen_host, app->config.listen_port);
  app->config.listen_port = port;  // links in mails name the port served (--listen HOST:0 picks one)
  StartBackground(*app);
  std::atomic<bool> finished{false};
  std::thread stopper([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    while (!finished.load()) {
      if (server.Running()) {
        server.Stop();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // Run() is about to accept
    }
  });
  std::printf("mizumori: serving on http://%s:%d/ (data %s%s)\n", app->config.listen_host.c_str(), port,
              app->config.data_dir.c_str(), app->config.test_mode ? ", TEST MODE" : "");
  PrintWebLine(app->config);
  std::fflush(stdout);
  server.Run();
  finished = true;
  pthread_kill(stopper.native_handle(), SIGTERM);  // wakes sigwait when Run() ended for another reason
  stopper.join();
  return 0;
}

}  // namespace mizu::backend::cli
