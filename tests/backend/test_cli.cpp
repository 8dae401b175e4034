// The mizumori command line, run as a real process.
#include <sys/wait.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "mizu/time.hpp"

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

TEST_CASE("mizumori calendar prints one holiday a line", "[cli]") {
  auto r = Mizumori("calendar 2019");
  CHECK(r.code == 0);
  std::string expected;
  for (const auto& h : mizu::HolidaysInYear(2019)) expected += mizu::FormatDate(h.date) + " " + h.name + "\n";
  CHECK(r.out == expected);
  CHECK(r.out.find("2019-05-01 休日（祝日扱い）\n") != std::string::npos);
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
  CHECK(j["total_yen"].get<int64_t>() ==
        j["water_yen"].get<int64_t>() + j["sewer_yen"].get<int64_t>() + j["tax_yen"].get<int64_t>());
  CHECK(j["total_yen"].get<int64_t>() > 0);
  CHECK(Mizumori("simulate --diameter 17 --volume 40").code == 1);  // no such diameter in the tariff
}
