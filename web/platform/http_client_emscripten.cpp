// HttpRequest over emscripten_fetch (XHR underneath: same-origin cookies are sent).
// [x] JSON bodies, Accept-Language, status + body to the callback   [ ] timeouts, cancellation
#include <emscripten/fetch.h>

#include <cstring>
#include <memory>
#include <utility>
#include <vector>

#include "platform/http_client.hpp"
#include "platform/runner.hpp"

namespace mizu::web {
namespace {

struct Pending {
  HttpCallback done;
  std::string body;  // kept alive until the request ends
  std::string lang;
  std::vector<std::pair<std::string, std::string>> extra;  // a copy of SetRequestHeader's
  std::vector<const char*> headers;  // name, value, …, nullptr: into `lang` and `extra`
};
int g_pending = 0;
std::vector<std::pair<std::string, std::string>> g_extra;  // SetRequestHeader

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

void SetRequestHeader(const std::string& name, const std::string& value) {
  g_extra.emplace_back(name, value);
}

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
  p->headers = {"Accept-Language", p->lang.c_str()};
  p->extra = g_extra;
  for (const auto& [name, value] : p->extra) {
    p->headers.push_back(name.c_str());
    p->headers.push_back(value.c_str());
  }
  if (!p->body.empty()) {
    p->headers.push_back("Content-Type");
    p->headers.push_back("application/json");
    attr.requestData = p->body.data();
    attr.requestDataSize = p->body.size();
  }
  p->headers.push_back(nullptr);
  attr.requestHeaders = p->headers.data();
  attr.userData = p;
  attr.onsuccess = Finish;
  attr.onerror = Finish;
  ++g_pending;
  emscripten_fetch(&attr, url.c_str());
  RequestRedraw(2);
}

}  // namespace mizu::web
