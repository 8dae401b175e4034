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

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace mizu::backend::http {

class JsonWriter {
 public:
  // `reserve`: bytes allocated up front (a year of daily usage is ~60 KB: a few doublings at most).
  explicit JsonWriter(size_t reserve = 16384) { out_.reserve(reserve); }
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view name);
  JsonWriter& String(std::string_view text);
  JsonWriter& Int(int64_t value);
  JsonWriter& Int(const std::optional<int64_t>& value);  // null when empty
  JsonWriter& Number(double value);  // shortest round-trip form (std::to_chars); null when not finite
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  JsonWriter& Value(const nlohmann::json& value);  // a DOM value, dumped in place
  // The text; the writer must be back at the top level with one value written.
  std::string Take();

 private:
  void BeforeValue();
  void Quoted(std::string_view text);  // "text", escaped (no comma, no key bookkeeping)
  std::string out_;
  // One entry per open container: true for an object. `first_` says whether it has no member yet.
  std::vector<bool> object_;
  std::vector<bool> first_;
  bool key_pending_ = false;
  bool done_ = false;
};

}  // namespace mizu::backend::http
