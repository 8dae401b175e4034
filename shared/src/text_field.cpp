// The check every text field runs (controls, encoding, length) and the bounded echo of a refused value.
// Implements: C0/DEL/C1 refusal with an optional TAB, code-point length. Not done: Unicode format characters
// (U+200B…, bidi controls) are text, not controls, and pass.
#include <cstdio>

#include "mizu/text.hpp"

namespace mizu {

bool IsControlCharacter(char32_t cp) {
  return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f);
}

std::optional<ErrorCode> ValidateTextField(std::string_view s, size_t max_chars, bool allow_tab) {
  size_t count = 0;
  bool too_long = false;
  for (size_t i = 0; i < s.size();) {
    const Utf8Char u = DecodeUtf8At(s, i);
    if (!u.ok) return err::kInvalidFormat;
    if (IsControlCharacter(u.cp) && !(allow_tab && u.cp == U'\t')) return err::kControlCharacter;
    if (++count > max_chars) too_long = true;  // keep looking: a control character is the clearer error
    i += u.len;
  }
  if (too_long) return err::kTooLong;
  return std::nullopt;
}

std::string EchoPrefix(std::string_view s, size_t max_chars) {
  std::string out;
  size_t count = 0;
  for (size_t i = 0; i < s.size(); ++count) {
    if (count == max_chars) return out + "…";
    const Utf8Char u = DecodeUtf8At(s, i);
    if (!u.ok) {
      out += "\xEF\xBF\xBD";  // U+FFFD
    } else if (IsControlCharacter(u.cp)) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "<U+%04X>", static_cast<unsigned>(u.cp));
      out += buf;
    } else {
      out.append(s.substr(i, u.len));
    }
    i += u.len;
  }
  return out;
}

}  // namespace mizu
