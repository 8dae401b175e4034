// The JavaScript in EM_JS/EM_ASM blocks is not C++: clang-format would break it (e.g. "=>" into "= >").
// clang-format off
// The Web Push bridge (push.hpp) to window.mizuPush (web/shell/mizu.js: Notification.requestPermission and the
// service worker registration's PushManager), answered through mizu_push_done(id, json).
#include <emscripten.h>

#include <cstdlib>
#include <map>

#include <nlohmann/json.hpp>

#include "mizu/json_fields.hpp"

#include "platform/push.hpp"
#include "platform/runner.hpp"

namespace mizu::web {
namespace {
std::map<int, PushCallback> g_waiting;
int g_next = 1;
}  // namespace

// op: 0 query, 1 subscribe (key: the VAPID key, base64url), 2 unsubscribe: web/shell/mizu.js does the work.
EM_JS(void, mizu_js_push, (int op, int id, const char* key), {
  window.mizuPush(op, id, UTF8ToString(key));
});

namespace {
void Start(int op, const std::string& key, PushCallback done) {
  const int id = g_next++;
  g_waiting[id] = std::move(done);
  mizu_js_push(op, id, key.c_str());
}
}  // namespace

void PushQuery(PushCallback done) { Start(0, "", std::move(done)); }
void PushSubscribe(const std::string& vapid_key, PushCallback done) { Start(1, vapid_key, std::move(done)); }
void PushUnsubscribe(PushCallback done) { Start(2, "", std::move(done)); }

}  // namespace mizu::web

extern "C" EMSCRIPTEN_KEEPALIVE void mizu_push_done(int id, const char* json_text) {
  auto it = mizu::web::g_waiting.find(id);
  if (it == mizu::web::g_waiting.end()) return;
  mizu::web::PushCallback done = std::move(it->second);
  mizu::web::g_waiting.erase(it);
  mizu::web::PushState s;
  const auto j = nlohmann::json::parse(json_text, nullptr, false);
  s.permission = mizu::FieldOr(j, "permission", "unsupported");
  s.subscription = mizu::FieldOr(j, "subscription", "");
  s.device = mizu::FieldOr(j, "device", "");
  s.error = mizu::FieldOr(j, "error", "");
  done(s);
  mizu::web::RequestRedraw(2);
}
