#pragma once
// Same-origin HTTP requests from the app (the session cookie goes along). Callbacks run on the main thread
// and request a redraw. status 0 = the network failed (no answer).
#include <functional>
#include <string>

namespace mizu::web {

struct HttpResponse {
  int status = 0;
  std::string body;
};
using HttpCallback = std::function<void(const HttpResponse&)>;

// method: GET/POST/PUT/DELETE; body is JSON (sent only when non-empty); lang sets Accept-Language.
void HttpRequest(const std::string& method, const std::string& url, const std::string& body,
                 const std::string& lang, HttpCallback done);
// A header sent with every later request (a counter kiosk's X-Mizu-Kiosk token).
void SetRequestHeader(const std::string& name, const std::string& value);
// Requests in flight (the UI shows progress while > 0).
int PendingRequests();

}  // namespace mizu::web
