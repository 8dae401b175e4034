#pragma once
// The HTTP API's request and response shapes, with their JSON conversion — ONE definition used by the backend
// (to parse and render) and by the web app (to build requests and read replies). Parsers never throw on bad
// input: they return field errors with stable codes (errors.hpp) for the "fields" of the error body.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mizu/errors.hpp"
#include "mizu/i18n.hpp"
#include "mizu/watch.hpp"

namespace mizu::api {

// {"error":{"code","message","fields":{name:{"code","message"}}}}
struct FieldErrorBody {
  std::string code;
  std::string message;
  bool operator==(const FieldErrorBody&) const = default;
};
struct ErrorBody {
  std::string code;
  std::string message;
  std::map<std::string, FieldErrorBody> fields;
  bool operator==(const ErrorBody&) const = default;
};
// Messages in lang for the code and each field error (first error per field wins).
ErrorBody MakeErrorBody(Lang lang, ErrorCode code, const std::vector<FieldError>& fields = {});
void to_json(nlohmann::json& j, const ErrorBody& e);
// Reads {"error":{…}}; false when j is not an error body.
bool ParseErrorBody(const nlohmann::json& j, ErrorBody& out);

// GET /api/v1/calendar/{year}
struct HolidayItem {
  std::string date;  // YYYY-MM-DD
  std::string name;
  std::string name_en;
  bool operator==(const HolidayItem&) const = default;
};
struct CalendarResponse {
  int year = 0;
  std::vector<HolidayItem> holidays;
  bool operator==(const CalendarResponse&) const = default;
};
CalendarResponse MakeCalendar(int year);
void to_json(nlohmann::json& j, const CalendarResponse& c);
void from_json(const nlohmann::json& j, CalendarResponse& c);

// Field readers for request bodies: append {code, field} to errors instead of throwing.
// Reads a string (trimmed of nothing; callers normalise); missing → kRequired when required; wrong type →
// kInvalidFormat; longer than max_bytes → kTooLong; a control character (ValidateTextField) →
// kControlCharacter.
void ReadString(const nlohmann::json& j, const char* field, std::string& out, std::vector<FieldError>& errors,
                bool required = true, size_t max_bytes = 256);
void ReadBool(const nlohmann::json& j, const char* field, bool& out, std::vector<FieldError>& errors,
              bool required = false);

// POST /api/v1/login
struct LoginRequest {
  std::string email;
  std::string password;
  bool remember = false;
};
std::vector<FieldError> ParseLoginRequest(const nlohmann::json& j, LoginRequest& out);
void to_json(nlohmann::json& j, const LoginRequest& r);

// PUT /api/v1/contracts/{cn}/watch — {start_hours:[6,0], recipients:[{name,email}]}
struct WatchSettingsBody {
  std::vector<int> start_hours;  // raw: 24 allowed (means 0:00); validate with ValidateStartHours
  std::vector<WatchRecipient> recipients;
};
// Shape errors only (types, sizes); the domain rules are ValidateStartHours / ValidateRecipients.
std::vector<FieldError> ParseWatchSettingsBody(const nlohmann::json& j, WatchSettingsBody& out);
void to_json(nlohmann::json& j, const WatchSettingsBody& w);

}  // namespace mizu::api
