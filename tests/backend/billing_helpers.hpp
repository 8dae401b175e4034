#pragma once
// Helpers for the billing tests: bills CSV rows priced with the shared tariff, the admin import over HTTP,
// and a resident whose contract is already visible.
#include <sys/wait.h>

#include <array>
#include <cstdio>

#include "accounts_helpers.hpp"
#include "mizu/backend/bills.hpp"
#include "mizu/billing.hpp"

namespace mizu::testing {

inline const std::string kBillsHeader =
    "customer_number,reading_date,period_start,period_end,prev_reading,curr_reading,usage_m3,water_charge,"
    "sewer_charge,tax,total,due_date,payment_method\n";
inline const std::string kPaymentsHeader = "customer_number,reading_date,amount,paid_on,method\n";

// One bills CSV line, charged by the shared tariff for `usage` m³ on `diameter` mm; the period is the two
// months before `reading` (YYYY-MM-DD), due 20 days after it.
inline std::string BillLine(const backend::App& app, const std::string& cn, const std::string& reading,
                            int usage, int prev = 1000, int diameter = 13,
                            const std::string& method = "口座振替") {
  auto r = ComputeBimonthlyBill(app.tariff, diameter, usage);
  REQUIRE(r.ok());
  CivilDate d = *ParseDate(reading);
  CivilDate start = AddDays(d, -60);
  return cn + "," + reading + "," + FormatDate(start) + "," + reading + "," + std::to_string(prev) + "," +
         std::to_string(prev + usage) + "," + std::to_string(usage) + "," + std::to_string(r.bill.water_yen) +
         "," + std::to_string(r.bill.sewer_yen) + "," + std::to_string(r.bill.tax_yen) + "," +
         std::to_string(r.bill.total_yen) + "," + FormatDate(AddDays(d, 20)) + "," + method + "\n";
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
