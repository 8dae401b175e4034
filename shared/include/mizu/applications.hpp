#pragma once
// 使用開始・使用中止の申し込み (M16): the rule for the desired date, shared by the server's check
// (backend CheckDesiredDate) and the web app's calendar (the days it lets a person choose); the reference as
// people type it.
#include <string>
#include <string_view>

#include "mizu/text.hpp"
#include "mizu/time.hpp"

namespace mizu {

// The desired date must be a business day (IsBusinessDay: not a Saturday, Sunday or national holiday) from
// tomorrow (JST) to this many days ahead.
inline constexpr int kApplicationWindowDays = 30;

// The first and last days a desired date may be, seen from `today` (JST).
struct DateWindow {
  CivilDate first, last;
};
inline DateWindow DesiredDateWindow(CivilDate today) {
  return {AddDays(today, 1), AddDays(today, kApplicationWindowDays)};
}

// A reference (受付番号, MI-20261120-000001) as the applicant or the clerk types it — any width, any case,
// spaces around — in the stored form: NormalizeText, a–z upper-cased.
inline std::string NormalizeApplicationReference(std::string_view input) {
  std::string r = NormalizeText(input);
  for (char& c : r)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return r;
}

}  // namespace mizu
