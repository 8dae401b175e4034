// RFC 4180 CSV parsing/formatting and UTF-8 ⇄ CP932 conversion (glibc iconv).
#include <iconv.h>

#include <cerrno>
#include <algorithm>

#include "mizu/backend/csv.hpp"

namespace mizu::backend {
namespace {

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

int LineOfOffset(std::string_view text, size_t offset) {
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + std::min(offset, text.size()), '\n'));
}

std::string Convert(std::string_view in, const char* to, const char* from, bool replace_unknown) {
  iconv_t cd = iconv_open(to, from);
  if (cd == reinterpret_cast<iconv_t>(-1)) throw CsvError(0, std::string("iconv cannot convert ") + from + " to " + to);
  std::string out;
  out.resize(in.size() * 2 + 16);
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  size_t written = 0;
  while (src_left > 0) {
    char* dst = out.data() + written;
    size_t dst_left = out.size() - written;
    size_t rc = iconv(cd, &src, &src_left, &dst, &dst_left);
    written = out.size() - dst_left;
    if (rc != static_cast<size_t>(-1)) continue;
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
    } else if (replace_unknown && errno == EILSEQ && std::string_view(from) == "UTF-8") {
      // Skip one UTF-8 character and write '?'.
      size_t len = 1;
      unsigned char c = static_cast<unsigned char>(*src);
      if (c >= 0xF0) len = 4; else if (c >= 0xE0) len = 3; else if (c >= 0xC0) len = 2;
      if (len > src_left) len = src_left;
      src += len;
      src_left -= len;
      if (written + 1 > out.size()) out.resize(out.size() * 2);
      out[written++] = '?';
    } else {
      size_t offset = in.size() - src_left;
      iconv_close(cd);
      throw CsvError(LineOfOffset(in, offset), std::string("bytes not valid ") + from + " at offset " +
                                                   std::to_string(offset));
    }
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
  for (auto& h : records.front().fields) table.header.push_back(Trim(h));
  table.rows.assign(std::make_move_iterator(records.begin() + 1), std::make_move_iterator(records.end()));
  return table;
}

std::string CsvRecord(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    const auto& f = fields[i];
    bool quote = f.find_first_of(",\"\r\n") != std::string::npos || (!f.empty() && (f.front() == ' ' || f.back() == ' '));
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
  std::string n(name);
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
  if (n.empty() || n == "utf-8" || n == "utf8") return TextEncoding::kUtf8;
  if (n == "cp932" || n == "shift_jis" || n == "sjis" || n == "windows-31j" || n == "ms932") return TextEncoding::kCp932;
  return std::nullopt;
}

std::string DecodeText(std::string_view bytes, TextEncoding encoding) {
  if (encoding == TextEncoding::kCp932) return Convert(bytes, "UTF-8", "CP932", false);
  Convert(bytes, "UTF-8", "UTF-8", false);  // validates
  return std::string(bytes);
}

std::string EncodeText(std::string_view utf8, TextEncoding encoding) {
  if (encoding == TextEncoding::kUtf8) return std::string(utf8);
  return Convert(utf8, "CP932", "UTF-8", true);
}

}  // namespace mizu::backend
