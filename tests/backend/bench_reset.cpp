// Password-reset start: the server time for a registered vs an unregistered login ID, over N interleaved
// pairs through the real HTTP server on loopback (file mail transport). Prints the medians, the median of the
// paired differences and its 10th–90th percentile range; the test clock jumps 2 h before each pair so that no
// rate limit or resend interval answers instead. Not a test: timing belongs here, not in assertions
// (DESIGN.md). Usage: mizu_bench_reset [--pairs N] (default 200). Run through scripts/bench/reset.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "server_fixture.hpp"

namespace {

double Percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(q * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  int pairs = 200;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--pairs") == 0) pairs = std::max(1, std::atoi(argv[i + 1]));
  mizu::testing::TestServer server;
  auto& app = server.App();
  const int warmup = 10;
  {
    std::lock_guard lock(app.db_mutex);
    app.db->Transaction([&] {
      for (int i = 0; i < pairs + warmup; ++i)
        app.db
            ->Prepare(
                "INSERT INTO accounts (email, password_hash, applicant_phone, lang, created_at) "
                "VALUES (?, 'unused', '0900000000', 'ja', 0)")
            .Bind(1, "user" + std::to_string(i) + "@example.jp")
            .Run();
    });
  }
  auto client = server.Client();
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);  // else Nagle + delayed ACK add ~40 ms to random requests
  auto timed = [&](const std::string& email) {
    std::string body = "{\"email\":\"" + email + "\"}";
    auto start = std::chrono::steady_clock::now();
    auto res = client.Post("/api/v1/password-reset/start", body, "application/json");
    auto end = std::chrono::steady_clock::now();
    if (!res || res->status != 202) {
      std::fprintf(stderr, "bench_reset: unexpected answer for %s\n", email.c_str());
      std::exit(1);
    }
    return std::chrono::duration<double, std::micro>(end - start).count();
  };
  int64_t now = app.clock.Now();
  std::vector<double> known, unknown, diff;
  for (int i = 0; i < pairs + warmup; ++i) {
    app.clock.Set(now += 7200);
    std::string user = "user" + std::to_string(i) + "@example.jp",
                nobody = "nobody" + std::to_string(i) + "@example.jp";
    double k, u;
    if (i % 2 == 0) {
      k = timed(user);
      u = timed(nobody);
    } else {
      u = timed(nobody);
      k = timed(user);
    }
    if (i < warmup) continue;
    known.push_back(k);
    unknown.push_back(u);
    diff.push_back(k - u);
  }
  std::printf("password-reset start over %d pairs (µs): registered median %.0f, unknown median %.0f\n", pairs,
              Percentile(known, 0.5), Percentile(unknown, 0.5));
  std::printf("paired difference registered - unknown: median %+.0f µs, p10 %+.0f, p90 %+.0f\n",
              Percentile(diff, 0.5), Percentile(diff, 0.1), Percentile(diff, 0.9));
  return 0;
}
