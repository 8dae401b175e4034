#pragma once
// One way to call the JSON API from a screen, with the app's common handling: Accept-Language of the current
// language, the header's progress mark, a 401 on a session route → the login screen and back afterwards, and
// no answer at all → the 再試行 banner (done is called once the retry gets an answer).
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "mizu/api.hpp"

namespace mizu::web {

struct AppState;

struct ApiReply {
  int status = 0;
  nlohmann::json json;   // the parsed body (null when empty or not JSON)
  api::ErrorBody error;  // for 4xx/5xx with an error body
  bool ok() const { return status >= 200 && status < 300; }
};

struct ApiOptions {
  bool session = true;  // false: a 401 is an ordinary answer (login, sign-up), not an expired session
  bool staff = false;   // a staff route: a 401 ends the staff session (the console's login), not a resident's
};

// body: null → no body (GET/DELETE) or "{}" (POST/PUT).
void Api(AppState& app, const std::string& method, const std::string& url, const nlohmann::json& body,
         std::function<void(const ApiReply&)> done, ApiOptions options = {});
// Sends the requests that failed on the network again (the banner's 再試行).
void RetryFailed(AppState& app);

}  // namespace mizu::web
