#include "theme/theme.hpp"

#include <cstring>

#include "imgui.h"
#include "imgui_impl_opengl3.h"

namespace mizu::web::theme {
namespace {

// The code point ranges of the UI subset font (ASCII, kana, catalog strings), generated at build time.
#include "ui_glyphs.inc"

Fonts g_fonts;
float g_ratio = 1;

ImVec4 Col(uint32_t abgr) { return ImGui::ColorConvertU32ToFloat4(abgr); }

void ApplyStyle(float ratio) {
  ImGuiStyle style;
  ImGui::StyleColorsLight(&style);
  style.WindowPadding = ImVec2(16, 16);
  style.FramePadding = ImVec2(12, 10);
  style.ItemSpacing = ImVec2(10, 10);
  style.FrameRounding = 6;
  style.GrabRounding = 6;
  style.WindowRounding = 0;
  style.FrameBorderSize = 1;
  style.ScrollbarSize = 10;
  style.Colors[ImGuiCol_Text] = Col(kText);
  style.Colors[ImGuiCol_TextDisabled] = Col(kMuted);
  style.Colors[ImGuiCol_WindowBg] = ImVec4(0.96f, 0.97f, 0.98f, 1);
  style.Colors[ImGuiCol_ChildBg] = Col(kSurface);
  style.Colors[ImGuiCol_FrameBg] = Col(kSurface);
  style.Colors[ImGuiCol_Border] = Col(kBorder);
  style.Colors[ImGuiCol_Button] = Col(kAccent);
  style.Colors[ImGuiCol_ButtonHovered] = Col(kAccentHover);
  style.Colors[ImGuiCol_ButtonActive] = Col(kAccentHover);
  style.Colors[ImGuiCol_CheckMark] = Col(kAccent);
  style.ScaleAllSizes(ratio);
  ImGui::GetStyle() = style;
}

}  // namespace

const Fonts& GetFonts() { return g_fonts; }
float Px(float css) { return css * g_ratio; }

void Build(const std::vector<uint8_t>& ttf, float pixel_ratio) {
  g_ratio = pixel_ratio;
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFontConfig config;
  config.FontDataOwnedByAtlas = false;  // the runner keeps the bytes for rebuilds at a new pixel ratio
  config.OversampleH = 1;
  config.OversampleV = 1;
  config.PixelSnapH = true;
  void* data = const_cast<uint8_t*>(ttf.data());
  int size = static_cast<int>(ttf.size());
  g_fonts.body = io.Fonts->AddFontFromMemoryTTF(data, size, 17 * pixel_ratio, &config, kUiGlyphRanges);
  g_fonts.heading = io.Fonts->AddFontFromMemoryTTF(data, size, 24 * pixel_ratio, &config, kUiGlyphRanges);
  g_fonts.small = io.Fonts->AddFontFromMemoryTTF(data, size, 14 * pixel_ratio, &config, kUiGlyphRanges);
  io.Fonts->Build();
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  ApplyStyle(pixel_ratio);
}

}  // namespace mizu::web::theme
