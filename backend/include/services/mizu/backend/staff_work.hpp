#pragma once
// The staff's work queues (docs/staff.md): the applications queue (使用開始 / 使用中止, counter) and bureau
// notices to chosen contracts (お知らせ, supervisor). Each change is audited in the staff audit log inside
// its own transaction, with the mail it causes.
//   [X] applications: list by status (newest first, paged), open one with its status history, change the
//       status (received / scheduled / done / rejected) with a note; the applicant is mailed in the
//       application's language and sees the status (LookupApplication, applications.hpp)
//   [X] notices: bureau or outage (断水・濁水) to all contracts, a list of customer numbers or a district
//       (an address prefix); preview the reach, publish (one row per contract, one mail per account), list
//   [ ] a CIS district code (only the address prefix today)
//   [ ] mail for a notice published for later (a scheduled one is shown from then on, not mailed)
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mizu/backend/staff.hpp"

namespace mizu::backend {

// ---- Applications (使用開始 / 使用中止), counter ------------------------------------------------------

// The bureau's statuses, in the order an application moves through them.
inline constexpr const char* kApplicationStatuses[] = {"received", "scheduled", "done", "rejected"};
bool IsApplicationStatus(const std::string& status);
inline constexpr size_t kMaxStatusNoteChars = 1000;

struct StaffApplicationRow {
  int64_t id = 0;
  std::string reference, kind, status;  // kind move_in | move_out
  std::string name, name_kana, address, desired_date;
  int64_t created_at = 0, updated_at = 0;
};
struct StaffApplicationQuery {
  std::string status;     // "" = every status; otherwise one of kApplicationStatuses (400 invalid_format)
  int64_t before_id = 0;  // the next page: rows older than this one (0: from the newest)
  int limit = 50;         // 1..200
};
// Newest first.
std::vector<StaffApplicationRow> ListApplications(App& app, const StaffApplicationQuery& query);

struct ApplicationHistoryEntry {
  int64_t at = 0;
  std::string staff_email;  // "" when the staff account is gone
  std::string from_status, to_status, note;
};
struct StaffApplication {
  StaffApplicationRow row;
  std::string customer_number, postal_code, phone, email, payment_method, forwarding_address, lang;
  std::vector<ApplicationHistoryEntry> history;  // oldest first
};
// Every field the clerk needs, with the status history; audited as "application_viewed" (target = the
// reference). 404 application_not_found.
StaffApplication GetApplication(App& app, const StaffSession& staff, const std::string& reference,
                                const std::string& client, int64_t now);

// Moves the application to `status` with a note (required for rejected, at most kMaxStatusNoteChars: 400
// required / too_long on "note"; 400 invalid_format on "status"; 409 application_status_unchanged; 404
// application_not_found). In one transaction: the status, the history row, the staff audit entry
// ("application_status", target = the reference, reason = the note) and the applicant's mail in the
// application's language (the note is in it: it is written for the applicant).
StaffApplication SetApplicationStatus(App& app, const StaffSession& staff, const std::string& reference,
                                      const std::string& status, const std::string& note,
                                      const std::string& client, int64_t now);

// ---- Bureau notices (お知らせ), supervisor --------------------------------------------------------------

enum class NoticeTarget { kAll, kList, kDistrict };
struct StaffNoticeDraft {
  std::string kind = "bureau";                       // bureau | outage (断水・濁水)
  std::string title_ja, body_ja, title_en, body_en;  // Japanese required; English falls back to it
  int64_t published_at = 0;                          // 0 = now
  int64_t ends_at = 0;                               // 0 = no end; after published_at
  NoticeTarget target = NoticeTarget::kAll;
  std::vector<std::string> customer_numbers;  // kList: any form a resident types
  std::string district;                       // kDistrict: an address prefix (widths normalised)
};
struct NoticePreview {
  int64_t contracts = 0;      // contracts that get the notice
  int64_t mailed = 0;         // accounts that would be mailed now (one per account)
  std::string target_detail;  // 「all」, 「district 水守市本町」, 「list 3」
};
// The reach of a draft, storing nothing. 400 with field errors: required title_ja / body_ja,
// invalid_format kind / target, notice_period_invalid on ends_at, customer_number_invalid or
// contract_not_found on customer_numbers[i], required district, notice_no_contracts on the target.
// All and district reach contracts that are not closed; a list reaches exactly the contracts given.
NoticePreview PreviewStaffNotice(App& app, const StaffNoticeDraft& draft, int64_t now);

struct StaffNoticeRow {
  int64_t id = 0;
  std::string kind, title_ja, title_en;
  int64_t published_at = 0, ends_at = 0;
  std::string target, target_detail;
  int64_t contracts = 0, mailed = 0;
  std::string staff_email;
  int64_t created_at = 0;
  bool duplicate = false;  // PublishStaffNotice: the same notice was already published (nothing new)
};
// Publishes: the bureau_notices row, one notices row per reached contract (ref "bureau:<id>"), one mail per
// reached account with that kind on, the staff audit entry ("notice_published", target = "#<id> <target>",
// reason = the title) — one transaction. Posting the same notice again (same kind, texts, period and target
// within 10 minutes: a double click, a retried request) stores and mails nothing and answers the first one
// with duplicate = true. Errors as PreviewStaffNotice.
StaffNoticeRow PublishStaffNotice(App& app, const StaffSession& staff, const StaffNoticeDraft& draft,
                                  const std::string& client, int64_t now);
// Newest first, at most `limit` (1..200).
std::vector<StaffNoticeRow> ListStaffNotices(App& app, int limit = 100);

}  // namespace mizu::backend
