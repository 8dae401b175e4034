// RFC 4180 CSV parsing/formatting and UTF-8 ⇄ CP932 conversion (glibc iconv: its CP932 is the Windows
// mapping, e.g. U+2252 → 0x81E0, and encodes each NEC/IBM duplicate as Windows does).
#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "mizu/backend/csv.hpp"
#include "mizu/text.hpp"

namespace mizu::backend {
namespace {

std::string HexCode(char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04X", static_cast<unsigned>(cp));
  return buf;
}

int LineOfOffset(std::string_view text, size_t offset) {
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + std::min(offset, text.size()), '\n'));
}

// iconv from → to. A sequence `from` cannot decode is a CsvError (with its line); with `substituted` given, a
// UTF-8 character the target cannot hold is written as `substitute` (bytes in the target encoding) and its
// code point appended to *substituted; without it, that is a CsvError too.
std::string Convert(std::string_view in, const char* to, const char* from,
                    std::vector<char32_t>* substituted = nullptr, std::string_view substitute = {}) {
  iconv_t cd = iconv_open(to, from);
  if (cd == reinterpret_cast<iconv_t>(-1))
    throw CsvError(0, std::string("iconv cannot convert ") + from + " to " + to);
  std::string out;
  out.resize(in.size() * 2 + 16);
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  size_t written = 0;
  auto fail = [&](const std::string& message) {
    size_t offset = in.size() - src_left;
    iconv_close(cd);
    throw CsvError(LineOfOffset(in, offset), message + " at offset " + std::to_string(offset));
  };
  while (src_left > 0) {
    char* dst = out.data() + written;
    size_t dst_left = out.size() - written;
    size_t rc = iconv(cd, &src, &src_left, &dst, &dst_left);
    written = out.size() - dst_left;
    if (rc != static_cast<size_t>(-1)) continue;
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    const bool from_utf8 = std::string_view(from) == "UTF-8";
    const Utf8Char ch = from_utf8 ? DecodeUtf8At(std::string_view(src, src_left), 0) : Utf8Char{};
    if (errno != EILSEQ || !from_utf8 || !ch.ok) fail(std::string("bytes not valid ") + from);
    if (!substituted) fail("U+" + HexCode(ch.cp) + " cannot be written in " + to);
    substituted->push_back(ch.cp);
    src += ch.len;
    src_left -= ch.len;
    if (written + substitute.size() > out.size()) out.resize(out.size() * 2 + substitute.size());
    out.replace(written, substitute.size(), substitute);
    written += substitute.size();
  }
  iconv_close(cd);
  out.resize(written);
  return out;
}

}  // namespace

CsvError::CsvError(int l, const std::string& message)
    : std::runtime_error(l > 0 ? "line " + std::to_string(l) + ": " + message : message), line(l) {}

std::optional<size_t> CsvTable::Column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  return std::nullopt;
}

CsvTable ParseCsv(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<CsvRow> records;
  CsvRow current;
  std::string field;
  int line = 1;
  current.line = 1;
  bool in_quotes = false, field_started = false, after_quote = false;
  auto end_field = [&] {
    current.fields.push_back(std::move(field));
    field.clear();
    field_started = after_quote = false;
  };
  auto end_record = [&](int next_line) {
    end_field();
    bool blank = current.fields.size() == 1 && current.fields[0].empty();
    if (!blank) records.push_back(std::move(current));
    current = CsvRow{next_line, {}};
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
          after_quote = true;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"') {
      if (field_started || after_quote) throw CsvError(line, "stray quote inside an unquoted field");
      in_quotes = true;
      field_started = true;
    } else if (c == ',') {
      end_field();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    } else if (c == '\n') {
      ++line;
      end_record(line);
    } else {
      if (after_quote) throw CsvError(line, "characters after a closing quote");
      field += c;
      field_started = true;
    }
  }
  if (in_quotes) throw CsvError(current.line, "unterminated quoted field");
  if (field_started || after_quote || !current.fields.empty()) end_record(line);

  CsvTable table;
  if (records.empty()) return table;
  for (auto& h : records.front().fields) table.header.push_back(std::string(TrimSpacesTabs(h)));
  table.rows.assign(std::make_move_iterator(records.begin() + 1), std::make_move_iterator(records.end()));
  return table;
}

std::string CsvRecord(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    const auto& f = fields[i];
    bool quote = f.find_first_of(",\"\r\n") != std::string::npos ||
                 (!f.empty() && (f.front() == ' ' || f.back() == ' '));
    if (!quote) {
      out += f;
      continue;
    }
    out += '"';
    for (char c : f) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += "\r\n";
  return out;
}

std::optional<TextEncoding> ParseEncoding(std::string_view name) {
  const std::string n = AsciiLower(name);
  if (n.empty() || n == "utf-8" || n == "utf8") return TextEncoding::kUtf8;
  if (n == "cp932" || n == "shift_jis" || n == "sjis" || n == "windows-31j" || n == "ms932")
    return TextEncoding::kCp932;
  return std::nullopt;
}

std::string DecodeText(std::string_view bytes, TextEncoding encoding) {
  if (encoding == TextEncoding::kCp932) return Convert(bytes, "UTF-8", "CP932");
  // One UTF-8 rule for import and export: the shared decoder's (RFC 3629: no code point above U+10FFFF, no
  // surrogates, no overlong forms). glibc's iconv accepts some of those, which EncodeText then refused.
  for (size_t pos = 0; pos < bytes.size();) {
    const Utf8Char ch = DecodeUtf8At(bytes, pos);
    if (!ch.ok)
      throw CsvError(LineOfOffset(bytes, pos), "bytes not valid UTF-8 at offset " + std::to_string(pos));
    pos += ch.len;
  }
  return std::string(bytes);
}

std::string EncodeText(std::string_view utf8, TextEncoding encoding, std::vector<char32_t>* substituted) {
  if (encoding == TextEncoding::kUtf8) return std::string(utf8);
  return Convert(utf8, "CP932", "UTF-8", substituted, kCp932Geta);
}

std::string CodePointLabel(char32_t cp) {
  return "U+" + HexCode(cp);
}

CsvExport::CsvExport(const std::vector<std::string>& header, TextEncoding encoding) : encoding_(encoding) {
  columns_ = header;
  bytes = EncodeText(CsvRecord(header), encoding);
}

void CsvExport::Add(const std::vector<std::string>& fields) {
  ++rows;
  std::vector<std::string> encoded;
  encoded.reserve(fields.size());
  std::vector<char32_t> lost;
  for (size_t i = 0; i < fields.size(); ++i) {
    lost.clear();
    // Field by field, so each substitution is known by row and column. CP932 trail bytes (0x40–0xFC) are
    // never '"', ',', CR, LF or space, so quoting the encoded bytes is quoting the text.
    encoded.push_back(EncodeText(fields[i], encoding_, &lost));
    for (char32_t cp : lost)
      substitutions.push_back({rows, i < columns_.size() ? columns_[i] : std::to_string(i + 1), cp});
  }
  bytes += CsvRecord(encoded);
}

}  // namespace mizu::backend
