// ParseDateInput (mizu/date_input.hpp): the normalised text is split into tokens (numbers, separators,
// 年月日, 元, era names), its trailing weekday checked, and the token list matched against the accepted
// shapes. Pure function, no locale.
#include "mizu/date_input.hpp"

#include <array>
#include <string>
#include <vector>

#include "mizu/text.hpp"

namespace mizu {
namespace {

struct Era {
  std::string_view kanji;   // 令和
  std::string_view square;  // ㋿: the one-character form (U+32FF, U+337B, U+337C)
  char letter;              // lower case
  CivilDate first, last;    // the era's first and last day, inclusive
};

// The header's table: 令和 and 平成 from the Cabinet orders under the 元号法, 昭和 from the 1926 詔書.
constexpr std::array<Era, 3> kEras = {{
    {"令和", "㋿", 'r', {2019, 5, 1}, {9999, 12, 31}},
    {"平成", "㍻", 'h', {1989, 1, 8}, {2019, 4, 30}},
    {"昭和", "㍼", 's', {1926, 12, 25}, {1989, 1, 7}},
}};

enum class Kind { kNumber, kSeparator, kNen, kGatsu, kNichi, kGan, kEra };

struct Token {
  Kind kind;
  std::string_view digits = {};  // kNumber
  char separator = 0;            // kSeparator: '-', '/' or '.'
  const Era* era = nullptr;      // kEra
};

constexpr size_t kMaxDigits = 8;  // the longest number any shape has (YYYYMMDD)

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

int Value(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// 0 = Sunday … 6 = Saturday for 火, 火曜, 火曜日, tue, tues, tuesday (lower case) …; nullopt otherwise.
std::optional<int> WeekdayName(std::string_view name) {
  static constexpr std::array<std::string_view, 7> kJa = {"日", "月", "火", "水", "木", "金", "土"};
  static constexpr std::array<std::string_view, 7> kEn = {"sunday",   "monday", "tuesday", "wednesday",
                                                          "thursday", "friday", "saturday"};
  for (int i = 0; i < 7; ++i) {
    if (name.starts_with(kJa[i])) {
      std::string_view rest = name.substr(kJa[i].size());
      if (rest.empty() || rest == "曜" || rest == "曜日") return i;
    }
  }
  const std::string lower = AsciiLower(name.ends_with('.') ? name.substr(0, name.size() - 1) : name);
  for (int i = 0; i < 7; ++i) {
    if (lower == kEn[i] || lower == kEn[i].substr(0, 3)) return i;
  }
  if (lower == "tues") return 2;
  if (lower == "thur" || lower == "thurs") return 4;
  return std::nullopt;
}

// Splits `s` into tokens; spaces only separate (two numbers with only spaces between are refused, since
// "2026 12 1" has no shape). nullopt on any other character.
std::optional<std::vector<Token>> Tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t pos = 0;
  auto take = [&](std::string_view word) {
    if (!s.substr(pos).starts_with(word)) return false;
    pos += word.size();
    return true;
  };
  while (pos < s.size()) {
    const char c = s[pos];
    if (c == ' ') {
      ++pos;
    } else if (IsDigit(c)) {
      size_t end = pos;
      while (end < s.size() && IsDigit(s[end])) ++end;
      if (end - pos > kMaxDigits || (!out.empty() && out.back().kind == Kind::kNumber)) return std::nullopt;
      out.push_back({Kind::kNumber, s.substr(pos, end - pos)});
      pos = end;
    } else if (c == '-' || c == '/' || c == '.') {
      out.push_back({Kind::kSeparator, {}, c});
      ++pos;
    } else if (take("年")) {
      out.push_back({Kind::kNen});
    } else if (take("月")) {
      out.push_back({Kind::kGatsu});
    } else if (take("日")) {
      out.push_back({Kind::kNichi});
    } else if (take("元")) {
      out.push_back({Kind::kGan});
    } else {
      const Era* era = nullptr;
      for (const Era& e : kEras) {
        if (c == e.letter || c == e.letter - ('a' - 'A')) {
          ++pos;
          era = &e;
        } else if (take(e.kanji) || take(e.square)) {
          era = &e;
        }
        if (era) break;
      }
      if (!era) return std::nullopt;
      out.push_back({Kind::kEra, {}, 0, era});
    }
  }
  return out;
}

bool IsNumber(const Token& t, size_t min_digits, size_t max_digits) {
  return t.kind == Kind::kNumber && t.digits.size() >= min_digits && t.digits.size() <= max_digits;
}

std::optional<CivilDate> Checked(CivilDate d) {
  return IsValidDate(d) ? std::optional(d) : std::nullopt;
}

// The Gregorian year of a year token: four digits (1000–9999) without an era; with one, 1–2 digits (>= 1) or
// 元, converted with the era's first year.
std::optional<int> YearOf(const Token& t, const Era* era) {
  if (!era) {
    if (!IsNumber(t, 4, 4) || t.digits[0] == '0') return std::nullopt;
    return Value(t.digits);
  }
  if (t.kind == Kind::kGan) return era->first.year;
  if (!IsNumber(t, 1, 2) || Value(t.digits) < 1) return std::nullopt;
  return era->first.year + Value(t.digits) - 1;
}

// The first valid M/D on or after today (a leap day can be up to 8 years away, across 2100).
std::optional<CivilDate> NextOccurrence(int month, int day, CivilDate today) {
  for (int year = today.year; year <= today.year + 8; ++year) {
    CivilDate d{year, month, day};
    if (IsValidDate(d) && d >= today) return d;
  }
  return std::nullopt;
}

// The date of the weekday-free text, or nullopt.
std::optional<CivilDate> ParseShape(std::string_view s, CivilDate today) {
  auto tokens = Tokenize(s);
  if (!tokens || tokens->empty()) return std::nullopt;
  std::vector<Token>& t = *tokens;
  const Era* era = t[0].kind == Kind::kEra ? t[0].era : nullptr;
  const std::vector<Token> r(t.begin() + (era ? 1 : 0), t.end());
  auto is = [&](size_t i, Kind k) { return r[i].kind == k; };
  auto md = [&](size_t i) { return IsNumber(r[i], 1, 2); };

  std::optional<CivilDate> d;
  if (!era && r.size() == 1 && IsNumber(r[0], 8, 8)) {  // YYYYMMDD
    if (r[0].digits[0] == '0') return std::nullopt;
    d = Checked(
        {Value(r[0].digits.substr(0, 4)), Value(r[0].digits.substr(4, 2)), Value(r[0].digits.substr(6, 2))});
  } else if (r.size() == 5 && is(1, Kind::kSeparator) && is(3, Kind::kSeparator) &&
             r[1].separator == r[3].separator && md(2) && md(4)) {  // Y-M-D, Y/M/D, Y.M.D
    if (auto y = YearOf(r[0], era)) d = Checked({*y, Value(r[2].digits), Value(r[4].digits)});
  } else if (r.size() == 6 && is(1, Kind::kNen) && md(2) && is(3, Kind::kGatsu) && md(4) &&
             is(5, Kind::kNichi)) {  // Y年M月D日
    if (auto y = YearOf(r[0], era)) d = Checked({*y, Value(r[2].digits), Value(r[4].digits)});
  } else if (!era && ((r.size() == 3 && md(0) && is(1, Kind::kSeparator) && r[1].separator == '/' && md(2)) ||
                      (r.size() == 4 && md(0) && is(1, Kind::kGatsu) && md(2) && is(3, Kind::kNichi)))) {
    return NextOccurrence(Value(r[0].digits), Value(r[2].digits), today);  // M/D, M月D日
  }
  if (d && era && (*d < era->first || *d > era->last)) return std::nullopt;
  return d;
}

}  // namespace

std::optional<CivilDate> ParseDateInput(std::string_view text, CivilDate today) {
  const std::string normalized = NormalizeText(text);
  std::string_view s = normalized;
  std::optional<int> weekday;
  if (s.ends_with(')')) {  // a trailing (火) / (Tue): must name the date's weekday
    const size_t open = s.rfind('(');
    if (open == std::string_view::npos) return std::nullopt;
    weekday = WeekdayName(Trim(s.substr(open + 1, s.size() - open - 2)));
    if (!weekday) return std::nullopt;
    s = Trim(s.substr(0, open));
  }
  auto d = ParseShape(s, today);
  if (d && weekday && Weekday(*d) != *weekday) return std::nullopt;
  return d;
}

}  // namespace mizu
