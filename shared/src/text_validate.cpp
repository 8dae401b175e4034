// Validation half of mizu/text.hpp: customer number, Japanese phone numbers, kana name, password (e-mail:
// text_email.cpp). Inputs are expected to be normalised already (see text_normalize.cpp); nothing here
// rewrites text except the display formatter.
#include "mizu/text.hpp"

namespace mizu {
namespace {

constexpr size_t kMaxKanaNameLength = 60;
constexpr size_t kMinPasswordLength = 8;
constexpr size_t kMaxPasswordLength = 128;

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
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

FieldCheck CheckCustomerNumberField(std::string_view input, const CustomerNumberFormat* fmt) {
  if (input.empty()) return {"", err::kRequired};
  auto cn = NormalizeCustomerNumber(input);
  if (!cn || cn->empty() || (fmt && ValidateCustomerNumber(*cn, *fmt)))
    return {"", err::kCustomerNumberInvalid};
  return {*cn, std::nullopt};
}

FieldCheck CheckPhoneField(std::string_view input) {
  if (input.empty()) return {"", err::kRequired};
  auto phone = NormalizePhone(input);
  if (!phone || ValidatePhone(*phone)) return {"", err::kPhoneInvalid};
  return {*phone, std::nullopt};
}

}  // namespace mizu
