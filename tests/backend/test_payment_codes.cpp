// 料金のお支払い (issue 18): the 44-digit 料金代理収納 code, its check digit and refusals, the GS1-128 symbol
// read back by an independent reader (zbarimg, Debian zbar-tools), which codes a bill shows when, the CIS
// columns, the bills route and the staff reissue.
#include <unistd.h>

#include <fstream>

#include "billing_helpers.hpp"
#include "mizu/backend/payment_codes.hpp"
#include "staff_helpers.hpp"

using namespace mizu::testing;
using mizu::CivilDate;
using mizu::backend::BillView;
using mizu::backend::KonbiniFields;
using mizu::backend::PaymentConfig;

namespace {

// Worked by hand (weights 3, 1, 3, … from the rightmost of the 43 digits before the check digit, AI 91
// included): 91 912345 000000000800220261118 0 261216 0 005280 — the digits under weight 3 sum to 47, under
// weight 1 to 51; 47 × 3 + 51 = 192 → check digit 10 − 2 = 8.
const std::string kData1 =
    "912345"
    "000000000800220261118"
    "0"
    "261216"
    "0"
    "005280";
const std::string kCode1 = "91" + kData1 + "8";
// 91 912345 000000000800220261118 1 270115 1 300000: 45 × 3 + 41 = 176 → 4.
const std::string kData2 =
    "912345"
    "000000000800220261118"
    "1"
    "270115"
    "1"
    "300000";
const std::string kCode2 = "91" + kData2 + "4";
// A code published as a test fixture of a convenience-store payment library (its fields are placeholders:
// deadline and amount 999999): its check digit 9 is the 43-digit rule's (the 41 digits after the AI would
// give 7).
const std::string kPublished = "91929023219420000000000037554399999999999999";

// zbarimg's reading of the symbol drawn from `modules` (10 light modules each side, 3 px a module, 80 px
// tall) as a PBM image; "" when it reads nothing.
std::string ZbarRead(const std::string& modules) {
  const TempDir dir("mizu-gs1");
  const std::string path = (dir / "code.pbm").string();
  const int scale = 3, quiet = 10, height = 80;
  const int width = static_cast<int>(modules.size() + 2 * quiet) * scale;
  {
    std::ofstream pbm(path);
    pbm << "P1\n" << width << " " << height << "\n";
    std::string row;
    for (int x = 0; x < width; ++x) {
      const int m = x / scale - quiet;
      row += (m >= 0 && m < static_cast<int>(modules.size()) && modules[static_cast<size_t>(m)] == '1')
                 ? "1 "
                 : "0 ";
    }
    for (int y = 0; y < height; ++y) pbm << row << "\n";
  }
  FILE* out = popen(("zbarimg --quiet --raw " + path + " 2>/dev/null").c_str(), "r");
  REQUIRE(out);
  std::string text;
  char buf[256];
  while (fgets(buf, sizeof buf, out)) text += buf;
  pclose(out);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

BillView Unpaid(int64_t total, const std::string& method = "payment_slip") {
  BillView b;
  b.reading_date = "2026-11-18";
  b.due_date = "2026-12-08";
  b.total = total;
  b.payment_method = method;
  return b;
}

PaymentConfig Settings() {
  PaymentConfig c;
  c.company_code = "912345";
  c.payeasy_institution_number = "58091";
  c.payeasy_confirmation_key = std::string(40, 'k');
  c.stamp_threshold_yen = 50000;  // a utility whose receipts need a stamp (a public body's need none: 0)
  return c;
}

}  // namespace

TEST_CASE("the 料金代理収納 check digit and the 44-digit layout, against hand-worked codes", "[payment]") {
  CHECK(mizu::backend::KonbiniCheckDigit("91" + kData1) == 8);
  CHECK(mizu::backend::KonbiniCheckDigit("91" + kData2) == 4);
  CHECK(mizu::backend::KonbiniCheckDigit(kPublished.substr(0, 43)) == kPublished[43] - '0');
  CHECK(mizu::backend::KonbiniFreeField("00000008002", {2026, 11, 18}) == "000000000800220261118");
  KonbiniFields f{"912345", "000000000800220261118", 0, {2026, 12, 16}, false, 5280};
  CHECK(mizu::backend::BuildKonbiniBarcode(f) == kCode1);
  f.reissue = 1;
  f.deadline = {2027, 1, 15};
  f.stamp = true;
  f.amount_yen = 300000;
  CHECK(mizu::backend::BuildKonbiniBarcode(f) == kCode2);
  auto back = mizu::backend::ParseKonbiniBarcode(kCode2);
  REQUIRE(back);
  CHECK(back->company_code == "912345");
  CHECK(back->reissue == 1);
  CHECK(back->deadline == CivilDate{2027, 1, 15});
  CHECK(back->stamp);
  CHECK(back->amount_yen == 300000);
  CHECK(mizu::backend::KonbiniHumanReadable(kCode1) ==
        std::vector<std::string>{"(91)912345-000000000800220261118", "0-261216-0-005280-8"});
  // Fields that do not fit are refused by name.
  f.amount_yen = 1'000'000;
  CHECK_THROWS_WITH(mizu::backend::BuildKonbiniBarcode(f), Catch::Matchers::Contains("amount"));
  f.amount_yen = 1;
  f.company_code = "12345";
  CHECK_THROWS_WITH(mizu::backend::BuildKonbiniBarcode(f), Catch::Matchers::Contains("company_code"));
}

TEST_CASE("bad 料金代理収納 codes are refused with the reason", "[payment]") {
  std::string why;
  auto refused = [&](const std::string& code) {
    why.clear();
    return !mizu::backend::ParseKonbiniBarcode(code, &why);
  };
  CHECK(refused(kCode1.substr(0, 43)));
  CHECK(why == "length");
  CHECK(refused(kCode1 + "0"));
  CHECK(why == "length");
  CHECK(refused("9１" + kCode1.substr(2, 42)));  // a full-width digit
  CHECK(why == "length");
  CHECK(refused("90" + kCode1.substr(2)));
  CHECK(why == "application_identifier");
  CHECK(refused(kCode1.substr(0, 43) + "6"));  // the 41-digit rule's digit
  CHECK(why == "check_digit");
  std::string swapped = kCode1;  // two neighbours swapped: weights 3/1 catch it
  std::swap(swapped[40], swapped[41]);
  CHECK(refused(swapped));
  CHECK(why == "check_digit");
  std::string month13 = kCode1;
  month13.replace(32, 2, "13");
  CHECK(refused(month13));
  CHECK(why == "deadline");
  std::string stamp2 = kCode1;
  stamp2[36] = '2';
  CHECK(refused(stamp2));
  CHECK(why == "stamp_flag");
}

TEST_CASE("the GS1-128 symbol of a code reads back as its digits in an independent reader", "[payment]") {
  for (const std::string& code : {kCode1, kCode2}) {
    INFO(code);
    const std::string modules = mizu::backend::Gs1128Modules(code);
    // Start C + FNC1 + 22 symbol characters of code set C (AI 91 + 42 digits) + check + Stop: 11 modules
    // each, the Stop 13: 11 × 25 + 13 = 288.
    CHECK(modules.size() == 288);
    CHECK(modules.substr(0, 11) == "11010011100");   // Start C (ISO/IEC 15417 Table 1, value 105)
    CHECK(modules.substr(11, 11) == "11110101110");  // FNC1 (value 102)
    CHECK(modules.substr(modules.size() - 13) == "1100011101011");  // Stop
    const std::string read = ZbarRead(modules);
    CHECK(read.find(code) != std::string::npos);
  }
  CHECK_THROWS_AS(mizu::backend::Gs1128Modules(kCode1.substr(0, 43) + "6"), std::invalid_argument);
}

TEST_CASE("which codes a bill shows: paid, direct debit, deadline, limit, CIS values and Pay-easy",
          "[payment]") {
  const CivilDate today{2026, 11, 24};
  const PaymentConfig settings = Settings();
  using mizu::backend::PaymentCodesFor;

  auto built = PaymentCodesFor(settings, "00000008002", Unpaid(5280), today);
  CHECK(built.unavailable.empty());
  // due 12-08 + 14 days → 12-22; the free field is the customer number and the reading date.
  CHECK(built.deadline == CivilDate{2026, 12, 22});
  auto fields = mizu::backend::ParseKonbiniBarcode(built.barcode);
  REQUIRE(fields);
  CHECK(fields->free_field == "000000000800220261118");
  CHECK(fields->amount_yen == 5280);
  CHECK_FALSE(fields->stamp);
  CHECK(built.human_readable.size() == 2);
  CHECK(built.payeasy_institution_number == "58091");
  CHECK(built.payeasy_customer_number == "0000000800220261118");  // the customer number + reading date
  CHECK(built.payeasy_confirmation_number.size() == 6);
  // The same bill gives the same numbers; another amount another confirmation number (with near certainty).
  CHECK(PaymentCodesFor(settings, "00000008002", Unpaid(5280), today).payeasy_confirmation_number ==
        built.payeasy_confirmation_number);

  BillView part = Unpaid(60000);
  part.paid = 5000;  // the rest is due; 55,000 ≥ 50,000 → 印紙フラグ 1
  auto rest = PaymentCodesFor(settings, "00000008002", part, today);
  REQUIRE(mizu::backend::ParseKonbiniBarcode(rest.barcode));
  CHECK(mizu::backend::ParseKonbiniBarcode(rest.barcode)->amount_yen == 55000);
  CHECK(mizu::backend::ParseKonbiniBarcode(rest.barcode)->stamp);
  PaymentConfig no_stamp = settings;
  no_stamp.stamp_threshold_yen = 0;  // a public body's receipts need none
  CHECK_FALSE(
      mizu::backend::ParseKonbiniBarcode(PaymentCodesFor(no_stamp, "00000008002", part, today).barcode)
          ->stamp);

  BillView paid = Unpaid(5280);
  paid.paid = 5280;
  CHECK(PaymentCodesFor(settings, "00000008002", paid, today).unavailable == "paid");
  CHECK(PaymentCodesFor(settings, "00000008002", Unpaid(5280, "direct_debit"), today).unavailable ==
        "direct_debit");
  CHECK(PaymentCodesFor(settings, "00000008002", Unpaid(5280), {2026, 12, 22}).unavailable.empty());
  CHECK(PaymentCodesFor(settings, "00000008002", Unpaid(5280), {2026, 12, 23}).unavailable ==
        "past_deadline");
  auto big = PaymentCodesFor(settings, "00000008002", Unpaid(300001), today);
  CHECK(big.unavailable.empty());  // Pay-easy has no such limit
  CHECK(big.barcode.empty());
  CHECK(big.barcode_unavailable == "over_limit");
  CHECK(PaymentCodesFor(PaymentConfig{}, "00000008002", Unpaid(5280), today).unavailable == "not_configured");

  // The CIS's code wins (its deadline too); a reissue puts its digit and deadline in, check digit anew.
  BillView cis = Unpaid(5280);
  cis.konbini_barcode = kCode1;
  cis.payeasy_customer_number = "1234567890";
  cis.payeasy_confirmation_number = "4321";
  auto from_cis = PaymentCodesFor(PaymentConfig{}, "00000008002", cis, today);
  CHECK(from_cis.barcode == kCode1);
  CHECK(from_cis.deadline == CivilDate{2026, 12, 16});
  CHECK(from_cis.payeasy_institution_number.empty());  // no 収納機関番号 configured: no Pay-easy
  auto with_payeasy = PaymentCodesFor(settings, "00000008002", cis, today);
  CHECK(with_payeasy.payeasy_customer_number == "1234567890");
  CHECK(with_payeasy.payeasy_confirmation_number == "4321");
  CHECK(PaymentCodesFor(settings, "00000008002", cis, {2026, 12, 17}).unavailable == "past_deadline");
  cis.reissue = 1;
  cis.reissue_deadline = "2027-01-15";
  auto reissued = PaymentCodesFor(settings, "00000008002", cis, {2026, 12, 17});
  CHECK(reissued.unavailable.empty());
  // kCode1 with reissue 1 and deadline 270115: 91 912345 000000000800220261118 1 270115 0 005280 — the
  // weight-3 digits sum to 46, the weight-1 digits to 51: 3 × 46 + 51 = 189 → 1.
  CHECK(reissued.barcode ==
        "91"
        "912345"
        "000000000800220261118"
        "1"
        "270115"
        "0"
        "005280"
        "1");
  CHECK(reissued.reissue == 1);
  // A later CIS slip with its own reissue (digit 3 ≥ the counter's 1) wins, with its deadline: 195 → 5.
  BillView later = cis;
  later.konbini_barcode =
      "91"
      "912345"
      "000000000800220261118"
      "3"
      "261216"
      "0"
      "005280"
      "5";
  auto from_later = PaymentCodesFor(settings, "00000008002", later, today);
  CHECK(from_later.barcode == later.konbini_barcode);
  CHECK(from_later.reissue == 3);
  CHECK(from_later.deadline == CivilDate{2026, 12, 16});
  // After the 9th reissue has passed its deadline: the counter, not another reissue.
  BillView ninth = cis;
  ninth.reissue = 9;
  CHECK(PaymentCodesFor(settings, "00000008002", ninth, {2027, 1, 16}).unavailable == "past_deadline_final");
  BillView cis_part = cis;
  cis_part.paid = 1000;
  // The CIS's codes are for the whole bill: after a part payment the bureau tells the rest — also past the
  // deadline (a reissue would not help, so none is offered).
  CHECK(PaymentCodesFor(settings, "00000008002", cis_part, today).unavailable == "partly_paid");
  CHECK(PaymentCodesFor(settings, "00000008002", cis_part, {2027, 2, 1}).unavailable == "partly_paid");
  CHECK(PaymentCodesFor(PaymentConfig{}, "00000008002", Unpaid(5280), {2027, 2, 1}).unavailable ==
        "not_configured");
  // A stored CIS code that does not validate is not replaced by a code of ours.
  BillView stale = Unpaid(5280);
  stale.konbini_barcode = kCode1.substr(0, 43) + "6";
  auto stale_codes = PaymentCodesFor(settings, "00000008002", stale, today);
  CHECK(stale_codes.barcode.empty());
  CHECK(stale_codes.barcode_unavailable == "not_configured");
  BillView payeasy_only = Unpaid(8000);  // CIS Pay-easy numbers, no CIS barcode, part paid
  payeasy_only.paid = 1000;
  payeasy_only.payeasy_customer_number = "1234";
  payeasy_only.payeasy_confirmation_number = "123456";
  auto remainder = PaymentCodesFor(settings, "00000008002", payeasy_only, today);
  CHECK(remainder.payeasy_institution_number.empty());  // not the whole bill's numbers for the rest
  REQUIRE(mizu::backend::ParseKonbiniBarcode(remainder.barcode));
  CHECK(mizu::backend::ParseKonbiniBarcode(remainder.barcode)->amount_yen == 7000);
}

TEST_CASE("the bills import refuses a barcode or Pay-easy pair that another bill already carries",
          "[payment]") {
  Portal p([](mizu::backend::Config& c) { c.payment = Settings(); });
  // The valid code of the case below (4,774 yen, deadline 2026-12-16): both contracts' 2026-11-18 bills (24
  // m³ on 13 mm) are 4,774 yen, so only its being another bill's can refuse it.
  const std::string code = "91912345000000000800220261118026121600047743";
  REQUIRE(mizu::backend::ParseKonbiniBarcode(code));
  const std::string header = kBillsHeader.substr(0, kBillsHeader.size() - 1) +
                             ",konbini_barcode,payeasy_customer_number,payeasy_confirmation_number\n";
  auto line = [&](const std::string& cn, const std::string& extra) {
    std::string l = BillLine(cn, "2026-11-18", 24, 1000, 13, "納付書");
    return l.substr(0, l.size() - 1) + "," + extra + "\n";
  };
  auto has = [](const json& report, int line_no, const std::string& field, const std::string& code_name) {
    for (const auto& e : report["errors"])
      if (e["line"] == line_no && e["field"] == field && e["code"] == code_name) return true;
    return false;
  };
  // Two rows of one file with the same codes: the first is stored, the second refused on both.
  auto same_file = AdminImport(p, "bills",
                               header + line("00000008002", code + ",1234567890,4321") +
                                   line("00000008004", code + ",1234567890,4321"));
  REQUIRE(same_file.status == 200);
  CHECK(same_file.body["inserted"] == 1);
  CHECK(same_file.body["rejected"] == 1);
  CHECK(has(same_file.body, 3, "konbini_barcode", "barcode_in_use"));
  CHECK(has(same_file.body, 3, "payeasy_confirmation_number", "payeasy_in_use"));
  // A later file: the barcode alone, and the Pay-easy pair alone, are each another bill's.
  auto later = AdminImport(p, "bills", header + line("00000008004", code + ",,"));
  CHECK(later.body["rejected"] == 1);
  CHECK(has(later.body, 2, "konbini_barcode", "barcode_in_use"));
  auto later_payeasy = AdminImport(p, "bills", header + line("00000008004", ",1234567890,4321"));
  CHECK(later_payeasy.body["rejected"] == 1);
  CHECK(has(later_payeasy.body, 2, "payeasy_confirmation_number", "payeasy_in_use"));
  // The same bill in the barcode (company code and free field, digits 3–29) with another deadline — as a
  // reissue of it would carry — is that bill's, so not 8004's either. Check digit by hand: weight-3 digits
  // 57, weight-1 digits 43 → 3 × 57 + 43 = 214 → 6.
  const std::string same_bill_later_deadline = "91912345000000000800220261118026122000047746";
  REQUIRE(mizu::backend::ParseKonbiniBarcode(same_bill_later_deadline));
  auto moved = AdminImport(p, "bills", header + line("00000008004", same_bill_later_deadline + ",,"));
  CHECK(moved.body["rejected"] == 1);
  CHECK(has(moved.body, 2, "konbini_barcode", "barcode_in_use"));
  // The bill that carries them, sent again, keeps them (with the later deadline too: its own bill); another
  // confirmation number is another pair.
  auto again = AdminImport(p, "bills", header + line("00000008002", code + ",1234567890,4321"));
  CHECK(again.body["errors"].empty());
  CHECK(again.body["unchanged"] == 1);
  auto own_reissue =
      AdminImport(p, "bills", header + line("00000008002", same_bill_later_deadline + ",1234567890,4321"));
  CHECK(own_reissue.body["errors"].empty());
  CHECK(own_reissue.body["updated"] == 1);
  auto other_pair = AdminImport(p, "bills", header + line("00000008004", ",1234567890,4322"));
  CHECK(other_pair.body["errors"].empty());
  CHECK(other_pair.body["inserted"] == 1);
  // Codes two bills already shared before this check (stored by an older version): re-sending either bill
  // unchanged is not refused for a code it carries itself.
  {
    std::lock_guard lock(p.App().db_mutex);
    p.App().db->Exec(
        "UPDATE bills SET payeasy_confirmation_number = '4321' WHERE customer_number = '00000008004'");
  }
  auto old_duplicate = AdminImport(p, "bills", header + line("00000008004", ",1234567890,4321"));
  CHECK(old_duplicate.body["errors"].empty());
  CHECK(old_duplicate.body["unchanged"] == 1);
}

TEST_CASE("the bills import takes the CIS's barcode and Pay-easy numbers, and refuses bad ones by field",
          "[payment]") {
  Portal p([](mizu::backend::Config& c) { c.payment = Settings(); });
  // HandWorked(13, 24): total 4,774 yen, due 2026-12-08. A code for that total, deadline 2026-12-16:
  // 91 912345 000000000800220261118 0 261216 0 004774 → weight-3 digits 56, weight-1 digits 49: 3 × 56 + 49 =
  // 217 → 3.
  const std::string code =
      "91"
      "912345"
      "000000000800220261118"
      "0"
      "261216"
      "0"
      "004774"
      "3";
  REQUIRE(mizu::backend::ParseKonbiniBarcode(code));
  const std::string header = kBillsHeader.substr(0, kBillsHeader.size() - 1) +
                             ",konbini_barcode,payeasy_customer_number,payeasy_confirmation_number\n";
  auto line = [&](const std::string& extra) {
    std::string l = BillLine("00000008002", "2026-11-18", 24, 1000, 13, "納付書");
    return l.substr(0, l.size() - 1) + "," + extra + "\n";
  };
  auto bad = AdminImport(p, "bills",
                         header + line(code.substr(0, 43) + "0,,") + line(kCode1 + ",123,") +
                             line(",12345678901234567890123,12") + line(",12\t34,123456"));
  REQUIRE(bad.status == 200);
  const auto& errors = bad.body["errors"];
  auto has = [&](int line_no, const std::string& field, const std::string& code_name) {
    for (const auto& e : errors)
      if (e["line"] == line_no && e["field"] == field && e["code"] == code_name) return true;
    return false;
  };
  CHECK(has(2, "konbini_barcode", "barcode_check_digit"));
  CHECK(has(3, "konbini_barcode", "barcode_amount"));  // kCode1 is for 5,280 yen
  CHECK(has(3, "payeasy_confirmation_number", "payeasy_incomplete"));
  CHECK(has(4, "payeasy_customer_number", "invalid_format"));
  CHECK(has(4, "payeasy_confirmation_number", "invalid_format"));
  CHECK(has(5, "payeasy_customer_number", "control_character"));
  REQUIRE(AdminImport(p, "bills", header + line(code + ",1234567890,4321")).status == 200);

  VisibleResident(p, "taro@example.jp");
  auto bills = p.Get("/api/v1/contracts/00000008002/bills");
  REQUIRE(bills.status == 200);
  const auto& codes = bills.body["bills"][0]["payment_codes"];
  CHECK(codes["unavailable"].is_null());
  CHECK(codes["amount"] == 4774);
  CHECK(codes["deadline"] == "2026-12-16");
  CHECK(codes["konbini"]["barcode"] == code);
  CHECK(codes["konbini"]["human_readable"][0] == "(91)912345-000000000800220261118");
  CHECK(ZbarRead(codes["konbini"]["modules"].get<std::string>()).find(code) != std::string::npos);
  CHECK(codes["payeasy"]["institution_number"] == "58091");
  CHECK(codes["payeasy"]["customer_number"] == "1234567890");
  CHECK(codes["payeasy"]["confirmation_number"] == "4321");

  // Part paid: the CIS's code is for the whole bill — none shown, and past its deadline the counter cannot
  // reissue one (a reissue would not make it payable).
  StaffDesk counter(p);
  counter.EnrolAndLogin("counter@example.jp", mizu::backend::StaffRole::kCounter);
  REQUIRE(
      AdminImport(p, "payments", kPaymentsHeader + "00000008002,2026-11-18,1000,2026-11-24,窓口\n").status ==
      200);
  CHECK(p.Get("/api/v1/contracts/00000008002/bills").body["bills"][0]["payment_codes"]["unavailable"] ==
        "partly_paid");
  At(p, "2026-12-17T10:00:00+09:00", "taro@example.jp");  // past the code's 2026-12-16
  CHECK(p.Get("/api/v1/contracts/00000008002/bills").body["bills"][0]["payment_codes"]["unavailable"] ==
        "partly_paid");
  REQUIRE(counter.Login("counter@example.jp").status == 204);
  auto refused =
      counter.Post("/api/v1/staff/contracts/00000008002/bills/2026-11-18/reissue", {{"reason", "x"}});
  CHECK(refused.status == 409);
  CHECK(refused.body["error"]["code"] == "reissue_not_possible");

  // Paid: no codes at all.
  REQUIRE(AdminImport(p, "payments", kPaymentsHeader + "00000008002,2026-11-18,3774,2026-12-17,コンビニ\n")
              .status == 200);
  CHECK(p.Get("/api/v1/contracts/00000008002/bills").body["bills"][0]["payment_codes"].is_null());
}

TEST_CASE("staff reissue a bill's payment codes after the deadline, audited, and paid bills refuse",
          "[payment]") {
  Portal p([](mizu::backend::Config& c) { c.payment = Settings(); });
  REQUIRE(AdminImport(p, "bills",
                      kBillsHeader + BillLine("00000008002", "2026-11-18", 24, 1000, 13, "納付書") +
                          BillLine("00000008002", "2026-09-18", 12, 988, 13, "納付書"))
              .status == 200);
  VisibleResident(p, "taro@example.jp");
  StaffDesk counter(p);
  counter.EnrolAndLogin("counter@example.jp", mizu::backend::StaffRole::kCounter);
  const std::string path = "/api/v1/staff/contracts/0-0000008002/bills/2026-11-18/reissue";
  // Not before the deadline (a reissue would shorten it).
  auto early = counter.Post(path, {{"reason", "まだ期限内"}});
  CHECK(early.status == 409);
  CHECK(early.body["error"]["code"] == "codes_not_expired");

  At(p, "2027-01-05T10:00:00+09:00", "taro@example.jp");  // past 2026-12-08 + 14 days
  auto codes = [&] { return p.Get("/api/v1/contracts/00000008002/bills").body["bills"][0]["payment_codes"]; };
  CHECK(codes()["unavailable"] == "past_deadline");
  REQUIRE(counter.Login("counter@example.jp").status == 204);
  auto unpaid = counter.Get("/api/v1/staff/contracts/0-0000008002/bills");
  REQUIRE(unpaid.status == 200);
  REQUIRE(unpaid.body["bills"].size() == 2);  // newest first
  CHECK(unpaid.body["bills"][0]["reading_date"] == "2026-11-18");
  CHECK(unpaid.body["bills"][0]["unavailable"] == "past_deadline");
  CHECK(unpaid.body["bills"][0]["total"] == 4774);
  CHECK(AuditCount(p, "lookup") == 1);
  CHECK(counter.Get("/api/v1/staff/contracts/99999999999/bills").status == 404);
  CHECK(counter.Post(path, {{"reason", " "}}).status == 400);
  auto r = counter.Post(path, {{"reason", "本人から電話: 払込票の期限切れ"}});
  REQUIRE(r.status == 200);
  CHECK(r.body["reissue"] == 1);
  CHECK(r.body["deadline"] == "2027-01-19");  // 2027-01-05 + 14 days
  CHECK(AuditCount(p, "payment_codes_reissued") == 1);
  auto twice = counter.Post(path, {{"reason", "二度押し"}});  // the new codes are not expired: refused
  CHECK(twice.status == 409);
  CHECK(twice.body["error"]["code"] == "codes_not_expired");
  CHECK(AuditCount(p, "payment_codes_reissued") == 1);
  auto unknown =
      counter.Post("/api/v1/staff/contracts/99999999999/bills/2026-11-18/reissue", {{"reason", "x"}});
  CHECK(unknown.status == 404);
  CHECK(unknown.body["error"]["code"] == "contract_not_found");
  At(p, "2027-01-05T10:05:00+09:00", "taro@example.jp");
  auto now = codes();
  CHECK(now["unavailable"].is_null());
  CHECK(now["reissue"] == 1);
  CHECK(now["deadline"] == "2027-01-19");
  auto fields = mizu::backend::ParseKonbiniBarcode(now["konbini"]["barcode"].get<std::string>());
  REQUIRE(fields);
  CHECK(fields->reissue == 1);
  CHECK(fields->deadline == CivilDate{2027, 1, 19});

  CHECK(counter.Get("/api/v1/staff/contracts/0-0000008002/bills").body["bills"][0]["unavailable"].is_null());
  CHECK(p.Get("/api/v1/staff/contracts/0-0000008002/bills").status == 401);
  CHECK(counter.Post("/api/v1/staff/contracts/0-0000008002/bills/2026-10-18/reissue", {{"reason", "x"}})
            .status == 404);
  REQUIRE(AdminImport(p, "payments", kPaymentsHeader + "00000008002,2026-09-18,3322,2026-10-01,コンビニ\n")
              .status == 200);
  auto paid =
      counter.Post("/api/v1/staff/contracts/0-0000008002/bills/2026-09-18/reissue", {{"reason", "x"}});
  CHECK(paid.status == 409);
  CHECK(paid.body["error"]["code"] == "bill_paid");
  // A resident cannot reach the staff route.
  CHECK(p.Post(path, {{"reason", "x"}}).status == 401);
}
