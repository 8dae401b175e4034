// Line breaking (mizu/text_wrap.hpp). Widths here are code-point counts, so the expected lines are worked by
// hand; the property checks run every width from 2 to 30 over texts the app draws.
#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "mizu/text.hpp"
#include "mizu/text_wrap.hpp"

using namespace mizu;
using Lines = std::vector<std::string_view>;

namespace {
float Columns(std::string_view s) {
  return static_cast<float>(Utf8Length(s));
}
Lines Wrap(std::string_view text, float width) {
  return WrapLines(text, width, Columns);
}
std::string FirstChar(std::string_view s) {
  return std::string(s.substr(0, DecodeUtf8At(s, 0).len));
}
std::string LastChar(std::string_view s) {
  size_t i = s.size() - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return std::string(s.substr(i));
}
}  // namespace

TEST_CASE("amounts and volumes never break inside or from their unit (5,／071円 was seen)", "[text][wrap]") {
  CHECK(Wrap("5,071円です", 6) == Lines{"5,071円", "です"});
  CHECK(Wrap("合計は5,071円です", 7) == Lines{"合計は", "5,071円で", "す"});
  CHECK(Wrap("使用量 4,302 L", 8) == Lines{"使用量", "4,302 L"});
  CHECK(Wrap("The bill is 7,150 yen in total", 12) == Lines{"The bill is", "7,150 yen in", "total"});
  CHECK(Wrap("12.5 m³ used", 8) == Lines{"12.5 m³", "used"});
  CHECK(Wrap("料金￥5,071", 6) == Lines{"料金", "￥5,071"});
  CHECK(Wrap("１２，３４５円", 3).front() == "１２，");  // wider than the line: cut as a last resort
}

TEST_CASE("Japanese lines follow kinsoku: no 、。」 at a line start, no 「 at a line end", "[text][wrap]") {
  CHECK(Wrap("はい、そうです。", 3) == Lines{"はい、", "そうで", "す。"});
  CHECK(Wrap("はい、そうです。", 2) == Lines{"はい、", "そう", "です。"});
  CHECK(Wrap("本日「水守」を", 3) == Lines{"本日", "「水", "守」を"});            // not 「本日「」
  CHECK(Wrap("合計は1,234円、以上", 6) == Lines{"合計は", "1,234円、", "以上"});  // 、 hangs (ぶら下げ)
  const std::string_view texts[] = {
      "ご利用ありがとうございます。「水守」をご利用ください、よろしくお願いします。",
      "水道料金（税抜）は1,234円、下水道使用料（税抜）は2,345円です。",
      "携帯電話番号が登録済みのため、使用することができません",
      "最新の検針は2026年9月25日（金）、使用量は21 m³でした。"};
  const std::string no_start = "、。，．」』）】〕〉》・：；？！ー〜…ぁぃぅぇぉっゃゅょァィゥェォッャュョ";
  const std::string no_end = "「『（【〔〈《";
  int checked = 0;
  for (auto text : texts) {
    for (int w = 4; w <= 30; ++w) {
      Lines lines = Wrap(text, static_cast<float>(w));
      std::string joined;
      for (size_t i = 0; i < lines.size(); ++i) {
        INFO(std::string(text) << " at width " << w << ", line " << i << ": " << std::string(lines[i]));
        REQUIRE_FALSE(lines[i].empty());
        joined += std::string(lines[i]);
        if (i > 0) CHECK(no_start.find(FirstChar(lines[i])) == std::string::npos);
        if (i + 1 < lines.size()) CHECK(no_end.find(LastChar(lines[i])) == std::string::npos);
        ++checked;
      }
      std::string expected(text);
      std::string compact;
      for (char c : expected)
        if (c != ' ') compact += c;
      std::string joined_compact;
      for (char c : joined)
        if (c != ' ') joined_compact += c;
      CHECK(joined_compact == compact);  // nothing lost but the spaces at line ends
    }
  }
  CHECK(checked > 200);
}

TEST_CASE("Latin text breaks at spaces only, a newline always breaks", "[text][wrap]") {
  CHECK(Wrap("E-mail address or mobile number", 10) == Lines{"E-mail", "address or", "mobile", "number"});
  CHECK(Wrap("一行目\n二行目", 20) == Lines{"一行目", "二行目"});
  CHECK(Wrap("short", 20) == Lines{"short"});
  CHECK(Wrap("", 20).empty());
  auto breaks = LineBreakOpportunities("abc123 def");
  CHECK(breaks == std::vector<size_t>{7});
}
