#include "ui/chart.hpp"

#include <algorithm>
#include <cmath>

#include "imgui.h"
#include "theme/theme.hpp"
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace mizu::web::ui {
namespace {

constexpr uint32_t kValueColor = theme::kAccent;
// Graphics must stand out 3:1 from the white plot (WCAG 1.4.11): the comparison bars #4F8FCF (3.4:1), the
// no-data band's hatching #767676 (4.5:1).
constexpr uint32_t kCompareColor = 0xFFCF8F4F;  // ABGR of #4F8FCF, a lighter water blue than the accent
constexpr uint32_t kMissingFill = 0xFFE6E6E6;
constexpr uint32_t kHatch = 0xFF767676;
constexpr float kMissingBandCss = 12;  // no data is a low band at the base, never a bar's height
constexpr uint32_t kGrid = 0xFFE0E0E0;
constexpr uint32_t kSelected = 0x33B76800;  // the accent, faint

using State = ChartBar::State;

// Diagonal lines over [a, b], clipped to it.
void Hatch(ImDrawList* dl, ImVec2 a, ImVec2 b, uint32_t color) {
  float step = theme::Px(5);
  dl->PushClipRect(a, b, true);
  for (float x = a.x - (b.y - a.y); x < b.x; x += step)
    dl->AddLine(ImVec2(x, b.y), ImVec2(x + (b.y - a.y), a.y), color);
  dl->PopClipRect();
}

void MissingMarker(ImDrawList* dl, ImVec2 a, ImVec2 b) {
  dl->AddRectFilled(a, b, kMissingFill);
  Hatch(dl, a, b, kHatch);
}

void PartialBar(ImDrawList* dl, ImVec2 a, ImVec2 b) {
  dl->AddRectFilled(a, b, kValueColor);
  Hatch(dl, a, b, theme::kSurface);
}

// A bar's detail as its twin's name: the lines joined ("2026年9月分（…） 21 m³ …").
std::string SpokenDetail(const std::string& detail) {
  std::string out = detail;
  for (char& c : out)
    if (c == '\n') c = ' ';
  return out;
}

// A step of 1, 2 or 5 × 10^k giving about 4 grid lines up to max.
int64_t NiceStep(int64_t max) {
  int64_t raw = std::max<int64_t>(1, (max + 3) / 4);
  for (int64_t p = 1;; p *= 10)
    for (int64_t m : {1, 2, 5})
      if (m * p >= raw) return m * p;
}

void DrawLabel(ImDrawList* dl, ImVec2 pos, uint32_t color, const std::string& text) {
  theme::NoteText(text);
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), pos, color, text.c_str());
}

float Width(const std::string& text) {
  return ImGui::CalcTextSize(text.c_str()).x;
}

// One legend entry: a swatch and its text, wrapping to the next line when the row is full.
void LegendEntry(const std::string& text, uint32_t color, int kind, bool& first) {
  float sw = theme::Px(12), gap = theme::Px(6);
  float w = sw + gap + Width(text);
  if (!first) {
    ImGui::SameLine(0, theme::Px(14));
    if (ImGui::GetContentRegionAvail().x < w) ImGui::NewLine();
  }
  first = false;
  ImVec2 p = ImGui::GetCursorScreenPos();
  float h = ImGui::GetTextLineHeight();
  ImVec2 a(p.x, p.y + (h - sw) / 2), b(a.x + sw, a.y + sw);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  if (kind == 1)
    MissingMarker(dl, a, b);
  else if (kind == 2)
    PartialBar(dl, a, b);
  else
    dl->AddRectFilled(a, b, color);
  ImGui::Dummy(ImVec2(sw + gap, h));
  ImGui::SameLine(0, 0);
  theme::NoteText(text);
  ImGui::TextUnformatted(text.c_str());
}

}  // namespace

std::string ChartSummary(const std::vector<ChartBar>& bars, const std::string& unit) {
  int64_t max = 0;
  int missing = 0, partial = 0;
  for (const auto& b : bars) {
    if (b.state == State::kMissing) ++missing;
    if (b.state == State::kPartial) ++partial;
    if (b.state == State::kValue || b.state == State::kPartial) max = std::max(max, b.value);
  }
  std::string s = std::to_string(bars.size()) + " bars; max " + std::to_string(max) + " " + unit +
                  "; missing " + std::to_string(missing);
  if (partial) s += "; partial " + std::to_string(partial);
  return s;
}

void BarChart(Registry& reg, const std::string& id, const std::vector<ChartBar>& bars,
              const ChartOptions& options, int& selected) {
  ImGui::PushID(id.c_str());
  ImGui::PushFont(theme::GetFonts().small);
  bool any_compare = false, any_missing = false, any_partial = false;
  int64_t max = 0;
  for (const auto& b : bars) {
    any_compare = any_compare || b.compare.has_value();
    any_missing = any_missing || b.state == State::kMissing;
    any_partial = any_partial || b.state == State::kPartial;
    if (b.state == State::kValue || b.state == State::kPartial) max = std::max(max, b.value);
    if (b.compare) max = std::max(max, *b.compare);
  }

  // Legend.
  bool first = true;
  LegendEntry(options.value_legend, kValueColor, 0, first);
  if (any_compare) LegendEntry(options.compare_legend, kCompareColor, 0, first);
  if (any_missing) LegendEntry(options.missing_legend, 0, 1, first);
  if (any_partial) LegendEntry(options.partial_legend, 0, 2, first);

  // Geometry: unit line, plot with the y scale on the left, x labels, groups.
  int64_t step = NiceStep(max), top = std::max<int64_t>(step, (max + step - 1) / step * step);
  float line = ImGui::GetTextLineHeight();
  float axis_w = Width(FormatThousands(top)) + theme::Px(6);
  ImVec2 origin = ImGui::GetCursorScreenPos();
  float width = ImGui::GetContentRegionAvail().x;
  float plot_top = origin.y + line * 1.5f + theme::Px(4);  // the unit line, then half the top label
  float plot_h = theme::Px(options.height_css);
  float plot_x = origin.x + axis_w, plot_w = std::max(1.0f, width - axis_w);
  float plot_bottom = plot_top + plot_h;
  float total_h = plot_bottom - origin.y + line * 2 + theme::Px(6);
  ImDrawList* dl = ImGui::GetWindowDrawList();

  ImGui::InvisibleButton("##plot", ImVec2(width, total_h));
  bool hovered = ImGui::IsItemHovered();
  int n = static_cast<int>(bars.size());
  float slot = n > 0 ? plot_w / static_cast<float>(n) : plot_w;
  if (hovered && n > 0) {
    float mx = ImGui::GetIO().MousePos.x;
    if (mx >= plot_x) selected = std::clamp(static_cast<int>((mx - plot_x) / slot), 0, n - 1);
  }
  for (int i = 0; i < n; ++i)  // a bar's DOM twin activated (keyboard, screen reader): select it
    if (reg.TakeActivation(id + ".bar." + std::to_string(i))) selected = i;
  if (selected >= n) selected = -1;

  // Unit and grid.
  DrawLabel(dl, ImVec2(origin.x, origin.y), theme::kMuted, options.unit);
  for (int64_t v = 0; v <= top; v += step) {
    float y = plot_bottom - plot_h * static_cast<float>(v) / static_cast<float>(top);
    dl->AddLine(ImVec2(plot_x, y), ImVec2(plot_x + plot_w, y), v == 0 ? theme::kBorder : kGrid, theme::Px(1));
    std::string label = FormatThousands(v);
    DrawLabel(dl, ImVec2(plot_x - theme::Px(4) - Width(label), y - line / 2), theme::kMuted, label);
  }

  // Bars.
  float label_w = 0;
  for (const auto& b : bars) label_w = std::max(label_w, Width(b.label));
  int every = std::max(1, static_cast<int>(std::ceil((label_w + theme::Px(4)) / slot)));
  float bar_w = slot * (any_compare ? 0.38f : 0.6f);
  float group_end = -1e9f;
  std::string pending_group;  // a group (year, month) whose label had no room where it began
  auto y_of = [&](int64_t v) {
    return plot_bottom - plot_h * static_cast<float>(v) / static_cast<float>(top);
  };
  for (int i = 0; i < n; ++i) {
    const auto& b = bars[i];
    float x0 = plot_x + slot * static_cast<float>(i);
    if (i == selected) dl->AddRectFilled(ImVec2(x0, plot_top), ImVec2(x0 + slot, plot_bottom), kSelected);
    float centre = x0 + slot / 2;
    float main_x = any_compare ? centre + slot * 0.02f : centre - bar_w / 2;
    if (b.compare)
      dl->AddRectFilled(ImVec2(centre - slot * 0.02f - bar_w, y_of(*b.compare)),
                        ImVec2(centre - slot * 0.02f, plot_bottom), kCompareColor);
    ImVec2 a(main_x, y_of(b.value)), z(main_x + bar_w, plot_bottom);
    if (b.state == State::kValue) dl->AddRectFilled(a, z, kValueColor);
    if (b.state == State::kPartial) PartialBar(dl, a, z);
    if (b.state == State::kMissing)
      MissingMarker(dl, ImVec2(main_x, plot_bottom - theme::Px(kMissingBandCss)), z);
    if ((options.labels_from_end ? n - 1 - i : i) % every == 0)
      DrawLabel(dl, ImVec2(centre - Width(b.label) / 2, plot_bottom + theme::Px(3)), theme::kText, b.label);
    // Each group's label goes under its first bar, or under the first of its bars with room, so every stretch
    // of bars is named by its own year or month (「2025」 was never drawn when 「2024」 took its room).
    if (!b.group.empty() && (i == 0 || b.group != bars[i - 1].group)) pending_group = b.group;
    if (!pending_group.empty() && pending_group == b.group && x0 >= group_end) {
      DrawLabel(dl, ImVec2(x0, plot_bottom + theme::Px(3) + line), theme::kMuted, b.group);
      group_end = x0 + Width(b.group) + theme::Px(6);
      pending_group.clear();
    }
    std::string value = b.state == State::kMissing ? "missing"
                        : b.state == State::kEmpty ? ""
                                                   : std::to_string(b.value);
    theme::NoteText(b.label);
    reg.Add({.id = id + ".bar." + std::to_string(i),
             .role = "bar",
             .label = b.label,
             .value = value,
             .x = x0,
             .y = plot_top,
             .w = slot,
             .h = plot_bottom + line + theme::Px(3) - plot_top,
             .shown = SpokenDetail(b.detail),
             .hidden = !options.table_heads.empty()});
  }
  ImGui::PopFont();
  reg.Add({.id = id,
           .role = "chart",
           .label = options.value_legend,
           .value = ChartSummary(bars, options.unit),
           .x = origin.x,
           .y = origin.y,
           .w = width,
           .h = total_h,
           .shown = options.summary});

  if (!options.table_heads.empty()) {
    reg.Add({.id = id + ".table",
             .role = "table",
             .label = options.value_legend,
             .x = origin.x,
             .y = origin.y,
             .w = width,
             .h = total_h,
             .cells = options.table_heads});
    for (size_t i = 0; i < bars.size(); ++i) {
      if (bars[i].state == State::kEmpty) continue;  // a future hour: nothing to say yet
      const std::string& d = bars[i].detail;
      const size_t nl = d.find('\n');
      std::vector<std::string> cells{d.substr(0, nl),
                                     nl == std::string::npos ? "" : SpokenDetail(d.substr(nl + 1))};
      reg.Add({.id = id + ".table.row." + std::to_string(i),
               .role = "row",
               .label = cells[0],
               .value = cells[1],
               .x = origin.x,
               .y = origin.y,
               .w = width,
               .h = 1,
               .cells = cells});
    }
  }

  // The detail line of the selected bar.
  const std::string& detail = selected >= 0 ? bars[selected].detail : options.hint;
  ImVec2 p = ImGui::GetCursorScreenPos();
  float pad = theme::Px(8);
  ImVec2 size = ImGui::CalcTextSize(detail.c_str(), nullptr, false, width - pad * 2);
  float h = std::max(size.y, line * 2) + pad * 2;
  dl->AddRectFilled(p, ImVec2(p.x + width, p.y + h), 0xFFFBF6F0, theme::Px(6));
  dl->AddRect(p, ImVec2(p.x + width, p.y + h), theme::kBorder, theme::Px(6));
  ImGui::SetCursorScreenPos(ImVec2(p.x + pad, p.y + pad));
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width - pad * 2);
  if (selected < 0) ImGui::PushStyleColor(ImGuiCol_Text, theme::kMuted);
  ImGui::TextUnformatted(detail.c_str());
  if (selected < 0) ImGui::PopStyleColor();
  ImGui::PopTextWrapPos();
  Record(reg, id + ".detail", "status", detail);
  ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + h + theme::Px(4)));
  ImGui::Dummy(ImVec2(0, 0));
  ImGui::PopID();
}

}  // namespace mizu::web::ui
