// JsonWriter (backend/src/http/json_writer.hpp): its text parses back (nlohmann's parser, an independent
// reader) to the value the test builds by hand, escapes what RFC 8259 requires, and refuses misuse.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "json_writer.hpp"

using mizu::backend::http::JsonWriter;

TEST_CASE("JsonWriter: nested objects and arrays parse back to the same value", "[json_writer]") {
  JsonWriter w;
  w.BeginObject();
  w.Key("unit").String("L");
  w.Key("empty_object").BeginObject().EndObject();
  w.Key("empty_array").BeginArray().EndArray();
  w.Key("items").BeginArray();
  w.BeginObject().Key("volume_l").Int(int64_t{12}).Key("ok").Bool(true).EndObject();
  w.BeginObject().Key("volume_l").Int(std::optional<int64_t>()).Key("ok").Bool(false).EndObject();
  w.BeginArray().Int(int64_t{1}).Null().String("x").EndArray();
  w.EndArray();
  w.Key("min").Int(std::numeric_limits<int64_t>::min());
  w.Key("max").Int(std::numeric_limits<int64_t>::max());
  w.Key("dom").Value(nlohmann::json{{"a", 1}});
  w.EndObject();
  const std::string text = w.Take();
  nlohmann::json expected = {
      {"unit", "L"},
      {"empty_object", nlohmann::json::object()},
      {"empty_array", nlohmann::json::array()},
      {"items",
       {{{"volume_l", 12}, {"ok", true}}, {{"volume_l", nullptr}, {"ok", false}}, {1, nullptr, "x"}}},
      {"min", std::numeric_limits<int64_t>::min()},
      {"max", std::numeric_limits<int64_t>::max()},
      {"dom", {{"a", 1}}}};
  CHECK(nlohmann::json::parse(text) == expected);
  CHECK(text.find(' ') == std::string::npos);  // compact, as SendJson's dump
}

TEST_CASE("JsonWriter writes numbers in their shortest form and non-finite ones as null", "[json_writer]") {
  JsonWriter w(64);
  w.BeginArray().Number(0.27).Number(12.5).Number(3).Number(-0.01).Number(std::nan("")).EndArray();
  CHECK(w.Take() == "[0.27,12.5,3,-0.01,null]");  // as written by hand: no trailing zeros, no exponent
}

TEST_CASE(
    "JsonWriter escapes quotes, backslashes and control characters, keeps UTF-8, replaces invalid bytes",
    "[json_writer]") {
  const std::string tricky = "say \"hi\" \\ tab\there\nnew\x01 水守市 end";
  JsonWriter w;
  w.BeginObject()
      .Key("s")
      .String(tricky)
      .Key("bad")
      .String(
          "a\xff\xfe"
          "b")
      .Key("q\"k")
      .Int(int64_t{1})
      .EndObject();
  const std::string text = w.Take();
  auto back = nlohmann::json::parse(text);
  CHECK(back["s"] == tricky);
  CHECK(back["bad"] ==
        "a\xEF\xBF\xBD\xEF\xBF\xBD"
        "b");  // U+FFFD for each invalid byte
  CHECK(back["q\"k"] == 1);
  CHECK(text.find('\t') == std::string::npos);  // raw control characters never reach the text
  CHECK(text.find('\n') == std::string::npos);
  CHECK(text.find("水守市") != std::string::npos);  // UTF-8 as is, not \u-escaped
}

TEST_CASE("JsonWriter refuses misuse: a value without its key, unbalanced ends, an unfinished Take",
          "[json_writer]") {
  {
    JsonWriter w;
    w.BeginObject();
    CHECK_THROWS_AS(w.Int(int64_t{1}), std::logic_error);
  }
  {
    JsonWriter w;
    w.BeginArray();
    CHECK_THROWS_AS(w.EndObject(), std::logic_error);
    CHECK_THROWS_AS(w.Key("k"), std::logic_error);
    CHECK_THROWS_AS(w.Take(), std::logic_error);
  }
  {
    JsonWriter w;
    w.BeginObject().Key("k");
    CHECK_THROWS_AS(w.Key("again"), std::logic_error);
    CHECK_THROWS_AS(w.EndObject(), std::logic_error);
  }
  {
    JsonWriter w;
    w.Int(int64_t{1});
    CHECK_THROWS_AS(w.Int(int64_t{2}), std::logic_error);
    CHECK(w.Take() == "1");
  }
}

TEST_CASE("AppendQuoted and AppendInt write what String and Int write, for a caller's Fragment",
          "[json_writer]") {
  const std::string texts[] = {"2026-11-24", "", "say \"hi\" \\ tab\there\nnew\x01 水守市",
                               "a\xff\xfe"
                               "b"};
  for (const std::string& t : texts) {
    JsonWriter w;
    w.String(t);
    std::string out = "x";
    JsonWriter::AppendQuoted(out, t);
    CHECK(out == "x" + w.Take());
    CHECK(nlohmann::json::parse(out.substr(1)).is_string());
  }
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{4180}, std::numeric_limits<int64_t>::min()}) {
    std::string out;
    JsonWriter::AppendInt(out, v);
    CHECK(nlohmann::json::parse(out).get<int64_t>() == v);
  }
  // A Fragment built from them is one value in its array.
  std::string item = R"({"k":)";
  JsonWriter::AppendQuoted(item, "a\"b");
  item += '}';
  JsonWriter w;
  w.BeginArray().Fragment(item).Fragment(item).EndArray();
  auto back = nlohmann::json::parse(w.Take());
  REQUIRE(back.size() == 2);
  CHECK(back[1]["k"] == "a\"b");
}
