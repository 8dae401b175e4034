// POST /api/v1/ingest/readings: hourly smart-meter readings from the head-end (Bearer token, "ingest" scope).
// Bodies up to the server setup's limit for this route (32 MiB; every other route: 1 MiB); parsing runs
// outside any lock, storing on a connection of its own so a large batch never holds the portal's database
// lock. A 2xx means the batch is committed durably.
#include <memory>

#include "mizu/backend/accounts.hpp"
#include "mizu/backend/api_tokens.hpp"
#include "mizu/backend/ingest.hpp"
#include "routes.hpp"

namespace mizu::backend::http {
namespace {

nlohmann::json ReportJson(const IngestReport& r) {
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& e : r.errors) {
    nlohmann::json item = {{"index", e.index},
                           {"meter_id", e.meter_id.empty() ? nlohmann::json() : nlohmann::json(e.meter_id)},
                           {"at", e.at.empty() ? nlohmann::json() : nlohmann::json(e.at)},
                           {"code", e.code},
                           {"detail", e.detail}};
    if (e.line > 0) item["line"] = e.line;
    errors.push_back(std::move(item));
  }
  nlohmann::json body = {{"accepted", r.accepted},
                         {"duplicate", r.duplicate},
                         {"rejected", r.rejected},
                         {"errors", std::move(errors)}};
  if (r.errors_omitted > 0) body["errors_omitted"] = r.errors_omitted;
  return body;
}

}  // namespace

void RegisterIngestRoutes(httplib::Server& server, App& app, size_t max_body_bytes) {
  auto service = std::make_shared<IngestService>(app.db_path);
  // The content-reader form runs before the body is read: no token, no 32 MiB read.
  server.Post(
      kIngestPath, [&app, service, max_body_bytes](const httplib::Request& req, httplib::Response& res,
                                                   const httplib::ContentReader& content_reader) {
        // A direct client is answered before its body is read (nobody makes the server read 32 MiB without a
        // token). Behind the proxy the body is already buffered there and is written to us before the proxy
        // reads our answer: a connection closed on unread data is reset, which the proxy reports as 502
        // instead of our answer, so then the refusal reads (and drops) the body, at most the route's limit.
        auto refuse = [&](int status, ErrorCode code) {
          bool drained = req.has_header(kProxiedMark) && DrainBodyWithin(content_reader, max_body_bytes);
          if (!drained) res.set_header("Connection", "close");
          SendError(req, res, status, code);
        };
        if (!CheckApiToken(app, BearerToken(req), "ingest")) {
          res.set_header("WWW-Authenticate", "Bearer");
          return refuse(401, err::kUnauthorized);
        }
        auto format = IngestFormatFromContentType(req.get_header_value("Content-Type"));
        if (!format) return refuse(415, err::kUnsupportedMediaType);
        // A chunked body (the framing gate checked a declared length already) is refused as soon as it passes
        // the limit, not read to its end.
        std::string body;
        const BodyRead read = ReadBodyWithin(content_reader, max_body_bytes, body);
        if (read != BodyRead::kComplete) {
          res.set_header("Connection", "close");  // the rest of the body stays unread
          const bool too_large = read == BodyRead::kTooLarge;
          return SendError(req, res, too_large ? 413 : 400,
                           too_large ? err::kPayloadTooLarge : err::kInvalidFormat);
        }
        ParsedReadings parsed;
        try {
          parsed = ParseReadings(body, *format, app.clock.Now());
        } catch (const IngestBodyError& e) {
          nlohmann::json error = api::MakeErrorBody(RequestLang(req), err::kInvalidFormat);
          error["error"]["detail"] = e.what();
          return SendJson(res, 400, error, InvalidUtf8::kReplace);  // a CSV may carry any bytes
        }
        body = std::string();  // parsed: free the body before waiting for the store
        const IngestReport report = service->Store(std::move(parsed));
        app.metrics.AddIngest(report.accepted, report.duplicate, report.rejected);
        SendJson(res, 200, ReportJson(report), InvalidUtf8::kReplace);  // a CSV may carry any bytes
      });
}

}  // namespace mizu::backend::http
