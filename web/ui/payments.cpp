// お支払い実績: the payments of the selected contract's last 12 bills, newest first.
// 料金のお支払い (M18): what is still to pay (the newest unpaid or partly paid bills with their due dates,
// from the bills ご利用実績 loads) and how one can pay. No payment is made here.
#include "imgui.h"
#include "theme/theme.hpp"
#include "ui/api.hpp"
#include "ui/app.hpp"
#include "ui/data.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

std::string MethodLabel(Lang lang, const std::string& code) {
  return code.empty() ? "—" : std::string(Tr(lang, "billing.method." + code));
}

}  // namespace

void EnterPayments(AppState& app) {
  auto& s = app.s.payments;
  const Contract* c = app.account.Selected();
  if (!c) return;
  if (s.contract != c->customer_number) s = {};
  s.contract = c->customer_number;
  s.errors.Clear();
  std::string cn = s.contract;
  Api(app, "GET", "/api/v1/contracts/" + cn + "/payments", nullptr, [&app, cn](const ApiReply& r) {
    auto& s = app.s.payments;
    if (s.contract != cn) return;
    s.loaded = true;
    if (!r.ok()) return s.errors.Set(r.error);
    s.payments = ParsePayments(r.json);
  });
}

void DrawPayments(AppState& app, AppContext& ctx) {
  auto& s = app.s.payments;
  auto& reg = ctx.registry;
  Lang lang = app.lang;
  ui::Heading(reg, "payments.title", Tr(lang, "menu.payments"));
  if (ContractPicker(app, ctx)) return Reload(app);
  ui::ErrorText(reg, "payments.error", s.errors.Notice(lang));
  if (s.loaded && s.payments.empty() && !s.errors.Any())
    ui::Text(reg, "payments.none", Tr(lang, "payments.none"), true);
  if (s.payments.empty()) return;
  std::vector<ui::TableRow> rows;
  for (const Payment& p : s.payments)
    rows.push_back({{FormatDay(lang, p.paid_on), PeriodName(lang, p.reading_date), Yen(lang, p.amount),
                     MethodLabel(lang, p.method)},
                    p.paid_on,
                    std::to_string(p.amount) + " yen; " + p.method + "; " + p.reading_date});
  ui::Table(reg, "payments",
            {std::string(Tr(lang, "payments.col.paid_on")), std::string(Tr(lang, "payments.col.bill")),
             std::string(Tr(lang, "payments.col.amount")), std::string(Tr(lang, "payments.col.method"))},
            {1.1f, 1.2f, 1, 1.2f}, rows);
}

void DrawPay(AppState& app, AppContext& ctx) {
  const auto& s = app.s.usage;  // EnterUsage loads the bills for this screen too
  auto& reg = ctx.registry;
  Lang lang = app.lang;
  ui::Heading(reg, "pay.title", Tr(lang, "menu.pay"));
  if (ContractPicker(app, ctx)) return Reload(app);
  ui::ErrorText(reg, "pay.error", s.errors.Notice(lang));

  int shown = 0;
  for (const Bill& b : s.bills) {  // newest first
    if (b.status == "paid") continue;
    std::string id = "pay.bill." + std::to_string(shown++);
    ui::Heading(reg, (id + ".title").c_str(),
                Format(Tr(lang, "pay.bill_title"), {{"period", PeriodName(lang, b.reading_date)}}));
    ui::Field(reg, id + ".amount", Tr(lang, "pay.amount_due"), Yen(lang, b.total - b.paid));
    if (b.paid > 0)
      ui::Field(reg, id + ".billed", Tr(lang, "pay.billed_paid"),
                Yen(lang, b.total) + " / " + Yen(lang, b.paid));
    ui::Field(reg, id + ".due", Tr(lang, "pay.due_date"), FormatDay(lang, b.due_date));
    ui::Field(reg, id + ".method", Tr(lang, "pay.method"), MethodLabel(lang, b.payment_method));
    ImGui::Separator();
  }
  if (s.loaded && shown == 0 && !s.errors.Any()) ui::SuccessText(reg, "pay.none", Tr(lang, "pay.none"));
  ImGui::Spacing();

  ui::Heading(reg, "pay.methods", Tr(lang, "pay.methods"));
  static constexpr const char* kMethods[] = {"direct_debit", "payment_slip", "credit_card"};
  for (const char* m : kMethods) {
    std::string key = std::string("pay.about.") + m;
    ui::Text(reg, ("pay.method." + std::string(m)).c_str(),
             "■ " + std::string(Tr(lang, std::string("billing.method.") + m)));
    ui::Text(reg, (key).c_str(), Tr(lang, key), true);
    ImGui::Spacing();
  }
  ui::Text(reg, "pay.note", Tr(lang, "pay.note"), true);
}

}  // namespace mizu::web
