// Acknowledged means durable: the real `mizumori serve` is killed with SIGKILL right after a 2xx while a
// second connection has another batch in flight, restarted on the same data folder, and must hold every
// acknowledged reading (resent, each comes back as a duplicate of the same value) and no half of the
// interrupted batch.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "server_fixture.hpp"

using json = nlohmann::json;
using mizu::testing::WaitUntil;

namespace {

constexpr int64_t kHour = 3600;

// A customer master with smart meters M000001..M<count>.
std::string CityCsv(int count) {
  std::string csv =
      "customer_number,holder_name,holder_kana,address,bureau_phone,meter_id,smart_meter,diameter_mm,"
      "status\n";
  for (int i = 1; i <= count; ++i) {
    char line[200];
    std::snprintf(line, sizeof line,
                  "%011d,水守 太郎,ミズモリ タロウ,水守市本町%d,0467-12-3456,M%06d,1,13,active\n",
                  1000000000 + i, i, i);
    csv += line;
  }
  return csv;
}

}  // namespace

namespace {

int PickPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// The real `mizumori serve` as a child process on a loopback port.
class ServeProcess {
 public:
  explicit ServeProcess(const std::string& data_dir) : port_(PickPort()) {
    std::string listen = "127.0.0.1:" + std::to_string(port_);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      int null_fd = ::open("/dev/null", O_WRONLY);
      ::dup2(null_fd, 1);
      ::dup2(null_fd, 2);
      ::execl(MIZU_BINARY, MIZU_BINARY, "serve", "--data", data_dir.c_str(), "--listen", listen.c_str(),
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    if (!WaitUntil([&] { return static_cast<bool>(Client().Get("/healthz")); }))
      FAIL("mizumori serve did not come up");
  }
  ~ServeProcess() { Signal(SIGKILL); }
  // Sends sig and reaps the process.
  void Signal(int sig) {
    if (pid_ <= 0) return;
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  httplib::Client Client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(5);
    c.set_read_timeout(30);
    return c;
  }

 private:
  int port_;
  pid_t pid_ = -1;
};

std::string RunCli(const std::string& args) {
  FILE* p = ::popen((std::string(MIZU_BINARY) + " " + args + " 2>/dev/null").c_str(), "r");
  REQUIRE(p);
  std::string out;
  char buf[512];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  REQUIRE(::pclose(p) == 0);
  return out;
}

constexpr int kKillMeters = 300;

// One hour-major batch: every meter at each of the given hour ends (register grows with the hour).
std::string KillBatch(const std::vector<int64_t>& hours) {
  std::string body = "meter_id,at,register_l\n";
  for (int64_t h : hours)
    for (int m = 1; m <= kKillMeters; ++m) {
      char line[64];
      std::snprintf(line, sizeof line, "M%06d,%lld,%lld\n", m, static_cast<long long>(h),
                    static_cast<long long>(h / kHour * 7 + m));
      body += line;
    }
  return body;
}

}  // namespace

TEST_CASE("a server killed with SIGKILL right after a 2xx keeps every acknowledged reading", "[ingest]") {
  const mizu::testing::TempDir dir("mizu-kill");  // removed after both servers have gone
  std::string data = (dir / "data").string();
  { std::ofstream(dir / "customers.csv") << CityCsv(kKillMeters); }
  RunCli("import customers " + (dir / "customers.csv").string() + " --data " + data);
  std::string token = RunCli("token create --scope ingest --data " + data);
  token.erase(token.find_last_not_of("\r\n") + 1);
  httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  const int64_t hour = std::time(nullptr) / kHour * kHour;

  struct Batch {
    std::string body;
    size_t size;
    bool acked = false;
  };
  std::vector<Batch> foreground, background;
  for (int b = 0; b < 20; ++b) foreground.push_back({KillBatch({hour - b * kHour}), kKillMeters});
  for (int b = 0; b < 250; ++b) {
    std::vector<int64_t> hours;
    for (int j = 0; j < 4; ++j) hours.push_back(hour - (100 + 4 * b + j) * kHour);  // up to ~46 days back
    background.push_back({KillBatch(hours), 4 * kKillMeters});
  }
  {
    ServeProcess serve(data);
    // A second connection keeps batches in flight, so the kill lands in the middle of one.
    std::atomic<bool> stop{false};
    std::thread other([&] {
      auto client = serve.Client();
      for (auto& b : background) {
        if (stop) break;
        auto res = client.Post("/api/v1/ingest/readings", auth, b.body, "text/csv");
        if (!res) break;
        b.acked = res->status == 200;
      }
    });
    auto client = serve.Client();
    for (auto& b : foreground) {
      auto res = client.Post("/api/v1/ingest/readings", auth, b.body, "text/csv");
      REQUIRE(res);
      REQUIRE(res->status == 200);
      b.acked = true;
      REQUIRE(json::parse(res->body)["accepted"] == kKillMeters);
    }
    serve.Signal(SIGKILL);  // right after the last 2xx
    stop = true;
    other.join();
  }

  ServeProcess again(data);
  auto client = again.Client();
  size_t acked = 0, unacked_present = 0;
  auto resend = [&](const Batch& b) {
    auto res = client.Post("/api/v1/ingest/readings", auth, b.body, "text/csv");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    auto r = json::parse(res->body);
    CHECK(r["rejected"] == 0);  // no conflicts: every stored value is the one sent
    if (b.acked) {
      ++acked;
      CHECK(r["duplicate"] == b.size);  // every acknowledged reading survived
    } else {
      // Never half a batch: all of it committed or none of it.
      bool all = r["duplicate"] == b.size, none = r["accepted"] == b.size;
      CHECK((all || none));
      if (all) ++unacked_present;
    }
  };
  for (auto& b : foreground) resend(b);
  size_t first_unacked = background.size();
  for (size_t i = 0; i < background.size(); ++i)
    if (!background[i].acked) {
      first_unacked = i;
      break;
    }
  for (size_t i = 0; i < background.size() && i <= first_unacked; ++i) resend(background[i]);
  CHECK(acked >= 20);
  INFO("background batches acknowledged before the kill: " << first_unacked);
  again.Signal(SIGTERM);
}
