// JsonWriter (json_writer.hpp).
#include "json_writer.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace mizu::backend::http {

void JsonWriter::BeforeValue() {
  if (object_.empty()) {
    if (done_) throw std::logic_error("JsonWriter: a second top-level value");
    done_ = true;  // the top-level value (its End may come later for a container)
    return;
  }
  if (object_.back()) {
    if (!key_pending_) throw std::logic_error("JsonWriter: a value without its key in an object");
    key_pending_ = false;
    return;
  }
  if (!first_.back()) out_ += ',';
  first_.back() = false;
}

JsonWriter& JsonWriter::BeginObject() {
  BeforeValue();
  out_ += '{';
  object_.push_back(true);
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  if (object_.empty() || !object_.back() || key_pending_) throw std::logic_error("JsonWriter: EndObject");
  out_ += '}';
  object_.pop_back();
  first_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  BeforeValue();
  out_ += '[';
  object_.push_back(false);
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  if (object_.empty() || object_.back()) throw std::logic_error("JsonWriter: EndArray");
  out_ += ']';
  object_.pop_back();
  first_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view name) {
  if (object_.empty() || !object_.back() || key_pending_) throw std::logic_error("JsonWriter: Key");
  if (!first_.back()) out_ += ',';
  first_.back() = false;
  Quoted(name);
  out_ += ':';
  key_pending_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view text) {
  BeforeValue();
  Quoted(text);
  return *this;
}

void JsonWriter::Quoted(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
      out_ +=
          nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return;
    }
  out_.push_back('"');
  out_.append(text.data(), text.size());
  out_.push_back('"');
}

JsonWriter& JsonWriter::Int(int64_t value) {
  BeforeValue();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, end);
  return *this;
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
  if (!done_ || !object_.empty()) throw std::logic_error("JsonWriter: Take before the value is complete");
  done_ = false;
  return std::move(out_);
}

}  // namespace mizu::backend::http
