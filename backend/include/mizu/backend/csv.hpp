#pragma once
// CSV as the billing system (CIS) and head-ends send it: RFC 4180 (quoted fields, doubled quotes, CRLF or LF,
// newlines inside quotes), a header row naming the columns (order free, extra columns ignored), UTF-8 or CP932.
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mizu::backend {

class CsvError : public std::runtime_error {
 public:
  CsvError(int line, const std::string& message);
  int line;
};

struct CsvRow {
  int line = 0;  // 1-based line of the file where the row starts (the header is line 1)
  std::vector<std::string> fields;
};

struct CsvTable {
  std::vector<std::string> header;  // trimmed column names
  std::vector<CsvRow> rows;         // data rows; blank lines skipped
  // Index of a column by name, or nullopt.
  std::optional<size_t> Column(std::string_view name) const;
};

// Parses text (a UTF-8 BOM is skipped). Throws CsvError on an unterminated quote or a stray quote.
CsvTable ParseCsv(std::string_view text);
// Formats one record, quoting fields that need it; ends with CRLF.
std::string CsvRecord(const std::vector<std::string>& fields);

// "utf-8" (default) or "cp932" (Windows-31J, aka Shift_JIS as Japanese business systems write it).
enum class TextEncoding { kUtf8, kCp932 };
// "utf-8"/"utf8" → kUtf8, "cp932"/"shift_jis"/"sjis"/"windows-31j" → kCp932; nullopt otherwise.
std::optional<TextEncoding> ParseEncoding(std::string_view name);
// Decodes to UTF-8; throws CsvError (line of the bad byte) if the bytes are not valid in that encoding.
std::string DecodeText(std::string_view bytes, TextEncoding encoding);
// Encodes UTF-8 text; characters CP932 cannot hold are replaced by '?'. Throws on invalid UTF-8.
std::string EncodeText(std::string_view utf8, TextEncoding encoding);

// One refused row of an import, reported back with the reason.
struct ImportRowError {
  int line = 0;
  std::string field;  // column name, or "" for the whole row
  std::string code;   // stable error code (errors.hpp or import-specific)
  std::string detail;  // English detail for operators
};

struct ImportReport {
  int rows = 0;
  int inserted = 0;
  int updated = 0;
  int unchanged = 0;
  int rejected = 0;
  std::vector<ImportRowError> errors;
};

}  // namespace mizu::backend
