// The API shapes: error bodies in both languages, calendar round trip, tolerant request parsing.
#include <algorithm>
#include <catch2/catch.hpp>

#include "mizu/api.hpp"

using namespace mizu;
using nlohmann::json;

TEST_CASE("error bodies carry translated messages and field errors", "[api]") {
  auto body = api::MakeErrorBody(Lang::kJa, err::kWatchOverlap,
                                 {{std::string(err::kWatchOverlap), "start_hours"},
                                  {std::string(err::kEmailInvalid), "recipients[0].email"},
                                  {std::string(err::kRequired), "start_hours"}});
  json j = body;
  CHECK(j["error"]["code"] == "watch_overlap");
  CHECK(j["error"]["message"] == "見守り期間が重複しています");
  CHECK(j["error"]["fields"]["start_hours"]["code"] == "watch_overlap");  // the first error per field wins
  CHECK(j["error"]["fields"]["recipients[0].email"]["message"] == "メールアドレスの形式が正しくありません。");
  api::ErrorBody back;
  REQUIRE(api::ParseErrorBody(j, back));
  CHECK(back == body);
  auto en = api::MakeErrorBody(Lang::kEn, err::kWatchOverlap);
  CHECK(en.message == "The watch periods overlap.");
  CHECK_FALSE(api::ParseErrorBody(json{{"year", 2026}}, back));
}

TEST_CASE("calendar response round-trips through JSON", "[api]") {
  auto c = api::MakeCalendar(2026);
  REQUIRE(c.holidays.size() == HolidaysInYear(2026).size());
  CHECK(c.holidays.front().date == "2026-01-01");
  CHECK(c.holidays.front().name == "元日");
  json j = c;
  CHECK(j.get<api::CalendarResponse>() == c);
  CHECK(api::MakeCalendar(1800).holidays.empty());
}

TEST_CASE("login request parsing reports field errors instead of throwing", "[api]") {
  api::LoginRequest r;
  auto errors = api::ParseLoginRequest(json{{"email", "a@example.com"}, {"password", "secret123"}}, r);
  CHECK(errors.empty());
  CHECK(r.email == "a@example.com");
  CHECK_FALSE(r.remember);
  errors = api::ParseLoginRequest(json{{"email", 5}, {"remember", "yes"}}, r);
  REQUIRE(errors.size() == 3);
  CHECK(errors[0] == FieldError{"invalid_format", "email"});
  CHECK(errors[1] == FieldError{"required", "password"});
  CHECK(errors[2] == FieldError{"invalid_format", "remember"});
  errors = api::ParseLoginRequest(json{{"email", std::string(400, 'a')}, {"password", ""}}, r);
  CHECK(errors == std::vector<FieldError>{{"too_long", "email"}, {"required", "password"}});
  errors = api::ParseLoginRequest(json::array(), r);
  CHECK(errors.size() == 2);
}

TEST_CASE("watch settings body: shape errors here, domain rules in watch", "[api]") {
  api::WatchSettingsBody w;
  auto errors = api::ParseWatchSettingsBody(
      json::parse(R"({"start_hours":[6,24],"recipients":[{"name":"山田花子","email":"hanako@example.jp"}]})"),
      w);
  CHECK(errors.empty());
  CHECK(w.start_hours == std::vector<int>{6, 24});
  REQUIRE(w.recipients.size() == 1);
  CHECK(w.recipients[0].name == "山田花子");
  CHECK(ValidateStartHours(w.start_hours, WatchSettings{}).empty());
  json round = w;
  api::WatchSettingsBody again;
  CHECK(api::ParseWatchSettingsBody(round, again).empty());
  CHECK(again.start_hours == w.start_hours);
  CHECK(again.recipients == w.recipients);

  errors = api::ParseWatchSettingsBody(json::parse(R"({"start_hours":["6"],"recipients":[3]})"), w);
  CHECK(errors == std::vector<FieldError>{{"watch_hour_invalid", "start_hours[0]"},
                                          {"invalid_format", "recipients[0]"}});
  errors = api::ParseWatchSettingsBody(json::object(), w);
  CHECK(errors == std::vector<FieldError>{{"required", "start_hours"}, {"watch_no_recipient", "recipients"}});
  errors = api::ParseWatchSettingsBody(json::parse(R"({"start_hours":[6],"recipients":[{"name":5}]})"), w);
  CHECK(errors == std::vector<FieldError>{{"invalid_format", "recipients[0].name"}});
}

// Fuzz finding (fuzz_api_bodies, {"error":{"code":{"email":{...}}}}): nlohmann's value() threw type_error on
// a member of the wrong type. Every member read of outside JSON now goes through FieldOr; the example and its
// siblings (each member of the error body, each JSON type in the wrong place) parse without throwing.
TEST_CASE("error bodies with members of the wrong type are refused, not thrown", "[api][fuzz]") {
  const json wrong[] = {
      json::object({{"email", {{"coee", "email_invalix"}}}}), json::array({"x"}), 42, 1.5, true, nullptr};
  api::ErrorBody back;
  for (const auto& w : wrong) {
    INFO(w.dump());
    CHECK_FALSE(api::ParseErrorBody(json{{"error", {{"code", w}}}}, back));
    CHECK_NOTHROW(api::ParseErrorBody(json{{"error", {{"code", "x"}, {"message", w}}}}, back));
    REQUIRE(
        api::ParseErrorBody(json{{"error", {{"code", "x"}, {"fields", {{"email", {{"code", w}}}}}}}}, back));
    CHECK(back.fields.at("email").code.empty());
    CHECK(back.code == "x");
  }
  REQUIRE(api::ParseErrorBody(json::parse(R"({"error":{"code":"x","message":{"a":1}}})"), back));
  CHECK(back.message.empty());
}

// Fuzz finding (fuzz_api_bodies: {"year":2026333…3,…}): get<int>() of a float out of int's range is
// undefined, and of a large integer wraps. Numbers that are not ints are refused: in replies (a type error
// the web app catches) and in request bodies (a field error), never converted.
TEST_CASE("numbers that are not ints are refused, not converted", "[api][fuzz]") {
  for (const char* year : {"2.026333333333333e29", "2026.5", "4294969322", "1e3"}) {
    INFO(year);
    auto j = json::parse(std::string(R"({"year":)") + year + R"(,"holidays":[]})");
    CHECK_THROWS_AS(j.get<api::CalendarResponse>(), nlohmann::json::type_error);
  }
  CHECK_THROWS_AS(
      json::parse(R"({"year":2026,"holidays":[{"date":1,"name":"x"}]})").get<api::CalendarResponse>(),
      nlohmann::json::type_error);
  CHECK_THROWS_AS(json::parse(R"({"year":2026})").get<api::CalendarResponse>(), nlohmann::json::type_error);
  // 4294967306 = 2^32 + 10: as an int it would wrap to hour 10.
  for (const char* hour : {"4294967306", "10.0", "1e1", "-4294967286"}) {
    INFO(hour);
    api::WatchSettingsBody body;
    auto errors =
        api::ParseWatchSettingsBody(json::parse(std::string(R"({"start_hours":[)") + hour + "]}"), body);
    CHECK(std::count_if(errors.begin(), errors.end(), [](const FieldError& e) {
            return e.field == "start_hours[0]" && e.code == "watch_hour_invalid";
          }) == 1);
    CHECK(body.start_hours.empty());
  }
}
