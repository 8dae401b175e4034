#pragma once
// Helpers shared by the route files: the JSON body reader and writer, the error body of the API contract,
// request language. Includes httplib.h: only for backend/src/http/*.cpp.
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "mizu/backend/accounts.hpp"
#include "mizu/errors.hpp"
#include "mizu/i18n.hpp"

namespace mizu::backend::http {

// ?lang=en|ja wins, then Accept-Language, then Japanese.
Lang RequestLang(const httplib::Request& req);
// The one JSON writer: status, no-store, application/json. Strings that are not UTF-8 make the dump throw
// (a 500 through the exception handler) unless `invalid` is kReplace (U+FFFD; for echoes of raw input).
enum class InvalidUtf8 { kThrow, kReplace };
void SendJson(httplib::Response& res, int status, const nlohmann::json& body,
              InvalidUtf8 invalid = InvalidUtf8::kThrow);
// The same for a JSON text already written (JsonWriter, json_writer.hpp).
void SendJsonText(httplib::Response& res, int status, std::string json_text);
// {"error":{"code","message","fields":{name:{"code","message"}}}} with messages in the request's language.
void SendError(const httplib::Request& req, httplib::Response& res, int status, ErrorCode code,
               const std::vector<FieldError>& fields = {});
// The one JSON body reader: the body as a JSON object. Throws ServiceError 415 unsupported_media_type unless
// the Content-Type starts with application/json, 400 invalid_json unless the body parses to an object.
nlohmann::json ReadJsonBody(const httplib::Request& req);
// ReadJsonBody for a handler outside the guard.hpp wrappers: on failure sends that error, returns nullopt.
std::optional<nlohmann::json> ReadJsonObject(const httplib::Request& req, httplib::Response& res);

// Reads a body through the route's content reader into `body`, stopping as soon as it passes `limit` bytes
// (a chunked body has no declared length to refuse it by beforehand).
enum class BodyRead { kComplete, kTooLarge, kBroken };
BodyRead ReadBodyWithin(const httplib::ContentReader& reader, size_t limit, std::string& body);
// Reads and drops a body of at most `limit` bytes; false when it is longer or the connection broke.
bool DrainBodyWithin(const httplib::ContentReader& reader, size_t limit);

// The value of one cookie of the request, "" if absent.
std::string CookieValue(const httplib::Request& req, const std::string& name);
// The Bearer token of the Authorization header, "" if absent.
std::string BearerToken(const httplib::Request& req);
// True when a state-changing request comes from our own pages (Origin matches Host; Sec-Fetch-Site is
// same-origin or none). Requests without either header (non-browser clients) pass: they carry no cookies
// a third-party page could have made them send.
bool SameOriginOrNonBrowser(const httplib::Request& req);

}  // namespace mizu::backend::http
