// 契約内容のご確認 (M15): the account's contracts (優先表示 first), 優先表示にする,
// 「ポータルでの利用を中止する」 (with a confirmation; refused for the primary), and 契約の追加 (お客様番号,
// the bureau phone, お客様氏名カナ, relationship and consent when not 本人).
#include "imgui.h"
#include "mizu/text.hpp"
#include "platform/http_client.hpp"
#include "platform/runner.hpp"
#include "platform/text_input.hpp"
#include "ui/api.hpp"
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

constexpr const char* kRelationships[] = {"self", "family", "other"};

std::string RelationshipLabel(Lang lang, const std::string& code) {
  return std::string(Tr(lang, "contracts.relationship." + (code.empty() ? std::string("self") : code)));
}

void AfterChange(AppState& app, const char* done_key) {
  app.s.contracts.confirm_remove.clear();
  LoadAccount(app, [&app, done_key](bool) { app.s.contracts.done_key = done_key; });
}

void SetPrimary(AppState& app, const std::string& cn) {
  app.s.contracts.errors.Clear();
  Api(app, "PUT", "/api/v1/contracts/" + cn + "/primary", nullptr, [&app](const ApiReply& r) {
    if (!r.ok()) return app.s.contracts.errors.Set(r.error);
    AfterChange(app, "contracts.primary_done");
  });
}

void Remove(AppState& app, const std::string& cn) {
  app.s.contracts.errors.Clear();
  Api(app, "DELETE", "/api/v1/contracts/" + cn, nullptr, [&app](const ApiReply& r) {
    if (!r.ok()) return app.s.contracts.errors.Set(r.error);
    AfterChange(app, "contracts.removed");
  });
}

void Add(AppState& app) {
  ContractAddState& s = app.s.contract_add;
  s.errors.Clear();
  // Every field at once, by the checks the server runs (the utility's number length is the server's to
  // check).
  s.errors.Check("customer_number", s.customer_number, CheckCustomerNumberField(s.customer_number, nullptr));
  s.errors.Check("bureau_phone", s.bureau_phone, CheckPhoneField(s.bureau_phone));
  s.name_kana = NormalizeKanaName(s.name_kana);  // hiragana typed → katakana shown before sending
  if (auto e = ValidateKanaName(s.name_kana)) s.errors.SetField("name_kana", *e);
  if (s.relationship != 0 && !s.consent) s.errors.SetField("consent", err::kConsentRequired);
  if (s.errors.Any()) return;
  nlohmann::json body = {{"customer_number", s.customer_number},
                         {"bureau_phone", s.bureau_phone},
                         {"name_kana", s.name_kana},
                         {"relationship", kRelationships[s.relationship]},
                         {"consent", s.relationship == 0 || s.consent}};
  Api(app, "POST", "/api/v1/contracts", body, [&app](const ApiReply& r) {
    ContractAddState& s = app.s.contract_add;
    if (!r.ok()) return s.errors.Set(r.error);
    app.s.contract_add = {};
    Navigate(app, Screen::kContracts, true);
    AfterChange(app, "contracts.added");
  });
}

}  // namespace

void DrawContracts(AppState& app, AppContext& ctx) {
  auto& reg = ctx.registry;
  Lang lang = app.lang;
  ContractsState& s = app.s.contracts;
  bool busy = PendingRequests() > 0;
  ui::Heading(reg, "contracts.title", Tr(lang, "menu.contracts"));
  if (!s.done_key.empty()) ui::SuccessText(reg, "contracts.done", Tr(lang, s.done_key));
  ui::ErrorText(reg, "contracts.error", s.errors.Notice(lang));
  int i = 0;
  int64_t now = NowUtcSeconds();
  for (const auto& c : app.account.contracts) {
    std::string id = "contracts." + std::to_string(i++);
    ImGui::Separator();
    std::string title = std::string(Tr(lang, "top.customer_number")) + " " + c.display_number;
    if (c.primary) title += "（" + std::string(Tr(lang, "top.primary")) + "）";
    ui::Text(reg, (id + ".number").c_str(), title);
    ui::Field(reg, id + ".holder", Tr(lang, "contracts.holder"), c.holder_name);
    ui::Field(reg, id + ".address", Tr(lang, "contracts.address"), c.address);
    ui::Field(reg, id + ".relationship", Tr(lang, "contracts.relationship"),
              RelationshipLabel(lang, c.relationship));
    ui::Field(reg, id + ".meter", Tr(lang, "contracts.meter"),
              Tr(lang, c.smart_meter ? "contracts.meter_smart" : "contracts.meter_regular"));
    if (c.visible_from > now)
      ui::Text(
          reg, (id + ".visible_from").c_str(),
          Format(Tr(lang, "top.visible_from"), {{"when", FormatDateTimeWithWeekday(lang, c.visible_from)}}),
          true);
    if (c.primary) {
      ui::Text(reg, (id + ".primary_note").c_str(), Tr(lang, "contracts.primary_note"), true);
      continue;
    }
    if (s.confirm_remove == c.customer_number) {
      ui::ErrorText(reg, (id + ".confirm").c_str(), Tr(lang, "contracts.remove_confirm"));
      if (ui::Button(reg, (id + ".remove_yes").c_str(), Tr(lang, "app.yes"), ui::ButtonKind::kDanger, !busy))
        Remove(app, c.customer_number);
      if (ui::Button(reg, (id + ".remove_no").c_str(), Tr(lang, "app.no"), ui::ButtonKind::kCancel))
        s.confirm_remove.clear();
      continue;
    }
    if (ui::Button(reg, (id + ".make_primary").c_str(), Tr(lang, "contracts.make_primary"),
                   ui::ButtonKind::kSecondary, !busy))
      SetPrimary(app, c.customer_number);
    if (ui::Button(reg, (id + ".remove").c_str(), Tr(lang, "contracts.remove"), ui::ButtonKind::kSecondary,
                   !busy)) {
      s.confirm_remove = c.customer_number;
      s.done_key.clear();
    }
  }
  ImGui::Separator();
  ImGui::Spacing();
  bool full = app.account.contracts.size() >= 20;
  if (full) ui::Text(reg, "contracts.limit", Tr(lang, "contracts.limit"), true);
  if (ui::Button(reg, "contracts.add", Tr(lang, "contracts.add"), ui::ButtonKind::kPrimary, !full)) {
    s.done_key.clear();
    Navigate(app, Screen::kContractAdd);
  }
}

void DrawContractAdd(AppState& app, AppContext& ctx) {
  auto& reg = ctx.registry;
  Lang lang = app.lang;
  ContractAddState& s = app.s.contract_add;
  bool busy = PendingRequests() > 0;
  ui::Heading(reg, "contract_add.title", Tr(lang, "contracts.add"));
  ui::Text(reg, "contract_add.hint", Tr(lang, "contract_add.hint"), true);
  ui::InputText(
      reg, "contract_add.customer_number", Tr(lang, "signup.customer_number"), s.customer_number,
      {.keyboard = kKeyboardNumeric, .max_bytes = 40, .error = s.errors.Field(lang, "customer_number")});
  ui::InputText(reg, "contract_add.bureau_phone", Tr(lang, "signup.bureau_phone"), s.bureau_phone,
                {.keyboard = kKeyboardTel, .max_bytes = 40, .error = s.errors.Field(lang, "bureau_phone")});
  ui::InputText(reg, "contract_add.name_kana", Tr(lang, "contract_add.name_kana"), s.name_kana,
                {.keyboard = kKeyboardKana, .max_bytes = 240, .error = s.errors.Field(lang, "name_kana")});
  ui::Text(reg, "contract_add.relationship", Tr(lang, "contracts.relationship"));
  for (int i = 0; i < 3; ++i) {
    if (i > 0) ImGui::SameLine();
    if (ui::Radio(reg, std::string("contract_add.relationship.") + kRelationships[i],
                  RelationshipLabel(lang, kRelationships[i]), s.relationship == i))
      s.relationship = i;
  }
  ui::ErrorText(reg, "contract_add.relationship_error", s.errors.Field(lang, "relationship"));
  if (s.relationship != 0) {
    ui::Text(reg, "contract_add.consent_note", Tr(lang, "error.consent_required"), true);
    ui::Checkbox(reg, "contract_add.consent", Tr(lang, "contract_add.consent"), s.consent);
    ui::ErrorText(reg, "contract_add.consent_error", s.errors.Field(lang, "consent"));
  }
  ui::ErrorText(reg, "contract_add.error", s.errors.Notice(lang));
  ImGui::Spacing();
  if (ui::Button(reg, "contract_add.submit", Tr(lang, "contract_add.submit"), ui::ButtonKind::kPrimary,
                 !busy))
    Add(app);
  if (ui::Button(reg, "contract_add.back", Tr(lang, "app.back"), ui::ButtonKind::kSecondary))
    Navigate(app, Screen::kContracts);
}

}  // namespace mizu::web
