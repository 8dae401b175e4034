// ご利用実績 / お支払い実績 (M11) behind the visible-from gate (M10).
#include <algorithm>

#include "common.hpp"
#include "mizu/backend/billing.hpp"

namespace mizu::backend {

using namespace billing;

NotYetVisibleError::NotYetVisibleError(int64_t from)
    : ServiceError(403, err::kNotYetVisible), visible_from(from) {}

ContractView RequireVisibleContract(App& app, int64_t account_id, const std::string& customer_number_input,
                                    int64_t now) {
  ContractView c = RequireOwnContract(app, account_id, customer_number_input);
  if (now < c.visible_from) throw NotYetVisibleError(c.visible_from);
  return c;
}

namespace {

// A bill's columns as BillView reads them (ReadBillRow), from "bills b".
constexpr const char* kBillSelect =
    "SELECT b.reading_date, b.period_start, b.period_end, b.due_date, b.prev_reading, b.curr_reading, "
    "b.usage_m3, b.water_charge, b.sewer_charge, b.tax, b.total, b.payment_method, b.paid, "
    "b.konbini_barcode, b.payeasy_customer_number, "
    "b.payeasy_confirmation_number, b.reissue, b.reissue_deadline FROM bills b ";

void ReadBillRow(Statement& q, BillView& b) {
  b.reading_date = q.Text(0);
  b.period_start = q.Text(1);
  b.period_end = q.Text(2);
  b.due_date = q.Text(3);
  b.prev_reading = q.Int(4);
  b.curr_reading = q.Int(5);
  b.usage_m3 = q.Int(6);
  b.water_charge = q.Int(7);
  b.sewer_charge = q.Int(8);
  b.tax = q.Int(9);
  b.total = q.Int(10);
  b.payment_method = q.Text(11);
  b.paid = q.Int(12);
  b.konbini_barcode = q.Text(13);
  b.payeasy_customer_number = q.Text(14);
  b.payeasy_confirmation_number = q.Text(15);
  b.reissue = static_cast<int>(q.Int(16));
  b.reissue_deadline = q.Text(17);
}

BillView ReadBillRow(Statement& q) {
  BillView b;
  ReadBillRow(q, b);
  return b;
}

}  // namespace

std::vector<BillView> ListBills(App& app, const std::string& customer_number, int periods) {
  return ReadDb(app, [&](Database& db) {
    static const std::string sql =  // put together once: this runs on every visit to お支払い実績
        std::string(kBillSelect) + "WHERE b.customer_number = ? ORDER BY b.reading_date DESC LIMIT ?";
    auto q = db.Prepare(sql);
    q.Bind(1, customer_number).Bind(2, int64_t{periods});
    std::vector<BillView> out;
    out.reserve(static_cast<size_t>(std::clamp(periods, 0, 64)));
    while (q.Step()) ReadBillRow(q, out.emplace_back());  // each row read into its place
    return out;
  });
}

std::optional<BillView> FindBill(Database& db, const std::string& customer_number,
                                 const std::string& reading_date) {
  auto q = db.Prepare(std::string(kBillSelect) + "WHERE b.customer_number = ? AND b.reading_date = ?");
  q.Bind(1, customer_number).Bind(2, reading_date);
  if (!q.Step()) return std::nullopt;
  return ReadBillRow(q);
}

bool CustomerExists(Database& db, const std::string& customer_number) {
  auto q = db.Prepare("SELECT 1 FROM customers WHERE customer_number = ?");
  q.Bind(1, customer_number);
  return q.Step();
}

std::vector<PaymentView> ListPayments(App& app, const std::string& customer_number, int periods) {
  return ReadDb(app, [&](Database& db) {
    auto q = db.Prepare(
        "WITH recent AS (SELECT reading_date, period_start, period_end, total FROM bills WHERE "
        "customer_number "
        "= ? "
        "ORDER BY reading_date DESC LIMIT ?) "
        "SELECT r.reading_date, r.period_start, r.period_end, r.total, p.amount, p.paid_on, p.method "
        "FROM payments p JOIN recent r ON r.reading_date = p.reading_date WHERE p.customer_number = ? "
        "ORDER BY p.paid_on DESC, p.reading_date DESC");
    q.Bind(1, customer_number).Bind(2, int64_t{periods}).Bind(3, customer_number);
    std::vector<PaymentView> out;
    while (q.Step())
      out.push_back({q.Text(0), q.Text(1), q.Text(2), q.Int(3), q.Int(4), q.Text(5), q.Text(6)});
    return out;
  });
}

}  // namespace mizu::backend
