#pragma once
// State of the bureau staff console (職員用画面, docs/staff.md): the staff session (its own cookie, kept
// apart from a resident's), the search, the customer a clerk has open, what was sent to an address, and the
// supervisor's pages.
#include <cstdint>
#include <string>
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
  int open = -1;       // index into rows
  std::string reason;  // why (the audit log keeps it); every action needs one
  bool confirm_withdraw = false;
  std::string done_key;  // catalog key of the last success
  FormErrors errors;

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
};

}  // namespace mizu::web
