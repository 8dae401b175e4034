// JSON conversion of the API's shapes and tolerant request parsing.
#include "mizu/api.hpp"

#include "mizu/json_fields.hpp"
#include "mizu/text.hpp"
#include "mizu/time.hpp"

namespace mizu::api {

ErrorBody MakeErrorBody(Lang lang, ErrorCode code, const std::vector<FieldError>& fields) {
  ErrorBody body{std::string(code), std::string(ErrorMessage(lang, code)), {}};
  for (const auto& f : fields) {
    body.fields.try_emplace(f.field, FieldErrorBody{f.code, std::string(ErrorMessage(lang, f.code))});
  }
  return body;
}

void to_json(nlohmann::json& j, const ErrorBody& e) {
  nlohmann::json fields = nlohmann::json::object();
  for (const auto& [name, f] : e.fields) fields[name] = {{"code", f.code}, {"message", f.message}};
  j = {{"error", {{"code", e.code}, {"message", e.message}, {"fields", fields}}}};
}

bool ParseErrorBody(const nlohmann::json& j, ErrorBody& out) {
  if (!j.is_object() || !j.contains("error") || !j["error"].is_object()) return false;
  const auto& e = j["error"];
  out = {};
  out.code = FieldOr(e, "code", "");
  out.message = FieldOr(e, "message", "");
  if (e.contains("fields") && e["fields"].is_object()) {
    for (const auto& [name, f] : e["fields"].items()) {
      if (f.is_object()) out.fields[name] = {FieldOr(f, "code", ""), FieldOr(f, "message", "")};
    }
  }
  return !out.code.empty();
}

CalendarResponse MakeCalendar(int year) {
  CalendarResponse c{year, {}};
  for (const auto& h : HolidaysInYear(year)) c.holidays.push_back({FormatDate(h.date), h.name, h.name_en});
  return c;
}

void to_json(nlohmann::json& j, const CalendarResponse& c) {
  nlohmann::json days = nlohmann::json::array();
  for (const auto& h : c.holidays)
    days.push_back({{"date", h.date}, {"name", h.name}, {"name_en", h.name_en}});
  j = {{"year", c.year}, {"holidays", days}};
}

void from_json(const nlohmann::json& j, CalendarResponse& c) {
  c.year = RequiredField<int>(j, "year");
  c.holidays.clear();
  for (const auto& h : RequiredField<nlohmann::json>(j, "holidays")) {
    c.holidays.push_back({RequiredField<std::string>(h, "date"), RequiredField<std::string>(h, "name"),
                          FieldOr(h, "name_en", "")});
  }
}

void ReadString(const nlohmann::json& j, const char* field, std::string& out, std::vector<FieldError>& errors,
                bool required, size_t max_bytes) {
  if (!j.is_object() || !j.contains(field) || j[field].is_null()) {
    if (required) errors.push_back({std::string(err::kRequired), field});
    return;
  }
  if (!j[field].is_string()) {
    errors.push_back({std::string(err::kInvalidFormat), field});
    return;
  }
  const auto& s = j[field].get_ref<const std::string&>();
  if (s.size() > max_bytes) {
    errors.push_back({std::string(err::kTooLong), field});
    return;
  }
  if (auto e = ValidateTextField(s, max_bytes)) {  // control characters: the shared check of every text field
    errors.push_back({std::string(*e), field});
    return;
  }
  if (required && s.empty()) {
    errors.push_back({std::string(err::kRequired), field});
    return;
  }
  out = s;
}

void ReadBool(const nlohmann::json& j, const char* field, bool& out, std::vector<FieldError>& errors,
              bool required) {
  if (!j.is_object() || !j.contains(field) || j[field].is_null()) {
    if (required) errors.push_back({std::string(err::kRequired), field});
    return;
  }
  if (!j[field].is_boolean()) {
    errors.push_back({std::string(err::kInvalidFormat), field});
    return;
  }
  out = j[field].get<bool>();
}

std::vector<FieldError> ParseLoginRequest(const nlohmann::json& j, LoginRequest& out) {
  std::vector<FieldError> errors;
  ReadString(j, "email", out.email, errors, true, 320);
  ReadString(j, "password", out.password, errors, true, 1024);
  ReadBool(j, "remember", out.remember, errors);
  return errors;
}

void to_json(nlohmann::json& j, const LoginRequest& r) {
  j = {{"email", r.email}, {"password", r.password}, {"remember", r.remember}};
}

std::vector<FieldError> ParseWatchSettingsBody(const nlohmann::json& j, WatchSettingsBody& out) {
  std::vector<FieldError> errors;
  out = {};
  if (!j.is_object() || !j.contains("start_hours") || !j["start_hours"].is_array()) {
    errors.push_back({std::string(err::kRequired), "start_hours"});
  } else if (j["start_hours"].size() > 8) {
    errors.push_back({std::string(err::kWatchTooManyWindows), "start_hours"});
  } else {
    for (size_t i = 0; i < j["start_hours"].size(); ++i) {
      const auto& h = j["start_hours"][i];
      if (JsonIs<int>(h)) {  // 4294967306 is not hour 10
        out.start_hours.push_back(h.get<int>());
      } else {
        errors.push_back({std::string(err::kWatchHourInvalid), "start_hours[" + std::to_string(i) + "]"});
      }
    }
  }
  if (!j.is_object() || !j.contains("recipients") || !j["recipients"].is_array()) {
    errors.push_back({std::string(err::kWatchNoRecipient), "recipients"});
  } else if (j["recipients"].size() > 20) {
    errors.push_back({std::string(err::kWatchTooManyRecipients), "recipients"});
  } else {
    for (size_t i = 0; i < j["recipients"].size(); ++i) {
      const auto& r = j["recipients"][i];
      std::string prefix = "recipients[" + std::to_string(i) + "]";
      if (!r.is_object()) {
        errors.push_back({std::string(err::kInvalidFormat), prefix});
        continue;
      }
      WatchRecipient rec;
      std::vector<FieldError> local;
      ReadString(r, "name", rec.name, local, false, 256);
      ReadString(r, "email", rec.email, local, false, 320);
      for (auto& e : local) errors.push_back({e.code, prefix + "." + e.field});
      out.recipients.push_back(std::move(rec));
    }
  }
  return errors;
}

void to_json(nlohmann::json& j, const WatchSettingsBody& w) {
  nlohmann::json recipients = nlohmann::json::array();
  for (const auto& r : w.recipients) recipients.push_back({{"name", r.name}, {"email", r.email}});
  j = {{"start_hours", w.start_hours}, {"recipients", recipients}};
}

}  // namespace mizu::api
