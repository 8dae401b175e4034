#pragma once
// What the account route files (routes_signup, routes_login, routes_me, routes_contracts) share: reading the
// fields of a JSON body into field errors, and the JSON shape of a contract.
#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http_util.hpp"
#include "mizu/backend/accounts.hpp"
#include "mizu/errors.hpp"

namespace mizu::backend::http {

// ServiceError 400 with the first error's code and every field error, unless `errors` is empty.
void ThrowIfErrors(const std::vector<FieldError>& errors);
// The string `field` of j (at most `max` bytes; absent is "" unless required); shape errors go to `errors`.
std::string StringField(const nlohmann::json& j, const char* field, std::vector<FieldError>& errors,
                        size_t max = 256, bool required = true);
// The login ID of a sign-up or password-reset request: {"mobile": "090-1234-5678"} (full-width digits and
// hyphens accepted; a bad number is mobile_invalid on "mobile") or {"email": …} (where a mobile number is
// also accepted). The accounts layer tells the two apart: a mobile ID has no '@'.
std::string LoginIdField(const nlohmann::json& j, std::vector<FieldError>& errors);

// The fields of BodyStrings: a required string of at most `max` bytes (StringField), or the login ID
// (LoginIdField).
struct BodyText {
  const char* name;
  size_t max;
};
struct BodyLoginId {};
inline std::string ReadBodyField(const nlohmann::json& j, const BodyText& f,
                                 std::vector<FieldError>& errors) {
  return StringField(j, f.name, errors, f.max);
}
inline std::string ReadBodyField(const nlohmann::json& j, BodyLoginId, std::vector<FieldError>& errors) {
  return LoginIdField(j, errors);
}
// The JSON body of req (ReadJsonBody) read into these string fields, in order; ServiceError 400 with every
// field error (ThrowIfErrors) when one is missing or bad. The reader of a body that only has strings:
//   auto [email, code] = BodyStrings(req, BodyLoginId{}, BodyText{"code", 32});
template <class... Field>
std::array<std::string, sizeof...(Field)> BodyStrings(const httplib::Request& req, const Field&... fields) {
  const nlohmann::json j = ReadJsonBody(req);
  std::vector<FieldError> errors;
  std::array<std::string, sizeof...(Field)> out{ReadBodyField(j, fields, errors)...};  // left to right
  ThrowIfErrors(errors);
  return out;
}

// A linked contract as GET /api/v1/contracts and /api/v1/me list it.
nlohmann::json ContractJson(const ContractView& c);

}  // namespace mizu::backend::http
