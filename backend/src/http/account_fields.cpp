// Request fields and response shapes of the account routes (see account_fields.hpp).
#include "account_fields.hpp"

#include "mizu/api.hpp"
#include "mizu/text.hpp"
#include "mizu/time.hpp"

namespace mizu::backend::http {

void ThrowIfErrors(const std::vector<FieldError>& errors) {
  if (!errors.empty()) throw ServiceError(400, errors.front().code, errors);
}

std::string StringField(const nlohmann::json& j, const char* field, std::vector<FieldError>& errors,
                        size_t max, bool required) {
  std::string out;
  api::ReadString(j, field, out, errors, required, max);
  return out;
}

std::string LoginIdField(const nlohmann::json& j, std::vector<FieldError>& errors) {
  if (!j.contains("mobile")) return StringField(j, "email", errors, 320);
  size_t before = errors.size();
  std::string input = StringField(j, "mobile", errors, 64);
  if (errors.size() != before) return "";
  auto mobile = NormalizeMobile(input);
  if (!mobile || ValidateMobile(*mobile)) {
    errors.push_back({std::string(err::kMobileInvalid), "mobile"});
    return "";
  }
  return *mobile;
}

nlohmann::json ContractJson(const ContractView& c) {
  return {{"customer_number", c.customer_number},   {"display_number", c.display_number},
          {"holder_name", c.holder_name},           {"address", c.address},
          {"relationship", c.relationship},         {"primary", c.primary},
          {"smart_meter", c.smart_meter},           {"diameter_mm", c.diameter_mm},
          {"linked_at", FormatIsoJst(c.linked_at)}, {"visible_from", FormatIsoJst(c.visible_from)}};
}

}  // namespace mizu::backend::http
