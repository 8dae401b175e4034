// Machine tokens for the utility's systems: the readings feed (scope "ingest") and the CIS imports
// ("import").
#pragma once

#include <cstdint>
#include <string>

namespace mizu::backend {

struct App;

// Creates a token for scope "ingest" or "import" and returns it (shown once; stored as its SHA-256).
// Throws ServiceError 400 invalid_format for another scope.
std::string CreateApiToken(App& app, const std::string& scope, const std::string& label, int64_t now);
// True when `token` (at most 128 bytes) is a live token of `scope`.
bool CheckApiToken(App& app, const std::string& token, const std::string& scope);

}  // namespace mizu::backend
