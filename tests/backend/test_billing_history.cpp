// ご利用実績 / お支払い実績 over HTTP: the visible-from rule across a weekend and a holiday, the last 12
// periods with the water/sewer split, payments, and nobody else's contract.
#include "billing_helpers.hpp"

using namespace mizu::testing;

namespace {

// Bimonthly reading dates going back from 2026-11-18: 2026-11-18, 2026-09-18, … (n of them), newest first.
std::vector<std::string> ReadingDates(int n) {
  std::vector<std::string> out;
  int y = 2026, m = 11;
  for (int i = 0; i < n; ++i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-18", y, m);
    out.push_back(buf);
    if ((m -= 2) < 1) {
      m += 12;
      --y;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("bills and payments open at 09:00 on the next business day, skipping a weekend and a holiday",
          "[billing]") {
  Portal p;
  REQUIRE(AdminImport(p, "bills", kBillsHeader + BillLine("00000008002", "2026-11-18", 24)).status == 200);
  REQUIRE(p.SignUp("taro@example.jp").status == 201);  // Fri 2026-11-20 15:00
  const std::vector<std::string> paths = {
      "/api/v1/contracts/00000008002/bills", "/api/v1/contracts/00000008002/payments",
      "/api/v1/contracts/00000008002/notices", "/api/v1/contracts/00000008002/usage?step=hour"};
  for (const char* when :
       {"2026-11-20T15:00:00+09:00", "2026-11-21T12:00:00+09:00", "2026-11-22T23:59:59+09:00",
        "2026-11-23T10:00:00+09:00" /* 勤労感謝の日 */, "2026-11-24T08:59:59+09:00"}) {
    INFO(when);
    At(p, when, "taro@example.jp");
    for (const auto& path : paths) {
      INFO(path);
      auto r = p.Get(path);
      CHECK(r.status == 403);
      CHECK(ErrorCode(r) == "not_yet_visible");
      CHECK(r.body["error"]["visible_from"] == "2026-11-24T09:00:00+09:00");
    }
  }
  auto ja = p.Get("/api/v1/contracts/00000008002/bills");
  CHECK(ja.body["error"]["message"].get<std::string>().find("2026年11月24日 9:00以降") != std::string::npos);
  auto en = p.Send("GET", "/api/v1/contracts/00000008002/bills", nullptr, {{"Accept-Language", "en"}});
  CHECK(en.body["error"]["message"].get<std::string>().find("2026-11-24 09:00 JST") != std::string::npos);
  At(p, "2026-11-24T09:00:00+09:00", "taro@example.jp");
  for (const auto& path : paths) CHECK(p.Get(path).status == 200);
  CHECK(p.Get("/api/v1/contracts/00000008002/bills").body["bills"].size() == 1);
}

TEST_CASE("the last 12 billing periods with volume, water/sewer split, tax and total, and payments",
          "[billing]") {
  Portal p;
  auto dates = ReadingDates(14);  // two more than the history shows
  std::string csv = kBillsHeader;
  std::map<std::string, int> usage;
  int reg = 500;
  for (int i = 13; i >= 0; --i) {
    int u = kHandBills[i % 7].usage_m3;  // 13 mm: 12 … 41 m³
    usage[dates[i]] = u;
    csv += BillLine("00000008002", dates[i], u, reg, 13, i % 2 ? "口座振替" : "納付書");
    reg += u;
  }
  REQUIRE(AdminImport(p, "bills", csv).body["inserted"] == 14);
  std::string pays = kPaymentsHeader;
  auto total = [&](const std::string& d) { return HandWorked(13, usage[d]).total_yen; };
  pays +=
      "00000008002," + dates[13] + "," + std::to_string(total(dates[13])) + "," + dates[13] + ",口座振替\n";
  pays += "00000008002," + dates[2] + "," + std::to_string(total(dates[2])) + ",2026-08-07,口座振替\n";
  pays += "00000008002," + dates[1] + ",1000,2026-10-01,コンビニ\n";  // partly paid
  pays += "00000008002," + dates[1] + ",500,2026-10-05,窓口\n";
  REQUIRE(AdminImport(p, "payments", pays).body["inserted"] == 4);
  VisibleResident(p, "taro@example.jp");

  auto r = p.Get("/api/v1/contracts/0-0000008002/bills");
  REQUIRE(r.status == 200);
  CHECK(r.body["customer_number"] == "00000008002");
  CHECK(r.body["display_number"] == "0-0000008002");
  CHECK(r.body["address"] == "水守市本町1-2-3");
  auto bills = r.body["bills"];
  REQUIRE(bills.size() == 12);
  for (size_t i = 0; i < bills.size(); ++i) {
    INFO(i);
    auto& b = bills[i];
    CHECK(b["reading_date"] == dates[i]);  // newest first
    const HandBill& expect = HandWorked(13, usage[dates[i]]);
    CHECK(b["usage_m3"] == usage[dates[i]]);
    CHECK(b["curr_reading"].get<int64_t>() - b["prev_reading"].get<int64_t>() == usage[dates[i]]);
    CHECK(b["water_charge"] == expect.water_yen);
    CHECK(b["sewer_charge"] == expect.sewer_yen);
    CHECK(b["tax"] == expect.tax_yen);
    CHECK(b["total"] == expect.total_yen);
    CHECK(b["payment_method"] == (i % 2 ? "direct_debit" : "payment_slip"));
    if (i > 0) CHECK(b["prev_reading"] == bills[i - 1]["prev_reading"].get<int64_t>() - usage[dates[i]]);
  }
  CHECK(bills[0]["status"] == "unpaid");
  CHECK(bills[1]["status"] == "partial");
  CHECK(bills[1]["paid"] == 1500);
  CHECK(bills[2]["status"] == "paid");

  auto pr = p.Get("/api/v1/contracts/00000008002/payments");
  REQUIRE(pr.status == 200);
  auto payments = pr.body["payments"];
  REQUIRE(payments.size() == 3);  // the payment of the 14th-newest bill is outside the 12 periods
  CHECK(payments[0]["paid_on"] == "2026-10-05");
  CHECK(payments[0]["method"] == "counter");
  CHECK(payments[0]["reading_date"] == dates[1]);
  CHECK(payments[0]["bill_total"] == total(dates[1]));
  CHECK(payments[1]["method"] == "convenience_store");
  CHECK(payments[2]["paid_on"] == "2026-08-07");
  CHECK(payments[2]["amount"] == total(dates[2]));
}

TEST_CASE("a bill's odd or long stored texts are escaped in the bills answer", "[billing]") {
  Portal p;
  const std::string csv = kBillsHeader + BillLine("00000008002", "2026-11-18", 20, 500, 13, "納付書") +
                          BillLine("00000008002", "2026-09-18", 20, 480, 13, "納付書");
  REQUIRE(AdminImport(p, "bills", csv).body["inserted"] == 2);
  VisibleResident(p, "taro@example.jp");
  // Texts the import refuses but either engine's database may hold (a row of an older version, a hand edit):
  // a quote, a backslash, control characters, Japanese; and 3,000 control characters, each written as 6 bytes
  // ("\u001f") — more than the room AppendBill makes for a bill's keys and numbers. (An invalid UTF-8 byte,
  // which PostgreSQL cannot store, is test_json_writer.cpp's.)
  const std::string odd = "a\"b\\c\x01\n水守\tz";
  const std::string long_run(3000, '\x1f');
  WriteDb(p.App(), [&](mizu::backend::Database& db) {
    db.Prepare("UPDATE bills SET payment_method = ? WHERE reading_date = '2026-11-18'").Bind(1, odd).Run();
    db.Prepare("UPDATE bills SET payment_method = ? WHERE reading_date = '2026-09-18'")
        .Bind(1, long_run)
        .Run();
  });
  auto r = p.Get("/api/v1/contracts/00000008002/bills");
  REQUIRE(r.status == 200);
  REQUIRE_FALSE(r.body.is_discarded());  // valid JSON
  // The bytes as JsonWriter::String writes them (nlohmann's escaping: \u0001 in lower case, \n and \t short).
  CHECK(r.text.find(R"("payment_method":"a\"b\\c\u0001\n水守\tz","paid":0,"status":"unpaid")") !=
        std::string::npos);
  REQUIRE(r.body["bills"].size() == 2);
  const auto& newest = r.body["bills"][0];
  CHECK(newest["payment_method"] == odd);
  CHECK(newest["reading_date"] == "2026-11-18");
  CHECK(newest["due_date"] == "2026-12-08");
  CHECK(newest["usage_m3"] == 20);
  CHECK(newest["total"] == HandWorked(13, 20).total_yen);
  CHECK(newest["status"] == "unpaid");
  const auto& older = r.body["bills"][1];
  CHECK(older["payment_method"] == long_run);
  CHECK(older["curr_reading"] == 500);
  CHECK(older["status"] == "unpaid");
}

TEST_CASE("billing routes never reach another account's contract", "[billing]") {
  Portal p;
  REQUIRE(AdminImport(p, "bills",
                      kBillsHeader + BillLine("00000008002", "2026-11-18", 24) +
                          BillLine("00000008004", "2026-11-18", 24))
              .status == 200);
  REQUIRE(p.SignUp("one@example.jp", "00000008002", "0467-12-3456").status == 201);
  p.ForgetCookie();
  VisibleResident(p, "two@example.jp", "00000008004", "0467-22-3333");
  CHECK(p.Get("/api/v1/contracts/00000008004/bills").status == 200);
  int64_t notice = p.Get("/api/v1/contracts/00000008004/notices").body["notices"][0]["id"];
  for (const std::string cn : {"00000008002", "00000008006", "99999999999", "garbage"}) {
    INFO(cn);
    for (const char* what : {"/bills", "/payments", "/notices", "/usage"}) {
      auto r = p.Get("/api/v1/contracts/" + cn + what);
      CHECK(r.status == 404);
      CHECK(ErrorCode(r) == "contract_not_found");
    }
    CHECK(p.Post("/api/v1/contracts/" + cn + "/notices/" + std::to_string(notice) + "/read", {}).status ==
          404);
  }
  // The other account's notice through one's own contract: not in that list.
  int64_t other = 0;
  {
    std::lock_guard lock(p.App().db_mutex);
    auto q = p.App().db->Prepare("SELECT id FROM notices WHERE customer_number = '00000008002'");
    REQUIRE(q.Step());
    other = q.Int(0);
  }
  auto r = p.Post("/api/v1/contracts/00000008004/notices/" + std::to_string(other) + "/read", {});
  CHECK(r.status == 404);
  CHECK(ErrorCode(r) == "notice_not_found");
  p.ForgetCookie();
  CHECK(p.Get("/api/v1/contracts/00000008004/bills").status == 401);
}

TEST_CASE("a bill's paid sum follows its payments as the CIS sends, corrects and withdraws them",
          "[billing]") {
  Portal p;
  REQUIRE(AdminImport(p, "bills", kBillsHeader + BillLine("00000008002", "2026-09-24", 24)).status == 200);
  VisibleResident(p, "taro@example.jp");
  auto paid = [&p] {
    auto r = p.Get("/api/v1/contracts/00000008002/bills");
    REQUIRE(r.status == 200);
    REQUIRE(r.body["bills"].size() == 1);
    return std::make_pair(r.body["bills"][0]["paid"].get<int64_t>(),
                          r.body["bills"][0]["status"].get<std::string>());
  };
  const int64_t total = HandWorked(13, 24).total_yen;  // 4,774 yen
  CHECK(paid() == std::make_pair(int64_t{0}, std::string("unpaid")));
  // Two instalments (inserted), then the second corrected by the CIS (the same row, a new amount: updated).
  REQUIRE(AdminImport(p, "payments",
                      kPaymentsHeader + "00000008002,2026-09-24,1000,2026-10-01,窓口\n" +
                          "00000008002,2026-09-24,500,2026-10-05,窓口\n")
              .body["inserted"] == 2);
  CHECK(paid() == std::make_pair(int64_t{1500}, std::string("partial")));
  auto corrected = AdminImport(
      p, "payments",
      kPaymentsHeader + "00000008002,2026-09-24," + std::to_string(total - 1000) + ",2026-10-05,窓口\n");
  REQUIRE(corrected.body["updated"] == 1);
  CHECK(paid() == std::make_pair(total, std::string("paid")));
  // A payment withdrawn (no import route deletes one: the database's own rule is what keeps the sum).
  WriteDb(p.App(), [](mizu::backend::Database& db) {
    db.Prepare("DELETE FROM payments WHERE customer_number = '00000008002' AND paid_on = '2026-10-01'").Run();
  });
  CHECK(paid() == std::make_pair(total - 1000, std::string("partial")));
  // Every payment gone at once: PostgreSQL's TRUNCATE fires no row trigger (a statement trigger of its own);
  // SQLite has none, and its DELETE without WHERE fires the row triggers.
  WriteDb(p.App(), [](mizu::backend::Database& db) {
    db.Exec(db.engine() == mizu::backend::Engine::kPostgres ? "TRUNCATE payments" : "DELETE FROM payments");
  });
  CHECK(paid() == std::make_pair(int64_t{0}, std::string("unpaid")));
}
