// The test clock. Exists only when the config says "test_mode": true (never in production). Shared by the
// servers on one database (server_state 'test.clock', followed by each WatchScheduler).
#include "mizu/backend/watch.hpp"
#include "mizu/time.hpp"
#include "routes.hpp"

namespace mizu::backend::http {

void RegisterTestClockRoutes(httplib::Server& server, App& app) {
  server.Post("/api/v1/test/clock", [&app](const httplib::Request& req, httplib::Response& res) {
    auto body = ReadJsonObject(req, res);
    if (!body) return;
    if (!body->contains("now")) {
      SendError(req, res, 400, err::kRequired, {{std::string(err::kRequired), "now"}});
      return;
    }
    const auto& now = body->at("now");
    std::optional<int64_t> fixed;
    if (!now.is_null()) {
      fixed = now.is_string() ? ParseIso8601(now.get<std::string>()) : std::nullopt;
      if (!fixed) {
        SendError(req, res, 400, err::kDateInvalid, {{std::string(err::kDateInvalid), "now"}});
        return;
      }
    }
    // Shared through the database first, then this server's clock: the other servers on the database follow
    // within a scheduler poll (100 ms), and this one's scheduler never sees an older value after a newer one
    // (its poll's read + Set and this store + Set are one step each: App::test_clock_mutex).
    std::lock_guard clock_lock(app.test_clock_mutex);
    WriteDb(app, [&](Database& db) {
      db.Prepare(
            "INSERT INTO server_state (key, value) VALUES ('test.clock', ?1) ON CONFLICT (key) DO UPDATE SET "
            "value = excluded.value")
          .Bind(1, fixed ? std::to_string(*fixed) : std::string())
          .Run();
    });
    if (app.watch_scheduler)
      app.watch_scheduler->SawSharedClock(fixed ? std::to_string(*fixed) : std::string());
    app.clock.Set(fixed);
    SendJson(res, 200, {{"now", FormatIsoJst(app.clock.Now())}, {"fixed", app.clock.IsFixed()}});
  });
}

}  // namespace mizu::backend::http
