// The JavaScript in EM_JS/EM_ASM blocks is not C++: clang-format would break it (e.g. "=>" into "= >").
// clang-format off
// The hash route bridge: history.pushState/replaceState for app navigation (which fire no events), popstate and
// hashchange for the browser's back/forward and typed URLs, forwarded to the app through mizu_on_hash.
#include <emscripten.h>

#include <cstdlib>

#include "platform/location.hpp"
#include "platform/runner.hpp"

namespace mizu::web {
namespace {
std::function<void(const std::string&)> g_handler;
bool g_no_history = false;
std::string g_hash_query;  // KeepNoHistory
}  // namespace

EM_JS(char*, mizu_js_current_hash, (), {
  const h = window.location.hash.replace(/^#/, '');
  const size = lengthBytesUTF8(h) + 1;
  const ptr = _malloc(size);
  stringToUTF8(h, ptr, size);
  return ptr;
});

EM_JS(void, mizu_js_set_hash, (const char* hash, int replace), {
  const url = '#' + UTF8ToString(hash);
  if (window.location.hash === url) return;
  if (replace) history.replaceState(null, '', url); else history.pushState(null, '', url);
});

EM_JS(void, mizu_js_restart_page, (const char* hash), {
  history.replaceState(null, '', window.location.pathname + '#' + UTF8ToString(hash));
  window.location.reload();
});

EM_JS(void, mizu_js_listen_hash, (), {
  const forward = () => {
    const h = window.location.hash.replace(/^#/, '');
    const size = lengthBytesUTF8(h) + 1;
    const ptr = _malloc(size);
    stringToUTF8(h, ptr, size);
    Module._mizu_on_hash(ptr);
    _free(ptr);
  };
  window.addEventListener('popstate', forward);
  window.addEventListener('hashchange', forward);
});

EM_JS(char*, mizu_js_load_pref, (const char* key), {
  let v = '';
  try { v = window.localStorage.getItem('mizu.' + UTF8ToString(key)) || ''; } catch (e) { v = ''; }
  const size = lengthBytesUTF8(v) + 1;
  const ptr = _malloc(size);
  stringToUTF8(v, ptr, size);
  return ptr;
});

EM_JS(void, mizu_js_save_pref, (const char* key, const char* value), {
  try { window.localStorage.setItem('mizu.' + UTF8ToString(key), UTF8ToString(value)); } catch (e) {}
});

std::string LoadPreference(const std::string& key) {
  char* p = mizu_js_load_pref(key.c_str());
  std::string out(p);
  std::free(p);
  return out;
}

void SavePreference(const std::string& key, const std::string& value) {
  if (!g_no_history) mizu_js_save_pref(key.c_str(), value.c_str());
}

void KeepNoHistory(const std::string& hash_query) {
  g_no_history = true;
  g_hash_query = hash_query;
}

void RestartPage(const std::string& hash) { mizu_js_restart_page(hash.c_str()); }

std::string CurrentHash() {
  char* p = mizu_js_current_hash();
  std::string out(p);
  std::free(p);
  return out;
}

void SetHash(const std::string& hash, bool replace) {
  std::string h = hash;
  if (!g_hash_query.empty()) h += (h.find('?') == std::string::npos ? "?" : "&") + g_hash_query;
  mizu_js_set_hash(h.c_str(), replace || g_no_history ? 1 : 0);
}

void OnHashChange(std::function<void(const std::string&)> handler) {
  g_handler = std::move(handler);
  mizu_js_listen_hash();
}

}  // namespace mizu::web

EM_JS(double, mizu_js_root_font_px, (), {
  const px = parseFloat(getComputedStyle(document.documentElement).fontSize);
  return isFinite(px) && px > 0 ? px : 16;
});

namespace mizu::web {
float BrowserTextScale() {
  const double scale = mizu_js_root_font_px() / 16.0;
  return static_cast<float>(scale < 0.75 ? 0.75 : scale > 3 ? 3 : scale);
}
}  // namespace mizu::web

extern "C" EMSCRIPTEN_KEEPALIVE void mizu_on_hash(const char* hash) {
  if (mizu::web::g_handler) mizu::web::g_handler(hash);
  mizu::web::RequestRedraw(2);
}
// clang-format on
