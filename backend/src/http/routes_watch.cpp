// The water watch: GET/PUT/DELETE /api/v1/contracts/{cn}/watch (logged in, the caller's linked contracts)
// and the stop link GET/POST /api/v1/watch/stop (no login: a tiny confirmation page, or JSON).
#include "guard.hpp"
#include "mizu/api.hpp"
#include "mizu/backend/watch_service.hpp"
#include "mizu/time.hpp"
#include "mizu/watch.hpp"

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
  if (req.get_header_value("Content-Type").rfind("application/json", 0) != 0)
    throw ServiceError(415, err::kUnsupportedMediaType);
  auto j = nlohmann::json::parse(req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw ServiceError(400, err::kInvalidJson);
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

// ---- The stop page --------------------------------------------------------------------------------------

std::string Html(std::string_view text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

bool WantsJson(const httplib::Request& req) {
  return req.get_header_value("Accept").find("application/json") != std::string::npos ||
         req.get_header_value("Content-Type").rfind("application/json", 0) == 0 ||
         req.get_param_value("format") == "json";
}

void SendPage(httplib::Response& res, int status, Lang lang, const std::string& body_html) {
  std::string page =
      "<!doctype html><html lang=\"" + std::string(LangTag(lang)) +
      "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\"><meta name=\"robots\" content=\"noindex\"><title>" +
      Html(Tr(lang, "watch.stop.title")) +
      "</title><style>body{font-family:sans-serif;max-width:36em;margin:2em auto;padding:0 1em;"
      "line-height:1.7}dt{font-weight:bold}button{font-size:1.1em;padding:.6em 1.4em}</style>"
      "</head><body><h1>" +
      Html(Tr(lang, "watch.stop.title")) + "</h1>" + body_html + "</body></html>\n";
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(page, "text/html; charset=utf-8");
}

std::string Details(const StopLinkInfo& info) {
  return "<dl><dt>" + Html(Tr(info.lang, "watch.label.contract")) + "</dt><dd>" + Html(info.display_number) +
         "</dd><dt>" + Html(Tr(info.lang, "watch.label.address")) + "</dt><dd>" + Html(info.address) +
         "</dd><dt>" + Html(Tr(info.lang, "watch.label.email")) + "</dt><dd>" + Html(info.email) +
         "</dd></dl>";
}

nlohmann::json StopJson(const StopLinkInfo& info) {
  return {{"email", info.email},
          {"display_number", info.display_number},
          {"address", info.address},
          {"stopped", info.stopped}};
}

void SendInvalidStop(const httplib::Request& req, httplib::Response& res) {
  if (WantsJson(req)) return SendError(req, res, 404, err::kWatchStopInvalid);
  const Lang lang = RequestLang(req);
  SendPage(res, 404, lang, "<p>" + Html(ErrorMessage(lang, err::kWatchStopInvalid)) + "</p>");
}

std::string StopToken(const httplib::Request& req) {
  if (req.get_header_value("Content-Type").rfind("application/json", 0) == 0) {
    auto j = nlohmann::json::parse(req.body, nullptr, false);
    if (j.is_object() && j.contains("token") && j["token"].is_string()) return j["token"].get<std::string>();
    return "";
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
  server.Delete(
      path, WithAccount(app, [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
        DeleteWatch(app, c.session.account_id, req.matches[1], app.clock.Now());
        res.status = 204;
      }));

  server.Get("/api/v1/watch/stop", Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
               auto info = LookupStopToken(app, req.get_param_value("token"));
               if (!info) return SendInvalidStop(req, res);
               if (WantsJson(req)) return SendJson(res, 200, StopJson(*info));
               std::string body = Details(*info);
               if (info->stopped) {
                 body = "<p>" + Html(Tr(info->lang, "watch.stop.done")) + "</p>" + body;
               } else {
                 body = "<p>" + Html(Tr(info->lang, "watch.stop.confirm")) + "</p>" + body +
                        "<form method=\"post\" action=\"/api/v1/watch/stop\"><input type=\"hidden\" "
                        "name=\"token\" value=\"" +
                        Html(req.get_param_value("token")) + "\"><button type=\"submit\">" +
                        Html(Tr(info->lang, "watch.stop.button")) + "</button></form>";
               }
               SendPage(res, 200, info->lang, body);
             }));
  server.Post("/api/v1/watch/stop", Public(app, [&app](const httplib::Request& req, httplib::Response& res) {
                auto info = StopByToken(app, StopToken(req), app.clock.Now());
                if (!info) return SendInvalidStop(req, res);
                if (WantsJson(req)) return SendJson(res, 200, StopJson(*info));
                SendPage(res, 200, info->lang,
                         "<p>" + Html(Tr(info->lang, "watch.stop.done")) + "</p>" + Details(*info));
              }));
}

}  // namespace mizu::backend::http
