#pragma once
// One Register function per feature; each adds its routes to the server.
#include "http_util.hpp"
#include "mizu/api.hpp"
#include "mizu/backend/app.hpp"
#include "mizu/backend/csv.hpp"

namespace mizu::backend::http {

// GET /healthz, /api/v1/calendar/{year}, /api/v1/tariff, /api/v1/settings.
void RegisterPublicRoutes(httplib::Server& server, App& app);
// Sign-up, login, sessions, password reset, account changes, contracts (guard.hpp wrappers).
void RegisterAccountRoutes(httplib::Server& server, App& app);
// POST /api/v1/admin/import/customers (Bearer, import scope).
void RegisterAdminRoutes(httplib::Server& server, App& app);
nlohmann::json ImportReportJson(const ImportReport& report);
// POST /api/v1/test/clock — registered only when the config has test_mode.
void RegisterTestRoutes(httplib::Server& server, App& app);

}  // namespace mizu::backend::http
