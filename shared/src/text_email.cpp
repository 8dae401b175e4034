// E-mail addresses: normalisation, the one acceptance rule (see text.hpp and docs/api.md "E-mail
// addresses"), the quoted form SMTP and the To: header need, and the login ID (an e-mail address or a mobile
// number). Implements: dot-atom, carrier-style (hanako..suzuki, .taro, taro.) and quoted-string local parts;
// LDH domains. Not done: comments, IP-literal domains, internationalised (SMTPUTF8) addresses.
#include <utility>

#include "mizu/text.hpp"

namespace mizu {
namespace {

constexpr size_t kMaxEmailLength = 254;      // RFC 5321 §4.5.3.1.3 path minus the angle brackets
constexpr size_t kMaxEmailLocalLength = 64;  // RFC 5321 §4.5.3.1.1, as sent (quotes included)
constexpr size_t kMaxDomainLabelLength = 63;

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
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

// Carrier style: atext and dots in any arrangement, at least one atext.
bool IsCarrierLocal(std::string_view s) {
  bool atext = false;
  for (const char c : s) {
    if (IsAtext(c)) {
      atext = true;
    } else if (c != '.') {
      return false;
    }
  }
  return atext;
}

// The content of a quoted-string ("…" without the quotes) with its quoted-pairs resolved; nullopt unless it
// is printable ASCII (space included), non-empty, with '"' and '\' only as quoted-pairs.
std::optional<std::string> QuotedContent(std::string_view s) {
  if (s.size() < 3 || s.front() != '"' || s.back() != '"') return std::nullopt;
  std::string out;
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    char c = s[i];
    if (c == '"') return std::nullopt;
    if (c == '\\') {
      if (i + 2 >= s.size()) return std::nullopt;  // the closing quote cannot be escaped
      c = s[++i];
    }
    if (c < 0x20 || c > 0x7e) return std::nullopt;
    out += c;
  }
  return out;
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
  bool all_digits = true;
  for (const char c : last) all_digits = all_digits && IsDigit(c);
  return labels >= 2 && !all_digits;
}

std::string_view TrimAscii(std::string_view s) {
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
  };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string NormalizeEmail(std::string_view input) {
  const std::string wide = NormalizeWidth(input);  // also turns the ideographic space into ' '
  std::string out(TrimAscii(wide));
  const size_t at = out.rfind('@');
  if (at == std::string::npos) return out;
  for (size_t i = at + 1; i < out.size(); ++i) {
    if (out[i] >= 'A' && out[i] <= 'Z') out[i] = static_cast<char>(out[i] - 'A' + 'a');
  }
  if (auto content = QuotedContent(std::string_view(out).substr(0, at)); content && IsCarrierLocal(*content))
    out = *content + out.substr(at);
  return out;
}

std::optional<ErrorCode> ValidateEmail(std::string_view email) {
  if (email.empty()) return err::kEmailInvalid;
  const size_t at = email.rfind('@');
  if (at == std::string_view::npos) return err::kEmailInvalid;
  const std::string_view local = email.substr(0, at);
  const std::string_view domain = email.substr(at + 1);
  const bool quoted = QuotedContent(local).has_value();
  if (!quoted && (local.find('@') != std::string_view::npos || !IsCarrierLocal(local)))
    return err::kEmailInvalid;
  if (!IsDomain(domain)) return err::kEmailInvalid;
  const size_t quotes = !quoted && !IsDotAtom(local) ? 2 : 0;  // the carrier style travels quoted
  if (local.size() + quotes > kMaxEmailLocalLength || email.size() + quotes > kMaxEmailLength)
    return err::kEmailInvalid;
  return std::nullopt;
}

std::string EmailForTransport(std::string_view email) {
  const size_t at = email.rfind('@');
  if (at == std::string_view::npos) return std::string(email);
  const std::string_view local = email.substr(0, at);
  if (IsDotAtom(local) || QuotedContent(local) || !IsCarrierLocal(local)) return std::string(email);
  return "\"" + std::string(local) + "\"" + std::string(email.substr(at));
}

bool IsMobileId(std::string_view id) {
  return id.find('@') == std::string_view::npos;
}

LoginId ParseLoginId(std::string_view input) {
  if (input.find('@') == std::string_view::npos && input.find("＠") == std::string_view::npos) {
    if (auto digits = NormalizeMobile(input); digits && !ValidateMobile(*digits)) return {*digits, true};
  }
  return {NormalizeEmail(input), false};
}

std::optional<ErrorCode> CheckLoginId(std::string_view input, LoginId& out) {
  LoginId id = ParseLoginId(input);
  if (!id.mobile) {
    if (id.value.empty()) return err::kRequired;
    if (auto e = ValidateEmail(id.value)) return e;
  }
  out = std::move(id);
  return std::nullopt;
}

}  // namespace mizu
