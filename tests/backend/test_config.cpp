// Config: JSON file keys, validation errors that name the key, --listen parsing.
#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <regex>
#include <thread>
#include <vector>

#include "mizu/backend/config.hpp"
#include "serve_process.hpp"

using mizu::backend::Config;
using mizu::testing::TempDir;

namespace {
// Writes `text` as <dir>/config.json (over the last one) and returns its path. The test owns `dir`, so the
// file lives as long as the test reads it and goes with the test.
std::string WriteConfig(const TempDir& dir, const std::string& text) {
  auto path = (dir / "config.json").string();
  std::ofstream(path) << text;
  return path;
}

// Runs the real `mizumori serve ARGS` with the environment minus every MIZU_* variable plus `env`, returns
// the line it prints once listening ("mizumori: serving on http://HOST:PORT/ (data DIR)"), then stops it once
// it answers /healthz (a SIGTERM between that line and its accept loop is lost: see the report in the
// commit).
std::string ServeBanner(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  mizu::testing::ServeProcess server(MIZU_BINARY, args, env);
  if (!server.Stop()) FAIL("mizumori serve did not stop on SIGTERM");
  return server.Line(0) + "\n";
}
}  // namespace

TEST_CASE("config file overrides the defaults", "[config]") {
  const TempDir dir("mizu-config");
  Config c;
  CHECK(c.listen_host == "127.0.0.1");
  CHECK(c.listen_port == 8080);
  CHECK(c.data_dir == "var");
  CHECK_FALSE(c.test_mode);
  mizu::backend::ApplyConfigFile(c, WriteConfig(dir, R"({
    "listen": "127.0.0.1:9090", "data_dir": "/tmp/x", "test_mode": true, "public_url": "https://portal.example/",
    "mail": {"transport": "smtp", "smtp_url": "smtp://127.0.0.1:2525"},
    "watch": {"window_hours": 2, "report_delay_minutes": 45},
    "utility": {"name": "テスト市", "customer_number_digits": 10, "customer_number_groups": [3, 7]}})"));
  CHECK(c.listen_port == 9090);
  CHECK(c.public_url == "https://portal.example/");
  CHECK(c.data_dir == "/tmp/x");
  CHECK(c.test_mode);
  CHECK(c.mail.transport == "smtp");
  CHECK(c.watch.window_hours == 2);
  CHECK(c.watch.report_delay_minutes == 45);
  CHECK(c.utility.customer_number.digits == 10);
  CHECK(c.http.long_reads_per_account == 2);  // the default
  mizu::backend::ApplyConfigFile(c, WriteConfig(dir, R"({"http": {"long_reads_per_account": 64}})"));
  CHECK(c.http.long_reads_per_account == 64);
}

TEST_CASE("bad config is refused with the key named", "[config]") {
  const TempDir dir("mizu-config");
  Config c;
  CHECK_THROWS_WITH(mizu::backend::ApplyConfigFile(c, WriteConfig(dir, "{nope")),
                    Catch::Contains("not valid JSON"));
  CHECK_THROWS_WITH(mizu::backend::ApplyConfigFile(c, WriteConfig(dir, R"({"watch":{"window_hours":30}})")),
                    Catch::Contains("window_hours"));
  CHECK_THROWS_WITH(mizu::backend::ApplyConfigFile(c, WriteConfig(dir, R"({"mail":{"transport":"pigeon"}})")),
                    Catch::Contains("transport"));
  CHECK_THROWS_WITH(mizu::backend::ApplyConfigFile(c, WriteConfig(dir, R"({"test_mode":"yes"})")),
                    Catch::Contains("test_mode"));
  CHECK_THROWS_WITH(
      mizu::backend::ApplyConfigFile(c, WriteConfig(dir, R"({"utility":{"customer_number_groups":[1,2]}})")),
      Catch::Contains("customer_number_groups"));
  CHECK_THROWS(mizu::backend::ApplyConfigFile(c, "/nonexistent/config.json"));
  CHECK_THROWS_WITH(
      mizu::backend::ApplyConfigFile(c, WriteConfig(dir, R"({"http":{"long_reads_per_account":0}})")),
      Catch::Contains("long_reads_per_account"));
  // Numbers that are not ints are refused, not truncated or wrapped (the fuzz finding's kind, JsonIs).
  for (const char* threads : {"1e30", "2.5", "4294967304", "-1e300", "18446744073709551615"}) {
    INFO(threads);
    CHECK_THROWS_WITH(mizu::backend::ApplyConfigFile(
                          c, WriteConfig(dir, std::string(R"({"http":{"threads":)") + threads + "}}")),
                      Catch::Contains("threads"));
  }
}

TEST_CASE("kiosk config: the defaults, a utility's own timings, values outside the ranges refused",
          "[config][kiosk]") {
  const TempDir dir("mizu-config");
  Config c;
  CHECK(c.kiosk.idle_seconds == 120);  // the issue's default
  CHECK(c.kiosk.warn_seconds == 20);
  CHECK(c.kiosk.session_limit_seconds == 1800);
  mizu::backend::ApplyConfigFile(
      c,
      WriteConfig(dir, R"({"kiosk":{"idle_seconds":300,"warn_seconds":30,"session_limit_seconds":3600}})"));
  CHECK(c.kiosk.idle_seconds == 300);
  CHECK(c.kiosk.warn_seconds == 30);
  CHECK(c.kiosk.session_limit_seconds == 3600);
  for (const char* bad :
       {R"({"kiosk":{"idle_seconds":29}})", R"({"kiosk":{"idle_seconds":901}})",
        R"({"kiosk":{"idle_seconds":60,"warn_seconds":31}})", R"({"kiosk":{"warn_seconds":4}})",
        R"({"kiosk":{"session_limit_seconds":299}})", R"({"kiosk":{"idle_seconds":"2m"}})"}) {
    INFO(bad);
    Config fresh;
    CHECK_THROWS_WITH(mizu::backend::ApplyConfigFile(fresh, WriteConfig(dir, bad)), Catch::Contains("kiosk"));
  }
}

TEST_CASE("listen flag parses HOST:PORT", "[config]") {
  Config c;
  mizu::backend::ApplyListen(c, "0.0.0.0:1234");
  CHECK(c.listen_host == "0.0.0.0");
  CHECK(c.listen_port == 1234);
  CHECK_THROWS(mizu::backend::ApplyListen(c, "1234"));
  CHECK_THROWS(mizu::backend::ApplyListen(c, "host:"));
  CHECK_THROWS(mizu::backend::ApplyListen(c, "host:99999"));
  CHECK_THROWS(mizu::backend::ApplyListen(c, "host:12a"));
}

TEST_CASE("sms config: file by default, webhook with URL and token, bad values refused", "[config][sms]") {
  const TempDir dir("mizu-config");
  Config c;
  CHECK(c.sms.transport == "file");
  mizu::backend::ApplyConfigFile(c, WriteConfig(dir, R"({"sms": {"transport": "webhook",
    "webhook_url": "https://sms.example/send", "webhook_token": "t0k"}})"));
  CHECK(c.sms.transport == "webhook");
  CHECK(c.sms.webhook_url == "https://sms.example/send");
  CHECK(c.sms.webhook_token == "t0k");
  Config d;
  CHECK_THROWS_WITH(mizu::backend::ApplyConfigFile(d, WriteConfig(dir, R"({"sms":{"transport":"pigeon"}})")),
                    Catch::Contains("sms.transport"));
  CHECK_THROWS_WITH(mizu::backend::ApplyConfigFile(d, WriteConfig(dir, R"({"sms":{"transport":"webhook"}})")),
                    Catch::Contains("webhook_url"));
}

TEST_CASE("config precedence through `mizumori serve`: file, then environment, then flags", "[config]") {
  const TempDir dir("mizu-precedence");  // the data folders and the config file
  const std::string file_data = (dir / "from-file").string(), env_data = (dir / "from-env").string(),
                    flag_data = (dir / "from-flag").string();
  // Three loopback addresses, each on an ephemeral port: which one is served on names the source that won.
  const std::string config =
      WriteConfig(dir, R"({"listen": "127.0.0.2:0", "data_dir": ")" + file_data + R"("})");
  const std::vector<std::string> env = {"MIZU_LISTEN=127.0.0.3:0", "MIZU_DATA_DIR=" + env_data};

  std::string line = ServeBanner({"--config", config}, {});
  INFO(line);
  CHECK(line.find("serving on http://127.0.0.2:") != std::string::npos);
  CHECK(line.find("(data " + file_data + ")") != std::string::npos);

  line = ServeBanner({"--config", config}, env);
  INFO(line);
  CHECK(line.find("serving on http://127.0.0.3:") != std::string::npos);
  CHECK(line.find("(data " + env_data + ")") != std::string::npos);

  line = ServeBanner({"--config", config, "--listen", "127.0.0.1:0", "--data", flag_data}, env);
  INFO(line);
  CHECK(line.find("serving on http://127.0.0.1:") != std::string::npos);
  CHECK(line.find("(data " + flag_data + ")") != std::string::npos);
  CHECK(std::filesystem::exists(std::filesystem::path(flag_data) / "mizumori.db"));
}
