// ui::DateField (widgets.hpp): a date typed in any common form, with its reading shown under it and a
// calendar page to pick from (days outside the window or refused by `allowed` disabled). Built from the
// widgets of widgets.cpp only (ImGui here lays out: ids, state storage, lines, empty cells): a day is a
// ui::Key named by its full date, the days one Tab stop moved in by the arrow keys (as the WAI-ARIA APG's
// date picker grid), the weekday heads one ui::CellRow, so the calendar is as usable by keyboard and screen
// reader as by touch.
#include <string>
#include <vector>

#include "imgui.h"
#include "mizu/date_input.hpp"
#include "mizu/format.hpp"
#include "theme/theme.hpp"
#include "ui/widgets.hpp"

namespace mizu::web::ui {

namespace {

// Months counted from year 0 (a calendar page): 2026-12 → 2026 * 12 + 11.
int MonthIndex(CivilDate d) {
  return d.year * 12 + d.month - 1;
}
CivilDate FirstOfMonth(int index) {
  return {index / 12, index % 12 + 1, 1};
}

// One day of the calendar grid (a ui::Key): its number drawn, its full date as its name; the chosen day
// filled. The days are one Tab stop, `grid`, seven to a row: the arrow keys move between them (registry.hpp).
bool DayButton(Registry& reg, const std::string& id, const std::string& grid, Lang lang, CivilDate d,
               bool enabled, bool chosen, bool tab_stop, float w) {
  std::string name = FormatDayWithWeekday(lang, d);
  if (chosen) name += std::string(Tr(lang, "calendar.chosen"));
  const bool pressed =
      Key(reg, id, std::to_string(d.day), name, w, chosen ? KeyState::kChosen : KeyState::kPlain, enabled);
  UiItem& item = reg.LastItem();
  item.grid = grid;
  item.grid_columns = 7;
  item.grid_stop = tab_stop;
  return pressed;
}

}  // namespace

bool DateField(Registry& reg, const char* id, std::string_view label, std::string& text,
               const DateOptions& o) {
  bool changed = InputText(reg, id, label, text, {.max_bytes = 64, .error = o.error, .required = o.required});
  const std::optional<CivilDate> parsed = ParseDateInput(text, o.today);
  const std::string base(id);
  if (parsed) Text(reg, (base + ".parsed").c_str(), FormatDayWithWeekday(o.lang, *parsed), true);

  ImGui::PushID(id);
  ImGuiStorage* storage = ImGui::GetStateStorage();
  const ImGuiID open_key = ImGui::GetID("calendar_open"), month_key = ImGui::GetID("calendar_month");
  bool open = storage->GetBool(open_key, false);
  const std::string toggle_id = base + ".calendar";
  if (SmallButton(reg, toggle_id.c_str(), Tr(o.lang, open ? "calendar.close" : "calendar.open"))) {
    open = !open;
    storage->SetBool(open_key, open);
    storage->SetInt(month_key, MonthIndex(parsed ? *parsed : o.first));
  }
  reg.LastItem().expanded = open;
  if (open) {
    // Esc closes the calendar (activating the toggle closes it); this one when focus is in it.
    reg.SetEscape(toggle_id, reg.FocusWithin(toggle_id));
    const int month = storage->GetInt(month_key, MonthIndex(o.first));
    const CivilDate first_day = FirstOfMonth(month);
    Text(reg, (toggle_id + ".month").c_str(), FormatYearMonth(o.lang, first_day.year, first_day.month));
    if (SmallButton(reg, (toggle_id + ".previous").c_str(), Tr(o.lang, "calendar.previous"),
                    month > MonthIndex(o.first)))
      storage->SetInt(month_key, month - 1);
    ImGui::SameLine();
    if (SmallButton(reg, (toggle_id + ".next").c_str(), Tr(o.lang, "calendar.next"),
                    month < MonthIndex(o.last)))
      storage->SetInt(month_key, month + 1);
    const float gap = theme::Px(4);
    const float w = std::max(1.0f, (ImGui::GetContentRegionAvail().x - gap * 6) / 7);
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(gap, gap));
    std::vector<std::string> heads;
    for (int k = 0; k < 7; ++k) heads.push_back(WeekdayShort(o.lang, k));
    CellRow(reg, toggle_id + ".weekdays", heads, w, gap);
    const int lead = Weekday(first_day);
    int column = 0;
    for (; column < lead; ++column) {
      if (column > 0) ImGui::SameLine();
      ImGui::Dummy(ImVec2(w, theme::Px(kMinTargetCss)));
    }
    auto offered = [&](CivilDate d) {
      return !(d < o.first) && !(o.last < d) && (!o.allowed || o.allowed(d));
    };
    // Tab enters the days at the chosen one on this page, else at the first one offered, else at the 1st.
    int stop_day = 1;
    if (parsed && parsed->year == first_day.year && parsed->month == first_day.month) {
      stop_day = parsed->day;
    } else {
      for (CivilDate d = first_day; d.month == first_day.month; d = AddDays(d, 1))
        if (offered(d)) {
          stop_day = d.day;
          break;
        }
    }
    for (CivilDate d = first_day; d.month == first_day.month; d = AddDays(d, 1)) {
      if (column % 7 != 0) ImGui::SameLine();
      ++column;
      if (DayButton(reg, toggle_id + ".day." + std::to_string(d.day), toggle_id + ".days", o.lang, d,
                    offered(d), parsed && *parsed == d, d.day == stop_day, w)) {
        text = FormatDay(o.lang, d);
        changed = true;
        storage->SetBool(open_key, false);
      }
    }
    ImGui::PopStyleVar();
  }
  ImGui::PopID();
  return changed;
}

}  // namespace mizu::web::ui
