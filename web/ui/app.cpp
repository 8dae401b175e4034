#include "ui/app.hpp"

#include "imgui.h"
#include "theme/theme.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

constexpr float kMaxContentWidthCss = 480;

void DrawHeader(AppState& state, AppContext& ctx) {
  ImGui::PushFont(theme::GetFonts().heading);
  ImGui::PushStyleColor(ImGuiCol_Text, theme::kAccent);
  ImGui::TextUnformatted(Tr(state.lang, "app.name").data());
  ImGui::PopStyleColor();
  ImGui::PopFont();
  UiItem name;
  name.id = "app.name";
  name.role = "heading";
  name.label = Tr(state.lang, "app.name");
  name.x = ImGui::GetItemRectMin().x;
  name.y = ImGui::GetItemRectMin().y;
  name.w = ImGui::GetItemRectSize().x;
  name.h = ImGui::GetItemRectSize().y;
  ctx.registry.Add(std::move(name));
  std::string_view other = Tr(state.lang, "lang.switch_to_other");
  float w = ImGui::CalcTextSize(other.data(), other.data() + other.size()).x + ImGui::GetStyle().FramePadding.x * 2;
  ImGui::SameLine(ImGui::GetContentRegionMax().x - w);
  if (ui::SmallButton(ctx.registry, "lang.switch", other)) {
    state.lang = state.lang == Lang::kJa ? Lang::kEn : Lang::kJa;
  }
  ImGui::PushFont(theme::GetFonts().small);
  ui::Text(ctx.registry, "app.subtitle", Tr(state.lang, "app.subtitle"), true);
  ImGui::PopFont();
  ImGui::Separator();
  ImGui::Spacing();
}

}  // namespace

void DrawApp(AppState& state, AppContext& ctx) {
  ctx.registry.BeginFrame();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->Pos);
  ImGui::SetNextWindowSize(vp->Size);
  ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                           ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings;
  ImGui::Begin("##root", nullptr, flags);
  // Centre a readable column on wide screens; use the full width on phones.
  float max_w = theme::Px(kMaxContentWidthCss);
  float avail = ImGui::GetContentRegionAvail().x;
  float column = avail > max_w ? max_w : avail;
  float indent = (avail - column) / 2;
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + indent);
  ImGui::BeginGroup();
  ImGui::PushItemWidth(column);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + column);
  ImGui::BeginChild("##column", ImVec2(column, 0), false, ImGuiWindowFlags_NoBackground);
  DrawHeader(state, ctx);
  switch (state.screen) {
    case Screen::kLogin: DrawLogin(state, ctx); break;
    case Screen::kTop: DrawTop(state, ctx); break;
  }
  ImGui::EndChild();
  ImGui::PopTextWrapPos();
  ImGui::PopItemWidth();
  ImGui::EndGroup();
  ImGui::End();
}

}  // namespace mizu::web
