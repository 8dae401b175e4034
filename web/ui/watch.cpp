// (being written)
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
void DrawWatch(AppState& app, AppContext& ctx) { ui::Heading(ctx.registry, "stub", Tr(app.lang, "app.loading")); }
void EnterWatch(AppState&) {}
}  // namespace mizu::web
