#pragma once
// A bar chart drawn with ImDrawList that fits a 360 px phone: one slot per x value with its bar and
// optionally a lighter comparison bar beside it (the same period a year earlier), a y scale, a legend, and a
// detail line under the chart with the values of the hovered / tapped slot. A missing value is a low hatched
// band at the base (labelled データなし in the legend), never a zero bar nor a full-height block; a future
// slot is empty; a partial value (some hours missing, or today so far) is a hatched bar. Records itself in
// the Registry: the chart (role "chart", value a short summary), each slot "<id>.bar.<i>" (role "bar", label
// its x label, value the number or "missing"; rect = the slot, which is the tap target) and the detail line
// "<id>.detail" (role "status").
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ui/registry.hpp"

namespace mizu::web::ui {

struct ChartBar {
  enum class State {
    kValue,
    kMissing,
    kPartial,
    kEmpty
  };  // kPartial: a value with some data missing;
      // kEmpty: nothing yet (a future hour), not drawn
  State state = State::kValue;
  int64_t value = 0;
  std::optional<int64_t> compare;  // the lighter bar beside this one
  std::string label;               // x label ("11月", "22", "7")
  std::string group;               // written under the label where it changes ("2025", "11月")
  std::string detail;              // the detail line when this bar is selected
};

struct ChartOptions {
  std::string unit;             // "m³", "L"
  std::string value_legend;     // legend of the main bars
  std::string compare_legend;   // legend of the comparison bars (shown when any bar has one)
  std::string missing_legend;   // "データなし" (shown when any bar is missing)
  std::string partial_legend;   // "一部データなし" (shown when any bar is partial)
  std::string hint;             // the detail line when nothing is selected
  float height_css = 180;       // plot height
  bool labels_from_end = true;  // when x labels are thinned, keep the last one (else the first)
  std::string summary;  // one sentence a screen reader reads for the chart (「直近12回の平均は…」)
  // When set (period head, value head), the chart is also a table for screen readers ("<id>.table", rows
  // "<id>.table.row.<i>"): each bar's detail — its period, then its value or 「データなし」, never 0 for a
  // missing hour. Charts that have a drawn table beside them leave it empty.
  std::vector<std::string> table_heads;
};

// Draws the chart; selected is the slot shown in the detail line (hover or tap sets it, -1: none).
void BarChart(Registry& reg, const std::string& id, const std::vector<ChartBar>& bars,
              const ChartOptions& options, int& selected);

// The registry summary of a chart: "12 bars; max 35 m³; missing 2".
std::string ChartSummary(const std::vector<ChartBar>& bars, const std::string& unit);

}  // namespace mizu::web::ui
