#pragma once
// The web build (the dist of web/tools/make_dist.py) served from memory: a strong ETag per representation and
// If-None-Match → 304, the precompressed .br / .gz sibling chosen by Accept-Encoding (Vary: Accept-Encoding),
// "immutable" for content-hashed names (name.<hex>.ext) and no-cache for the rest (index.html, sw.js, the
// manifest). Only files found under the directory at load time are ever served; the dist is reloaded when its
// index.html changes (a rebuild swaps in a new dist).
#include <httplib.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace mizu::backend::http {

enum class Encoding { kIdentity, kBrotli, kGzip };

// The best encoding the client accepts among those available (brotli before gzip before identity; q=0
// refuses).
Encoding ChooseEncoding(std::string_view accept_encoding, bool have_br, bool have_gz);

// True for a content-hashed file name such as "mizumori_web.3f9a1c2e07.wasm" (8 to 64 hex digits).
bool IsHashedName(std::string_view path);

class StaticFiles {
 public:
  explicit StaticFiles(std::string dir);  // throws std::runtime_error if dir has no index.html
  ~StaticFiles();

  // GET/HEAD of a file of the dist ("/" is index.html): fills res (200 or 304) and returns true; false when
  // the path is not a file of the dist.
  bool Serve(const httplib::Request& req, httplib::Response& res);

  struct Dist;

 private:
  std::shared_ptr<const Dist> Current();

  std::string dir_;
  std::mutex mutex_;
  std::shared_ptr<const Dist> dist_;
};

}  // namespace mizu::backend::http
