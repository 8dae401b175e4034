// The server reached directly by a hostile client (docs/reliability.md): framing errors of every kind, header
// floods, body limits in every framing, Range on API answers and static files, the client address behind
// trusted proxies, and the bounded password-hash queue. Raw bytes over loopback (raw_http.hpp).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <vector>

#include "mizu/backend/accounts.hpp"
#include "mizu/backend/api_tokens.hpp"
#include "raw_http.hpp"
#include "server_fixture.hpp"

using mizu::testing::RawAnswer;
using mizu::testing::RawExchange;
using mizu::testing::TestServer;

namespace {

std::string ErrorCodeOf(const RawAnswer& a) {
  auto j = nlohmann::json::parse(a.body, nullptr, false);
  if (j.is_discarded() || !j.contains("error")) return "";
  return j["error"]["code"].get<std::string>();
}

const std::string kJsonBody = R"({"email":"a@example.jp"})";

std::string Post(const std::string& path, const std::string& extra_headers, const std::string& body) {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
         extra_headers + "\r\n" + body;
}

std::string Chunked(const std::string& body) {
  char size[32];
  std::snprintf(size, sizeof(size), "%zx\r\n", body.size());
  return std::string(size) + body + "\r\n0\r\n\r\n";
}

struct FramingCase {
  const char* what;
  std::string request;
  int status;
  const char* code;
};

}  // namespace

TEST_CASE("Framing errors of every kind are refused with the right status before the body is read") {
  TestServer server;
  const std::string cl = "Content-Length: " + std::to_string(kJsonBody.size()) + "\r\n";
  std::vector<FramingCase> cases = {
      // A chunked body outside the ingest route, in any letter case: 411 length_required (never read).
      {"chunked", Post("/api/v1/signup/start", "Transfer-Encoding: chunked\r\n", Chunked(kJsonBody)), 411,
       "length_required"},
      {"Chunked", Post("/api/v1/signup/start", "Transfer-Encoding: Chunked\r\n", Chunked(kJsonBody)), 411,
       "length_required"},
      {"CHUNKED", Post("/api/v1/login", "Transfer-Encoding: CHUNKED\r\n", Chunked(kJsonBody)), 411,
       "length_required"},
      // Smuggling shapes (RFC 9112 §6.1, §6.3).
      {"CL + TE", Post("/api/v1/signup/start", cl + "Transfer-Encoding: chunked\r\n", kJsonBody), 400,
       "invalid_format"},
      {"TE twice",
       Post("/api/v1/ingest/readings", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
            Chunked("[]")),
       400, "invalid_format"},
      {"TE gzip", Post("/api/v1/signup/start", "Transfer-Encoding: gzip\r\n", kJsonBody), 400,
       "invalid_format"},
      {"TE gzip, chunked",
       Post("/api/v1/ingest/readings", "Transfer-Encoding: gzip, chunked\r\n", Chunked("[]")), 400,
       "invalid_format"},
      {"CL twice", Post("/api/v1/signup/start", cl + cl, kJsonBody), 400, "invalid_format"},
      {"CL signed +", Post("/api/v1/signup/start", "Content-Length: +24\r\n", kJsonBody), 400,
       "invalid_format"},
      {"CL signed -", Post("/api/v1/signup/start", "Content-Length: -1\r\n", kJsonBody), 400,
       "invalid_format"},
      {"CL hex", Post("/api/v1/signup/start", "Content-Length: 0x18\r\n", kJsonBody), 400, "invalid_format"},
      {"CL list", Post("/api/v1/signup/start", "Content-Length: 24, 24\r\n", kJsonBody), 400,
       "invalid_format"},
      {"space before colon", Post("/api/v1/signup/start", "Content-Length : 24\r\n", kJsonBody), 400,
       "invalid_format"},
      {"no Host", "GET /healthz HTTP/1.1\r\nAccept: */*\r\n\r\n", 400, "invalid_format"},
      {"Host twice", "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "invalid_format"},
      // Over the route's limit, declared: 413 without reading a byte of it.
      {"CL over 1 MiB", Post("/api/v1/signup/start", "Content-Length: 2097152\r\n", ""), 413,
       "payload_too_large"},
      {"CL over 32 MiB on ingest", Post("/api/v1/ingest/readings", "Content-Length: 33554433\r\n", ""), 413,
       "payload_too_large"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    RawAnswer a = RawExchange(server.Port(), c.request);
    CHECK(a.status == c.status);
    CHECK(ErrorCodeOf(a) == c.code);
  }
  // The server still answers normally afterwards.
  CHECK(RawExchange(server.Port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").status == 200);
}

TEST_CASE("A body-carrying request without Content-Length or Transfer-Encoding has an empty body") {
  TestServer server;
  // Kept open by the client: without the rule the server would wait for the connection to close.
  RawAnswer a = RawExchange(server.Port(),
                            "POST /api/v1/signup/start HTTP/1.1\r\nHost: x\r\n"
                            "Content-Type: application/json\r\n\r\n");
  CHECK(a.status == 400);
  CHECK(ErrorCodeOf(a) == "invalid_json");
}

TEST_CASE("Header floods are refused with 431 and the limits are the documented ones") {
  TestServer server;
  auto with_headers = [](int n, size_t value_size) {
    std::string r = "GET /healthz HTTP/1.1\r\nHost: x\r\n";  // Host is one of the n below
    for (int i = 1; i < n; ++i) r += "X-H" + std::to_string(i) + ": " + std::string(value_size, 'v') + "\r\n";
    return r + "\r\n";
  };
  CHECK(RawExchange(server.Port(), with_headers(100, 10)).status == 200);  // exactly the limit
  RawAnswer over = RawExchange(server.Port(), with_headers(101, 10));
  CHECK(over.status == 431);
  CHECK(ErrorCodeOf(over) == "headers_too_large");
  // Host + 5 headers of 7,000 bytes: over 35,000 > 32,768 bytes of names and values; Host + 4: about 28,000.
  CHECK(RawExchange(server.Port(), with_headers(6, 7000)).status == 431);
  CHECK(RawExchange(server.Port(), with_headers(5, 7000)).status == 200);
}

TEST_CASE(
    "The ingest route reads a chunked body in any letter case against its limit: 413 once over 32 MiB") {
  TestServer server;
  std::string token = mizu::backend::CreateApiToken(server.App(), "ingest", "head-end", 0);
  std::string auth = "Authorization: Bearer " + token + "\r\n";
  for (const char* te : {"chunked", "Chunked"}) {
    INFO(te);
    RawAnswer ok = RawExchange(
        server.Port(),
        Post("/api/v1/ingest/readings", auth + "Transfer-Encoding: " + te + "\r\n", Chunked("[]")));
    CHECK(ok.status == 200);
    CHECK(nlohmann::json::parse(ok.body)["accepted"] == 0);
  }
  // 33 chunks of 1 MiB: refused once the 33rd passes 32 MiB.
  std::string body;
  std::string mib(1 << 20, ' ');
  for (int i = 0; i < 33; ++i) body += "100000\r\n" + mib + "\r\n";
  body += "0\r\n\r\n";
  RawAnswer big = RawExchange(server.Port(),
                              Post("/api/v1/ingest/readings", auth + "Transfer-Encoding: Chunked\r\n", body));
  CHECK(big.status == 413);
  CHECK(ErrorCodeOf(big) == "payload_too_large");
}

TEST_CASE("Range is ignored on API answers") {
  TestServer server;
  RawAnswer whole = RawExchange(server.Port(), "GET /api/v1/calendar/2026 HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(whole.status == 200);
  std::string many = "bytes=0-";
  for (int i = 0; i < 900; ++i) many += ",0-";
  for (const std::string& range : {std::string("bytes=0-9"), std::string("bytes=-5"), many}) {
    INFO(range.substr(0, 20));
    RawAnswer a = RawExchange(
        server.Port(), "GET /api/v1/calendar/2026 HTTP/1.1\r\nHost: x\r\nRange: " + range + "\r\n\r\n");
    CHECK(a.status == 200);
    CHECK(a.Header("content-range").empty());
    CHECK(a.body == whole.body);
  }
}

TEST_CASE(
    "Range on a static file: one range gives 206 with the true length and several the whole file and past "
    "the end 416") {
  namespace fs = std::filesystem;
  const mizu::testing::TempDir dist("mizu-range");
  const std::string page = "<!doctype html><title>0123456789abcdef</title>";  // 46 bytes
  REQUIRE(page.size() == 46);
  std::ofstream(dist / "index.html", std::ios::binary) << page;
  TestServer server([&](mizu::backend::Config& c) { c.web_dir = dist.Path().string(); });
  auto get = [&](const std::string& extra) {
    return RawExchange(server.Port(), "GET /index.html HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n");
  };
  RawAnswer one = get("Range: bytes=0-9\r\n");
  CHECK(one.status == 206);
  CHECK(one.body == "<!doctype ");
  CHECK(one.Header("content-range") == "bytes 0-9/46");
  RawAnswer tail = get("Range: bytes=-6\r\n");
  CHECK(tail.status == 206);
  CHECK(tail.body == "title>");
  CHECK(tail.Header("content-range") == "bytes 40-45/46");
  RawAnswer open = get("Range: bytes=40-\r\n");
  CHECK(open.status == 206);
  CHECK(open.Header("content-range") == "bytes 40-45/46");
  RawAnswer clipped = get("Range: bytes=40-1000\r\n");
  CHECK(clipped.Header("content-range") == "bytes 40-45/46");
  for (const char* several : {"Range: bytes=0-,0-,0-\r\n", "Range: bytes=0-4,10-14\r\n"}) {
    RawAnswer a = get(several);
    CHECK(a.status == 200);
    CHECK(a.body == page);
  }
  RawAnswer past = get("Range: bytes=46-50\r\n");
  CHECK(past.status == 416);
  CHECK(past.Header("content-range") == "bytes */46");
  RawAnswer etag = get("");
  RawAnswer stale = get("Range: bytes=0-9\r\nIf-Range: \"not-this-one\"\r\n");
  CHECK(stale.status == 200);
  CHECK(stale.body == page);
  RawAnswer fresh = get("Range: bytes=0-9\r\nIf-Range: " + etag.Header("etag") + "\r\n");
  CHECK(fresh.status == 206);
}

namespace {

int LoginStatus(TestServer& server, const std::string& email, const std::string& forwarded_for) {
  std::string body = R"({"email":")" + email + R"(","password":"wrong-password-1"})";
  std::string extra = "Content-Length: " + std::to_string(body.size()) + "\r\n";
  if (!forwarded_for.empty()) extra += "X-Forwarded-For: " + forwarded_for + "\r\n";
  return RawExchange(server.Port(), Post("/api/v1/login", extra, body)).status;
}

// Fails 21 logins (distinct addresses, so no account throttle) as `client`; the per-client throttle
// allows 20, then one more only a second after the last failure. The server's clock is pinned first, so a
// slow machine (one login taking over a second) cannot turn the 21st into an allowed one.
void ExhaustClient(TestServer& server, const std::string& forwarded_for) {
  server.App().clock.Set(server.App().clock.Now());
  for (int i = 0; i < 20; ++i)
    REQUIRE(LoginStatus(server, "x" + std::to_string(i) + "@example.jp", forwarded_for) == 401);
  REQUIRE(LoginStatus(server, "y@example.jp", forwarded_for) == 429);
}

}  // namespace

TEST_CASE("Per-client limits key on the client behind a trusted proxy and never on a forged address") {
  SECTION("loopback is a trusted proxy by default: its X-Forwarded-For names the client") {
    TestServer server;
    ExhaustClient(server, "203.0.113.7");
    CHECK(LoginStatus(server, "z@example.jp", "203.0.113.8") == 401);  // another client: not locked out
    // The right-most untrusted entry is the client; what a client wrote to its left is not believed.
    CHECK(LoginStatus(server, "z1@example.jp", "203.0.113.8, 203.0.113.7") == 429);
    CHECK(LoginStatus(server, "z2@example.jp", "203.0.113.7, 203.0.113.9") == 401);
    CHECK(LoginStatus(server, "z3@example.jp", "203.0.113.7, 127.0.0.1") == 429);  // trusted hops are skipped
  }
  SECTION("a forwarded entry with a port is that address") {
    TestServer server;
    ExhaustClient(server, "203.0.113.7");
    CHECK(LoginStatus(server, "p1@example.jp", "203.0.113.7:4711") == 429);
    ExhaustClient(server, "2001:db8::1");
    CHECK(LoginStatus(server, "p2@example.jp", "[2001:db8::1]:443") == 429);
    CHECK(LoginStatus(server, "p3@example.jp", "[2001:db8::2]:443") == 401);
  }
  SECTION("a forwarded entry that is no address is one unknown client, never the proxy itself") {
    TestServer server;
    ExhaustClient(server, "203.0.113.7, garbage");
    CHECK(LoginStatus(server, "u1@example.jp", "198.51.100.1, not-an-address") == 429);  // the same unknown
    CHECK(LoginStatus(server, "u2@example.jp", "") == 401);             // the proxy (loopback) is not locked
    CHECK(LoginStatus(server, "u3@example.jp", "203.0.113.7") == 401);  // nor the address left of the junk
  }
  SECTION("an untrusted peer's X-Forwarded-For is ignored") {
    TestServer server([](mizu::backend::Config& c) { c.http.trusted_proxies = {"192.0.2.0/24"}; });
    ExhaustClient(server, "203.0.113.7");
    CHECK(LoginStatus(server, "z@example.jp", "203.0.113.8") == 429);  // both are the loopback peer
  }
}

TEST_CASE(
    "Password hashing sits behind a bounded queue: when it is full the answer is 503 + Retry-After at once") {
  TestServer server([](mizu::backend::Config& c) {
    c.password_hash_log2_n = 15;  // 32 MiB, tens of milliseconds a hash: 12 parallel logins overlap
    c.http.hash_workers = 1;
    c.http.hash_queue = 1;
  });
  std::vector<std::future<RawAnswer>> answers;
  for (int i = 0; i < 12; ++i) {
    answers.push_back(std::async(std::launch::async, [&server, i] {
      std::string body =
          R"({"email":"busy)" + std::to_string(i) + R"(@example.jp","password":"wrong-password-1"})";
      return RawExchange(
          server.Port(),
          Post("/api/v1/login", "Content-Length: " + std::to_string(body.size()) + "\r\n", body));
    }));
  }
  int busy = 0, failed = 0;
  for (auto& f : answers) {
    RawAnswer a = f.get();
    if (a.status == 503) {
      ++busy;
      CHECK(ErrorCodeOf(a) == "busy");
      CHECK(a.Header("retry-after") == "2");
    } else {
      CHECK(a.status == 401);
      ++failed;
    }
  }
  CHECK(busy >= 1);
  CHECK(failed >= 1);
  CHECK(mizu::backend::PasswordHashGateLoad().refused >= busy);
}
