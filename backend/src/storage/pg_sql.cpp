// PostgresSql (pg_sql.hpp).
#include "pg_sql.hpp"

#include <algorithm>
#include <cctype>

namespace mizu::backend::storage {

std::string PostgresSql(std::string_view sql, std::vector<bool>* used) {
  static constexpr std::string_view kNocase = " COLLATE NOCASE";
  std::string out;
  out.reserve(sql.size() + 16);
  int largest = 0;
  for (size_t i = 0; i < sql.size();) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {  // a quoted literal or name, its doubled quotes included
      size_t end = i + 1;
      while (end < sql.size() && !(sql[end] == c && (end + 1 >= sql.size() || sql[end + 1] != c)))
        end += sql[end] == c ? 2 : 1;
      end = std::min(end + 1, sql.size());
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '?') {
      size_t end = i + 1;
      while (end < sql.size() && std::isdigit(static_cast<unsigned char>(sql[end]))) ++end;
      const int number = end > i + 1 ? std::stoi(std::string(sql.substr(i + 1, end - i - 1))) : largest + 1;
      largest = std::max(largest, number);
      if (used) {
        if (used->size() < static_cast<size_t>(number)) used->resize(static_cast<size_t>(number), false);
        (*used)[static_cast<size_t>(number) - 1] = true;
      }
      out += '$';
      out += std::to_string(number);
      i = end;
    } else if (sql.substr(i, kNocase.size()) == kNocase) {
      out += "::citext";  // the term before it compared as citext (a text parameter would compare as text)
      i += kNocase.size();
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

}  // namespace mizu::backend::storage
