#pragma once
// One Register function per feature; each adds its routes to the server.
#include "http_util.hpp"
#include "mizu/api.hpp"
#include "mizu/backend/app.hpp"
#include "mizu/backend/csv.hpp"

namespace mizu::backend::http {

// GET /healthz, /api/v1/calendar/{year}, /api/v1/tariff, /api/v1/settings.
void RegisterPublicRoutes(httplib::Server& server, App& app);
// The account routes, one file per feature (guard.hpp wrappers; shared fields: account_fields.hpp).
// POST /api/v1/signup/{start|verify|complete}.
void RegisterSignupRoutes(httplib::Server& server, App& app);
// POST /api/v1/login, /logout, /password-reset/{start|complete}; GET /api/v1/session.
void RegisterLoginRoutes(httplib::Server& server, App& app);
// GET /api/v1/me; POST /api/v1/me/email/{start|complete}, /me/password, /me/withdraw.
void RegisterMeRoutes(httplib::Server& server, App& app);
// Web Push: the VAPID key and the account's devices (push.hpp, docs/notifications.md).
void RegisterPushRoutes(httplib::Server& server, App& app);
// GET/POST /api/v1/contracts, DELETE /api/v1/contracts/{cn}, PUT /api/v1/contracts/{cn}/primary.
void RegisterContractRoutes(httplib::Server& server, App& app);
// POST /api/v1/admin/import/{customers|bills|payments} (Bearer, import scope).
void RegisterAdminRoutes(httplib::Server& server, App& app);
nlohmann::json ImportReportJson(const ImportReport& report);
// POST /api/v1/ingest/readings (Bearer, ingest scope): hourly meter readings as JSON, NDJSON or CSV, bodies
// up to max_body_bytes (the server setup's limit for this route).
void RegisterIngestRoutes(httplib::Server& server, App& app, size_t max_body_bytes);
inline constexpr const char* kIngestPath = "/api/v1/ingest/readings";
// Set by the framing gate on requests relayed by a trusted proxy (client_address.hpp); never the client's.
inline constexpr const char* kProxiedMark = "Mizu-Proxied";
// Per contract bills, payments, usage and notices; the top screen's notices; notification settings.
void RegisterBillingRoutes(httplib::Server& server, App& app);
// POST /api/v1/applications/move-in and /move-out, /status (public).
void RegisterApplicationRoutes(httplib::Server& server, App& app);
// GET/PUT/DELETE /api/v1/contracts/{cn}/watch; GET/POST /api/v1/watch/stop (no login).
void RegisterWatchRoutes(httplib::Server& server, App& app);
// The watch's alerts: choices and 通知履歴 (alerts.hpp).
void RegisterAlertRoutes(httplib::Server& server, App& app);
// The bureau staff console's API (/api/v1/staff/…).
void RegisterStaffRoutes(httplib::Server& server, App& app);
// The staff's work queues: the applications queue and bureau notices (/api/v1/staff/applications…,
// /notices…).
void RegisterStaffWorkRoutes(httplib::Server& server, App& app);
// POST /api/v1/test/clock — registered only when the config has test_mode.
void RegisterTestClockRoutes(httplib::Server& server, App& app);

}  // namespace mizu::backend::http
