// Paper notices (M14) through link / unlink / withdraw and `mizumori export paper-notices`, and the demo
// utility's two years of bills.
#include "billing_helpers.hpp"
#include "mizu/backend/csv.hpp"
#include "mizu/backend/demo_data.hpp"

using namespace mizu::testing;
using mizu::backend::DecodeText;
using mizu::backend::TextEncoding;

namespace {

// customer number → "paper_notice,portal_since" from the CLI export of the running server's data folder.
std::map<std::string, std::string> PaperList(Portal& p, const std::string& encoding = "cp932") {
  auto r = RunMizumori("export paper-notices --encoding " + encoding + " --data " +
                       (p.Server().Dir() / "data").string());
  REQUIRE(r.code == 0);
  auto table = mizu::backend::ParseCsv(
      DecodeText(r.out, encoding == "cp932" ? TextEncoding::kCp932 : TextEncoding::kUtf8));
  REQUIRE(table.header == std::vector<std::string>{"customer_number", "holder_name", "holder_kana", "address",
                                                   "paper_notice", "portal_since"});
  std::map<std::string, std::string> out;
  for (auto& row : table.rows) out[row.fields[0]] = row.fields[4] + "," + row.fields[5];
  return out;
}

}  // namespace

TEST_CASE("the paper flag goes off when linked, on when unlinked or withdrawn, the export lists it",
          "[billing]") {
  Portal p;
  auto list = PaperList(p);
  CHECK(list.size() == 3);  // 00000008008 is closed: nothing to print
  CHECK(list["00000008002"] == "1,");
  CHECK(list.count("00000008008") == 0);

  REQUIRE(p.SignUp("taro@example.jp").status == 201);
  REQUIRE(p.Post("/api/v1/contracts", {{"customer_number", "00000008004"},
                                       {"bureau_phone", "0467-22-3333"},
                                       {"name_kana", "ヤマダ ハナ"},
                                       {"relationship", "family"},
                                       {"consent", true}})
              .status == 201);
  list = PaperList(p);
  CHECK(list["00000008002"] == "0,2026-11-20");
  CHECK(list["00000008004"] == "0,2026-11-20");
  CHECK(list["00000008006"] == "1,");

  CHECK(p.Send("DELETE", "/api/v1/contracts/00000008004").status == 204);  // ポータルでの利用を中止する
  list = PaperList(p, "utf-8");
  CHECK(list["00000008004"] == "1,");
  CHECK(list["00000008002"] == "0,2026-11-20");

  CHECK(p.Post("/api/v1/me/withdraw", {{"password", "みずもり水道 2026 なつ"}}).status == 204);
  list = PaperList(p);
  CHECK(list["00000008002"] == "1,");
  // The file is CP932 as the print vendor's systems read it, names intact.
  auto raw =
      RunMizumori("export paper-notices --encoding cp932 --data " + (p.Server().Dir() / "data").string()).out;
  CHECK(DecodeText(raw, TextEncoding::kCp932).find("山田 太郎,ヤマダ タロウ,水守市本町1-2-3,1,") !=
        std::string::npos);
  CHECK(RunMizumori("export leaflets --data " + (p.Server().Dir() / "data").string()).code == 2);
}

TEST_CASE("demo data: two years of bimonthly bills priced by the shared tariff, and payments", "[billing]") {
  TestServer server;
  auto& app = server.App();
  int64_t now = *mizu::ParseIso8601("2026-11-24T10:00:00+09:00");
  app.clock.Set(now);
  auto logins = mizu::backend::FillDemoData(app, now);
  REQUIRE_FALSE(logins.empty());
  {
    std::lock_guard lock(app.db_mutex);
    auto& db = *app.db;
    auto q = db.Prepare(
        "SELECT c.customer_number, c.diameter_mm, COUNT(*), MIN(b.reading_date), MAX(b.reading_date) FROM "
        "bills b "
        "JOIN customers c USING (customer_number) GROUP BY c.customer_number");
    int customers = 0;
    while (q.Step()) {
      ++customers;
      INFO(q.Text(0));
      CHECK(q.Int(2) == 12);
      CHECK(q.Text(4) < "2026-11-24");
      CHECK(q.Text(3) >= "2024-10-01");
    }
    CHECK(customers == 120);
    auto b = db.Prepare(
        "SELECT c.diameter_mm, b.usage_m3, b.water_charge, b.sewer_charge, b.tax, b.total, b.prev_reading, "
        "b.curr_reading FROM bills b JOIN customers c USING (customer_number)");
    int checked = 0;
    while (b.Step()) {
      auto expect = DocTableBill(static_cast<int>(b.Int(0)), static_cast<int>(b.Int(1)));
      CHECK(b.Int(2) == expect.water_yen);
      CHECK(b.Int(3) == expect.sewer_yen);
      CHECK(b.Int(4) == expect.tax_yen);
      CHECK(b.Int(5) == expect.total_yen);
      CHECK(b.Int(7) - b.Int(6) == b.Int(1));
      ++checked;
    }
    CHECK(checked == 1440);
    auto pays = db.Prepare("SELECT COUNT(*), COUNT(DISTINCT customer_number), MAX(paid_on) FROM payments");
    pays.Step();
    CHECK(pays.Int(0) > 1200);
    CHECK(pays.Int(1) == 120);
    CHECK(pays.Text(2) < "2026-11-24");
  }
  // Idempotent; and the demo resident sees 12 periods.
  mizu::backend::FillDemoData(app, now);
  auto client = server.Client();
  auto login =
      client.Post("/api/v1/login", json{{"email", logins[0].email}, {"password", logins[0].password}}.dump(),
                  "application/json");
  REQUIRE(login->status == 200);
  std::string cookie = login->get_header_value("Set-Cookie");
  cookie = cookie.substr(0, cookie.find(';'));
  auto bills =
      client.Get(("/api/v1/contracts/" + logins[0].customer_number + "/bills").c_str(), {{"Cookie", cookie}});
  REQUIRE(bills->status == 200);
  CHECK(json::parse(bills->body)["bills"].size() == 12);
  auto notices = client.Get("/api/v1/notices", {{"Cookie", cookie}});
  CHECK(json::parse(notices->body)["notices"].size() >= 1);
}
