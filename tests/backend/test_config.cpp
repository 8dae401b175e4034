// Config: JSON file keys, validation errors that name the key, --listen parsing.
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <regex>
#include <thread>
#include <vector>

#include "mizu/backend/config.hpp"
#include "server_fixture.hpp"

using mizu::backend::Config;

namespace {
std::string WriteConfig(const std::string& text) {
  auto dir = mizu::testing::FreshDir("mizu-config");
  auto path = (dir / "config.json").string();
  std::ofstream(path) << text;
  return path;
}

// Runs the real `mizumori serve ARGS` with the environment minus every MIZU_* variable plus `env`, returns the
// line it prints once listening ("mizumori: serving on http://HOST:PORT/ (data DIR)"), then stops it once it
// answers /healthz (a SIGTERM between that line and its accept loop is lost: see the report in the commit).
std::string ServeBanner(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  std::vector<std::string> env_strings(env);
  for (char** e = environ; *e; ++e)
    if (std::strncmp(*e, "MIZU_", 5) != 0) env_strings.emplace_back(*e);
  std::vector<std::string> argv_strings = {MIZU_BINARY, "serve"};
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
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data()) == 0);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  std::string line;
  char c = 0;
  pollfd pfd{out[0], POLLIN, 0};
  while (line.find('\n') == std::string::npos && ::poll(&pfd, 1, 20000) == 1 && ::read(out[0], &c, 1) == 1)
    line += c;  // one byte at a time: the first line only
  ::close(out[0]);
  std::smatch m;
  if (std::regex_search(line, m, std::regex(R"(http://([0-9.]+):([0-9]+)/)"))) {
    httplib::Client client(m[1].str(), std::stoi(m[2].str()));
    client.set_connection_timeout(5);
    for (int i = 0; i < 500 && !client.Get("/healthz"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid, SIGTERM);
  int status = 0;
  for (int i = 0; i < 1000 && ::waitpid(pid, &status, WNOHANG) == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (::waitpid(pid, &status, WNOHANG) == 0) {  // still running after 10 s: never hang the suite
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    FAIL("mizumori serve did not stop on SIGTERM");
  }
  return line;
}
}  // namespace

TEST_CASE("config file overrides the defaults", "[config]") {
  Config c;
  CHECK(c.listen_host == "127.0.0.1");
  CHECK(c.listen_port == 8080);
  CHECK(c.data_dir == "var");
  CHECK_FALSE(c.test_mode);
  mizu::backend::ApplyConfigFile(c, WriteConfig(R"({
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
}

TEST_CASE("bad config is refused with the key named", "[config]") {
  Config c;
  CHECK_THROWS_WITH(mizu::backend::ApplyConfigFile(c, WriteConfig("{nope")), Catch::Contains("not valid JSON"));
  CHECK_THROWS_WITH(mizu::backend::ApplyConfigFile(c, WriteConfig(R"({"watch":{"window_hours":30}})")),
                    Catch::Contains("window_hours"));
  CHECK_THROWS_WITH(mizu::backend::ApplyConfigFile(c, WriteConfig(R"({"mail":{"transport":"pigeon"}})")),
                    Catch::Contains("transport"));
  CHECK_THROWS_WITH(mizu::backend::ApplyConfigFile(c, WriteConfig(R"({"test_mode":"yes"})")),
                    Catch::Contains("test_mode"));
  CHECK_THROWS_WITH(
      mizu::backend::ApplyConfigFile(c, WriteConfig(R"({"utility":{"customer_number_groups":[1,2]}})")),
      Catch::Contains("customer_number_groups"));
  CHECK_THROWS(mizu::backend::ApplyConfigFile(c, "/nonexistent/config.json"));
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
  Config c;
  CHECK(c.sms.transport == "file");
  mizu::backend::ApplyConfigFile(c, WriteConfig(R"({"sms": {"transport": "webhook",
    "webhook_url": "https://sms.example/send", "webhook_token": "t0k"}})"));
  CHECK(c.sms.transport == "webhook");
  CHECK(c.sms.webhook_url == "https://sms.example/send");
  CHECK(c.sms.webhook_token == "t0k");
  Config d;
  CHECK_THROWS_WITH(mizu::backend::ApplyConfigFile(d, WriteConfig(R"({"sms":{"transport":"pigeon"}})")),
                    Catch::Contains("sms.transport"));
  CHECK_THROWS_WITH(mizu::backend::ApplyConfigFile(d, WriteConfig(R"({"sms":{"transport":"webhook"}})")),
                    Catch::Contains("webhook_url"));
}

TEST_CASE("config precedence through `mizumori serve`: file, then environment, then flags", "[config]") {
  auto dir = mizu::testing::FreshDir("mizu-precedence");
  const std::string file_data = (dir / "from-file").string(), env_data = (dir / "from-env").string(),
                    flag_data = (dir / "from-flag").string();
  // Three loopback addresses, each on an ephemeral port: which one is served on names the source that won.
  const std::string config = WriteConfig(R"({"listen": "127.0.0.2:0", "data_dir": ")" + file_data + R"("})");
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
