// The web dist from memory, with ETags, 304s, precompressed variants and cache headers (see
// static_files.hpp).
#include "static_files.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "mizu/backend/auth.hpp"
#include "mizu/text.hpp"

namespace mizu::backend::http {

namespace fs = std::filesystem;

namespace {

constexpr const char* kImmutable = "public, max-age=31536000, immutable";

struct Variant {
  std::string body;
  std::string etag;  // quoted
};

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Calls f(item) for each comma-separated item, trimmed and non-empty.
template <typename F>
void ForEachListItem(std::string_view list, F&& f) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    auto item = TrimSpacesTabs(list.substr(0, comma));
    if (!item.empty()) f(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

std::string ContentType(std::string_view path) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".wasm", "application/wasm"},
      {".webmanifest", "application/manifest+json"},
      {".json", "application/json"},
      {".ttf", "font/ttf"},
      {".otf", "font/otf"},
      {".woff2", "font/woff2"},
      {".png", "image/png"},
      {".svg", "image/svg+xml"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (EndsWith(path, ext)) return type;
  }
  return "application/octet-stream";
}

enum class RangeKind { kWhole, kOne, kUnsatisfiable };
struct ByteRange {
  RangeKind kind = RangeKind::kWhole;
  size_t first = 0, last = 0;  // inclusive, within the representation when kind is kOne
};

bool ParseOffset(std::string_view s, size_t& out) {
  if (s.empty() || s.size() > 18) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<size_t>(c - '0');
  }
  return true;
}

// RFC 9110 §14.2: one "bytes=a-b", "bytes=a-" or "bytes=-n" against a representation of `size` bytes. Several
// ranges, another unit or a malformed value → the whole representation (a server may ignore Range); a single
// range that starts past the end → unsatisfiable (416).
ByteRange ParseSingleRange(std::string_view value, size_t size) {
  value = TrimSpacesTabs(value);
  if (value.substr(0, 6) != "bytes=") return {};
  std::string_view spec = TrimSpacesTabs(value.substr(6));
  if (spec.find(',') != std::string_view::npos) return {};
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return {};
  std::string_view a = TrimSpacesTabs(spec.substr(0, dash)), b = TrimSpacesTabs(spec.substr(dash + 1));
  size_t first = 0, last = 0;
  if (a.empty()) {  // suffix: the last n bytes
    if (!ParseOffset(b, last) || last == 0)
      return b == "0" ? ByteRange{RangeKind::kUnsatisfiable} : ByteRange{};
    if (size == 0) return {RangeKind::kUnsatisfiable};
    return {RangeKind::kOne, size - std::min(last, size), size - 1};
  }
  if (!ParseOffset(a, first)) return {};
  if (b.empty()) {
    last = size == 0 ? 0 : size - 1;
  } else if (!ParseOffset(b, last) || last < first) {
    return {};
  }
  if (first >= size) return {RangeKind::kUnsatisfiable};
  return {RangeKind::kOne, first, std::min(last, size - 1)};
}

// RFC 9110 §13.1.2: "*" matches any current representation; otherwise a weak comparison of the listed tags.
bool IfNoneMatchHits(std::string_view header, std::string_view etag) {
  bool hit = false;
  ForEachListItem(header, [&](std::string_view tag) {
    if (tag == "*") hit = true;
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == etag) hit = true;
  });
  return hit;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

// What identifies one build's dist on disk: a rebuild writes a new index.html.
struct Stamp {
  fs::file_time_type mtime{};
  std::uintmax_t size = 0;
  bool operator==(const Stamp&) const = default;
};

std::optional<Stamp> ReadStamp(const std::string& dir) {
  std::error_code ec;
  fs::path index = fs::path(dir) / "index.html";
  Stamp s;
  s.mtime = fs::last_write_time(index, ec);
  if (ec) return std::nullopt;
  s.size = fs::file_size(index, ec);
  if (ec) return std::nullopt;
  return s;
}

}  // namespace

struct StaticFiles::Dist {
  struct Entry {
    std::string type;
    bool immutable = false;
    Variant identity;
    std::optional<Variant> br;
    std::optional<Variant> gz;
  };
  std::map<std::string, Entry, std::less<>> files;  // path relative to the dist, '/'-separated
  Stamp stamp;
};

Encoding ChooseEncoding(std::string_view accept_encoding, bool have_br, bool have_gz) {
  std::optional<double> br, gz, star;
  ForEachListItem(accept_encoding, [&](std::string_view item) {
    size_t semi = item.find(';');
    std::string coding = AsciiLower(TrimSpacesTabs(item.substr(0, semi)));
    double q = 1.0;
    if (semi != std::string_view::npos) {
      auto params = item.substr(semi + 1);
      size_t qpos = AsciiLower(params).find("q=");
      if (qpos != std::string::npos) {
        try {
          q = std::stod(std::string(TrimSpacesTabs(params.substr(qpos + 2))));
        } catch (const std::exception&) {
          q = 0;
        }
      }
    }
    if (coding == "br")
      br = q;
    else if (coding == "gzip" || coding == "x-gzip")
      gz = q;
    else if (coding == "*")
      star = q;
  });
  double q_br = have_br ? br.value_or(star.value_or(0)) : 0;
  double q_gz = have_gz ? gz.value_or(star.value_or(0)) : 0;
  if (q_br > 0 && q_br >= q_gz) return Encoding::kBrotli;
  if (q_gz > 0) return Encoding::kGzip;
  return Encoding::kIdentity;
}

bool IsHashedName(std::string_view path) {
  size_t slash = path.rfind('/');
  auto name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t ext = name.rfind('.');
  if (ext == std::string_view::npos || ext == 0) return false;
  size_t dot = name.rfind('.', ext - 1);
  if (dot == std::string_view::npos || dot == 0) return false;
  auto hex = name.substr(dot + 1, ext - dot - 1);
  return hex.size() >= 8 && hex.size() <= 64 && std::all_of(hex.begin(), hex.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c));
         });
}

namespace {

std::shared_ptr<const StaticFiles::Dist> LoadDist(const std::string& dir) {
  std::error_code ec;
  fs::path base = fs::canonical(dir, ec);
  if (ec || !fs::is_regular_file(base / "index.html")) {
    throw std::runtime_error("web directory not found or without index.html: " + dir);
  }
  auto stamp = ReadStamp(dir);
  std::map<std::string, std::string, std::less<>> raw;
  for (auto it = fs::recursive_directory_iterator(base); it != fs::recursive_directory_iterator(); ++it) {
    std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') {  // dotfiles and dot-directories are never served
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;  // directory symlinks are not followed
    fs::path real = fs::canonical(it->path(), ec);
    if (ec) continue;
    fs::path inside = real.lexically_relative(base);
    if (inside.empty() || *inside.begin() == "..") continue;  // a file symlink pointing out of the dist
    raw.emplace(it->path().lexically_relative(base).generic_string(), ReadFile(real));
  }
  auto dist = std::make_shared<StaticFiles::Dist>();
  for (auto& [path, body] : raw) {
    bool variant =
        (EndsWith(path, ".br") || EndsWith(path, ".gz")) && raw.count(path.substr(0, path.size() - 3));
    if (variant) continue;
    StaticFiles::Dist::Entry e;
    e.type = ContentType(path);
    e.immutable = IsHashedName(path);
    std::string hash = Sha256Hex(body).substr(0, 32);  // a strong validator: the representation's content
    e.identity = {body, "\"" + hash + "\""};
    if (auto br = raw.find(path + ".br"); br != raw.end()) e.br = Variant{br->second, "\"" + hash + "-br\""};
    if (auto gz = raw.find(path + ".gz"); gz != raw.end()) e.gz = Variant{gz->second, "\"" + hash + "-gz\""};
    dist->files.emplace(path, std::move(e));
  }
  if (stamp) dist->stamp = *stamp;
  return dist;
}

}  // namespace

StaticFiles::StaticFiles(std::string dir) : dir_(std::move(dir)), dist_(LoadDist(dir_)) {}

StaticFiles::~StaticFiles() = default;

std::shared_ptr<const StaticFiles::Dist> StaticFiles::Current() {
  std::lock_guard lock(mutex_);
  auto stamp = ReadStamp(dir_);
  if (stamp && !(*stamp == dist_->stamp)) {
    try {
      dist_ = LoadDist(dir_);
      std::fprintf(stderr, "web: reloaded %s (%zu files)\n", dir_.c_str(), dist_->files.size());
    } catch (const std::exception& e) {
      // Half-swapped by a build in progress: keep serving the previous dist, retry on the next request.
      std::fprintf(stderr, "web: keeping the previous dist: %s\n", e.what());
    }
  }
  return dist_;
}

bool StaticFiles::Serve(const httplib::Request& req, httplib::Response& res) {
  std::string_view path = req.path;
  if (path.empty() || path.front() != '/') return false;
  std::string rel = path == "/" ? "index.html" : std::string(path.substr(1));
  // Only names loaded from inside the dist can match; odd paths are refused before the lookup anyway.
  if (rel.find("..") != std::string::npos || rel.find('\\') != std::string::npos ||
      rel.find('\0') != std::string::npos) {
    return false;
  }
  auto dist = Current();
  auto it = dist->files.find(rel);
  if (it == dist->files.end()) return false;
  const Dist::Entry& e = it->second;
  Encoding enc = ChooseEncoding(req.get_header_value("Accept-Encoding"), e.br.has_value(), e.gz.has_value());
  const Variant& v = enc == Encoding::kBrotli ? *e.br : enc == Encoding::kGzip ? *e.gz : e.identity;
  res.set_header("ETag", v.etag);
  res.set_header("Cache-Control", e.immutable ? kImmutable : "no-cache");
  if (e.br || e.gz) res.set_header("Vary", "Accept-Encoding");
  if (req.has_header("If-None-Match") && IfNoneMatchHits(req.get_header_value("If-None-Match"), v.etag)) {
    res.status = 304;
    return true;
  }
  res.status = 200;
  res.set_header("Accept-Ranges", "bytes");
  if (enc != Encoding::kIdentity)
    res.set_header("Content-Encoding", enc == Encoding::kBrotli ? "br" : "gzip");
  // Range applies to the selected representation (RFC 9110 §14.1.1), and only while If-Range still names it.
  size_t first = 0, count = v.body.size();
  if (req.has_header("Range") &&
      (!req.has_header("If-Range") || req.get_header_value("If-Range") == v.etag)) {
    auto range = ParseSingleRange(req.get_header_value("Range"), v.body.size());
    if (range.kind == RangeKind::kUnsatisfiable) {
      res.status = 416;
      res.set_header("Content-Range", "bytes */" + std::to_string(v.body.size()));
      res.set_content("", e.type);
      return true;
    }
    if (range.kind == RangeKind::kOne) {
      res.status = 206;
      first = range.first;
      count = range.last - range.first + 1;
      res.set_header("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                          std::to_string(range.last) + "/" + std::to_string(v.body.size()));
    }
  }
  if (count == 0) {
    res.set_content("", e.type);
    return true;
  }
  // A content provider, not set_content: httplib would compress a text body a second time. The provider keeps
  // this dist alive while the body is written, even if a rebuild swaps in another one meanwhile.
  const std::string* body = &v.body;
  res.set_content_provider(count, e.type,
                           [dist, body, first](size_t offset, size_t length, httplib::DataSink& sink) {
                             return sink.write(body->data() + first + offset, length);
                           });
  return true;
}

}  // namespace mizu::backend::http
