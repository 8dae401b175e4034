// Unit tests for mizu/text.hpp, part 1: UTF-8 and the normalisers (width, kana, spaces). The field
// validators (customer number, phone, mobile, e-mail, kana name, password) are in test_text_fields.cpp.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mizu/text.hpp"
#include "text_cases.hpp"

namespace {

using namespace mizu::testing;

// Deterministic pseudo-random strings built from awkward pieces, for the no-crash / idempotence properties.
std::vector<std::string> AwkwardStrings(int count) {
  // clang-format off
  static const char* const kPieces[] = {
      "a", "Z", "0", "9", " ", "\t", "\n", "-", "@", ".", "+", "(", ")",
      "　", "０", "９", "Ａ", "＠", "．", "－", "‐", "—", "−", "ー", "ｰ",
      "ｶ", "ﾊ", "ｳ", "ﾜ", "ﾞ", "ﾟ", "｡", "あ", "ゞ", "ゖ", "カ", "データ", "漢", "😀",
      "\xff", "\x80", "\xc0", "\xc3", "\xe3", "\xe3\x81", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xef\xbd"};
  // clang-format on
  constexpr size_t kPieceCount = sizeof(kPieces) / sizeof(kPieces[0]);
  std::vector<std::string> out;
  uint32_t state = 12345;
  const auto next = [&state] {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  for (int n = 0; n < count; ++n) {
    std::string s;
    const uint32_t length = next() % 12;
    for (uint32_t k = 0; k < length; ++k) s += kPieces[next() % kPieceCount];
    out.push_back(s);
  }
  return out;
}

}  // namespace

TEST_CASE("Utf8Length counts code points, invalid bytes one each", "[text]") {
  const std::vector<std::pair<std::string_view, size_t>> cases = {
      {"", 0},
      {"abc", 3},
      {"水道局", 3},
      {"ﾔﾏﾀﾞ", 4},
      {"😀x", 2},
      {"é", 1},
      {"\xff", 1},
      {"\xe3\x81", 2},  // truncated 3-byte sequence: both bytes invalid
      {"a\xc0\xaf"
       "b",
       4},                      // overlong '/'
      {"\xed\xa0\x80", 3},      // UTF-16 surrogate
      {"\xf4\x90\x80\x80", 4},  // above U+10FFFF
      {"\xe3\x81\x82\xe3", 2},  // あ + lone lead byte
  };
  for (const auto& [input, want] : cases) {
    CAPTURE(input);
    CHECK(mizu::Utf8Length(input) == want);
  }
}

TEST_CASE("DecodeUtf8At decodes valid sequences and flags invalid bytes", "[text]") {
  const auto a = mizu::DecodeUtf8At("あ", 0);
  CHECK(a.ok);
  CHECK(a.cp == U'あ');
  CHECK(a.len == 3);
  const auto emoji = mizu::DecodeUtf8At("x😀", 1);
  CHECK(emoji.ok);
  CHECK(emoji.cp == U'😀');
  CHECK(emoji.len == 4);
  const auto bad = mizu::DecodeUtf8At(
      "\xe3"
      "a",
      0);
  CHECK_FALSE(bad.ok);
  CHECK(bad.cp == 0xE3);
  CHECK(bad.len == 1);
  CHECK_FALSE(mizu::DecodeUtf8At("\xe0\x80\x80", 0).ok);  // overlong
  CHECK(mizu::DecodeUtf8At("\xf4\x8f\xbf\xbf", 0).ok);    // U+10FFFF is the last valid one
}

TEST_CASE("NormalizeWidth folds full-width ASCII, spaces, dashes and half-width kana", "[text]") {
  const std::vector<TextCase> cases = {
      {"", ""},
      {"abc 123", "abc 123"},
      {"０１２３", "0123"},
      {"ＡＢＣ＠ｅｘａｍｐｌｅ．ｃｏｍ", "ABC@example.com"},
      {"！～", "!~"},
      {"（０３）", "(03)"},
      {"水道　局", "水道 局"},
      {"０‐００００００８００２", "0-0000008002"},
      // dash look-alikes
      {"1‐2", "1-2"},
      {"1‑2", "1-2"},
      {"1‒2", "1-2"},
      {"1–2", "1-2"},
      {"1—2", "1-2"},
      {"1―2", "1-2"},
      {"1−2", "1-2"},
      {"1－2", "1-2"},
      {"1﹣2", "1-2"},
      {"a—b", "a-b"},
      // prolonged sound mark: a hyphen only between two digits
      {"データ", "データ"},
      {"０９０ー１２３４", "090-1234"},
      {"０９０ー１２３４ー５６７８", "090-1234-5678"},
      {"090ｰ1234", "090-1234"},
      {"1ー２", "1-2"},
      {"ー1", "ー1"},
      {"1ー", "1ー"},
      {"1ーー2", "1ーー2"},
      {"ｰ", "ー"},
      {"ﾃﾞｰﾀ", "データ"},
      // half-width katakana
      {"ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ タロウ"},
      {"ｶﾞｷﾞｸﾞｹﾞｺﾞ", "ガギグゲゴ"},
      {"ｻﾞｼﾞｽﾞｾﾞｿﾞ", "ザジズゼゾ"},
      {"ﾀﾞﾁﾞﾂﾞﾃﾞﾄﾞ", "ダヂヅデド"},
      {"ﾊﾞﾋﾞﾌﾞﾍﾞﾎﾞ", "バビブベボ"},
      {"ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ", "パピプペポ"},
      {"ｳﾞ", "ヴ"},
      {"ﾜﾞｦﾞ", "ヷヺ"},
      {"ｱｲｳｴｵﾝｯｬｭｮｧ", "アイウエオンッャュョァ"},
      {"ｦ", "ヲ"},
      {"ｱﾞ", "ア゛"},  // no voiced ア: the mark stays, as a spacing ゛
      {"ｶﾟ", "カ゜"},
      {"ﾞ", "゛"},
      {"ﾊﾞﾟ", "バ゜"},
      {"｡｢｣､･", "。「」、・"},
      {"カﾞ", "カ゛"},  // only half-width bases compose
      // everything else kept
      {"漢字ひらがなカタカナ", "漢字ひらがなカタカナ"},
      {"😀€é", "😀€é"},
      {"〜", "〜"},
      // invalid bytes kept as they are, neighbours still converted
      {"\xff", "\xff"},
      {"\xff０",
       "\xff"
       "0"},
      {"ｶ\xe3", "カ\xe3"},
      {"ｶ\xef\xbe", "カ\xef\xbe"},  // truncated ﾞ after ｶ is not composed
      {"1ー\xe3", "1ー\xe3"},
      {"\xed\xa0\x80", "\xed\xa0\x80"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    CHECK(mizu::NormalizeWidth(c.input) == c.want);
  }
}

TEST_CASE("NormalizeWidth maps the whole full-width ASCII block", "[text]") {
  for (char32_t cp = 0xFF01; cp <= 0xFF5E; ++cp) {
    std::string in;
    in += static_cast<char>(0xE0 | (cp >> 12));
    in += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    in += static_cast<char>(0x80 | (cp & 0x3F));
    CAPTURE(static_cast<uint32_t>(cp));
    CHECK(mizu::NormalizeWidth(in) == std::string(1, static_cast<char>(cp - 0xFEE0)));
  }
}

TEST_CASE("CollapseSpaces trims and collapses ASCII and ideographic whitespace", "[text]") {
  const std::vector<TextCase> cases = {
      {"", ""},           {"   ", ""},         {"　　", ""},
      {"a", "a"},         {"  a  ", "a"},      {"a   b", "a b"},
      {"a\tb", "a b"},    {"a \t\n b", "a b"}, {"　山田　　太郎　", "山田 太郎"},
      {"a　 　b", "a b"}, {"a b c", "a b c"},  {" \xff  \xfe ", "\xff \xfe"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    CHECK(mizu::CollapseSpaces(c.input) == c.want);
  }
}

TEST_CASE("HiraganaToKatakana converts hiragana only", "[text]") {
  const std::vector<TextCase> cases = {
      {"", ""},
      {"やまだ たろう", "ヤマダ タロウ"},
      {"ぁあぃいゔゕゖ", "ァアィイヴヵヶ"},
      {"ゝゞ", "ヽヾ"},
      {"がぱっゃ", "ガパッャ"},
      {"をん", "ヲン"},
      {"カタカナ", "カタカナ"},
      {"漢字abc", "漢字abc"},
      {"ゟ゛", "ゟ゛"},  // digraph and spacing mark are not letters
      {"あ\xffい", "ア\xffイ"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    CHECK(mizu::HiraganaToKatakana(c.input) == c.want);
  }
}

TEST_CASE("NormalizeKanaName and NormalizeText combine the steps", "[text]") {
  const std::vector<TextCase> kana = {
      {"やまだ　たろう", "ヤマダ タロウ"},
      {"ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ タロウ"},
      {"　ｽｽﾞｷ　　はなこ ", "スズキ ハナコ"},
      {"さとう・じょん", "サトウ・ジョン"},
      {"ＡＢＣ", "ABC"},
  };
  for (const auto& c : kana) {
    CAPTURE(c.input);
    CHECK(mizu::NormalizeKanaName(c.input) == c.want);
  }
  const std::vector<TextCase> text = {
      {"　東京都　新宿区　１ー２ー３　", "東京都 新宿区 1-2-3"},
      {"やまだ　ﾀﾛｳ", "やまだ タロウ"},  // free text keeps hiragana
      {"データ  センター", "データ センター"},
  };
  for (const auto& c : text) {
    CAPTURE(c.input);
    CHECK(mizu::NormalizeText(c.input) == c.want);
  }
}

TEST_CASE("Normalisers never crash on awkward input and are idempotent", "[text]") {
  for (const std::string& s : AwkwardStrings(3000)) {
    CAPTURE(s);
    const std::string width = mizu::NormalizeWidth(s);
    CHECK(mizu::NormalizeWidth(width) == width);
    const std::string kana = mizu::NormalizeKanaName(s);
    CHECK(mizu::NormalizeKanaName(kana) == kana);
    const std::string text = mizu::NormalizeText(s);
    CHECK(mizu::NormalizeText(text) == text);
    CHECK(mizu::Utf8Length(s) <= s.size());
    const std::string email = mizu::NormalizeEmail(s);
    CHECK(mizu::NormalizeEmail(email) == email);
    if (const auto phone = mizu::NormalizePhone(s)) {
      CHECK(phone->find_first_not_of("0123456789") == std::string::npos);
      (void)mizu::ValidatePhone(*phone);
    }
    if (const auto number = mizu::NormalizeCustomerNumber(s)) {
      CHECK(number->find_first_not_of("0123456789") == std::string::npos);
    }
    (void)mizu::ValidateEmail(email);
    (void)mizu::ValidateKanaName(kana);
    (void)mizu::ValidatePassword(s);
  }
}

TEST_CASE("AsciiLower folds A-Z only", "[text]") {
  CHECK(mizu::AsciiLower("").empty());
  CHECK(mizu::AsciiLower("Hanako.Yamada@Example.JP") == "hanako.yamada@example.jp");
  CHECK(mizu::AsciiLower("GZIP, Br;Q=0.5") == "gzip, br;q=0.5");
  CHECK(mizu::AsciiLower("az09@[`{") == "az09@[`{");    // the bytes around A-Z stay
  CHECK(mizu::AsciiLower("ＡＢＣ") == "ＡＢＣ");        // full-width letters are not ASCII
  CHECK(mizu::AsciiLower("ÄPFEL ÉTÉ") == "Äpfel ÉtÉ");  // nor are accented ones
  CHECK(mizu::AsciiLower("SHIFT_JIS") == "shift_jis");
  CHECK(mizu::AsciiLower(std::string("A\xC3\x80\xFF"
                                     "Z",
                                     5)) == std::string("a\xC3\x80\xFF"
                                                        "z",
                                                        5));
}

TEST_CASE("TrimSpacesTabs trims spaces and tabs at both ends only", "[text]") {
  CHECK(mizu::TrimSpacesTabs("").empty());
  CHECK(mizu::TrimSpacesTabs(" \t ").empty());
  CHECK(mizu::TrimSpacesTabs("  gzip ") == "gzip");
  CHECK(mizu::TrimSpacesTabs("\tbr;q=0.5\t") == "br;q=0.5");
  CHECK(mizu::TrimSpacesTabs(" a b ") == "a b");    // inner spaces stay
  CHECK(mizu::TrimSpacesTabs("a\r") == "a\r");      // CR is not trimmed
  CHECK(mizu::TrimSpacesTabs("\na\n") == "\na\n");  // nor LF
  CHECK(mizu::TrimSpacesTabs("\xE3\x80\x80"
                             "a") ==
        "\xE3\x80\x80"
        "a");  // nor the ideographic space
}
