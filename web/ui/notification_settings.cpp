// (being written)
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
void DrawNotificationSettings(AppState& app, AppContext& ctx) { ui::Heading(ctx.registry, "stub", Tr(app.lang, "app.loading")); }
void EnterNotificationSettings(AppState&) {}
}  // namespace mizu::web
