// The bills import (CIS → portal): 2-month meter readings with their charges, and the meter-reading notice
// (and mail) for each contract's newest new bill.
#include <utility>

#include "common.hpp"
#include "mizu/backend/billing.hpp"
#include "mizu/backend/catalog_messages.hpp"
#include "mizu/backend/mail.hpp"
#include "mizu/backend/payment_codes.hpp"
#include "mizu/backend/push.hpp"
#include "mizu/billing.hpp"
#include "mizu/text.hpp"
#include "notice_import.hpp"

namespace mizu::backend {

using namespace billing;

namespace {

const std::vector<const char*> kColumns = {"customer_number", "reading_date", "period_start", "period_end",
                                           "prev_reading",    "curr_reading", "usage_m3",     "water_charge",
                                           "sewer_charge",    "tax",          "total",        "due_date",
                                           "payment_method"};
// Optional columns (docs/payment.md), read by ReadPaymentCodes.
const std::vector<const char*> kOptionalColumns = {"konbini_barcode", "payeasy_customer_number",
                                                   "payeasy_confirmation_number"};

struct Bill {
  std::string customer_number;
  CivilDate reading_date, period_start, period_end, due_date;
  int64_t prev_reading = 0, curr_reading = 0, usage_m3 = 0;
  int64_t water = 0, sewer = 0, tax = 0, total = 0;
  std::string method;
  std::string konbini_barcode, payeasy_customer_number, payeasy_confirmation_number;
  auto Key() const { return std::make_pair(customer_number, reading_date); }
  CivilDate Date() const { return reading_date; }
};

std::optional<CivilDate> ReadDate(RowReader& r, const char* column) {
  auto d = ParseCisDate(r.Get(column));
  if (!d) r.Fail(column, err::kDateInvalid, std::string(column) + " must be a date YYYY-MM-DD");
  return d;
}

std::optional<int64_t> ReadNumber(RowReader& r, const char* column, size_t max_digits, const char* what) {
  auto v = ParseAmount(r.Get(column), max_digits);
  if (!v) r.Fail(column, err::kInvalidFormat, std::string(column) + " must be " + what);
  return v;
}

bool Digits(const std::string& s, size_t min, size_t max) {
  return s.size() >= min && s.size() <= max && s.find_first_not_of("0123456789") == std::string::npos;
}

// The optional payment columns: a barcode must be a valid 44-digit 料金代理収納 code for this bill's total
// whose deadline is not before the due date; Pay-easy numbers come both or neither.
void ReadPaymentCodes(RowReader& r, Bill& b, const std::optional<int64_t>& total,
                      const std::optional<CivilDate>& due) {
  b.konbini_barcode = r.Get("konbini_barcode");
  if (!b.konbini_barcode.empty()) {
    std::string why;
    auto fields = ParseKonbiniBarcode(b.konbini_barcode, &why);
    if (!fields)
      r.Fail("konbini_barcode", "barcode_" + why,
             "konbini_barcode must be the 44 digits of a GS1-128 料金代理収納 code (" + why + ")");
    else if (total && fields->amount_yen != *total)
      r.Fail("konbini_barcode", "barcode_amount", "the barcode's amount is not the bill's total");
    else if (due && DaysFromCivil(fields->deadline) < DaysFromCivil(*due))
      r.Fail("konbini_barcode", "barcode_deadline", "the barcode's deadline is before the due date");
  }
  b.payeasy_customer_number = r.Get("payeasy_customer_number");
  b.payeasy_confirmation_number = r.Get("payeasy_confirmation_number");
  if (!b.payeasy_customer_number.empty() && !Digits(b.payeasy_customer_number, 1, 20))
    r.Fail("payeasy_customer_number", err::kInvalidFormat, "payeasy_customer_number must be 1-20 digits");
  if (!b.payeasy_confirmation_number.empty() && !Digits(b.payeasy_confirmation_number, 4, 6))
    r.Fail("payeasy_confirmation_number", err::kInvalidFormat,
           "payeasy_confirmation_number must be 4-6 digits");
  if (b.payeasy_customer_number.empty() != b.payeasy_confirmation_number.empty())
    r.Fail(b.payeasy_customer_number.empty() ? "payeasy_customer_number" : "payeasy_confirmation_number",
           "payeasy_incomplete", "the Pay-easy numbers come both or neither");
}

// A payment code identifies one bill. The barcode's bill is its 請求書発行企業コード and free field (digits
// 3–29: what the collection agent's payment record is reconciled on; the reissue digit, deadline and amount
// change with a reissue of the same bill), a Pay-easy payment's is the お客様番号 and 確認番号 entered
// together. A code that another bill already carries — an earlier row of the same file included, rows being
// stored as they are read — is refused: a payment with it would be credited to the wrong bill. A code the
// bill itself already carries is never refused (a re-sent file, or data stored before this check).
void RefuseCodesOfAnotherBill(Database& db, RowReader& r, const Bill& b, const CivilDate& reading_date,
                              const CustomerNumberFormat& fmt) {
  const std::string date = FormatDate(reading_date);
  std::string own_barcode, own_payeasy_customer, own_payeasy_confirmation;
  {
    auto own = db.Prepare(
        "SELECT konbini_barcode, payeasy_customer_number, payeasy_confirmation_number FROM bills WHERE "
        "customer_number = ? AND reading_date = ?");
    own.Bind(1, b.customer_number).Bind(2, date);
    if (own.Step()) {
      own_barcode = own.Text(0);
      own_payeasy_customer = own.Text(1);
      own_payeasy_confirmation = own.Text(2);
    }
  }
  auto holder = [&](Statement& q) {
    if (!q.Step()) return std::string();
    return FormatCustomerNumber(q.Text(0), fmt) + " " + q.Text(1);
  };
  // The bill a barcode names (the same digits the index holds: substr(konbini_barcode, 3, 27) in SQL).
  const auto identity = [](const std::string& code) {
    const auto f = ParseKonbiniBarcode(code);
    return f ? f->company_code + f->free_field : std::string();
  };
  const std::string barcode_bill = identity(b.konbini_barcode);
  if (!barcode_bill.empty() && barcode_bill != identity(own_barcode)) {
    auto q = db.Prepare(
        "SELECT customer_number, reading_date FROM bills WHERE substr(konbini_barcode, 3, 27) = ? AND "
        "konbini_barcode <> '' AND NOT (customer_number = ? AND reading_date = ?) LIMIT 1");
    q.Bind(1, barcode_bill).Bind(2, b.customer_number).Bind(3, date);
    const std::string other = holder(q);
    if (!other.empty())
      r.Fail("konbini_barcode", "barcode_in_use",
             "another bill already carries this barcode's company code and free field (" + other + ")");
  }
  if (!b.payeasy_customer_number.empty() && (b.payeasy_customer_number != own_payeasy_customer ||
                                             b.payeasy_confirmation_number != own_payeasy_confirmation)) {
    auto q = db.Prepare(
        "SELECT customer_number, reading_date FROM bills WHERE payeasy_customer_number = ? AND "
        "payeasy_confirmation_number = ? AND payeasy_customer_number <> '' AND NOT (customer_number = ? AND "
        "reading_date = ?) LIMIT 1");
    q.Bind(1, b.payeasy_customer_number).Bind(2, b.payeasy_confirmation_number).Bind(3, b.customer_number);
    q.Bind(4, date);
    const std::string other = holder(q);
    if (!other.empty())
      r.Fail("payeasy_confirmation_number", "payeasy_in_use",
             "another bill already carries these Pay-easy numbers (" + other + ")");
  }
}

// Validates one row; every problem is reported.
std::optional<Bill> ReadBill(Database& db, RowReader& r, const CustomerNumberFormat& fmt) {
  Bill b;
  auto cn = NormalizeCustomerNumber(r.Get("customer_number"));
  if (!cn || ValidateCustomerNumber(*cn, fmt)) {
    r.Fail("customer_number", err::kCustomerNumberInvalid,
           "expected " + std::to_string(fmt.digits) + " digits");
  } else {
    if (!CustomerExists(db, *cn))
      r.Fail("customer_number", "customer_unknown", "no such customer in the customer master");
    b.customer_number = *cn;
  }
  auto reading = ReadDate(r, "reading_date");
  auto start = ReadDate(r, "period_start");
  auto end = ReadDate(r, "period_end");
  auto due = ReadDate(r, "due_date");
  if (start && end && *start > *end) r.Fail("period_start", "date_order", "period_start is after period_end");
  if (end && reading && *end > *reading)
    r.Fail("period_end", "date_order", "period_end is after reading_date");
  if (due && reading && *due < *reading) r.Fail("due_date", "date_order", "due_date is before reading_date");
  auto prev = ReadNumber(r, "prev_reading", 9, "a meter reading in whole m³");
  auto curr = ReadNumber(r, "curr_reading", 9, "a meter reading in whole m³");
  auto usage = ReadNumber(r, "usage_m3", 7, "whole m³");
  if (usage && *usage > kMaxBillVolumeM3)
    r.Fail("usage_m3", err::kVolumeInvalid, "usage_m3 is beyond any meter");
  // A register that went down is a meter replacement: then the CIS's usage stands on its own.
  if (prev && curr && usage && *curr >= *prev && *usage != *curr - *prev)
    r.Fail("usage_m3", "usage_mismatch", "usage_m3 is not curr_reading - prev_reading");
  auto water = ReadNumber(r, "water_charge", 12, "whole yen");
  auto sewer = ReadNumber(r, "sewer_charge", 12, "whole yen");
  auto tax = ReadNumber(r, "tax", 12, "whole yen");
  auto total = ReadNumber(r, "total", 12, "whole yen");
  if (water && sewer && tax && total && *total != *water + *sewer + *tax)
    r.Fail("total", "total_mismatch", "total is not water_charge + sewer_charge + tax");
  auto method = ParsePaymentMethod(r.Get("payment_method"));
  if (!method) r.Fail("payment_method", "payment_method_invalid", "unknown payment method");
  ReadPaymentCodes(r, b, total, due);
  if (r.Ok()) RefuseCodesOfAnotherBill(db, r, b, *reading, fmt);
  if (!r.Ok()) return std::nullopt;
  b.prev_reading = *prev;
  b.curr_reading = *curr;
  b.usage_m3 = *usage;
  b.water = *water;
  b.sewer = *sewer;
  b.tax = *tax;
  b.total = *total;
  b.reading_date = *reading;
  b.period_start = *start;
  b.period_end = *end;
  b.due_date = *due;
  b.method = *method;
  return b;
}

RowOutcome StoreBill(Database& db, const Bill& b, int64_t now) {
  auto existing = db.Prepare(
      "SELECT period_start, period_end, prev_reading, curr_reading, usage_m3, water_charge, sewer_charge, "
      "tax, total, due_date, payment_method, konbini_barcode, payeasy_customer_number, "
      "payeasy_confirmation_number FROM bills WHERE customer_number = ? AND reading_date = ?");
  existing.Bind(1, b.customer_number).Bind(2, FormatDate(b.reading_date));
  bool found = existing.Step();
  if (found && existing.Text(0) == FormatDate(b.period_start) &&
      existing.Text(1) == FormatDate(b.period_end) && existing.Int(2) == b.prev_reading &&
      existing.Int(3) == b.curr_reading && existing.Int(4) == b.usage_m3 && existing.Int(5) == b.water &&
      existing.Int(6) == b.sewer && existing.Int(7) == b.tax && existing.Int(8) == b.total &&
      existing.Text(9) == FormatDate(b.due_date) && existing.Text(10) == b.method &&
      existing.Text(11) == b.konbini_barcode && existing.Text(12) == b.payeasy_customer_number &&
      existing.Text(13) == b.payeasy_confirmation_number)
    return RowOutcome::kUnchanged;
  existing.Reset();
  auto upsert = db.Prepare(
      "INSERT INTO bills (customer_number, reading_date, period_start, period_end, prev_reading, "
      "curr_reading, "
      "usage_m3, water_charge, sewer_charge, tax, total, due_date, payment_method, updated_at, "
      "konbini_barcode, payeasy_customer_number, payeasy_confirmation_number) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (customer_number, "
      "reading_date) DO "
      "UPDATE SET "
      "period_start = excluded.period_start, period_end = excluded.period_end, prev_reading = "
      "excluded.prev_reading, curr_reading = excluded.curr_reading, usage_m3 = excluded.usage_m3, "
      "water_charge = "
      "excluded.water_charge, sewer_charge = excluded.sewer_charge, tax = excluded.tax, total = "
      "excluded.total, "
      "due_date = excluded.due_date, payment_method = excluded.payment_method, updated_at = "
      "excluded.updated_at, konbini_barcode = excluded.konbini_barcode, payeasy_customer_number = "
      "excluded.payeasy_customer_number, payeasy_confirmation_number = excluded.payeasy_confirmation_number");
  upsert.Bind(1, b.customer_number).Bind(2, FormatDate(b.reading_date)).Bind(3, FormatDate(b.period_start));
  upsert.Bind(4, FormatDate(b.period_end))
      .Bind(5, b.prev_reading)
      .Bind(6, b.curr_reading)
      .Bind(7, b.usage_m3);
  upsert.Bind(8, b.water).Bind(9, b.sewer).Bind(10, b.tax).Bind(11, b.total).Bind(12, FormatDate(b.due_date));
  upsert.Bind(13, b.method).Bind(14, now).Bind(15, b.konbini_barcode).Bind(16, b.payeasy_customer_number);
  upsert.Bind(17, b.payeasy_confirmation_number).Run();
  return found ? RowOutcome::kUpdated : RowOutcome::kInserted;
}

// The placeholders of the notice and mail texts, in one language.
Args BillArgs(App& app, Lang lang, const Bill& b, const std::string& address) {
  return {{"number", FormatCustomerNumber(b.customer_number, app.config.utility.customer_number)},
          {"address", address},
          {"reading_date", FormatDay(lang, b.reading_date)},
          {"period_start", FormatDay(lang, b.period_start)},
          {"period_end", FormatDay(lang, b.period_end)},
          {"usage", std::to_string(b.usage_m3)},
          {"water", FormatYen(b.water)},
          {"sewer", FormatYen(b.sewer)},
          {"tax", FormatYen(b.tax)},
          {"total", FormatYen(b.total)},
          {"due_date", FormatDay(lang, b.due_date)},
          {"method", MethodLabel(lang, b.method)}};
}

// The meter-reading notice for a contract's newest bill, and its mail. Inside the import's transaction.
bool NotifyBill(App& app, Database& db, const Bill& b, int64_t now) {
  auto q = db.Prepare("SELECT address FROM customers WHERE customer_number = ?");
  q.Bind(1, b.customer_number);
  q.Step();
  std::string address = q.Text(0);
  Args ja = BillArgs(app, Lang::kJa, b, address), en = BillArgs(app, Lang::kEn, b, address);
  NoticeText text;
  std::tie(text.title_ja, text.title_en) = BothLangs("notice.meter_reading.title", ja, en);
  std::tie(text.body_ja, text.body_en) = BothLangs("notice.meter_reading.body", ja, en);
  if (!InsertNotice(db, b.customer_number, "meter_reading", FormatDate(b.reading_date), text, now, now))
    return false;
  auto target = MailTargetFor(db, b.customer_number, "meter_reading", now);
  if (!target) return false;
  // By push to the account's app when it has one, else by e-mail (push.hpp).
  EnqueueAccountNotice(
      db, target->account_id,
      CatalogMail(app, target->lang, "mail.bill_notice", target->email, target->lang == Lang::kEn ? en : ja),
      "/#/notices", now);
  return true;
}

}  // namespace

// A bills file: one row per (customer_number, reading_date); the meter-reading notice goes with each
// contract's newest new bill (notice_import.hpp).
ImportReport ImportBills(App& app, std::string_view csv_text, int64_t now) {
  return ImportWithNotices<Bill>(
      app, csv_text, now,
      {kColumns, kOptionalColumns, "bill", "bills", "reading_date", ReadBill, StoreBill, NotifyBill});
}

std::optional<std::string> ParsePaymentMethod(std::string_view text) {
  static const std::vector<std::pair<const char*, std::vector<std::string_view>>> kMethods = {
      {"direct_debit", {"direct_debit", "口座振替", "口座引落", "口座引き落とし"}},
      {"payment_slip", {"payment_slip", "納付書", "納入通知書", "払込票", "振込票"}},
      {"credit_card", {"credit_card", "クレジットカード", "クレジット"}},
      {"convenience_store", {"convenience_store", "コンビニ", "コンビニエンスストア"}},
      {"counter", {"counter", "窓口"}},
      {"mobile", {"mobile", "スマホ決済", "スマートフォン決済"}},
  };
  std::string s = NormalizeText(text);
  for (const auto& [code, names] : kMethods)
    for (auto name : names)
      if (s == name) return std::string(code);
  return std::nullopt;
}

}  // namespace mizu::backend
