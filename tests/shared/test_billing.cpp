// Billing: tariff parsing/validation and the bimonthly bill, against hand-worked examples. Each expected
// value carries its arithmetic. Tax is 10 %: "×1.1" below means floor(yen × 110 / 100), then floored to the
// unit.
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "mizu/billing.hpp"

using mizu::BillBreakdown;
using mizu::ComputeBimonthlyBill;
using mizu::ParseTariff;
using mizu::Tariff;
using nlohmann::json;

namespace {

// Water group 13–25 mm: Tokyo Metropolitan Waterworks' published monthly table (tax-exclusive).
// Group 30–50 mm: ILLUSTRATIVE values (not Tokyo's), only to have a second tier table for large diameters.
// Sewer: Tokyo's sewer table up to 100 m³/month; the published table continues with dearer tiers above 100
// m³, truncated here to one open 210 yen tier from 51 m³ (the large-diameter test prices 150 m³/month on it
// as is).
json TokyoLike() {
  return json::parse(R"json({
    "name": "Tokyo-like test tariff",
    "method": "split",
    "odd_m3_to": "first",
    "tax_rate_percent": 10,
    "rounding": {"unit_yen": 1, "scope": "per_month"},
    "water": {"groups": [
      {"diameters": [{"diameter_mm": 13, "basic_yen": 860},
                     {"diameter_mm": 20, "basic_yen": 1170},
                     {"diameter_mm": 25, "basic_yen": 1460}],
       "tiers": [{"upto": 5, "yen_per_m3": 0}, {"upto": 10, "yen_per_m3": 22},
                 {"upto": 20, "yen_per_m3": 128}, {"upto": 30, "yen_per_m3": 163},
                 {"upto": 50, "yen_per_m3": 202}, {"upto": 100, "yen_per_m3": 213},
                 {"upto": 200, "yen_per_m3": 298}, {"upto": 1000, "yen_per_m3": 372},
                 {"yen_per_m3": 404}]},
      {"diameters": [{"diameter_mm": 30, "basic_yen": 3400},
                     {"diameter_mm": 40, "basic_yen": 6800},
                     {"diameter_mm": 50, "basic_yen": 13600}],
       "tiers": [{"upto": 100, "yen_per_m3": 250}, {"upto": 200, "yen_per_m3": 300},
                 {"upto": 1000, "yen_per_m3": 372}, {"yen_per_m3": 404}]}
    ]},
    "sewer": {"basic_yen": 560,
              "tiers": [{"upto": 8, "yen_per_m3": 0}, {"upto": 20, "yen_per_m3": 110},
                        {"upto": 30, "yen_per_m3": 140}, {"upto": 50, "yen_per_m3": 170},
                        {"yen_per_m3": 210}]}
  })json");
}

BillBreakdown Bill(const json& tariff_json, int diameter_mm, int volume_m3) {
  auto result = ComputeBimonthlyBill(ParseTariff(tariff_json), diameter_mm, volume_m3);
  REQUIRE(result.ok());
  return result.bill;
}

// The path of the TariffError ParseTariff throws, or "<accepted>".
std::string ErrorPath(const json& j) {
  try {
    ParseTariff(j);
  } catch (const mizu::TariffError& e) {
    return e.path;
  }
  return "<accepted>";
}

int64_t SumLines(const BillBreakdown& b, const std::string& service) {
  int64_t sum = 0;
  for (const auto& line : b.lines) {
    if (line.service == service) sum += line.yen;
  }
  return sum;
}

void CheckInvariants(const BillBreakdown& b) {
  CHECK(b.total_yen == b.water_yen + b.sewer_yen + b.tax_yen);
  CHECK(b.total_yen == b.water_with_tax_yen + b.sewer_with_tax_yen);
  CHECK(SumLines(b, "water") == b.water_yen);
  CHECK(SumLines(b, "sewer") == b.sewer_yen);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

TEST_CASE("tax is added then floored to the rounding unit, in integers", "[billing]") {
  CHECK(mizu::AddTaxAndFloor(2250, 10, 1) == 2475);   // 2250 × 110 / 100 = 2475
  CHECK(mizu::AddTaxAndFloor(2739, 10, 1) == 3012);   // 3012.9 → 3012
  CHECK(mizu::AddTaxAndFloor(2739, 10, 10) == 3010);  // 3012 → 3010
  CHECK(mizu::AddTaxAndFloor(2250, 8, 1) == 2430);    // 2250 × 108 / 100 = 2430
  CHECK(mizu::AddTaxAndFloor(0, 10, 10) == 0);
}

TEST_CASE("split method, 13 mm, 40 m³: Tokyo's table month by month", "[billing]") {
  BillBreakdown b = Bill(TokyoLike(), 13, 40);
  // 40 m³ / 2 months → 20 m³ each.
  // water/month: 860 + 5×0 + 5×22 + 10×128 = 2,250 → ×1.1 = 2,475; ×2 months = 4,950 (excl. 4,500)
  // sewer/month: 560 + 8×0 + 12×110 = 1,880 → ×1.1 = 2,068; ×2 months = 4,136 (excl. 3,760)
  // total 4,950 + 4,136 = 9,086; tax 9,086 − 4,500 − 3,760 = 826
  CHECK(b.water_yen == 4500);
  CHECK(b.water_with_tax_yen == 4950);
  CHECK(b.sewer_yen == 3760);
  CHECK(b.sewer_with_tax_yen == 4136);
  CHECK(b.tax_yen == 826);
  CHECK(b.total_yen == 9086);
  CheckInvariants(b);
  REQUIRE(b.months.size() == 2);
  CHECK(b.months[0] == mizu::MonthPart{1, 20, 2250, 1880, 2475 + 2068});
  CHECK(b.months[1] == mizu::MonthPart{2, 20, 2250, 1880, 2475 + 2068});
  // water: basic + 3 tiers per month; sewer: basic + 2 tiers per month
  REQUIRE(b.lines.size() == 2 * 4 + 2 * 3);
  CHECK(b.lines[0].key == "water.basic");
  CHECK(b.lines[0].label_key == "billing.basic");
  CHECK(b.lines[0].yen == 860);
  CHECK(b.lines[2].key == "water.volume[1]");  // 6–10 m³: 5 × 22 = 110
  CHECK(b.lines[2].label_key == "billing.volume");
  CHECK(b.lines[2].m3 == 5);
  CHECK(b.lines[2].tier_from_m3 == 6);
  CHECK(b.lines[2].tier_upto_m3 == 10);
  CHECK(b.lines[2].yen == 110);
  CHECK(b.lines[4].month == 2);
  CHECK(b.lines[8].key == "sewer.basic");
  CHECK(b.lines[10].yen == 1320);  // sewer 9–20 m³: 12 × 110
}

TEST_CASE("zero volume pays the basic charges only", "[billing]") {
  BillBreakdown b = Bill(TokyoLike(), 13, 0);
  // water 860 → ×1.1 = 946 ×2 = 1,892; sewer 560 → 616 ×2 = 1,232; total 3,124
  CHECK(b.water_with_tax_yen == 1892);
  CHECK(b.sewer_with_tax_yen == 1232);
  CHECK(b.total_yen == 3124);
  CHECK(b.tax_yen == 3124 - 1720 - 1120);  // 284
  CheckInvariants(b);
  CHECK(b.lines.size() == 4);  // two basic lines per service, no volume lines

  // 20 mm: water 1,170 → 1,287 ×2 = 2,574; sewer as above 1,232; total 3,806
  CHECK(Bill(TokyoLike(), 20, 0).total_yen == 3806);
}

TEST_CASE("split and doubled differ for an odd volume only through rounding", "[billing]") {
  // 45 m³, 13 mm, floor to 1 yen.
  // split (odd m³ to the first month): 23 + 22 m³, rounded per month
  //   water m1: 860 + 5×22 + 10×128 + 3×163 = 2,739 → ×1.1 = 3,012.9 → 3,012
  //   water m2: 860 + 5×22 + 10×128 + 2×163 = 2,576 → ×1.1 = 2,833.6 → 2,833   water 5,845 (excl. 5,315)
  //   sewer m1: 560 + 12×110 + 3×140 = 2,300 → 2,530
  //   sewer m2: 560 + 12×110 + 2×140 = 2,160 → 2,376                           sewer 4,906 (excl. 4,460)
  //   total 10,751
  BillBreakdown split = Bill(TokyoLike(), 13, 45);
  CHECK(split.water_yen == 5315);
  CHECK(split.water_with_tax_yen == 5845);
  CHECK(split.sewer_with_tax_yen == 4906);
  CHECK(split.total_yen == 10751);
  CheckInvariants(split);

  // doubled: basic ×2, limits ×2 (0–10 free, 11–20 at 22, 21–40 at 128, 41–60 at 163, …), rounded per bill
  //   water: 1,720 + 10×0 + 10×22 + 20×128 + 5×163 = 5,315 → ×1.1 = 5,846.5 → 5,846
  //   sewer: 1,120 + 16×0 + 24×110 + 5×140 = 4,460 → ×1.1 = 4,906
  //   total 10,752 — the tax-exclusive sums are equal (a doubled table prices the same m³ multiset); only the
  //   monthly flooring of .9 and .6 makes the split bill 1 yen cheaper.
  json doubled_json = TokyoLike();
  doubled_json["method"] = "doubled";
  doubled_json["rounding"]["scope"] = "per_bill";
  BillBreakdown doubled = Bill(doubled_json, 13, 45);
  CHECK(doubled.water_yen == 5315);
  CHECK(doubled.water_with_tax_yen == 5846);
  CHECK(doubled.sewer_with_tax_yen == 4906);
  CHECK(doubled.total_yen == 10752);
  CHECK(doubled.months.empty());
  CheckInvariants(doubled);
  // The doubled lines show the 2-month limits: 41–60 m³, 5 × 163 = 815.
  REQUIRE(doubled.lines.size() == 5 + 4);
  CHECK(doubled.lines[0].yen == 1720);
  CHECK(doubled.lines[0].month == 0);
  CHECK(doubled.lines[4].tier_from_m3 == 41);
  CHECK(doubled.lines[4].tier_upto_m3 == 60);
  CHECK(doubled.lines[4].m3 == 5);
  CHECK(doubled.lines[4].yen == 815);
}

TEST_CASE("the odd m³ goes to the first or the second month", "[billing]") {
  // 41 m³, 13 mm. 21 m³: water 860 + 110 + 1,280 + 1×163 = 2,413 → 2,654.3 → 2,654;
  //                        sewer 560 + 1,320 + 1×140 = 2,020 → 2,222; month total 4,876
  //               20 m³: water 2,250 → 2,475; sewer 1,880 → 2,068; month total 4,543
  BillBreakdown first = Bill(TokyoLike(), 13, 41);
  CHECK(first.months[0] == mizu::MonthPart{1, 21, 2413, 2020, 4876});
  CHECK(first.months[1] == mizu::MonthPart{2, 20, 2250, 1880, 4543});

  json j = TokyoLike();
  j["odd_m3_to"] = "second";
  BillBreakdown second = Bill(j, 13, 41);
  CHECK(second.months[0] == mizu::MonthPart{1, 20, 2250, 1880, 4543});
  CHECK(second.months[1] == mizu::MonthPart{2, 21, 2413, 2020, 4876});
  // Same tariff for both months, so the sum is the same either way: 4,876 + 4,543 = 9,419. The setting
  // matters for the month parts (what each month's notice shows).
  CHECK(first.total_yen == 9419);
  CHECK(second.total_yen == 9419);
}

TEST_CASE("floor to 10 yen versus 1 yen, per month and per bill", "[billing]") {
  json j = TokyoLike();
  // 40 m³, 13 mm, 1 yen per month: 9,086 (see the first test)
  CHECK(Bill(j, 13, 40).total_yen == 9086);

  j["rounding"]["unit_yen"] = 10;
  // 10 yen per month: water 2,475 → 2,470 ×2 = 4,940; sewer 2,068 → 2,060 ×2 = 4,120; total 9,060
  BillBreakdown b = Bill(j, 13, 40);
  CHECK(b.water_with_tax_yen == 4940);
  CHECK(b.sewer_with_tax_yen == 4120);
  CHECK(b.total_yen == 9060);
  CHECK(b.tax_yen == 9060 - 4500 - 3760);  // 800: the flooring lands in the tax line
  CheckInvariants(b);

  j["rounding"]["scope"] = "per_bill";
  // 10 yen per bill: water 4,500 → 4,950 → 4,950; sewer 3,760 → 4,136 → 4,130; total 9,080
  BillBreakdown per_bill = Bill(j, 13, 40);
  CHECK(per_bill.water_with_tax_yen == 4950);
  CHECK(per_bill.sewer_with_tax_yen == 4130);
  CHECK(per_bill.total_yen == 9080);
  CHECK_FALSE(per_bill.months[0].total_yen.has_value());  // no monthly tax-inclusive amount exists
}

TEST_CASE("rounding per month versus per bill at 1 yen", "[billing]") {
  // 44 m³, 13 mm → 22 m³ each month.
  // water/month 2,576 → ×1.1 = 2,833.6; sewer/month 2,160 → ×1.1 = 2,376
  // per month: 2,833 ×2 + 2,376 ×2 = 5,666 + 4,752 = 10,418
  // per bill:  5,152 → 5,667.2 → 5,667; 4,320 → 4,752; total 10,419
  json j = TokyoLike();
  CHECK(Bill(j, 13, 44).total_yen == 10418);
  j["rounding"]["scope"] = "per_bill";
  BillBreakdown b = Bill(j, 13, 44);
  CHECK(b.water_with_tax_yen == 5667);
  CHECK(b.total_yen == 10419);
  CheckInvariants(b);
}

TEST_CASE("a large diameter uses its own tier table", "[billing]") {
  // 40 mm (illustrative 30–50 mm group), 300 m³ → 150 m³ each month.
  // water/month: 6,800 + 100×250 + 50×300 = 46,800 → ×1.1 = 51,480; ×2 = 102,960
  // sewer/month: 560 + 8×0 + 12×110 + 10×140 + 20×170 + 100×210 = 27,680 → ×1.1 = 30,448; ×2 = 60,896
  // total 163,856
  BillBreakdown b = Bill(TokyoLike(), 40, 300);
  CHECK(b.water_with_tax_yen == 102960);
  CHECK(b.sewer_with_tax_yen == 60896);
  CHECK(b.total_yen == 163856);
  CheckInvariants(b);
  // The same volume on 13 mm, for contrast: 860 + 0 + 110 + 1,280 + 1,630 + 4,040 + 50×213 + 50×298 = 33,470
  //   → 36,817 ×2 = 73,634
  CHECK(Bill(TokyoLike(), 13, 300).water_with_tax_yen == 73634);
}

TEST_CASE("input errors: unknown diameter, volume out of range", "[billing]") {
  Tariff t = ParseTariff(TokyoLike());
  auto unknown = ComputeBimonthlyBill(t, 15, 20);
  REQUIRE_FALSE(unknown.ok());
  CHECK(*unknown.error == mizu::FieldError{"diameter_unknown", "diameter_mm"});
  auto negative = ComputeBimonthlyBill(t, 13, -1);
  REQUIRE_FALSE(negative.ok());
  CHECK(*negative.error == mizu::FieldError{"volume_invalid", "volume_m3"});
  auto too_much = ComputeBimonthlyBill(t, 13, mizu::kMaxBillVolumeM3 + 1);
  CHECK(too_much.error->code == "volume_invalid");
  // Both wrong: the diameter is reported first.
  CHECK(ComputeBimonthlyBill(t, 15, -1).error->code == "diameter_unknown");

  // The largest volume is accepted and stays exact: 500,000 m³/month on 50 mm
  // water/month: 13,600 + 100×250 + 100×300 + 800×372 + 499,000×404 = 201,962,200 → ×1.1 = 222,158,420
  auto max = ComputeBimonthlyBill(t, 50, mizu::kMaxBillVolumeM3);
  REQUIRE(max.ok());
  CHECK(max.bill.water_with_tax_yen == 2 * int64_t{222158420});
  CheckInvariants(max.bill);
}

TEST_CASE("sewer can be absent from the tariff or switched off per bill", "[billing]") {
  json j = TokyoLike();
  // Not connected to the sewer: water only, 40 m³ 13 mm → 4,950
  auto off = ComputeBimonthlyBill(ParseTariff(j), 13, 40, mizu::BillOptions{false});
  REQUIRE(off.ok());
  CHECK(off.bill.sewer_yen == 0);
  CHECK(off.bill.total_yen == 4950);
  CHECK(off.bill.months[0].total_yen == 2475);
  CheckInvariants(off.bill);

  j.erase("sewer");
  BillBreakdown b = Bill(j, 13, 40);
  CHECK(b.total_yen == 4950);
  CHECK(SumLines(b, "sewer") == 0);
}

TEST_CASE("malformed tariffs throw TariffError naming the value", "[billing]") {
  const json good = TokyoLike();
  CHECK(ErrorPath(good) == "<accepted>");
  auto with = [&](auto mutate) {
    json j = good;
    mutate(j);
    return ErrorPath(j);
  };
  // missing fields
  CHECK(with([](json& j) { j.erase("name"); }) == "name");
  CHECK(with([](json& j) { j["name"] = ""; }) == "name");
  CHECK(with([](json& j) { j.erase("rounding"); }) == "rounding");
  CHECK(with([](json& j) { j.erase("water"); }) == "water");
  CHECK(with([](json& j) { j["water"]["groups"] = json::array(); }) == "water.groups");
  CHECK(with([](json& j) { j["water"]["groups"][0].erase("tiers"); }) == "water.groups[0].tiers");
  CHECK(with([](json& j) { j["water"]["groups"][0]["tiers"][1].erase("yen_per_m3"); }) ==
        "water.groups[0].tiers[1].yen_per_m3");
  CHECK(with([](json& j) { j["sewer"].erase("basic_yen"); }) == "sewer.basic_yen");
  CHECK(with([](json& j) { j.erase("odd_m3_to"); }) == "odd_m3_to");  // required by "split"
  // unsorted and overlapping tiers
  CHECK(with([](json& j) { j["water"]["groups"][0]["tiers"][2]["upto"] = 8; }) ==
        "water.groups[0].tiers[2].upto");
  CHECK(with([](json& j) { j["water"]["groups"][0]["tiers"][2]["upto"] = 10; }) ==
        "water.groups[0].tiers[2].upto");
  CHECK(with([](json& j) { j["sewer"]["tiers"][1]["from"] = 8; }) == "sewer.tiers[1].from");  // overlaps 1–8
  CHECK(with([](json& j) { j["sewer"]["tiers"][1]["from"] = 10; }) ==
        "sewer.tiers[1].from");  // gap: 9 unpriced
  CHECK(with([](json& j) { j["sewer"]["tiers"][0]["from"] = 2; }) == "sewer.tiers[0].from");
  CHECK(with([](json& j) { j["sewer"]["tiers"][4]["upto"] = 100; }) ==
        "sewer.tiers[4].upto");  // last is open
  CHECK(with([](json& j) { j["sewer"]["tiers"][2].erase("upto"); }) ==
        "sewer.tiers[2].upto");  // only the last
  // negative or fractional money, bad numbers
  CHECK(with([](json& j) { j["sewer"]["tiers"][1]["yen_per_m3"] = -110; }) == "sewer.tiers[1].yen_per_m3");
  CHECK(with([](json& j) { j["water"]["groups"][0]["tiers"][1]["yen_per_m3"] = 22.5; }) ==
        "water.groups[0].tiers[1].yen_per_m3");
  CHECK(with([](json& j) { j["water"]["groups"][0]["diameters"][0]["basic_yen"] = -860; }) ==
        "water.groups[0].diameters[0].basic_yen");
  CHECK(with([](json& j) { j["sewer"]["basic_yen"] = "560"; }) == "sewer.basic_yen");
  CHECK(with([](json& j) { j["water"]["groups"][0]["tiers"][0]["upto"] = 0; }) ==
        "water.groups[0].tiers[0].upto");
  CHECK(with([](json& j) { j["sewer"]["basic_yen"] = 18446744073709551615ULL; }) == "sewer.basic_yen");
  // settings
  CHECK(with([](json& j) { j["tax_rate_percent"] = 110; }) == "tax_rate_percent");
  CHECK(with([](json& j) { j["tax_rate_percent"] = 0.1; }) == "tax_rate_percent");
  CHECK(with([](json& j) { j["rounding"]["unit_yen"] = 5; }) == "rounding.unit_yen");
  CHECK(with([](json& j) { j["rounding"]["scope"] = "per_day"; }) == "rounding.scope");
  CHECK(with([](json& j) { j["method"] = "monthly"; }) == "method");
  CHECK(with([](json& j) { j["method"] = "doubled"; }) == "rounding.scope");  // per_month needs months
  // structure
  CHECK(with([](json& j) { j["water"]["groups"][1]["diameters"][0]["diameter_mm"] = 25; }) ==
        "water.groups[1].diameters[0].diameter_mm");  // 25 mm is already in group 0
  CHECK(with([](json& j) { j["water"]["groups"][0]["teirs"] = json::array(); }) == "water.groups[0].teirs");
  CHECK(with([](json& j) { j["sewer"] = json::array(); }) == "sewer");
  CHECK(with([](json& j) { j = json::array(); }) == "");

  try {
    mizu::ParseTariffText("{\"name\": ");
    FAIL("accepted broken JSON");
  } catch (const mizu::TariffError& e) {
    CHECK(e.path.empty());
  }
  try {
    json j = good;
    j["water"]["groups"][0]["tiers"][2]["upto"] = 8;
    ParseTariff(j);
    FAIL("accepted tiers whose bounds go down");
  } catch (const std::runtime_error& e) {  // usable as a plain runtime_error, path in the message
    CHECK(std::string(e.what()).find("water.groups[0].tiers[2].upto") != std::string::npos);
  }
}

TEST_CASE("the tariff JSON form round-trips", "[billing]") {
  json doubled = TokyoLike();
  doubled["method"] = "doubled";
  doubled.erase("odd_m3_to");  // optional for doubled
  doubled["rounding"] = {{"unit_yen", 10}, {"scope", "per_bill"}};
  doubled["sewer"] = nullptr;
  for (const json& source : {TokyoLike(), doubled}) {
    Tariff t = ParseTariff(source);
    json written = t;
    CHECK(ParseTariff(written) == t);
    CHECK(mizu::ParseTariffText(written.dump()) == t);
  }
  // The written form carries each tier's first m³, as published tables do ("6～10").
  json written = ParseTariff(TokyoLike());
  CHECK(written["water"]["groups"][0]["tiers"][1] == json{{"from", 6}, {"upto", 10}, {"yen_per_m3", 22}});
  CHECK(written["water"]["groups"][0]["tiers"][8] == json{{"from", 1001}, {"yen_per_m3", 404}});
  CHECK(mizu::TariffDiameters(ParseTariff(TokyoLike())) == std::vector<int>{13, 20, 25, 30, 40, 50});
}

TEST_CASE("the bill's JSON form", "[billing]") {
  json j = Bill(TokyoLike(), 13, 41);
  CHECK(j["total_yen"] == 9419);
  CHECK(j["method"] == "split");
  CHECK(j["tax_rate_percent"] == 10);
  CHECK(j["water_yen"].get<int64_t>() + j["sewer_yen"].get<int64_t>() + j["tax_yen"].get<int64_t>() == 9419);
  CHECK(j["months"][0] ==
        json{{"month", 1}, {"volume_m3", 21}, {"water_yen", 2413}, {"sewer_yen", 2020}, {"total_yen", 4876}});
  CHECK(j["lines"][0]["key"] == "water.basic");
  CHECK(j["lines"][0]["tier_upto_m3"].is_null());
  CHECK(j["lines"][3]["key"] == "water.volume[2]");
  CHECK(j["lines"][3]["tier_upto_m3"] == 20);
}

TEST_CASE("assets/tariffs/default.json parses and gives the documented example", "[billing]") {
  Tariff t = mizu::ParseTariffText(ReadFile(MIZU_ASSETS_DIR "/tariffs/default.json"));
  CHECK(t.method == mizu::BillingMethod::kSplit);
  CHECK(t.odd_m3_to == mizu::OddM3To::kFirstMonth);
  CHECK(t.rounding_unit_yen == 1);
  CHECK(t.rounding_scope == mizu::RoundingScope::kPerMonth);
  CHECK(t.tax_rate_percent == 10);
  CHECK(mizu::TariffDiameters(t) == std::vector<int>{13, 20, 25, 30, 40, 50, 75, 100, 150});
  CHECK(ParseTariff(json(t)) == t);

  // docs/tariff.md's example: 13 mm, 41 m³ → 21 m³ (month 1, gets the odd m³) + 20 m³ (month 2)
  //   water m1: 880 + 5×0 + 5×30 + 10×150 + 1×185 = 2,715 → ×1.1 = 2,986.5 → 2,986
  //   water m2: 880 + 5×0 + 5×30 + 10×150         = 2,530 → ×1.1 = 2,783
  //   sewer m1: 600 + 10×0 + 10×120 + 1×150        = 1,950 → ×1.1 = 2,145
  //   sewer m2: 600 + 10×0 + 10×120                = 1,800 → ×1.1 = 1,980
  //   water 5,769 + sewer 4,125 = 9,894; tax 9,894 − 5,245 − 3,750 = 899
  auto r = ComputeBimonthlyBill(t, 13, 41);
  REQUIRE(r.ok());
  CHECK(r.bill.months[0] == mizu::MonthPart{1, 21, 2715, 1950, 2986 + 2145});
  CHECK(r.bill.months[1] == mizu::MonthPart{2, 20, 2530, 1800, 2783 + 1980});
  CHECK(r.bill.water_yen == 5245);
  CHECK(r.bill.water_with_tax_yen == 5769);
  CHECK(r.bill.sewer_yen == 3750);
  CHECK(r.bill.sewer_with_tax_yen == 4125);
  CHECK(r.bill.tax_yen == 899);
  CHECK(r.bill.total_yen == 9894);
  CheckInvariants(r.bill);
}
