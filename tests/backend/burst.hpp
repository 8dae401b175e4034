#pragma once
// Many requests at once against a test server: each on its own connection and thread, released together by a
// latch (an event, not a sleep), answers collected in no particular order.
#include <httplib.h>

#include <functional>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server_fixture.hpp"

namespace mizu::testing {

struct BurstAnswer {
  int status = 0;  // 0: no answer (connection failed)
  std::string body, set_cookie, retry_after;
};

inline std::vector<BurstAnswer> Burst(TestServer& server, int n,
                                      const std::function<httplib::Result(httplib::Client&, int)>& send) {
  std::vector<BurstAnswer> answers;
  std::mutex m;
  std::latch start(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      auto client = server.Client();
      start.arrive_and_wait();
      auto res = send(client, i);
      std::lock_guard lock(m);
      answers.push_back(res ? BurstAnswer{res->status, res->body, res->get_header_value("Set-Cookie"),
                                          res->get_header_value("Retry-After")}
                            : BurstAnswer{});
    });
  }
  for (auto& t : threads) t.join();
  return answers;
}

inline int CountStatus(const std::vector<BurstAnswer>& answers, int status) {
  int n = 0;
  for (const auto& a : answers) n += a.status == status;
  return n;
}

}  // namespace mizu::testing
