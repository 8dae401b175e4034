// (being written)
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
void DrawSimulation(AppState& app, AppContext& ctx) { ui::Heading(ctx.registry, "stub", Tr(app.lang, "app.loading")); }
void EnterSimulation(AppState&) {}
}  // namespace mizu::web
