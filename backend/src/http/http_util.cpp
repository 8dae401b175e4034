#include "http_util.hpp"

#include "mizu/api.hpp"

namespace mizu::backend::http {

Lang RequestLang(const httplib::Request& req) {
  if (req.has_param("lang")) return ParseLang(req.get_param_value("lang"));
  return LangFromAcceptLanguage(req.get_header_value("Accept-Language"));
}

void SendJson(httplib::Response& res, int status, const nlohmann::json& body, InvalidUtf8 invalid) {
  SendJsonText(res, status,
               invalid == InvalidUtf8::kReplace
                   ? body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                   : body.dump());
}

void SendJsonText(httplib::Response& res, int status, std::string json_text) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  // Response::set_content copies its text (it takes a const reference): the library sets the Content-Type
  // for an empty body, then the answer is moved in (a year of usage is ~60 KB).
  res.set_content("", 0, "application/json; charset=utf-8");
  res.body = std::move(json_text);
}

void SendError(const httplib::Request& req, httplib::Response& res, int status, ErrorCode code,
               const std::vector<FieldError>& fields) {
  nlohmann::json body = api::MakeErrorBody(RequestLang(req), code, fields);
  SendJson(res, status, body);
}

nlohmann::json ReadJsonBody(const httplib::Request& req) {
  if (req.get_header_value("Content-Type").rfind("application/json", 0) != 0)
    throw ServiceError(415, err::kUnsupportedMediaType);
  auto body = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) throw ServiceError(400, err::kInvalidJson);
  return body;
}

std::optional<nlohmann::json> ReadJsonObject(const httplib::Request& req, httplib::Response& res) {
  try {
    return ReadJsonBody(req);
  } catch (const ServiceError& e) {
    SendError(req, res, e.status, e.code);
    return std::nullopt;
  }
}

BodyRead ReadBodyWithin(const httplib::ContentReader& reader, size_t limit, std::string& body) {
  bool over_limit = false;
  bool complete = reader([&](const char* data, size_t length) {
    if (body.size() + length > limit) {
      over_limit = true;
      return false;
    }
    body.append(data, length);
    return true;
  });
  return complete ? BodyRead::kComplete : over_limit ? BodyRead::kTooLarge : BodyRead::kBroken;
}

bool DrainBodyWithin(const httplib::ContentReader& reader, size_t limit) {
  size_t seen = 0;
  return reader([&](const char*, size_t length) {
    seen += length;
    return seen <= limit;
  });
}

std::string CookieValue(const httplib::Request& req, const std::string& name) {
  // The first Cookie header seen in place (this runs on every signed-in request; copies of the header and of
  // each item were four allocations), up to a NUL as get_header_value reads it: cpp-httplib 0.11 decodes
  // "%00" in header values.
  const auto [first, last] = req.headers.equal_range("Cookie");
  if (first == last) return "";
  std::string_view header = first->second;
  header = header.substr(0, header.find('\0'));
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view item = header.substr(pos, end - pos);
    size_t b = item.find_first_not_of(' ');
    if (b != std::string_view::npos) item.remove_prefix(b);
    if (item.size() > name.size() && item.compare(0, name.size(), name) == 0 && item[name.size()] == '=')
      return std::string(item.substr(name.size() + 1));
    pos = end + 1;
  }
  return "";
}

std::string BearerToken(const httplib::Request& req) {
  std::string h = req.get_header_value("Authorization");
  if (h.size() > 7 && (h.compare(0, 7, "Bearer ") == 0 || h.compare(0, 7, "bearer ") == 0))
    return h.substr(7);
  return "";
}

bool SameOriginOrNonBrowser(const httplib::Request& req) {
  std::string site = req.get_header_value("Sec-Fetch-Site");
  if (!site.empty() && site != "same-origin" && site != "none") return false;
  std::string origin = req.get_header_value("Origin");
  if (origin.empty()) return true;
  std::string host = req.get_header_value("Host");
  return origin == "http://" + host || origin == "https://" + host;
}

}  // namespace mizu::backend::http
