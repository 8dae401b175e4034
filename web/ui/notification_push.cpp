// 通知受信設定, its push part (docs/notifications.md): the seed's promise that residents with the installed
// app get notices by push instead of e-mail. This browser is turned on with the browser's permission prompt
// and PushManager (platform/push.hpp) and registered with POST /api/v1/me/push-subscriptions; each of the
// account's devices can be turned off (PUT) — their notices then come by e-mail. Never shown at a counter
// kiosk.
#include <algorithm>

#include "mizu/json_fields.hpp"
#include "platform/push.hpp"
#include "ui/api.hpp"
#include "ui/app.hpp"
#include "ui/kiosk.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

void LoadDevices(AppState& app) {
  Api(app, "GET", "/api/v1/me/push-subscriptions", nullptr, [&app](const ApiReply& r) {
    auto& s = app.s.notification_settings;
    if (!r.ok()) return s.errors.Set(r.error);
    s.devices.clear();
    for (const auto& d : ArrayField(r.json, "devices"))
      s.devices.push_back({FieldOr<int64_t>(d, "id", 0), FieldOr(d, "device", ""), FieldOr(d, "service", ""),
                           FieldOr(d, "enabled", true), FieldOr(d, "last_sent_at", "")});
  });
}

// Registers this browser's subscription (new, or again: the server answers the same device and refreshes its
// keys); the answer's id marks this device in the list.
void Register(AppState& app, const PushState& st) {
  auto& s = app.s.notification_settings;
  auto body = nlohmann::json::parse(st.subscription, nullptr, false);
  if (!body.is_object()) {
    s.push_busy = false;
    s.push_error = "nsettings.push_failed";
    return;
  }
  body["device"] = st.device;
  Api(app, "POST", "/api/v1/me/push-subscriptions", body, [&app](const ApiReply& r) {
    auto& s = app.s.notification_settings;
    s.push_busy = false;
    if (!r.ok()) {
      // The refusal names a field of the subscription (endpoint, p256dh, …), which this screen has no input
      // for: the field's code is the screen's message (e.g. push_endpoint_not_allowed, "…by e-mail").
      s.errors.Set(r.error);
      if (s.errors.code.empty() && !s.errors.fields.empty())
        s.errors.code = s.errors.fields.begin()->second.first;
      return;
    }
    s.this_device = FieldOr<int64_t>(r.json, "id", 0);
    LoadDevices(app);
  });
}

void TurnOn(AppState& app) {
  auto& s = app.s.notification_settings;
  s.push_busy = true;
  s.push_error.clear();
  s.errors.Clear();
  Api(app, "GET", "/api/v1/push/key", nullptr, [&app](const ApiReply& r) {
    auto& s = app.s.notification_settings;
    if (!r.ok()) {
      s.push_busy = false;
      return s.errors.Set(r.error);
    }
    PushSubscribe(FieldOr(r.json, "key", ""), [&app](const PushState& st) {
      auto& s = app.s.notification_settings;
      s.push_permission = st.permission;
      if (st.subscription.empty()) {
        s.push_busy = false;
        s.push_error = st.permission == "denied" ? "nsettings.push_denied" : "nsettings.push_failed";
        return;
      }
      Register(app, st);
    });
  });
}

void TurnOff(AppState& app) {
  auto& s = app.s.notification_settings;
  s.push_busy = true;
  s.push_error.clear();
  const int64_t id = s.this_device;
  PushUnsubscribe([&app, id](const PushState& st) {
    app.s.notification_settings.push_permission = st.permission;
    Api(app, "DELETE", "/api/v1/me/push-subscriptions/" + std::to_string(id), nullptr,
        [&app](const ApiReply& r) {
          auto& s = app.s.notification_settings;
          s.push_busy = false;
          if (!r.ok() && r.status != 404) return s.errors.Set(r.error);  // 404: already gone
          s.this_device = 0;
          LoadDevices(app);
        });
  });
}

void SetEnabled(AppState& app, int64_t id, bool enabled) {
  Api(app, "PUT", "/api/v1/me/push-subscriptions/" + std::to_string(id), {{"enabled", enabled}},
      [&app](const ApiReply& r) {
        if (!r.ok()) app.s.notification_settings.errors.Set(r.error);
        LoadDevices(app);
      });
}

}  // namespace

void EnterPushSettings(AppState& app) {
  auto& s = app.s.notification_settings;
  s.devices.clear();
  s.this_device = 0;
  s.push_error.clear();
  s.push_busy = false;
  s.push_permission.clear();
  if (IsKiosk(app)) return;
  LoadDevices(app);
  PushQuery([&app](const PushState& st) {
    auto& s = app.s.notification_settings;
    s.push_permission = st.permission;
    if (st.permission == "granted" && !st.subscription.empty()) Register(app, st);
  });
}

void DrawPushSettings(AppState& app, AppContext& ctx) {
  auto& s = app.s.notification_settings;
  if (IsKiosk(app) || s.push_permission.empty()) return;
  auto& reg = ctx.registry;
  const Lang lang = app.lang;
  ui::Heading(reg, "nsettings.push_title", Tr(lang, "nsettings.push_title"));
  ui::Text(reg, "nsettings.push_intro", Tr(lang, "nsettings.push_intro"));
  if (s.push_permission == "unsupported") {
    ui::Text(reg, "nsettings.push_unsupported", Tr(lang, "nsettings.push_unsupported"), true);
  } else {
    const auto here = std::find_if(s.devices.begin(), s.devices.end(),
                                   [&](const PushDeviceRow& d) { return d.id == s.this_device; });
    bool on = here != s.devices.end() && here->enabled;
    if (ui::Checkbox(reg, "nsettings.push_this", Tr(lang, "nsettings.push_this"), on) && !s.push_busy) {
      if (on && here != s.devices.end())
        SetEnabled(app, here->id, true);  // registered here, turned off earlier: on again
      else if (on)
        TurnOn(app);
      else
        TurnOff(app);
    }
    if (s.push_busy) ui::Progress(reg, "nsettings.push_working", Tr(lang, "app.working"));
    if (s.push_permission == "denied")
      ui::Text(reg, "nsettings.push_denied", Tr(lang, "nsettings.push_denied"), true);
    else if (!s.push_error.empty())
      ui::ErrorText(reg, "nsettings.push_error", Tr(lang, s.push_error.c_str()));
  }
  bool others = false;
  for (auto& d : s.devices) {
    if (d.id == s.this_device) continue;
    if (!others) ui::Text(reg, "nsettings.push_others", Tr(lang, "nsettings.push_others"));
    others = true;
    const std::string host =
        d.service.substr(d.service.find("://") == std::string::npos ? 0 : d.service.find("://") + 3);
    bool enabled = d.enabled;
    if (ui::Checkbox(reg, ("nsettings.device." + std::to_string(d.id)).c_str(),
                     (d.device.empty() ? std::string(Tr(lang, "nsettings.push_device")) : d.device) + "（" +
                         host + "）",
                     enabled))
      SetEnabled(app, d.id, enabled);
  }
}

}  // namespace mizu::web
