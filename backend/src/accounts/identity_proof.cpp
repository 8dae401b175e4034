// Identity proofs against the customer master (sign-up complete, 契約の追加), counted before they are
// checked.
#include <algorithm>

#include "common.hpp"

namespace mizu::backend::accounts {

IdentityClaim ReadIdentityClaim(const App& app, const std::string& customer_number,
                                const std::string& bureau_phone, std::vector<FieldError>& errors) {
  IdentityClaim claim;
  claim.customer_number = CustomerNumberField(app, customer_number, "customer_number", errors);
  claim.bureau_phone = PhoneField(bureau_phone, "bureau_phone", errors);
  return claim;
}

IdentityProof::IdentityProof(App& app, const std::string& customer_number, std::string account_key,
                             std::string client_key, int64_t now)
    : app_(app),
      keys_{"cn:" + customer_number, std::move(account_key), std::move(client_key)},
      reserved_at_(now) {
  RateDecision d = app_.identity_proofs.Reserve(keys_, now);
  if (!d.allowed) throw ServiceError(429, err::kRateLimited, {}, d.retry_after_seconds);
}

IdentityProof::~IdentityProof() {
  if (!counted_) app_.identity_proofs.Refund(keys_, reserved_at_);
}

std::optional<int64_t> IdentityProof::Check(Database& db, const IdentityClaim& claim) {
  auto c = db.Prepare(
      "SELECT c.bureau_phone, c.holder_kana, COALESCE(l.account_id, 0) FROM customers c LEFT JOIN "
      "contract_links l "
      "ON l.customer_number = c.customer_number WHERE c.customer_number = ? AND c.status != 'closed'");
  c.Bind(1, claim.customer_number);
  const bool found = c.Step();
  // An unknown number is compared against placeholders, so both paths do the same comparisons.
  std::string phone = found ? c.Text(0) : std::string(claim.bureau_phone.size(), '\0');
  // The master keeps the kana as the CIS sent it (half-width too): compare it normalised, as the claim is.
  std::string kana = found ? NormalizeKanaName(c.Text(1)) : std::string();
  const int64_t linked = found ? c.Int(2) : 0;
  c.Reset();
  auto squash = [](std::string s) {  // 「ヤマダ タロウ」 and 「ヤマダタロウ」 are the same holder
    std::erase(s, ' ');
    return s;
  };
  bool match = ConstantTimeEquals(phone, claim.bureau_phone);
  if (claim.name_kana) match = ConstantTimeEquals(squash(kana), squash(*claim.name_kana)) && match;
  if (found && match) return linked;
  counted_ = true;
  return std::nullopt;
}

void IdentityProof::ThrowMismatch(const IdentityClaim& claim) {
  std::vector<FieldError> fields = {{std::string(err::kIdentityMismatch), "customer_number"},
                                    {std::string(err::kIdentityMismatch), "bureau_phone"}};
  if (claim.name_kana) fields.push_back({std::string(err::kIdentityMismatch), "name_kana"});
  throw ServiceError(400, err::kIdentityMismatch, std::move(fields));
}

}  // namespace mizu::backend::accounts
