#pragma once
// State of the bureau staff console (職員用画面, docs/staff.md): the staff session (its own cookie, kept
// apart from a resident's), the search, the customer a clerk has open, what was sent to an address, and the
// supervisor's pages.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ui/form_errors.hpp"

namespace mizu::web {

// The rows GET /api/v1/staff/customers answers (masked phone, never a secret).
struct StaffCustomerRow {
  std::string customer_number, display_number, holder_name, holder_kana, address, bureau_phone;
  std::string login, relationship;
  bool smart_meter = false, paper_notice = true, watched = false;
  int64_t account_id = 0;  // 0: not registered
  int64_t visible_from = 0;
  int sessions = 0;
};

struct StaffAttempt {
  int64_t at = 0;
  std::string outcome, answer;
};
struct StaffMessageRow {
  std::string kind, channel, subject, state;
  int64_t queued_at = 0, next_attempt_at = 0;
  std::vector<StaffAttempt> attempts;
};

struct StaffDeliveryRow {
  std::string kind;
  int queued_hour = 0, sent_hour = 0, failed_hour = 0, queued_day = 0, sent_day = 0, failed_day = 0;
  int waiting = 0;
  int64_t oldest_waiting = 0;
};

struct StaffAuditRow {
  int64_t at = 0;
  std::string staff, action, customer_number, target, reason, client;
};

// 職員アカウントの初期設定: the one-time link's page (GET/POST /api/v1/staff/enrolment).
struct StaffEnrolState {
  std::string token;  // from the link (#/staff/enrol?token=…), kept in memory; the URL forgets it
  bool loaded = false, done = false;
  std::string email, role, base32;
  std::vector<std::string> qr_modules;
  std::string password, code;
  FormErrors errors;
};

// 使用開始・使用中止の受付 (the applications queue).
struct StaffApplicationItem {
  std::string reference, kind, status, name, address, desired_date;
  int64_t received_at = 0;
};
struct StaffApplicationsState {
  int filter = 0;  // 0 every status, then kApplicationStatuses' order
  std::vector<StaffApplicationItem> items;
  bool loaded = false;
  // The open application.
  std::string open;                                          // its reference
  std::vector<std::pair<std::string, std::string>> details;  // catalog key → value
  std::vector<std::string> history;                          // one line per change, oldest first
  std::string status;                                        // its current status
  int new_status = 0;
  std::string note, done_key;
  FormErrors errors;
};

// お知らせの作成 (supervisor).
struct StaffNoticesState {
  int kind = 0;    // 0 bureau, 1 outage (断水・濁水)
  int target = 0;  // 0 all, 1 a list of customer numbers, 2 a district (address prefix)
  std::string title_ja, body_ja, title_en, body_en, numbers, district;
  std::string ends;  // 掲載終了日 as typed (optional): the notice shows until the end of that day (JST)
  bool previewed = false;  // publishing needs a look at the reach first
  int64_t reach_contracts = 0, reach_mailed = 0;
  std::string done_key;
  FormErrors errors;
  std::vector<std::string> published;  // the list: one line per notice, newest first
};

// 窓口端末 (admin): counter kiosks (kiosk.hpp).
struct StaffKiosksState {
  struct Row {
    int64_t id = 0;
    std::string name;
    int64_t revoked_at = 0, last_seen_at = 0;
  };
  std::vector<Row> rows;
  std::string name;       // a new terminal's name
  std::string start_url;  // the new terminal's start URL, shown once
  std::string reason;     // why a terminal is revoked
  std::string done_key;
  FormErrors errors;
};

struct StaffState {
  // The session (GET /api/v1/staff/me).
  bool logged_in = false;
  std::string email;
  int role = 0;  // 1 counter, 2 supervisor, 3 admin (StaffRole)

  // ログイン: e-mail, password and the authenticator's code together.
  std::string login_email, login_password, login_code;
  FormErrors login_errors;

  // お客さま検索 and the open customer.
  std::string query;
  std::vector<StaffCustomerRow> rows;
  bool searched = false;
  int open = -1;  // index into rows
  // The open customer's account (GET /api/v1/staff/accounts/{id}): label → value lines, drawn as fields.
  int64_t account_shown = 0;  // the account the lines are for (0: none loaded)
  bool account_loading = false;
  std::vector<std::pair<std::string, std::string>> account_lines;
  std::string reason;  // why (the audit log keeps it); every action needs one
  bool confirm_withdraw = false;
  std::string done_key;  // catalog key of the last success
  FormErrors errors;

  // 料金のお支払い: the open customer's unpaid bills (GET /api/v1/staff/contracts/{cn}/bills).
  struct UnpaidBill {
    std::string reading_date, due_date, payment_method, unavailable, deadline;
    int64_t total = 0, paid = 0, reissue = 0;
  };
  std::string bills_for;  // the customer number they are of ("" : not loaded)
  std::vector<UnpaidBill> bills;

  // 送信履歴: what was sent to an address (or the open account's login ID).
  std::string messages_to;
  std::vector<StaffMessageRow> messages;
  bool messages_loaded = false;

  // 配信状況 and 監査ログ.
  std::vector<StaffDeliveryRow> delivery;
  std::string audit_staff, audit_customer;
  std::vector<StaffAuditRow> audit;
  bool audit_loaded = false;

  StaffEnrolState enrol;
  StaffApplicationsState applications;
  StaffNoticesState notices;
  StaffKiosksState kiosks;
};

}  // namespace mizu::web
