#pragma once
// Billing history from the CIS (M10, M11, M14): bill and payment imports, a resident's last 12 periods and
// payments behind the visible-from gate, smart-meter usage by hour or day (a missing hour is missing, never
// zero), the paper-notice list for the print vendor and the demo utility's bills. Every function takes the
// App and locks its database itself; failures are ServiceError (accounts.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mizu/backend/accounts.hpp"
#include "mizu/backend/csv.hpp"
#include "mizu/time.hpp"

namespace mizu::backend {

// 403 not_yet_visible: the link's usage and charges open at `visible_from` (UTC), 09:00 JST on the next
// business day after linking.
class NotYetVisibleError : public ServiceError {
 public:
  explicit NotYetVisibleError(int64_t visible_from);
  int64_t visible_from;
};

// The caller's contract once its data may be shown: 404 contract_not_found when it is not the caller's (or
// does not exist), NotYetVisibleError before the link's visible_from.
ContractView RequireVisibleContract(App& app, int64_t account_id, const std::string& customer_number_input,
                                    int64_t now);

// ---- Imports (CSV headers: docs/operations.md) ----

// bills CSV, one row per (customer_number, reading_date). Validates every row (all its errors reported),
// applies the good ones inside one transaction (each row all-or-nothing), refuses a key repeated within the
// file. For each contract, its newest NEW bill — when no later bill is stored — gets a meter-reading notice
// and, if the contract's account can see it and did not turn meter_reading mail off, a mail in the account's
// language. Re-importing the same file changes nothing. Throws CsvError for an unreadable file or a missing
// column.
ImportReport ImportBills(App& app, std::string_view csv_text, int64_t now);
// payments CSV, one row per (customer_number, reading_date, paid_on); the bill must exist. A correction of
// amount or method updates the row. The newest new payment of each contract gets a payment notice (and mail)
// as for bills. Same guarantees as ImportBills.
ImportReport ImportPayments(App& app, std::string_view csv_text, int64_t now);

// "direct_debit", "payment_slip", "credit_card", "convenience_store", "counter", "mobile" from the code or
// the Japanese label (口座振替, 納付書, クレジットカード, コンビニ, 窓口, スマホ決済); nullopt otherwise.
std::optional<std::string> ParsePaymentMethod(std::string_view text);

// ---- Resident history (M11) ----

inline constexpr int kHistoryPeriods = 12;  // 「過去12回分（2年分）」

struct BillView {
  std::string reading_date, period_start, period_end, due_date;  // YYYY-MM-DD (JST)
  int64_t prev_reading = 0, curr_reading = 0;                    // meter register, m³
  int64_t usage_m3 = 0;
  int64_t water_charge = 0, sewer_charge = 0, tax = 0, total = 0;  // yen; total = water + sewer + tax
  std::string payment_method;
  int64_t paid = 0;  // yen received for this bill so far
  // 料金のお支払い (payment_codes.hpp): the CIS's codes ('' when it sent none), a staff reissue's count and
  // deadline (YYYY-MM-DD, '' when never reissued).
  std::string konbini_barcode, payeasy_customer_number, payeasy_confirmation_number;
  int reissue = 0;
  std::string reissue_deadline;
};
// Newest first, at most `periods`.
std::vector<BillView> ListBills(App& app, const std::string& customer_number, int periods = kHistoryPeriods);
// One bill (reading_date YYYY-MM-DD) inside the caller's transaction; nullopt when there is none.
std::optional<BillView> FindBill(Database& db, const std::string& customer_number,
                                 const std::string& reading_date);
// Whether the customer master has this (normalised) customer number, inside the caller's transaction.
bool CustomerExists(Database& db, const std::string& customer_number);

struct PaymentView {
  std::string reading_date, period_start, period_end;  // the bill paid
  int64_t bill_total = 0;
  int64_t amount = 0;
  std::string paid_on;  // YYYY-MM-DD
  std::string method;
};
// The payments of the newest `periods` bills, newest payment first.
std::vector<PaymentView> ListPayments(App& app, const std::string& customer_number,
                                      int periods = kHistoryPeriods);

// ---- Smart-meter usage ----

enum class UsageStep { kHour, kDay };

// Hours [from_utc, to_utc), both on the hour (on JST midnight for kDay).
struct UsageRange {
  int64_t from_utc = 0;
  int64_t to_utc = 0;
  UsageStep step = UsageStep::kDay;
};
inline constexpr int kMaxUsageHours = 31 * 24;  // step=hour: at most 31 days
inline constexpr int kMaxUsageDays = 731;       // step=day: at most 2 years

// From the query: step "hour" | "day" (default day); from/to JST dates YYYY-MM-DD (to inclusive) or, for
// step=hour, ISO 8601 instants on the hour (to exclusive). Defaults: today (hour) or the last 30 days (day).
// ServiceError 400 with field errors on step / from / to.
UsageRange ParseUsageRange(const std::string& step, const std::string& from, const std::string& to,
                           int64_t now);

struct UsageHour {
  int64_t hour_end_utc = 0;         // the hour (end − 1 h, end]
  std::optional<int64_t> volume_l;  // nullopt: not measured (missing, reset or anomaly — meter.hpp)
  bool reset = false;               // the register went down in this hour (meter reset / replacement)
  bool anomaly = false;             // the meter's values for this hour are impossible (meter.hpp)
};
struct UsageDay {
  CivilDate date;
  std::optional<int64_t> volume_l;  // sum over the measured hours; nullopt when none was measured
  int hours_present = 0;
  int hours_expected = 0;  // 24, fewer for today (only hours already ended count)
  bool reset = false;
  int hours_anomaly = 0;  // hours whose meter values are impossible (never counted as use)
};
struct UsageSeries {
  UsageRange range;
  int64_t until_utc = 0;         // hours ending after this (now) are not reported: they have not happened
  std::vector<UsageHour> hours;  // step=hour
  std::vector<UsageDay> days;    // step=day
  int hours_expected = 0;
  int hours_present = 0;
  int64_t volume_l = 0;  // over the measured hours only
};
// The contract's hourly readings over the range. 409 not_smart_meter for a contract without a smart meter.
UsageSeries ContractUsage(App& app, const ContractView& contract, const UsageRange& range, int64_t now);

// ---- Paper notices (M14) ----

// CSV for the print vendor / billing system: every customer not closed, with paper_notice 1 (print
// 「使用水量等のお知らせ」) or 0 (delivered on the portal), ordered by customer number. Header:
// customer_number,holder_name,holder_kana,address,paper_notice,portal_since (JST date linked, or empty).
// In CP932, characters it cannot hold are 〓 and listed in the result's substitutions.
CsvExport ExportPaperNotices(App& app, TextEncoding encoding);

// ---- Demo ----

// Two years of bimonthly bills (computed with the shared tariff) and their payments for every customer that
// has none yet, through ImportBills / ImportPayments. Deterministic for a given `now`'s date.
void FillDemoBilling(App& app, int64_t now);

}  // namespace mizu::backend
