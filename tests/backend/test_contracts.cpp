// 契約内容のご確認 (M15): add with identity + consent, primary first, remove, change primary, ownership.
#include "accounts_helpers.hpp"

using namespace mizu::testing;

TEST_CASE("a family member adds a parent's contract with consent", "[contracts]") {
  Portal p;
  REQUIRE(p.SignUp("child@example.jp", "00000008006", "03-1234-5678").status == 201);
  json add = {{"customer_number", "0-0000008002"},
              {"bureau_phone", "0467-12-3456"},
              {"name_kana", "やまだ たろう"},
              {"relationship", "family"},
              {"consent", false}};
  auto no_consent = p.Post("/api/v1/contracts", add);
  CHECK(no_consent.status == 400);
  CHECK(no_consent.body["error"]["fields"]["consent"]["message"] ==
        "同意を得ていない場合は申し込みを行うことができません。");
  add["consent"] = true;
  add["name_kana"] = "サトウ ハナコ";
  CHECK(ErrorCode(p.Post("/api/v1/contracts", add)) == "identity_mismatch");
  add["name_kana"] = "やまだ　たろう";  // hiragana and an ideographic space are fine
  auto ok = p.Post("/api/v1/contracts", add);
  REQUIRE(ok.status == 201);
  CHECK(ok.body["relationship"] == "family");
  CHECK(ok.body["primary"] == false);
  CHECK(ok.body["visible_from"] == "2026-11-24T09:00:00+09:00");
  CHECK(ErrorCode(p.Post("/api/v1/contracts", add)) == "contract_already_linked");

  auto list = p.Get("/api/v1/contracts").body["contracts"];
  REQUIRE(list.size() == 2);
  CHECK(list[0]["customer_number"] == "00000008006");  // primary first
  CHECK(list[0]["primary"] == true);

  // The parent can no longer register the same contract (pattern 2).
  p.ForgetCookie();
  CHECK(ErrorCode(p.SignUp("parent@example.jp", "00000008002", "0467-12-3456")) == "contract_unavailable");
}

TEST_CASE("relationship and consent rules", "[contracts]") {
  Portal p;
  REQUIRE(p.SignUp("child@example.jp", "00000008006", "03-1234-5678").status == 201);
  json add = {{"customer_number", "00000008004"},
              {"bureau_phone", "0467-22-3333"},
              {"name_kana", "ヤマダ ハナ"},
              {"relationship", "neighbour"},
              {"consent", true}};
  CHECK(ErrorCode(p.Post("/api/v1/contracts", add)) == "relationship_invalid");
  add["relationship"] = "本人";
  add["consent"] = false;  // not needed for 本人
  CHECK(p.Post("/api/v1/contracts", add).status == 201);
}

TEST_CASE("the primary contract cannot be removed until another is primary", "[contracts]") {
  Portal p;
  REQUIRE(p.SignUp("child@example.jp", "00000008006", "03-1234-5678").status == 201);
  REQUIRE(p.Post("/api/v1/contracts", {{"customer_number", "00000008002"},
                                       {"bureau_phone", "0467-12-3456"},
                                       {"name_kana", "ヤマダ タロウ"},
                                       {"relationship", "family"},
                                       {"consent", true}})
              .status == 201);
  auto refused = p.Send("DELETE", "/api/v1/contracts/00000008006");
  CHECK(refused.status == 409);
  CHECK(ErrorCode(refused) == "contract_primary");
  CHECK(p.Send("PUT", "/api/v1/contracts/0-0000008002/primary").status == 204);
  auto list = p.Get("/api/v1/contracts").body["contracts"];
  CHECK(list[0]["customer_number"] == "00000008002");
  CHECK(p.Send("DELETE", "/api/v1/contracts/00000008006").status == 204);
  CHECK(p.Get("/api/v1/contracts").body["contracts"].size() == 1);
}

TEST_CASE("contract routes never reach another account's contract", "[contracts]") {
  Portal p;
  REQUIRE(p.SignUp("one@example.jp", "00000008002", "0467-12-3456").status == 201);
  p.ForgetCookie();
  REQUIRE(p.SignUp("two@example.jp", "00000008004", "0467-22-3333").status == 201);
  auto del = p.Send("DELETE", "/api/v1/contracts/00000008002");
  CHECK(del.status == 404);
  CHECK(ErrorCode(del) == "contract_not_found");
  CHECK(p.Send("PUT", "/api/v1/contracts/00000008002/primary").status == 404);
  CHECK(p.Send("PUT", "/api/v1/contracts/99999999999/primary").status ==
        404);  // same answer as "someone else's"
  CHECK(p.Send("DELETE", "/api/v1/contracts/garbage").status == 404);
}

TEST_CASE("at most 20 contracts per account", "[contracts]") {
  Portal p;
  std::string csv =
      "customer_number,holder_name,holder_kana,address,bureau_phone,meter_id,smart_meter,diameter_mm,"
      "status\n";
  for (int i = 0; i < 21; ++i) {
    char line[256];
    std::snprintf(line, sizeof line, "%011d,テスト,テスト,水守市%d,0467-55-%04d,,0,13,active\n", 90000 + i, i,
                  i);
    csv += line;
  }
  {
    std::lock_guard lock(p.App().db_mutex);
    REQUIRE(mizu::backend::ImportCustomers(*p.App().db, csv, {{}, &p.App().tariff}, 0).inserted == 21);
  }
  REQUIRE(p.SignUp("many@example.jp", "00000090000", "0467-55-0000").status == 201);
  for (int i = 1; i < 21; ++i) {
    char cn[16], phone[16];
    std::snprintf(cn, sizeof cn, "%011d", 90000 + i);
    std::snprintf(phone, sizeof phone, "0467-55-%04d", i);
    auto r = p.Post("/api/v1/contracts", {{"customer_number", cn},
                                          {"bureau_phone", phone},
                                          {"name_kana", "テスト"},
                                          {"relationship", "other"},
                                          {"consent", true}});
    if (i < 20) {
      CHECK(r.status == 201);
    } else {
      CHECK(r.status == 409);
      CHECK(ErrorCode(r) == "contract_limit");
    }
  }
}
