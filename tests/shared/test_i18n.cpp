// The catalog: every key in both languages, every error code has a message, negotiation and formatting.
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "mizu/errors.hpp"
#include "mizu/i18n.hpp"

using namespace mizu;

TEST_CASE("every catalog key has Japanese and English text", "[i18n]") {
  std::set<std::string_view> seen;
  for (const auto& e : Catalog()) {
    INFO(std::string(e.key));
    CHECK_FALSE(e.key.empty());
    CHECK_FALSE(e.ja.empty());
    CHECK_FALSE(e.en.empty());
    CHECK(seen.insert(e.key).second);  // no duplicate keys
  }
  CHECK(seen.size() > 20);
}

TEST_CASE("every error code has a message in both languages", "[i18n]") {
  for (auto code : err::kAll) {
    INFO(std::string(code));
    CHECK(ErrorMessage(Lang::kJa, code) != code);
    CHECK(ErrorMessage(Lang::kEn, code) != code);
  }
  CHECK(ErrorMessage(Lang::kJa, err::kWatchOverlap) == "見守り期間が重複しています");
}

TEST_CASE("unknown keys show themselves", "[i18n]") {
  CHECK(Tr(Lang::kJa, "no.such.key") == "no.such.key");
  CHECK(Tr(Lang::kEn, "login.title") == "Log in");
  CHECK(Tr(Lang::kJa, "login.title") == "ログイン");
}

TEST_CASE("language negotiation", "[i18n]") {
  CHECK(LangFromAcceptLanguage("") == Lang::kJa);
  CHECK(LangFromAcceptLanguage("en-US,en;q=0.9") == Lang::kEn);
  CHECK(LangFromAcceptLanguage("fr-FR, en;q=0.5") == Lang::kEn);
  CHECK(LangFromAcceptLanguage("ja,en;q=0.8") == Lang::kJa);
  CHECK(LangFromAcceptLanguage("de") == Lang::kJa);
  CHECK(ParseLang("EN") == Lang::kEn);
  CHECK(ParseLang("xx") == Lang::kJa);
  CHECK(LangTag(Lang::kEn) == "en");
}

TEST_CASE("format replaces named placeholders", "[i18n]") {
  CHECK(Format("{a}と{b}", {{"a", "1"}, {"b", "2"}}) == "1と2");
  CHECK(Format("{a} {missing}", {{"a", "x"}}) == "x {missing}");
  CHECK(Format("{unclosed", {}) == "{unclosed");
}
