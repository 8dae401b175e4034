// JsonWriter: a JSON text (RFC 8259) written front to back into one string, for the answers that carry many
// small objects (usage by hour, bills): building nlohmann's DOM — a std::map per object — and dumping it was
// a third of such a route's CPU (docs/performance.md). nlohmann::json has no streaming writer, hence this.
// Strings that need no escape (printable ASCII without `"` or `\`) are copied; any other string is escaped
// by nlohmann's serializer (invalid UTF-8 replaced by U+FFFD), so the escaping rules stay the library's.
//
//   JsonWriter w;
//   w.BeginObject().Key("unit").String("L").Key("items").BeginArray();
//   for (…) w.BeginObject().Key("volume_l").Int(v).EndObject();
//   w.EndArray().EndObject();
//   SendJsonText(res, 200, w.Take());
//
// Keys are written as given (callers pass literal ASCII names). Misuse (a value where a key belongs, an
// unbalanced End) is a programming error: std::logic_error.
#pragma once

#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace mizu::backend::http {

class JsonWriter {
 public:
  // `reserve`: bytes allocated up front (a year of daily usage is ~60 KB: a few doublings at most).
  explicit JsonWriter(size_t reserve = 16384) { out_.reserve(reserve); }
  // The members used for every item of a long answer are defined here, so that they inline.
  JsonWriter& BeginObject() {
    BeforeValue();
    out_ += '{';
    open_ += kObject;
    return *this;
  }
  JsonWriter& EndObject() {
    if (open_.empty() || !(open_.back() & kObject) || key_pending_)
      throw std::logic_error("JsonWriter: EndObject");
    out_ += '}';
    open_.pop_back();
    return *this;
  }
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view name) {
    if (open_.empty() || !(open_.back() & kObject) || key_pending_) throw std::logic_error("JsonWriter: Key");
    Comma();
    Quoted(name);
    out_ += ':';
    key_pending_ = true;
    return *this;
  }
  JsonWriter& String(std::string_view text) {
    BeforeValue();
    Quoted(text);
    return *this;
  }
  JsonWriter& Int(int64_t value) {
    BeforeValue();
    AppendInt(out_, value);
    return *this;
  }
  JsonWriter& Int(const std::optional<int64_t>& value);  // null when empty
  JsonWriter& Number(double value);  // shortest round-trip form (std::to_chars); null when not finite
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  JsonWriter& Value(const nlohmann::json& value);  // a DOM value, dumped in place
  // One JSON value written as given: the caller assembled it from parts that need no escaping (fixed keys,
  // numbers, ISO stamps, fixed words) and vouches that it is one complete value. For the items of a long
  // answer, where one copy per item costs a fraction of a writer call per member.
  JsonWriter& Fragment(std::string_view json) {
    BeforeValue();
    out_.append(json);
    return *this;
  }
  // The text; the writer must be back at the top level with one value written.
  std::string Take();

  // For callers assembling a Fragment: `text` as a JSON string ("…", escaped exactly as String writes it),
  // and `value` in decimal, appended to `out`.
  static void AppendQuoted(std::string& out, std::string_view text) {
    if (!IsPlain(text)) return AppendEscaped(out, text);
    out += '"';
    out.append(text);
    out += '"';
  }
  // Whether `text` goes between the quotes as it is (printable ASCII but `"` and `\`); else String escapes
  // it, writing at most 6 bytes a byte ("\u001f"; an invalid byte becomes U+FFFD, 3).
  static bool IsPlain(std::string_view text) {
    for (unsigned char c : text)
      if (!kPlain[c]) return false;
    return true;
  }
  static void AppendInt(std::string& out, int64_t value) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, end);
  }

 private:
  // One byte per open container in `open_`: kObject for an object (else an array), | kHasMember once it has
  // one.
  static constexpr char kObject = 1, kHasMember = 2;
  // The bytes copied as they are between the quotes: printable ASCII but `"` and `\`.
  static constexpr std::array<bool, 256> kPlain = [] {
    std::array<bool, 256> t{};
    for (int c = 0x20; c < 0x7f; ++c) t[c] = c != '"' && c != '\\';
    return t;
  }();
  // The comma before a member of the innermost container, unless it is its first.
  void Comma() {
    char& top = open_.back();
    if (top & kHasMember) out_ += ',';
    top |= kHasMember;
  }
  void BeforeValue() {
    if (open_.empty()) {
      if (done_) throw std::logic_error("JsonWriter: a second top-level value");
      done_ = true;  // the top-level value (its End may come later for a container)
    } else if (open_.back() & kObject) {
      if (!key_pending_) throw std::logic_error("JsonWriter: a value without its key in an object");
      key_pending_ = false;
    } else {
      Comma();
    }
  }
  void Quoted(std::string_view text) { AppendQuoted(out_, text); }     // no comma, no key bookkeeping
  static void AppendEscaped(std::string& out, std::string_view text);  // "text" by nlohmann's serializer
  std::string out_;
  std::string open_;  // the open containers, innermost last (no allocation up to 15 levels)
  bool key_pending_ = false;
  bool done_ = false;
};

}  // namespace mizu::backend::http
