// Bimonthly bill computation: split (two monthly bills) or doubled (one 2-month table), tax added and floored
// per service as the tariff says, and the bill's JSON form. Integer yen throughout.
#include <algorithm>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "mizu/billing.hpp"

namespace mizu {
namespace {

using nlohmann::json;

const DiameterBasic* FindDiameter(const WaterGroup& group, int diameter_mm) {
  for (const DiameterBasic& d : group.diameters) {
    if (d.diameter_mm == diameter_mm) return &d;
  }
  return nullptr;
}

// Basic (×scale) plus tiers (limits ×scale) for one pricing period; lines appended.
int64_t PriceService(int64_t basic_yen, const std::vector<TariffTier>& tiers, int volume_m3, int scale,
                     const std::string& service, int month, std::vector<ChargeLine>& lines) {
  ChargeLine basic;
  basic.key = service + ".basic";
  basic.label_key = "billing.basic";
  basic.service = service;
  basic.month = month;
  basic.yen = basic_yen * scale;
  lines.push_back(basic);
  return basic.yen + PriceTiers(tiers, volume_m3, scale, service, month, &lines);
}

// The two months' volumes of a split bill: halves, the odd m³ where the tariff says.
std::pair<int, int> SplitVolume(int volume_m3, OddM3To odd_to) {
  const int small = volume_m3 / 2;
  const int large = volume_m3 - small;
  return odd_to == OddM3To::kFirstMonth ? std::make_pair(large, small) : std::make_pair(small, large);
}

struct ServiceTotals {
  int64_t excl = 0;
  int64_t with_tax = 0;
};

void ComputeSplit(const Tariff& tariff, int64_t water_basic, const WaterGroup& group, bool with_sewer,
                  BillBreakdown& bill, ServiceTotals& water, ServiceTotals& sewer) {
  const auto [first, second] = SplitVolume(bill.volume_m3, tariff.odd_m3_to);
  bill.months = {MonthPart{1, first, 0, 0, std::nullopt}, MonthPart{2, second, 0, 0, std::nullopt}};
  for (MonthPart& part : bill.months) {
    part.water_yen =
        PriceService(water_basic, group.tiers, part.volume_m3, 1, "water", part.month, bill.lines);
  }
  if (with_sewer) {
    for (MonthPart& part : bill.months) {
      part.sewer_yen = PriceService(tariff.sewer->basic_yen, tariff.sewer->tiers, part.volume_m3, 1, "sewer",
                                    part.month, bill.lines);
    }
  }
  const int rate = tariff.tax_rate_percent;
  const int unit = tariff.rounding_unit_yen;
  for (MonthPart& part : bill.months) {
    water.excl += part.water_yen;
    sewer.excl += part.sewer_yen;
    if (tariff.rounding_scope == RoundingScope::kPerMonth) {
      const int64_t w = AddTaxAndFloor(part.water_yen, rate, unit);
      const int64_t s = with_sewer ? AddTaxAndFloor(part.sewer_yen, rate, unit) : 0;
      part.total_yen = w + s;
      water.with_tax += w;
      sewer.with_tax += s;
    }
  }
  if (tariff.rounding_scope == RoundingScope::kPerBill) {
    water.with_tax = AddTaxAndFloor(water.excl, rate, unit);
    sewer.with_tax = with_sewer ? AddTaxAndFloor(sewer.excl, rate, unit) : 0;
  }
}

// A doubled table has no months: the bill is floored once whatever rounding_scope says.
void ComputeDoubled(const Tariff& tariff, int64_t water_basic, const WaterGroup& group, bool with_sewer,
                    BillBreakdown& bill, ServiceTotals& water, ServiceTotals& sewer) {
  water.excl = PriceService(water_basic, group.tiers, bill.volume_m3, 2, "water", 0, bill.lines);
  water.with_tax = AddTaxAndFloor(water.excl, tariff.tax_rate_percent, tariff.rounding_unit_yen);
  if (with_sewer) {
    sewer.excl =
        PriceService(tariff.sewer->basic_yen, tariff.sewer->tiers, bill.volume_m3, 2, "sewer", 0, bill.lines);
    sewer.with_tax = AddTaxAndFloor(sewer.excl, tariff.tax_rate_percent, tariff.rounding_unit_yen);
  }
}

}  // namespace

int64_t PriceTiers(const std::vector<TariffTier>& tiers, int volume_m3, int scale, const std::string& service,
                   int month, std::vector<ChargeLine>* lines) {
  int64_t total = 0;
  int64_t prev_upto = 0;
  for (size_t i = 0; i < tiers.size() && volume_m3 > prev_upto; ++i) {
    const TariffTier& tier = tiers[i];
    const int64_t upto = tier.upto_m3 ? int64_t{*tier.upto_m3} * scale : std::numeric_limits<int64_t>::max();
    const int64_t m3 = std::min<int64_t>(volume_m3, upto) - prev_upto;
    const int64_t yen = m3 * tier.yen_per_m3;
    total += yen;
    if (lines) {
      ChargeLine line;
      line.key = service + ".volume[" + std::to_string(i) + "]";
      line.label_key = "billing.volume";
      line.service = service;
      line.month = month;
      line.m3 = static_cast<int>(m3);
      line.tier_from_m3 = static_cast<int>(prev_upto + 1);
      if (tier.upto_m3) line.tier_upto_m3 = static_cast<int>(upto);
      line.yen_per_m3 = tier.yen_per_m3;
      line.yen = yen;
      lines->push_back(std::move(line));
    }
    prev_upto = upto;
  }
  return total;
}

int64_t AddTaxAndFloor(int64_t yen_excl, int tax_rate_percent, int rounding_unit_yen) {
  const int64_t with_tax = yen_excl * (100 + tax_rate_percent) / 100;
  return with_tax / rounding_unit_yen * rounding_unit_yen;
}

BillResult ComputeBimonthlyBill(const Tariff& tariff, int diameter_mm, int volume_m3,
                                const BillOptions& options) {
  BillResult result;
  const WaterGroup* group = FindWaterGroup(tariff, diameter_mm);
  if (!group) {
    result.error = FieldError{std::string(err::kDiameterUnknown), "diameter_mm"};
    return result;
  }
  if (volume_m3 < 0 || volume_m3 > kMaxBillVolumeM3) {
    result.error = FieldError{std::string(err::kVolumeInvalid), "volume_m3"};
    return result;
  }
  const int64_t water_basic = FindDiameter(*group, diameter_mm)->basic_yen;
  const bool with_sewer = options.sewer && tariff.sewer.has_value();

  BillBreakdown& bill = result.bill;
  bill.diameter_mm = diameter_mm;
  bill.volume_m3 = volume_m3;
  bill.method = tariff.method;
  bill.tax_rate_percent = tariff.tax_rate_percent;
  ServiceTotals water, sewer;
  if (tariff.method == BillingMethod::kSplit) {
    ComputeSplit(tariff, water_basic, *group, with_sewer, bill, water, sewer);
  } else {
    ComputeDoubled(tariff, water_basic, *group, with_sewer, bill, water, sewer);
  }
  bill.water_yen = water.excl;
  bill.sewer_yen = sewer.excl;
  bill.water_with_tax_yen = water.with_tax;
  bill.sewer_with_tax_yen = sewer.with_tax;
  bill.total_yen = water.with_tax + sewer.with_tax;
  bill.tax_yen = bill.total_yen - water.excl - sewer.excl;
  return result;
}

void to_json(json& j, const ChargeLine& line) {
  j = json{{"key", line.key},         {"label_key", line.label_key},
           {"service", line.service}, {"month", line.month},
           {"m3", line.m3},           {"tier_from_m3", line.tier_from_m3},
           {"tier_upto_m3", nullptr}, {"yen_per_m3", line.yen_per_m3},
           {"yen", line.yen}};
  if (line.tier_upto_m3) j["tier_upto_m3"] = *line.tier_upto_m3;
}

void to_json(json& j, const MonthPart& part) {
  j = json{{"month", part.month},
           {"volume_m3", part.volume_m3},
           {"water_yen", part.water_yen},
           {"sewer_yen", part.sewer_yen},
           {"total_yen", nullptr}};
  if (part.total_yen) j["total_yen"] = *part.total_yen;
}

void to_json(json& j, const BillBreakdown& bill) {
  j = json{{"diameter_mm", bill.diameter_mm},
           {"volume_m3", bill.volume_m3},
           {"method", ToString(bill.method)},
           {"tax_rate_percent", bill.tax_rate_percent},
           {"water_yen", bill.water_yen},
           {"sewer_yen", bill.sewer_yen},
           {"tax_yen", bill.tax_yen},
           {"total_yen", bill.total_yen},
           {"water_with_tax_yen", bill.water_with_tax_yen},
           {"sewer_with_tax_yen", bill.sewer_with_tax_yen},
           {"months", bill.months},
           {"lines", bill.lines}};
}

}  // namespace mizu
