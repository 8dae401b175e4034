#pragma once
// State of the data screens: top, usage (charts), payments, notices, notification settings, simulation.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mizu/billing.hpp"
#include "ui/form_errors.hpp"

namespace mizu::web {

// 料金のお支払い: what pays a bill (the server's "payment_codes", docs/payment.md).
struct PayCodes {
  std::string unavailable, barcode_unavailable;  // why none / why no barcode; "" when shown
  int64_t amount = 0;
  std::string deadline;                     // YYYY-MM-DD
  std::string barcode, modules;             // 44 digits; GS1-128 modules ('1' dark), quiet zones not included
  std::vector<std::string> human_readable;  // two lines
  std::string payeasy_institution, payeasy_customer, payeasy_confirmation;
};

struct Bill {
  std::string reading_date, period_start, period_end, due_date, payment_method, status;
  int64_t usage_m3 = 0, water_charge = 0, sewer_charge = 0, tax = 0, total = 0, paid = 0;
  PayCodes codes;
};

struct Notice {
  int64_t id = 0;
  std::string kind, customer_number, display_number, title, body, published_at;
  bool read = false;
};

struct TopState {
  std::vector<Notice> notices;
  std::optional<Bill> latest_bill;
  std::string bill_for;  // customer number latest_bill belongs to
  FormErrors errors;
};

// One bar of a smart-meter chart: a measured value or a missing one (drawn distinctly, never as zero).
struct UsagePoint {
  std::string key;                  // "2026-11-22" (by day) or the hour's start "2026-11-22T07:00:00+09:00"
  std::optional<int64_t> volume_l;  // nullopt: no data
  int hours_present = 0, hours_expected = 0;  // by day: a day with hours missing is partial
  bool pending = false;   // an hour that has not ended yet: nothing to show (neither data nor missing)
  int hours_anomaly = 0;  // hours whose meter values were impossible (shown as such, never as use)
};

struct UsageState {
  enum View { kPeriods, kDaily, kHourly } view = kPeriods;
  std::string contract;
  std::vector<Bill> bills;  // newest first
  std::vector<UsagePoint> daily, hourly;
  std::string hourly_date;   // YYYY-MM-DD shown by the hourly chart (empty: today, as the server says)
  bool hourly_next = false;  // the shown day is over, so a later day can be asked for
  int selected = -1;         // the bar tapped / hovered
  int pay_fullscreen = -1;  // 料金のお支払い: the bill whose barcode is shown alone (全画面で表示), or -1
  int pay_focus_back = -1;  // the bill whose 全画面で表示 takes focus when the list is drawn again
  bool loaded = false;
  FormErrors errors;
};

struct Payment {
  std::string reading_date, period_start, period_end, paid_on, method;
  int64_t bill_total = 0, amount = 0;
};

struct PaymentsState {
  std::string contract;
  std::vector<Payment> payments;
  bool loaded = false;
  FormErrors errors;
};

struct NoticesState {
  std::string contract;
  std::vector<Notice> notices;
  int64_t unread = 0;
  int64_t open_id = -1;
  bool loaded = false;
  FormErrors errors;
};

// A device that receives the account's notices by push (GET /api/v1/me/push-subscriptions).
struct PushDeviceRow {
  int64_t id = 0;
  std::string device;
  std::string service;  // the push service's origin
  bool enabled = true;
  std::string last_sent_at;  // ISO, "" when nothing was pushed yet
};

struct NotificationSettingsState {
  bool loaded = false;
  // Push (docs/notifications.md): this browser's permission and subscription (platform/push.hpp), the device
  // id the server gave it, and every device of the account.
  std::string push_permission;  // "" until asked; "unsupported" | "denied" | "default" | "granted"
  int64_t this_device = 0;      // 0: this browser does not receive push
  std::string push_error;       // a catalog key ("nsettings.push_failed") when turning push on failed
  bool push_busy = false;
  std::vector<PushDeviceRow> devices;
  std::string lang = "ja";
  bool meter_reading = true, payment = true, bureau = true, outage = true;
  bool saved = false;
  FormErrors errors;
};

struct SimulationState {
  std::optional<Tariff> tariff;
  int diameter_index = 0;
  std::string volume = "40";  // m³ in two months, as typed
  bool sewer = true;          // connected to the sewer (下水道使用料)
  std::optional<BillResult> result;
  FormErrors errors;
};

}  // namespace mizu::web
