#pragma once
// GET /metrics (metrics.hpp, Prometheus text format 0.0.4) for clients in `allow` (the client address after
// the trusted-proxy rewrite); 404 for anyone else, as if there were no such route.
#include <httplib.h>

#include "client_address.hpp"
#include "mizu/backend/app.hpp"
#include "mizu/backend/request_log.hpp"

namespace mizu::backend::http {

void RegisterMetricsRoute(httplib::Server& server, App& app, const ProxySet& allow);

}  // namespace mizu::backend::http
