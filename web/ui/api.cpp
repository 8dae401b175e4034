#include "ui/api.hpp"

#include "platform/http_client.hpp"
#include "ui/app.hpp"

namespace mizu::web {
namespace {

void Send(AppState& app, RetryRequest request, bool session, bool staff) {
  auto req = std::make_shared<RetryRequest>(std::move(request));
  HttpRequest(req->method, req->url, req->body, std::string(LangTag(app.lang)),
              [&app, req, session, staff](const HttpResponse& r) {
                if (app.kiosk.leaving) return;  // the visit is ending: nothing may change any more
                if (r.status == 0) {            // no answer: keep it for 再試行
                  app.failed.push_back(*req);
                  return;
                }
                if (r.status == 401 && session) {
                  if (staff)
                    StaffSessionEnded(app, true);
                  else
                    SessionEnded(app, true);
                  return;
                }
                req->done(r.status, r.body);
              });
}

}  // namespace

void Api(AppState& app, const std::string& method, const std::string& url, const nlohmann::json& body,
         std::function<void(const ApiReply&)> done, ApiOptions options) {
  std::string text;
  if (!body.is_null())
    text = body.dump();
  else if (method == "POST" || method == "PUT")
    text = "{}";
  auto handler = [done = std::move(done)](int status, const std::string& raw) {
    ApiReply reply;
    reply.status = status;
    reply.json = nlohmann::json::parse(raw, nullptr, false);
    if (reply.json.is_discarded()) reply.json = nullptr;
    if (!reply.ok()) {
      if (!api::ParseErrorBody(reply.json, reply.error)) reply.error.code = "internal";
    }
    done(reply);
  };
  Send(app, {method, url, text, handler, options.session, options.staff}, options.session, options.staff);
}

void RetryFailed(AppState& app) {
  auto failed = std::move(app.failed);
  app.failed.clear();
  for (auto& f : failed) {
    const bool session = f.session, staff = f.staff;
    Send(app, std::move(f), session, staff);
  }
}

}  // namespace mizu::web
