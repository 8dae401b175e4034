// The customer master import (CIS → portal): admin route with a Bearer token and the CLI; UTF-8 and CP932;
// every bad row reported with its line; good rows still load; re-import is idempotent.
#include <sys/wait.h>

#include "accounts_helpers.hpp"
#include "mizu/backend/api_tokens.hpp"
#include "mizu/backend/csv.hpp"

using namespace mizu::testing;
using mizu::backend::EncodeText;
using mizu::backend::TextEncoding;

namespace {

const std::string kCsv =
    "status,customer_number,holder_name,holder_kana,address,bureau_phone,meter_id,smart_meter,diameter_mm,"
    "extra\n"
    "active,00000007002,\"高橋, 清\",たかはし きよし,水守市緑ケ丘1-1,0467-44-5555,M900001,1,13,x\n"  // line 2
                                                                                                     // ok
    "active,123,田中 一郎,タナカ イチロウ,水守市港南2-2,0467-44-6666,,0,13,\n"   // line 3 bad number
    "active,00000007004,伊藤 陽子,Ito Yoko,水守市本町3-3,0467-44-7777,,0,13,\n"  // line 4 bad kana
    "active,00000007006,渡辺 茂,ワタナベ シゲル,\"水守市本町\n4-4\",0467-44-8888,,0,17,\n"  // line 5-6 LF in
                                                                                            // the address
    "unknown,00000007008,中村 節子,ナカムラ セツコ,水守市水守5-5,12,,maybe,13,\n"           // line 7 3 errors
    "active,00000007010,小林 健,コバヤシ ケン,水守市桜台6-6,0467-44-9999,M900001,1,20,\n";  // line 8 dup
                                                                                            // meter

std::string Token(Portal& p) {
  return mizu::backend::CreateApiToken(p.App(), "import", "test", 0);
}

}  // namespace

TEST_CASE("admin import reports every bad row with its line and loads the good ones", "[import]") {
  Portal p;
  auto client = p.Server().Client();
  httplib::Headers auth = {{"Authorization", "Bearer " + Token(p)}};
  auto res = client.Post("/api/v1/admin/import/customers", auth, kCsv, "text/csv");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  auto r = json::parse(res->body);
  CHECK(r["rows"] == 6);
  CHECK(r["inserted"] == 1);
  CHECK(r["rejected"] == 5);
  std::multimap<int, std::string> errors;
  for (auto& e : r["errors"])
    errors.emplace(e["line"].get<int>(), e["field"].get<std::string>() + ":" + e["code"].get<std::string>());
  CHECK(errors.count(2) == 0);
  CHECK(errors.find(3)->second == "customer_number:customer_number_invalid");
  CHECK(errors.find(4)->second == "holder_kana:kana_invalid");
  CHECK(errors.find(5)->second == "address:control_character");  // checked before anything else
  CHECK(errors.count(7) == 3);
  CHECK(errors.find(8)->second == "meter_id:duplicate");
  {
    std::lock_guard lock(p.App().db_mutex);
    auto q = p.App().db->Prepare(
        "SELECT holder_name, holder_kana, address FROM customers WHERE customer_number = '00000007002'");
    REQUIRE(q.Step());
    CHECK(q.Text(0) == "高橋, 清");
    CHECK(q.Text(1) == "たかはし きよし");  // stored as sent; normalised only to check and compare
    auto none = p.App().db->Prepare("SELECT count(*) FROM customers WHERE customer_number = '00000007010'");
    none.Step();
    CHECK(none.Int(0) == 0);  // nothing half-applied
  }
  // Idempotent: the same file again changes nothing.
  auto again = json::parse(client.Post("/api/v1/admin/import/customers", auth, kCsv, "text/csv")->body);
  CHECK(again["inserted"] == 0);
  CHECK(again["updated"] == 0);
  CHECK(again["unchanged"] == 1);
}

TEST_CASE("admin import accepts CP932 and refuses a missing or wrong token", "[import]") {
  Portal p;
  auto client = p.Server().Client();
  std::string cp932 = EncodeText(kCsv, TextEncoding::kCp932);
  REQUIRE(cp932 != kCsv);
  httplib::Headers auth = {{"Authorization", "Bearer " + Token(p)}};
  auto res = client.Post("/api/v1/admin/import/customers?encoding=cp932", auth, cp932, "text/csv");
  REQUIRE(res->status == 200);
  CHECK(json::parse(res->body)["inserted"] == 1);
  auto charset = client.Post("/api/v1/admin/import/customers", auth, cp932, "text/csv; charset=Shift_JIS");
  CHECK(json::parse(charset->body)["unchanged"] == 1);
  // CP932 bytes declared as UTF-8 are refused as a whole, with the line.
  auto wrong = client.Post("/api/v1/admin/import/customers", auth, cp932, "text/csv");
  CHECK(wrong->status == 400);
  CHECK(json::parse(wrong->body)["error"]["line"] == 2);
  CHECK(client.Post("/api/v1/admin/import/customers", kCsv, "text/csv")->status == 401);
  httplib::Headers bad = {{"Authorization", "Bearer nope"}};
  CHECK(client.Post("/api/v1/admin/import/customers", bad, kCsv, "text/csv")->status == 401);
  std::string ingest = mizu::backend::CreateApiToken(p.App(), "ingest", "head-end", 0);
  httplib::Headers other_scope = {{"Authorization", "Bearer " + ingest}};
  CHECK(client.Post("/api/v1/admin/import/customers", other_scope, kCsv, "text/csv")->status == 401);
  auto missing =
      client.Post("/api/v1/admin/import/customers", auth, "customer_number,holder_name\n1,x\n", "text/csv");
  CHECK(missing->status == 400);
  CHECK(json::parse(missing->body)["error"]["detail"].get<std::string>().find("missing column") !=
        std::string::npos);
}

TEST_CASE("CSV parsing: quotes, doubled quotes, CRLF, blank lines, errors with lines", "[import]") {
  using mizu::backend::ParseCsv;
  auto t = ParseCsv(
      "\xEF\xBB\xBF"
      "a, b ,c\r\n1,\"x,\"\"y\"\"\",\"multi\nline\"\r\n\r\n2,,\n");
  REQUIRE(t.header == std::vector<std::string>{"a", "b", "c"});
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0].fields == std::vector<std::string>{"1", "x,\"y\"", "multi\nline"});
  CHECK(t.rows[0].line == 2);
  CHECK(t.rows[1].line == 5);
  CHECK(t.rows[1].fields == std::vector<std::string>{"2", "", ""});
  CHECK_THROWS_AS(ParseCsv("a\n\"open"), mizu::backend::CsvError);
  CHECK_THROWS_AS(ParseCsv("a\nx\"y"), mizu::backend::CsvError);
  CHECK(mizu::backend::CsvRecord({"a", "b,c", "d\"e"}) == "a,\"b,c\",\"d\"\"e\"\r\n");
}

TEST_CASE("mizumori token create and import customers from the command line", "[import]") {
  const TempDir dir("mizu-cli-import");
  auto file = dir / "customers.csv";
  std::ofstream(file, std::ios::binary) << EncodeText(kCsv, TextEncoding::kCp932);
  std::string base = std::string(MIZU_BINARY) + " ";
  std::string data = " --data " + (dir / "data").string();
  int rc = std::system((base + "import customers " + file.string() + " --encoding cp932" + data + " > " +
                        (dir / "out.txt").string())
                           .c_str());
  CHECK(WEXITSTATUS(rc) == 1);  // some rows were rejected
  std::ifstream out(dir / "out.txt");
  std::string first;
  std::getline(out, first);
  CHECK(first == "6 rows: 1 inserted, 0 updated, 0 unchanged, 5 rejected");
  std::string line;
  std::getline(out, line);
  CHECK(line.rfind("line 3: customer_number", 0) == 0);
  rc = std::system(
      (base + "token create --scope import" + data + " > " + (dir / "token.txt").string()).c_str());
  CHECK(WEXITSTATUS(rc) == 0);
  std::ifstream token_file(dir / "token.txt");
  std::string token;
  std::getline(token_file, token);
  CHECK(token.size() == 43);
  CHECK(WEXITSTATUS(std::system((base + "token create --scope admin" + data + " 2>/dev/null").c_str())) == 2);
}
