// HttpRequest over emscripten_fetch (XHR underneath: same-origin cookies are sent).
// [x] JSON bodies, Accept-Language, status + body to the callback   [ ] timeouts, cancellation
#include <emscripten/fetch.h>

#include <cstring>
#include <memory>

#include "platform/http_client.hpp"
#include "platform/runner.hpp"

namespace mizu::web {
namespace {

struct Pending {
  HttpCallback done;
  std::string body;  // kept alive until the request ends
  std::string lang;
};
int g_pending = 0;

void Finish(emscripten_fetch_t* fetch) {
  std::unique_ptr<Pending> p(static_cast<Pending*>(fetch->userData));
  HttpResponse r;
  r.status = fetch->status;
  if (fetch->data && fetch->numBytes > 0) r.body.assign(fetch->data, static_cast<size_t>(fetch->numBytes));
  emscripten_fetch_close(fetch);
  --g_pending;
  p->done(r);
  RequestRedraw(2);
}

}  // namespace

int PendingRequests() {
  return g_pending;
}

void HttpRequest(const std::string& method, const std::string& url, const std::string& body,
                 const std::string& lang, HttpCallback done) {
  auto* p = new Pending{std::move(done), body, lang};
  emscripten_fetch_attr_t attr;
  emscripten_fetch_attr_init(&attr);
  std::strncpy(attr.requestMethod, method.c_str(), sizeof(attr.requestMethod) - 1);
  attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY;
  static const char* json_headers[] = {"Content-Type", "application/json", "Accept-Language", nullptr,
                                       nullptr};
  static const char* plain_headers[] = {"Accept-Language", nullptr, nullptr};
  if (!p->body.empty()) {
    json_headers[3] = p->lang.c_str();
    attr.requestHeaders = json_headers;
    attr.requestData = p->body.data();
    attr.requestDataSize = p->body.size();
  } else {
    plain_headers[1] = p->lang.c_str();
    attr.requestHeaders = plain_headers;
  }
  attr.userData = p;
  attr.onsuccess = Finish;
  attr.onerror = Finish;
  ++g_pending;
  emscripten_fetch(&attr, url.c_str());
  RequestRedraw(2);
}

}  // namespace mizu::web
