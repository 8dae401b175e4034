// The check every text field runs (controls, encoding, length) and the bounded echo of a refused value.
// Implements: C0/DEL/C1 refusal with an optional TAB (or LF in a multi-line text), the invisible characters
// that reorder or break what a reader sees (bidi embeddings, overrides and isolates U+202A–U+202E,
// U+2066–U+2069; the line and paragraph separators U+2028/U+2029: Unicode TR #9, UTS #39 §5), code-point
// length. Not done: zero-width characters (U+200B–U+200D: ZWJ joins emoji sequences) pass.
#include <cstdio>

#include "mizu/text.hpp"

namespace mizu {

bool IsControlCharacter(char32_t cp) {
  return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f);
}

namespace {

// Characters that change how the text around them is displayed without being seen themselves: refused like
// controls (control_character), so a name, an address or a note the bureau mails reads as it is stored.
bool IsInvisibleLayoutCharacter(char32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

// Valid UTF-8, no control character but `allowed` (0: none), at most max_chars code points.
std::optional<ErrorCode> CheckText(std::string_view s, size_t max_chars, char32_t allowed) {
  size_t count = 0;
  bool too_long = false;
  for (size_t i = 0; i < s.size();) {
    const Utf8Char u = DecodeUtf8At(s, i);
    if (!u.ok) return err::kInvalidFormat;
    if ((IsControlCharacter(u.cp) && !(allowed && u.cp == allowed)) || IsInvisibleLayoutCharacter(u.cp))
      return err::kControlCharacter;
    if (++count > max_chars) too_long = true;  // keep looking: a control character is the clearer error
    i += u.len;
  }
  if (too_long) return err::kTooLong;
  return std::nullopt;
}

}  // namespace

std::optional<ErrorCode> ValidateTextField(std::string_view s, size_t max_chars, bool allow_tab) {
  return CheckText(s, max_chars, allow_tab ? U'\t' : 0);
}

std::string NormalizeMultiline(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\r') {
      out += s[i];
    } else {
      out += '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    }
  }
  // Trim whitespace (ASCII and the ideographic space U+3000) at both ends.
  auto space_at = [&](size_t i, bool back) -> size_t {
    const char* ideographic = "\xE3\x80\x80";
    if (back ? i >= 3 && out.compare(i - 3, 3, ideographic) == 0 : out.compare(i, 3, ideographic) == 0)
      return 3;
    const char c = back ? out[i - 1] : out[i];
    return c == ' ' || c == '\t' || c == '\n' ? 1 : 0;
  };
  size_t begin = 0, end = out.size();
  for (size_t n; begin < end && (n = space_at(begin, false)) > 0;) begin += n;
  for (size_t n; end > begin && (n = space_at(end, true)) > 0;) end -= n;
  return out.substr(begin, end - begin);
}

std::optional<ErrorCode> ValidateMultilineField(std::string_view s, size_t max_chars) {
  return CheckText(s, max_chars, U'\n');
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
