// 料金シミュレーション (no login): the utility's tariff (GET /api/v1/tariff, parsed by the shared
// ParseTariff), a diameter and a two-month volume → the bill, computed in the browser by
// mizu::ComputeBimonthlyBill — the code the server bills with — and shown as it changes: basic and volume
// charges per band, sewer, tax, total.
#include <nlohmann/json.hpp>

#include "imgui.h"
#include "mizu/billing.hpp"
#include "mizu/text.hpp"
#include "platform/text_input.hpp"
#include "theme/theme.hpp"
#include "ui/api.hpp"
#include "ui/app.hpp"
#include "ui/data.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

constexpr size_t kMaxVolumeDigits = 7;  // kMaxBillVolumeM3 is 1,000,000

// The volume as typed → whole m³ (full-width digits and spaces accepted), or nullopt.
std::optional<int> ParseVolume(const std::string& text) {
  std::string v = CollapseSpaces(NormalizeWidth(text));
  if (v.empty() || v.size() > kMaxVolumeDigits) return std::nullopt;
  int n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

// "6〜10 m³：5 m³ × 30円" for a volume line; "基本料金" for a basic one; "1か月目 " in front for a split
// bill.
std::string LineText(Lang lang, const ChargeLine& l) {
  std::string text = l.month > 0 ? Format(Tr(lang, "sim.month"), {{"n", std::to_string(l.month)}}) + " " : "";
  text += Tr(lang, l.label_key);
  if (l.label_key != "billing.volume") return text;
  std::string band = l.tier_upto_m3
                         ? Format(Tr(lang, "sim.band"), {{"from", std::to_string(l.tier_from_m3)},
                                                         {"upto", std::to_string(*l.tier_upto_m3)}})
                         : Format(Tr(lang, "sim.band_open"), {{"from", std::to_string(l.tier_from_m3)}});
  return text + " " +
         Format(Tr(lang, "sim.volume_line"),
                {{"band", band}, {"m3", FormatThousands(l.m3)}, {"price", Yen(lang, l.yen_per_m3)}});
}

void DrawLines(AppContext& ctx, Lang lang, const BillBreakdown& b, const char* service) {
  std::vector<ui::TableRow> rows;
  for (const auto& l : b.lines) {
    if (l.service != service) continue;
    std::string text = LineText(lang, l), yen = Yen(lang, l.yen);
    rows.push_back({{text, yen}, text, std::to_string(l.yen)});
  }
  ui::Table(ctx.registry, std::string("sim.lines.") + service,
            {std::string(Tr(lang, "sim.line_item")), std::string(Tr(lang, "sim.line_amount"))}, {3, 1}, rows);
}

}  // namespace

void EnterSimulation(AppState& app) {
  if (app.s.simulation.tariff) return;  // once per visit
  Api(app, "GET", "/api/v1/tariff", nullptr,
      [&app](const ApiReply& r) {
        auto& s = app.s.simulation;
        if (!r.ok()) return s.errors.Set(r.error);
        try {
          s.tariff = ParseTariff(r.json);
          s.errors.Clear();
        } catch (const TariffError&) {
          s.errors.code = std::string(err::kTariffInvalid);
        }
      },
      {.session = false});
}

void DrawSimulation(AppState& app, AppContext& ctx) {
  auto& s = app.s.simulation;
  auto& reg = ctx.registry;
  Lang lang = app.lang;
  ui::Heading(reg, "sim.title", Tr(lang, "menu.simulation"));
  ui::Text(reg, "sim.intro", Tr(lang, "sim.intro"), true);
  ui::ErrorText(reg, "sim.error", s.errors.Notice(lang));
  if (!s.tariff) return;

  std::vector<int> diameters = TariffDiameters(*s.tariff);
  std::vector<std::string> options;
  for (int d : diameters) options.push_back(std::to_string(d) + " mm");
  if (s.diameter_index >= static_cast<int>(diameters.size())) s.diameter_index = 0;
  ui::Select(reg, "sim.diameter", Tr(lang, "billing.diameter"), options, s.diameter_index);

  auto volume = ParseVolume(s.volume);
  std::string volume_error =
      volume || s.volume.empty() ? "" : std::string(ErrorMessage(lang, err::kVolumeInvalid));
  ui::InputText(reg, "sim.volume", Tr(lang, "sim.volume"), s.volume,
                {.keyboard = kKeyboardNumeric, .max_bytes = 32, .error = volume_error});
  bool editing = reg.active_text.active;
  if (volume && !editing && std::to_string(*volume) != s.volume)
    s.volume = std::to_string(*volume);  // shown normalised
  ui::Checkbox(reg, "sim.sewer", Tr(lang, "sim.sewer"), s.sewer);
  ImGui::Spacing();

  s.result.reset();
  if (!volume || diameters.empty()) return;
  s.result = ComputeBimonthlyBill(*s.tariff, diameters[s.diameter_index], *volume, {.sewer = s.sewer});
  if (!s.result->ok())
    return ui::ErrorText(reg, "sim.result_error", ErrorMessage(lang, s.result->error->code));
  const BillBreakdown& b = s.result->bill;

  ui::Heading(reg, "sim.result", Tr(lang, "sim.result"));
  ui::Amount(reg, "sim.total", Tr(lang, "sim.total"), Yen(lang, b.total_yen), std::to_string(b.total_yen));
  ui::Text(reg, "sim.total_note", Tr(lang, "sim.total_note"), true);
  ImGui::Spacing();

  ui::Field(reg, "sim.water", Tr(lang, "sim.water_excl"), Yen(lang, b.water_yen));
  DrawLines(ctx, lang, b, "water");
  if (s.sewer && s.tariff->sewer) {
    ui::Field(reg, "sim.sewer_yen", Tr(lang, "sim.sewer_excl"), Yen(lang, b.sewer_yen));
    DrawLines(ctx, lang, b, "sewer");
  }
  ui::Field(reg, "sim.tax", Format(Tr(lang, "sim.tax"), {{"rate", std::to_string(b.tax_rate_percent)}}),
            Yen(lang, b.tax_yen));
  ImGui::Spacing();
  ui::Text(reg, "sim.tariff", s.tariff->name, true);
  ui::Text(reg, "sim.disclaimer", Tr(lang, "sim.disclaimer"), true);
}

}  // namespace mizu::web
