// Text people and billing systems really send: the one control-character / length check of every text
// field, the bounded echo of refused values, and e-mail addresses as Japanese carriers issued them
// (hanako..suzuki@docomo.ne.jp) with the quoted form SMTP needs. Expected values are written out from the
// standards (Unicode's Cc category; RFC 5321 §4.1.2 / RFC 5322 §3.2.4, §3.4.1), not computed.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mizu/api.hpp"
#include "mizu/text.hpp"
#include "text_cases.hpp"

using namespace mizu::testing;
using namespace std::string_literals;

TEST_CASE("ValidateTextField refuses C0, DEL and C1 controls, bidi controls, bad bytes and over-long text",
          "[text]") {
  const std::vector<std::pair<std::string, std::optional<ErrorCode>>> cases = {
      {"", std::nullopt},
      {"山田 太郎", std::nullopt},
      {"〜２階", std::nullopt},
      {"\xC2\xA0nbsp", std::nullopt},            // U+00A0 is a space, not a control
      {"\xE2\x80\x8B", std::nullopt},            // U+200B zero width space: a format character, not Cc
      {"\xF0\xA0\xAE\xB7田", std::nullopt},      // 𠮷 (outside the BMP)
      {"息子\x1B[31m", err::kControlCharacter},  // ESC
      {"a\x00b"s, err::kControlCharacter},       // NUL
      {"a\nb", err::kControlCharacter},
      {"a\rb", err::kControlCharacter},
      {"a\tb", err::kControlCharacter},  // TAB only where a field allows it
      {"\x1F", err::kControlCharacter},
      {"a\x7F", err::kControlCharacter},         // DEL
      {"\xC2\x80", err::kControlCharacter},      // U+0080
      {"住所\xC2\x85", err::kControlCharacter},  // U+0085 NEL
      {"\xC2\x9F", err::kControlCharacter},      // U+009F
      {"\xFF", err::kInvalidFormat},
      {"\xC0\xAF", err::kInvalidFormat},  // overlong '/'
      // Invisible characters that reorder or break the text a reader sees (Unicode TR #9): the first and
      // last of each range, and their neighbours that are ordinary text.
      {"abc\xE2\x80\xAEgpj.exe", err::kControlCharacter},  // U+202E RIGHT-TO-LEFT OVERRIDE
      {"\xE2\x80\xAA", err::kControlCharacter},            // U+202A LEFT-TO-RIGHT EMBEDDING
      {"\xE2\x81\xA6", err::kControlCharacter},            // U+2066 LEFT-TO-RIGHT ISOLATE
      {"\xE2\x81\xA9", err::kControlCharacter},            // U+2069 POP DIRECTIONAL ISOLATE
      {"a\xE2\x80\xA8"
       "b",
       err::kControlCharacter},  // U+2028 LINE SEPARATOR
      {"a\xE2\x80\xA9"
       "b",
       err::kControlCharacter},        // U+2029 PARAGRAPH SEPARATOR
      {"\xE2\x80\xA7", std::nullopt},  // U+2027 HYPHENATION POINT
      {"\xE2\x80\xAF", std::nullopt},  // U+202F NARROW NO-BREAK SPACE
      {"\xE2\x81\xA5", std::nullopt},  // U+2065 (unassigned, not a control)
      {"\xE2\x81\xAA", std::nullopt},  // U+206A (deprecated format, passes)
  };
  for (const auto& [input, want] : cases) {
    CAPTURE(input);
    CHECK(Show(mizu::ValidateTextField(input, 100)) == Show(want));
  }
  CHECK(Show(mizu::ValidateTextField("a\tb", 100, /*allow_tab=*/true)) == "ok");
  CHECK(Show(mizu::ValidateTextField("a\nb", 100, /*allow_tab=*/true)) == "control_character");
  CHECK(Show(mizu::ValidateTextField("あいう", 3)) == "ok");  // characters, not bytes
  CHECK(Show(mizu::ValidateTextField("あいう", 2)) == "too_long");
  CHECK(Show(mizu::ValidateTextField(std::string(340000, 'x') + "\x1B", 200)) == "control_character");
}

TEST_CASE("a multi-line text keeps its lines and inner spacing, and refuses every control but LF", "[text]") {
  CHECK(mizu::NormalizeMultiline("  \r\n　断水のお知らせ\r\n　・9:00〜12:00\r・本町１丁目\n\n  ") ==
        "断水のお知らせ\n　・9:00〜12:00\n・本町１丁目");
  CHECK(mizu::NormalizeMultiline(" \n\t　") == "");
  CHECK(Show(mizu::ValidateMultilineField("一行目\n二行目", 100)) == "ok");
  CHECK(Show(mizu::ValidateMultilineField("a\tb", 100)) == "control_character");
  CHECK(Show(mizu::ValidateMultilineField("a\rb", 100)) == "control_character");
  CHECK(Show(mizu::ValidateMultilineField("あ\nい", 3)) == "ok");  // LF counts as one character
  CHECK(Show(mizu::ValidateMultilineField("あ\nいう", 3)) == "too_long");
  CHECK(Show(mizu::ValidateMultilineField("\xFF", 3)) == "invalid_format");
  CHECK(Show(mizu::ValidateMultilineField("注意\xE2\x80\xAE事項", 100)) == "control_character");  // U+202E
}

TEST_CASE("EchoPrefix bounds what an error may quote of a bad value", "[text]") {
  const std::string a64(64, 'a');
  CHECK(mizu::EchoPrefix(a64) == a64);
  CHECK(mizu::EchoPrefix(a64 + "b") == a64 + "…");
  std::string kana70;
  for (int i = 0; i < 70; ++i) kana70 += "あ";
  std::string kana64;
  for (int i = 0; i < 64; ++i) kana64 += "あ";
  CHECK(mizu::EchoPrefix(kana70) == kana64 + "…");
  CHECK(mizu::EchoPrefix("ta\x1Bro\xC2\x85") == "ta<U+001B>ro<U+0085>");
  CHECK(mizu::EchoPrefix("x\xFFy") == "x\xEF\xBF\xBDy");
  CHECK(mizu::EchoPrefix("2026", 3) == "202…");
  const std::string huge(30 * 1024 * 1024, '9');  // the 30 MB `at`
  CHECK(mizu::EchoPrefix(huge) == std::string(64, '9') + "…");
}

TEST_CASE("ReadString gives every JSON text field the control-character check", "[api][text]") {
  const nlohmann::json body = {
      {"name", "息子\x1B"}, {"address", "本町\xC2\x85"}, {"ok", "息子"}, {"tab", "a\tb"}};
  std::vector<mizu::FieldError> errors;
  std::string out;
  mizu::api::ReadString(body, "name", out, errors);
  mizu::api::ReadString(body, "address", out, errors);
  mizu::api::ReadString(body, "tab", out, errors);
  mizu::api::ReadString(body, "ok", out, errors);
  CHECK(errors == std::vector<mizu::FieldError>{{"control_character", "name"},
                                                {"control_character", "address"},
                                                {"control_character", "tab"}});
  CHECK(out == "息子");
  const auto body_ja = mizu::api::MakeErrorBody(mizu::Lang::kJa, err::kControlCharacter, errors);
  CHECK(body_ja.fields.at("name").message ==
        "使用できない制御文字（改行・エスケープなど）が含まれています。");
  const auto body_en = mizu::api::MakeErrorBody(mizu::Lang::kEn, err::kControlCharacter, errors);
  CHECK(body_en.fields.at("name").message ==
        "This contains a control character (such as a line break or escape) that cannot be used.");
}

TEST_CASE("ValidateEmail accepts carrier-style and quoted local parts", "[text]") {
  const std::string dots62 = "a" + std::string(60, '.') + "b";  // 62: 64 with the quotes it travels in
  const std::string dots63 = "a" + std::string(61, '.') + "b";
  const std::vector<std::pair<std::string, std::optional<ErrorCode>>> cases = {
      {"hanako..suzuki@docomo.ne.jp", std::nullopt},  // consecutive dots
      {"hanako.@docomo.ne.jp", std::nullopt},         // dot before '@'
      {".hanako@ezweb.ne.jp", std::nullopt},          // leading dot
      {"a...b.@softbank.ne.jp", std::nullopt},
      {"\"hanako..suzuki\"@docomo.ne.jp", std::nullopt},  // already quoted
      {"\"taro\"@example.com", std::nullopt},
      {"\"taro yamada\"@example.jp", std::nullopt},
      {"\"a\\\"b\\\\c\"@example.jp", std::nullopt},  // quoted-pairs
      {"\"a@b\"@example.jp", std::nullopt},
      {dots62 + "@docomo.ne.jp", std::nullopt},
      // refused
      {"..@docomo.ne.jp", err::kEmailInvalid},  // dots only
      {".@docomo.ne.jp", err::kEmailInvalid},
      {dots63 + "@docomo.ne.jp", err::kEmailInvalid},  // 65 with its quotes
      {"\"\"@example.jp", err::kEmailInvalid},
      {"\"a\"b\"@example.jp", err::kEmailInvalid},
      {"\"abc@example.jp", err::kEmailInvalid},
      {"abc\"@example.jp", err::kEmailInvalid},
      {"\"a\\\"@example.jp", err::kEmailInvalid},  // the closing quote escaped
      {"\"ta\x1Bro\"@example.jp", err::kEmailInvalid},
      {"\"たろう\"@example.jp", err::kEmailInvalid},
      {"hanako..suzuki@docomo..ne.jp", err::kEmailInvalid},  // the domain stays strict
      {"ta ro@example.com", err::kEmailInvalid},
      {"ta(ro)@example.com", err::kEmailInvalid},
      {"ta@ro@example.com", err::kEmailInvalid},
  };
  for (const auto& [input, want] : cases) {
    CAPTURE(input);
    CHECK(Show(mizu::ValidateEmail(input)) == Show(want));
  }
}

TEST_CASE("EmailForTransport quotes exactly the local parts that are not a dot-atom", "[text]") {
  const std::vector<TextCase> cases = {
      {"taro@example.jp", "taro@example.jp"},
      {"taro.yamada+water@example.jp", "taro.yamada+water@example.jp"},
      {"hanako..suzuki@docomo.ne.jp", "\"hanako..suzuki\"@docomo.ne.jp"},
      {".hanako@ezweb.ne.jp", "\".hanako\"@ezweb.ne.jp"},
      {"hanako.@docomo.ne.jp", "\"hanako.\"@docomo.ne.jp"},
      {"\"taro yamada\"@example.jp", "\"taro yamada\"@example.jp"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    CHECK(mizu::EmailForTransport(c.input) == c.want);
  }
}

TEST_CASE("NormalizeEmail gives one mailbox one spelling", "[text]") {
  const std::vector<TextCase> cases = {
      {"\"hanako..suzuki\"@DOCOMO.ne.jp", "hanako..suzuki@docomo.ne.jp"},
      {"ｈａｎａｋｏ．．ｓｕｚｕｋｉ＠ｄｏｃｏｍｏ．ｎｅ．ｊｐ", "hanako..suzuki@docomo.ne.jp"},
      {"\"taro\"@example.jp", "taro@example.jp"},
      {"\"taro yamada\"@Example.JP", "\"taro yamada\"@example.jp"},
      {" hanako.@docomo.ne.jp ", "hanako.@docomo.ne.jp"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    CHECK(mizu::NormalizeEmail(c.input) == c.want);
  }
}
