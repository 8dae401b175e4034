#pragma once
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "mizu/api.hpp"
#include "mizu/i18n.hpp"
#include "mizu/text.hpp"

namespace mizu::web {

// Error codes from the API (or from the shared validators in the browser), shown in the CURRENT language: the
// codes are kept, not the server's text, so a language switch re-translates them.
struct FormErrors {
  std::string code;     // a whole-form error, shown near the submit button
  std::string message;  // the server's text for code (when the catalog lacks it)
  std::map<std::string, std::pair<std::string, std::string>> fields;  // field → {code, server text}
  void Clear() { *this = {}; }
  bool Any() const { return !code.empty() || !fields.empty(); }
  void Set(const api::ErrorBody& e);
  void SetField(const std::string& field, std::string_view code) { fields[field] = {std::string(code), ""}; }
  // Runs a shared field check (mizu/text.hpp CheckXxxField): on success the field shows the normalised value,
  // on failure the error is recorded and the typed text is kept.
  void Check(const std::string& field, std::string& value, const FieldCheck& check) {
    if (check.error)
      SetField(field, *check.error);
    else
      value = check.value;
  }
  std::string Field(Lang lang, const std::string& field) const;
  std::string Notice(Lang lang) const;
};

}  // namespace mizu::web
