// Tariff JSON: parsing with validation (every problem is a TariffError naming the value's path) and the
// canonical JSON form. The format is documented in docs/tariff.md.
#include <algorithm>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "mizu/billing.hpp"

namespace mizu {
namespace {

using nlohmann::json;

// Sane upper limits: they keep every product of the computation far inside int64_t and tier limits ×2 in int.
constexpr int64_t kMaxBasicYen = 100'000'000;
constexpr int64_t kMaxYenPerM3 = 100'000;
constexpr int64_t kMaxTierUptoM3 = 100'000'000;
constexpr int64_t kMaxDiameterMm = 3'000;
constexpr size_t kMaxTiers = 64;
constexpr size_t kMaxDiameters = 64;

[[noreturn]] void Fail(const std::string& path, const std::string& message) {
  throw TariffError(path, message);
}

std::string Join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}
std::string Index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

void RequireObject(const json& j, const std::string& path) {
  if (!j.is_object()) Fail(path, "must be an object");
}

// Refuses keys outside `allowed` (a typo such as "teirs" must not silently drop a table).
void RejectUnknownKeys(const json& j, const std::string& path,
                       std::initializer_list<std::string_view> allowed) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
      Fail(Join(path, it.key()), "unknown key");
    }
  }
}

const json& Member(const json& j, std::string_view key, const std::string& path) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) Fail(Join(path, key), "is required");
  return *it;
}

int64_t IntValue(const json& v, const std::string& path, int64_t min, int64_t max) {
  if (!v.is_number_integer()) Fail(path, "must be a whole number");
  // An unsigned value above max (possibly beyond int64_t) is refused before any signed conversion.
  const bool too_big = v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(max);
  const int64_t n = too_big ? max : v.get<int64_t>();
  if (too_big || n < min || n > max) {
    Fail(path, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return n;
}

int64_t IntMember(const json& j, std::string_view key, const std::string& path, int64_t min, int64_t max) {
  return IntValue(Member(j, key, path), Join(path, key), min, max);
}

std::string StringMember(const json& j, std::string_view key, const std::string& path) {
  const json& v = Member(j, key, path);
  if (!v.is_string()) Fail(Join(path, key), "must be a string");
  return v.get<std::string>();
}

// The string member's position in `choices`; a value outside them is an error listing the choices.
size_t ChoiceMember(const json& j, std::string_view key, const std::string& path,
                    std::initializer_list<std::string_view> choices) {
  std::string value = StringMember(j, key, path);
  size_t i = 0;
  std::string listed;
  for (std::string_view c : choices) {
    if (value == c) return i;
    listed += (i++ ? ", " : "") + std::string(c);
  }
  Fail(Join(path, key), "must be one of: " + listed);
}

const json& ArrayMember(const json& j, std::string_view key, const std::string& path, size_t max_size) {
  const json& v = Member(j, key, path);
  if (!v.is_array()) Fail(Join(path, key), "must be an array");
  if (v.empty()) Fail(Join(path, key), "must not be empty");
  if (v.size() > max_size) Fail(Join(path, key), "has more than " + std::to_string(max_size) + " entries");
  return v;
}

// The optional "from" must continue the previous tier (the first may say 0 or 1, as published tables do).
void CheckTierFrom(const json& t, const std::string& tier_path, bool first, int64_t prev_upto) {
  auto from = t.find("from");
  if (from == t.end() || from->is_null()) return;
  const int64_t f = IntValue(*from, Join(tier_path, "from"), 0, kMaxTierUptoM3);
  if (first && f != 0 && f != 1) Fail(Join(tier_path, "from"), "the first tier must start at 0 or 1");
  if (!first && f != prev_upto + 1) {
    Fail(Join(tier_path, "from"), "must be " + std::to_string(prev_upto + 1) +
                                      " (the previous tier's upto + 1): tiers overlap or leave a gap");
  }
}

// One tier; `prev_upto` is the previous tier's bound (0 before the first) and becomes this one's.
TariffTier ParseTier(const json& t, const std::string& tier_path, bool first, bool last, int64_t& prev_upto) {
  RequireObject(t, tier_path);
  RejectUnknownKeys(t, tier_path, {"from", "upto", "yen_per_m3"});
  TariffTier tier;
  tier.yen_per_m3 = IntMember(t, "yen_per_m3", tier_path, 0, kMaxYenPerM3);
  CheckTierFrom(t, tier_path, first, prev_upto);
  const std::string upto_path = Join(tier_path, "upto");
  auto upto = t.find("upto");
  if (upto == t.end() || upto->is_null()) {
    if (!last) Fail(upto_path, "is required (only the last tier is open-ended)");
    return tier;
  }
  if (last) Fail(upto_path, "must be omitted: the last tier is open-ended");
  const int64_t u = IntValue(*upto, upto_path, 1, kMaxTierUptoM3);
  if (u <= prev_upto) {
    Fail(upto_path, "must be greater than the previous tier's upto (" + std::to_string(prev_upto) +
                        "): tiers unsorted or overlapping");
  }
  prev_upto = u;
  tier.upto_m3 = static_cast<int>(u);
  return tier;
}

// Tiers: each "upto" above the previous one; every tier but the last bounded, the last open-ended.
std::vector<TariffTier> ParseTiers(const json& parent, const std::string& parent_path) {
  const std::string path = Join(parent_path, "tiers");
  const json& arr = ArrayMember(parent, "tiers", parent_path, kMaxTiers);
  std::vector<TariffTier> tiers;
  int64_t prev_upto = 0;
  for (size_t i = 0; i < arr.size(); ++i) {
    tiers.push_back(ParseTier(arr[i], Index(path, i), i == 0, i + 1 == arr.size(), prev_upto));
  }
  return tiers;
}

WaterGroup ParseWaterGroup(const json& g, const std::string& path, std::set<int>& seen_diameters) {
  RequireObject(g, path);
  RejectUnknownKeys(g, path, {"diameters", "tiers"});
  WaterGroup group;
  const std::string dpath = Join(path, "diameters");
  const json& arr = ArrayMember(g, "diameters", path, kMaxDiameters);
  for (size_t i = 0; i < arr.size(); ++i) {
    const std::string item_path = Index(dpath, i);
    RequireObject(arr[i], item_path);
    RejectUnknownKeys(arr[i], item_path, {"diameter_mm", "basic_yen"});
    DiameterBasic d;
    d.diameter_mm = static_cast<int>(IntMember(arr[i], "diameter_mm", item_path, 1, kMaxDiameterMm));
    d.basic_yen = IntMember(arr[i], "basic_yen", item_path, 0, kMaxBasicYen);
    if (!seen_diameters.insert(d.diameter_mm).second) {
      Fail(Join(item_path, "diameter_mm"), "duplicate diameter " + std::to_string(d.diameter_mm));
    }
    group.diameters.push_back(d);
  }
  group.tiers = ParseTiers(g, path);
  return group;
}

std::vector<WaterGroup> ParseWater(const json& root) {
  const json& water = Member(root, "water", "");
  RequireObject(water, "water");
  RejectUnknownKeys(water, "water", {"groups"});
  const json& groups = ArrayMember(water, "groups", "water", kMaxDiameters);
  std::set<int> seen;
  std::vector<WaterGroup> out;
  for (size_t i = 0; i < groups.size(); ++i)
    out.push_back(ParseWaterGroup(groups[i], Index("water.groups", i), seen));
  return out;
}

std::optional<SewerSchedule> ParseSewer(const json& root) {
  auto it = root.find("sewer");
  if (it == root.end() || it->is_null()) return std::nullopt;
  RequireObject(*it, "sewer");
  RejectUnknownKeys(*it, "sewer", {"basic_yen", "tiers"});
  SewerSchedule s;
  s.basic_yen = IntMember(*it, "basic_yen", "sewer", 0, kMaxBasicYen);
  s.tiers = ParseTiers(*it, "sewer");
  return s;
}

// "rounding": {"unit_yen": 1 | 10, "scope": "per_month" | "per_bill"}; per_month only with the split method.
void ParseRounding(const json& root, Tariff& t) {
  const json& rounding = Member(root, "rounding", "");
  RequireObject(rounding, "rounding");
  RejectUnknownKeys(rounding, "rounding", {"unit_yen", "scope"});
  t.rounding_unit_yen = static_cast<int>(IntMember(rounding, "unit_yen", "rounding", 1, 10));
  if (t.rounding_unit_yen != 1 && t.rounding_unit_yen != 10) Fail("rounding.unit_yen", "must be 1 or 10");
  t.rounding_scope = ChoiceMember(rounding, "scope", "rounding", {"per_month", "per_bill"}) == 0
                         ? RoundingScope::kPerMonth
                         : RoundingScope::kPerBill;
  if (t.rounding_scope == RoundingScope::kPerMonth && t.method == BillingMethod::kDoubled) {
    Fail("rounding.scope", "per_month needs method \"split\" (a doubled table has no months)");
  }
}

json TiersToJson(const std::vector<TariffTier>& tiers) {
  json arr = json::array();
  int prev_upto = 0;
  for (const TariffTier& t : tiers) {
    json o = {{"from", prev_upto + 1}};
    if (t.upto_m3) o["upto"] = *t.upto_m3;
    o["yen_per_m3"] = t.yen_per_m3;
    arr.push_back(std::move(o));
    prev_upto = t.upto_m3.value_or(prev_upto);
  }
  return arr;
}

}  // namespace

TariffError::TariffError(std::string path_in, const std::string& message_in)
    : std::runtime_error("tariff: " + (path_in.empty() ? std::string("(document)") : path_in) + ": " +
                         message_in),
      path(std::move(path_in)),
      message(message_in) {}

Tariff ParseTariff(const json& j) {
  RequireObject(j, "");
  RejectUnknownKeys(
      j, "", {"name", "note", "method", "odd_m3_to", "tax_rate_percent", "rounding", "water", "sewer"});
  Tariff t;
  t.name = StringMember(j, "name", "");
  if (t.name.empty()) Fail("name", "must not be empty");
  if (auto note = j.find("note"); note != j.end() && !note->is_null()) {
    if (!note->is_string()) Fail("note", "must be a string");
    t.note = note->get<std::string>();
  }
  t.method = ChoiceMember(j, "method", "", {"split", "doubled"}) == 0 ? BillingMethod::kSplit
                                                                      : BillingMethod::kDoubled;
  // The odd-m³ rule only matters when splitting, so it is required there and optional otherwise.
  if (auto odd = j.find("odd_m3_to");
      t.method == BillingMethod::kSplit || (odd != j.end() && !odd->is_null())) {
    t.odd_m3_to = ChoiceMember(j, "odd_m3_to", "", {"first", "second"}) == 0 ? OddM3To::kFirstMonth
                                                                             : OddM3To::kSecondMonth;
  }
  t.tax_rate_percent = static_cast<int>(IntMember(j, "tax_rate_percent", "", 0, 100));

  ParseRounding(j, t);
  t.water = ParseWater(j);
  t.sewer = ParseSewer(j);
  return t;
}

Tariff ParseTariffText(std::string_view json_text) {
  json j = json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) Fail("", "not valid JSON");
  return ParseTariff(j);
}

void to_json(json& j, const Tariff& t) {
  json groups = json::array();
  for (const WaterGroup& g : t.water) {
    json diameters = json::array();
    for (const DiameterBasic& d : g.diameters) {
      diameters.push_back({{"diameter_mm", d.diameter_mm}, {"basic_yen", d.basic_yen}});
    }
    groups.push_back({{"diameters", std::move(diameters)}, {"tiers", TiersToJson(g.tiers)}});
  }
  j = json{{"name", t.name},
           {"note", t.note},
           {"method", ToString(t.method)},
           {"odd_m3_to", ToString(t.odd_m3_to)},
           {"tax_rate_percent", t.tax_rate_percent},
           {"rounding", {{"unit_yen", t.rounding_unit_yen}, {"scope", ToString(t.rounding_scope)}}},
           {"water", {{"groups", std::move(groups)}}},
           {"sewer", nullptr}};
  if (t.sewer) j["sewer"] = {{"basic_yen", t.sewer->basic_yen}, {"tiers", TiersToJson(t.sewer->tiers)}};
}

std::vector<int> TariffDiameters(const Tariff& t) {
  std::vector<int> out;
  for (const WaterGroup& g : t.water) {
    for (const DiameterBasic& d : g.diameters) out.push_back(d.diameter_mm);
  }
  std::sort(out.begin(), out.end());
  return out;
}

const WaterGroup* FindWaterGroup(const Tariff& t, int diameter_mm) {
  for (const WaterGroup& g : t.water) {
    for (const DiameterBasic& d : g.diameters) {
      if (d.diameter_mm == diameter_mm) return &g;
    }
  }
  return nullptr;
}

std::string_view ToString(BillingMethod m) {
  return m == BillingMethod::kSplit ? "split" : "doubled";
}
std::string_view ToString(OddM3To o) {
  return o == OddM3To::kFirstMonth ? "first" : "second";
}
std::string_view ToString(RoundingScope s) {
  return s == RoundingScope::kPerMonth ? "per_month" : "per_bill";
}

}  // namespace mizu
