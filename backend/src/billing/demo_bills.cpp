// The demo utility's billing history: two years of bimonthly readings (隔月検針: half the city in odd months,
// half in even), charged with the shared tariff (ComputeBimonthlyBill, as the CIS would), and their payments.
// Goes through the real imports, so the demo shows the same notices an import creates.
#include <random>

#include "common.hpp"
#include "mizu/backend/billing.hpp"
#include "mizu/billing.hpp"

namespace mizu::backend {

using namespace billing;

namespace {

// The reading day of `month` for a customer read on `day`: that day (or the month's last), moved to the next
// business day when it falls on a weekend or holiday.
CivilDate ReadingDay(int year, int month, int day) {
  while (month < 1) {
    month += 12;
    --year;
  }
  CivilDate d{year, month, std::min(day, DaysInMonth(year, month))};
  return IsBusinessDay(d) ? d : NextBusinessDay(d);
}

struct Period {
  CivilDate reading, start;
};

// The 12 latest reading periods before `today`, oldest first.
std::vector<Period> Periods(CivilDate today, int parity, int day) {
  int y = today.year, m = today.month;
  while (m % 2 != parity || !(ReadingDay(y, m, day) < today)) {
    if (--m < 1) {
      m = 12;
      --y;
    }
  }
  std::vector<Period> out;
  for (int k = kHistoryPeriods - 1; k >= 0; --k) {
    CivilDate reading = ReadingDay(y, m - 2 * k, day);
    CivilDate previous = ReadingDay(y, m - 2 * (k + 1), day);
    out.push_back({reading, AddDays(previous, 1)});
  }
  return out;
}

int SeasonalPercent(int month) {
  if (month >= 7 && month <= 10) return 115;  // summer readings cover the hottest months
  if (month <= 3) return 95;
  return 100;
}

}  // namespace

void FillDemoBilling(App& app, int64_t now) {
  const std::vector<std::pair<std::string, int>> customers = ReadDb(app, [](Database& db) {
    auto q = db.Prepare(
        "SELECT customer_number, diameter_mm FROM customers c WHERE status != 'closed' AND NOT EXISTS "
        "(SELECT 1 FROM bills b WHERE b.customer_number = c.customer_number) ORDER BY customer_number");
    std::vector<std::pair<std::string, int>> out;
    while (q.Step()) out.emplace_back(q.Text(0), static_cast<int>(q.Int(1)));
    return out;
  });
  if (customers.empty()) return;
  const CivilDate today = ToJst(now).date;
  std::string bills =
      "customer_number,reading_date,period_start,period_end,prev_reading,curr_reading,usage_m3,water_charge,"
      "sewer_charge,tax,total,due_date,payment_method\n";
  std::string payments = "customer_number,reading_date,amount,paid_on,method\n";
  for (const auto& [cn, diameter] : customers) {
    std::mt19937 rng(static_cast<uint32_t>(std::stoll(cn) * 2654435761u));
    int base = diameter >= 25   ? 80
               : diameter >= 20 ? 52
                                : 22 + static_cast<int>(rng() % 22);  // m³ / 2 months
    int method = static_cast<int>(rng() % 20);
    std::string bill_method = method < 14 ? "direct_debit" : method < 19 ? "payment_slip" : "credit_card";
    // The demo resident (the seeds' 0-0000008002) pays by slip: 料金のお支払い shows its newest bill's codes.
    if (cn == "00000008002") bill_method = "payment_slip";
    int64_t reg = 200 + rng() % 3000;
    for (const auto& p :
         Periods(today, static_cast<int>(std::stoll(cn) / 2 % 2), 5 + static_cast<int>(rng() % 20))) {
      int noise = 90 + static_cast<int>(rng() % 21);
      int volume = base * SeasonalPercent(p.reading.month) * noise / 10000;
      auto result = ComputeBimonthlyBill(app.tariff, diameter, volume);
      if (!result.ok()) break;
      const BillBreakdown& b = result.bill;
      CivilDate due = AddDays(p.reading, 20);
      if (!IsBusinessDay(due)) due = NextBusinessDay(due);
      bills += CsvRecord({cn, FormatDate(p.reading), FormatDate(p.start), FormatDate(p.reading),
                          std::to_string(reg), std::to_string(reg + volume), std::to_string(volume),
                          std::to_string(b.water_yen), std::to_string(b.sewer_yen), std::to_string(b.tax_yen),
                          std::to_string(b.total_yen), FormatDate(due), bill_method});
      reg += volume;
      // Paid on the due date by debit or card; slips a few days early, now and then late, at a store or
      // counter.
      CivilDate paid = due;
      std::string how = bill_method;
      if (bill_method == "payment_slip") {
        int r = static_cast<int>(rng() % 15);
        paid = r == 0 ? AddDays(due, 5 + static_cast<int>(rng() % 15))
                      : AddDays(due, -static_cast<int>(rng() % 10));
        how = r % 3 == 0 ? "counter" : "convenience_store";
      }
      if (paid < today)
        payments +=
            CsvRecord({cn, FormatDate(p.reading), std::to_string(b.total_yen), FormatDate(paid), how});
    }
  }
  ImportBills(app, bills, now);
  ImportPayments(app, payments, now);
}

}  // namespace mizu::backend
