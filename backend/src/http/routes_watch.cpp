// The water watch: GET/PUT/DELETE /api/v1/contracts/{cn}/watch and POST …/watch/preview (logged in, the
// caller's linked contracts)
// and the stop link GET/POST /api/v1/watch/stop (no login: a tiny confirmation page, or JSON).
#include "guard.hpp"
#include "mizu/api.hpp"
#include "mizu/backend/watch.hpp"
#include "mizu/json_fields.hpp"
#include "mizu/time.hpp"
#include "mizu/watch.hpp"
#include "stop_page.hpp"

namespace mizu::backend::http {
namespace {

nlohmann::json WatchJson(const App& app, const WatchView& w) {
  const WatchSettings& s = app.config.watch;
  nlohmann::json recipients = nlohmann::json::array();
  for (const auto& r : w.recipients)
    recipients.push_back({{"name", r.name}, {"email", r.email}, {"stopped", r.stopped}});
  nlohmann::json windows = nlohmann::json::array();
  for (int h : w.start_hours) {
    const WindowTiming t = WindowTimingOf(h, s);
    const DayTime report = DayTimeOf(t.report_minute);
    char at[8];
    std::snprintf(at, sizeof at, "%02d:%02d", report.hour, report.minute);
    windows.push_back({{"start_hour", h}, {"end_hour", DayTimeOf(t.end_minute).hour}, {"report_at", at}});
  }
  nlohmann::json j = {{"customer_number", w.customer_number},
                      {"display_number", w.display_number},
                      {"address", w.address},
                      {"active", w.active},
                      {"start_hours", w.start_hours},
                      {"recipients", recipients},
                      {"windows", windows},
                      {"lang", w.lang},
                      {"window_hours", s.window_hours},
                      {"report_delay_minutes", s.report_delay_minutes},
                      {"max_windows", s.max_windows},
                      {"max_recipients", s.max_recipients}};
  j["updated_at"] = w.active ? nlohmann::json(FormatIsoJst(w.updated_at)) : nlohmann::json(nullptr);
  return j;
}

WatchUpdate ParseUpdate(const httplib::Request& req, const Caller& c) {
  nlohmann::json j = ReadJsonBody(req);
  api::WatchSettingsBody body;
  std::vector<FieldError> errors = api::ParseWatchSettingsBody(j, body);
  WatchUpdate update{body.start_hours, body.recipients, ParseLang(c.session.lang)};
  if (j.contains("lang") && !j["lang"].is_null()) {
    const auto& l = j["lang"];
    if (!l.is_string() || (l.get<std::string>() != "ja" && l.get<std::string>() != "en"))
      errors.push_back({std::string(err::kInvalidFormat), "lang"});
    else
      update.lang = ParseLang(l.get<std::string>());
  }
  if (!errors.empty()) throw ServiceError(400, errors.front().code, errors);
  return update;
}

// ---- The stop link (its HTML pages: stop_page.cpp) ----------------------------------------------------

bool WantsJson(const httplib::Request& req) {
  return req.get_header_value("Accept").find("application/json") != std::string::npos ||
         req.get_header_value("Content-Type").rfind("application/json", 0) == 0 ||
         req.get_param_value("format") == "json";
}

nlohmann::json StopJson(const StopLinkInfo& info) {
  nlohmann::json alerts = nlohmann::json::array();
  for (const auto& [at, subject] : info.alerts)
    alerts.push_back({{"at", FormatIsoJst(at)}, {"subject", subject}});
  return {{"email", info.email},
          {"display_number", info.display_number},
          {"address", info.address},
          {"stopped", info.stopped},
          {"alerts", alerts}};
}

void SendInvalidStop(const httplib::Request& req, httplib::Response& res) {
  if (WantsJson(req)) return SendError(req, res, 404, err::kWatchStopInvalid);
  SendStopInvalidPage(res, RequestLang(req));
}

std::string StopToken(const httplib::Request& req) {
  if (req.get_header_value("Content-Type").rfind("application/json", 0) == 0) {
    try {
      return FieldOr(ReadJsonBody(req), "token", "");  // the one JSON body reader
    } catch (const ServiceError&) {
      return "";  // not a JSON object: no token (the stop page says the link is invalid)
    }
  }
  return req.get_param_value("token");  // query string or form body
}

}  // namespace

void RegisterWatchRoutes(httplib::Server& server, App& app) {
  const std::string path = R"(/api/v1/contracts/([^/]+)/watch)";
  server.Get(path,
             WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
               SendJson(res, 200, WatchJson(app, GetWatch(app, c.session.account_id, req.matches[1])));
             }));
  server.Put(path,
             WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
               WatchUpdate update = ParseUpdate(req, c);
               WatchView view = PutWatch(app, c.session.account_id, req.matches[1], update, app.clock.Now());
               nlohmann::json j = WatchJson(app, view);
               j["mailed"] = view.mailed;
               SendJson(res, 200, j);
             }));
  // The confirmation step's preview of the three report mails: {"mails":[{"outcome","subject","body"}]}.
  server.Post(path + "/preview",
              WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
                WatchUpdate update = ParseUpdate(req, c);
                nlohmann::json mails = nlohmann::json::array();
                for (const auto& m :
                     PreviewWatchMails(app, c.session.account_id, req.matches[1], update, app.clock.Now()))
                  mails.push_back({{"outcome", m.outcome}, {"subject", m.subject}, {"body", m.body}});
                SendJson(res, 200, {{"mails", mails}});
              }));
  server.Delete(
      path, WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
        DeleteWatch(app, c.session.account_id, req.matches[1], app.clock.Now());
        res.status = 204;
      }));

  server.Get("/api/v1/watch/stop", Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
               auto info = LookupStopToken(app, req.get_param_value("token"));
               if (!info) return SendInvalidStop(req, res);
               if (WantsJson(req)) return SendJson(res, 200, StopJson(*info));
               SendStopConfirmPage(res, *info, req.get_param_value("token"));
             }));
  server.Post("/api/v1/watch/stop", Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
                auto info = StopByToken(app, StopToken(req), app.clock.Now());
                if (!info) return SendInvalidStop(req, res);
                if (WantsJson(req)) return SendJson(res, 200, StopJson(*info));
                SendStopDonePage(res, *info);
              }));
}

}  // namespace mizu::backend::http
