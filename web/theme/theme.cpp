#include "theme/theme.hpp"

#include <cstring>
#include <set>

#include "imgui.h"
#include "imgui_impl_opengl3.h"

namespace mizu::web::theme {
namespace {

// The code point ranges of the UI subset font (ASCII, kana, catalog strings), generated at build time.
#include "ui_glyphs.inc"

Fonts g_fonts;
float g_ratio = 1;         // device pixel ratio × text scale: what Px() and the font sizes use
float g_device_ratio = 1;  // the screen's devicePixelRatio
float g_text_scale = 1;
const std::vector<uint8_t>* g_ui_ttf = nullptr;
std::vector<uint8_t> g_data_ttf;
std::set<ImWchar> g_data_glyphs;     // noted characters outside the UI subset (from the JIS data font)
std::set<ImWchar> g_ui_used;         // noted non-ASCII glyphs of the UI subset, rasterised once drawn
std::vector<ImWchar> g_ui_ranges;    // ASCII + g_ui_used; must outlive the atlas build
std::vector<ImWchar> g_data_ranges;  // built from g_data_glyphs; must outlive the atlas build
bool g_dirty = false;                // noted glyphs are missing from the atlas
bool g_ui_dirty = false;  // ... and some of them come from the UI font (no need to wait for the data font)

// Only ASCII is always in the atlas; every other glyph of the UI subset (kana, kanji, punctuation, full-width
// forms) is rasterised once drawn. All ~1,600 of them in three sizes at devicePixelRatio 3 needed a 2048×4096
// RGBA texture (32 MB); a screen uses a few hundred.
bool AddedOnUse(unsigned cp) {
  return cp >= 0x80;
}

bool InUiSubset(unsigned cp) {
  for (const ImWchar* r = kUiGlyphRanges; r[0]; r += 2)
    if (cp >= r[0] && cp <= r[1]) return true;
  return false;
}

// ASCII, plus the glyphs of the UI subset noted so far.
void BuildUiRanges() {
  g_ui_ranges.clear();
  g_ui_ranges.insert(g_ui_ranges.end(), {0x20, 0x7E});
  for (ImWchar cp : g_ui_used) g_ui_ranges.insert(g_ui_ranges.end(), {cp, cp});
  g_ui_ranges.push_back(0);
}

ImVec4 Col(uint32_t abgr) {
  return ImGui::ColorConvertU32ToFloat4(abgr);
}

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

const Fonts& GetFonts() {
  return g_fonts;
}
float Px(float css) {
  return css * g_ratio;
}

void SetDataFont(std::vector<uint8_t> ttf) {
  g_data_ttf = std::move(ttf);
  g_dirty = !g_data_glyphs.empty();
}

void NoteText(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    unsigned cp = 0;
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + len > s.size()) break;
    if (len == 1)
      cp = c;
    else if (len == 2)
      cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
    else if (len == 3)
      cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
    else
      cp = 0x10000;  // outside ImWchar16: never in the atlas
    i += len;
    if (cp < 0x80 || cp > 0xFFFF) continue;
    if (InUiSubset(cp)) {
      if (AddedOnUse(cp) && g_ui_used.insert(static_cast<ImWchar>(cp)).second) g_dirty = g_ui_dirty = true;
      continue;
    }
    if (g_data_glyphs.insert(static_cast<ImWchar>(cp)).second) g_dirty = true;
  }
}

bool RebuildIfNeeded() {
  if (!g_dirty || !g_ui_ttf || (!g_ui_dirty && g_data_ttf.empty())) return false;
  Build(*g_ui_ttf, g_device_ratio);
  return true;
}

void SetTextScale(float scale) {
  if (scale == g_text_scale) return;
  g_text_scale = scale;
  g_dirty = g_ui_dirty = true;
}

void Build(const std::vector<uint8_t>& ttf, float device_ratio) {
  g_device_ratio = device_ratio;
  const float pixel_ratio = device_ratio * g_text_scale;
  g_ratio = pixel_ratio;
  g_ui_ttf = &ttf;
  g_dirty = g_ui_dirty = false;
  BuildUiRanges();
  g_data_ranges.clear();
  for (ImWchar cp : g_data_glyphs) {
    g_data_ranges.push_back(cp);
    g_data_ranges.push_back(cp);
  }
  g_data_ranges.push_back(0);
  bool with_data = !g_data_ttf.empty() && g_data_ranges.size() > 1;
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  io.Fonts->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;  // no unused rows at the bottom of the texture
  ImFontConfig config;
  config.FontDataOwnedByAtlas = false;  // the runner keeps the bytes for rebuilds at a new pixel ratio
  config.OversampleH = 1;
  config.OversampleV = 1;
  config.PixelSnapH = true;
  void* data = const_cast<uint8_t*>(ttf.data());
  int size = static_cast<int>(ttf.size());
  ImFontConfig merge = config;
  merge.MergeMode = true;
  void* extra = g_data_ttf.data();
  int extra_size = static_cast<int>(g_data_ttf.size());
  auto add = [&](float css_size) {
    ImFont* f =
        io.Fonts->AddFontFromMemoryTTF(data, size, css_size * pixel_ratio, &config, g_ui_ranges.data());
    if (with_data)
      io.Fonts->AddFontFromMemoryTTF(extra, extra_size, css_size * pixel_ratio, &merge, g_data_ranges.data());
    return f;
  };
  g_fonts.body = add(17);
  g_fonts.heading = add(24);
  g_fonts.small = add(14);
  io.Fonts->Build();
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  ApplyStyle(pixel_ratio);
}

}  // namespace mizu::web::theme
