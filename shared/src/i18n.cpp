// Catalog lookup, language negotiation and "{name}" formatting. The entries live in i18n_catalog.cpp.
#include "mizu/i18n.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <unordered_map>

#include "mizu/text.hpp"

namespace mizu {
namespace {

const std::unordered_map<std::string_view, const CatalogEntry*>& Index() {
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string_view, const CatalogEntry*>();
    for (const auto& e : Catalog()) m->emplace(e.key, &e);
    return m;
  }();
  return *index;
}

}  // namespace

Lang ParseLang(std::string_view tag) {
  std::string t = AsciiLower(tag);
  return (t == "en" || t.rfind("en-", 0) == 0 || t.rfind("en_", 0) == 0) ? Lang::kEn : Lang::kJa;
}

Lang LangFromAcceptLanguage(std::string_view header) {
  // Entries are separated by ',' and may carry ";q=…"; we take the first one we support (ja or en).
  size_t pos = 0;
  while (pos <= header.size()) {
    size_t end = header.find(',', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view item = header.substr(pos, end - pos);
    item = item.substr(0, item.find(';'));
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    std::string t = AsciiLower(item);
    if (t == "ja" || t.rfind("ja-", 0) == 0) return Lang::kJa;
    if (t == "en" || t.rfind("en-", 0) == 0) return Lang::kEn;
    pos = end + 1;
  }
  return Lang::kJa;
}

std::string_view LangTag(Lang lang) {
  return lang == Lang::kEn ? "en" : "ja";
}

std::string_view Tr(Lang lang, std::string_view key) {
  const auto& index = Index();
  auto it = index.find(key);
  if (it == index.end()) return key;
  return lang == Lang::kEn ? it->second->en : it->second->ja;
}

std::string_view ErrorMessage(Lang lang, std::string_view code) {
  std::string key = "error." + std::string(code);
  const auto& index = Index();
  auto it = index.find(key);
  if (it == index.end()) return code;
  return lang == Lang::kEn ? it->second->en : it->second->ja;
}

std::string Format(std::string_view text, const std::vector<std::pair<std::string, std::string>>& args) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '{') {
      size_t close = text.find('}', i);
      if (close != std::string_view::npos) {
        std::string_view name = text.substr(i + 1, close - i - 1);
        auto it = std::find_if(args.begin(), args.end(), [&](const auto& a) { return a.first == name; });
        if (it != args.end()) {
          out += it->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

}  // namespace mizu
