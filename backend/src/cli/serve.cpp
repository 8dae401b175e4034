// `mizumori serve`: the server in the foreground until SIGINT/SIGTERM.
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include "commands.hpp"
#include "mizu/backend/app.hpp"
#include "mizu/backend/http_server.hpp"

namespace mizu::backend::cli {
namespace {

// Defaults, then --config, then the environment, then the flags.
Config ServerConfig(const ServeOptions& o) {
  Config config;
  if (!o.data.config.empty()) ApplyConfigFile(config, o.data.config);
  ApplyEnvironment(config);
  if (!o.listen.empty()) ApplyListen(config, o.listen);
  if (!o.data.data.empty()) config.data_dir = o.data.data;
  if (!o.web.empty()) config.web_dir = o.web;
  return config;
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
  std::fflush(stdout);
  server.Run();
  finished = true;
  pthread_kill(stopper.native_handle(), SIGTERM);  // wakes sigwait when Run() ended for another reason
  stopper.join();
  return 0;
}

}  // namespace mizu::backend::cli
