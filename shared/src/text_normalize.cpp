// Normalisation half of mizu/text.hpp: UTF-8 decoding, width folding (full-width ASCII, half-width katakana,
// dash look-alikes), hiragana → katakana, space collapsing, ASCII lower case and space/tab trimming, and the
// customer-number / phone / e-mail normalisers. Pure functions. Invalid UTF-8 bytes are never dropped or
// rewritten: they pass through as they are. Not done: Unicode NFC/NFKC in general (e.g. combining
// U+3099/U+309A after a full-width kana stay separate).
#include <array>

#include "mizu/text.hpp"

namespace mizu {
namespace {

bool IsContinuation(unsigned char b) {
  return (b & 0xC0) == 0x80;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Full-width forms of the half-width katakana block U+FF61–U+FF9F, in order (ﾞ/ﾟ alone → ゛/゜).
constexpr std::array<char16_t, 0xFF9F - 0xFF61 + 1> kHalfWidthKana = {
    u'。', u'「', u'」', u'、', u'・', u'ヲ', u'ァ', u'ィ', u'ゥ', u'ェ', u'ォ', u'ャ', u'ュ',
    u'ョ', u'ッ', u'ー', u'ア', u'イ', u'ウ', u'エ', u'オ', u'カ', u'キ', u'ク', u'ケ', u'コ',
    u'サ', u'シ', u'ス', u'セ', u'ソ', u'タ', u'チ', u'ツ', u'テ', u'ト', u'ナ', u'ニ', u'ヌ',
    u'ネ', u'ノ', u'ハ', u'ヒ', u'フ', u'ヘ', u'ホ', u'マ', u'ミ', u'ム', u'メ', u'モ', u'ヤ',
    u'ユ', u'ヨ', u'ラ', u'リ', u'ル', u'レ', u'ロ', u'ワ', u'ン', u'゛', u'゜',
};

constexpr char32_t kHalfVoicedMark = 0xFF9E;      // ﾞ
constexpr char32_t kHalfSemiVoicedMark = 0xFF9F;  // ﾟ

bool IsHaRow(char32_t k) {
  return k >= U'ハ' && k <= U'ホ' && (k - U'ハ') % 3 == 0;
}

// The voiced (濁音) form of a full-width katakana, or 0 when it has none.
char32_t VoicedKatakana(char32_t k) {
  if (k >= U'カ' && k <= U'チ' && (k - U'カ') % 2 == 0) return k + 1;  // カ…チ: ガ…ヂ
  if (k == U'ツ' || k == U'テ' || k == U'ト') return k + 1;
  if (IsHaRow(k)) return k + 1;
  if (k == U'ウ') return U'ヴ';
  if (k == U'ワ') return U'ヷ';
  if (k == U'ヲ') return U'ヺ';
  return 0;
}

// The semi-voiced (半濁音) form of a full-width katakana, or 0 when it has none.
char32_t SemiVoicedKatakana(char32_t k) {
  return IsHaRow(k) ? k + 2 : 0;
}

bool IsDashLookalike(char32_t c) {
  switch (c) {
    case 0x2010:  // ‐ hyphen
    case 0x2011:  // ‑ non-breaking hyphen
    case 0x2012:  // ‒ figure dash
    case 0x2013:  // – en dash
    case 0x2014:  // — em dash
    case 0x2015:  // ― horizontal bar
    case 0x2212:  // − minus sign
    case 0xFE63:  // ﹣ small hyphen-minus
    case 0xFF0D:  // － full-width hyphen-minus
      return true;
    default:
      return false;
  }
}

bool IsAsciiDigit(char c) {
  return c >= '0' && c <= '9';
}

bool IsAnyWidthDigit(const Utf8Char& u) {
  return u.ok && ((u.cp >= U'0' && u.cp <= U'9') || (u.cp >= U'０' && u.cp <= U'９'));
}

bool IsAsciiSpace(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool IsSpaceChar(const Utf8Char& u) {
  return u.ok && (IsAsciiSpace(u.cp) || u.cp == 0x3000);
}

// Appends the full-width form of half-width kana `c`, composed with a ﾞ/ﾟ at s[after] when one fits; returns
// the number of bytes of that mark consumed (0 or 3).
size_t AppendFullWidthKana(std::string& out, char32_t c, std::string_view s, size_t after) {
  const char32_t full = kHalfWidthKana[c - 0xFF61];
  if (after < s.size()) {
    const Utf8Char mark = DecodeUtf8At(s, after);
    const char32_t composed = !mark.ok                         ? 0
                              : mark.cp == kHalfVoicedMark     ? VoicedKatakana(full)
                              : mark.cp == kHalfSemiVoicedMark ? SemiVoicedKatakana(full)
                                                               : 0;
    if (composed != 0) {
      AppendUtf8(out, composed);
      return mark.len;
    }
  }
  AppendUtf8(out, full);
  return 0;
}

}  // namespace

Utf8Char DecodeUtf8At(std::string_view s, size_t pos) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[pos + k]); };
  const unsigned char b0 = byte(0);
  const Utf8Char invalid{b0, 1, false};
  if (b0 < 0x80) return {b0, 1, true};
  size_t len = 0;
  char32_t cp = 0;
  unsigned char lo = 0x80;  // allowed range of the second byte (excludes overlongs, surrogates, > U+10FFFF)
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return invalid;
  }
  if (pos + len > s.size()) return invalid;
  if (byte(1) < lo || byte(1) > hi) return invalid;
  for (size_t k = 1; k < len; ++k) {
    if (!IsContinuation(byte(k))) return invalid;
    cp = (cp << 6) | (byte(k) & 0x3F);
  }
  return {cp, len, true};
}

size_t Utf8Length(std::string_view s) {
  size_t count = 0;
  for (size_t i = 0; i < s.size(); i += DecodeUtf8At(s, i).len) ++count;
  return count;
}

std::string NormalizeWidth(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const Utf8Char u = DecodeUtf8At(s, i);
    size_t next = i + u.len;
    const char32_t c = u.cp;
    if (!u.ok) {
      out.append(s.substr(i, u.len));
    } else if (c >= 0xFF01 && c <= 0xFF5E) {
      out += static_cast<char>(c - 0xFEE0);
    } else if (c == 0x3000) {
      out += ' ';
    } else if (IsDashLookalike(c)) {
      out += '-';
    } else if ((c == U'ー' || c == 0xFF70) && !out.empty() && IsAsciiDigit(out.back()) && next < s.size() &&
               IsAnyWidthDigit(DecodeUtf8At(s, next))) {
      out += '-';  // 「０９０ー１２３４」: a prolonged sound mark typed for a hyphen
    } else if (c >= 0xFF61 && c <= 0xFF9F) {
      next += AppendFullWidthKana(out, c, s, next);
    } else {
      out.append(s.substr(i, u.len));
    }
    i = next;
  }
  return out;
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (size_t i = 0; i < s.size();) {
    const Utf8Char u = DecodeUtf8At(s, i);
    if (IsSpaceChar(u)) {
      pending_space = !out.empty();
    } else {
      if (pending_space) out += ' ';
      pending_space = false;
      out.append(s.substr(i, u.len));
    }
    i += u.len;
  }
  return out;
}

std::string HiraganaToKatakana(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const Utf8Char u = DecodeUtf8At(s, i);
    if (u.ok && ((u.cp >= U'ぁ' && u.cp <= U'ゖ') || u.cp == U'ゝ' || u.cp == U'ゞ')) {
      AppendUtf8(out, u.cp + 0x60);
    } else {
      out.append(s.substr(i, u.len));
    }
    i += u.len;
  }
  return out;
}

std::string NormalizeKanaName(std::string_view s) {
  return CollapseSpaces(HiraganaToKatakana(NormalizeWidth(s)));
}

std::string NormalizeText(std::string_view s) {
  return CollapseSpaces(NormalizeWidth(s));
}

std::optional<std::string> NormalizeCustomerNumber(std::string_view input) {
  const std::string wide = NormalizeWidth(input);
  std::string digits;
  for (const char c : wide) {
    if (IsAsciiDigit(c)) {
      digits += c;
    } else if (c != '-' && !IsAsciiSpace(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
  }
  return digits;
}

std::optional<std::string> NormalizePhone(std::string_view input) {
  const std::string wide = NormalizeWidth(input);
  std::string digits;
  bool international = false;
  for (size_t i = 0; i < wide.size(); ++i) {
    const char c = wide[i];
    if (IsAsciiDigit(c)) {
      digits += c;
    } else if (c == '+' && digits.empty() && !international && wide.compare(i, 3, "+81") == 0) {
      international = true;
      i += 2;
    } else if (c != '-' && c != '(' && c != ')' && !IsAsciiSpace(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
  }
  // "+81 90-…" drops the trunk prefix 0; "+81 (0)3-…" keeps it in brackets: either way one leading 0.
  if (international && (digits.empty() || digits[0] != '0')) digits.insert(digits.begin(), '0');
  return digits;
}

std::optional<std::string> NormalizeMobile(std::string_view input) {
  return NormalizePhone(input);
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view TrimSpacesTabs(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace mizu
