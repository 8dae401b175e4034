// The request-framing gate (see framing.hpp).
#include "framing.hpp"

#include <strings.h>

#include "routes.hpp"

namespace mizu::backend::http {
namespace {

// Header lines cpp-httplib adds to every request itself (not counted against the client's limit).
constexpr const char* kLibraryHeaders[] = {"REMOTE_ADDR", "REMOTE_PORT", "LOCAL_ADDR", "LOCAL_PORT"};

bool IsLibraryHeader(const std::string& name) {
  for (const char* h : kLibraryHeaders)
    if (strcasecmp(name.c_str(), h) == 0) return true;
  return false;
}

// RFC 9110 §5.6.2 tchar.
bool IsToken(const std::string& s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (!ok) {
      switch (c) {
        case '!':
        case '#':
        case '$':
        case '%':
        case '&':
        case '\'':
        case '*':
        case '+':
        case '-':
        case '.':
        case '^':
        case '_':
        case '`':
        case '|':
        case '~':
          ok = true;
          break;
        default:
          break;
      }
    }
    if (!ok) return false;
  }
  return true;
}

bool AllDigits(const std::string& s) {
  if (s.empty() || s.size() > 19) return false;  // 19 digits still fit in 64 bits
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool ExpectsBody(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

FramingVerdict Refuse(int status, ErrorCode code) {
  return {status, code};
}

}  // namespace

size_t BodyLimitFor(const std::string& path, const FramingLimits& limits) {
  return path == kIngestPath ? limits.ingest_body_bytes : limits.max_body_bytes;
}

FramingVerdict CheckFraming(httplib::Request& req, const FramingLimits& limits) {
  size_t count = 0, bytes = 0;
  for (const auto& [name, value] : req.headers) {
    if (IsLibraryHeader(name)) continue;
    ++count;
    bytes += name.size() + value.size();
    if (!IsToken(name)) return Refuse(400, err::kInvalidFormat);
  }
  if (count > limits.max_header_count || bytes > limits.max_header_bytes)
    return Refuse(431, err::kHeadersTooLarge);
  // RFC 9112 §3.2: an HTTP/1.1 request has exactly one Host.
  size_t hosts = req.get_header_value_count("Host");
  if (hosts > 1 || (req.version == "HTTP/1.1" && hosts == 0)) return Refuse(400, err::kInvalidFormat);

  // Only the static files honour Range (static_files.cpp reads the header); everything else ignores it.
  req.ranges.clear();

  size_t te_count = req.get_header_value_count("Transfer-Encoding");
  size_t cl_count = req.get_header_value_count("Content-Length");
  if (te_count > 0 && cl_count > 0) return Refuse(400, err::kInvalidFormat);
  if (te_count > 1 || cl_count > 1) return Refuse(400, err::kInvalidFormat);
  size_t limit = BodyLimitFor(req.path, limits);
  if (te_count == 1) {
    if (strcasecmp(req.get_header_value("Transfer-Encoding").c_str(), "chunked") != 0)
      return Refuse(400, err::kInvalidFormat);
    // A chunked body's size is unknown until read: only the ingest route takes one, and reads it against its
    // limit (ReadBodyWithin, http_util.hpp).
    if (req.path != kIngestPath) return Refuse(411, err::kLengthRequired);
    return {};
  }
  if (cl_count == 1) {
    std::string value = req.get_header_value("Content-Length");
    if (!AllDigits(value)) return Refuse(400, err::kInvalidFormat);
    if (std::stoull(value) > limit) return Refuse(413, err::kPayloadTooLarge);
    // cpp-httplib reads a url-encoded form body itself and refuses it above 8 KiB: the same rule, decided
    // here before the body is read (only the stop page posts a form).
    if (strncasecmp(req.get_header_value("Content-Type").c_str(), "application/x-www-form-urlencoded", 33) ==
            0 &&
        std::stoull(value) > limits.max_form_bytes)
      return Refuse(413, err::kPayloadTooLarge);
    return {};
  }
  if (ExpectsBody(req.method)) req.set_header("Content-Length", "0");
  return {};
}

}  // namespace mizu::backend::http
