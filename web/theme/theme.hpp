#pragma once
// Look and feel: BIZ UDGothic at phone-friendly sizes, a calm water-blue palette, generous touch targets.
// Sizes are CSS pixels scaled by the device pixel ratio so text stays crisp on high-DPI screens.
#include <cstdint>
#include <vector>

struct ImFont;

namespace mizu::web::theme {

struct Fonts {
  ImFont* body = nullptr;
  ImFont* heading = nullptr;
  ImFont* small = nullptr;
};
const Fonts& GetFonts();

// Rebuilds the atlas from the TTF bytes for this pixel ratio (glyphs: the generated UI subset) and restyles.
void Build(const std::vector<uint8_t>& ttf, float pixel_ratio);
// CSS pixels → device pixels.
float Px(float css);

inline constexpr uint32_t kAccent = 0xFFB76800;      // ABGR of #0068B7 (water blue)
inline constexpr uint32_t kAccentHover = 0xFFD38A1F;
inline constexpr uint32_t kText = 0xFF222222;
inline constexpr uint32_t kMuted = 0xFF5F5F5F;
inline constexpr uint32_t kError = 0xFF1F1FC8;       // #C81F1F
inline constexpr uint32_t kSurface = 0xFFFFFFFF;
inline constexpr uint32_t kBorder = 0xFFC8C8C8;

}  // namespace mizu::web::theme
