// 使用開始 / 使用中止 applications (M16) over HTTP: field errors in ja/en, the desired date as typed
// (ParseDateInput's forms) and its rules (business day, not in the past, within 30 days), the confirmation
// mail, the stored status, the CSV export, rate limits.
#include "billing_helpers.hpp"
#include "mizu/backend/csv.hpp"

using namespace mizu::testing;

namespace {

// Friday 2026-11-20 15:00 JST (the Portal's clock): Mon 11-23 is a holiday, 11-24 the next business day.
json MoveIn(const std::string& email = "newcomer@example.jp") {
  return {{"address", "水守市桜台2-3-4 ハイツ水守101"},
          {"postal_code", "２５１−００５２"},
          {"name", "田中 陽子"},
          {"name_kana", "たなか ようこ"},
          {"phone", "０９０−１２３４−５６７８"},
          {"email", email},
          {"desired_date", "2026-11-24"},
          {"payment_method", "口座振替"}};
}

}  // namespace

TEST_CASE("applications refuse bad input with a field error each, in Japanese or English", "[billing]") {
  Portal p;
  auto empty = p.Post("/api/v1/applications/move-in", json::object());
  REQUIRE(empty.status == 400);
  for (const char* field :
       {"address", "name", "name_kana", "phone", "email", "desired_date", "payment_method"}) {
    INFO(field);
    CHECK(empty.body["error"]["fields"][field]["code"] == "required");
  }
  json bad = {{"address", std::string(201, 'x')}, {"postal_code", "12-345"},  {"name", "田中 陽子"},
              {"name_kana", "Tanaka Yoko"},       {"phone", "123"},           {"email", "yoko@"},
              {"desired_date", "2026-11-21"},     {"payment_method", "cash"}, {"customer_number", "12"}};
  auto r = p.Post("/api/v1/applications/move-out", bad);
  REQUIRE(r.status == 400);
  auto fields = r.body["error"]["fields"];
  CHECK(fields["address"]["code"] == "too_long");
  CHECK(fields["postal_code"]["code"] == "invalid_format");
  CHECK(fields["name_kana"]["code"] == "kana_invalid");
  CHECK(fields["phone"]["code"] == "phone_invalid");
  CHECK(fields["email"]["code"] == "email_invalid");
  CHECK(fields["desired_date"]["code"] == "date_not_business_day");  // a Saturday
  CHECK(fields["desired_date"]["message"] == "土・日・祝日は指定できません。平日を選択してください。");
  CHECK(fields["payment_method"]["code"] == "payment_method_invalid");
  CHECK(fields["customer_number"]["code"] == "customer_number_invalid");
  CHECK_FALSE(fields.contains("name"));
  auto en = p.Post("/api/v1/applications/move-out", bad, {{"Accept-Language", "en-US,en;q=0.9"}});
  CHECK(en.body["error"]["fields"]["name_kana"]["message"] == "Enter the name in katakana.");

  auto date = [&](const std::string& d) {
    json body = MoveIn();
    body["desired_date"] = d;
    auto res = p.Post("/api/v1/applications/move-in", body);
    return res.status == 201 ? std::string("ok")
                             : res.body["error"]["fields"]["desired_date"]["code"].get<std::string>();
  };
  CHECK(date("2026-11-19") == "date_in_past");
  CHECK(date("2026-11-20") == "date_out_of_window");     // today: the bureau needs a day
  CHECK(date("2026-11-23") == "date_not_business_day");  // 勤労感謝の日
  CHECK(date("2026-12-21") == "date_out_of_window");     // 31 days ahead
  CHECK(date("2026-11-31") == "date_invalid");
  CHECK(date("tomorrow") == "date_invalid");
  CHECK(date("2026/12/18") == "ok");  // a Friday 28 days ahead, written with slashes
  // Nothing refused was stored.
  std::lock_guard lock(p.App().db_mutex);
  auto q = p.App().db->Prepare("SELECT COUNT(*) FROM applications");
  q.Step();
  CHECK(q.Int(0) == 1);
}

TEST_CASE("the desired date is read as residents type it", "[billing]") {
  Portal p;  // Friday 2026-11-20: Tuesday 11-24 is the first business day after the holiday
  int n = 0;
  auto submit = [&](const std::string& typed) {
    json body = MoveIn("typed" + std::to_string(++n) + "@example.jp");  // 3 an hour per address
    body["desired_date"] = typed;
    return p.Post("/api/v1/applications/move-in", body);
  };
  for (const char* typed : {"2026年11月24日", "R8.11.24", "11/24", "２０２６／１１／２４",
                            "令和８年１１月２４日（火曜日）", "2026-11-24 (Tue)"}) {
    INFO(typed);
    auto r = submit(typed);
    REQUIRE(r.status == 201);
    CHECK(r.body["desired_date"] == "2026-11-24");
  }
  {
    std::lock_guard lock(p.App().db_mutex);
    auto q = p.App().db->Prepare("SELECT desired_date FROM applications ORDER BY id");
    int stored = 0;
    while (q.Step()) {
      CHECK(q.Text(0) == "2026-11-24");
      ++stored;
    }
    CHECK(stored == 6);
  }
  auto code = [&](const std::string& typed) {
    auto r = submit(typed);
    REQUIRE(r.status == 400);
    return r.body["error"]["fields"]["desired_date"]["code"].get<std::string>();
  };
  CHECK(code("2026年2月30日") == "date_invalid");
  CHECK(code("2026-11-24(水)") == "date_invalid");  // not that day's weekday
  CHECK(code("令和1年4月30日") == "date_invalid");  // still 平成 then
  CHECK(code("26/11/24") == "date_invalid");        // two-digit year
  CHECK(code("11/19") == "date_out_of_window");     // no year: the next 11-19 is in 2027
  CHECK(code("2026年11月19日") == "date_in_past");
  CHECK(code("令和8年11月23日") == "date_not_business_day");  // 勤労感謝の日
}

TEST_CASE("a move-in application is stored as received, confirmed by mail and exported", "[billing]") {
  Portal p;
  auto r = p.Post("/api/v1/applications/move-in", MoveIn());
  REQUIRE(r.status == 201);
  CHECK(r.body["reference"] == "MI-20261120-000001");
  CHECK(r.body["status"] == "received");
  CHECK(r.body["desired_date"] == "2026-11-24");
  json out = MoveIn();
  out["customer_number"] = "０−００００００８００２";
  out["forwarding_address"] = "東京都千代田区1-1";
  out["payment_method"] = "payment_slip";
  auto mo = p.Post("/api/v1/applications/move-out", out, {{"Accept-Language", "en"}});
  REQUIRE(mo.status == 201);
  CHECK(mo.body["reference"] == "MO-20261120-000002");

  REQUIRE(p.WaitForMails("newcomer@example.jp", 2) == 2);
  json ja, en;
  for (auto& m : p.MailsTo("newcomer@example.jp"))
    (m["subject"].get<std::string>().find("MI-") != std::string::npos ? ja : en) = m;
  CHECK(ja["subject"] == "【水守】使用開始のお申し込みを受け付けました（受付番号 MI-20261120-000001）");
  CHECK(ja["to_name"] == "田中 陽子");
  std::string body = ja["body"];
  CHECK(body.find("使用場所：水守市桜台2-3-4 ハイツ水守101") != std::string::npos);
  CHECK(body.find("使用開始希望日：2026年11月24日") != std::string::npos);
  CHECK(body.find("お支払い方法：口座振替") != std::string::npos);
  CHECK(en["subject"] ==
        "[Mizumori] We received your application to stop water service (MO-20261120-000002)");
  CHECK(en["body"].get<std::string>().find("Payment of the final bill: Payment slip") != std::string::npos);

  auto dir = (p.Server().Dir() / "data").string();
  auto csv = RunMizumori("export applications --encoding cp932 --data " + dir);
  REQUIRE(csv.code == 0);
  auto table =
      mizu::backend::ParseCsv(mizu::backend::DecodeText(csv.out, mizu::backend::TextEncoding::kCp932));
  REQUIRE(table.rows.size() == 2);
  auto col = [&](const mizu::backend::CsvRow& row, const char* name) {
    return row.fields[*table.Column(name)];
  };
  CHECK(col(table.rows[0], "reference") == "MI-20261120-000001");
  CHECK(col(table.rows[0], "kind") == "move_in");
  CHECK(col(table.rows[0], "status") == "received");
  CHECK(col(table.rows[0], "received_at") == "2026-11-20T15:00:00+09:00");
  CHECK(col(table.rows[0], "name_kana") == "タナカ ヨウコ");  // typed in hiragana
  CHECK(col(table.rows[0], "phone") == "09012345678");        // typed full-width
  CHECK(col(table.rows[0], "postal_code") == "2510052");
  CHECK(col(table.rows[0], "payment_method") == "direct_debit");
  CHECK(col(table.rows[1], "customer_number") == "00000008002");
  CHECK(col(table.rows[1], "forwarding_address") == "東京都千代田区1-1");
  CHECK(col(table.rows[1], "lang") == "en");
  CHECK(RunMizumori("export applications --status completed --data " + dir).out.find("MI-") ==
        std::string::npos);
}

TEST_CASE("applications are rate-limited per address", "[billing]") {
  Portal p;
  for (int i = 0; i < 3; ++i)
    REQUIRE(p.Post("/api/v1/applications/move-in", MoveIn("a@example.jp")).status == 201);
  auto r = p.Post("/api/v1/applications/move-in", MoveIn("A@example.jp"));
  CHECK(r.status == 429);
  CHECK(std::stoi(r.retry_after) > 0);
  CHECK(p.Post("/api/v1/applications/move-in", MoveIn("b@example.jp")).status == 201);
  p.Advance(3601);
  CHECK(p.Post("/api/v1/applications/move-in", MoveIn("a@example.jp")).status == 201);
  // A cross-site form post is refused before anything is stored.
  CHECK(p.Post("/api/v1/applications/move-in", MoveIn("c@example.jp"), {{"Origin", "https://evil.example"}})
            .status == 403);
}
