#include "ui/form_errors.hpp"

namespace mizu::web {
namespace {

// The catalog's text for code, else the server's text, else the generic error.
std::string Message(Lang lang, const std::string& code, const std::string& server_text) {
  std::string_view m = ErrorMessage(lang, code);
  if (m.substr(0, 6) != "error.") return std::string(m);
  if (!server_text.empty()) return server_text;
  return std::string(ErrorMessage(lang, err::kInternal));
}

}  // namespace

void FormErrors::Set(const api::ErrorBody& e) {
  Clear();
  for (const auto& [name, f] : e.fields) fields[name] = {f.code, f.message};
  if (fields.empty()) {
    code = e.code;
    message = e.message;
  }
}

std::string FormErrors::Field(Lang lang, const std::string& field) const {
  auto it = fields.find(field);
  if (it == fields.end()) return "";
  return Message(lang, it->second.first, it->second.second);
}

std::string FormErrors::Notice(Lang lang) const {
  if (code.empty()) return "";
  // Messages with the server's details (an exact date) are better in the server's words when they were given
  // in this language; the catalog's text otherwise.
  if (code == "not_yet_visible" && !message.empty()) return message;
  return Message(lang, code, message);
}

}  // namespace mizu::web
