// Public, unauthenticated routes: health, the holiday calendar, the tariff and the utility's display
// settings.
#include <string>

#include "mizu/api.hpp"
#include "mizu/time.hpp"
#include "routes.hpp"

namespace mizu::backend::http {

void RegisterPublicRoutes(httplib::Server& server, App& app) {
  // The server's clock and its database: engine, schema version and — PostgreSQL — whether this is the
  // primary, how many standbys stream from it and how far behind the furthest is (pg_stat_replication's
  // replay_lag; on a standby, the age of the last transaction replayed). A database that does not answer:
  // 503, so that a load balancer takes this server out.
  server.Get("/healthz", [&app](const httplib::Request&, httplib::Response& res) {
    nlohmann::json database;
    int version = 0;
    try {
      ReadDb(app, [&](Database& db) {
        version = db.SchemaVersion();
        database = {{"engine", db.engine() == Engine::kPostgres ? "postgresql" : "sqlite"}, {"ok", true}};
        if (db.engine() != Engine::kPostgres) return;
        auto q = db.Prepare(
            "SELECT pg_is_in_recovery(), CASE WHEN pg_is_in_recovery() THEN EXTRACT(EPOCH FROM now() - "
            "pg_last_xact_replay_timestamp()) ELSE (SELECT max(EXTRACT(EPOCH FROM replay_lag)) FROM "
            "pg_stat_replication) END, (SELECT count(*) FROM pg_stat_replication)");
        if (!q.Step()) return;
        database["role"] = q.Int(0) ? "standby" : "primary";
        database["replicas"] = q.Int(2);
        database["replica_lag_seconds"] =
            q.IsNull(1) ? nlohmann::json(nullptr) : nlohmann::json(std::stod(q.Text(1)));
      });
    } catch (const DbError& e) {
      SendJson(res, 503,
               {{"status", "database_unavailable"},
                {"now", FormatIsoJst(app.clock.Now())},
                {"database", {{"ok", false}}}});
      return;
    }
    SendJson(res, 200,
             {{"status", "ok"},
              {"now", FormatIsoJst(app.clock.Now())},
              {"schema_version", version},
              {"database", database}});
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
