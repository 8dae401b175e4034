// Mail delivery throughput into a local aiosmtpd, measured in one run for:
//   (a) the relay with K workers, each keeping its SMTP connection open across messages;
//   (b) the relay with 1 worker (persistent connection) — separates parallelism from connection reuse;
//   (c) a naive client opening one SMTP connection per message (same outbox claim / mark bookkeeping).
// Each is run against a server that answers at once (Sink) and one that takes D ms to accept each message
// (asyncio.sleep before 250, like a real MTA writing its queue file / a server a few ms away).
// Usage: mizu_bench_mail [--messages N] [--workers K] [--delays 0,5]. Run through scripts/bench/mail.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "mizu/backend/mail.hpp"

namespace fs = std::filesystem;

extern char** environ;
using namespace mizu::backend;

namespace {

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool Accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

void Enqueue(Database& db, int count, int64_t now) {
  db.Transaction([&] {
    for (int i = 0; i < count; ++i) {
      EnqueueMail(
          db,
          {"taro" + std::to_string(i) + "@example.jp", "山田 太郎", "【水守市水道局】水道料金のお知らせ",
           "山田 太郎 様\n\n令和8年11月分の水道料金は 4,235 円です。\n\n水守市水道局\n", "bill_notice", "ja"},
          now);
    }
  });
}

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// One worker, a fresh SmtpTransport (so a fresh connection, EHLO, QUIT) for every message.
int NaiveDeliver(Database& db, const MailConfig& config, int64_t now, int batch) {
  MailAddress from = ParseMailAddress(config.from);
  int sent = 0;
  for (;;) {
    auto claimed = ClaimDueMails(db, now, batch, 600);
    if (claimed.empty()) return sent;
    for (auto& c : claimed) {
      SmtpTransport transport(config.smtp_url);
      transport.Send(RenderMail(c.mail, from, c.message_key, c.created_at));
      if (MarkMailSent(db, c, now)) ++sent;
    }
  }
}

// An aiosmtpd handler that accepts every message after `ms` milliseconds.
constexpr const char* kDelayedHandler = R"py(
import asyncio
class Delayed:
    def __init__(self, ms):
        self.delay = ms / 1000.0
    @classmethod
    def from_cli(cls, parser, *args):
        return cls(float(args[0]))
    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        return '250 OK'
)py";

// aiosmtpd on 127.0.0.1:port (Sink, or Delayed when delay_ms > 0) until destroyed.
class Server {
 public:
  Server(const fs::path& dir, int port, int delay_ms) {
    std::ofstream(dir / "mizu_bench_delayed.py") << kDelayedHandler;
    std::vector<std::string> args = {
        MIZU_PYTHON3, "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + std::to_string(port), "-c"};
    if (delay_ms > 0) {
      args.push_back("mizu_bench_delayed.Delayed");
      args.push_back(std::to_string(delay_ms));
    } else {
      args.push_back("aiosmtpd.handlers.Sink");
    }
    std::vector<std::string> env = {"PYTHONPATH=" + dir.string()};
    for (char** e = environ; *e; ++e) env.emplace_back(*e);
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), envp.data()) != 0)
      throw std::runtime_error("cannot start aiosmtpd");
    for (int i = 0; i < 500 && !Accepts(port); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (!Accepts(port)) throw std::runtime_error("aiosmtpd did not start");
  }
  ~Server() {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }

 private:
  pid_t pid_ = 0;
};

struct Rates {
  double parallel, single, naive;
};

Rates Measure(const fs::path& dir, int delay_ms, int messages, int workers) {
  const std::string db_path = (dir / ("outbox-" + std::to_string(delay_ms) + ".db")).string();
  int port = FreePort();
  Server server(dir, port, delay_ms);
  Database db(db_path);
  Clock clock;
  MailConfig config;
  config.transport = "smtp";
  config.smtp_url = "smtp://127.0.0.1:" + std::to_string(port);
  RelayOptions options;
  auto run_relay = [&](int k) {
    Enqueue(db, messages, clock.Now());
    MailRelay relay(db_path, config, dir.string(), clock, k, options);
    auto start = std::chrono::steady_clock::now();
    int sent = relay.RunOnce();
    if (sent != messages) throw std::runtime_error("relay sent " + std::to_string(sent));
    return sent / Seconds(start);
  };
  Rates r{};
  r.parallel = run_relay(workers);
  r.single = run_relay(1);
  Enqueue(db, messages, clock.Now());
  auto start = std::chrono::steady_clock::now();
  int sent = NaiveDeliver(db, config, clock.Now(), options.claim_batch);
  if (sent != messages) throw std::runtime_error("naive sent " + std::to_string(sent));
  r.naive = sent / Seconds(start);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  int messages = 2000;
  int workers = 4;
  std::vector<int> delays = {0, 5};
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--messages")) messages = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--workers")) workers = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--delays")) {
      delays.clear();
      for (char *p = argv[i + 1], *end; *p; p = end + (*end == ',')) {
        delays.push_back(static_cast<int>(std::strtol(p, &end, 10)));
        if (end == p) return 2;  // not a number
      }
    }
  }
  fs::path dir = fs::temp_directory_path() / ("mizu-bench-mail-" + std::to_string(std::random_device{}()));
  fs::create_directories(dir);
  int status = 0;
  std::printf(
      "mail delivery into aiosmtpd on loopback: %d messages per run, SQLite outbox (WAL, synchronous=FULL)\n",
      messages);
  const std::string parallel_label = "relay K=" + std::to_string(workers);
  std::printf("%-22s %14s %14s %14s %10s %10s\n", "server accepts after", parallel_label.c_str(), "relay K=1",
              "naive", "K/naive", "1/naive");
  try {
    for (int delay : delays) {
      Rates r = Measure(dir, delay, messages, workers);
      std::printf("%-22s %10.0f/s   %10.0f/s   %10.0f/s   %9.2fx %9.2fx\n",
                  (std::to_string(delay) + " ms").c_str(), r.parallel, r.single, r.naive,
                  r.parallel / r.naive, r.single / r.naive);
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench failed: %s\n", e.what());
    status = 1;
  }
  fs::remove_all(dir);
  return status;
}
