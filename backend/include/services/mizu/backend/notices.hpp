#pragma once
// お知らせ (M12) and 通知受信設定 (M13). A notice belongs to one contract (meter-reading and payment notices,
// created by the imports) or, for bureau notices posted by staff, to one contract or to every contract.
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

inline constexpr std::array<const char*, 3> kNoticeKinds = {"meter_reading", "payment", "bureau"};

struct NoticeView {
  int64_t id = 0;
  std::string kind;             // meter_reading | payment | bureau
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
