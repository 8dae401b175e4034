#pragma once
// お知らせ (M12) and 通知受信設定 (M13). A notice belongs to one contract (meter-reading and payment notices,
// created by the imports; bureau and outage notices staff send to chosen contracts) or, for bureau notices
// posted with PostBureauNotice, to every contract. A notice may end (ends_at): it is not shown after it.
// Read/unread is kept per account. Notice texts are stored in Japanese and English and shown in the request's
// language. Mail for a notice goes to the contract's account in the account's language unless the account
// turned that kind off.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mizu/backend/app.hpp"
#include "mizu/i18n.hpp"

namespace mizu::backend {

// Each kind's mail can be turned off (通知受信設定); outage is 断水・濁水.
inline constexpr std::array<const char*, 4> kNoticeKinds = {"meter_reading", "payment", "bureau", "outage"};

struct NoticeView {
  int64_t id = 0;
  std::string kind;             // meter_reading | payment | bureau | outage
  std::string customer_number;  // "" for a bureau notice to every contract
  std::string title;
  std::string body;
  int64_t published_at = 0;
  bool read = false;
};
struct NoticeList {
  std::vector<NoticeView> notices;  // newest first
  int unread = 0;                   // over the whole list, not only the returned page
};

// The notices of one contract (the caller's, visible: see RequireVisibleContract), newest first.
NoticeList ListContractNotices(App& app, int64_t account_id, const std::string& customer_number, Lang lang,
                               int64_t now, int limit = 50);
// The top screen: the notices of every contract of the account whose data is visible, newest first.
NoticeList ListAccountNotices(App& app, int64_t account_id, Lang lang, int64_t now, int limit = 20);
// Marks a notice of that contract read for the account (idempotent). 404 not_found for a notice not in the
// contract's list.
void MarkNoticeRead(App& app, int64_t account_id, const std::string& customer_number, int64_t notice_id,
                    int64_t now);

// A bureau notice as staff post it. English texts may be empty (the Japanese is shown).
struct BureauNotice {
  std::string customer_number;  // "" = every contract
  std::string title_ja, body_ja, title_en, body_en;
  int64_t published_at = 0;  // 0 = now; a later instant schedules it
};
// Stores it and mails (bureau kind) every account that holds an addressed contract and did not turn bureau
// mail off. Returns the notice id. ServiceError 400 when the Japanese title or body is empty.
int64_t PostBureauNotice(App& app, const BureauNotice& notice, int64_t now);

// A notice staff send to chosen contracts (staff_work.hpp): bureau (水道局からのお知らせ) or outage
// (断水・濁水). English texts may be empty (the Japanese is shown and mailed).
struct ContractNotice {
  std::string kind;  // bureau | outage
  std::string ref;   // per contract: a second post under the same ref stores and mails nothing new
  std::string title_ja, body_ja, title_en, body_en;
  int64_t published_at = 0;  // shown from then on; mailed only when already published at `now`
  int64_t ends_at = 0;       // 0: no end; not shown from then on
};
struct NoticeReach {
  int64_t contracts = 0;  // notices rows (one per contract)
  int64_t mailed = 0;     // accounts mailed: one mail per account, however many of its contracts are reached
};
// What posting `notice` to these contracts at `now` would do, without doing it: every contract, and the
// accounts that hold one, can already see it (visible_from), have an e-mail address and that kind's mail on.
NoticeReach NoticeReachOf(Database& db, const ContractNotice& notice,
                          const std::vector<std::string>& customer_numbers, int64_t now);
// Inside the caller's transaction: one notices row per contract (ref as above) and one mail per reached
// account (NoticeReachOf's), in the account's language. Returns the rows stored and the mails enqueued now;
// the caller calls NotifyMail after the commit.
NoticeReach PostContractNotice(const App& app, Database& db, const ContractNotice& notice,
                               const std::vector<std::string>& customer_numbers, int64_t now);

// ---- 通知受信設定 ----

struct NotificationSettings {
  std::string lang;                   // the account's language: mails are written in it ("ja" | "en")
  std::map<std::string, bool> email;  // per kind of kNoticeKinds; on unless turned off
};
NotificationSettings GetNotificationSettings(App& app, int64_t account_id);

struct NotificationSettingsUpdate {
  std::optional<std::string> lang;
  std::map<std::string, bool> email;  // only the kinds given change
};
// 400 with field errors for an unknown kind (email.<kind>) or language (lang).
NotificationSettings UpdateNotificationSettings(App& app, int64_t account_id,
                                                const NotificationSettingsUpdate& update, int64_t now);

}  // namespace mizu::backend
