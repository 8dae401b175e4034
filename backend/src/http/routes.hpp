#pragma once
// One Register function per feature; each adds its routes to the server.
#include "http_util.hpp"
#include "mizu/backend/app.hpp"

namespace mizu::backend::http {

// GET /healthz, /api/v1/calendar/{year}, /api/v1/tariff, /api/v1/settings.
void RegisterPublicRoutes(httplib::Server& server, App& app);
// POST /api/v1/test/clock — registered only when the config has test_mode.
void RegisterTestRoutes(httplib::Server& server, App& app);

}  // namespace mizu::backend::http
