#pragma once
// A real `mizumori serve` process: spawned with the environment minus every MIZU_* variable plus `env`, its
// first stdout lines read as it prints them, stopped with SIGTERM (SIGKILL after 10 s) on Stop() or
// destruction.
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "server_fixture.hpp"

namespace mizu::testing {

class ServeProcess {
 public:
  // Runs `binary serve ARGS` and reads `lines` lines of its stdout (20 s at most), then waits until it
  // answers /healthz when the first line named its address.
  ServeProcess(const std::string& binary, const std::vector<std::string>& args,
               const std::vector<std::string>& env = {}, int lines = 1) {
    std::vector<std::string> env_strings(env);
    for (char** e = environ; *e; ++e)
      if (std::strncmp(*e, "MIZU_", 5) != 0) env_strings.emplace_back(*e);
    std::vector<std::string> argv_strings = {binary, "serve"};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv, envp;
    for (auto& a : argv_strings) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    int out[2];
    REQUIRE(::pipe(out) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    REQUIRE(posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data()) == 0);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    std::string line;
    char c = 0;
    pollfd pfd{out[0], POLLIN, 0};
    while (static_cast<int>(lines_.size()) < lines && ::poll(&pfd, 1, 20000) == 1 &&
           ::read(out[0], &c, 1) == 1) {
      if (c != '\n') {
        line += c;  // one byte at a time: only the lines asked for
        continue;
      }
      lines_.push_back(line);
      line.clear();
    }
    ::close(out[0]);  // serve prints its start-up lines in one write and nothing more on stdout
    std::smatch m;
    if (!lines_.empty() && std::regex_search(lines_[0], m, std::regex(R"(http://([0-9.]+):([0-9]+)/)"))) {
      host_ = m[1].str();
      port_ = std::stoi(m[2].str());
      httplib::Client client(host_, port_);
      client.set_connection_timeout(5);
      WaitUntil([&] { return static_cast<bool>(client.Get("/healthz")); });
    }
  }
  ~ServeProcess() { Stop(); }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  // The lines read (without their newline); fewer than asked when the process said less.
  const std::vector<std::string>& Lines() const { return lines_; }
  std::string Line(size_t i) const { return i < lines_.size() ? lines_[i] : ""; }
  int Port() const { return port_; }
  httplib::Client Client() const {
    httplib::Client c(host_, port_);
    c.set_connection_timeout(5);
    c.set_read_timeout(20);
    return c;
  }

  // SIGKILL at once (a crash: nothing of the process's own shutdown runs), then waits.
  void Kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = 0;
  }

  // SIGTERM, then waits; false when it had to be killed (still running after 10 s). Idempotent.
  bool Stop() {
    if (pid_ <= 0) return true;
    ::kill(pid_, SIGTERM);
    int status = 0;
    bool stopped = false;
    for (int i = 0; i < 1000 && !(stopped = ::waitpid(pid_, &status, WNOHANG) == pid_); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (!stopped) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    pid_ = 0;
    return stopped;
  }

 private:
  pid_t pid_ = 0;
  std::vector<std::string> lines_;
  std::string host_ = "127.0.0.1";
  int port_ = 0;
};

}  // namespace mizu::testing
