// 見守り登録 (W1–W6): a contract with a smart meter → start times (whole hours, at most 2, windows of the
// utility's width that may not overlap) and recipients (name + e-mail, up to 5) → 確認 (お客様番号, start
// times, recipients, and the three report mails a recipient can get) → 登録 → done. 戻る returns to the form
// with the input kept. 「現在の見守り設定を解除する」 → 「現在の見守り設定を解除いたします」 → はい. Checked
// in the browser by the shared rules first, then by the server; both show their errors at the field.
#include <cstdio>

#include "imgui.h"
#include "mizu/json_fields.hpp"
#include "mizu/watch.hpp"
#include "platform/http_client.hpp"
#include "platform/text_input.hpp"
#include "ui/api.hpp"
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

// "6:00" / "06:00": the time of day, whichever day it falls on, as the mails write it (FormatClock).
std::string Clock(Lang lang, int minutes) {
  const DayTime t = DayTimeOf(minutes);
  return FormatClock(lang, t.hour, t.minute);
}

// 「18:00〜24:00（0:30にメール）」 under the utility's settings: the window as the mails say it
// (FormatDailyWindow), the report time from WindowTimingOf.
std::string WindowText(Lang lang, int start, const WatchSettings& settings) {
  const WindowTiming t = WindowTimingOf(start, settings);
  return Format(Tr(lang, "watch.window"), {{"window", FormatDailyWindow(lang, start, settings)},
                                           {"report", Clock(lang, t.report_minute)}});
}

// The utility's settings as the GET answer states them; WatchSettings' defaults for what it leaves out.
WatchSettings SettingsFrom(const nlohmann::json& j) {
  const WatchSettings d;
  WatchSettings s;
  s.window_hours = FieldOr(j, "window_hours", d.window_hours);
  s.report_delay_minutes = FieldOr(j, "report_delay_minutes", d.report_delay_minutes);
  s.max_windows = FieldOr(j, "max_windows", d.max_windows);
  s.max_recipients = FieldOr(j, "max_recipients", d.max_recipients);
  return s;
}

std::vector<int> StartHours(const WatchState& s) {
  std::vector<int> hours{s.hour1};
  if (s.hour2 >= 0) hours.push_back(s.hour2);
  return hours;
}

std::vector<WatchRecipient> Recipients(const WatchState& s) {
  std::vector<WatchRecipient> out;
  for (const auto& r : s.recipients) out.push_back({r.name, r.email});
  return out;
}

void Load(AppState& app) {
  const Contract* c = app.account.Selected();
  WatchState& s = app.s.watch;
  if (!c || !c->smart_meter) return;
  std::string cn = c->customer_number;
  Api(app, "GET", "/api/v1/contracts/" + cn + "/watch", nullptr, [&app, cn](const ApiReply& r) {
    WatchState& s = app.s.watch;
    s = {};
    s.contract = cn;
    if (!r.ok()) return s.errors.Set(r.error);
    s.loaded = true;
    s.active = FieldOr(r.json, "active", false);
    s.settings = SettingsFrom(r.json);
    auto hours = FieldOr(r.json, "start_hours", std::vector<int>{});
    if (!hours.empty()) s.hour1 = NormalizeStartHour(hours[0]);
    if (hours.size() > 1) s.hour2 = NormalizeStartHour(hours[1]);
    for (const auto& x : ArrayField(r.json, "recipients"))
      s.recipients.push_back({FieldOr(x, "name", ""), FieldOr(x, "email", ""), FieldOr(x, "stopped", false)});
    if (s.recipients.empty()) s.recipients.push_back({});
  });
  s.loaded = false;
}

// The shared rules (the server runs the same): errors at the fields, true when acceptable.
bool Check(WatchState& s) {
  s.errors.Clear();
  const WatchSettings& settings = s.settings;
  for (auto& r : s.recipients) {
    WatchRecipient n = NormalizeRecipient({r.name, r.email});
    r.name = n.name;
    r.email = n.email;
  }
  for (const auto& e : ValidateStartHours(StartHours(s), settings)) s.errors.SetField(e.field, e.code);
  for (const auto& e : ValidateRecipients(Recipients(s), settings)) s.errors.SetField(e.field, e.code);
  return !s.errors.Any();
}

// The form as the PUT and the preview take it: start hours, recipients, and the mails' language.
nlohmann::json Body(const AppState& app) {
  const WatchState& s = app.s.watch;
  nlohmann::json j = api::WatchSettingsBody{StartHours(s), Recipients(s)};
  j["lang"] = std::string(LangTag(app.lang));
  return j;
}

void Register(AppState& app) {
  WatchState& s = app.s.watch;
  Api(app, "PUT", "/api/v1/contracts/" + s.contract + "/watch", Body(app), [&app](const ApiReply& r) {
    WatchState& s = app.s.watch;
    if (!r.ok()) {
      s.errors.Set(r.error);
      s.step = WatchState::kEdit;  // the errors are at the fields of the form
      return;
    }
    s.active = true;
    s.mailed = FieldOr(r.json, "mailed", std::vector<std::string>{});
    s.step = WatchState::kDone;
  });
}

// The three report mails the recipients will get, composed by the server's own mail code (POST …/preview);
// the server's checks answer here too, before 登録, with the errors at the form's fields.
void LoadPreview(AppState& app) {
  WatchState& s = app.s.watch;
  s.preview.clear();
  s.preview_open = -1;
  Api(app, "POST", "/api/v1/contracts/" + s.contract + "/watch/preview", Body(app),
      [&app](const ApiReply& r) {
        WatchState& s = app.s.watch;
        if (!r.ok()) {
          s.errors.Set(r.error);
          s.step = WatchState::kEdit;
          return;
        }
        for (const auto& m : ArrayField(r.json, "mails"))
          s.preview.push_back({FieldOr(m, "outcome", ""), FieldOr(m, "subject", ""), FieldOr(m, "body", "")});
      });
}

void DrawPreview(AppState& app, AppContext& ctx) {
  const WatchState& s = app.s.watch;
  if (s.preview.empty()) return;
  Lang lang = app.lang;
  auto& reg = ctx.registry;
  ImGui::Spacing();
  ui::Heading(reg, "watch.preview", Tr(lang, "watch.preview"));
  ui::Text(reg, "watch.preview_hint", Tr(lang, "watch.preview_hint"), true);
  // Each mail by its subject; its body on request (three whole mails would push 登録 far down).
  for (int i = 0; i < static_cast<int>(s.preview.size()); ++i) {
    const auto& m = s.preview[i];
    const std::string id = "watch.preview." + m.outcome;
    ui::Field(reg, id, Tr(lang, id), Format(Tr(lang, "watch.preview.subject"), {{"subject", m.subject}}));
    const bool open = s.preview_open == i;
    if (ui::SmallButton(reg, (id + ".toggle").c_str(),
                        Tr(lang, open ? "watch.preview.close" : "watch.preview.open")))
      app.s.watch.preview_open = open ? -1 : i;
    reg.LastItem().expanded = open;
    if (open) ui::Field(reg, id + ".body", Tr(lang, "watch.preview.body"), m.body);
  }
}

void Cancel(AppState& app) {
  WatchState& s = app.s.watch;
  Api(app, "DELETE", "/api/v1/contracts/" + s.contract + "/watch", nullptr, [&app](const ApiReply& r) {
    WatchState& s = app.s.watch;
    if (!r.ok()) return s.errors.Set(r.error);
    std::string cn = s.contract;
    WatchSettings settings = s.settings;
    s = {};
    s.contract = cn;
    s.settings = settings;
    s.loaded = true;
    s.recipients.push_back({});
    s.step = WatchState::kCancelled;
  });
}

void DrawHours(AppState& app, AppContext& ctx) {
  WatchState& s = app.s.watch;
  Lang lang = app.lang;
  std::vector<std::string> first, second{std::string(Tr(lang, "watch.none"))};
  for (int h = 0; h < 24; ++h) {
    first.push_back(WindowText(lang, h, s.settings));
    second.push_back(first.back());
  }
  std::string e1 = s.errors.Field(lang, "start_hours[0]");
  ui::Select(ctx.registry, "watch.hour1", Tr(lang, "watch.start1"), first, s.hour1, e1);
  int second_index = s.hour2 + 1;
  std::string e2 = s.errors.Field(lang, "start_hours");
  if (e2.empty()) e2 = s.errors.Field(lang, "start_hours[1]");
  if (ui::Select(ctx.registry, "watch.hour2", Tr(lang, "watch.start2"), second, second_index, e2))
    s.hour2 = second_index - 1;
}

void DrawRecipients(AppState& app, AppContext& ctx) {
  WatchState& s = app.s.watch;
  Lang lang = app.lang;
  auto& reg = ctx.registry;
  ui::Heading(reg, "watch.recipients", Tr(lang, "watch.recipients"));
  ui::ErrorText(reg, "watch.recipients_error", s.errors.Field(lang, "recipients"));
  for (size_t i = 0; i < s.recipients.size(); ++i) {
    auto& r = s.recipients[i];
    std::string id = "watch.recipient." + std::to_string(i);
    std::string f = "recipients[" + std::to_string(i) + "]";
    ImGui::PushID(static_cast<int>(i));
    ui::Text(reg, (id + ".title").c_str(),
             Format(Tr(lang, "watch.recipient_n"), {{"n", std::to_string(i + 1)}}));
    if (r.stopped) ui::Text(reg, (id + ".stopped").c_str(), Tr(lang, "watch.recipient_stopped"), true);
    ui::InputText(reg, (id + ".name").c_str(), Tr(lang, "watch.recipient_name"), r.name,
                  {.max_bytes = 160, .error = s.errors.Field(lang, f + ".name")});
    ui::InputText(
        reg, (id + ".email").c_str(), Tr(lang, "watch.recipient_email"), r.email,
        {.keyboard = kKeyboardEmail, .max_bytes = 254, .error = s.errors.Field(lang, f + ".email")});
    bool remove =
        s.recipients.size() > 1 && ui::Button(reg, (id + ".remove").c_str(),
                                              Tr(lang, "watch.recipient_remove"), ui::ButtonKind::kSecondary);
    ImGui::PopID();
    if (remove) {
      s.recipients.erase(s.recipients.begin() + static_cast<long>(i));
      s.errors.Clear();
      break;
    }
    ImGui::Spacing();
  }
  if (static_cast<int>(s.recipients.size()) < s.settings.max_recipients &&
      ui::Button(reg, "watch.recipient_add", Tr(lang, "watch.recipient_add"), ui::ButtonKind::kSecondary))
    s.recipients.push_back({});
}

void DrawEdit(AppState& app, AppContext& ctx, bool busy) {
  WatchState& s = app.s.watch;
  Lang lang = app.lang;
  auto& reg = ctx.registry;
  ui::Text(reg, "watch.status", Tr(lang, s.active ? "watch.status_active" : "watch.status_none"));
  ui::Text(reg, "watch.width",
           Format(Tr(lang, "watch.width"), {{"h", std::to_string(s.settings.window_hours)},
                                            {"delay", std::to_string(s.settings.report_delay_minutes)}}),
           true);
  DrawHours(app, ctx);
  ImGui::Spacing();
  DrawRecipients(app, ctx);
  ui::ErrorText(reg, "watch.error", s.errors.Notice(lang));
  ImGui::Spacing();
  if (ui::Button(reg, "watch.confirm", Tr(lang, "watch.confirm"), ui::ButtonKind::kPrimary, !busy) &&
      Check(s)) {
    s.step = WatchState::kConfirm;
    LoadPreview(app);
  }
  if (s.active) {
    ImGui::Spacing();
    if (ui::Button(reg, "watch.to_alerts", Tr(lang, "watch.to_alerts"), ui::ButtonKind::kSecondary, !busy))
      Navigate(app, Screen::kWatchAlerts);
    if (ui::Button(reg, "watch.cancel", Tr(lang, "watch.cancel"), ui::ButtonKind::kSecondary, !busy))
      s.step = WatchState::kCancelConfirm;
  }
}

void DrawConfirm(AppState& app, AppContext& ctx, bool busy) {
  WatchState& s = app.s.watch;
  Lang lang = app.lang;
  auto& reg = ctx.registry;
  const Contract* c = app.account.Selected();
  ui::Text(reg, "watch.confirm_hint", Tr(lang, "watch.confirm_hint"));
  ui::Field(reg, "watch.confirm.number", Tr(lang, "top.customer_number"), c ? c->display_number : "");
  std::string hours;
  for (int h : StartHours(s)) hours += (hours.empty() ? "" : "\n") + WindowText(lang, h, s.settings);
  ui::Field(reg, "watch.confirm.hours", Tr(lang, "watch.start_times"), hours);
  for (size_t i = 0; i < s.recipients.size(); ++i)
    ui::Field(reg, "watch.confirm.recipient." + std::to_string(i),
              Format(Tr(lang, "watch.recipient_n"), {{"n", std::to_string(i + 1)}}),
              s.recipients[i].name + "  " + s.recipients[i].email);
  DrawPreview(app, ctx);
  ImGui::Spacing();
  if (ui::Button(reg, "watch.register", Tr(lang, "watch.register"), ui::ButtonKind::kPrimary, !busy))
    Register(app);
  if (ui::Button(reg, "watch.back", Tr(lang, "app.back"), ui::ButtonKind::kCancel))
    s.step = WatchState::kEdit;
}

}  // namespace

void EnterWatch(AppState& app) {
  // Data screens may have selected a contract without a smart meter: prefer one that has it.
  const Contract* c = app.account.Selected();
  if (!c || !c->smart_meter)
    for (const auto& k : app.account.contracts)
      if (k.smart_meter) {
        app.account.selected = k.customer_number;
        break;
      }
  WatchState& s = app.s.watch;
  bool same = c && s.contract == app.account.selected && s.loaded;
  if (same && (s.step == WatchState::kEdit || s.step == WatchState::kConfirm))
    return;  // keep the input (戻る)
  s.step = WatchState::kEdit;
  Load(app);
}

void DrawWatch(AppState& app, AppContext& ctx) {
  WatchState& s = app.s.watch;
  Lang lang = app.lang;
  auto& reg = ctx.registry;
  bool busy = PendingRequests() > 0;
  ui::Heading(reg, "watch.title", Tr(lang, "procedures.watch"));
  ui::Text(reg, "watch.disclaimer", Tr(lang, "watch.disclaimer"), true);
  bool any_smart = false;
  for (const auto& c : app.account.contracts) any_smart = any_smart || c.smart_meter;
  if (!any_smart) {
    ui::ErrorText(reg, "watch.no_smart_meter", Tr(lang, "error.watch_no_smart_meter"));
    ui::Text(reg, "watch.pattern2", Tr(lang, "watch.pattern2"), true);
    if (ui::Button(reg, "watch.to_contract_add", Tr(lang, "contracts.add"), ui::ButtonKind::kSecondary))
      Navigate(app, Screen::kContractAdd);
    return;
  }
  if (s.step == WatchState::kEdit && ContractPicker(app, ctx, true)) {
    s = {};
    Load(app);
  }
  if (!s.loaded) {
    ui::ErrorText(reg, "watch.error", s.errors.Notice(lang));
    return;
  }
  switch (s.step) {
    case WatchState::kEdit:
      DrawEdit(app, ctx, busy);
      break;
    case WatchState::kConfirm:
      DrawConfirm(app, ctx, busy);
      break;
    case WatchState::kDone:
      ui::SuccessText(reg, "watch.done", Tr(lang, "watch.done"));
      if (!s.mailed.empty()) {
        std::string list;
        for (const auto& m : s.mailed) list += (list.empty() ? "" : "\n") + m;
        ui::Field(reg, "watch.mailed", Tr(lang, "watch.mailed"), list);
      }
      if (ui::Button(reg, "watch.again", Tr(lang, "watch.edit_again"), ui::ButtonKind::kSecondary))
        s.step = WatchState::kEdit;
      if (ui::Button(reg, "watch.to_alerts", Tr(lang, "watch.to_alerts"), ui::ButtonKind::kSecondary))
        Navigate(app, Screen::kWatchAlerts);
      if (ui::Button(reg, "watch.to_top", Tr(lang, "app.to_top"), ui::ButtonKind::kSecondary))
        Navigate(app, Screen::kTop);
      break;
    case WatchState::kCancelConfirm:
      ui::ErrorText(reg, "watch.cancel_confirm", Tr(lang, "watch.cancel_confirm"));
      if (ui::Button(reg, "watch.cancel_yes", Tr(lang, "app.yes"), ui::ButtonKind::kDanger, !busy))
        Cancel(app);
      if (ui::Button(reg, "watch.cancel_no", Tr(lang, "app.no"), ui::ButtonKind::kCancel))
        s.step = WatchState::kEdit;
      break;
    case WatchState::kCancelled:
      ui::SuccessText(reg, "watch.cancelled", Tr(lang, "watch.cancelled"));
      if (ui::Button(reg, "watch.new", Tr(lang, "watch.new"), ui::ButtonKind::kSecondary))
        s.step = WatchState::kEdit;
      break;
  }
}

}  // namespace mizu::web
