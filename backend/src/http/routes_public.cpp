// Public, unauthenticated routes: health, the holiday calendar, the tariff and the utility's display
// settings.
#include <string>

#include "mizu/api.hpp"
#include "mizu/time.hpp"
#include "routes.hpp"

namespace mizu::backend::http {

void RegisterPublicRoutes(httplib::Server& server, App& app) {
  server.Get("/healthz", [&app](const httplib::Request&, httplib::Response& res) {
    const int version = ReadDb(app, [](Database& db) { return db.SchemaVersion(); });
    SendJson(res, 200,
             {{"status", "ok"}, {"now", FormatIsoJst(app.clock.Now())}, {"schema_version", version}});
  });

  server.Get(R"(/api/v1/calendar/([^/]*))", [](const httplib::Request& req, httplib::Response& res) {
    const std::string& text = req.matches[1];
    bool digits =
        !text.empty() && text.size() <= 4 && text.find_first_not_of("0123456789") == std::string::npos;
    int year = digits ? std::stoi(text) : 0;
    if (!digits || year < kFirstHolidayYear || year > kLastHolidayYear) {
      SendError(req, res, 400, err::kYearOutOfRange, {{std::string(err::kYearOutOfRange), "year"}});
      return;
    }
    nlohmann::json body = api::MakeCalendar(year);
    SendJson(res, 200, body);
  });

  server.Get("/api/v1/tariff", [&app](const httplib::Request&, httplib::Response& res) {
    nlohmann::json j = app.tariff;
    SendJson(res, 200, j);
  });

  server.Get("/api/v1/settings", [&app](const httplib::Request&, httplib::Response& res) {
    const auto& u = app.config.utility;
    SendJson(
        res, 200,
        {{"utility", {{"name", u.name}, {"name_en", u.name_en}, {"counter_phone", u.counter_phone}}},
         {"customer_number", {{"digits", u.customer_number.digits}, {"groups", u.customer_number.groups}}},
         {"watch",
          {{"window_hours", app.config.watch.window_hours},
           {"report_delay_minutes", app.config.watch.report_delay_minutes}}},
         {"test_mode", app.config.test_mode}});
  });
}

}  // namespace mizu::backend::http
