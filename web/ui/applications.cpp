// 使用開始・使用中止の申し込み (M16): no login needed (someone moving in has no contract yet). The form posts
// to /api/v1/applications/move-in or move-out; every problem comes back as a field error; the answer's
// reference number is shown (and mailed to the given address).
#include "mizu/applications.hpp"
#include "imgui.h"
#include "mizu/date_input.hpp"
#include "mizu/json_fields.hpp"
#include "mizu/text.hpp"
#include "platform/http_client.hpp"
#include "platform/runner.hpp"
#include "platform/text_input.hpp"
#include "ui/api.hpp"
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

constexpr const char* kMethods[] = {"direct_debit", "payment_slip", "credit_card"};

void Submit(AppState& app) {
  ApplicationState& s = app.s.application;
  s.errors.Clear();
  s.name_kana = NormalizeKanaName(s.name_kana);
  s.email = NormalizeEmail(s.email);
  // A date typed in any common form is sent as the API's YYYY-MM-DD; what does not parse goes as typed
  // and comes back as the server's field error (the same ParseDateInput).
  const auto date = ParseDateInput(s.desired_date, ToJst(NowUtcSeconds()).date);
  s.postal_code = NormalizeWidth(s.postal_code);
  if (auto p = NormalizePhone(s.phone)) s.phone = *p;
  nlohmann::json body = {{"address", NormalizeText(s.address)},
                         {"name", NormalizeText(s.name)},
                         {"name_kana", s.name_kana},
                         {"phone", s.phone},
                         {"email", s.email},
                         {"desired_date", date ? FormatDate(*date) : NormalizeText(s.desired_date)},
                         {"payment_method", kMethods[s.payment_method]}};
  if (!s.postal_code.empty()) body["postal_code"] = s.postal_code;
  if (s.kind == 1) {
    if (!s.customer_number.empty()) body["customer_number"] = NormalizeWidth(s.customer_number);
    if (!s.forwarding_address.empty()) body["forwarding_address"] = NormalizeText(s.forwarding_address);
  }
  std::string url = s.kind == 0 ? "/api/v1/applications/move-in" : "/api/v1/applications/move-out";
  Api(app, "POST", url, body,
      [&app](const ApiReply& r) {
        ApplicationState& s = app.s.application;
        if (!r.ok()) return s.errors.Set(r.error);
        s.reference = FieldOr(r.json, "reference", "");
      },
      {.session = false});
}

}  // namespace

void DrawApplications(AppState& app, AppContext& ctx) {
  auto& reg = ctx.registry;
  Lang lang = app.lang;
  ApplicationState& s = app.s.application;
  bool busy = PendingRequests() > 0;
  ui::Heading(reg, "applications.title", Tr(lang, "procedures.applications"));
  if (!s.reference.empty()) {
    ui::SuccessText(reg, "applications.done", Tr(lang, "applications.done"));
    ui::Field(reg, "applications.reference", Tr(lang, "applications.reference"), s.reference);
    if (ui::Button(reg, "applications.new", Tr(lang, "applications.new"), ui::ButtonKind::kSecondary)) s = {};
    return;
  }
  if (ui::Radio(reg, "applications.kind.move_in", Tr(lang, "applications.move_in"), s.kind == 0)) s.kind = 0;
  ImGui::SameLine();
  if (ui::Radio(reg, "applications.kind.move_out", Tr(lang, "applications.move_out"), s.kind == 1))
    s.kind = 1;
  ui::Text(reg, "applications.hint", Tr(lang, s.kind == 0 ? "applications.hint_in" : "applications.hint_out"),
           true);
  auto field = [&](const char* id, const char* key, std::string& value, const char* name, int keyboard = 0,
                   std::string_view autocomplete = {}) {
    ui::InputText(reg, id, Tr(lang, key), value,
                  {.keyboard = keyboard,
                   .max_bytes = 600,
                   .error = s.errors.Field(lang, name),
                   .autocomplete = autocomplete});
  };
  // The applicant's own details: the browser may fill them (WCAG 1.3.5).
  field("applications.postal_code", "applications.postal_code", s.postal_code, "postal_code",
        kKeyboardNumeric, "postal-code");
  field("applications.address", "applications.address", s.address, "address", 0, "street-address");
  field("applications.name", "applications.name", s.name, "name", 0, "name");
  field("applications.name_kana", "applications.name_kana", s.name_kana, "name_kana", kKeyboardKana);
  field("applications.phone", "applications.phone", s.phone, "phone", kKeyboardTel, "tel");
  field("applications.email", "applications.email", s.email, "email", kKeyboardEmail, "email");
  const CivilDate today = ToJst(NowUtcSeconds()).date;
  const DateWindow window = DesiredDateWindow(today);
  ui::DateField(reg, "applications.desired_date", Tr(lang, "applications.desired_date"), s.desired_date,
                {.lang = lang,
                 .today = today,
                 .first = window.first,
                 .last = window.last,
                 .allowed = IsBusinessDay,
                 .error = s.errors.Field(lang, "desired_date")});
  ui::Text(reg, "applications.date_hint", Tr(lang, "applications.date_hint"), true);
  if (s.kind == 1) {
    field("applications.customer_number", "signup.customer_number", s.customer_number, "customer_number",
          kKeyboardNumeric);
    field("applications.forwarding_address", "applications.forwarding_address", s.forwarding_address,
          "forwarding_address");
  }
  std::vector<std::string> methods;
  for (const char* m : kMethods) methods.push_back(std::string(Tr(lang, std::string("billing.method.") + m)));
  ui::Select(reg, "applications.payment_method", Tr(lang, "applications.payment_method"), methods,
             s.payment_method, s.errors.Field(lang, "payment_method"));
  ui::ErrorText(reg, "applications.error", s.errors.Notice(lang));
  ImGui::Spacing();
  if (ui::Button(reg, "applications.submit", Tr(lang, "applications.submit"), ui::ButtonKind::kPrimary,
                 !busy))
    Submit(app);
}

}  // namespace mizu::web
