#pragma once
// CSV as the billing system (CIS) and head-ends send it: RFC 4180 (quoted fields, doubled quotes, CRLF or LF,
// newlines inside quotes), a header row naming the columns (order free, extra columns ignored), UTF-8 or
// CP932.
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
// 〓 (U+3013 GETA MARK) in CP932: what an export writes for a character CP932 cannot hold.
inline constexpr std::string_view kCp932Geta = "\x81\xAC";
// Encodes UTF-8 text. A character CP932 cannot hold is never replaced silently: with `substituted` it is
// written as 〓 and its code point appended there; without, it is a CsvError. Throws on invalid UTF-8.
std::string EncodeText(std::string_view utf8, TextEncoding encoding,
                       std::vector<char32_t>* substituted = nullptr);
// "U+20BB7".
std::string CodePointLabel(char32_t cp);

// One character an export wrote as 〓: the data row (1 = first after the header), its column and the
// character.
struct Substitution {
  int row = 0;
  std::string column;
  char32_t cp = 0;
};
// An export CSV being built: the header at construction, then one record per Add, each field encoded on its
// own so every substitution is listed with its row and column.
class CsvExport {
 public:
  CsvExport(const std::vector<std::string>& header, TextEncoding encoding);
  void Add(const std::vector<std::string>& fields);

  std::string bytes;  // the file: header and records, CRLF, in the export's encoding
  int rows = 0;
  std::vector<Substitution> substitutions;

 private:
  TextEncoding encoding_;
  std::vector<std::string> columns_;
};

// One refused row of an import, reported back with the reason.
struct ImportRowError {
  int line = 0;
  std::string field;   // column name, or "" for the whole row
  std::string code;    // stable error code (errors.hpp or import-specific)
  std::string detail;  // English detail for operators
};

// The longest value each CIS column may hold, in characters (docs/import.md "Field limits"): holder_name and
// holder_kana 100, address 200, every other column 64.
size_t CisColumnMaxChars(std::string_view column);
// The shared text check (ValidateTextField) on each listed column of one CIS row: a control character, bad
// bytes or a value longer than CisColumnMaxChars is one error per field (codes control_character,
// invalid_format, too_long; the detail never echoes the value). False when the row must be refused.
bool CheckCisRowText(const CsvTable& table, const CsvRow& row, const std::vector<const char*>& columns,
                     std::vector<ImportRowError>& errors);

struct ImportReport {
  int rows = 0;
  int inserted = 0;
  int updated = 0;
  int unchanged = 0;
  int rejected = 0;
  std::vector<ImportRowError> errors;
};

}  // namespace mizu::backend
