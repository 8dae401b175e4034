// 契約内容のご確認 (M15): the contracts linked to an account, 契約の追加, ポータルでの利用を中止する,
// 優先表示.
#include "common.hpp"
#include "mizu/text.hpp"
#include "mizu/time.hpp"

namespace mizu::backend {

using namespace accounts;

namespace {

constexpr const char* kSelectContract =
    "SELECT l.customer_number, c.holder_name, c.address, l.relationship, l.is_primary, c.smart_meter, "
    "c.diameter_mm, l.linked_at, l.visible_from FROM contract_links l "
    "JOIN customers c ON c.customer_number = l.customer_number ";

ContractView Read(Statement& q, const CustomerNumberFormat& fmt) {
  ContractView v;
  v.customer_number = q.Text(0);
  v.display_number = FormatCustomerNumber(v.customer_number, fmt);
  v.holder_name = q.Text(1);
  v.address = q.Text(2);
  v.relationship = q.Text(3);
  v.primary = q.Int(4) != 0;
  v.smart_meter = q.Int(5) != 0;
  v.diameter_mm = static_cast<int>(q.Int(6));
  v.linked_at = q.Int(7);
  v.visible_from = q.Int(8);
  return v;
}

std::optional<std::string> RelationshipCode(const std::string& input) {
  if (input == "self" || input == "本人") return "self";
  if (input == "family" || input == "家族") return "family";
  if (input == "other" || input == "その他") return "other";
  return std::nullopt;
}

std::string RequireCustomerNumber(const App& app, const std::string& input) {
  auto cn = NormalizeCustomerNumber(input);
  if (!cn || ValidateCustomerNumber(*cn, app.config.utility.customer_number))
    throw ServiceError(404, err::kContractNotFound);
  return *cn;
}

}  // namespace

std::vector<ContractView> ListContracts(App& app, int64_t account_id) {
  return ReadDb(app, [&](Database& db) {
    auto q = db.Prepare(std::string(kSelectContract) +
                        "WHERE l.account_id = ? ORDER BY l.is_primary DESC, l.linked_at, l.customer_number");
    q.Bind(1, account_id);
    std::vector<ContractView> out;
    while (q.Step()) out.push_back(Read(q, app.config.utility.customer_number));
    return out;
  });
}

ContractView RequireOwnContract(App& app, int64_t account_id, const std::string& customer_number_input) {
  std::string cn = RequireCustomerNumber(app, customer_number_input);
  return ReadDb(app, [&](Database& db) {
    // Put together once: every contract-scoped request checks ownership here.
    static const std::string sql =
        std::string(kSelectContract) + "WHERE l.customer_number = ? AND l.account_id = ?";
    auto q = db.Prepare(sql);
    q.Bind(1, cn).Bind(2, account_id);
    if (!q.Step()) throw ServiceError(404, err::kContractNotFound);
    return Read(q, app.config.utility.customer_number);
  });
}

ContractView AddContract(App& app, int64_t account_id, const AddContractRequest& r,
                         const std::string& client_key, int64_t now) {
  std::vector<FieldError> errors;
  IdentityClaim claim = ReadIdentityClaim(app, r.customer_number, r.bureau_phone, errors);
  const std::string cn = claim.customer_number;
  std::string kana = NormalizeKanaName(r.name_kana);
  if (auto e = ValidateKanaName(kana)) errors.push_back({std::string(*e), "name_kana"});
  auto relationship = RelationshipCode(r.relationship);
  if (!relationship)
    errors.push_back({std::string(err::kRelationshipInvalid), "relationship"});
  else if (*relationship != "self" && !r.consent)
    errors.push_back({std::string(err::kConsentRequired), "consent"});
  if (!errors.empty()) throw ServiceError(400, errors.front().code, errors);

  claim.name_kana = kana;
  IdentityProof proof(app, cn, "account:" + std::to_string(account_id), client_key, now);  // 429 when locked
  return WriteDb(app, [&](Database& db) {
    auto linked = proof.Check(db, claim);
    if (!linked) IdentityProof::ThrowMismatch(claim);
    if (*linked == account_id)
      throw ServiceError(409, err::kContractAlreadyLinked,
                         {{std::string(err::kContractAlreadyLinked), "customer_number"}});
    if (*linked != 0)
      throw ServiceError(409, err::kContractUnavailable,
                         {{std::string(err::kContractUnavailable), "customer_number"}});
    auto count = db.Prepare("SELECT COUNT(*) FROM contract_links WHERE account_id = ?");
    count.Bind(1, account_id);
    count.Step();
    int64_t n = count.Int(0);
    if (n >= kMaxContractsPerAccount) throw ServiceError(409, err::kContractLimit);
    auto link = db.Prepare(
        "INSERT INTO contract_links (customer_number, account_id, relationship, consent, is_primary, "
        "linked_at, "
        "visible_from) VALUES (?, ?, ?, ?, ?, ?, ?)");
    link.Bind(1, cn)
        .Bind(2, account_id)
        .Bind(3, *relationship)
        .Bind(4, int64_t{r.consent || *relationship == "self"});
    link.Bind(5, int64_t{n == 0}).Bind(6, now).Bind(7, VisibleFrom(now)).Run();
    db.Prepare("UPDATE customers SET paper_notice = 0 WHERE customer_number = ?").Bind(1, cn).Run();
    Audit(db, account_id, "contract_add", cn, now);
    // The new link as stored, read before the commit: no other request can change it in between.
    auto q = db.Prepare(std::string(kSelectContract) + "WHERE l.customer_number = ?");
    q.Bind(1, cn);
    q.Step();
    return Read(q, app.config.utility.customer_number);
  });
}

void RemoveContract(App& app, int64_t account_id, const std::string& customer_number, int64_t now) {
  ContractView c = RequireOwnContract(app, account_id, customer_number);
  if (c.primary) throw ServiceError(409, err::kContractPrimary);
  WriteDb(app, [&](Database& db) {
    db.Prepare("DELETE FROM contract_links WHERE customer_number = ? AND account_id = ?")
        .Bind(1, c.customer_number)
        .Bind(2, account_id)
        .Run();
    db.Prepare("UPDATE customers SET paper_notice = 1 WHERE customer_number = ?")
        .Bind(1, c.customer_number)
        .Run();
    Audit(db, account_id, "contract_remove", c.customer_number, now);
  });
}

void SetPrimaryContract(App& app, int64_t account_id, const std::string& customer_number, int64_t now) {
  ContractView c = RequireOwnContract(app, account_id, customer_number);
  WriteDb(app, [&](Database& db) {
    db.Prepare(
          "UPDATE contract_links SET is_primary = CASE WHEN customer_number = ? THEN 1 ELSE 0 END "
          "WHERE account_id = ?")
        .Bind(1, c.customer_number)
        .Bind(2, account_id)
        .Run();
    Audit(db, account_id, "contract_primary", c.customer_number, now);
  });
}

}  // namespace mizu::backend
