// Control characters and over-long values over the real interfaces: every JSON route's text fields refuse
// them with a field error (ja/en), never a 500 (a watch recipient name with ESC used to be `500 internal`);
// CIS imports refuse them per line; ingest refuses them per row; and no error ever echoes more than a short
// prefix of the bad value (a 30 MB `at` used to come back whole).
#include "billing_helpers.hpp"
#include "mizu/backend/api_tokens.hpp"
#include "mizu/backend/ingest.hpp"

using namespace mizu::testing;
namespace backend = mizu::backend;
using mizu::ParseIso8601;

namespace {

const std::string kEsc = "\x1B";
const std::string kNel = "\xC2\x85";  // U+0085 NEXT LINE (C1)
const std::string kDel = "\x7F";

json FieldOf(const Reply& r, const std::string& field) {
  return r.body["error"]["fields"].value(field, json());
}

json MoveIn() {
  return {{"address", "水守市桜台2-3-4"}, {"name", "田中 陽子"},        {"name_kana", "タナカ ヨウコ"},
          {"phone", "090-1234-5678"},     {"email", "yoko@example.jp"}, {"desired_date", "2026-11-24"},
          {"payment_method", "口座振替"}};
}

}  // namespace

TEST_CASE("a control character in any JSON text field is a field error, never a 500", "[text][controls]") {
  Portal p;
  REQUIRE(p.SignUp("parent@example.jp").status == 201);
  const std::string watch = "/api/v1/contracts/00000008002/watch";

  // The reported case: a watch recipient's name with ESC.
  auto esc = p.Send(
      "PUT", watch,
      {{"start_hours", {6}}, {"recipients", {{{"name", "息子" + kEsc}, {"email", "son@example.jp"}}}}});
  REQUIRE(esc.status == 400);
  CHECK(ErrorCode(esc) == "control_character");
  CHECK(FieldOf(esc, "recipients[0].name")["code"] == "control_character");
  CHECK(FieldOf(esc, "recipients[0].name")["message"] ==
        "使用できない制御文字（改行・エスケープなど）が含まれています。");
  auto en = p.Send(
      "PUT", watch,
      {{"start_hours", {6}}, {"recipients", {{{"name", "son"}, {"email", "son" + kDel + "@example.jp"}}}}},
      {{"Accept-Language", "en"}});
  REQUIRE(en.status == 400);
  CHECK(FieldOf(en, "recipients[0].email")["message"] ==
        "This contains a control character (such as a line break or escape) that cannot be used.");
  auto nel =
      p.Send("PUT", watch,
             {{"start_hours", {6}}, {"recipients", {{{"name", "娘" + kNel}, {"email", "d@example.jp"}}}}});
  CHECK(nel.status == 400);
  CHECK(FieldOf(nel, "recipients[0].name")["code"] == "control_character");
  auto tab = p.Send("PUT", watch,
                    {{"start_hours", {6}}, {"recipients", {{{"name", "娘\t"}, {"email", "d@example.jp"}}}}});
  CHECK(FieldOf(tab, "recipients[0].name")["code"] == "control_character");  // no field here allows TAB
  CHECK(p.Get(watch).body["active"] == false);                               // nothing stored

  // Siblings: the account, contract and application routes.
  auto contract = p.Post("/api/v1/contracts", {{"customer_number", "00000008004"},
                                               {"bureau_phone", "0467-22-3333"},
                                               {"name_kana", "ヤマダ" + kEsc + "ハナ"},
                                               {"relationship", "family"},
                                               {"consent", true}});
  CHECK(contract.status == 400);
  CHECK(FieldOf(contract, "name_kana")["code"] == "control_character");
  auto email = p.Post("/api/v1/me/email/start", {{"new_email", "new" + kNel + "@example.jp"}});
  CHECK(email.status == 400);
  CHECK(FieldOf(email, "new_email")["code"] == "control_character");
  p.ForgetCookie();
  auto signup = p.Post("/api/v1/signup/start", {{"email", "a\x1B@example.jp"}});
  CHECK(signup.status == 400);
  CHECK(FieldOf(signup, "email")["code"] == "control_character");
  auto login = p.Post("/api/v1/login", {{"email", std::string("a\0b@example.jp", 14)}, {"password", "x"}});
  CHECK(login.status == 400);
  CHECK(FieldOf(login, "email")["code"] == "control_character");
  for (const char* field : {"address", "name", "phone", "payment_method"}) {
    json body = MoveIn();
    body[field] = body[field].get<std::string>() + kNel;
    auto r = p.Post("/api/v1/applications/move-in", body);
    INFO(field);
    CHECK(r.status == 400);
    CHECK(FieldOf(r, field)["code"] == "control_character");
  }
  // Nothing refused reached the outbox (the 500 came from rendering the mail).
  std::lock_guard lock(p.App().db_mutex);
  auto q = p.App().db->Prepare("SELECT COUNT(*) FROM mail_outbox WHERE to_addr NOT LIKE 'parent@%'");
  q.Step();
  CHECK(q.Int(0) == 0);
}

TEST_CASE("CIS imports refuse control characters and over-long fields per line", "[text][controls][import]") {
  Portal p;
  const std::string header =
      "customer_number,holder_name,holder_kana,address,bureau_phone,meter_id,smart_meter,diameter_mm,"
      "status\n";
  const std::string long_address(340000, 'x');
  std::string csv = header;
  csv +=
      "00000009002,水守 一,"
      "ミズモリ ハジメ,水守市本町1,0467-12-3456,,0,13,active\n";                                // line 2 ok
  csv += "00000009004,水守" + kEsc + "二,ミズモリ ジ,水守市本町2,0467-12-3456,,0,13,active\n";  // 3 ESC
  csv += "00000009006,水守 三,ミズモリ サン,水守市本町3" + kNel + ",0467-12-3456,,0,13,active\n";  // 4 NEL
  csv += "00000009008,水守 四,ミズモリ シ,\"" + long_address + "\",0467-12-3456,,0,13,active\n";   // 5 long
  csv += "00000009010,水守 五,ミズモリ ゴ,水守市本町5,0467-12-3456,M9" + kDel + ",1,13,active\n";  // 6 DEL
  csv += "00000009012,\"水守\t六\",ミズモリ ロク,水守市本町6,0467-12-3456,,0,13,active\n";         // 7 TAB
  csv += "00000009014,水守 七,ミズモリ ナナ,\"水守市本町7\n2階\",0467-12-3456,,0,13,active\n";     // 8 LF
  auto r = AdminImport(p, "customers", csv);
  REQUIRE(r.status == 200);
  CHECK(r.body["inserted"] == 1);
  CHECK(r.body["rejected"] == 6);
  std::map<int, std::pair<std::string, std::string>> got;
  for (auto& e : r.body["errors"]) {
    got[e["line"].get<int>()] = {e["field"], e["code"]};
    CHECK(e["detail"].get<std::string>().size() < 120);  // never the value itself
  }
  const std::map<int, std::pair<std::string, std::string>> want = {{3, {"holder_name", "control_character"}},
                                                                   {4, {"address", "control_character"}},
                                                                   {5, {"address", "too_long"}},
                                                                   {6, {"meter_id", "control_character"}},
                                                                   {7, {"holder_name", "control_character"}},
                                                                   {8, {"address", "control_character"}}};
  CHECK(got == want);
  for (auto& e : r.body["errors"])
    if (e["line"] == 5) CHECK(e["detail"] == "address is 340000 characters; at most 200");
  {
    std::lock_guard lock(p.App().db_mutex);
    auto q = p.App().db->Prepare(
        "SELECT COUNT(*), MAX(length(address)) FROM customers WHERE customer_number LIKE '000000090%'");
    q.Step();
    CHECK(q.Int(0) == 1);
    CHECK(q.Int(1) == 6);  // 水守市本町1: nothing long was stored
  }
  // The limit itself: 200 characters pass, 201 do not.
  std::string at_limit = header + "00000009016,水守 八,ミズモリ ハチ,";
  for (int i = 0; i < 200; ++i) at_limit += "町";
  at_limit += ",0467-12-3456,,0,13,active\n00000009018,水守 九,ミズモリ ク,";
  for (int i = 0; i < 201; ++i) at_limit += "町";
  at_limit += ",0467-12-3456,,0,13,active\n";
  auto limit = AdminImport(p, "customers", at_limit);
  CHECK(limit.body["inserted"] == 1);
  REQUIRE(limit.body["errors"].size() == 1);
  CHECK(limit.body["errors"][0]["line"] == 3);
  CHECK(limit.body["errors"][0]["code"] == "too_long");

  // Bills and payments: the same check, per line.
  auto pay = AdminImport(p, "payments",
                         kPaymentsHeader + "00000008002,2026-11-18,5280,2026-11-20,口座振替" + kEsc + "\n" +
                             "00000008002,2026-11-18," + std::string(100, '9') + ",2026-11-20,口座振替\n");
  REQUIRE(pay.status == 200);
  REQUIRE(pay.body["errors"].size() == 2);
  CHECK(pay.body["errors"][0]["field"] == "method");
  CHECK(pay.body["errors"][0]["code"] == "control_character");
  CHECK(pay.body["errors"][1]["field"] == "amount");
  CHECK(pay.body["errors"][1]["code"] == "too_long");
  auto bills = AdminImport(
      p, "bills", kBillsHeader + BillLine("00000008002", "2026-11-18", 20, 1000, 13, "口座" + kNel + "振替"));
  REQUIRE(bills.body["errors"].size() == 1);
  CHECK(bills.body["errors"][0]["field"] == "payment_method");
  CHECK(bills.body["errors"][0]["code"] == "control_character");
}

TEST_CASE("ingest refuses control characters per row and echoes only a short prefix",
          "[text][controls][ingest]") {
  TestServer server;
  auto& app = server.App();
  {
    std::lock_guard lock(app.db_mutex);
    REQUIRE(backend::ImportCustomers(*app.db, kCustomersCsv, {{}, &app.tariff}, 0).inserted == 4);
  }
  app.clock.Set(*ParseIso8601("2026-11-22T12:00:00+09:00"));
  const std::string token = backend::CreateApiToken(app, "ingest", "head-end", 0);
  auto post = [&](const std::string& body, const char* type) {
    auto client = server.Client();
    client.set_read_timeout(60);
    auto res = client.Post("/api/v1/ingest/readings", {{"Authorization", "Bearer " + token}}, body, type);
    REQUIRE(res);
    return std::make_pair(res->status, json::parse(res->body, nullptr, false));
  };
  const std::string huge(30 * 1000 * 1000, '9');  // the 30 MB `at`
  json body = json::array({
      {{"meter_id", "M000001"}, {"at", "2026-11-22T10:00:00+09:00"}, {"register_l", 100}},  // 0 ok
      {{"meter_id", "M00" + kNel}, {"at", "2026-11-22T10:00:00+09:00"}, {"register_l", 100}},
      {{"meter_id", "M000001"}, {"at", huge}, {"register_l", 100}},
      {{"meter_id", "M000001"},
       {"at", "2026-11-22T09:00:00+09:00"},
       {"register_l", 1},
       {"alarms", {std::string(5000, 'z')}}},
  });
  auto [status, r] = post(body.dump(), "application/json");
  REQUIRE(status == 200);
  CHECK(r["accepted"] == 1);
  REQUIRE(r["errors"].size() == 3);
  CHECK(r["errors"][0]["code"] == "control_character");
  CHECK(r["errors"][0]["meter_id"] == "M00<U+0085>");
  CHECK(r["errors"][1]["code"] == "invalid_format");
  CHECK(r["errors"][1]["at"] == std::string(64, '9') + "…");
  CHECK(r["errors"][2]["code"] == "alarm_unknown");
  CHECK(r["errors"][2]["detail"].get<std::string>().size() < 200);

  // CSV and NDJSON: the same bounds (a broken NDJSON line's parser message quotes the token it read).
  auto [csv_status, csv] =
      post("meter_id,at,register_l\n" + std::string(100000, 'M') + "," + huge.substr(0, 100000) + ",1\n",
           "text/csv");
  REQUIRE(csv_status == 200);
  CHECK(csv["errors"][0]["meter_id"] == std::string(64, 'M') + "…");
  CHECK(csv["errors"][0]["at"] == std::string(64, '9') + "…");
  auto [nd_status, nd] =
      post("{\"meter_id\":\"" + std::string(1000000, 'a') + "\x01\"}\n", "application/x-ndjson");
  REQUIRE(nd_status == 200);
  REQUIRE(nd["errors"].size() == 1);
  CHECK(nd["errors"][0]["code"] == "invalid_json");
  CHECK(nd["errors"][0]["detail"].get<std::string>().size() < 400);
}
