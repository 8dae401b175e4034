// 通知受信設定 (M13): which notice mails the account gets (検針結果, お支払い, 水道局からのお知らせ,
// 断水・濁水) and their language; GET and PUT /api/v1/me/notification-settings. Turning a kind off stops its
// mails, not its notices.
#include "imgui.h"
#include "mizu/json_fields.hpp"
#include "platform/http_client.hpp"
#include "ui/api.hpp"
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

void Apply(NotificationSettingsState& s, const nlohmann::json& j) {
  if (!j.is_object()) return;
  s.lang = FieldOr(j, "lang", "ja");
  auto email = ObjectField(j, "email");
  s.meter_reading = FieldOr(email, "meter_reading", true);
  s.payment = FieldOr(email, "payment", true);
  s.bureau = FieldOr(email, "bureau", true);
  s.outage = FieldOr(email, "outage", true);
  s.loaded = true;
}

void Save(AppState& app) {
  auto& s = app.s.notification_settings;
  nlohmann::json body = {{"lang", s.lang},
                         {"email",
                          {{"meter_reading", s.meter_reading},
                           {"payment", s.payment},
                           {"bureau", s.bureau},
                           {"outage", s.outage}}}};
  Api(app, "PUT", "/api/v1/me/notification-settings", body, [&app](const ApiReply& r) {
    auto& s = app.s.notification_settings;
    if (!r.ok()) return s.errors.Set(r.error);
    Apply(s, r.json);
    s.saved = true;
  });
}

}  // namespace

void EnterNotificationSettings(AppState& app) {
  auto& s = app.s.notification_settings;
  s.errors.Clear();
  s.saved = false;
  Api(app, "GET", "/api/v1/me/notification-settings", nullptr, [&app](const ApiReply& r) {
    auto& s = app.s.notification_settings;
    if (!r.ok()) return s.errors.Set(r.error);
    Apply(s, r.json);
  });
  EnterPushSettings(app);
}

void DrawNotificationSettings(AppState& app, AppContext& ctx) {
  auto& s = app.s.notification_settings;
  auto& reg = ctx.registry;
  Lang lang = app.lang;
  ui::Heading(reg, "nsettings.title", Tr(lang, "menu.notification_settings"));
  ui::ErrorText(reg, "nsettings.error", s.errors.Notice(lang));
  if (!s.loaded) return;
  ui::Text(reg, "nsettings.email_intro", Tr(lang, "nsettings.email_intro"));
  bool changed = false;
  changed |=
      ui::Checkbox(reg, "nsettings.meter_reading", Tr(lang, "nsettings.meter_reading"), s.meter_reading);
  changed |= ui::Checkbox(reg, "nsettings.payment", Tr(lang, "nsettings.payment"), s.payment);
  changed |= ui::Checkbox(reg, "nsettings.bureau", Tr(lang, "nsettings.bureau"), s.bureau);
  changed |= ui::Checkbox(reg, "nsettings.outage", Tr(lang, "nsettings.outage"), s.outage);
  ui::Text(reg, "nsettings.note", Tr(lang, "nsettings.note"), true);
  ImGui::Spacing();
  ui::Text(reg, "nsettings.lang", Tr(lang, "nsettings.lang"));
  for (const char* tag : {"ja", "en"}) {
    if (tag[0] == 'e') ImGui::SameLine();
    // Each language by its own name, as language switches are.
    if (ui::Radio(reg, std::string("nsettings.lang.") + tag, tag[0] == 'j' ? "日本語" : "English",
                  s.lang == tag)) {
      changed = changed || s.lang != tag;
      s.lang = tag;
    }
  }
  if (changed) s.saved = false;
  ImGui::Spacing();
  bool busy = PendingRequests() > 0;
  if (ui::Button(reg, "nsettings.save", Tr(lang, busy ? "app.working" : "nsettings.save"),
                 ui::ButtonKind::kPrimary, !busy)) {
    s.errors.Clear();
    s.saved = false;
    Save(app);
  }
  if (s.saved) ui::SuccessText(reg, "nsettings.saved", Tr(lang, "nsettings.saved"));
  ImGui::Spacing();
  DrawPushSettings(app, ctx);
}

}  // namespace mizu::web
