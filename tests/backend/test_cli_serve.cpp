// `mizumori serve` and `mizumori demo-data` as a newcomer meets them: the web app found without --web, and a
// demo that reads like a healthy utility (the right contract numbers, stop links to the port served, no
// "sent late" note on the first start).
#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "serve_process.hpp"
#include "test_watch_helpers.hpp"

using namespace mizu::testing;

namespace {

// A copy of the mizumori binary at <root>/backend/mizumori, as in a build tree (a hard link when it can be).
std::string BinaryIn(const fs::path& root) {
  const fs::path bin = root / "backend" / "mizumori";
  fs::create_directories(bin.parent_path());
  std::error_code ec;
  fs::create_hard_link(MIZU_BINARY, bin, ec);
  if (ec) fs::copy_file(MIZU_BINARY, bin, fs::copy_options::overwrite_existing);
  return bin.string();
}

int CountEml(const fs::path& dir) {
  int n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) n += e.path().extension() == ".eml" ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("serve without --web serves the build's dist next to the binary, or says / has no app", "[cli]") {
  const TempDir dir("mizu-serve-web");
  {
    const std::string bare = BinaryIn(dir / "bare");  // an installed binary: no build tree around it
    ServeProcess server(bare, {"--listen", "127.0.0.1:0", "--data", (dir / "data").string()}, {}, 2);
    INFO(server.Line(1));
    CHECK(Contains(server.Line(1), "no web app"));
    CHECK(Contains(server.Line(1), "--web DIR"));
    auto root = server.Client().Get("/");
    REQUIRE(root);
    CHECK(root->status == 404);
  }
  const std::string built = BinaryIn(dir / "build");
  const fs::path dist = dir / "build" / "wasm" / "web" / "dist";
  fs::create_directories(dist);
  std::ofstream(dist / "index.html") << "<!doctype html><title>the build's dist</title>\n";
  {
    ServeProcess server(built, {"--listen", "127.0.0.1:0", "--data", (dir / "data").string()}, {}, 2);
    CHECK(server.Line(1) == "mizumori: web app from " + dist.string());
    auto root = server.Client().Get("/");
    REQUIRE(root);
    CHECK(root->status == 200);
    CHECK(Contains(root->body, "the build's dist"));
  }
  {  // a web folder given wins over the one found
    const fs::path other = dir / "other";
    fs::create_directories(other);
    std::ofstream(other / "index.html") << "<!doctype html><title>another</title>\n";
    ServeProcess server(built, {"--listen", "127.0.0.1:0", "--data", (dir / "data").string()},
                        {"MIZU_WEB_DIR=" + other.string()}, 2);
    CHECK(server.Line(1) == "mizumori: web app from " + other.string());
    auto root = server.Client().Get("/");
    REQUIRE(root);
    CHECK(Contains(root->body, "another"));
  }
}

TEST_CASE(
    "the demo reads like a healthy utility: parent's contract named, links to the port served, not late",
    "[cli][watch]") {
  const TempDir dir("mizu-demo-healthy");
  const fs::path data = dir / "data";
  auto demo = RunMizumoriCli("demo-data --data " + data.string());
  REQUIRE(demo.code == 0);
  INFO(demo.out);
  // The family login's own contract is 0-0000008004; the parent's it also holds is 0-0000008008.
  CHECK(Contains(demo.out, "family@mizumori.example"));
  CHECK(Contains(demo.out, "お客様番号 0-0000008004; also holds the parent's contract 0-0000008008)"));
  CHECK(CountEml(data / "mail") == 0);  // the watch set-up mails went out "a day ago", with the set-up

  {  // Served on a port that is not 8080: the first start catches the past day's reports up.
    ServeProcess server(MIZU_BINARY, {"--listen", "127.0.0.1:0", "--data", data.string()}, {}, 1);
    REQUIRE(server.Port() > 0);
    // Caught up (GET /metrics, loopback): the scheduler's pass has ended (it counts its reports when the
    // whole pass returns), nothing waits in the outbox, and the reports are in the mail folder.
    auto caught_up = [&] {
      auto metrics = server.Client().Get("/metrics");
      return metrics && Contains(metrics->body, "\nmizu_outbox_waiting_messages 0\n") &&
             !Contains(metrics->body, "\nmizu_watch_reports_total 0\n");
    };
    WaitUntil([&] { return CountEml(data / "mail") >= 3 && caught_up(); }, kWaitLimit,
              std::chrono::milliseconds(100));
    REQUIRE(caught_up());
    REQUIRE(server.Stop());
    const std::string base =
        "http://127.0.0.1:" + std::to_string(server.Port()) + "/api/v1/watch/stop?token=";
    json mails = Inspect(data / "mail");
    int reports = 0;
    for (const auto& mail : mails) {
      const std::string body = mail["body"];
      INFO(mail["subject"].get<std::string>() << "\n" << body);
      CHECK(Contains(body, "/api/v1/watch/stop?token="));
      CHECK(Contains(body, base));
      CHECK_FALSE(Contains(body, "遅れて"));
      reports += Contains(mail["subject"], "見守り：") ? 1 : 0;
    }
    CHECK(reports >= 3);  // two recipients on the demo resident's contract, one on the parent's
  }
}
