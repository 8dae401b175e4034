// 料金のお支払い at the counter: reissue a bill's convenience-store barcode and Pay-easy numbers after their
// deadline (staff.hpp StaffReissuePaymentCodes; payment_codes.hpp).
#include "mizu/backend/accounts.hpp"
#include "mizu/backend/audit_log.hpp"
#include "mizu/backend/billing.hpp"
#include "mizu/backend/payment_codes.hpp"
#include "mizu/backend/staff.hpp"
#include "mizu/errors.hpp"
#include "mizu/text.hpp"

namespace mizu::backend {

std::vector<StaffUnpaidBill> StaffUnpaidBills(App& app, const StaffSession& staff,
                                              const std::string& customer_number_input,
                                              const std::string& client, int64_t now) {
  const auto number = NormalizeCustomerNumber(customer_number_input);
  if (!number) throw ServiceError(404, err::kContractNotFound);
  if (!ReadDb(app, [&](Database& db) { return CustomerExists(db, *number); }))
    throw ServiceError(404, err::kContractNotFound);
  WriteDb(app, [&](Database& db) {
    StaffAudit(db, {.at = now,
                    .staff_id = staff.staff_id,
                    .action = "lookup",
                    .customer_number = *number,
                    .target = "bills",
                    .client = client});
  });
  const CivilDate today = ToJst(now).date;
  std::vector<StaffUnpaidBill> out;
  for (BillView& b : ListBills(app, *number)) {
    if (b.paid >= b.total) continue;
    PaymentCodes codes = PaymentCodesFor(app.config.payment, *number, b, today);
    out.push_back({std::move(b), std::move(codes)});
  }
  return out;
}

std::pair<int, std::string> StaffReissuePaymentCodes(App& app, const StaffSession& staff,
                                                     const std::string& customer_number_input,
                                                     const std::string& reading_date,
                                                     const std::string& reason, const std::string& client,
                                                     int64_t now) {
  RequireReason(reason);
  const auto number = NormalizeCustomerNumber(customer_number_input);
  if (!number || !ParseDate(reading_date)) throw ServiceError(404, err::kBillNotFound);
  const CivilDateTime today = ToJst(now);
  const std::string deadline = FormatDate(AddDays(today.date, app.config.payment.reissue_days));
  int reissue = 0;
  WriteDb(app, [&](Database& db) {
    const auto bill = FindBill(db, *number, reading_date);
    if (!bill)
      throw ServiceError(404, CustomerExists(db, *number) ? err::kBillNotFound : err::kContractNotFound);
    // Only codes past their deadline (a double submit, or a reissue that would shorten a deadline, is
    // refused), and only where a reissue gives the resident codes again.
    const PaymentCodes codes = PaymentCodesFor(app.config.payment, *number, *bill, today.date);
    if (codes.unavailable == "paid") throw ServiceError(409, err::kBillPaid);
    if (codes.unavailable == "direct_debit") throw ServiceError(409, err::kBillDirectDebit);
    if (codes.unavailable == "past_deadline_final") throw ServiceError(409, err::kReissueLimit);
    if (codes.unavailable.empty()) throw ServiceError(409, err::kCodesNotExpired);
    if (codes.unavailable != "past_deadline") throw ServiceError(409, err::kReissueNotPossible);
    reissue = codes.reissue + 1;
    db.Prepare(
          "UPDATE bills SET reissue = ?, reissue_deadline = ?, updated_at = ? WHERE customer_number = ? AND "
          "reading_date = ?")
        .Bind(1, int64_t{reissue})
        .Bind(2, deadline)
        .Bind(3, now)
        .Bind(4, *number)
        .Bind(5, reading_date)
        .Run();
    StaffAudit(db, {.at = now,
                    .staff_id = staff.staff_id,
                    .action = "payment_codes_reissued",
                    .customer_number = *number,
                    .target = reading_date + " #" + std::to_string(reissue) + " until " + deadline,
                    .reason = NormalizeText(reason),
                    .client = client});
  });
  return {reissue, deadline};
}

}  // namespace mizu::backend
