// (being written)
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
void DrawReset(AppState& app, AppContext& ctx) { ui::Heading(ctx.registry, "stub", Tr(app.lang, "app.loading")); }
}  // namespace mizu::web
