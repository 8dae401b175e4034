// Wires the routes, the static web build, limits, security headers and JSON errors onto cpp-httplib.
#include "mizu/backend/http_server.hpp"

#include <sys/socket.h>

#include <cstdio>
#include <stdexcept>
#include <thread>

#include "client_address.hpp"
#include "framing.hpp"
#include "observe.hpp"
#include "routes.hpp"
#include "static_files.hpp"

namespace mizu::backend {

namespace {

// The request limits, all set here (framing.hpp checks them before a body byte is read).
constexpr size_t kMaxPayloadBytes = 1 << 20;                 // 1 MiB for ordinary JSON requests
constexpr size_t kIngestMaxPayloadBytes = size_t{32} << 20;  // 32 MiB for the ingest route
constexpr size_t kMaxFormBytes = 8192;  // a url-encoded form (the stop page): cpp-httplib's own cap
constexpr int kBusyRetryAfterSeconds = 2;

void AddSecurityHeaders(httplib::Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "same-origin");
  res.set_header(
      "Content-Security-Policy",
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
      "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'");
}

ErrorCode CodeForStatus(int status) {
  switch (status) {
    case 401:
      return err::kUnauthorized;
    case 403:
      return err::kForbidden;
    case 404:
      return err::kNotFound;
    case 405:
      return err::kMethodNotAllowed;
    case 411:
      return err::kLengthRequired;
    case 413:
      return err::kPayloadTooLarge;
    case 415:
      return err::kUnsupportedMediaType;
    case 429:
      return err::kRateLimited;
    case 431:
      return err::kHeadersTooLarge;
    case 503:
      return err::kBusy;
    default:
      return status >= 500 ? err::kInternal : err::kInvalidFormat;
  }
}

}  // namespace

struct HttpServer::Impl {
  explicit Impl(App& a)
      : app(a), proxies(a.config.http.trusted_proxies), metrics_allow(a.config.metrics.allow) {
    limits.max_body_bytes = kMaxPayloadBytes;
    limits.ingest_body_bytes = kIngestMaxPayloadBytes;
    limits.max_form_bytes = kMaxFormBytes;
    limits.max_header_count = static_cast<size_t>(a.config.http.max_header_count);
    limits.max_header_bytes = static_cast<size_t>(a.config.http.max_header_bytes);
  }
  App& app;
  http::ProxySet proxies;
  http::ProxySet metrics_allow;
  http::RequestLog log;
  http::FramingLimits limits;
  httplib::Server server;
  int listen_fd = -1;  // the listening socket, seen in the socket-options callback (for the backlog)
};

HttpServer::HttpServer(App& app) : impl_(std::make_unique<Impl>(app)) {
  auto& s = impl_->server;
  Impl* impl = impl_.get();
  const HttpConfig& hc = app.config.http;
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int hash_workers = hc.hash_workers > 0 ? hc.hash_workers : cores;
  ConfigurePasswordHashGate(hash_workers, hc.hash_queue > 0 ? hc.hash_queue : 4 * hash_workers);
  size_t threads = static_cast<size_t>(hc.threads);
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.set_socket_options([impl](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    impl->listen_fd = sock;
  });
  s.set_payload_max_length(kIngestMaxPayloadBytes);  // the largest route limit; the gate checks the rest
  // The framing gate (framing.hpp) runs before any body byte is read. It may normalise the request, and the
  // client address behind trusted proxies replaces the TCP peer in req.remote_addr, so every route, limiter
  // and log line keys on the client (client_address.hpp). cpp-httplib passes the request as const here though
  // it owns a mutable one; the casts below are the one place that edits it.
  auto gate = [impl](const httplib::Request& creq, httplib::Response& res) {
    auto& req = const_cast<httplib::Request&>(creq);
    http::MarkRequestStart();
    LowPriorityLane::TookLongRead();  // a mark left by an earlier request on this thread is not this one's
    // A request relayed by a trusted proxy (which buffered its body whole) is marked for the routes; a client
    // cannot set the mark itself.
    req.headers.erase(http::kProxiedMark);
    if (req.has_header("X-Forwarded-For") && impl->proxies.Contains(req.remote_addr))
      req.set_header(http::kProxiedMark, "1");
    req.remote_addr = http::ClientAddress(req, impl->proxies);
    auto verdict = http::CheckFraming(req, impl->limits);
    if (verdict.status != 0) {
      res.set_header("Connection", "close");  // an unread body must not be taken for the next request
      http::SendError(req, res, verdict.status, verdict.code);
    }
    return verdict.status;
  };
  s.set_pre_routing_handler([gate](const httplib::Request& req, httplib::Response& res) {
    return gate(req, res) == 0 ? httplib::Server::HandlerResponse::Unhandled
                               : httplib::Server::HandlerResponse::Handled;
  });
  s.set_expect_100_continue_handler([gate](const httplib::Request& req, httplib::Response& res) {
    int status = gate(req, res);  // refused before the client sends the body
    return status == 0 ? 100 : status;
  });
  s.set_tcp_nodelay(true);  // no Nagle delay between a response's head and body (was ~40 ms a request)
  s.set_read_timeout(15, 0);
  s.set_write_timeout(15, 0);
  s.set_keep_alive_timeout(5);

  // cpp-httplib 0.11 tries a method's routes in the order they were registered, a std::regex match each
  // (two allocations a pattern, tried or not): the resident's reads (bills, usage, notices) are most of the
  // traffic and go first. No two patterns match the same path (each is matched whole), so the order decides
  // only the cost; the web dist's catch-all stays last. Nine patterns before bills cost ~2 µs of its ~50
  // (docs/performance.md, ninth session).
  http::RegisterBillingRoutes(s, app);
  http::RegisterPublicRoutes(s, app);
  http::RegisterSignupRoutes(s, app);
  http::RegisterLoginRoutes(s, app);
  http::RegisterMeRoutes(s, app);
  http::RegisterPushRoutes(s, app);
  http::RegisterContractRoutes(s, app);
  http::RegisterAdminRoutes(s, app);
  http::RegisterApplicationRoutes(s, app);
  http::RegisterStaffRoutes(s, app);
  http::RegisterStaffWorkRoutes(s, app);
  http::RegisterIngestRoutes(s, app, impl->limits.ingest_body_bytes);
  http::RegisterWatchRoutes(s, app);
  http::RegisterAlertRoutes(s, app);
  http::RegisterMetricsRoute(s, app, impl->metrics_allow);
  if (app.config.test_mode) http::RegisterTestClockRoutes(s, app);

  if (!app.config.web_dir.empty()) {
    // The web dist, after every route (first match wins); /api/ paths no route took stay a JSON 404.
    auto files = std::make_shared<http::StaticFiles>(app.config.web_dir);
    s.Get(".*", [files](const httplib::Request& req, httplib::Response& res) {
      if (req.path.rfind("/api/", 0) == 0 || !files->Serve(req, res)) res.status = 404;
    });
  }

  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    http::SendError(req, res, res.status, CodeForStatus(res.status));
  });
  s.set_exception_handler([impl](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const HashGateFull&) {
      res.set_header("Retry-After", std::to_string(kBusyRetryAfterSeconds));
      return http::SendError(req, res, 503, err::kBusy);
    } catch (const std::exception& e) {
      impl->log.Write(http::ErrorLogLine(req.method, req.path, e.what()));
    } catch (...) {
      impl->log.Write(http::ErrorLogLine(req.method, req.path, "unknown exception"));
    }
    http::SendError(req, res, 500, err::kInternal);
  });
  s.set_post_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    AddSecurityHeaders(res);
    // docs/api.md: every API response is no-store, bodiless ones (204 logout with its Set-Cookie) included.
    if (req.path.rfind("/api/", 0) == 0 && !res.has_header("Cache-Control"))
      res.set_header("Cache-Control", "no-store");
  });
  // After the response is written: one JSON line (observe.hpp) and the request's metrics.
  s.set_logger([impl](const httplib::Request& req, const httplib::Response& res) {
    const double seconds = http::SecondsSinceRequestStart();
    const size_t bytes = res.body.empty() ? res.content_length_ : res.body.size();  // a file: its provider's
    const std::string route = http::RouteLabel(req.path, res.status);
    impl->log.Write(
        http::RequestLogLine({req.method, req.path, res.status, seconds, bytes, req.remote_addr, route}));
    impl->app.metrics.ObserveRequest(route, req.method, res.status, seconds, bytes);
    if (!LowPriorityLane::TookLongRead()) impl->app.long_reads.NoteShortWork();  // the lane's quiet window
  });
}

HttpServer::~HttpServer() {
  Stop();
}

int HttpServer::Bind(const std::string& host, int port) {
  auto& s = impl_->server;
  int bound = port == 0 ? s.bind_to_any_port(host) : (s.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port));
  // cpp-httplib listens with a backlog of 5; listen(2) again on the bound socket sets ours (Linux keeps the
  // socket and changes only the backlog).
  if (impl_->listen_fd >= 0) ::listen(impl_->listen_fd, impl_->app.config.http.backlog);
  return bound;
}

void HttpServer::Run() {
  impl_->server.listen_after_bind();
}

bool HttpServer::Running() const {
  return impl_->server.is_running();
}

void HttpServer::Stop() {
  if (impl_->server.is_running()) impl_->server.stop();
}

}  // namespace mizu::backend
