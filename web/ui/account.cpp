// (being written)
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
void DrawAccount(AppState& app, AppContext& ctx) { ui::Heading(ctx.registry, "stub", Tr(app.lang, "app.loading")); }
void DrawWithdraw(AppState& app, AppContext& ctx) { ui::Heading(ctx.registry, "stub", Tr(app.lang, "app.loading")); }
}  // namespace mizu::web
