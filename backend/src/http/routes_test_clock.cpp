// The test clock. Exists only when the config says "test_mode": true (never in production).
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
    if (now.is_null()) {
      app.clock.Set(std::nullopt);
    } else {
      auto t = now.is_string() ? ParseIso8601(now.get<std::string>()) : std::nullopt;
      if (!t) {
        SendError(req, res, 400, err::kDateInvalid, {{std::string(err::kDateInvalid), "now"}});
        return;
      }
      app.clock.Set(*t);
    }
    SendJson(res, 200, {{"now", FormatIsoJst(app.clock.Now())}, {"fixed", app.clock.IsFixed()}});
  });
}

}  // namespace mizu::backend::http
