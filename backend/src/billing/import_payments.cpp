// The payments import (CIS → portal): what was received for which bill, and the payment notice (and mail) for
// each contract's newest new payment.
#include <tuple>

#include "common.hpp"
#include "mizu/backend/billing.hpp"
#include "mizu/backend/catalog_messages.hpp"
#include "mizu/backend/mail.hpp"
#include "mizu/backend/push.hpp"
#include "mizu/text.hpp"
#include "notice_import.hpp"

namespace mizu::backend {

using namespace billing;

namespace {

const std::vector<const char*> kColumns = {"customer_number", "reading_date", "amount", "paid_on", "method"};

struct Payment {
  std::string customer_number;
  CivilDate reading_date, paid_on;
  int64_t amount = 0;
  std::string method;
  auto Key() const { return std::make_tuple(customer_number, reading_date, paid_on); }
  CivilDate Date() const { return paid_on; }
};

std::optional<Payment> ReadPayment(Database& db, RowReader& r, const CustomerNumberFormat& fmt) {
  auto cn = NormalizeCustomerNumber(r.Get("customer_number"));
  if (!cn || ValidateCustomerNumber(*cn, fmt))
    r.Fail("customer_number", err::kCustomerNumberInvalid,
           "expected " + std::to_string(fmt.digits) + " digits");
  auto reading = ParseCisDate(r.Get("reading_date"));
  if (!reading) r.Fail("reading_date", err::kDateInvalid, "reading_date must be a date YYYY-MM-DD");
  if (cn && reading && r.Ok()) {
    auto q = db.Prepare("SELECT 1 FROM bills WHERE customer_number = ? AND reading_date = ?");
    q.Bind(1, *cn).Bind(2, FormatDate(*reading));
    if (!q.Step()) r.Fail("reading_date", "bill_not_found", "no bill of this customer has this reading_date");
  }
  auto amount = ParseAmount(r.Get("amount"), 12);
  if (!amount || *amount == 0) r.Fail("amount", err::kInvalidFormat, "amount must be whole yen above 0");
  auto paid_on = ParseCisDate(r.Get("paid_on"));
  if (!paid_on) r.Fail("paid_on", err::kDateInvalid, "paid_on must be a date YYYY-MM-DD");
  auto method = ParsePaymentMethod(r.Get("method"));
  if (!method) r.Fail("method", "payment_method_invalid", "unknown payment method");
  if (!r.Ok()) return std::nullopt;
  return Payment{.customer_number = *cn,
                 .reading_date = *reading,
                 .paid_on = *paid_on,
                 .amount = *amount,
                 .method = *method};
}

RowOutcome StorePayment(Database& db, const Payment& p, int64_t now) {
  auto existing = db.Prepare(
      "SELECT amount, method FROM payments WHERE customer_number = ? AND reading_date = ? AND paid_on = ?");
  existing.Bind(1, p.customer_number).Bind(2, FormatDate(p.reading_date)).Bind(3, FormatDate(p.paid_on));
  bool found = existing.Step();
  if (found && existing.Int(0) == p.amount && existing.Text(1) == p.method) return RowOutcome::kUnchanged;
  existing.Reset();
  auto upsert = db.Prepare(
      "INSERT INTO payments (customer_number, reading_date, paid_on, amount, method, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (customer_number, reading_date, paid_on) DO UPDATE SET "
      "amount = excluded.amount, method = excluded.method, updated_at = excluded.updated_at");
  upsert.Bind(1, p.customer_number).Bind(2, FormatDate(p.reading_date)).Bind(3, FormatDate(p.paid_on));
  upsert.Bind(4, p.amount).Bind(5, p.method).Bind(6, now).Run();
  return found ? RowOutcome::kUpdated : RowOutcome::kInserted;
}

Args PaymentArgs(App& app, Lang lang, const Payment& p, const std::string& address,
                 const std::string& period_start, const std::string& period_end) {
  return {{"number", FormatCustomerNumber(p.customer_number, app.config.utility.customer_number)},
          {"address", address},
          {"amount", FormatYen(p.amount)},
          {"paid_on", FormatDay(lang, p.paid_on)},
          {"method", MethodLabel(lang, p.method)},
          {"period_start", FormatDay(lang, period_start)},
          {"period_end", FormatDay(lang, period_end)}};
}

bool NotifyPayment(App& app, Database& db, const Payment& p, int64_t now) {
  auto q = db.Prepare(
      "SELECT c.address, b.period_start, b.period_end FROM bills b JOIN customers c USING (customer_number) "
      "WHERE b.customer_number = ? AND b.reading_date = ?");
  q.Bind(1, p.customer_number).Bind(2, FormatDate(p.reading_date));
  q.Step();
  Args ja = PaymentArgs(app, Lang::kJa, p, q.Text(0), q.Text(1), q.Text(2));
  Args en = PaymentArgs(app, Lang::kEn, p, q.Text(0), q.Text(1), q.Text(2));
  NoticeText text;
  std::tie(text.title_ja, text.title_en) = BothLangs("notice.payment.title", ja, en);
  std::tie(text.body_ja, text.body_en) = BothLangs("notice.payment.body", ja, en);
  std::string ref = FormatDate(p.reading_date) + "/" + FormatDate(p.paid_on);
  if (!InsertNotice(db, p.customer_number, "payment", ref, text, now, now)) return false;
  auto target = MailTargetFor(db, p.customer_number, "payment", now);
  if (!target) return false;
  EnqueueAccountNotice(db, target->account_id,
                       CatalogMail(app, target->lang, "mail.payment_notice", target->email,
                                   target->lang == Lang::kEn ? en : ja),
                       "/#/payments", now);
  return true;
}

}  // namespace

// A payments file: one row per (customer_number, reading_date, paid_on); the payment notice goes with each
// contract's newest new payment (notice_import.hpp).
ImportReport ImportPayments(App& app, std::string_view csv_text, int64_t now) {
  static const std::vector<const char*> kNone;
  return ImportWithNotices<Payment>(
      app, csv_text, now,
      {kColumns, kNone, "payment", "payments", "paid_on", ReadPayment, StorePayment, NotifyPayment});
}

}  // namespace mizu::backend
