// The mizumori command line, run as a real process.
#include <sys/wait.h>

#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "temp_dir.hpp"

namespace {

struct Run {
  int code;
  std::string out;
};

// `mizumori ARGS`: exit code and stdout (with stderr after it when `both`).
Run Mizumori(const std::string& args, bool both = false) {
  std::string cmd = std::string(MIZU_BINARY) + " " + args + (both ? " 2>&1" : " 2>/dev/null");
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace

// That year's lines of the holiday_jp oracle (`YYYY-MM-DD: name`, sorted by date) as the calendar prints
// them (`YYYY-MM-DD name`).
std::string OracleYear(int year) {
  std::ifstream in(MIZU_TESTDATA_DIR "/holidays_jp.yml");
  REQUIRE(in);
  std::map<std::string, std::string> days;
  std::string line, prefix = std::to_string(year) + "-";
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind(prefix, 0) == 0 && line.size() > 12 && line.compare(10, 2, ": ") == 0)
      days[line.substr(0, 10)] = line.substr(12);
  }
  std::string out;
  for (const auto& [date, name] : days) out += date + " " + name + "\n";
  return out;
}

TEST_CASE("mizumori calendar prints one holiday a line, as the holiday_jp oracle lists them", "[cli]") {
  for (int year : {2019, 2020, 2021, 2026}) {  // the era change, the two Olympic years, this year
    INFO(year);
    auto r = Mizumori("calendar " + std::to_string(year));
    CHECK(r.code == 0);
    std::string expected = OracleYear(year);
    REQUIRE(expected.size() > 100);
    CHECK(r.out == expected);
  }
  CHECK(Mizumori("calendar 2019").out.find("2019-05-01 休日（祝日扱い）\n") != std::string::npos);
}

TEST_CASE("mizumori refuses bad usage with exit code 2", "[cli]") {
  CHECK(Mizumori("").code == 2);
  CHECK(Mizumori("calendar").code == 2);
  CHECK(Mizumori("calendar 1800").code == 2);
  CHECK(Mizumori("calendar twenty").code == 2);
  CHECK(Mizumori("frobnicate").code == 2);
  CHECK(Mizumori("simulate --diameter 13").code == 2);
}

TEST_CASE("mizumori simulate prints the bill breakdown as JSON", "[cli]") {
  auto r = Mizumori("simulate --diameter 20 --volume 40");
  REQUIRE(r.code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["diameter_mm"] == 20);
  CHECK(j["volume_m3"] == 40);
  // By hand from assets/tariffs/default.json (docs/tariff.md): 40 m³ split 20 + 20; each month water
  // 1210 + 5×0 + 5×30 + 10×150 = 2860 → ×1.1 = 3146, sewer 600 + 10×0 + 10×120 = 1800 → 1980.
  CHECK(j["water_yen"] == 2 * 2860);
  CHECK(j["sewer_yen"] == 2 * 1800);
  CHECK(j["total_yen"] == 2 * (3146 + 1980));                       // 10,252
  CHECK(j["tax_yen"] == 10252 - 5720 - 3600);                       // 932
  CHECK(Mizumori("simulate --diameter 17 --volume 40").code == 1);  // no such diameter in the tariff
}

namespace {

const std::vector<std::string> kCommands = {"serve",   "demo-data", "import",   "export",
                                            "token",   "staff",     "kiosk",    "evaluate",
                                            "migrate", "db",        "calendar", "simulate"};

// The long options a command's --help lists (its option lines), without --help itself.
std::set<std::string> HelpOptions(const std::string& help) {
  std::set<std::string> out;
  std::istringstream lines(help);
  std::string line;
  const std::regex option_line(R"(^\s+(?:-[a-zA-Z],)?(--[a-z][a-z-]*))");
  std::smatch m;
  while (std::getline(lines, line))
    if (std::regex_search(line, m, option_line) && m[1] != "--help") out.insert(m[1]);
  return out;
}

// docs/operations.md: every "mizumori COMMAND …" line of its code blocks, the long options it names, by
// command.
std::map<std::string, std::set<std::string>> DocumentedOptions() {
  std::ifstream in(MIZU_DOCS_DIR "/operations.md");
  REQUIRE(in);
  std::map<std::string, std::set<std::string>> out;
  std::string line;
  bool in_block = false;
  const std::regex command_line(R"(^mizumori\s+([a-z][a-z-]*)(.*)$)"), option(R"(--[a-z][a-z-]*)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (line.rfind("```", 0) == 0) in_block = !in_block;
    if (!in_block || !std::regex_match(line, m, command_line)) continue;
    auto& options = out[m[1]];
    const std::string rest = m[2];
    for (std::sregex_iterator it(rest.begin(), rest.end(), option), end; it != end; ++it)
      options.insert(it->str());
  }
  return out;
}

}  // namespace

TEST_CASE("mizumori COMMAND --help lists the options docs/operations.md documents, and only those", "[cli]") {
  const auto documented = DocumentedOptions();
  std::set<std::string> commands;
  for (const auto& [command, options] : documented) commands.insert(command);
  CHECK(commands == std::set<std::string>(kCommands.begin(), kCommands.end()));
  for (const auto& command : kCommands) {
    INFO(command);
    auto r = Mizumori(command + " --help");
    CHECK(r.code == 0);
    CHECK(r.out.find("mizumori " + command) != std::string::npos);  // the usage line names the command
    const auto listed = HelpOptions(r.out);
    auto it = documented.find(command);
    CHECK((it == documented.end() ? std::set<std::string>{} : it->second) == listed);
  }
  // Each option line carries a description after its name and value.
  auto import = Mizumori("import --help");
  CHECK(std::regex_search(import.out, std::regex(R"(--encoding utf-8\|cp932 +\S)")));
  CHECK(std::regex_search(import.out, std::regex(R"(--data DIR +\S)")));
}

TEST_CASE("mizumori --help, help and --version answer on stdout with exit code 0", "[cli]") {
  for (const std::string args : {"--help", "help", "-h"}) {
    INFO(args);
    auto r = Mizumori(args);
    CHECK(r.code == 0);
    for (const auto& command : kCommands) CHECK(r.out.find(command) != std::string::npos);
  }
  auto version = Mizumori("--version");
  CHECK(version.code == 0);
  CHECK(version.out == "mizumori " MIZU_VERSION "\n");
}

TEST_CASE("mizumori refuses an unknown option or a missing value with exit code 2 and says which", "[cli]") {
  auto bogus = Mizumori("serve --bogus", true);
  CHECK(bogus.code == 2);
  CHECK(bogus.out.find("--bogus") != std::string::npos);
  CHECK(bogus.out.find("needs a value") == std::string::npos);
  CHECK(bogus.out.find("--listen") != std::string::npos);  // the command's help follows the message
  auto missing = Mizumori("serve --listen", true);
  CHECK(missing.code == 2);
  CHECK(missing.out.find("--listen") != std::string::npos);
  CHECK(Mizumori("import bills", true).code == 2);                      // FILE missing
  CHECK(Mizumori("import invoices x.csv", true).code == 2);             // not a kind
  CHECK(Mizumori("export paper-notices --encoding latin1").code == 2);  // not an encoding
  CHECK(Mizumori("token create --scope admin").code == 2);
  CHECK(Mizumori("evaluate").code == 2);
  CHECK(Mizumori("evaluate --at yesterday").code == 2);
  CHECK(Mizumori("calendar 2026 2027").code == 2);
  CHECK(Mizumori("simulate --diameter 20 --volume 40 --tarif x.json").code == 2);
}

TEST_CASE("mizumori staff create prints a one-time enrolment link that the server then shows", "[cli]") {
  const mizu::testing::TempDir temp("mizu-cli-staff");
  const std::string dir = (temp / "data").string();  // made by the command
  auto r = Mizumori("staff create --email clerk@example.jp --role counter --data " + dir);
  CHECK(r.code == 0);
  std::smatch m;
  REQUIRE(std::regex_search(
      r.out, m, std::regex(R"(http://127\.0\.0\.1:8080/#/staff/enrol\?token=([A-Za-z0-9_-]{43}))")));
  CHECK(r.out.find("clerk@example.jp (counter)") != std::string::npos);
  // The same address again: refused (exit code 1, the message on stderr).
  auto again = Mizumori("staff create --email CLERK@example.jp --role admin --data " + dir, true);
  CHECK(again.code == 1);
  CHECK(again.out.find("staff_exists") != std::string::npos);
  CHECK(Mizumori("staff create --email x@example.jp --role root --data " + dir).code == 2);
}

TEST_CASE("mizumori kiosk enrol prints the start URL once, list shows the terminal, revoke ends it",
          "[cli]") {
  const mizu::testing::TempDir temp("mizu-cli-kiosk");
  const std::string dir = (temp / "data").string();  // made by the command
  auto r = Mizumori("kiosk enrol --name \"本庁 1番窓口\" --data " + dir);
  CHECK(r.code == 0);
  std::smatch m;
  REQUIRE(
      std::regex_search(r.out, m, std::regex(R"(http://127\.0\.0\.1:8080/#/\?kiosk=([A-Za-z0-9_-]{43}))")));
  const std::string token = m[1];
  auto list = Mizumori("kiosk list --data " + dir);
  CHECK(list.code == 0);
  CHECK(list.out == "1\t本庁 1番窓口\tactive\n");
  CHECK(list.out.find(token) == std::string::npos);              // never shown again
  CHECK(Mizumori("kiosk enrol --data " + dir, true).code == 1);  // no name: refused
  CHECK(Mizumori("kiosk revoke --id 1 --reason \"端末の入れ替え\" --data " + dir).code == 0);
  CHECK(Mizumori("kiosk list --data " + dir).out.find("\trevoked ") != std::string::npos);
  CHECK(Mizumori("kiosk revoke --id 1 --reason again --data " + dir, true).code == 1);
  CHECK(Mizumori("kiosk unplug --data " + dir).code == 2);
}
