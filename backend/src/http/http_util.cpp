#include "http_util.hpp"

#include "mizu/api.hpp"

namespace mizu::backend::http {

Lang RequestLang(const httplib::Request& req) {
  if (req.has_param("lang")) return ParseLang(req.get_param_value("lang"));
  return LangFromAcceptLanguage(req.get_header_value("Accept-Language"));
}

void SendJson(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(body.dump(), "application/json; charset=utf-8");
}

void SendError(const httplib::Request& req, httplib::Response& res, int status, ErrorCode code,
               const std::vector<FieldError>& fields) {
  nlohmann::json body = api::MakeErrorBody(RequestLang(req), code, fields);
  SendJson(res, status, body);
}

std::optional<nlohmann::json> ReadJsonObject(const httplib::Request& req, httplib::Response& res) {
  std::string type = req.get_header_value("Content-Type");
  if (type.rfind("application/json", 0) != 0) {
    SendError(req, res, 415, err::kUnsupportedMediaType);
    return std::nullopt;
  }
  auto body = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    SendError(req, res, 400, err::kInvalidJson);
    return std::nullopt;
  }
  return body;
}

}  // namespace mizu::backend::http
