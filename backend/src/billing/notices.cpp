// お知らせ (M12): per-contract lists with read/unread per account, the top screen's list, bureau notices,
// and the notices staff send to chosen contracts.
#include "mizu/backend/notices.hpp"
#include "mizu/backend/push.hpp"

#include <set>

#include "common.hpp"
#include "mizu/backend/accounts.hpp"
#include "mizu/backend/billing.hpp"
#include "mizu/backend/catalog_messages.hpp"
#include "mizu/backend/mail.hpp"
#include "mizu/text.hpp"

namespace mizu::backend {

using namespace billing;

namespace {

// Columns of a notice in the caller's language (English falls back to Japanese when staff wrote none).
constexpr const char* kSelect =
    "SELECT n.id, n.kind, COALESCE(n.customer_number, ''), "
    "CASE WHEN ?1 = 'en' AND n.title_en != '' THEN n.title_en ELSE n.title_ja END, "
    "CASE WHEN ?1 = 'en' AND n.body_en != '' THEN n.body_en ELSE n.body_ja END, "
    "n.published_at, r.read_at IS NOT NULL FROM notices n "
    "LEFT JOIN notice_reads r ON r.notice_id = n.id AND r.account_id = ?2 ";
constexpr const char* kCountUnread =
    "SELECT COUNT(*) FROM notices n LEFT JOIN notice_reads r ON r.notice_id = n.id AND r.account_id = ?2 ";
// ?3 = customer number, ?4 = now.
constexpr const char* kContractWhere =
    "WHERE (n.customer_number = ?3 OR n.customer_number IS NULL) AND n.published_at <= ?4 "
    "AND (n.ends_at IS NULL OR n.ends_at > ?4) ";
// ?3 = now: the account's visible contracts and the notices to every contract.
constexpr const char* kAccountWhere =
    "WHERE n.published_at <= ?3 AND (n.ends_at IS NULL OR n.ends_at > ?3) AND (n.customer_number IS NULL OR "
    "n.customer_number IN (SELECT customer_number FROM contract_links WHERE account_id = ?2 AND visible_from "
    "<= ?3)) ";

NoticeList Query(App& app, const std::string& where, int64_t account_id, Lang lang,
                 const std::vector<std::string>& texts, const std::vector<int64_t>& ints, int limit) {
  auto bind = [&](Statement& q) {
    q.Bind(1, LangTag(lang)).Bind(2, account_id);
    int i = 3;
    for (const auto& t : texts) q.Bind(i++, t);
    for (int64_t v : ints) q.Bind(i++, v);
  };
  return ReadDb(app, [&](Database& db) {
    NoticeList out;
    auto q = db.Prepare(std::string(kSelect) + where + "ORDER BY n.published_at DESC, n.id DESC LIMIT " +
                        std::to_string(limit));
    bind(q);
    while (q.Step())
      out.notices.push_back({q.Int(0), q.Text(1), q.Text(2), q.Text(3), q.Text(4), q.Int(5), q.Int(6) != 0});
    // The count does not use ?1; binding it is still valid (SQLite numbers parameters up to the highest
    // used).
    auto c = db.Prepare(std::string(kCountUnread) + where + "AND r.read_at IS NULL");
    bind(c);
    c.Step();
    out.unread = static_cast<int>(c.Int(0));
    return out;
  });
}

std::string OneLine(const std::string& s) {
  std::string out;
  for (char c : s) out += (c == '\r' || c == '\n' || c == '\t') ? ' ' : c;
  return CollapseSpaces(out);
}

// The accounts a notice of `kind` to these contracts mails at `now`, each once (MailTargetFor: linked,
// visible, an e-mail address, that kind on).
std::vector<MailTarget> Recipients(Database& db, const std::vector<std::string>& customer_numbers,
                                   const std::string& kind, int64_t now) {
  std::vector<MailTarget> out;
  std::set<int64_t> seen;
  for (const auto& cn : customer_numbers)
    if (auto t = MailTargetFor(db, cn, kind, now); t && seen.insert(t->account_id).second) out.push_back(*t);
  return out;
}

}  // namespace

NoticeList ListContractNotices(App& app, int64_t account_id, const std::string& customer_number, Lang lang,
                               int64_t now, int limit) {
  return Query(app, kContractWhere, account_id, lang, {customer_number}, {now}, limit);
}

NoticeList ListAccountNotices(App& app, int64_t account_id, Lang lang, int64_t now, int limit) {
  return Query(app, kAccountWhere, account_id, lang, {}, {now}, limit);
}

void MarkNoticeRead(App& app, int64_t account_id, const std::string& customer_number, int64_t notice_id,
                    int64_t now) {
  // Not WriteDb/ReadDb: a check, then a write in autocommit, under one hold.
  WriterLock lock(app);
  auto& db = *app.db;
  auto q = db.Prepare(
      "SELECT 1 FROM notices WHERE id = ?1 AND (customer_number = ?2 OR customer_number IS NULL) AND "
      "published_at <= ?3 AND (ends_at IS NULL OR ends_at > ?3)");
  q.Bind(1, notice_id).Bind(2, customer_number).Bind(3, now);
  if (!q.Step()) throw ServiceError(404, err::kNoticeNotFound);
  q.Reset();  // end the read before writing (a stale WAL snapshot cannot be upgraded to a write)
  auto mark = db.Prepare(
      "INSERT INTO notice_reads (notice_id, account_id, read_at) VALUES (?, ?, ?) "
      "ON CONFLICT DO NOTHING");
  mark.Bind(1, notice_id).Bind(2, account_id).Bind(3, now).Run();
}

int64_t PostBureauNotice(App& app, const BureauNotice& n, int64_t now) {
  NoticeText text{OneLine(n.title_ja), n.body_ja, OneLine(n.title_en), n.body_en};
  std::vector<FieldError> errors;
  if (text.title_ja.empty()) errors.push_back({std::string(err::kRequired), "title_ja"});
  if (text.body_ja.empty()) errors.push_back({std::string(err::kRequired), "body_ja"});
  std::string cn;
  if (!n.customer_number.empty()) {
    auto digits = NormalizeCustomerNumber(n.customer_number);
    if (!digits || ValidateCustomerNumber(*digits, app.config.utility.customer_number))
      errors.push_back({std::string(err::kCustomerNumberInvalid), "customer_number"});
    else
      cn = *digits;
  }
  if (!errors.empty()) throw ServiceError(400, errors.front().code, errors);
  int64_t published = n.published_at ? n.published_at : now;
  int64_t id = 0;
  bool mailed = false;
  WriteDb(app, [&](Database& db) {
    if (!cn.empty() && !CustomerExists(db, cn)) {
      throw ServiceError(404, err::kContractNotFound,
                         {{std::string(err::kContractNotFound), "customer_number"}});
    }
    id = InsertNotice(db, cn, "bureau", "", text, published, now);
    if (published > now) return;  // scheduled: shown from then on, not mailed
    auto who = db.Prepare(
        "SELECT DISTINCT a.id, a.email, a.lang FROM accounts a JOIN contract_links l ON l.account_id = "
        "a.id "
        "WHERE l.visible_from <= ? AND (? = '' OR l.customer_number = ?) AND a.email IS NOT NULL ORDER BY "
        "a.id");
    who.Bind(1, now).Bind(2, cn).Bind(3, cn);
    while (who.Step()) {
      if (!WantsMail(db, who.Int(0), "bureau")) continue;
      Lang lang = ParseLang(who.Text(2));
      bool en = lang == Lang::kEn;
      std::string title = en && !text.title_en.empty() ? text.title_en : text.title_ja;
      std::string body = en && !text.body_en.empty() ? text.body_en : text.body_ja;
      EnqueueAccountNotice(
          db, who.Int(0),
          CatalogMail(app, lang, "mail.bureau_notice", who.Text(1), {{"title", title}, {"body", body}}),
          "/#/notices", now);
      mailed = true;
    }
  });
  if (mailed) NotifyMail(app);
  return id;
}

NoticeReach NoticeReachOf(Database& db, const ContractNotice& n,
                          const std::vector<std::string>& customer_numbers, int64_t now) {
  NoticeReach reach;
  reach.contracts = static_cast<int64_t>(customer_numbers.size());
  if (n.published_at <= now)
    reach.mailed = static_cast<int64_t>(Recipients(db, customer_numbers, n.kind, now).size());
  return reach;
}

NoticeReach PostContractNotice(const App& app, Database& db, const ContractNotice& n,
                               const std::vector<std::string>& customer_numbers, int64_t now) {
  const NoticeText text{OneLine(n.title_ja), n.body_ja, OneLine(n.title_en), n.body_en};
  NoticeReach reach;
  std::vector<std::string> stored;
  for (const auto& cn : customer_numbers)
    if (InsertNotice(db, cn, n.kind, n.ref, text, n.published_at, now, n.ends_at)) stored.push_back(cn);
  reach.contracts = static_cast<int64_t>(stored.size());
  if (n.published_at > now) return reach;  // scheduled: shown from then on, not mailed
  const std::string key = n.kind == "outage" ? "mail.outage_notice" : "mail.bureau_notice";
  for (const auto& t : Recipients(db, stored, n.kind, now)) {
    const bool en = t.lang == Lang::kEn;
    const std::string& title = en && !text.title_en.empty() ? text.title_en : text.title_ja;
    const std::string& body = en && !text.body_en.empty() ? text.body_en : text.body_ja;
    EnqueueAccountNotice(db, t.account_id,
                         CatalogMail(app, t.lang, key, t.email, {{"title", title}, {"body", body}}),
                         "/#/notices", now);
    ++reach.mailed;
  }
  return reach;
}

}  // namespace mizu::backend
