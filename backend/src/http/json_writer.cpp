// JsonWriter (json_writer.hpp).
#include "json_writer.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace mizu::backend::http {

JsonWriter& JsonWriter::BeginArray() {
  BeforeValue();
  out_ += '[';
  open_ += '\0';
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  if (open_.empty() || (open_.back() & kObject)) throw std::logic_error("JsonWriter: EndArray");
  out_ += ']';
  open_.pop_back();
  return *this;
}

void JsonWriter::AppendEscaped(std::string& out, std::string_view text) {
  // One string value per thread, its buffer reused: an address or a name in Japanese comes here on most
  // answers, and a fresh value was two allocations more each time.
  thread_local nlohmann::json value = std::string();
  auto& held = value.get_ref<std::string&>();
  held.assign(text);
  out += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (held.capacity() > 4096) held = std::string();  // a long text does not stay held by the thread
}

JsonWriter& JsonWriter::Number(double value) {
  if (!std::isfinite(value)) return Null();  // JSON has no NaN or infinity (as nlohmann writes them)
  BeforeValue();
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, end);
  return *this;
}

JsonWriter& JsonWriter::Int(const std::optional<int64_t>& value) {
  return value ? Int(*value) : Null();
}

JsonWriter& JsonWriter::Bool(bool value) {
  BeforeValue();
  out_ += value ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::Value(const nlohmann::json& value) {
  BeforeValue();
  out_ += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return *this;
}

std::string JsonWriter::Take() {
  if (!done_ || !open_.empty()) throw std::logic_error("JsonWriter: Take before the value is complete");
  done_ = false;
  return std::move(out_);
}

}  // namespace mizu::backend::http
