// お支払い実績: the payments of the selected contract's last 12 bills, newest first.
// 料金のお支払い (M18, issue 18): what is still to pay (the newest unpaid or partly paid bills with their due
// dates, from the bills ご利用実績 loads), with the convenience-store barcode (GS1-128) and the Pay-easy
// numbers that pay each one from this screen — or why there are none (docs/payment.md) — and how else one can
// pay.
#include "imgui.h"
#include "theme/theme.hpp"
#include "ui/api.hpp"
#include "ui/app.hpp"
#include "ui/data.hpp"
#include "ui/kiosk.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

std::string MethodLabel(Lang lang, const std::string& code) {
  return code.empty() ? "—" : std::string(Tr(lang, "billing.method." + code));
}

// The barcode of bill `b` with its digits in two lines, as on the paper slip.
void DrawDigits(AppContext& ctx, const std::string& id, const Bill& b) {
  for (size_t i = 0; i < b.codes.human_readable.size(); ++i)
    ui::Text(ctx.registry, (id + ".digits." + std::to_string(i)).c_str(), b.codes.human_readable[i]);
}

void DrawBarcode(AppContext& ctx, Lang lang, const std::string& id, const Bill& b, bool vertical) {
  ui::Barcode(ctx.registry, (id + ".barcode").c_str(),
              Format(Tr(lang, "pay.barcode_label"), {{"digits", b.codes.barcode}}), b.codes.modules, 480,
              vertical);
}

// What pays bill `index` (shown = its place on the screen): the barcode, the Pay-easy numbers, or why not.
void DrawCodes(AppState& app, AppContext& ctx, const std::string& id, const Bill& b, int index) {
  auto& reg = ctx.registry;
  Lang lang = app.lang;
  const PayCodes& c = b.codes;
  if (!c.unavailable.empty()) {
    if (c.unavailable != "direct_debit" && c.unavailable != "paid")
      ui::Text(reg, (id + ".unavailable").c_str(), Tr(lang, "pay.unavailable." + c.unavailable), true);
    return;
  }
  ui::Field(reg, id + ".deadline", Tr(lang, "pay.codes_deadline"), FormatDay(lang, c.deadline));
  if (!c.barcode.empty()) {
    ui::Heading(reg, (id + ".konbini").c_str(), Tr(lang, "pay.konbini"));
    // At a counter kiosk the code is for the resident's own phone or the counter, not a store's scanner.
    const bool kiosk = IsKiosk(app);
    ui::Text(reg, (id + ".brightness").c_str(), Tr(lang, kiosk ? "pay.kiosk_hint" : "pay.brightness"), true);
    DrawBarcode(ctx, lang, id, b, false);
    DrawDigits(ctx, id, b);
    if (app.s.usage.pay_focus_back == index) {
      reg.RequestFocus(id + ".fullscreen");
      app.s.usage.pay_focus_back = -1;
    }
    if (!kiosk &&
        ui::Button(reg, (id + ".fullscreen").c_str(), Tr(lang, "pay.fullscreen"), ui::ButtonKind::kSecondary))
      app.s.usage.pay_fullscreen = index;
  } else if (!c.barcode_unavailable.empty()) {
    ui::Text(reg, (id + ".no_barcode").c_str(), Tr(lang, "pay.unavailable." + c.barcode_unavailable), true);
  }
  if (!c.payeasy_institution.empty()) {
    ui::Heading(reg, (id + ".payeasy").c_str(), Tr(lang, "pay.payeasy"));
    ui::Text(reg, (id + ".payeasy_how").c_str(), Tr(lang, "pay.payeasy_how"), true);
    ui::Field(reg, id + ".payeasy.institution", Tr(lang, "pay.payeasy_institution"), c.payeasy_institution);
    ui::Field(reg, id + ".payeasy.customer", Tr(lang, "pay.payeasy_customer"), c.payeasy_customer);
    ui::Field(reg, id + ".payeasy.confirmation", Tr(lang, "pay.payeasy_confirmation"),
              c.payeasy_confirmation);
  }
}

// 全画面で表示: the barcode alone across the screen for the register's scanner, its amount and deadline.
bool DrawFullscreen(AppState& app, AppContext& ctx) {
  auto& s = app.s.usage;
  if (s.pay_fullscreen < 0) return false;
  int shown = 0;
  for (const Bill& b : s.bills) {
    if (b.status == "paid") continue;
    if (shown++ != s.pay_fullscreen || b.codes.barcode.empty()) continue;
    auto& reg = ctx.registry;
    Lang lang = app.lang;
    // The bill and 閉じる (Esc too), the bars down the rest of the screen, then the amount, deadline and
    // digits.
    ui::Heading(reg, "pay.fullscreen.title",
                Format(Tr(lang, "pay.bill_title"), {{"period", PeriodName(lang, b.reading_date)}}));
    if (ui::Button(reg, "pay.fullscreen.close", Tr(lang, "pay.fullscreen_close"), ui::ButtonKind::kCancel)) {
      s.pay_focus_back = s.pay_fullscreen;  // focus returns to its 全画面で表示 (drawn next frame)
      s.pay_fullscreen = -1;
    }
    DrawBarcode(ctx, lang, "pay.fullscreen", b, true);
    ui::Field(reg, "pay.fullscreen.amount", Tr(lang, "pay.amount_due"), Yen(lang, b.codes.amount));
    ui::Field(reg, "pay.fullscreen.deadline", Tr(lang, "pay.codes_deadline"),
              FormatDay(lang, b.codes.deadline));
    DrawDigits(ctx, "pay.fullscreen", b);
    return true;
  }
  s.pay_fullscreen = -1;  // the bill is gone (paid, reloaded): back to the list
  return false;
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
  if (DrawFullscreen(app, ctx)) return;
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
    DrawCodes(app, ctx, id, b, shown - 1);
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
