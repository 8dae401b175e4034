// The mizumori command line, run as a real process.
#include <sys/wait.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>


namespace {

struct Run {
  int code;
  std::string out;
};

Run Mizumori(const std::string& args) {
  std::string cmd = std::string(MIZU_BINARY) + " " + args + " 2>/dev/null";
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
  CHECK(j["total_yen"] == 2 * (3146 + 1980));  // 10,252
  CHECK(j["tax_yen"] == 10252 - 5720 - 3600);  // 932
  CHECK(Mizumori("simulate --diameter 17 --volume 40").code == 1);  // no such diameter in the tariff
}
