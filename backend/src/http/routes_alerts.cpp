// The watch's alerts (alerts.hpp, docs/notifications.md): GET/PUT /api/v1/contracts/{cn}/watch/alerts (the
// choices and recipients) and GET …/watch/alerts/history (通知履歴). Logged in, the caller's watched
// contract.
#include "guard.hpp"
#include "mizu/backend/alerts.hpp"
#include "mizu/json_fields.hpp"
#include "mizu/text.hpp"
#include "mizu/time.hpp"

namespace mizu::backend::http {
namespace {

nlohmann::json AlertsJson(const WatchAlertsView& v) {
  nlohmann::json j = AlertSettingsToJson(v.settings);
  j["enabled"] = v.enabled;
  j["recipients"] = v.recipients;
  j["watch_recipients"] = v.watch_recipients;
  return j;
}

// The PUT body: every member optional (absent: the default, all kinds off); a wrong type is invalid_format on
// that member.
AlertSettings ParseAlerts(const nlohmann::json& j, std::vector<std::string>& recipients,
                          std::vector<FieldError>& errors) {
  AlertSettings s;
  auto flag = [&](const char* key, bool& out) {
    if (!j.contains(key)) return;
    if (j.at(key).is_boolean())
      out = j.at(key).get<bool>();
    else
      errors.push_back({std::string(err::kInvalidFormat), key});
  };
  auto hour = [&](const char* key, int& out, bool nullable) {
    if (!j.contains(key) || (nullable && j.at(key).is_null())) return;
    // A whole number in int's range (JsonIs: 2^64 − 1 is not −1), not negative (null turns quiet hours off).
    if (JsonIs<int>(j.at(key)) && j.at(key).get<int>() >= 0)
      out = j.at(key).get<int>();
    else
      errors.push_back({std::string(err::kInvalidFormat), key});
  };
  auto date = [&](const char* key, std::optional<CivilDate>& out) {
    if (!j.contains(key) || j.at(key).is_null()) return;
    auto d = j.at(key).is_string() ? ParseDate(j.at(key).get<std::string>()) : std::nullopt;
    if (d)
      out = d;
    else
      errors.push_back({std::string(err::kDateInvalid), key});
  };
  flag("continuous_flow", s.continuous_flow);
  hour("flow_hours", s.flow_hours, false);
  flag("long_no_use", s.long_no_use);
  hour("no_use_hours", s.no_use_hours, false);
  flag("morning", s.morning);
  hour("morning_from_hour", s.morning_from_hour, false);
  hour("morning_by_hour", s.morning_by_hour, false);
  flag("high_use", s.high_use);
  hour("high_use_percent", s.high_use_percent, false);
  hour("quiet_from_hour", s.quiet_from_hour, true);
  hour("quiet_to_hour", s.quiet_to_hour, true);
  date("away_from", s.away_from);
  date("away_to", s.away_to);
  if (j.contains("recipients")) {
    const auto& r = j.at("recipients");
    // Each address through the one text-field check first (control characters, bad UTF-8, length), as
    // every text field of every route (docs/api.md).
    std::optional<ErrorCode> bad =
        r.is_array() && r.size() <= 10 ? std::nullopt : std::optional<ErrorCode>(err::kInvalidFormat);
    for (const auto& e : bad ? nlohmann::json::array() : r) {
      if (!e.is_string())
        bad = err::kInvalidFormat;
      else if (auto text = ValidateTextField(e.get_ref<const std::string&>(), 254))
        bad = text;
      if (bad) break;
      recipients.push_back(e.get<std::string>());
    }
    if (bad) errors.push_back({std::string(*bad), "recipients"});
  }
  return s;
}

}  // namespace

void RegisterAlertRoutes(httplib::Server& server, App& app) {
  const std::string base = R"(/api/v1/contracts/([^/]+)/watch/alerts)";
  server.Get(base,
             WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
               SendJson(res, 200, AlertsJson(GetWatchAlerts(app, c.session.account_id, req.matches[1])));
             }));
  server.Put(base,
             WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
               std::vector<std::string> recipients;
               std::vector<FieldError> errors;
               const AlertSettings s = ParseAlerts(ReadJsonBody(req), recipients, errors);
               if (!errors.empty()) throw ServiceError(400, errors.front().code, errors);
               SendJson(res, 200,
                        AlertsJson(PutWatchAlerts(app, c.session.account_id, req.matches[1], s, recipients,
                                                  app.clock.Now())));
             }));
  server.Get(base + "/history",
             WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
               nlohmann::json items = nlohmann::json::array();
               for (const auto& h : WatchAlertHistory(app, c.session.account_id, req.matches[1]))
                 items.push_back(
                     {{"kind", h.kind},
                      {"status", h.status},
                      {"at", FormatIsoJst(h.at)},
                      {"sent_at", h.sent_at ? nlohmann::json(FormatIsoJst(h.sent_at)) : nlohmann::json()},
                      {"mails", h.mails},
                      {"subject", h.subject}});
               SendJson(res, 200, {{"alerts", items}});
             }));
}

}  // namespace mizu::backend::http
