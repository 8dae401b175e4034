// FieldOr / ArrayField / ObjectField (mizu/json_fields.hpp): the one rule for reading members of outside
// JSON. Expected values are the JSON literals themselves; a wrong type must read as the fallback and never
// throw.
#include <catch2/catch.hpp>

#include "mizu/json_fields.hpp"

using namespace mizu;
using nlohmann::json;

TEST_CASE("FieldOr returns the member when it has the asked type", "[json]") {
  auto j =
      json::parse(R"({"s":"水","b":true,"i":-7,"u":3000000000,"d":1.5,"v":[1,2],"w":["a"],"o":{"k":1}})");
  CHECK(FieldOr(j, "s", "") == "水");
  CHECK(FieldOr(j, "b", false) == true);
  CHECK(FieldOr(j, "i", 0) == -7);
  CHECK(FieldOr<int64_t>(j, "u", 0) == 3000000000LL);
  CHECK(FieldOr(j, "d", 0.0) == 1.5);
  CHECK(FieldOr(j, "i", 0.0) == -7.0);
  CHECK(FieldOr(j, "v", std::vector<int>{}) == std::vector<int>{1, 2});
  CHECK(FieldOr(j, "w", std::vector<std::string>{}) == std::vector<std::string>{"a"});
  CHECK(ObjectField(j, "o") == json{{"k", 1}});
  CHECK(ArrayField(j, "v").size() == 2);
}

TEST_CASE("FieldOr reads a missing member or one of the wrong type as the fallback", "[json][fuzz]") {
  auto j = json::parse(R"({"s":{"x":1},"b":"true","i":1.5,"big":3000000000,"neg":-1,"e":1e3,
                          "v":[1,"2"],"w":[1],"o":[],"a":{}})");
  CHECK(FieldOr(j, "s", "fb") == "fb");
  CHECK(FieldOr(j, "missing", "fb") == "fb");
  CHECK(FieldOr(j, "b", false) == false);
  CHECK(FieldOr(j, "i", 9) == 9);    // 1.5 is not an integer
  CHECK(FieldOr(j, "e", 9) == 9);    // 1e3 is a float in JSON's number model (nlohmann: is_number_float)
  CHECK(FieldOr(j, "big", 9) == 9);  // 3,000,000,000 does not fit an int
  CHECK(FieldOr<unsigned>(j, "neg", 9) == 9);                          // -1 is not an unsigned
  CHECK(FieldOr(j, "v", std::vector<int>{7}) == std::vector<int>{7});  // one element of the wrong type
  CHECK(FieldOr(j, "w", std::vector<std::string>{}).empty());
  CHECK(ObjectField(j, "o").empty());
  CHECK(ObjectField(j, "o").is_object());
  CHECK(ArrayField(j, "a").is_array());
  for (const json& not_object : {json(nullptr), json(1), json("s"), json::array({1})}) {
    CHECK(FieldOr(not_object, "s", "fb") == "fb");
    CHECK(ArrayField(not_object, "v").empty());
  }
}
