#pragma once
// Helpers for the billing tests: bills CSV rows priced with the shared tariff, the admin import over HTTP,
// and a resident whose contract is already visible.
#include <sys/wait.h>

#include <array>
#include <cstdio>

#include "accounts_helpers.hpp"
#include "mizu/backend/api_tokens.hpp"
#include "mizu/backend/billing.hpp"

namespace mizu::testing {

inline const std::string kBillsHeader =
    "customer_number,reading_date,period_start,period_end,prev_reading,curr_reading,usage_m3,water_charge,"
    "sewer_charge,tax,total,due_date,payment_method\n";
inline const std::string kPaymentsHeader = "customer_number,reading_date,amount,paid_on,method\n";

// A bimonthly bill of the default tariff (assets/tariffs/default.json, docs/tariff.md) worked out by hand:
// the independent oracle of the tests that import and show bills (never ComputeBimonthlyBill, the code under
// test). Split method, odd m³ to the first month, 10 % tax floored per month and per service: month = basic +
// band m³ × price (water 13/20 mm: 1–5 free, 6–10 ¥30, 11–20 ¥150, 21–30 ¥185; sewer: 600 incl. 10 m³, 11–20
// ¥120, 21–30 ¥150), tax-inclusive = floor(month × 1.1).
struct HandBill {
  int diameter_mm, usage_m3;
  int64_t water_yen, sewer_yen, tax_yen, total_yen;
};
inline constexpr HandBill kHandBills[] = {
    // 12 = 6 + 6: W 880+1×30 = 910 → 1001 (×2); S 600 → 660 (×2). 1820 + 1200, total 2002 + 1320 = 3322
    {13, 12, 1820, 1200, 302, 3322},
    // 19 = 10 + 9: W 880+5×30 = 1030 → 1133, 880+4×30 = 1000 → 1100; S 600 → 660 (×2). total 2233 + 1320
    {13, 19, 2030, 1200, 323, 3553},
    // 20 = 10 + 10: W 1030 → 1133 (×2); S 600 → 660 (×2). total 2266 + 1320
    {13, 20, 2060, 1200, 326, 3586},
    // 24 = 12 + 12: W 880+5×30+2×150 = 1330 → 1463 (×2); S 600+2×120 = 840 → 924 (×2). total 2926 + 1848
    {13, 24, 2660, 1680, 434, 4774},
    // 28 = 14 + 14: W 880+5×30+4×150 = 1630 → 1793 (×2); S 600+4×120 = 1080 → 1188 (×2). total 3586 + 2376
    {13, 28, 3260, 2160, 542, 5962},
    // 30 = 15 + 15: W 880+5×30+5×150 = 1780 → 1958 (×2); S 600+5×120 = 1200 → 1320 (×2). total 3916 + 2640
    {13, 30, 3560, 2400, 596, 6556},
    // 41 = 21 + 20 (docs/tariff.md's worked example): W 2715 → 2986, 2530 → 2783; S 1950 → 2145, 1800 → 1980
    {13, 41, 5245, 3750, 899, 9894},
    // 40 = 20 + 20: W 1210+5×30+10×150 = 2860 → 3146 (×2); S 600+10×120 = 1800 → 1980 (×2). total 6292 + 3960
    {20, 40, 5720, 3600, 932, 10252},
    // 41 = 21 + 20: W 2860+185 = 3045 → 3349, 2860 → 3146; S 1950 → 2145, 1800 → 1980. total 6495 + 4125
    {20, 41, 5905, 3750, 965, 10620},
};

// The hand-worked bill for `usage` m³ on `diameter` mm; a test asking for one not in the table fails.
inline const HandBill& HandWorked(int diameter, int usage) {
  for (const auto& b : kHandBills)
    if (b.diameter_mm == diameter && b.usage_m3 == usage) return b;
  FAIL("no hand-worked bill for " << diameter << " mm, " << usage << " m3: work it out and add it");
  return kHandBills[0];
}

// The default tariff's bill for 13–25 mm counted one m³ at a time from the tables of docs/tariff.md: an
// oracle independent of ComputeBimonthlyBill's band arithmetic, for bills too many to work out by hand (demo
// data).
inline HandBill DocTableBill(int diameter, int usage) {
  auto water = [](int nth) {  // the price of the nth m³ of a month, 13–25 mm
    return nth <= 5     ? 0
           : nth <= 10  ? 30
           : nth <= 20  ? 150
           : nth <= 30  ? 185
           : nth <= 50  ? 220
           : nth <= 100 ? 250
           : nth <= 200 ? 290
                        : 330;
  };
  auto sewer = [](int nth) {
    return nth <= 10     ? 0
           : nth <= 20   ? 120
           : nth <= 30   ? 150
           : nth <= 50   ? 180
           : nth <= 100  ? 220
           : nth <= 200  ? 260
           : nth <= 500  ? 300
           : nth <= 1000 ? 340
                         : 380;
  };
  const int basic = diameter == 13 ? 880 : diameter == 20 ? 1210 : diameter == 25 ? 1540 : -1;
  REQUIRE(basic > 0);
  HandBill b{diameter, usage, 0, 0, 0, 0};
  for (int month_m3 : {(usage + 1) / 2, usage / 2}) {  // split, the odd m³ in the first month
    int64_t w = basic, s = 600;
    for (int n = 1; n <= month_m3; ++n) w += water(n), s += sewer(n);
    b.water_yen += w;
    b.sewer_yen += s;
    b.total_yen += w * 110 / 100 + s * 110 / 100;  // 10 % tax, floored per month and service
  }
  b.tax_yen = b.total_yen - b.water_yen - b.sewer_yen;
  return b;
}

// One bills CSV line, charged as worked out by hand for `usage` m³ on `diameter` mm; the period is the two
// months before `reading` (YYYY-MM-DD), due 20 days after it.
inline std::string BillLine(const std::string& cn, const std::string& reading, int usage, int prev = 1000,
                            int diameter = 13, const std::string& method = "口座振替") {
  const HandBill& b = HandWorked(diameter, usage);
  CivilDate d = *ParseDate(reading);
  CivilDate start = AddDays(d, -60);
  return cn + "," + reading + "," + FormatDate(start) + "," + reading + "," + std::to_string(prev) + "," +
         std::to_string(prev + usage) + "," + std::to_string(usage) + "," + std::to_string(b.water_yen) +
         "," + std::to_string(b.sewer_yen) + "," + std::to_string(b.tax_yen) + "," +
         std::to_string(b.total_yen) + "," + FormatDate(AddDays(d, 20)) + "," + method + "\n";
}

// 5280 → "5,280", as the notices and mails write yen.
inline std::string Yen(int64_t v) {
  std::string d = std::to_string(v), out;
  for (size_t i = 0; i < d.size(); ++i) {
    if (i && (d.size() - i) % 3 == 0) out += ',';
    out += d[i];
  }
  return out;
}

// POST /api/v1/admin/import/{kind} with a fresh import token; returns status and body.
inline Reply AdminImport(Portal& p, const std::string& kind, const std::string& body,
                         const std::string& query = "", const std::string& type = "text/csv") {
  static int n = 0;
  std::string token = backend::CreateApiToken(p.App(), "import", "test" + std::to_string(++n), 0);
  httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  auto res =
      p.Server().Client().Post(("/api/v1/admin/import/" + kind + query).c_str(), auth, body, type.c_str());
  REQUIRE(res);
  return {res->status, json::parse(res->body, nullptr, false), "", ""};
}

inline const std::string kPassword = "みずもり水道 2026 なつ";  // Portal::SignUp's default

// Moves the server's clock and logs in again (a browser session ends after 30 minutes idle).
inline void At(Portal& p, const std::string& iso, const std::string& email) {
  p.SetClock(iso);
  REQUIRE(p.Post("/api/v1/login", {{"email", email}, {"password", kPassword}}).status == 200);
}

// Signs up `email` for `cn` on Friday 2026-11-20 15:00 and moves the clock to when the data is visible
// (Tue 11-24 09:00: Mon 11-23 is 勤労感謝の日).
inline void VisibleResident(Portal& p, const std::string& email, const std::string& cn = "00000008002",
                            const std::string& phone = "0467-12-3456") {
  p.SetClock(kFridayAfternoon);
  REQUIRE(p.SignUp(email, cn, phone).status == 201);
  At(p, "2026-11-24T09:00:00+09:00", email);
}

struct CliRun {
  int code;
  std::string out;
};

// Runs the real mizumori binary with args; stdout captured.
inline CliRun RunMizumori(const std::string& args) {
  std::string cmd = std::string(MIZU_BINARY) + " " + args + " 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// Rows of the outbox of a kind to an address (what was enqueued, whether or not delivered yet).
inline int OutboxCount(Portal& p, const std::string& kind, const std::string& to) {
  std::lock_guard lock(p.App().db_mutex);
  auto q = p.App().db->Prepare("SELECT COUNT(*) FROM mail_outbox WHERE kind = ? AND to_addr = ?");
  q.Bind(1, kind).Bind(2, to);
  q.Step();
  return static_cast<int>(q.Int(0));
}

}  // namespace mizu::testing
