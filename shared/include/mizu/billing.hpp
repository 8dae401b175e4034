#pragma once
// Tariff model (料金表) and bimonthly bill computation (水道料金 + 下水道使用料). One implementation for the
// backend (imports, `mizumori simulate`, GET /api/v1/tariff) and, compiled to wasm, the browser's
// 料金シミュレーション, so both compute identical bills. Money is integer yen (no floating point anywhere);
// volumes are whole m³. The tariff's JSON format is documented in docs/tariff.md. No I/O: callers read the
// file and pass its text.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "mizu/errors.hpp"

namespace mizu {

// The largest 2-month volume ComputeBimonthlyBill accepts: far above any real reading, every yen stays exact.
inline constexpr int kMaxBillVolumeM3 = 1'000'000;

// ---- Tariff model -----------------------------------------------------------------------------------------

// One volume tier (band) of a monthly table: the m³ after the previous tier's `upto_m3` up to and including
// this one's, each at `yen_per_m3` (tax-exclusive). Only the last tier is open-ended (no upper bound).
struct TariffTier {
  std::optional<int> upto_m3;
  int64_t yen_per_m3 = 0;
  bool operator==(const TariffTier&) const = default;
};

// A meter diameter (口径) and its monthly basic charge (基本料金, tax-exclusive).
struct DiameterBasic {
  int diameter_mm = 0;
  int64_t basic_yen = 0;
  bool operator==(const DiameterBasic&) const = default;
};

// Water (水道料金): diameters sharing one volume table, e.g. 13–25 mm, or 30–50 mm with their own tiers.
struct WaterGroup {
  std::vector<DiameterBasic> diameters;
  std::vector<TariffTier> tiers;
  bool operator==(const WaterGroup&) const = default;
};

// Sewer (下水道使用料): independent of the diameter.
struct SewerSchedule {
  int64_t basic_yen = 0;
  std::vector<TariffTier> tiers;
  bool operator==(const SewerSchedule&) const = default;
};

enum class BillingMethod {
  kSplit,    // 2-month volume split into two months, each priced with the monthly table, then summed
  kDoubled,  // one 2-month table: basic ×2 and every tier limit ×2
};
enum class OddM3To { kFirstMonth, kSecondMonth };  // split: which month gets the odd m³
enum class RoundingScope {
  kPerMonth,  // each month's tax-inclusive charge is floored (split only)
  kPerBill,   // the 2-month tax-inclusive charge is floored once
};

// A parsed, validated tariff. Prices are tax-exclusive; tax is added and floored per service (water, sewer).
struct Tariff {
  std::string name;
  std::string note;  // free text (source, revision date); optional in JSON
  BillingMethod method = BillingMethod::kSplit;
  OddM3To odd_m3_to = OddM3To::kFirstMonth;
  int tax_rate_percent = 10;
  int rounding_unit_yen = 1;  // 1 or 10: the tax-inclusive charge is floored to a multiple of this
  RoundingScope rounding_scope = RoundingScope::kPerMonth;
  std::vector<WaterGroup> water;
  std::optional<SewerSchedule> sewer;  // absent: the utility bills no sewer charge
  bool operator==(const Tariff&) const = default;
};

// Thrown by ParseTariff / ParseTariffText. `path` names the offending value ("water.groups[0].tiers[2].upto",
// "" for the whole document); what() is "tariff: <path>: <message>". Its error code is err::kTariffInvalid.
class TariffError : public std::runtime_error {
 public:
  TariffError(std::string path, const std::string& message);
  std::string path;
  std::string message;
};

// Parses and validates (format: docs/tariff.md). Throws TariffError on any problem; unknown keys are errors.
Tariff ParseTariff(const nlohmann::json& j);
// As ParseTariff; text that is not JSON is a TariffError with path "".
Tariff ParseTariffText(std::string_view json_text);
// The canonical JSON form (every field written, tiers with their "from"): ParseTariff(json(t)) == t.
void to_json(nlohmann::json& j, const Tariff& t);

// Every diameter of the water table, ascending (for a diameter picker).
std::vector<int> TariffDiameters(const Tariff& t);
// The water group pricing `diameter_mm`, or nullptr.
const WaterGroup* FindWaterGroup(const Tariff& t, int diameter_mm);

// ---- Bill computation -------------------------------------------------------------------------------------

// One tax-exclusive line of the bill: a basic charge or the m³ of one tier.
struct ChargeLine {
  std::string key;        // "water.basic", "water.volume[2]" (tier index), "sewer.basic", "sewer.volume[0]"
  std::string label_key;  // i18n key: "billing.basic" | "billing.volume"
  std::string service;    // "water" | "sewer"
  int month = 0;          // 1 or 2 (split); 0 for the whole 2-month period (doubled)
  int m3 = 0;             // volume priced on this line (0 on basic lines)
  int tier_from_m3 = 0;   // tier as applied (doubled: limits ×2); 0/0 on basic lines
  std::optional<int> tier_upto_m3;
  int64_t yen_per_m3 = 0;
  int64_t yen = 0;  // tax-exclusive
  bool operator==(const ChargeLine&) const = default;
};

// One month of a split bill (tax-exclusive parts; the tax-inclusive total only when rounded per month).
struct MonthPart {
  int month = 1;
  int volume_m3 = 0;
  int64_t water_yen = 0;
  int64_t sewer_yen = 0;
  std::optional<int64_t> total_yen;  // water + sewer with tax, each floored; set only for kPerMonth rounding
  bool operator==(const MonthPart&) const = default;
};

// A 2-month bill. total_yen == water_yen + sewer_yen + tax_yen == water_with_tax_yen + sewer_with_tax_yen.
// tax_yen (消費税等相当額) is tax-inclusive minus tax-exclusive, so the flooring lands in it.
struct BillBreakdown {
  int diameter_mm = 0;
  int volume_m3 = 0;
  BillingMethod method = BillingMethod::kSplit;
  int tax_rate_percent = 0;
  int64_t water_yen = 0;  // tax-exclusive
  int64_t sewer_yen = 0;  // tax-exclusive
  int64_t tax_yen = 0;
  int64_t total_yen = 0;
  int64_t water_with_tax_yen = 0;
  int64_t sewer_with_tax_yen = 0;
  std::vector<MonthPart> months;  // 2 entries for kSplit, empty for kDoubled
  std::vector<ChargeLine> lines;  // water lines then sewer lines; month 1 before month 2
  bool operator==(const BillBreakdown&) const = default;
};

// Either an error (then `bill` is default) or the bill.
struct BillResult {
  std::optional<FieldError> error;
  BillBreakdown bill;
  bool ok() const { return !error.has_value(); }
};

struct BillOptions {
  bool sewer = true;  // false: the premises are not connected to the sewer (septic tank); no sewer charge
};

// The bill for `volume_m3` used over 2 months on a meter of `diameter_mm`. Errors, checked in this order:
// {kDiameterUnknown, "diameter_mm"} when the water table has no such diameter; {kVolumeInvalid, "volume_m3"}
// unless 0 <= volume_m3 <= kMaxBillVolumeM3. Never throws for a tariff that came from ParseTariff.
BillResult ComputeBimonthlyBill(const Tariff& tariff, int diameter_mm, int volume_m3,
                                const BillOptions& options = {});

// The tax-exclusive charge of `volume_m3` on `tiers` whose limits are multiplied by `scale` (1 or 2); appends
// one line per tier used (m3 > 0) when `lines` is given, with key prefix `service` and month `month`.
int64_t PriceTiers(const std::vector<TariffTier>& tiers, int volume_m3, int scale, const std::string& service,
                   int month, std::vector<ChargeLine>* lines);
// floor(floor(yen_excl × (100 + rate) / 100) / unit) × unit, for yen_excl >= 0.
int64_t AddTaxAndFloor(int64_t yen_excl, int tax_rate_percent, int rounding_unit_yen);

std::string_view ToString(BillingMethod m);  // "split" | "doubled"
std::string_view ToString(OddM3To o);        // "first" | "second"
std::string_view ToString(RoundingScope s);  // "per_month" | "per_bill"

// The bill's JSON: every field above under its own name ("months", "lines" arrays; "method" as ToString);
// absent optionals are null.
void to_json(nlohmann::json& j, const ChargeLine& line);
void to_json(nlohmann::json& j, const MonthPart& part);
void to_json(nlohmann::json& j, const BillBreakdown& bill);

}  // namespace mizu
