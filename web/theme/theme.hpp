#pragma once
// Look and feel: BIZ UDGothic at phone-friendly sizes, a calm water-blue palette, generous touch targets.
// Sizes are CSS pixels scaled by the device pixel ratio so text stays crisp on high-DPI screens.
#include <cstdint>
#include <string_view>
#include <vector>

struct ImFont;

namespace mizu::web::theme {

struct Fonts {
  ImFont* body = nullptr;
  ImFont* heading = nullptr;
  ImFont* small = nullptr;
};
const Fonts& GetFonts();

// Rebuilds the atlas from the UI font's TTF bytes (kept alive by the caller) for this pixel ratio — glyphs:
// the generated UI subset plus the data glyphs noted so far — and restyles.
void Build(const std::vector<uint8_t>& ui_ttf, float pixel_ratio);
// The JIS level 1+2 font for text that arrives in data (names, addresses); loaded after the first frame.
void SetDataFont(std::vector<uint8_t> ttf);
// Notes the characters of text about to be drawn; ones outside the atlas are added at the next rebuild, so
// the atlas holds only what is in use (small GPU memory even at devicePixelRatio 3). EVERY text drawn must be
// noted (widgets.cpp does it for all widgets; direct ImGui text calls must call this first): kanji are not in
// the atlas until noted.
void NoteText(std::string_view utf8);
// Rebuilds the atlas if glyphs were noted that it lacks: catalog kanji at once, data glyphs once the data
// font is there. Returns true when it rebuilt (the runner then draws the frame again before showing it).
bool RebuildIfNeeded();
// CSS pixels → device pixels (× the text scale: 「文字サイズ」 scales every size, as browser zoom would).
float Px(float css);
// The 「文字サイズ」 scale (1, 1.25, 1.5); a change rebuilds the atlas and style at the next RebuildIfNeeded.
void SetTextScale(float scale);

inline constexpr uint32_t kAccent = 0xFFB76800;  // ABGR of #0068B7 (water blue)
inline constexpr uint32_t kAccentHover = 0xFFD38A1F;
inline constexpr uint32_t kText = 0xFF222222;
inline constexpr uint32_t kMuted = 0xFF5F5F5F;
inline constexpr uint32_t kError = 0xFF1F1FC8;  // #C81F1F
inline constexpr uint32_t kSurface = 0xFFFFFFFF;
inline constexpr uint32_t kBorder = 0xFF767676;   // #767676: 4.5:1 on white (controls need 3:1, WCAG 1.4.11)
inline constexpr uint32_t kSuccess = 0xFF2E7D1B;  // #1B7D2E

}  // namespace mizu::web::theme
