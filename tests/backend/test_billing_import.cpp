// Bills and payments from the CIS: the admin routes and the CLI, UTF-8 and CP932, every bad row reported with
// its line and reason, good rows applied, nothing half-applied, re-import idempotent.
#include <fstream>
#include <map>
#include <set>

#include "billing_helpers.hpp"
#include "mizu/backend/api_tokens.hpp"
#include "mizu/backend/csv.hpp"

using namespace mizu::testing;
using mizu::backend::EncodeText;
using mizu::backend::TextEncoding;

namespace {

std::multimap<int, std::string> ErrorsByLine(const json& report) {
  std::multimap<int, std::string> out;
  for (auto& e : report["errors"])
    out.emplace(e["line"].get<int>(), e["field"].get<std::string>() + ":" + e["code"].get<std::string>());
  return out;
}

int64_t Count(Portal& p, const std::string& sql) {
  std::lock_guard lock(p.App().db_mutex);
  auto q = p.App().db->Prepare(sql);
  q.Step();
  return q.Int(0);
}

// Columns in another order than the contract's, plus an extra column the CIS may send.
std::string BadBillsCsv() {
  auto swap = [](std::string line) {  // kBillsHeader order → payment_method first, note last
    line.pop_back();
    auto comma = line.rfind(',');
    return line.substr(comma + 1) + "," + line.substr(0, comma) + ",x\n";
  };
  std::string csv = swap(kBillsHeader.substr(0, kBillsHeader.size() - 1) + "\n");
  csv.replace(csv.size() - 2, 1, "note");
  csv += swap(BillLine("00000008002", "2026-09-18", 30));         // 2 ok
  csv += swap(BillLine("0-0000008002", "2026-11-18", 24, 1030));  // 3 ok (grouped number)
  csv += swap(BillLine("00000009999", "2026-11-18", 24));         // 4 no such customer
  std::string bad_date = BillLine("00000008004", "2026-01-18", 24);
  bad_date.replace(bad_date.find(",2026-01-18,"), 12, ",2026-13-01,");
  csv += swap(bad_date);  // 5 bad date
  std::string wrong_total = BillLine("00000008004", "2026-07-18", 24);
  wrong_total.replace(wrong_total.rfind(",2026-08-07"), 0, "1");  // total gets a trailing digit
  csv += swap(wrong_total);                                       // 6 total mismatch
  std::string wrong_usage = BillLine("00000008004", "2026-05-18", 24);
  wrong_usage.replace(wrong_usage.find(",1024,24,") + 6, 2, "25");
  csv += swap(wrong_usage);                                                     // 7 usage ≠ curr − prev
  csv += swap(BillLine("00000008004", "2026-03-18", 24, 1000, 13, "bitcoin"));  // 8 method
  csv += swap(BillLine("00000008002", "2026-09-18", 30));                       // 9 same key as line 2
  csv += swap(BillLine("00000008006", "2026-11-18", 40, 500, 20));              // 10 ok
  return csv;
}

}  // namespace

TEST_CASE("bills import reports every bad row with line and reason and applies the good ones", "[billing]") {
  Portal p;
  std::string csv = BadBillsCsv();
  auto r = AdminImport(p, "bills", csv);
  REQUIRE(r.status == 200);
  CHECK(r.body["rows"] == 9);
  CHECK(r.body["inserted"] == 3);
  CHECK(r.body["rejected"] == 6);
  auto errors = ErrorsByLine(r.body);
  CHECK(errors.count(2) == 0);
  CHECK(errors.count(3) == 0);
  CHECK(errors.find(4)->second == "customer_number:customer_unknown");
  CHECK(errors.find(5)->second == "reading_date:date_invalid");
  CHECK(errors.find(6)->second == "total:total_mismatch");
  CHECK(errors.find(7)->second == "usage_m3:usage_mismatch");
  CHECK(errors.find(8)->second == "payment_method:payment_method_invalid");
  CHECK(errors.find(9)->second == "reading_date:duplicate");
  CHECK(errors.count(10) == 0);
  for (auto& e : r.body["errors"]) CHECK_FALSE(e["detail"].get<std::string>().empty());
  // Nothing of a bad row is applied; the good rows are there as sent, the method normalised.
  CHECK(Count(p, "SELECT COUNT(*) FROM bills WHERE customer_number = '00000008004'") == 0);
  {
    const HandBill& res = HandWorked(20, 40);
    std::lock_guard lock(p.App().db_mutex);
    auto q = p.App().db->Prepare(
        "SELECT usage_m3, water_charge, sewer_charge, tax, total, payment_method, period_end FROM bills "
        "WHERE customer_number = '00000008006'");
    REQUIRE(q.Step());
    CHECK(q.Int(0) == 40);
    CHECK(q.Int(1) == res.water_yen);
    CHECK(q.Int(2) == res.sewer_yen);
    CHECK(q.Int(3) == res.tax_yen);
    CHECK(q.Int(4) == res.total_yen);
    CHECK(q.Text(5) == "direct_debit");
    CHECK(q.Text(6) == "2026-11-18");
  }
  // One meter-reading notice per contract, for its newest bill only.
  CHECK(Count(p, "SELECT COUNT(*) FROM notices WHERE kind = 'meter_reading'") == 2);
  CHECK(
      Count(p, "SELECT COUNT(*) FROM notices WHERE customer_number = '00000008002' AND ref = '2026-11-18'") ==
      1);

  // The same file again changes nothing and creates no notice.
  auto again = AdminImport(p, "bills", csv);
  CHECK(again.body["inserted"] == 0);
  CHECK(again.body["updated"] == 0);
  CHECK(again.body["unchanged"] == 3);
  CHECK(Count(p, "SELECT COUNT(*) FROM notices") == 2);

  // A correction from the CIS updates the bill (and is not a new reading: no notice).
  auto fix = AdminImport(p, "bills", kBillsHeader + BillLine("00000008006", "2026-11-18", 41, 500, 20));
  CHECK(fix.body["updated"] == 1);
  CHECK(Count(p, "SELECT usage_m3 FROM bills WHERE customer_number = '00000008006'") == 41);
  CHECK(Count(p, "SELECT COUNT(*) FROM notices") == 2);
}

TEST_CASE("bills import checks dates, numbers and the period order", "[billing]") {
  Portal p;
  std::string csv =
      kBillsHeader +
      // 2: period_start after period_end, due before reading
      "00000008002,2026-11-18,2026-11-20,2026-11-18,1000,1024,24,1,1,1,3,2026-11-01,口座振替\n"
      // 3: letters in numbers; 4 errors on one line
      "00000008002,2026-11-18,2026-09-18,2026-11-18,abc,1024,24,x,1,1,3,2026-12-08,口座振替\n"
      // 4: slashes and compact dates, thousands commas in quoted money
      "00000008002,2026/11/18,20260918,2026-11-18,1000,1024,24,\"3,000\",\"1,000\",400,\"4,400\","
      "2026/12/08,納付書\n";
  auto r = AdminImport(p, "bills", csv);
  REQUIRE(r.status == 200);
  auto errors = ErrorsByLine(r.body);
  CHECK(errors.count(2) == 2);
  std::set<std::string> line2;
  for (auto [it, end] = errors.equal_range(2); it != end; ++it) line2.insert(it->second);
  CHECK(line2 == std::set<std::string>{"period_start:date_order", "due_date:date_order"});
  CHECK(errors.count(3) == 2);  // prev_reading and water_charge
  CHECK(errors.count(4) == 0);
  CHECK(r.body["inserted"] == 1);
  CHECK(Count(p, "SELECT total FROM bills WHERE reading_date = '2026-11-18'") == 4400);
}

TEST_CASE("bills import accepts CP932, unreadable files are refused whole with the line", "[billing]") {
  Portal p;
  std::string utf8 = kBillsHeader + BillLine("00000008002", "2026-11-18", 24, 1000, 13, "納付書");
  std::string cp932 = EncodeText(utf8, TextEncoding::kCp932);
  REQUIRE(cp932 != utf8);
  auto r = AdminImport(p, "bills", cp932, "?encoding=cp932");
  REQUIRE(r.status == 200);
  CHECK(r.body["inserted"] == 1);
  CHECK(Count(p, "SELECT COUNT(*) FROM bills WHERE payment_method = 'payment_slip'") == 1);
  CHECK(AdminImport(p, "bills", cp932, "", "text/csv; charset=Shift_JIS").body["unchanged"] == 1);
  auto wrong = AdminImport(p, "bills", cp932);  // CP932 bytes declared as UTF-8
  CHECK(wrong.status == 400);
  CHECK(wrong.body["error"]["line"] == 2);
  CHECK(AdminImport(p, "bills", utf8, "?encoding=ebcdic").status == 400);
  auto missing = AdminImport(p, "bills", "customer_number,reading_date\n00000008002,2026-11-18\n");
  CHECK(missing.status == 400);
  CHECK(missing.body["error"]["detail"].get<std::string>().find("missing column") != std::string::npos);
  // A good row before a broken quote is not applied: the file is refused as a whole.
  auto broken = AdminImport(
      p, "bills",
      kBillsHeader + BillLine("00000008006", "2026-11-18", 40, 500, 20) + "00000008006,\"2027-01-18\n");
  CHECK(broken.status == 400);
  CHECK(Count(p, "SELECT COUNT(*) FROM bills WHERE customer_number = '00000008006'") == 0);
  // Machines only, with an import token.
  auto client = p.Server().Client();
  CHECK(client.Post("/api/v1/admin/import/bills", utf8, "text/csv")->status == 401);
  httplib::Headers ingest = {
      {"Authorization", "Bearer " + mizu::backend::CreateApiToken(p.App(), "ingest", "head-end", 0)}};
  CHECK(client.Post("/api/v1/admin/import/payments", ingest, utf8, "text/csv")->status == 401);
}

TEST_CASE("payments import: the bill must exist, bad rows reported, corrections update", "[billing]") {
  Portal p;
  REQUIRE(AdminImport(p, "bills",
                      kBillsHeader + BillLine("00000008002", "2026-09-18", 30) +
                          BillLine("00000008002", "2026-11-18", 24, 1030))
              .body["inserted"] == 2);
  std::string csv = kPaymentsHeader +
                    "00000008002,2026-09-18,5000,2026-10-08,口座振替\n"   // 2 ok
                    "00000008002,2026-11-18,2000,2026-12-01,コンビニ\n"   // 3 ok (partial)
                    "00000008002,2026-07-18,5000,2026-08-07,口座振替\n"   // 4 no such bill
                    "00000008002,2026-11-18,0,2026-12-02,口座振替\n"      // 5 amount 0
                    "00000008002,2026-11-18,100,2026-12-32,口座振替\n"    // 6 bad date
                    "00000008002,2026-11-18,100,2026-12-03,ポイント\n"    // 7 method
                    "123,2026-11-18,100,2026-12-03,口座振替\n"            // 8 customer number
                    "00000008002,2026-09-18,5000,2026-10-08,口座振替\n";  // 9 repeats line 2
  auto r = AdminImport(p, "payments", EncodeText(csv, TextEncoding::kCp932), "?encoding=cp932");
  REQUIRE(r.status == 200);
  CHECK(r.body["inserted"] == 2);
  CHECK(r.body["rejected"] == 6);
  auto errors = ErrorsByLine(r.body);
  CHECK(errors.find(4)->second == "reading_date:bill_not_found");
  CHECK(errors.find(5)->second == "amount:invalid_format");
  CHECK(errors.find(6)->second == "paid_on:date_invalid");
  CHECK(errors.find(7)->second == "method:payment_method_invalid");
  CHECK(errors.find(8)->second == "customer_number:customer_number_invalid");
  CHECK(errors.find(9)->second == "paid_on:duplicate");
  CHECK(Count(p, "SELECT COUNT(*) FROM notices WHERE kind = 'payment'") == 1);  // the newest payment only
  auto again = AdminImport(p, "payments", csv);
  CHECK(again.body["unchanged"] == 2);
  CHECK(again.body["inserted"] == 0);
  auto fix =
      AdminImport(p, "payments", kPaymentsHeader + "00000008002,2026-11-18,2500,2026-12-01,コンビニ\n");
  CHECK(fix.body["updated"] == 1);
  CHECK(Count(p, "SELECT SUM(amount) FROM payments") == 7500);
  CHECK(Count(p, "SELECT COUNT(*) FROM notices WHERE kind = 'payment'") == 1);
}

TEST_CASE("mizumori import bills|payments from the command line, CP932", "[billing]") {
  const TempDir dir("mizu-cli-bills");
  std::string data = " --data " + (dir / "data").string();
  std::ofstream(dir / "customers.csv", std::ios::binary) << kCustomersCsv;
  REQUIRE(RunMizumori("import customers " + (dir / "customers.csv").string() + data).code == 0);
  const HandBill& bill = HandWorked(13, 24);
  std::string line = "00000008002,2026-11-18,2026-09-19,2026-11-18,1000,1024,24," +
                     std::to_string(bill.water_yen) + "," + std::to_string(bill.sewer_yen) + "," +
                     std::to_string(bill.tax_yen) + "," + std::to_string(bill.total_yen) +
                     ",2026-12-08,口座振替\n";
  std::ofstream(dir / "bills.csv", std::ios::binary)
      << EncodeText(kBillsHeader + line + "00000008002,2026-11-18,x,,,,,,,,,,\n", TextEncoding::kCp932);
  auto r = RunMizumori("import bills " + (dir / "bills.csv").string() + " --encoding cp932" + data);
  CHECK(r.code == 1);  // a row was rejected
  CHECK(r.out.rfind("2 rows: 1 inserted, 0 updated, 0 unchanged, 1 rejected\n", 0) == 0);
  CHECK(r.out.find("line 3: ") != std::string::npos);
  std::ofstream(dir / "payments.csv", std::ios::binary)
      << kPaymentsHeader << "00000008002,2026-11-18," << bill.total_yen << ",2026-12-08,口座振替\n";
  r = RunMizumori("import payments " + (dir / "payments.csv").string() + data);
  CHECK(r.code == 0);
  CHECK(r.out == "1 rows: 1 inserted, 0 updated, 0 unchanged, 0 rejected\n");
  CHECK(RunMizumori("import invoices " + (dir / "payments.csv").string() + data).code == 2);
}
