#pragma once
// The ja/en message catalog: every string the product shows a person (UI labels, error messages, mail texts).
// Japanese is the default. Unknown keys return the key itself so a missing entry is visible, never blank.
#include <string>
#include <string_view>
#include <vector>

namespace mizu {

enum class Lang { kJa, kEn };

// "ja"/"en" (case-insensitive, region ignored: "en-US" → en). Anything else → ja.
Lang ParseLang(std::string_view tag);
// The first language of an Accept-Language header we support, else ja.
Lang LangFromAcceptLanguage(std::string_view header);
std::string_view LangTag(Lang lang);

// The text for key in lang; the key itself if the catalog has no such entry.
std::string_view Tr(Lang lang, std::string_view key);
// Tr(lang, "error." + code).
std::string_view ErrorMessage(Lang lang, std::string_view code);
// Replaces each "{name}" in text by the matching value; unknown names are left as they are.
std::string Format(std::string_view text, const std::vector<std::pair<std::string, std::string>>& args);

struct CatalogEntry {
  std::string_view key;
  std::string_view ja;
  std::string_view en;
};
// All entries, for tests and for the font subset (every glyph the UI can show).
const std::vector<CatalogEntry>& Catalog();

}  // namespace mizu
