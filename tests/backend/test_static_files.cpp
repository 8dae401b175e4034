// The web dist over real HTTP against a small temporary dist: precompressed variants by Accept-Encoding,
// strong ETags and 304s, cache headers for hashed and unhashed names, content types, nothing outside the
// dist.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "server_fixture.hpp"

using mizu::testing::TestServer;
namespace fs = std::filesystem;

namespace {

void Write(const fs::path& path, const std::string& body) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << body;
}

// A dist as web/tools/make_dist.py lays it out; the "compressed" siblings hold marker bytes, so a test sees
// exactly which file was sent (the client does not decompress).
struct WebDist {
  mizu::testing::TempDir root{"mizu-static"};  // removed with the dist when the test ends
  fs::path dist = root / "dist";
  WebDist() {
    Write(dist / "index.html", "<!doctype html><title>水守</title>");
    Write(dist / "index.html.br", "INDEX-BR");
    Write(dist / "index.html.gz", "INDEX-GZ");
    Write(dist / "mizumori_web.3f9a1c2e07.wasm", std::string("\0asm\1\0\0\0", 8));
    Write(dist / "mizumori_web.3f9a1c2e07.wasm.br", "WASM-BR");
    Write(dist / "mizumori_web.3f9a1c2e07.wasm.gz", "WASM-GZ");
    Write(dist / "mizu.0123abcd.js", "'use strict';");
    Write(dist / "mizu.0123abcd.js.gz", "JS-GZ");  // gzip only
    Write(dist / "style.89abcdef01.css", "body{}");
    Write(dist / "fonts/ui.0011223344.ttf", "FONT");
    Write(dist / "icons/icon-192.aabbccddee.png", "\x89PNG");
    Write(dist / "sw.js", "self.addEventListener('fetch', () => {});");
    Write(dist / "manifest.webmanifest", R"({"name":"水守"})");
    Write(dist / ".hidden", "hidden");
    Write(root / "secret.txt", "SECRET");
    fs::create_symlink(root / "secret.txt", dist / "link-out.txt");
    fs::create_directories(root / "outside");
    Write(root / "outside" / "x.txt", "SECRET");
    fs::create_directory_symlink(root / "outside", dist / "linked-dir");
  }
};

httplib::Client RawClient(TestServer& server) {
  auto c = server.Client();
  c.set_decompress(false);
  return c;
}

httplib::Result Get(httplib::Client& c, const std::string& path, httplib::Headers headers = {}) {
  return c.Get(path.c_str(), headers);
}

}  // namespace

TEST_CASE("static files: the precompressed sibling is chosen by Accept-Encoding", "[server][static]") {
  WebDist web;
  TestServer server([&](mizu::backend::Config& c) { c.web_dir = web.dist.string(); });
  auto c = RawClient(server);
  struct Case {
    const char* accept;
    const char* body;
    const char* encoding;
  };
  const std::string wasm = "/mizumori_web.3f9a1c2e07.wasm";
  for (const Case& k : {Case{"br", "WASM-BR", "br"}, Case{"gzip, deflate, br", "WASM-BR", "br"},
                        Case{"gzip, deflate", "WASM-GZ", "gzip"}, Case{"br;q=0, gzip", "WASM-GZ", "gzip"},
                        Case{"BR;Q=0.5, gzip;q=0.9", "WASM-GZ", "gzip"}, Case{"*", "WASM-BR", "br"},
                        Case{"identity", "", ""}, Case{"deflate", "", ""}}) {
    INFO(k.accept);
    auto res = Get(c, wasm, {{"Accept-Encoding", k.accept}});
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Content-Type") == "application/wasm");
    CHECK(res->get_header_value("Content-Encoding") == k.encoding);
    CHECK(res->get_header_value("Vary") == "Accept-Encoding");
    CHECK(res->body == (*k.body ? std::string(k.body) : std::string("\0asm\1\0\0\0", 8)));
    CHECK(res->get_header_value("Content-Length") == std::to_string(res->body.size()));
  }
  // No Accept-Encoding at all: the file as it is.
  auto plain = Get(c, wasm);
  REQUIRE(plain);
  CHECK(plain->body.size() == 8);
  CHECK_FALSE(plain->has_header("Content-Encoding"));

  // Only a .gz exists: brotli-only clients get the file itself, never a second compression by the server.
  auto js_br = Get(c, "/mizu.0123abcd.js", {{"Accept-Encoding", "br"}});
  REQUIRE(js_br);
  CHECK(js_br->body == "'use strict';");
  CHECK_FALSE(js_br->has_header("Content-Encoding"));
  auto js_gz = Get(c, "/mizu.0123abcd.js", {{"Accept-Encoding", "gzip, br"}});
  REQUIRE(js_gz);
  CHECK(js_gz->body == "JS-GZ");
  CHECK(js_gz->get_header_value("Content-Encoding") == "gzip");
  CHECK(js_gz->get_header_value("Content-Type") == "text/javascript; charset=utf-8");

  // No siblings: no Vary, and the server does not compress on the fly either.
  auto css = Get(c, "/style.89abcdef01.css", {{"Accept-Encoding", "gzip, br"}});
  REQUIRE(css);
  CHECK(css->body == "body{}");
  CHECK_FALSE(css->has_header("Content-Encoding"));
  CHECK_FALSE(css->has_header("Vary"));

  // "/" is index.html.
  auto index = Get(c, "/", {{"Accept-Encoding", "gzip, deflate, br"}});
  REQUIRE(index);
  CHECK(index->body == "INDEX-BR");
  CHECK(index->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(Get(c, "/index.html", {{"Accept-Encoding", "gzip"}})->body == "INDEX-GZ");
}

TEST_CASE("static files: cache headers, content types and security headers", "[server][static]") {
  WebDist web;
  TestServer server([&](mizu::backend::Config& c) { c.web_dir = web.dist.string(); });
  auto c = RawClient(server);
  const std::string immutable = "public, max-age=31536000, immutable";
  struct Case {
    const char* path;
    const char* type;
    bool hashed;
  };
  for (const Case& k :
       {Case{"/", "text/html; charset=utf-8", false}, Case{"/index.html", "text/html; charset=utf-8", false},
        Case{"/sw.js", "text/javascript; charset=utf-8", false},
        Case{"/manifest.webmanifest", "application/manifest+json", false},
        Case{"/mizumori_web.3f9a1c2e07.wasm", "application/wasm", true},
        Case{"/mizu.0123abcd.js", "text/javascript; charset=utf-8", true},
        Case{"/style.89abcdef01.css", "text/css; charset=utf-8", true},
        Case{"/fonts/ui.0011223344.ttf", "font/ttf", true},
        Case{"/icons/icon-192.aabbccddee.png", "image/png", true}}) {
    INFO(k.path);
    auto res = Get(c, k.path);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Content-Type") == k.type);
    CHECK(res->get_header_value("Cache-Control") == (k.hashed ? immutable : std::string("no-cache")));
    CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
    CHECK(res->get_header_value("X-Frame-Options") == "DENY");
    CHECK(res->get_header_value("Content-Security-Policy").find("default-src 'self'") == 0);
    auto etag = res->get_header_value("ETag");
    CHECK(etag.size() > 10);
    CHECK(etag.front() == '"');
    CHECK(etag.back() == '"');
  }
  // HEAD: the same headers, no body.
  auto head = c.Head("/mizumori_web.3f9a1c2e07.wasm", {{"Accept-Encoding", "br"}});
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->body.empty());
  CHECK(head->get_header_value("Content-Encoding") == "br");
  CHECK(head->get_header_value("Cache-Control") == immutable);
}

TEST_CASE("static files: strong ETags per representation and If-None-Match gives 304", "[server][static]") {
  WebDist web;
  TestServer server([&](mizu::backend::Config& c) { c.web_dir = web.dist.string(); });
  auto c = RawClient(server);
  const std::string wasm = "/mizumori_web.3f9a1c2e07.wasm";
  auto br = Get(c, wasm, {{"Accept-Encoding", "br"}});
  auto gz = Get(c, wasm, {{"Accept-Encoding", "gzip"}});
  auto id = Get(c, wasm);
  REQUIRE((br && gz && id));
  std::string tag = br->get_header_value("ETag");
  CHECK(tag != gz->get_header_value("ETag"));
  CHECK(tag != id->get_header_value("ETag"));
  CHECK(gz->get_header_value("ETag") != id->get_header_value("ETag"));
  CHECK(tag.rfind("W/", 0) == std::string::npos);  // strong
  // The same again: the same tag (content hash, not a time).
  CHECK(Get(c, wasm, {{"Accept-Encoding", "br"}})->get_header_value("ETag") == tag);

  for (const std::string& inm : {tag, "W/" + tag, "\"other\", " + tag, std::string("*")}) {
    INFO(inm);
    auto res = Get(c, wasm, {{"Accept-Encoding", "br"}, {"If-None-Match", inm}});
    REQUIRE(res);
    CHECK(res->status == 304);
    CHECK(res->body.empty());
    CHECK(res->get_header_value("ETag") == tag);
    CHECK(res->get_header_value("Cache-Control") == "public, max-age=31536000, immutable");
    CHECK(res->get_header_value("Vary") == "Accept-Encoding");
    CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
  }
  // A tag of another representation or another content is no match: the full response.
  auto other_enc = Get(c, wasm, {{"Accept-Encoding", "gzip"}, {"If-None-Match", tag}});
  REQUIRE(other_enc);
  CHECK(other_enc->status == 200);
  CHECK(other_enc->body == "WASM-GZ");
  auto stale = Get(c, wasm, {{"Accept-Encoding", "br"}, {"If-None-Match", "\"0123\""}});
  REQUIRE(stale);
  CHECK(stale->status == 200);
  CHECK(stale->body == "WASM-BR");

  // index.html (no-cache) revalidates the same way.
  auto index = Get(c, "/", {{"Accept-Encoding", "br"}});
  REQUIRE(index);
  auto again = Get(c, "/", {{"Accept-Encoding", "br"}, {"If-None-Match", index->get_header_value("ETag")}});
  REQUIRE(again);
  CHECK(again->status == 304);
  CHECK(again->get_header_value("Cache-Control") == "no-cache");
}

TEST_CASE("static files: nothing outside the dist, no hidden files, API 404s stay JSON", "[server][static]") {
  WebDist web;
  TestServer server([&](mizu::backend::Config& c) { c.web_dir = web.dist.string(); });
  auto c = RawClient(server);
  for (const char* path :
       {"/../secret.txt", "/%2e%2e/secret.txt", "/fonts/../../secret.txt", "/fonts/..%2f..%2fsecret.txt",
        "/link-out.txt", "/linked-dir/x.txt", "/.hidden", "/index.html.br", "/missing.js", "/fonts/",
        "/fonts", "//etc/passwd", "/..\\secret.txt"}) {
    INFO(path);
    auto res = Get(c, path);
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK(res->body.find("SECRET") == std::string::npos);
    CHECK(res->body.find("hidden") == std::string::npos);
  }
  auto api = Get(c, "/api/v1/no-such-thing");
  REQUIRE(api);
  CHECK(api->status == 404);
  CHECK(api->get_header_value("Content-Type").find("application/json") == 0);
  // Routes still win over the catch-all.
  CHECK(Get(c, "/healthz")->get_header_value("Content-Type").find("application/json") == 0);
  CHECK(c.Post("/index.html", "x", "text/plain")->status == 404);
}

TEST_CASE("static files: a rebuilt dist is picked up without a restart", "[server][static]") {
  WebDist web;
  TestServer server([&](mizu::backend::Config& c) { c.web_dir = web.dist.string(); });
  auto c = RawClient(server);
  auto before = Get(c, "/");
  REQUIRE(before);
  CHECK(before->body.find("水守") != std::string::npos);
  // What make_dist.py does: a new directory swapped in by renames.
  fs::path next = web.root / "dist.new";
  fs::copy(web.dist, next, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  fs::remove(next / "index.html.br");
  fs::remove(next / "index.html.gz");
  Write(next / "index.html", "<!doctype html><title>水守 v2</title>");
  fs::last_write_time(next / "index.html",
                      fs::last_write_time(web.dist / "index.html") + std::chrono::seconds(2));
  Write(next / "mizu.4567cdef.js", "// v2");
  fs::rename(web.dist, web.root / "dist.old");
  fs::rename(next, web.dist);
  auto after = Get(c, "/");
  REQUIRE(after);
  CHECK(after->body == "<!doctype html><title>水守 v2</title>");
  CHECK(after->get_header_value("ETag") != before->get_header_value("ETag"));
  CHECK(Get(c, "/mizu.4567cdef.js")->status == 200);
}
