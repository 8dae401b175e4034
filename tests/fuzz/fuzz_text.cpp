// Fuzz target: the text normalisers and validators every form field and CSV value goes through (shared/text).
// Input: any bytes (not necessarily UTF-8). Nothing here may throw; besides the sanitizers, a few properties
// are checked: the UTF-8 decoder always advances within the string, normalisers are idempotent, and what a
// normaliser accepts as digits is digits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "mizu/text.hpp"

using namespace mizu;

namespace {

bool AllDigits(std::string_view s) {
  return s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);

  size_t code_points = 0;
  for (size_t pos = 0; pos < s.size(); ++code_points) {
    Utf8Char c = DecodeUtf8At(s, pos);
    if (c.len < 1 || c.len > 4 || pos + c.len > s.size()) abort();
    if (c.ok && (c.cp > 0x10FFFF || (c.cp >= 0xD800 && c.cp <= 0xDFFF))) abort();
    pos += c.len;
  }
  if (code_points != Utf8Length(s)) abort();

  std::string text = NormalizeText(s);
  if (NormalizeText(text) != text) abort();
  std::string kana = NormalizeKanaName(s);
  if (NormalizeKanaName(kana) != kana) abort();
  (void)ValidateKanaName(kana);
  (void)NormalizeWidth(s);
  (void)CollapseSpaces(s);
  (void)HiraganaToKatakana(s);

  CustomerNumberFormat fmt;
  if (auto cn = NormalizeCustomerNumber(s)) {
    if (!AllDigits(*cn)) abort();
    if (!ValidateCustomerNumber(*cn, fmt)) (void)FormatCustomerNumber(*cn, fmt);
  }
  CustomerNumberFormat odd{7, {3, 4}};
  (void)FormatCustomerNumber(s, odd);
  if (auto phone = NormalizePhone(s)) {
    if (!AllDigits(*phone)) abort();
    (void)ValidatePhone(*phone);
    (void)IsMobilePhone(*phone);
  }
  if (auto mobile = NormalizeMobile(s)) {
    if (!ValidateMobile(*mobile) && !IsMobilePhone(*mobile)) abort();
  }
  std::string email = NormalizeEmail(s);
  if (!ValidateEmail(email) && email.size() > 254) abort();
  (void)ValidatePassword(s);
  return 0;
}
