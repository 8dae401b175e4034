#pragma once
// State of the account-side screens: login, sign-up, reset, contracts, watch, account changes, withdrawal and
// applications.
#include <cstdint>
#include <string>
#include <vector>

#include "mizu/alerts.hpp"

#include "mizu/watch.hpp"
#include "ui/form_errors.hpp"

namespace mizu::web {

struct LoginState {
  std::string email;
  std::string password;
  bool remember = false;
  FormErrors errors;
};

// 新規会員登録: address → code → details → done.
struct SignupState {
  enum Step { kAddress, kCode, kDetails, kDone } step = kAddress;
  std::string email, code, signup_token;
  std::string password, customer_number, bureau_phone, applicant_phone;
  bool agree = false;
  int64_t resend_after = 0;  // browser clock, UTC seconds
  int64_t visible_from = 0;  // when the new contract's usage becomes visible
  std::string display_number;
  FormErrors errors;
};

// パスワードの再設定: address → code + new password → done.
struct ResetState {
  enum Step { kAddress, kCode, kDone } step = kAddress;
  std::string email, code, new_password;
  FormErrors errors;
};

struct ContractsState {
  std::string confirm_remove;  // customer number awaiting 「はい」
  std::string done_key;        // catalog key of the last success message
  FormErrors errors;
};

struct ContractAddState {
  std::string customer_number, bureau_phone, name_kana;
  int relationship = 0;  // 0 本人, 1 家族, 2 その他
  bool consent = false;
  FormErrors errors;
};

struct WatchRecipientInput {
  std::string name, email;
  bool stopped = false;
};

// 見守り登録 (W3–W6): edit → 確認 → 登録 → done; 解除 → confirmation → はい.
struct WatchState {
  enum Step { kEdit, kConfirm, kDone, kCancelConfirm, kCancelled } step = kEdit;
  std::string contract;  // customer number the form is for
  bool loaded = false;
  bool active = false;     // a watch is set on the server
  int hour1 = 6;           // 0–23
  int hour2 = -1;          // -1: none
  WatchSettings settings;  // the utility's, from the GET answer (width, report delay, limits)
  std::vector<WatchRecipientInput> recipients;
  std::vector<std::string> mailed;  // addresses sent an "added" mail by the last 登録
  struct MailPreview {
    std::string outcome, subject, body;  // used | not_used | no_data, as the server composes them
  };
  std::vector<MailPreview> preview;  // the confirmation step's 「通知先に届くメールの例」
  int preview_open = -1;             // the preview whose body is shown (-1: only the subjects)
  FormErrors errors;
};

// 異変のお知らせ (the watch's alerts, docs/notifications.md) and 通知履歴: GET/PUT …/watch/alerts, …/history.
struct WatchAlertsState {
  std::string contract;
  bool loaded = false;
  AlertSettings settings;              // as the server answered (mizu/alerts.hpp), edited in place
  bool quiet = false;                  // quiet hours on: settings' quiet hours are then quiet_from/quiet_to
  int quiet_from = 21, quiet_to = 7;   // kept while quiet is off, so turning it on again restores them
  std::string away_from, away_to;      // as typed (DateField); "" = no pause
  std::vector<std::string> addresses;  // the watch's recipients
  std::vector<bool> chosen;            // per address; none chosen = all
  struct Item {
    std::string at, subject, status;
  };
  std::vector<Item> history;
  bool saved = false;
  FormErrors errors;
};

struct AccountChangeState {
  std::string new_email, email_code;
  bool email_code_sent = false;
  std::string current_password, new_password;
  std::string done_key;
  FormErrors email_errors, password_errors;
};

struct WithdrawState {
  std::string password;
  bool understood = false;
  FormErrors errors;
};

// 使用開始 / 使用中止の申し込み.
struct ApplicationState {
  int kind = 0;  // 0 move-in, 1 move-out
  std::string address, postal_code, name, name_kana, phone, email, desired_date;
  int payment_method = 0;  // 0 direct_debit, 1 payment_slip, 2 credit_card
  std::string customer_number, forwarding_address;
  std::string reference;  // set when received
  FormErrors errors;
};

}  // namespace mizu::web
