// Fuzz target: the tariff JSON loader (assets/tariffs/*.json, docs/tariff.md) and the bill it prices.
// Input: JSON text. TariffError is the documented refusal; for an accepted tariff, the canonical JSON must
// parse back to the same tariff, and ComputeBimonthlyBill must not throw (nor overflow: UBSan) for any
// diameter and volume.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

#include "mizu/billing.hpp"

using namespace mizu;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Tariff tariff;
  try {
    tariff = ParseTariffText(text);
  } catch (const TariffError&) {
    return 0;
  }
  nlohmann::json canonical = tariff;
  if (ParseTariff(canonical) != tariff) abort();
  static constexpr int kVolumes[] = {0, 1, 9, 10, 11, 99, 1000, 12345, kMaxBillVolumeM3, kMaxBillVolumeM3 + 1,
                                     -1};
  for (int diameter : TariffDiameters(tariff)) {
    if (!FindWaterGroup(tariff, diameter)) abort();
    for (int volume : kVolumes) {
      BillResult r = ComputeBimonthlyBill(tariff, diameter, volume);
      if (r.ok()) {
        nlohmann::json j = r.bill;
        (void)j.dump();
      }
      BillOptions no_sewer;
      no_sewer.sewer = false;
      (void)ComputeBimonthlyBill(tariff, diameter, volume, no_sewer);
    }
  }
  (void)ComputeBimonthlyBill(tariff, 7, 10);  // a diameter the tariff lacks
  return 0;
}
