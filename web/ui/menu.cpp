// メニュー (M18): トップ / ご利用実績 / お支払い実績 / 料金のお支払い / 契約内容のご確認 / 各種お手続き /
// ログアウト / 日本語, plus お知らせ, 通知受信設定 and 料金シミュレーション. 各種お手続き lists the
// procedures.
#include "imgui.h"
#include "platform/location.hpp"
#include "ui/api.hpp"
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {

void Logout(AppState& app) {
  if (IsKiosk(app)) return LeaveKiosk(app);
  Api(app, "POST", "/api/v1/logout", nullptr, [](const ApiReply&) { RestartPage(RouteOf(Screen::kLogin)); },
      {.session = false});
}

void CloseMenu(AppState& app) {
  Navigate(app, app.menu_return == Screen::kMenu ? Screen::kTop : app.menu_return);
}

void DrawMenu(AppState& app, AppContext& ctx) {
  auto& reg = ctx.registry;
  Lang lang = app.lang;
  ui::Heading(reg, "menu.title", Tr(lang, "menu.title"));
  struct Entry {
    const char* id;
    Screen screen;
  };
  static constexpr Entry kEntries[] = {
      {"menu.top", Screen::kTop},
      {"menu.usage", Screen::kUsage},
      {"menu.payments", Screen::kPayments},
      {"menu.pay", Screen::kPay},
      {"menu.notices", Screen::kNotices},
      {"menu.contracts", Screen::kContracts},
      {"menu.procedures", Screen::kProcedures},
      {"menu.notification_settings", Screen::kNotificationSettings},
      {"menu.simulation", Screen::kSimulation},
  };
  for (const auto& e : kEntries)
    if (ui::MenuRow(reg, e.id, Tr(lang, e.id))) Navigate(app, e.screen);
  if (ui::MenuRow(reg, "menu.language", Tr(lang, "lang.switch_to_other"), Tr(lang, "lang.label")))
    app.lang = lang == Lang::kJa ? Lang::kEn : Lang::kJa;
  ImGui::Spacing();
  if (ui::Button(reg, "menu.logout", Tr(lang, "menu.logout"), ui::ButtonKind::kSecondary)) Logout(app);
  if (ui::Button(reg, "menu.close", Tr(lang, "menu.close"), ui::ButtonKind::kCancel)) CloseMenu(app);
}

void DrawProcedures(AppState& app, AppContext& ctx) {
  auto& reg = ctx.registry;
  Lang lang = app.lang;
  ui::Heading(reg, "procedures.title", Tr(lang, "menu.procedures"));
  if (ui::MenuRow(reg, "procedures.watch", Tr(lang, "procedures.watch"), Tr(lang, "procedures.watch_detail")))
    Navigate(app, Screen::kWatch);
  const bool kiosk = IsKiosk(app);  // e-mail, password and withdrawal: not at a shared terminal
  if (!kiosk && ui::MenuRow(reg, "procedures.account", Tr(lang, "procedures.account"),
                            Tr(lang, "procedures.account_detail")))
    Navigate(app, Screen::kAccount);
  if (ui::MenuRow(reg, "procedures.applications", Tr(lang, "procedures.applications"),
                  Tr(lang, "procedures.applications_detail")))
    Navigate(app, Screen::kApplications);
  if (!kiosk && ui::MenuRow(reg, "procedures.withdraw", Tr(lang, "procedures.withdraw"),
                            Tr(lang, "procedures.withdraw_detail")))
    Navigate(app, Screen::kWithdraw);
  if (kiosk) ui::Text(reg, "procedures.kiosk_note", Tr(lang, "kiosk.not_here"), true);
}

}  // namespace mizu::web
