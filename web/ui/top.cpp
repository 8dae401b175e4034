// トップ: who is logged in, the contracts (優先表示 first) and when their usage becomes visible; ログアウト.
#include <nlohmann/json.hpp>

#include "imgui.h"
#include "mizu/time.hpp"
#include "platform/http_client.hpp"
#include "platform/runner.hpp"
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {

void LoadAccount(AppState& app) {
  HttpRequest("GET", "/api/v1/me", "", std::string(LangTag(app.lang)), [&app](const HttpResponse& r) {
    if (r.status == 401) {
      app.screen = Screen::kLogin;
      return;
    }
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (r.status != 200 || !j.is_object()) {
      app.top.error = Tr(app.lang, r.status == 0 ? "app.network_error" : "error.internal");
      return;
    }
    app.top = {};
    app.top.email = j.value("email", "");
    for (const auto& c : j["contracts"]) {
      ContractSummary s;
      s.display_number = c.value("display_number", "");
      s.holder_name = c.value("holder_name", "");
      s.address = c.value("address", "");
      s.primary = c.value("primary", false);
      s.smart_meter = c.value("smart_meter", false);
      s.visible_from = ParseIso8601(c.value("visible_from", "")).value_or(0);
      app.top.contracts.push_back(std::move(s));
    }
    app.top.loaded = true;
  });
}

void DrawTop(AppState& app, AppContext& ctx) {
  auto& reg = ctx.registry;
  Lang lang = app.lang;
  ui::Heading(reg, "top.title", Tr(lang, "top.title"));
  if (!app.top.email.empty()) ui::Text(reg, "top.account", Format(Tr(lang, "top.account"), {{"email", app.top.email}}), true);
  if (!app.top.error.empty()) ui::Text(reg, "top.error", app.top.error);
  ImGui::Spacing();
  ui::Heading(reg, "top.contracts", Tr(lang, "top.contracts"));
  if (app.top.loaded && app.top.contracts.empty()) ui::Text(reg, "top.no_contracts", Tr(lang, "top.no_contracts"));
  int64_t now = NowUtcSeconds();
  int i = 0;
  for (const auto& c : app.top.contracts) {
    std::string id = "top.contract." + std::to_string(i++);
    ImGui::Separator();
    std::string title = std::string(Tr(lang, "top.customer_number")) + " " + c.display_number;
    if (c.primary) title += "（" + std::string(Tr(lang, "top.primary")) + "）";
    ui::Text(reg, (id + ".number").c_str(), title);
    ui::Text(reg, (id + ".address").c_str(), c.address, true);
    if (c.visible_from > now) {
      auto t = ToJst(c.visible_from);
      std::string when = std::to_string(t.date.month) + "/" + std::to_string(t.date.day) + " " +
                         std::to_string(t.hour) + ":00";
      ui::Text(reg, (id + ".visible_from").c_str(), Format(Tr(lang, "top.visible_from"), {{"when", when}}));
    }
  }
  ImGui::Spacing();
  ImGui::Separator();
  if (ui::Button(reg, "menu.logout", Tr(lang, "menu.logout"), ui::ButtonKind::kSecondary)) {
    HttpRequest("POST", "/api/v1/logout", "{}", std::string(LangTag(lang)), [&app](const HttpResponse&) {
      app.top = {};
      app.screen = Screen::kLogin;
    });
  }
}

}  // namespace mizu::web
