#pragma once
// Many requests at once against a test server: each on its own connection and thread, released together by a
// latch (an event, not a sleep), answers collected in no particular order. cpp-httplib listens with a backlog
// of 5 (CPPHTTPLIB_LISTEN_BACKLOG): a connection the kernel could not queue is reset before the server ever
// reads it (nstat TcpExtListenOverflows), so a request without any answer is sent again, up to 5 times.
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
  int status = 0;  // 0: no answer (connection failed: see error)
  std::string body, set_cookie, retry_after, error;
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
      // Generous: a burst on a busy machine queues behind the server's worker threads and listen backlog.
      client.set_connection_timeout(30);
      client.set_read_timeout(60);
      start.arrive_and_wait();
      auto res = send(client, i);
      for (int retry = 0; retry < 5 && !res; ++retry) res = send(client, i);
      std::lock_guard lock(m);
      answers.push_back(res ? BurstAnswer{res->status, res->body, res->get_header_value("Set-Cookie"),
                                          res->get_header_value("Retry-After")}
                            : BurstAnswer{0, "", "", "", httplib::to_string(res.error())});
    });
  }
  for (auto& t : threads) t.join();
  return answers;
}

// "401 401 429 …" for failure messages.
inline std::string Statuses(const std::vector<BurstAnswer>& answers) {
  std::string out;
  for (const auto& a : answers)
    out += std::to_string(a.status) + (a.error.empty() ? "" : "(" + a.error + ")") + " ";
  return out;
}

inline int CountStatus(const std::vector<BurstAnswer>& answers, int status) {
  int n = 0;
  for (const auto& a : answers) n += a.status == status;
  return n;
}

}  // namespace mizu::testing
