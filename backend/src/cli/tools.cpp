// `mizumori calendar` and `mizumori simulate`: the shared library's rules on the command line, no data
// folder.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "mizu/backend/app.hpp"
#include "mizu/billing.hpp"
#include "mizu/i18n.hpp"
#include "mizu/time.hpp"

namespace mizu::backend::cli {
namespace {

int ParseInt(const std::string& text, const char* what) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
    throw UsageError(std::string(what) + " must be a whole number, got \"" + text + "\"");
  return std::stoi(text);
}

}  // namespace

int Calendar(const std::string& year_text) {
  int year = ParseInt(year_text, "YEAR");
  if (year < kFirstHolidayYear || year > kLastHolidayYear)
    throw UsageError("YEAR must be " + std::to_string(kFirstHolidayYear) + ".." +
                     std::to_string(kLastHolidayYear));
  for (const auto& h : HolidaysInYear(year))
    std::printf("%s %s\n", FormatDate(h.date).c_str(), h.name.c_str());
  return 0;
}

int Simulate(const SimulateOptions& o) {
  std::string file = o.tariff.empty() ? AssetsDir() + "/tariffs/default.json" : o.tariff;
  Tariff tariff = LoadTariffFile(file);
  auto result =
      ComputeBimonthlyBill(tariff, ParseInt(o.diameter, "--diameter"), ParseInt(o.volume, "--volume"));
  if (!result.ok()) {
    std::fprintf(stderr, "mizumori simulate: %s (%s)\n",
                 std::string(ErrorMessage(Lang::kEn, result.error->code)).c_str(),
                 result.error->field.c_str());
    return 1;
  }
  nlohmann::json j = result.bill;
  std::cout << j.dump(2) << "\n";
  return 0;
}

}  // namespace mizu::backend::cli
