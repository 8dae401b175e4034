// Web Push routes (push.hpp, docs/notifications.md, docs/api.md): the server's VAPID public key for
// PushManager.subscribe, and the logged-in account's devices — register (the browser's
// PushSubscription.toJSON() plus a label), list, turn on/off, remove. Never from a counter kiosk.
#include "guard.hpp"
#include "mizu/backend/push.hpp"
#include "mizu/time.hpp"

namespace mizu::backend::http {
namespace {

nlohmann::json DeviceJson(const PushSubscriptionView& d) {
  return {
      {"id", d.id},
      {"device", d.device},
      {"enabled", d.enabled},
      {"service", d.endpoint_origin},
      {"created_at", FormatIsoJst(d.created_at)},
      {"last_sent_at", d.last_sent_at ? nlohmann::json(FormatIsoJst(*d.last_sent_at)) : nlohmann::json()}};
}

// The string at body[a][b] (b empty: body[a]); "" when absent, a field error when present and not a string.
std::string Field(const nlohmann::json& body, const char* a, const char* b, const char* name,
                  std::vector<FieldError>& errors) {
  const nlohmann::json* v = body.contains(a) ? &body.at(a) : nullptr;
  if (v && b) v = v->is_object() && v->contains(b) ? &v->at(b) : nullptr;
  if (!v) return {};
  if (!v->is_string()) {
    errors.push_back({std::string(err::kInvalidFormat), name});
    return {};
  }
  return v->get<std::string>();
}

int64_t DeviceId(const httplib::Request& req) {
  return std::stoll(req.matches[1]);
}

}  // namespace

void RegisterPushRoutes(httplib::Server& server, App& app) {
  server.Get("/api/v1/push/key", Public(app, [&app](const httplib::Request&, httplib::Response& res) {
               // A reader answers (no login: no writer lock, no unsealing); the key is made at start-up, or
               // here on the first use of a server that never started its relay.
               std::string key = ReadDb(app, [](Database& db) {
                 auto q = db.Prepare("SELECT value FROM server_state WHERE key = 'push.vapid_public'");
                 return q.Step() ? q.Text(0) : std::string();
               });
               if (key.empty()) {
                 WriterLock lock(app);
                 key = Base64Encode(LoadOrCreateVapidKey(*app.db, app.code_key).public_key, true);
               }
               SendJson(res, 200, {{"key", key}});
             }));

  server.Get("/api/v1/me/push-subscriptions",
             WithAccount(app, [&app](const httplib::Request&, httplib::Response& res, const Caller& c) {
               nlohmann::json devices = nlohmann::json::array();
               for (const auto& d : ReadDb(
                        app, [&](Database& db) { return ListPushSubscriptions(db, c.session.account_id); }))
                 devices.push_back(DeviceJson(d));
               SendJson(res, 200, {{"devices", devices}});
             }));

  server.Post("/api/v1/me/push-subscriptions",
              WithAccount(
                  app,
                  [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
                    const nlohmann::json body = ReadJsonBody(req);
                    std::vector<FieldError> errors;
                    PushSubscriptionInput in{Field(body, "endpoint", nullptr, "endpoint", errors),
                                             Field(body, "keys", "p256dh", "p256dh", errors),
                                             Field(body, "keys", "auth", "auth", errors),
                                             Field(body, "device", nullptr, "device", errors)};
                    if (errors.empty()) errors = CheckPushSubscription(in, app.config.push);
                    if (!errors.empty()) throw ServiceError(400, errors.front().code, errors);
                    const int64_t now = app.clock.Now();
                    auto view = WriteDb(app, [&](Database& db) {
                      const int64_t id = SavePushSubscription(db, c.session.account_id, in, now);
                      for (const auto& d : ListPushSubscriptions(db, c.session.account_id))
                        if (d.id == id) return d;
                      throw DbError("the saved push subscription is not listed");
                    });
                    SendJson(res, 201, DeviceJson(view));
                  },
                  KioskUse::kRefused));

  server.Put(
      R"(/api/v1/me/push-subscriptions/([0-9]{1,18}))",
      WithAccount(
          app,
          [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
            const nlohmann::json body = ReadJsonBody(req);
            if (!body.contains("enabled") || !body.at("enabled").is_boolean())
              throw ServiceError(400, err::kInvalidFormat, {{std::string(err::kInvalidFormat), "enabled"}});
            const bool enabled = body.at("enabled").get<bool>();
            auto view = WriteDb(app, [&](Database& db) -> std::optional<PushSubscriptionView> {
              if (!SetPushEnabled(db, c.session.account_id, DeviceId(req), enabled)) return std::nullopt;
              for (const auto& d : ListPushSubscriptions(db, c.session.account_id))
                if (d.id == DeviceId(req)) return d;
              return std::nullopt;
            });
            if (!view) throw ServiceError(404, err::kPushSubscriptionNotFound);
            SendJson(res, 200, DeviceJson(*view));
          },
          KioskUse::kRefused));

  server.Delete(R"(/api/v1/me/push-subscriptions/([0-9]{1,18}))",
                WithAccount(
                    app,
                    [&app](const httplib::Request& req, httplib::Response& res, const Caller& c) {
                      const int64_t now = app.clock.Now();
                      if (!WriteDb(app, [&](Database& db) {
                            return EndPushSubscription(db, c.session.account_id, DeviceId(req), now,
                                                       "removed by the resident");
                          }))
                        throw ServiceError(404, err::kPushSubscriptionNotFound);
                      res.status = 204;
                    },
                    KioskUse::kRefused));
}

}  // namespace mizu::backend::http
