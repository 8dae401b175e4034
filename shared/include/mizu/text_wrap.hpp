#pragma once
// Line breaking for the text the app draws: where a line may end, by a small subset of the Unicode line
// breaking algorithm (UAX #14) with the Japanese rules of JIS X 4051 (行頭禁則・行末禁則), and greedy
// wrapping to a width.
//
// Rules, between two characters:
// - a line break (\n) always breaks; after spaces (U+0020, U+3000) a break is allowed;
// - never before a closing bracket or a character that may not start a line
// (、。，．」』）】〕〉》・：；？！ー
//   〜…, small kana, ASCII , . : ; ! ? ) ] }), never after an opening bracket (「『（【〔〈《 ( [ {);
// - never inside a number (digits with , or . between them, ASCII or full-width) nor between a number and its
//   unit (円 L m³ % 件 日 月 年 時 分 回, or "yen"/"L"/"m³"/"kL" after one space), nor after ¥ or ￥;
// - otherwise a break is allowed beside a CJK ideograph or kana, and not between Latin letters and digits.
//
// Why our own: ICU (Debian's libicu) implements UAX #14 fully, but the web app would have to carry it
// compiled to wasm (tens of megabytes of data); these rules cover the texts a utility's portal draws and are
// tested.
#include <functional>
#include <string_view>
#include <vector>

namespace mizu {

// The byte offsets (0 < offset < text.size()) before which a line may start, in increasing order. A "\n"
// makes the offset after it a mandatory break (also listed in `mandatory` when given).
std::vector<size_t> LineBreakOpportunities(std::string_view text, std::vector<size_t>* mandatory = nullptr);

// Greedy wrapping: lines (views into `text`, trailing spaces and "\n" dropped) each as wide as possible
// within `max_width` by `width` (any unit: pixels, columns). A run without a break opportunity that is wider
// than `max_width` is cut between characters as a last resort.
std::vector<std::string_view> WrapLines(std::string_view text, float max_width,
                                        const std::function<float(std::string_view)>& width);

}  // namespace mizu
