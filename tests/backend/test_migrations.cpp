// Upgrading a database written by an older schema keeps every row and every reference (migration 7 rebuilds
// the accounts table, which others reference with ON DELETE CASCADE).
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "mizu/backend/db.hpp"
#include "pg_fixture.hpp"
#include "temp_dir.hpp"

using mizu::backend::Database;
using mizu::backend::DbError;
using mizu::testing::TempDir;

namespace {

// The customer master row both upgrade tests start from (its columns exist from schema 5 on).
constexpr const char* kOneCustomer = R"sql(
      INSERT INTO customers (customer_number, holder_name, holder_kana, address, bureau_phone, diameter_mm, status,
                             updated_at) VALUES ('00000008002', '山田 太郎', 'ヤマダ タロウ', '水守市本町1', '0467111111', 13,
                             'active', 1);
)sql";

int64_t Count(Database& db, const std::string& table) {
  auto q = db.Prepare("SELECT count(*) FROM " + table);
  q.Step();
  return q.Int(0);
}

}  // namespace

TEST_CASE("an account database of schema 6 upgrades to mobile logins with every row and reference kept",
          "[sqlite][db]") {
  const TempDir dir("mizu-migrate");  // first: removed after the databases are closed
  std::string path = (dir / "mizumori.db").string();
  {
    Database old(path, 6);
    REQUIRE(old.SchemaVersion() == 6);
    old.Exec(std::string(kOneCustomer) + R"sql(
      INSERT INTO accounts (id, email, password_hash, applicant_phone, lang, created_at)
        VALUES (7, 'taro@example.jp', 'scrypt$x', '09012345678', 'en', 100);
      INSERT INTO contract_links (customer_number, account_id, relationship, consent, is_primary, linked_at, visible_from)
        VALUES ('00000008002', 7, 'self', 1, 1, 100, 200);
      INSERT INTO sessions (token_hash, account_id, remember, created_at, last_seen_at, expires_at)
        VALUES ('h1', 7, 1, 100, 100, 99999);
    )sql");
  }
  Database db(path);
  CHECK(db.SchemaVersion() >= 7);
  CHECK(Count(db, "accounts") == 1);
  CHECK(Count(db, "contract_links") == 1);
  CHECK(Count(db, "sessions") == 1);
  {
    auto a = db.Prepare("SELECT email, mobile, lang, password_hash FROM accounts WHERE id = 7");
    REQUIRE(a.Step());
    CHECK(a.Text(0) == "taro@example.jp");
    CHECK(a.IsNull(1));
    CHECK(a.Text(2) == "en");
    CHECK(a.Text(3) == "scrypt$x");
  }
  {
    auto fk = db.Prepare("PRAGMA foreign_key_check");
    CHECK_FALSE(fk.Step());
    auto on = db.Prepare("PRAGMA foreign_keys");
    REQUIRE(on.Step());
    CHECK(on.Int(0) == 1);
  }
  // The new rules: a mobile-only account is fine, an account with neither ID is refused.
  db.Exec(
      "INSERT INTO accounts (email, mobile, password_hash, applicant_phone, created_at) "
      "VALUES (NULL, '09011112222', 'h', '09011112222', 1)");
  CHECK_THROWS_AS(db.Exec("INSERT INTO accounts (email, mobile, password_hash, applicant_phone, created_at) "
                          "VALUES (NULL, NULL, 'h', '0', 1)"),
                  DbError);
  // References still point at the rebuilt table: deleting the account cascades to its session and link.
  db.Exec("DELETE FROM accounts WHERE id = 7");
  CHECK(Count(db, "sessions") == 0);
  CHECK(Count(db, "contract_links") == 0);
}

TEST_CASE(
    "schema 8: sessions written before it become families of their own, sign-up tokens count mismatches",
    "[sqlite][db]") {
  const TempDir dir("mizu-migrate");  // first: removed after the databases are closed
  std::string path = (dir / "mizumori.db").string();
  {
    Database old(path, 7);
    old.Exec(R"sql(
      INSERT INTO accounts (id, email, password_hash, applicant_phone, lang, created_at)
        VALUES (7, 'taro@example.jp', 'scrypt$x', '09012345678', 'ja', 100);
      INSERT INTO sessions (token_hash, account_id, remember, created_at, last_seen_at, expires_at)
        VALUES ('h1', 7, 1, 100, 100, 99999), ('h2', 7, 0, 100, 100, 99999);
      INSERT INTO signup_tokens (token_hash, email, expires_at) VALUES ('t1', 'sachi@example.jp', 99999);
    )sql");
  }
  Database db(path);
  CHECK(db.SchemaVersion() >= 8);
  auto s =
      db.Prepare("SELECT token_hash, family, rotated_at, successor_hash FROM sessions ORDER BY token_hash");
  for (const char* hash : {"h1", "h2"}) {
    REQUIRE(s.Step());
    CHECK(s.Text(0) == hash);
    CHECK(s.Text(1) == hash);
    CHECK(s.IsNull(2));
    CHECK(s.IsNull(3));
  }
  s.Reset();
  auto t = db.Prepare("SELECT mismatches FROM signup_tokens WHERE token_hash = 't1'");
  REQUIRE(t.Step());
  CHECK(t.Int(0) == 0);
}

TEST_CASE(
    "a database of schema 19 upgrades with each bill's received sum kept on the bill, and it follows "
    "every later payment",
    "[db]") {
  // On the engine the suite runs on: a SQLite file, or a database of the PostgreSQL test cluster (its own
  // migration 20 and triggers); both gone at the end.
  const TempDir dir("mizu-migrate");
  std::string path = mizu::testing::TestDatabaseUrl(dir.Path());
  if (path.empty()) path = (dir / "mizumori.db").string();
  struct Drop {
    std::filesystem::path dir;
    ~Drop() { mizu::testing::DropTestDatabase(dir); }
  } drop{dir.Path()};  // before the folder goes
  {
    Database old(path, 19);
    REQUIRE(old.SchemaVersion() == 19);
    old.Exec(std::string(kOneCustomer) + R"sql(
      INSERT INTO bills (customer_number, reading_date, period_start, period_end, prev_reading, curr_reading,
                         usage_m3, water_charge, sewer_charge, tax, total, due_date, payment_method, updated_at)
        VALUES ('00000008002', '2026-09-24', '2026-07-25', '2026-09-24', 636, 663, 27, 3110, 2040, 515, 5665,
                '2026-10-14', 'payment_slip', 1),
               ('00000008002', '2026-11-24', '2026-09-25', '2026-11-24', 663, 685, 22, 2360, 1440, 380, 4180,
                '2026-12-14', 'payment_slip', 1);
      INSERT INTO payments (customer_number, reading_date, paid_on, amount, method, updated_at)
        VALUES ('00000008002', '2026-09-24', '2026-10-01', 5000, 'counter', 1),
               ('00000008002', '2026-09-24', '2026-10-05', 665, 'counter', 1);
    )sql");
  }
  Database db(path);
  CHECK(db.SchemaVersion() >= 20);
  auto paid = [&db](const char* reading_date) {
    auto q = db.Prepare("SELECT paid FROM bills WHERE customer_number = '00000008002' AND reading_date = ?");
    q.Bind(1, std::string(reading_date));
    REQUIRE(q.Step());
    return q.Int(0);
  };
  CHECK(paid("2026-09-24") == 5665);  // 5,000 + 665, summed by the upgrade
  CHECK(paid("2026-11-24") == 0);
  db.Exec(
      "INSERT INTO payments (customer_number, reading_date, paid_on, amount, method, updated_at) "
      "VALUES ('00000008002', '2026-11-24', '2026-12-01', 4000, 'bank', 2)");
  CHECK(paid("2026-11-24") == 4000);
  db.Exec("UPDATE payments SET amount = 4180 WHERE reading_date = '2026-11-24'");  // a CIS correction
  CHECK(paid("2026-11-24") == 4180);
  db.Exec("UPDATE payments SET reading_date = '2026-11-24' WHERE paid_on = '2026-10-05'");  // moved to the
                                                                                            // other bill
  CHECK(paid("2026-09-24") == 5000);
  CHECK(paid("2026-11-24") == 4845);
  db.Exec("DELETE FROM payments WHERE paid_on = '2026-10-01'");
  CHECK(paid("2026-09-24") == 0);
  CHECK(paid("2026-11-24") == 4845);
}

TEST_CASE("schema 21: bills rebuilt in their primary key's order keep every column, index and trigger",
          "[sqlite][db]") {
  const TempDir dir("mizu-migrate");  // first: removed after the databases are closed
  const std::string path = (dir / "mizumori.db").string();
  const std::string columns =
      "customer_number, reading_date, period_start, period_end, prev_reading, curr_reading, usage_m3, "
      "water_charge, sewer_charge, tax, total, due_date, payment_method, updated_at, konbini_barcode, "
      "payeasy_customer_number, payeasy_confirmation_number, reissue, reissue_deadline, paid";
  auto rows = [&columns](Database& db) {  // every column of every bill, as text, in key order
    std::vector<std::string> out;
    auto q = db.Prepare("SELECT " + columns + " FROM bills ORDER BY customer_number, reading_date");
    while (q.Step()) {
      std::string row;
      for (int c = 0; c < q.ColumnCount(); ++c) row += q.Text(c) + "|";
      out.push_back(row);
    }
    return out;
  };
  std::vector<std::string> before;
  {
    Database old(path, 20);
    old.Exec(std::string(kOneCustomer) + R"sql(
      INSERT INTO bills (customer_number, reading_date, period_start, period_end, prev_reading, curr_reading,
                         usage_m3, water_charge, sewer_charge, tax, total, due_date, payment_method, updated_at,
                         konbini_barcode, payeasy_customer_number, payeasy_confirmation_number, reissue,
                         reissue_deadline)
        VALUES ('00000008002', '2026-11-24', '2026-09-25', '2026-11-24', 663, 685, 22, 2360, 1440, 380, 4180,
                '2026-12-14', 'payment_slip', 1, '91912345000000000800220261124000041800100000', '0000000800',
                '2026112400', 1, '2026-12-28'),
               ('00000008002', '2026-09-24', '2026-07-25', '2026-09-24', 636, 663, 27, 3110, 2040, 515, 5665,
                '2026-10-14', 'account_transfer', 1, '', '', '', 0, '');
      INSERT INTO payments (customer_number, reading_date, paid_on, amount, method, updated_at)
        VALUES ('00000008002', '2026-09-24', '2026-10-14', 5665, 'account_transfer', 1);
    )sql");
    before = rows(old);
  }
  REQUIRE(before.size() == 2);
  CHECK(before[0].substr(before[0].rfind('|', before[0].size() - 2)) == "|5665|");  // paid: 20's trigger
  Database db(path);
  REQUIRE(db.SchemaVersion() >= 21);
  CHECK(rows(db) == before);
  auto schema = [&db](const std::string& name) {
    auto q = db.Prepare("SELECT sql FROM sqlite_schema WHERE name = ?");
    q.Bind(1, name);
    return q.Step() ? q.Text(0) : std::string();
  };
  CHECK(schema("bills").find("WITHOUT ROWID") != std::string::npos);
  CHECK(schema("bills_konbini_bill").find("substr(konbini_barcode, 3, 27)") != std::string::npos);
  CHECK(schema("bills_payeasy").find("payeasy_confirmation_number") != std::string::npos);
  CHECK(schema("bills_rebuilt").empty());
  // The triggers of 20 follow the rebuilt table.
  db.Exec(
      "INSERT INTO payments (customer_number, reading_date, paid_on, amount, method, updated_at) "
      "VALUES ('00000008002', '2026-11-24', '2026-12-01', 4000, 'konbini', 2)");
  auto paid = [&db](const char* reading_date) {
    auto q = db.Prepare("SELECT paid FROM bills WHERE reading_date = ?");
    q.Bind(1, std::string(reading_date));
    REQUIRE(q.Step());
    return q.Int(0);
  };
  CHECK(paid("2026-11-24") == 4000);
  db.Exec("UPDATE payments SET amount = 4180 WHERE reading_date = '2026-11-24'");
  CHECK(paid("2026-11-24") == 4180);
  db.Exec("DELETE FROM payments WHERE reading_date = '2026-09-24'");
  CHECK(paid("2026-09-24") == 0);
  // The payment-code lookups still find their bill, through their indexes.
  auto by_barcode = db.Prepare(
      "SELECT reading_date FROM bills WHERE substr(konbini_barcode, 3, 27) = "
      "substr('91912345000000000800220261124000041800100000', 3, 27) AND konbini_barcode <> ''");
  REQUIRE(by_barcode.Step());
  CHECK(by_barcode.Text(0) == "2026-11-24");
  auto plan = db.Prepare(
      "EXPLAIN QUERY PLAN SELECT reading_date FROM bills WHERE payeasy_customer_number = '0000000800' AND "
      "payeasy_confirmation_number = '2026112400' AND payeasy_customer_number <> ''");
  REQUIRE(plan.Step());
  CHECK(plan.Text(3).find("bills_payeasy") != std::string::npos);
  CHECK_FALSE(db.Prepare("PRAGMA foreign_key_check").Step());
}
