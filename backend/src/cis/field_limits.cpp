// Bounds and the control-character check for every column of the CIS imports (customers, bills, payments):
// one place, run before any column is parsed, so no importer can store or echo what it refuses.
#include <string>

#include "mizu/backend/csv.hpp"
#include "mizu/text.hpp"

namespace mizu::backend {

size_t CisColumnMaxChars(std::string_view column) {
  if (column == "address") return 200;
  if (column == "holder_name" || column == "holder_kana") return 100;
  return 64;
}

bool CheckCisRowText(const CsvTable& table, const CsvRow& row, const std::vector<const char*>& columns,
                     std::vector<ImportRowError>& errors) {
  bool clean = true;
  for (const char* column : columns) {
    auto i = table.Column(column);
    if (!i || *i >= row.fields.size()) continue;
    const std::string& value = row.fields[*i];
    const size_t max = CisColumnMaxChars(column);
    auto e = ValidateTextField(value, max);
    if (!e) continue;
    clean = false;
    std::string detail;
    if (*e == err::kControlCharacter) {
      detail = std::string(column) + " contains a control character (C0, DEL or C1 such as U+0085)";
    } else if (*e == err::kTooLong) {
      detail = std::string(column) + " is " + std::to_string(Utf8Length(value)) + " characters; at most " +
               std::to_string(max);
    } else {
      detail = std::string(column) + " is not valid text";
    }
    errors.push_back({row.line, column, std::string(*e), std::move(detail)});
  }
  return clean;
}

}  // namespace mizu::backend
