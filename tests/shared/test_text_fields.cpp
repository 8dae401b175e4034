// The identity and account fields of the shared text library: customer numbers, phones and mobile numbers,
// e-mail addresses, kana names and passwords — the same validators the server and the browser run.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "mizu/text.hpp"
#include "text_cases.hpp"

using namespace mizu::testing;

TEST_CASE("NormalizeCustomerNumber keeps digits and refuses anything else", "[text]") {
  const std::vector<std::pair<std::string_view, std::optional<std::string>>> cases = {
      {"00000008002", "00000008002"},
      {"0-0000008002", "00000008002"},
      {"０‐００００００８００２", "00000008002"},
      {"０－００００００８００２", "00000008002"},
      {" 000 0000 8002 ", "00000008002"},
      {"　０　００００００８００２　", "00000008002"},
      {"000-0000-8002", "00000008002"},
      {"", ""},
      {"0-000000800A", std::nullopt},
      {"０－ＡＢＣ", std::nullopt},
      {"O0000008002", std::nullopt},  // letter O, not zero
      {"0.0000008002", std::nullopt},
      {"0/0000008002", std::nullopt},
      {"00000008002\xff", std::nullopt},
      {"お客様番号00000008002", std::nullopt},
  };
  for (const auto& [input, want] : cases) {
    CAPTURE(input);
    CHECK(Show(mizu::NormalizeCustomerNumber(input)) == Show(want));
  }
}

TEST_CASE("ValidateCustomerNumber and FormatCustomerNumber follow the configured format", "[text]") {
  const mizu::CustomerNumberFormat standard;  // 11 digits, {1, 10}
  const mizu::CustomerNumberFormat three_four_four{11, {3, 4, 4}};
  const mizu::CustomerNumberFormat ten{10, {4, 6}};

  CHECK_FALSE(mizu::ValidateCustomerNumber("00000008002", standard));
  CHECK(mizu::ValidateCustomerNumber("0000000800", standard) == err::kCustomerNumberInvalid);
  CHECK(mizu::ValidateCustomerNumber("000000080021", standard) == err::kCustomerNumberInvalid);
  CHECK(mizu::ValidateCustomerNumber("0000000800A", standard) == err::kCustomerNumberInvalid);
  CHECK(mizu::ValidateCustomerNumber("0-000000800", standard) == err::kCustomerNumberInvalid);
  CHECK(mizu::ValidateCustomerNumber("", standard) == err::kCustomerNumberInvalid);
  CHECK_FALSE(mizu::ValidateCustomerNumber("12345678901", three_four_four));
  CHECK_FALSE(mizu::ValidateCustomerNumber("1234567890", ten));
  CHECK(mizu::ValidateCustomerNumber("12345678901", ten) == err::kCustomerNumberInvalid);
  CHECK(mizu::ValidateCustomerNumber("123456789", ten) == err::kCustomerNumberInvalid);

  CHECK(mizu::FormatCustomerNumber("00000008002", standard) == "0-0000008002");
  CHECK(mizu::FormatCustomerNumber("12345678901", three_four_four) == "123-4567-8901");
  CHECK(mizu::FormatCustomerNumber("1234567890", ten) == "1234-567890");
  // length mismatch: unchanged
  CHECK(mizu::FormatCustomerNumber("1234567890", standard) == "1234567890");
  CHECK(mizu::FormatCustomerNumber("12345678901", ten) == "12345678901");
  CHECK(mizu::FormatCustomerNumber("", standard) == "");
  // a format whose groups do not add up is not applied
  CHECK(mizu::FormatCustomerNumber("12345678901", mizu::CustomerNumberFormat{11, {3, 4}}) == "12345678901");
  CHECK(mizu::FormatCustomerNumber("12345678901", mizu::CustomerNumberFormat{11, {}}) == "12345678901");
  CHECK(mizu::FormatCustomerNumber("12345678901", mizu::CustomerNumberFormat{11, {12, -1}}) == "12345678901");
  CHECK(mizu::FormatCustomerNumber("12345678901", mizu::CustomerNumberFormat{11, {11}}) == "12345678901");

  // round trip: normalise what a resident types, validate, display
  const auto typed = mizu::NormalizeCustomerNumber("０‐００００００８００２");
  REQUIRE(typed);
  CHECK_FALSE(mizu::ValidateCustomerNumber(*typed, standard));
  CHECK(mizu::FormatCustomerNumber(*typed, standard) == "0-0000008002");
}

TEST_CASE("NormalizePhone strips separators and the +81 prefix", "[text]") {
  const std::vector<std::pair<std::string_view, std::optional<std::string>>> cases = {
      {"03-1234-5678", "0312345678"},
      {"0467-12-3456", "0467123456"},
      {"(03) 1234-5678", "0312345678"},
      {"（０３）１２３４－５６７８", "0312345678"},
      {"０９０ー１２３４ー５６７８", "09012345678"},
      {"090−1234−5678", "09012345678"},
      {"090‐1234‐5678", "09012345678"},
      {"090 1234 5678", "09012345678"},
      {"　090　1234　5678　", "09012345678"},
      {"+81 90-1234-5678", "09012345678"},
      {"＋８１　９０－１２３４－５６７８", "09012345678"},
      {"+81-3-1234-5678", "0312345678"},
      {"+81 (0)3-1234-5678", "0312345678"},
      {"+819012345678", "09012345678"},
      {"", ""},
      {"090-1234-567a", std::nullopt},
      {"090.1234.5678", std::nullopt},
      {"+1 212 555 0100", std::nullopt},
      {"+8", std::nullopt},
      {"090+81", std::nullopt},
      {"+81+81 90", std::nullopt},
      {"内線090", std::nullopt},
      {"0901234\xff"
       "5678",
       std::nullopt},
  };
  for (const auto& [input, want] : cases) {
    CAPTURE(input);
    CHECK(Show(mizu::NormalizePhone(input)) == Show(want));
  }
}

TEST_CASE("ValidatePhone follows the Japanese numbering plan", "[text]") {
  const std::vector<ErrorCase> cases = {
      // landlines: 10 digits, 0 + non-zero
      {"0312345678", std::nullopt},
      {"0612345678", std::nullopt},
      {"0467123456", std::nullopt},
      {"0112345678", std::nullopt},
      {"0995123456", std::nullopt},
      {"031234567", err::kPhoneInvalid},
      {"03123456789", err::kPhoneInvalid},
      {"0012345678", err::kPhoneInvalid},
      {"0101234567", err::kPhoneInvalid},  // 010 is the international prefix
      {"3123456789", err::kPhoneInvalid},
      // mobile, IP, FMC, M2M: 11 digits
      {"09012345678", std::nullopt},
      {"08012345678", std::nullopt},
      {"07012345678", std::nullopt},
      {"05012345678", std::nullopt},
      {"06012345678", std::nullopt},
      {"02012345678", std::nullopt},
      {"0901234567", err::kPhoneInvalid},
      {"090123456789", err::kPhoneInvalid},
      {"0501234567", err::kPhoneInvalid},
      {"0201234567", err::kPhoneInvalid},
      // free dial and navi dial
      {"0120123456", std::nullopt},
      {"01201234567", err::kPhoneInvalid},
      {"012012345", err::kPhoneInvalid},
      {"08001234567", std::nullopt},
      {"0800123456", err::kPhoneInvalid},
      {"0570123456", std::nullopt},
      {"05701234567", err::kPhoneInvalid},
      // not digits / too short
      {"", err::kPhoneInvalid},
      {"0", err::kPhoneInvalid},
      {"03-1234-5678", err::kPhoneInvalid},
      {"０３１２３４５６７８", err::kPhoneInvalid},
      {"090123456７8", err::kPhoneInvalid},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    CHECK(Show(mizu::ValidatePhone(c.input)) == Show(c.want));
  }
  // the international form normalises to a valid mobile number
  const auto intl = mizu::NormalizePhone("+81 90-1234-5678");
  REQUIRE(intl);
  CHECK_FALSE(mizu::ValidatePhone(*intl));
}

TEST_CASE("IsMobilePhone is true only for valid 070/080/090 numbers", "[text]") {
  const std::vector<std::pair<std::string_view, bool>> cases = {
      {"09012345678", true},
      {"08012345678", true},
      {"07012345678", true},
      {"08001234567", false},
      {"05012345678", false},
      {"06012345678", false},
      {"02012345678", false},
      {"0312345678", false},
      {"0901234567", false},
      {"0120123456", false},
      {"", false},
      {"090-1234-5678", false},
  };
  for (const auto& [input, want] : cases) {
    CAPTURE(input);
    CHECK(mizu::IsMobilePhone(input) == want);
  }
}

TEST_CASE("NormalizeMobile and ValidateMobile accept 070/080/090 numbers only", "[text]") {
  const std::vector<std::pair<std::string_view, std::optional<std::string>>> normalized = {
      {"090-1234-5678", "09012345678"},   {"０９０－１２３４－５６７８", "09012345678"},
      {"080 1234 5678", "08012345678"},   {"+81 70-1234-5678", "07012345678"},
      {"090ー1234ー5678", "09012345678"}, {"090-abcd-5678", std::nullopt},
      {"taro@example.jp", std::nullopt},
  };
  for (const auto& [input, want] : normalized) {
    CAPTURE(input);
    CHECK(mizu::NormalizeMobile(input) == want);
  }
  const std::vector<ErrorCase> cases = {
      {"09012345678", std::nullopt},
      {"08012345678", std::nullopt},
      {"07012345678", std::nullopt},
      {"0901234567", err::kMobileInvalid},    // 10 digits
      {"090123456789", err::kMobileInvalid},  // 12 digits
      {"0467123456", err::kMobileInvalid},    // landline
      {"05012345678", err::kMobileInvalid},   // IP phone: no SMS
      {"08001234567", err::kMobileInvalid},   // free dial
      {"", err::kMobileInvalid},
      {"090-1234-5678", err::kMobileInvalid},  // not normalised
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    CHECK(Show(mizu::ValidateMobile(c.input)) == Show(c.want));
  }
}

TEST_CASE("NormalizeEmail folds width, trims and lower-cases the domain only", "[text]") {
  const std::vector<TextCase> cases = {
      {"ＡＢＣ＠ｅｘａｍｐｌｅ．ｃｏｍ", "ABC@example.com"},
      {"  Taro.Yamada@Example.CO.JP  ", "Taro.Yamada@example.co.jp"},
      {"　ｔａｒｏ＠ｍｉｚｕ．ｊｐ　", "taro@mizu.jp"},
      {"User@MAIL.Example.COM\n", "User@mail.example.com"},
      {"no-at-sign.EXAMPLE", "no-at-sign.EXAMPLE"},
      {"A@B@C.COM", "A@B@c.com"},  // lower-cases after the last '@'; the validator refuses it anyway
      {"", ""},
      {"   ", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    CHECK(mizu::NormalizeEmail(c.input) == c.want);
  }
}

// Carrier-style and quoted local parts: test_text_input.cpp.
TEST_CASE("ValidateEmail accepts practical addr-specs only", "[text]") {
  const std::string local64(64, 'a');
  const std::string local65(65, 'a');
  const std::string label63(63, 'b');
  const std::string label64(64, 'b');
  // 254 and 255 characters in total
  const std::string total254 = local64 + "@" + label63 + "." + label63 + "." + std::string(58, 'c') + ".jp";
  const std::string total255 = local64 + "@" + label63 + "." + label63 + "." + std::string(59, 'c') + ".jp";
  REQUIRE(total254.size() == 254);
  REQUIRE(total255.size() == 255);

  const std::vector<std::pair<std::string, std::optional<ErrorCode>>> cases = {
      {"taro@example.com", std::nullopt},
      {"Taro.Yamada@example.co.jp", std::nullopt},
      {"taro+water@mail.example.jp", std::nullopt},
      {"a!#$%&'*+-/=?^_`{|}~z@example.com", std::nullopt},
      {"x@a-b.example", std::nullopt},
      {"x@xn--eckwd4c7c.xn--zckzah", std::nullopt},
      {"1@2.com", std::nullopt},
      {local64 + "@example.com", std::nullopt},
      {"a@" + label63 + ".jp", std::nullopt},
      {total254, std::nullopt},
      // refused
      {"", err::kEmailInvalid},
      {"taro.example.com", err::kEmailInvalid},   // no @
      {"taro@@example.com", err::kEmailInvalid},  // two @
      {"ta@ro@example.com", err::kEmailInvalid},
      {"@example.com", err::kEmailInvalid},
      {"taro@", err::kEmailInvalid},
      {"taro@.example.com", err::kEmailInvalid},
      {"taro@example.com.", err::kEmailInvalid},
      {"taro@example..com", err::kEmailInvalid},
      {"taro@localhost", err::kEmailInvalid},  // no dot in the domain
      {"taro@1.2.3.4", err::kEmailInvalid},    // numeric TLD
      {"taro@[127.0.0.1]", err::kEmailInvalid},
      {"taro@-example.com", err::kEmailInvalid},
      {"taro@example-.com", err::kEmailInvalid},
      {"taro@exa_mple.com", err::kEmailInvalid},
      {"ta ro@example.com", err::kEmailInvalid},  // spaces
      {" taro@example.com", err::kEmailInvalid},
      {"taro@example.com ", err::kEmailInvalid},
      {"taro@exa mple.com", err::kEmailInvalid},
      {"ta(ro)@example.com", err::kEmailInvalid},
      {"たろう@example.com", err::kEmailInvalid},
      {"taro@例え.jp", err::kEmailInvalid},
      {"ｔａｒｏ@example.com", err::kEmailInvalid},  // not normalised yet
      {"taro@example.com\xff", err::kEmailInvalid},
      {local65 + "@example.com", err::kEmailInvalid},  // local part too long
      {"a@" + label64 + ".jp", err::kEmailInvalid},    // label too long
      {total255, err::kEmailInvalid},                  // too long in total
  };
  for (const auto& [input, want] : cases) {
    CAPTURE(input);
    CHECK(Show(mizu::ValidateEmail(input)) == Show(want));
  }
  // what a resident types with an IME is valid after normalisation
  CHECK_FALSE(mizu::ValidateEmail(mizu::NormalizeEmail("ＡＢＣ＠ｅｘａｍｐｌｅ．ｃｏｍ")));
}

TEST_CASE("ValidateKanaName accepts full-width katakana names", "[text]") {
  const std::string kana60 = [] {
    std::string s;
    for (int i = 0; i < 60; ++i) s += "ア";
    return s;
  }();
  const std::vector<std::pair<std::string, std::optional<ErrorCode>>> cases = {
      {"ヤマダ タロウ", std::nullopt},
      {"ヤマダタロウ", std::nullopt},
      {"サトウ・ジョン", std::nullopt},
      {"ヴァーノン", std::nullopt},
      {"ヾヽヶヵ", std::nullopt},
      {"ヷヺ", std::nullopt},
      {"ア", std::nullopt},
      {kana60, std::nullopt},
      {kana60 + "ア", err::kTooLong},
      {"", err::kRequired},
      {"山田 タロウ", err::kKanaInvalid},  // kanji
      {"ヤマダ 太郎", err::kKanaInvalid},
      {"Yamada Taro", err::kKanaInvalid},  // latin
      {"ヤマダ Taro", err::kKanaInvalid},
      {"やまだ たろう", err::kKanaInvalid},   // hiragana must be normalised first
      {"ﾔﾏﾀﾞ", err::kKanaInvalid},            // half-width likewise
      {"ヤマダ　タロウ", err::kKanaInvalid},  // ideographic space likewise
      {" ヤマダ", err::kKanaInvalid},
      {"ヤマダ ", err::kKanaInvalid},
      {"ヤマダ  タロウ", err::kKanaInvalid},
      {" ", err::kKanaInvalid},
      {"ヤマダ1", err::kKanaInvalid},
      {"ヤマダ-タロウ", err::kKanaInvalid},
      {"カ゛", err::kKanaInvalid},
      {"ヤマダ\xff", err::kKanaInvalid},
      {"ヤマダ\nタロウ", err::kKanaInvalid},
  };
  for (const auto& [input, want] : cases) {
    CAPTURE(input);
    CHECK(Show(mizu::ValidateKanaName(input)) == Show(want));
  }
  // the normalised forms of typical input are valid
  for (const std::string_view typed : {"やまだ　たろう", "ﾔﾏﾀﾞ ﾀﾛｳ", " ｻﾄｳ･ｼﾞｮﾝ ", "すずき　ゔぃくとる"}) {
    CAPTURE(typed);
    CHECK_FALSE(mizu::ValidateKanaName(mizu::NormalizeKanaName(typed)));
  }
  CHECK(mizu::ValidateKanaName(mizu::NormalizeKanaName("山田　たろう")) == err::kKanaInvalid);
  CHECK(mizu::ValidateKanaName(mizu::NormalizeKanaName("　　")) == err::kRequired);
}

TEST_CASE("ValidatePassword counts code points: 8 to 128", "[text]") {
  const auto repeat = [](std::string_view piece, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += piece;
    return s;
  };
  const std::vector<std::pair<std::string, std::optional<ErrorCode>>> cases = {
      {"", err::kPasswordTooShort},
      {repeat("a", 7), err::kPasswordTooShort},
      {repeat("a", 8), std::nullopt},
      {repeat("a", 128), std::nullopt},
      {repeat("a", 129), err::kPasswordTooLong},
      {repeat("水", 7), err::kPasswordTooShort},  // 21 bytes but 7 characters
      {repeat("水", 8), std::nullopt},
      {repeat("水", 128), std::nullopt},  // 384 bytes
      {repeat("水", 129), err::kPasswordTooLong},
      {repeat("😀", 8), std::nullopt},
      {"password", std::nullopt},  // the common-password check is the backend's
      {"        ", std::nullopt},  // no composition rules
  };
  for (const auto& [input, want] : cases) {
    CAPTURE(input.size());
    CHECK(Show(mizu::ValidatePassword(input)) == Show(want));
  }
}

TEST_CASE("The login ID rule: a mobile number without an at sign, else an e-mail address", "[text]") {
  struct Case {
    std::string_view input;
    std::string value;
    bool mobile;
  };
  const std::vector<Case> parsed = {
      {"090-1234-5678", "09012345678", true},
      {"０９０－１２３４－５６７８", "09012345678", true},  // full-width digits and hyphens
      {"+81 70-1234-5678", "07012345678", true},
      {"taro@example.jp", "taro@example.jp", false},
      {"ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "taro@example.jp", false},  // full-width: an e-mail address
      {"taro@EXAMPLE.JP", "taro@example.jp", false},
      {"0467-12-3456", "0467-12-3456", false},  // a landline is no mobile ID: taken as an e-mail
      {"0901234567", "0901234567", false},      // 10 digits: likewise
      {"090＠1234", "090@1234", false},         // a full-width at sign: never a mobile ID
      {"", "", false},
  };
  for (const auto& c : parsed) {
    CAPTURE(c.input);
    const mizu::LoginId id = mizu::ParseLoginId(c.input);
    CHECK(id.value == c.value);
    CHECK(id.mobile == c.mobile);
    CHECK(std::string(id.Field()) == (c.mobile ? "mobile" : "email"));
  }
  // On a validated ID (a stored one): no '@' means a mobile ID. Unvalidated text proves nothing.
  CHECK(mizu::IsMobileId("09012345678"));
  CHECK_FALSE(mizu::IsMobileId("taro@example.jp"));
  CHECK_FALSE(mizu::IsMobileId("\"a b\"@example.jp"));
  CHECK(mizu::IsMobileId("0467-12-3456"));  // not a valid ID: the caller validates first

  mizu::LoginId out{"unchanged", true};
  CHECK(mizu::CheckLoginId("", out) == mizu::err::kRequired);
  CHECK(mizu::CheckLoginId("　 ", out) == mizu::err::kRequired);  // only spaces
  CHECK(mizu::CheckLoginId("0467-12-3456", out) == mizu::err::kEmailInvalid);
  CHECK(mizu::CheckLoginId("taro@", out) == mizu::err::kEmailInvalid);
  CHECK(out.value == "unchanged");  // untouched on an error
  CHECK(out.mobile);
  CHECK_FALSE(mizu::CheckLoginId("０９０－１２３４－５６７８", out));
  CHECK(out.value == "09012345678");
  CHECK(out.mobile);
  CHECK_FALSE(mizu::CheckLoginId(" Taro@Example.JP ", out));
  CHECK(out.value == "Taro@example.jp");
  CHECK_FALSE(out.mobile);
}

// The checks a form runs on every field at once before sending, and the server runs again (issue 12:
// 契約の追加 flagged one field at a time).
TEST_CASE("identity fields are checked by one shared rule: required, then format", "[text][fields]") {
  mizu::CustomerNumberFormat eleven;
  CHECK(mizu::CheckCustomerNumberField("", nullptr).error == mizu::err::kRequired);
  CHECK(mizu::CheckCustomerNumberField("0-0000008002", &eleven).value == "00000008002");
  CHECK(mizu::CheckCustomerNumberField("０－００００００８００２", &eleven).value == "00000008002");
  CHECK(mizu::CheckCustomerNumberField("8002", &eleven).error == mizu::err::kCustomerNumberInvalid);
  CHECK(mizu::CheckCustomerNumberField("8002", nullptr).value == "8002");  // the length is the server's
  CHECK(mizu::CheckCustomerNumberField("abc", nullptr).error == mizu::err::kCustomerNumberInvalid);
  CHECK(mizu::CheckPhoneField("").error == mizu::err::kRequired);
  CHECK(mizu::CheckPhoneField("03-1234-5678").value == "0312345678");
  CHECK(mizu::CheckPhoneField("12345").error == mizu::err::kPhoneInvalid);
}
