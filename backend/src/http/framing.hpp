#pragma once
// The request-framing gate, run on every request after cpp-httplib has read the head and before it reads a
// byte of the body (pre-routing and Expect: 100-continue). cpp-httplib 0.11.4 reads some framings that
// RFC 9112 says must be refused, and reads an unlimited chunked body; this is the one place that decides
// what the library may read. See docs/reliability.md.
//
// Refused (status, error code):
//   400 invalid_format   Content-Length together with Transfer-Encoding (RFC 9112 §6.1: request smuggling),
//                        Content-Length repeated, signed, empty or not all digits (§6.3), a Transfer-Encoding
//                        repeated or other than "chunked" in any letter case (§6.1), no Host on HTTP/1.1 or
//                        more than one (RFC 9112 §3.2), a header name that is not an RFC 9110 token (e.g.
//                        "Name :" — §5.1).
//   411 length_required  a chunked body on a route that takes only bodies of declared length.
//   413 payload_too_large a declared Content-Length over the route's limit (8 KiB for a url-encoded form).
//   431 headers_too_large more than limits.max_header_count header lines, or their names and values over
//                        limits.max_header_bytes in all (RFC 6585 §5).
// A body-carrying method without Content-Length or Transfer-Encoding has a body of length 0 (RFC 9112 §6.3);
// the gate writes "Content-Length: 0" so the library never reads such a body until the connection closes.
#include <httplib.h>

#include <cstddef>
#include <string>

#include "mizu/errors.hpp"

namespace mizu::backend::http {

// The values are the server setup's (http_server.cpp), the one place every request limit is set.
struct FramingLimits {
  size_t max_body_bytes = 0;     // every route but those below
  size_t ingest_body_bytes = 0;  // the ingest route (kIngestPath)
  size_t max_form_bytes = 0;     // application/x-www-form-urlencoded (cpp-httplib's own cap)
  size_t max_header_count = 0;   // header lines the client sent
  size_t max_header_bytes = 0;   // their names + values
};

struct FramingVerdict {
  int status = 0;  // 0: the request may proceed
  ErrorCode code;
};

// The largest body the route of `path` accepts (bytes).
size_t BodyLimitFor(const std::string& path, const FramingLimits& limits);

// Checks the head of `req`. May normalise it in place (the zero Content-Length above; Range cleared, since
// only the static files honour Range and they read the header themselves).
FramingVerdict CheckFraming(httplib::Request& req, const FramingLimits& limits);

}  // namespace mizu::backend::http
