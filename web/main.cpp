// mizumori_web: wires the platform runner to the app's state and draw function.
#include <cstdlib>

#include "imgui.h"
#include "platform/location.hpp"
#include "platform/runner.hpp"
#include "theme/theme.hpp"
#include "ui/app.hpp"

int main() {
  static mizu::web::AppState state;
  static mizu::web::AppContext ctx;
  mizu::web::RunApp({
      .on_font = [](const std::vector<uint8_t>& font, float ratio) { mizu::web::theme::Build(font, ratio); },
      .on_data_font = [](std::vector<uint8_t> font) { mizu::web::theme::SetDataFont(std::move(font)); },
      .before_frame = [] { return mizu::web::theme::RebuildIfNeeded(); },
      .draw =
          [] {
            mizu::Lang before = state.lang;
            static const float browser_scale = mizu::web::BrowserTextScale();  // the OS/browser setting
            const float kiosk = mizu::web::IsKiosk(state) ? mizu::web::kKioskScale : 1.0f;
            mizu::web::theme::SetTextScale(mizu::web::kTextSizes[state.text_size].scale * browser_scale *
                                           kiosk);
            mizu::web::DrawApp(state, ctx);
            if (state.lang != before) {
              mizu::web::SavePreference("lang", std::string(mizu::LangTag(state.lang)));
              mizu::web::RequestRedraw(2);
            }
          },
      .items_json =
          [] {
            std::string json = ctx.registry.Json(mizu::web::PixelRatio());
            ctx.registry.EndFrame();
            return json;
          },
      .on_semantic_action =
          [](int kind, const char* id, const char* value) {
            auto& reg = ctx.registry;
            if (kind == 0) reg.Activate(id);
            if (kind == 1) reg.SetFocused(id);
            if (kind == 2) reg.SetValue(id, value);
            if (kind == 3) reg.ScrollBy(std::strtof(value, nullptr));
          },
  });
  mizu::web::StartApp(state);  // reads the route and checks the session; replies arrive between frames
  return 0;
}
