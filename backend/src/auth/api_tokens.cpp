// Machine tokens for the utility's systems (scopes "ingest" and "import"): made from the CSPRNG, shown once,
// stored only as their hash (api_tokens table).
#include "mizu/backend/api_tokens.hpp"

#include "mizu/backend/accounts.hpp"
#include "mizu/backend/app.hpp"
#include "mizu/backend/auth.hpp"
#include "mizu/errors.hpp"

namespace mizu::backend {

std::string CreateApiToken(App& app, const std::string& scope, const std::string& label, int64_t now) {
  if (scope != "ingest" && scope != "import")
    throw ServiceError(400, err::kInvalidFormat, {{"invalid_format", "scope"}});
  std::string token = RandomToken();
  // One statement: atomic on its own, in WriteDb's transaction as it was in autocommit.
  WriteDb(app, [&](Database& db) {
    auto i = db.Prepare("INSERT INTO api_tokens (token_hash, scope, label, created_at) VALUES (?, ?, ?, ?)");
    i.Bind(1, HashSecret(token)).Bind(2, scope).Bind(3, label).Bind(4, now).Run();
  });
  return token;
}

bool CheckApiToken(App& app, const std::string& token, const std::string& scope) {
  if (token.empty() || token.size() > 128) return false;
  return ReadDb(app, [&](Database& db) {
    auto q = db.Prepare("SELECT 1 FROM api_tokens WHERE token_hash = ? AND scope = ?");
    q.Bind(1, HashSecret(token)).Bind(2, scope);
    return q.Step();
  });
}

}  // namespace mizu::backend
