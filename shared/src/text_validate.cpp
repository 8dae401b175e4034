// Validation half of mizu/text.hpp: customer number, Japanese phone numbers, e-mail, kana name, password.
// Inputs are expected to be normalised already (see text_normalize.cpp); nothing here rewrites text except
// the display formatter. Not done: quoted local parts, IP-literal domains and internationalised (non-ASCII)
// addresses.
#include "mizu/text.hpp"

namespace mizu {
namespace {

constexpr size_t kMaxEmailLength = 254;
constexpr size_t kMaxEmailLocalLength = 64;
constexpr size_t kMaxDomainLabelLength = 63;
constexpr size_t kMaxKanaNameLength = 60;
constexpr size_t kMinPasswordLength = 8;
constexpr size_t kMaxPasswordLength = 128;

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool AllDigits(std::string_view s) {
  for (const char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// RFC 5322 atext: letters, digits and !#$%&'*+-/=?^_`{|}~.
bool IsAtext(char c) {
  if (IsAlpha(c) || IsDigit(c)) return true;
  for (const char allowed : std::string_view("!#$%&'*+-/=?^_`{|}~")) {
    if (c == allowed) return true;
  }
  return false;
}

// dot-atom: atext runs separated by single dots, no dot at either end.
bool IsDotAtom(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') {
      if (s[i - 1] == '.') return false;
    } else if (!IsAtext(s[i])) {
      return false;
    }
  }
  return true;
}

// One DNS label: 1–63 letters, digits and hyphens, not starting or ending with a hyphen.
bool IsLdhLabel(std::string_view label) {
  if (label.empty() || label.size() > kMaxDomainLabelLength) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (const char c : label) {
    if (!IsAlpha(c) && !IsDigit(c) && c != '-') return false;
  }
  return true;
}

// At least two LDH labels; the last (TLD) is not all digits, which would be an IP address instead.
bool IsDomain(std::string_view domain) {
  size_t labels = 0;
  std::string_view last;
  size_t start = 0;
  while (true) {
    const size_t dot = domain.find('.', start);
    last = domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!IsLdhLabel(last)) return false;
    ++labels;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return labels >= 2 && !AllDigits(last);
}

// Characters allowed in a kana name besides the single inner space: ァ…ヺ, ・, ー, ヽ, ヾ.
bool IsKanaNameChar(char32_t c) {
  return (c >= U'ァ' && c <= U'ヺ') || (c >= U'・' && c <= U'ヾ');
}

}  // namespace

std::optional<ErrorCode> ValidateCustomerNumber(std::string_view digits, const CustomerNumberFormat& fmt) {
  if (fmt.digits <= 0 || digits.size() != static_cast<size_t>(fmt.digits) || !AllDigits(digits)) {
    return err::kCustomerNumberInvalid;
  }
  return std::nullopt;
}

std::string FormatCustomerNumber(std::string_view digits, const CustomerNumberFormat& fmt) {
  int total = 0;
  for (const int g : fmt.groups) {
    if (g <= 0) return std::string(digits);
    total += g;
  }
  if (fmt.groups.empty() || total != fmt.digits || digits.size() != static_cast<size_t>(fmt.digits)) {
    return std::string(digits);
  }
  std::string out;
  size_t pos = 0;
  for (const int g : fmt.groups) {
    if (!out.empty()) out += '-';
    out.append(digits.substr(pos, static_cast<size_t>(g)));
    pos += static_cast<size_t>(g);
  }
  return out;
}

// Accepts only the numbering-plan shapes listed in text.hpp. A landline's third digit is non-zero too: no
// area code starts 0X0 (010 is the international prefix, 020/050/060/070/080/090 are 11-digit services).
std::optional<ErrorCode> ValidatePhone(std::string_view digits) {
  if (digits.size() < 10 || !AllDigits(digits) || digits[0] != '0') return err::kPhoneInvalid;
  size_t want = 0;
  if (StartsWith(digits, "0120") || StartsWith(digits, "0570")) {
    want = 10;  // free dial, navi dial
  } else if (StartsWith(digits, "0800")) {
    want = 11;  // free dial
  } else if (digits[2] == '0' && (digits[1] == '2' || digits[1] == '5' || digits[1] == '6' ||
                                  digits[1] == '7' || digits[1] == '8' || digits[1] == '9')) {
    want = 11;  // 020 M2M, 050 IP, 060 FMC, 070/080/090 mobile
  } else if (digits[1] != '0' && digits[2] != '0') {
    want = 10;  // landline: 0 + area code + subscriber number
  } else {
    return err::kPhoneInvalid;
  }
  if (digits.size() != want) return err::kPhoneInvalid;
  return std::nullopt;
}

// True for a valid 070/080/090 mobile number (SMS-capable); 0800 free dial is not mobile.
bool IsMobilePhone(std::string_view digits) {
  if (ValidatePhone(digits).has_value() || StartsWith(digits, "0800")) return false;
  return StartsWith(digits, "070") || StartsWith(digits, "080") || StartsWith(digits, "090");
}

std::optional<ErrorCode> ValidateMobile(std::string_view digits) {
  if (!IsMobilePhone(digits)) return err::kMobileInvalid;
  return std::nullopt;
}

std::optional<ErrorCode> ValidateEmail(std::string_view email) {
  if (email.empty() || email.size() > kMaxEmailLength) return err::kEmailInvalid;
  const size_t at = email.find('@');
  if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
    return err::kEmailInvalid;
  }
  const std::string_view local = email.substr(0, at);
  const std::string_view domain = email.substr(at + 1);
  if (local.size() > kMaxEmailLocalLength || !IsDotAtom(local) || !IsDomain(domain))
    return err::kEmailInvalid;
  return std::nullopt;
}

std::optional<ErrorCode> ValidateKanaName(std::string_view kana) {
  if (kana.empty()) return err::kRequired;
  size_t count = 0;
  bool previous_space = true;  // refuses a leading space
  for (size_t i = 0; i < kana.size();) {
    const Utf8Char u = DecodeUtf8At(kana, i);
    if (!u.ok) return err::kKanaInvalid;
    if (u.cp == U' ') {
      if (previous_space) return err::kKanaInvalid;
      previous_space = true;
    } else if (IsKanaNameChar(u.cp)) {
      previous_space = false;
    } else {
      return err::kKanaInvalid;
    }
    ++count;
    i += u.len;
  }
  if (previous_space) return err::kKanaInvalid;  // trailing space
  if (count > kMaxKanaNameLength) return err::kTooLong;
  return std::nullopt;
}

std::optional<ErrorCode> ValidatePassword(std::string_view password) {
  const size_t length = Utf8Length(password);
  if (length < kMinPasswordLength) return err::kPasswordTooShort;
  if (length > kMaxPasswordLength) return err::kPasswordTooLong;
  return std::nullopt;
}

}  // namespace mizu
