// The counter's look-up and actions on a resident's account (staff.hpp): find a customer by what the caller
// can tell, end sessions, paper notices on/off, withdraw on request. Each is audited with its reason.
#include <algorithm>

#include "mizu/backend/accounts.hpp"
#include "mizu/backend/audit_log.hpp"
#include "mizu/backend/notices.hpp"
#include "mizu/backend/push.hpp"
#include "mizu/backend/staff.hpp"
#include "mizu/errors.hpp"
#include "mizu/text.hpp"

namespace mizu::backend {
namespace {

// 「******3456」: only the last four digits, enough to compare with what the caller reads out.
std::string MaskPhone(const std::string& phone) {
  std::string digits;
  for (char c : phone)
    if (c >= '0' && c <= '9') digits += c;
  const size_t keep = std::min<size_t>(4, digits.size() / 2);
  return std::string(digits.size() - keep, '*') + digits.substr(digits.size() - keep);
}

constexpr const char* kRowSql =
    "SELECT c.customer_number, c.holder_name, c.holder_kana, c.address, c.bureau_phone, c.smart_meter, "
    "c.paper_notice, COALESCE(l.account_id, 0), COALESCE(a.email, ''), COALESCE(a.mobile, ''), "
    "COALESCE(l.relationship, ''), COALESCE(l.linked_at, 0), COALESCE(l.visible_from, 0), "
    "(SELECT count(*) FROM sessions s WHERE s.account_id = l.account_id), "
    "EXISTS (SELECT 1 FROM watches w WHERE w.customer_number = c.customer_number) "
    "FROM customers c LEFT JOIN contract_links l ON l.customer_number = c.customer_number "
    "LEFT JOIN accounts a ON a.id = l.account_id ";

StaffContractRow ReadRow(Statement& q, const CustomerNumberFormat& format) {
  StaffContractRow r;
  r.customer_number = q.Text(0);
  r.display_number = FormatCustomerNumber(r.customer_number, format);
  r.holder_name = q.Text(1);
  r.holder_kana = q.Text(2);
  r.address = q.Text(3);
  r.bureau_phone_masked = MaskPhone(q.Text(4));
  r.smart_meter = q.Int(5) != 0;
  r.paper_notice = q.Int(6) != 0;
  r.account_id = q.Int(7);
  r.account_login = !q.Text(8).empty() ? q.Text(8) : q.Text(9).empty() ? "" : MaskPhone(q.Text(9));
  r.relationship = q.Text(10);
  r.linked_at = q.Int(11);
  r.visible_from = q.Int(12);
  r.sessions = static_cast<int>(q.Int(13));
  r.watched = q.Int(14) != 0;
  return r;
}

// 「mu****@example.net」: enough for the caller to recognise an address they read out, not to write to it.
std::string MaskEmail(const std::string& email) {
  const size_t at = email.find('@');
  if (at == std::string::npos) return MaskPhone(email);
  const size_t keep = at >= 4 ? 2 : at >= 2 ? 1 : 0;
  return email.substr(0, keep) + std::string(at - keep, '*') + email.substr(at);
}

void RequireAccount(Database& db, int64_t account_id) {
  auto q = db.Prepare("SELECT 1 FROM accounts WHERE id = ?");
  q.Bind(1, account_id);
  if (!q.Step()) throw ServiceError(404, err::kNotFound);
}

}  // namespace

void RequireReason(const std::string& reason) {
  const std::string r = NormalizeText(reason);
  if (r.empty()) throw ServiceError(400, err::kRequired, {{std::string(err::kRequired), "reason"}});
  if (Utf8Length(r) > 200) throw ServiceError(400, err::kTooLong, {{std::string(err::kTooLong), "reason"}});
}

std::vector<StaffContractRow> FindCustomers(App& app, const StaffSession& staff, const std::string& query,
                                            const std::string& client, int64_t now) {
  const std::string q = NormalizeText(query);
  const auto& format = app.config.utility.customer_number;
  std::string where;
  std::string value;
  if (q.find('@') != std::string::npos) {
    where = "WHERE a.email = ?1 COLLATE NOCASE";
    value = NormalizeEmail(q);
  } else if (auto mobile = NormalizeMobile(q); mobile && !ValidateMobile(*mobile)) {
    where = "WHERE a.mobile = ?1";
    value = *mobile;
  } else if (auto number = NormalizeCustomerNumber(q);
             number && !number->empty() && number->size() <= static_cast<size_t>(format.digits)) {
    // The digits as printed, or without the leading zeros (「8002」 for 0-0000008002).
    where = "WHERE c.customer_number = ?1";
    value = std::string(format.digits - number->size(), '0') + *number;
  } else if (const std::string kana = NormalizeKanaName(q);
             Utf8Length(kana) >= 2 && !ValidateKanaName(kana)) {
    where = "WHERE replace(c.holder_kana, ' ', '') LIKE ?1 || '%'";
    value.clear();
    for (char c : kana)
      if (c != ' ') value += c;
  } else {
    throw ServiceError(400, err::kInvalidFormat, {{std::string(err::kInvalidFormat), "q"}});
  }
  return WriteDb(app, [&](Database& db) {
    auto s = db.Prepare(std::string(kRowSql) + where + " ORDER BY c.customer_number LIMIT 50");
    s.Bind(1, value);
    std::vector<StaffContractRow> out;
    while (s.Step()) out.push_back(ReadRow(s, format));
    // Filed under the customer when the search found exactly one (a search by number, address or phone).
    StaffAudit(db, {.at = now,
                    .staff_id = staff.staff_id,
                    .action = "lookup",
                    .customer_number = out.size() == 1 ? out[0].customer_number : std::string(),
                    .target = q,
                    .client = client});
    return out;
  });
}

StaffAccountView StaffViewAccount(App& app, const StaffSession& staff, int64_t account_id,
                                  const std::string& client, int64_t now) {
  StaffAccountView v;
  v.account_id = account_id;
  const auto& format = app.config.utility.customer_number;
  WriteDb(app, [&](Database& db) {
    auto a = db.Prepare(
        "SELECT COALESCE(email, ''), COALESCE(mobile, ''), lang, "
        "(SELECT count(*) FROM sessions s WHERE s.account_id = accounts.id) FROM accounts WHERE id = ?");
    a.Bind(1, account_id);
    if (!a.Step()) throw ServiceError(404, err::kNotFound);
    v.login = !a.Text(0).empty() ? a.Text(0) : MaskPhone(a.Text(1));
    v.lang = a.Text(2);
    v.sessions = static_cast<int>(a.Int(3));
    a.Reset();
    auto c = db.Prepare(
        "SELECT l.customer_number, l.relationship, l.is_primary, l.visible_from, COALESCE(w.id, 0) "
        "FROM contract_links l LEFT JOIN watches w ON w.customer_number = l.customer_number "
        "WHERE l.account_id = ? ORDER BY l.is_primary DESC, l.linked_at");
    c.Bind(1, account_id);
    auto hours = db.Prepare("SELECT start_hour FROM watch_hours WHERE watch_id = ? ORDER BY start_hour");
    auto recipients = db.Prepare(
        "SELECT name, email, stopped_at IS NOT NULL FROM watch_recipients WHERE watch_id = ? "
        "ORDER BY position");
    while (c.Step()) {
      StaffAccountContract k;
      k.customer_number = c.Text(0);
      k.display_number = FormatCustomerNumber(k.customer_number, format);
      k.relationship = c.Text(1);
      k.primary = c.Int(2) != 0;
      k.visible_from = c.Int(3);
      const int64_t watch = c.Int(4);
      k.watched = watch != 0;
      if (watch) {
        hours.Reset();
        hours.Bind(1, watch);
        while (hours.Step()) k.start_hours.push_back(static_cast<int>(hours.Int(0)));
        recipients.Reset();
        recipients.Bind(1, watch);
        while (recipients.Step())
          k.recipients.push_back({recipients.Text(0), MaskEmail(recipients.Text(1)), recipients.Int(2) != 0});
      }
      v.contracts.push_back(std::move(k));
    }
    StaffAudit(db, {.at = now,
                    .staff_id = staff.staff_id,
                    .action = "account_viewed",
                    .account_id = account_id,
                    .customer_number = AccountCustomerNumber(db, account_id),
                    .client = client});
  });
  v.email_notices = GetNotificationSettings(app, account_id).email;
  return v;
}

void StaffEndSessions(App& app, const StaffSession& staff, int64_t account_id, const std::string& reason,
                      const std::string& client, int64_t now) {
  RequireReason(reason);
  WriteDb(app, [&](Database& db) {
    RequireAccount(db, account_id);
    db.Prepare("DELETE FROM sessions WHERE account_id = ?").Bind(1, account_id).Run();
    EndPushDevices(db, account_id, now, "sessions ended by staff");
    Audit(db, account_id, "sessions_ended_by_staff", "", now);
    StaffAudit(db, {.at = now,
                    .staff_id = staff.staff_id,
                    .action = "sessions_ended",
                    .account_id = account_id,
                    .customer_number = AccountCustomerNumber(db, account_id),
                    .reason = NormalizeText(reason),
                    .client = client});
  });
}

void StaffSetPaperNotice(App& app, const StaffSession& staff, const std::string& customer_number_input,
                         bool paper, const std::string& reason, const std::string& client, int64_t now) {
  RequireReason(reason);
  const auto number = NormalizeCustomerNumber(customer_number_input);
  if (!number) throw ServiceError(404, err::kContractNotFound);
  WriteDb(app, [&](Database& db) {
    auto u = db.Prepare("UPDATE customers SET paper_notice = ?, updated_at = ? WHERE customer_number = ?");
    u.Bind(1, int64_t{paper ? 1 : 0}).Bind(2, now).Bind(3, *number).Run();
    if (db.Changes() != 1) throw ServiceError(404, err::kContractNotFound);
    StaffAudit(db, {.at = now,
                    .staff_id = staff.staff_id,
                    .action = paper ? "paper_notice_on" : "paper_notice_off",
                    .customer_number = *number,
                    .reason = NormalizeText(reason),
                    .client = client});
  });
}

void StaffWithdraw(App& app, const StaffSession& staff, int64_t account_id, const std::string& reason,
                   const std::string& client, int64_t now) {
  RequireReason(reason);
  ReadDb(app, [&](Database& db) { RequireAccount(db, account_id); });
  // The staff entry first: the account's own rows go with it.
  WriteDb(app, [&](Database& db) {
    StaffAudit(db, {.at = now,
                    .staff_id = staff.staff_id,
                    .action = "account_withdrawn",
                    .account_id = account_id,
                    .customer_number = AccountCustomerNumber(db, account_id),
                    .reason = NormalizeText(reason),
                    .client = client});
  });
  WithdrawAccount(app, account_id, "by staff", now);
}

}  // namespace mizu::backend
