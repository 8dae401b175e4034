// トップ: the contracts (優先表示 first) and when their usage becomes visible, the newest notices of every
// contract, and the selected contract's latest bill at a glance.
#include "imgui.h"
#include "platform/runner.hpp"
#include "ui/api.hpp"
#include "ui/app.hpp"
#include "ui/data.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

constexpr size_t kTopNotices = 3;

void LoadLatestBill(AppState& app) {
  const Contract* c = app.account.Selected();
  app.s.top.latest_bill.reset();
  if (!c || c->visible_from > NowUtcSeconds()) return;
  std::string cn = c->customer_number;
  Api(app, "GET", "/api/v1/contracts/" + cn + "/bills", nullptr, [&app, cn](const ApiReply& r) {
    if (!r.ok()) return;  // not yet visible etc.: the contract line says when
    auto bills = ParseBills(r.json);
    app.s.top.bill_for = cn;
    if (!bills.empty()) app.s.top.latest_bill = bills.front();
  });
}

}  // namespace

void EnterTop(AppState& app) {
  LoadAccount(app, [&app](bool ok) {
    if (ok) LoadLatestBill(app);
  });
  Api(app, "GET", "/api/v1/notices", nullptr, [&app](const ApiReply& r) {
    if (!r.ok()) {
      app.s.top.errors.Set(r.error);
      return;
    }
    app.s.top.notices = ParseNotices(r.json);
  });
}

void DrawTop(AppState& app, AppContext& ctx) {
  auto& reg = ctx.registry;
  Lang lang = app.lang;
  const auto& a = app.account;
  ui::Heading(reg, "top.title", Tr(lang, "top.title"));
  if (!a.email.empty())
    ui::Text(reg, "top.account", Format(Tr(lang, "top.account"), {{"email", a.email}}), true);
  ui::ErrorText(reg, "top.error", app.s.top.errors.Notice(lang));
  ImGui::Spacing();

  // Contracts.
  ui::Heading(reg, "top.contracts", Tr(lang, "top.contracts"));
  if (a.contracts.empty()) ui::Text(reg, "top.no_contracts", Tr(lang, "top.no_contracts"));
  int64_t now = NowUtcSeconds();
  int i = 0;
  for (const auto& c : a.contracts) {
    std::string id = "top.contract." + std::to_string(i++);
    ImGui::Separator();
    std::string title = std::string(Tr(lang, "top.customer_number")) + " " + c.display_number;
    if (c.primary) title += "（" + std::string(Tr(lang, "top.primary")) + "）";
    ui::Text(reg, (id + ".number").c_str(), title);
    ui::Text(reg, (id + ".address").c_str(), c.address, true);
    if (c.visible_from > now)
      ui::Text(
          reg, (id + ".visible_from").c_str(),
          Format(Tr(lang, "top.visible_from"), {{"when", FormatDateTimeWithWeekday(lang, c.visible_from)}}));
  }
  ImGui::Separator();
  ImGui::Spacing();

  // The latest bill of the selected contract.
  if (a.contracts.size() > 1 && ContractPicker(app, ctx)) LoadLatestBill(app);
  if (const auto& b = app.s.top.latest_bill; b && app.s.top.bill_for == a.selected) {
    ui::Heading(reg, "top.latest_bill", Tr(lang, "top.latest_bill"));
    ui::Field(reg, "top.bill.period", Tr(lang, "bill.period"),
              FormatDay(lang, b->period_start) + " – " + FormatDay(lang, b->period_end));
    ui::Field(reg, "top.bill.usage", Tr(lang, "bill.usage"), FormatThousands(b->usage_m3) + " m³");
    ui::Field(reg, "top.bill.total", Tr(lang, "bill.total"),
              FormatThousands(b->total) + Tr(lang, "unit.yen").data());
    ui::Field(reg, "top.bill.status", Tr(lang, "bill.status"), Tr(lang, "bill.status." + b->status));
    ImGui::Spacing();
  }

  // The screens people open most, one tap away (the rest are in メニュー).
  static constexpr std::pair<const char*, Screen> kQuick[] = {{"menu.usage", Screen::kUsage},
                                                              {"menu.payments", Screen::kPayments},
                                                              {"procedures.watch", Screen::kWatch}};
  for (const auto& [key, screen] : kQuick)
    if (ui::MenuRow(reg, std::string("top.quick.") + key, Tr(lang, key))) Navigate(app, screen);
  ImGui::Spacing();

  // Newest notices.
  ui::Heading(reg, "top.notices", Tr(lang, "menu.notices"));
  const auto& notices = app.s.top.notices;
  if (notices.empty()) ui::Text(reg, "top.no_notices", Tr(lang, "notices.none"), true);
  for (size_t n = 0; n < notices.size() && n < kTopNotices; ++n) {
    const auto& x = notices[n];
    std::string label = (x.read ? "" : "● ") + x.title;
    std::string detail = FormatDay(lang, x.published_at.substr(0, 10));
    if (!x.display_number.empty())
      detail += "  " + std::string(Tr(lang, "top.customer_number")) + " " + x.display_number;
    if (ui::MenuRow(reg, "top.notice." + std::to_string(n), label, detail)) {
      for (const auto& c : a.contracts)
        if (c.customer_number == x.customer_number) app.account.selected = c.customer_number;
      app.s.notices.open_id = x.id;
      Navigate(app, Screen::kNotices);
    }
  }
  ImGui::Spacing();
  if (ui::Button(reg, "menu.logout", Tr(lang, "menu.logout"), ui::ButtonKind::kSecondary)) Logout(app);
}

}  // namespace mizu::web
