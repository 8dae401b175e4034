// お知らせ: the selected contract's notices, newest first, unread ones marked ●. Tapping one opens its body
// and marks it read (POST …/read); the top screen may preset the one to open (app.s.notices.open_id).
#include "imgui.h"
#include "mizu/json_fields.hpp"
#include "ui/api.hpp"
#include "ui/app.hpp"
#include "ui/data.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

void MarkRead(AppState& app, Notice& n) {
  if (n.read) return;
  n.read = true;  // at once; the server's answer only matters when it fails
  auto& s = app.s.notices;
  if (s.unread > 0) --s.unread;
  std::string url = "/api/v1/contracts/" + s.contract + "/notices/" + std::to_string(n.id) + "/read";
  Api(app, "POST", url, nullptr, [&app](const ApiReply& r) {
    if (!r.ok()) app.s.notices.errors.Set(r.error);
  });
}

}  // namespace

void EnterNotices(AppState& app) {
  auto& s = app.s.notices;
  const Contract* c = app.account.Selected();
  if (!c) return;
  if (s.contract != c->customer_number) {
    int64_t open = s.open_id;
    s = {};
    s.open_id = open;
  }
  s.contract = c->customer_number;
  s.errors.Clear();
  std::string cn = s.contract;
  Api(app, "GET", "/api/v1/contracts/" + cn + "/notices", nullptr, [&app, cn](const ApiReply& r) {
    auto& s = app.s.notices;
    if (s.contract != cn) return;
    s.loaded = true;
    if (!r.ok()) return s.errors.Set(r.error);
    s.notices = ParseNotices(r.json);
    s.unread = FieldOr(r.json, "unread", int64_t{0});
    for (auto& n : s.notices)
      if (n.id == s.open_id) MarkRead(app, n);  // opened from トップ
  });
}

void DrawNotices(AppState& app, AppContext& ctx) {
  auto& s = app.s.notices;
  auto& reg = ctx.registry;
  Lang lang = app.lang;
  ui::Heading(reg, "notices.title", Tr(lang, "menu.notices"));
  if (ContractPicker(app, ctx)) {
    s.open_id = -1;
    return Reload(app);
  }
  ui::ErrorText(reg, "notices.error", s.errors.Notice(lang));
  if (!s.loaded) return;
  ui::Text(reg, "notices.unread", Format(Tr(lang, "notices.unread"), {{"count", std::to_string(s.unread)}}),
           s.unread == 0);
  if (s.notices.empty()) ui::Text(reg, "notices.empty", Tr(lang, "notices.none"), true);
  for (size_t i = 0; i < s.notices.size(); ++i) {
    Notice& n = s.notices[i];
    std::string id = "notices.item." + std::to_string(i);
    bool open = n.id == s.open_id;
    std::string label = (n.read ? "" : "● ") + n.title;
    std::string detail = FormatDay(lang, n.published_at.substr(0, 10)) + (open ? "  ▲" : "  ▼");
    if (ui::MenuRow(reg, id, label, detail)) {
      s.open_id = open ? -1 : n.id;
      if (!open) MarkRead(app, n);
      open = !open;
    }
    if (open) {
      ui::Text(reg, (id + ".body").c_str(), n.body);
      ImGui::Spacing();
    }
  }
}

}  // namespace mizu::web
