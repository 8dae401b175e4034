// Bureau notices to chosen contracts (staff_work.hpp): a supervisor writes a bureau or outage (断水・濁水)
// notice for every contract, a list of customer numbers or a district (an address prefix), previews how many
// it reaches and publishes it. The rows and mails are the notices service's (PostContractNotice); this file
// resolves the target, keeps the published notice with its counts and audits it.
#include <algorithm>
#include <set>

#include "mizu/backend/accounts.hpp"
#include "mizu/backend/billing.hpp"
#include "mizu/backend/notices.hpp"
#include "mizu/backend/staff_work.hpp"
#include "mizu/text.hpp"

namespace mizu::backend {
namespace {

constexpr size_t kMaxTitleChars = 100;
constexpr size_t kMaxBodyChars = 4000;
constexpr int64_t kDuplicateSeconds = 600;  // the same notice again within this: a double click, a retry

const char* TargetName(NoticeTarget t) {
  return t == NoticeTarget::kAll ? "all" : t == NoticeTarget::kList ? "list" : "district";
}

// The draft's texts and period, checked and normalised; field errors into `errors`.
ContractNotice CheckTexts(const StaffNoticeDraft& d, int64_t now, std::vector<FieldError>& errors) {
  ContractNotice n;
  n.kind = d.kind;
  if (d.kind != "bureau" && d.kind != "outage") errors.push_back({std::string(err::kInvalidFormat), "kind"});
  auto text = [&](const std::string& in, const char* field, size_t max, bool title, bool required) {
    std::string v = title ? NormalizeText(in) : NormalizeMultiline(in);
    if (v.empty()) {
      if (required) errors.push_back({std::string(err::kRequired), field});
    } else if (auto e = title ? ValidateTextField(v, max) : ValidateMultilineField(v, max)) {
      errors.push_back({std::string(*e), field});
    }
    return v;
  };
  n.title_ja = text(d.title_ja, "title_ja", kMaxTitleChars, true, true);
  n.body_ja = text(d.body_ja, "body_ja", kMaxBodyChars, false, true);
  n.title_en = text(d.title_en, "title_en", kMaxTitleChars, true, false);
  n.body_en = text(d.body_en, "body_en", kMaxBodyChars, false, false);
  // A period a bureau means: from at most a day back (a notice dated this morning) to a year ahead, ending
  // after it starts and within five years (a date typed with the wrong year is refused, not kept unseen).
  constexpr int64_t kDay = 86400;
  n.published_at = d.published_at ? d.published_at : now;
  n.ends_at = d.ends_at;
  if (n.published_at < now - kDay || n.published_at > now + 366 * kDay)
    errors.push_back({std::string(err::kNoticePeriodInvalid), "published_at"});
  if (d.ends_at && (d.ends_at <= n.published_at || d.ends_at <= now || d.ends_at > now + 5 * 366 * kDay))
    errors.push_back({std::string(err::kNoticePeriodInvalid), "ends_at"});
  return n;
}

struct Reached {
  std::vector<std::string> numbers;  // the contracts, sorted, each once
  std::string detail;                // what the target was: "", the prefix, or the numbers
  std::string field;                 // the field a target that reaches nothing is reported on
};

// The contracts the draft's target reaches; field errors into `errors` (the list's bad entries).
Reached Resolve(Database& db, const StaffNoticeDraft& d, const CustomerNumberFormat& format,
                std::vector<FieldError>& errors) {
  Reached r;
  if (d.target == NoticeTarget::kList) {
    r.field = "customer_numbers";
    std::set<std::string> numbers;
    for (size_t i = 0; i < d.customer_numbers.size(); ++i) {
      const std::string field = "customer_numbers[" + std::to_string(i) + "]";
      auto cn = NormalizeCustomerNumber(d.customer_numbers[i]);
      if (!cn || ValidateCustomerNumber(*cn, format)) {
        errors.push_back({std::string(err::kCustomerNumberInvalid), field});
        continue;
      }
      if (!CustomerExists(db, *cn))
        errors.push_back({std::string(err::kContractNotFound), field});
      else
        numbers.insert(*cn);
    }
    if (d.customer_numbers.empty()) errors.push_back({std::string(err::kRequired), r.field});
    r.numbers.assign(numbers.begin(), numbers.end());
    for (const auto& cn : r.numbers) r.detail += (r.detail.empty() ? "" : ",") + cn;
    return r;
  }
  // All and district: the contracts in force (not closed).
  std::string prefix;
  if (d.target == NoticeTarget::kDistrict) {
    r.field = "district";
    prefix = NormalizeText(d.district);
    if (prefix.empty()) {
      errors.push_back({std::string(err::kRequired), r.field});
      return r;
    }
    r.detail = prefix;
  } else {
    r.field = "target";
  }
  auto q = db.Prepare(
      "SELECT customer_number, address FROM customers WHERE status != 'closed' ORDER BY customer_number");
  while (q.Step()) {
    // The CIS sends addresses as they are kept there: compare both sides width-normalised.
    if (prefix.empty() || NormalizeText(q.Text(1)).rfind(prefix, 0) == 0) r.numbers.push_back(q.Text(0));
  }
  return r;
}

// Checks the draft and resolves its target: the notice and the contracts, or ServiceError 400.
std::pair<ContractNotice, Reached> CheckDraft(App& app, Database& db, const StaffNoticeDraft& d,
                                              int64_t now) {
  std::vector<FieldError> errors;
  ContractNotice n = CheckTexts(d, now, errors);
  Reached r = Resolve(db, d, app.config.utility.customer_number, errors);
  if (errors.empty() && r.numbers.empty()) errors.push_back({std::string(err::kNoticeNoContracts), r.field});
  if (!errors.empty()) throw ServiceError(400, errors.front().code, errors);
  return {n, r};
}

std::string Describe(NoticeTarget target, const Reached& r) {
  switch (target) {
    case NoticeTarget::kAll:
      return "all";
    case NoticeTarget::kDistrict:
      return "district " + r.detail;
    case NoticeTarget::kList:
      break;
  }
  return "list " + std::to_string(r.numbers.size());
}

constexpr const char* kRowSql =
    "SELECT n.id, n.kind, n.title_ja, n.title_en, n.published_at, COALESCE(n.ends_at, 0), n.target, "
    "n.target_detail, n.contracts, n.mailed, COALESCE(s.email, ''), n.created_at FROM bureau_notices n "
    "LEFT JOIN staff s ON s.id = n.staff_id ";

StaffNoticeRow ReadRow(Statement& q) {
  return {q.Int(0),  q.Text(1), q.Text(2), q.Text(3), q.Int(4),   q.Int(5),
          q.Text(6), q.Text(7), q.Int(8),  q.Int(9),  q.Text(10), q.Int(11)};
}

// The same notice published within kDuplicateSeconds (a double click, a retried request), if any.
std::optional<StaffNoticeRow> Duplicate(Database& db, const ContractNotice& n, const StaffNoticeDraft& d,
                                        const char* target, const std::string& detail, int64_t now) {
  auto q =
      db.Prepare(std::string(kRowSql) +
                 "WHERE n.created_at > ?1 AND n.kind = ?2 AND n.title_ja = ?3 AND n.body_ja = ?4 "
                 "AND n.title_en = ?5 AND n.body_en = ?6 AND COALESCE(n.ends_at, 0) = ?7 "
                 "AND n.target = ?8 AND n.target_detail = ?9 "
                 "AND (CASE WHEN ?10 = 0 THEN n.published_at = n.created_at ELSE n.published_at = ?10 END) "
                 "ORDER BY n.id LIMIT 1");
  q.Bind(1, now - kDuplicateSeconds).Bind(2, n.kind).Bind(3, n.title_ja).Bind(4, n.body_ja);
  q.Bind(5, n.title_en).Bind(6, n.body_en).Bind(7, n.ends_at).Bind(8, target).Bind(9, detail);
  q.Bind(10, d.published_at);
  if (!q.Step()) return std::nullopt;
  StaffNoticeRow row = ReadRow(q);
  row.duplicate = true;
  return row;
}

}  // namespace

NoticePreview PreviewStaffNotice(App& app, const StaffNoticeDraft& draft, int64_t now) {
  return ReadDb(app, [&](Database& db) {
    auto [notice, reached] = CheckDraft(app, db, draft, now);
    NoticeReach reach = NoticeReachOf(db, notice, reached.numbers, now);
    return NoticePreview{reach.contracts, reach.mailed, Describe(draft.target, reached)};
  });
}

StaffNoticeRow PublishStaffNotice(App& app, const StaffSession& staff, const StaffNoticeDraft& draft,
                                  const std::string& client, int64_t now) {
  StaffNoticeRow row = WriteDb(app, [&](Database& db) {
    auto [notice, reached] = CheckDraft(app, db, draft, now);
    const char* target = TargetName(draft.target);
    if (auto dup = Duplicate(db, notice, draft, target, reached.detail, now)) return *dup;
    auto insert = db.Prepare(
        "INSERT INTO bureau_notices (kind, title_ja, body_ja, title_en, body_en, published_at, ends_at, "
        "target, target_detail, contracts, mailed, staff_id, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?, 0, 0, ?, ?)");
    insert.Bind(1, notice.kind).Bind(2, notice.title_ja).Bind(3, notice.body_ja).Bind(4, notice.title_en);
    insert.Bind(5, notice.body_en).Bind(6, notice.published_at).Bind(7, notice.ends_at).Bind(8, target);
    insert.Bind(9, reached.detail).Bind(10, staff.staff_id).Bind(11, now).Run();
    const int64_t id = db.LastInsertId();
    notice.ref = "bureau:" + std::to_string(id);
    const NoticeReach reach = PostContractNotice(app, db, notice, reached.numbers, now);
    db.Prepare("UPDATE bureau_notices SET contracts = ?, mailed = ? WHERE id = ?")
        .Bind(1, reach.contracts)
        .Bind(2, reach.mailed)
        .Bind(3, id)
        .Run();
    const std::string description = Describe(draft.target, reached);
    StaffAudit(db, {.at = now,
                    .staff_id = staff.staff_id,
                    .action = "notice_published",
                    .target = "#" + std::to_string(id) + " " + notice.kind + " " + description + " (" +
                              std::to_string(reach.contracts) + " contracts)",
                    .reason = notice.title_ja,
                    .client = client});
    auto q = db.Prepare(std::string(kRowSql) + "WHERE n.id = ?");
    q.Bind(1, id);
    q.Step();
    return ReadRow(q);
  });
  if (!row.duplicate && row.mailed > 0) NotifyMail(app);
  return row;
}

std::vector<StaffNoticeRow> ListStaffNotices(App& app, int limit) {
  const int n = std::clamp(limit, 1, 200);
  return ReadDb(app, [&](Database& db) {
    auto q = db.Prepare(std::string(kRowSql) + "ORDER BY n.created_at DESC, n.id DESC LIMIT ?");
    q.Bind(1, int64_t{n});
    std::vector<StaffNoticeRow> out;
    while (q.Step()) out.push_back(ReadRow(q));
    return out;
  });
}

}  // namespace mizu::backend
