// Line breaking (mizu/text_wrap.hpp): UAX #14 subset with JIS X 4051 kinsoku, numbers and units kept whole.
#include "mizu/text_wrap.hpp"

#include <string>

#include "mizu/text.hpp"

namespace mizu {
namespace {

enum class Cls { kSpace, kNewline, kOpen, kClose, kDigit, kNumSep, kUnit, kPrefix, kIdeo, kOther };

bool Among(char32_t c, std::u32string_view set) {
  return set.find(c) != std::u32string_view::npos;
}

Cls ClassOf(char32_t c) {
  if (c == U'\n') return Cls::kNewline;
  if (c == U' ' || c == U'\u3000') return Cls::kSpace;
  if ((c >= U'0' && c <= U'9') || (c >= U'０' && c <= U'９')) return Cls::kDigit;
  if (Among(c, U",.，．")) return Cls::kNumSep;  // a closing mark too, unless between digits
  if (Among(c, U"「『（【〔〈《([{“‘")) return Cls::kOpen;
  if (Among(c, U"、。」』）】〕〉》・：；？！ー〜…‥):;!?]}”’ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々"))
    return Cls::kClose;
  if (Among(c, U"円％%件日月年時分秒回個倍³㎥")) return Cls::kUnit;
  if (Among(c, U"¥￥")) return Cls::kPrefix;
  if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
      (c >= 0xFF66 && c <= 0xFF9F))
    return Cls::kIdeo;
  return Cls::kOther;
}

struct Ch {
  size_t at;
  Cls cls;
  char32_t cp;
};

// A unit word after a number and one space: "7,150 yen", "4,302 L", "12 m³".
bool UnitWordAt(std::string_view text, size_t at) {
  for (std::string_view unit : {"yen", "L", "kL", "m³", "m3"}) {
    if (text.substr(at, unit.size()) != unit) continue;
    size_t end = at + unit.size();
    if (end == text.size()) return true;
    char next = text[end];
    if (!((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') || (next >= '0' && next <= '9')))
      return true;
  }
  return false;
}

}  // namespace

std::vector<size_t> LineBreakOpportunities(std::string_view text, std::vector<size_t>* mandatory) {
  std::vector<Ch> chars;
  for (size_t i = 0; i < text.size();) {
    Utf8Char u = DecodeUtf8At(text, i);
    chars.push_back({i, u.ok ? ClassOf(u.cp) : Cls::kOther, u.ok ? u.cp : 0});
    i += u.len;
  }
  // A separator between two digits is part of the number ("5,071", "1.5").
  for (size_t k = 1; k + 1 < chars.size(); ++k)
    if (chars[k].cls == Cls::kNumSep && chars[k - 1].cls == Cls::kDigit && chars[k + 1].cls == Cls::kDigit)
      chars[k].cls = Cls::kDigit;
  std::vector<size_t> out;
  for (size_t k = 1; k < chars.size(); ++k) {
    const Cls a = chars[k - 1].cls, b = chars[k].cls;
    bool ok;
    if (a == Cls::kNewline) {
      ok = true;
      if (mandatory) mandatory->push_back(chars[k].at);
    } else if (b == Cls::kSpace || b == Cls::kNewline) {
      ok = false;  // spaces stay at the end of the line they follow
    } else if (a == Cls::kSpace) {
      // "7,150 yen": the space between a number and its unit word does not break.
      bool number_before = k >= 2 && chars[k - 2].cls == Cls::kDigit;
      ok = !(number_before && UnitWordAt(text, chars[k].at));
    } else if (b == Cls::kClose || b == Cls::kNumSep || a == Cls::kOpen || a == Cls::kPrefix) {
      ok = false;
    } else if (a == Cls::kDigit && (b == Cls::kDigit || b == Cls::kUnit)) {
      ok = false;
    } else if (a == Cls::kUnit && b == Cls::kUnit) {
      ok = false;  // "m³", "円％" stay together
    } else {
      ok = a == Cls::kIdeo || b == Cls::kIdeo || a == Cls::kClose || a == Cls::kNumSep || a == Cls::kUnit ||
           b == Cls::kOpen || b == Cls::kPrefix;
      // Latin words and numbers run together ("abc123"), as do a closing mark and Latin text after it.
      if ((a == Cls::kClose || a == Cls::kNumSep) && (b == Cls::kOther || b == Cls::kDigit)) {
        char32_t c = chars[k - 1].cp;
        ok = c > 0x7F;  // after a Japanese 、。」 a break is fine; after ASCII , . ) only at a space
      }
    }
    if (ok) out.push_back(chars[k].at);
  }
  return out;
}

std::vector<std::string_view> WrapLines(std::string_view text, float max_width,
                                        const std::function<float(std::string_view)>& width) {
  std::vector<size_t> mandatory;
  std::vector<size_t> breaks = LineBreakOpportunities(text, &mandatory);
  breaks.push_back(text.size());
  std::vector<std::string_view> lines;
  auto trimmed = [&](size_t from, size_t to) {
    std::string_view line = text.substr(from, to - from);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\n')) line.remove_suffix(1);
    while (line.size() >= 3 && line.substr(line.size() - 3) == "\u3000") line.remove_suffix(3);
    return line;
  };
  // ぶら下げ (JIS X 4051): a 、。，． that ends a line may hang past the width rather than start the next
  // line.
  auto measured = [&](size_t from, size_t to) {
    std::string_view line = trimmed(from, to);
    for (std::string_view mark : {"、", "。", "，", "．"})
      if (line.size() > mark.size() && line.substr(line.size() - mark.size()) == mark) {
        line.remove_suffix(mark.size());
        break;
      }
    return width(line);
  };
  size_t start = 0, m = 0;
  while (start < text.size()) {
    size_t best = 0;  // the furthest break that fits
    for (size_t b : breaks) {
      if (b <= start) continue;
      if (best != 0 && measured(start, b) > max_width) break;
      if (measured(start, b) <= max_width || best == 0) best = b;
      while (m < mandatory.size() && mandatory[m] <= start) ++m;
      if (m < mandatory.size() && mandatory[m] == b) break;  // a "\n" ends the line here
    }
    // One unbreakable run wider than the line: cut it between characters (the last resort).
    if (measured(start, best) > max_width) {
      size_t cut = start;
      for (size_t i = start; i < best;) {
        size_t next = i + DecodeUtf8At(text, i).len;
        if (cut > start && width(text.substr(start, next - start)) > max_width) break;
        cut = i = next;
      }
      best = cut;
    }
    lines.push_back(trimmed(start, best));
    start = best;
  }
  return lines;
}

}  // namespace mizu
