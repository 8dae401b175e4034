#include "ui/widgets.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "imgui.h"
#include "imgui_internal.h"  // ImGui::RenderCheckMark
#include "misc/cpp/imgui_stdlib.h"
#include "mizu/date_input.hpp"
#include "mizu/format.hpp"
#include "mizu/text.hpp"
#include "mizu/text_wrap.hpp"
#include "theme/theme.hpp"
#include "ui/keyboard.hpp"

namespace mizu::web::ui {
namespace {

// Every text a widget draws goes through here, so its glyphs are noted for the atlas (kanji are added on
// use).
void TextUnformatted(std::string_view text) {
  theme::NoteText(text);
  ImGui::TextUnformatted(text.data(), text.data() + text.size());
}

// Text wrapped to the available width by the shared line-breaking rules (mizu/text_wrap.hpp): amounts stay
// with their unit, Japanese follows kinsoku. One ImGui group, so the item rect covers every line.
void WrappedText(std::string_view text) {
  theme::NoteText(text);
  auto measure = [](std::string_view s) { return ImGui::CalcTextSize(s.data(), s.data() + s.size()).x; };
  std::vector<std::string_view> lines = WrapLines(text, ImGui::GetContentRegionAvail().x, measure);
  ImGui::BeginGroup();
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, 0));
  if (lines.empty()) ImGui::TextUnformatted("");
  for (std::string_view line : lines) ImGui::TextUnformatted(line.data(), line.data() + line.size());
  ImGui::PopStyleVar();
  ImGui::EndGroup();
}

// A check box (square) or radio (round) with its label beside it, wrapped to the width left (a long label
// never runs off the screen); the whole row, at least kMinTargetCss tall, is the target. Returns true when
// pressed.
bool ChoiceRow(std::string_view label, bool on, bool round) {
  theme::NoteText(label);
  const float box = theme::Px(24), gap = theme::Px(10), avail = ImGui::GetContentRegionAvail().x;
  auto measure = [](std::string_view s) { return ImGui::CalcTextSize(s.data(), s.data() + s.size()).x; };
  const float natural = box + gap + measure(label);
  const float width = std::min(natural, avail);
  std::vector<std::string_view> lines = WrapLines(label, std::max(1.0f, width - box - gap), measure);
  const float line_h = ImGui::GetTextLineHeight();
  const float text_h = line_h * static_cast<float>(std::max<size_t>(1, lines.size()));
  const float h = std::max({theme::Px(kMinTargetCss), text_h + theme::Px(8), box});
  ImVec2 p = ImGui::GetCursorScreenPos();
  bool pressed = ImGui::InvisibleButton("##choice", ImVec2(std::max(width, box), h));
  bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 b0(p.x, p.y + (h - box) / 2), b1(b0.x + box, b0.y + box);
  ImVec2 centre((b0.x + b1.x) / 2, (b0.y + b1.y) / 2);
  const uint32_t frame = hovered ? 0xFFF7EDE3 : theme::kSurface;
  if (round) {
    dl->AddCircleFilled(centre, box / 2, frame);
    dl->AddCircle(centre, box / 2, theme::kBorder, 0, theme::Px(1.5f));
    if (on) dl->AddCircleFilled(centre, box / 4, theme::kAccent);
  } else {
    dl->AddRectFilled(b0, b1, on ? theme::kAccent : frame, theme::Px(4));
    dl->AddRect(b0, b1, on ? theme::kAccent : theme::kBorder, theme::Px(4), 0, theme::Px(1.5f));
    if (on)
      ImGui::RenderCheckMark(dl, ImVec2(b0.x + box * 0.2f, b0.y + box * 0.2f), theme::kSurface, box * 0.6f);
  }
  float y = p.y + (h - text_h) / 2;
  for (std::string_view line : lines) {
    dl->AddText(ImVec2(b1.x + gap, y), ImGui::GetColorU32(ImGuiCol_Text), line.data(),
                line.data() + line.size());
    y += line_h;
  }
  return pressed;
}

// The HTML inputmode of each TextKeyboard (platform/text_input.hpp).
constexpr const char* kInputModes[] = {"text", "email", "tel", "numeric", "text"};

// The longest prefix of `s` within `max_bytes` that ends on a UTF-8 character boundary.
std::string TruncateUtf8(const std::string& s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

}  // namespace

void Record(Registry& reg, std::string_view id, const char* role, std::string_view label, std::string value,
            bool enabled, std::string_view error) {
  theme::NoteText(label);
  theme::NoteText(value);
  ImVec2 min = ImGui::GetItemRectMin();
  ImVec2 max = ImGui::GetItemRectMax();
  reg.Add({.id = std::string(id),
           .role = role,
           .label = std::string(label),
           .value = std::move(value),
           .x = min.x,
           .y = min.y,
           .w = max.x - min.x,
           .h = max.y - min.y,
           .enabled = enabled,
           .error = std::string(error)});
}

void Heading(Registry& reg, const char* id, std::string_view text) {
  ImGui::PushFont(theme::GetFonts().heading);
  WrappedText(text);
  ImGui::PopFont();
  Record(reg, id, "heading", text);
}

void Brand(Registry& reg, const char* id, std::string_view text) {
  ImGui::PushFont(theme::GetFonts().heading);
  ImGui::PushStyleColor(ImGuiCol_Text, theme::kAccent);
  TextUnformatted(text);
  ImGui::PopStyleColor();
  ImGui::PopFont();
  Record(reg, id, "brand", text);
}

void Progress(Registry& reg, const char* id, std::string_view text) {
  ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_Text, theme::kMuted);
  TextUnformatted(text);
  ImGui::PopStyleColor();
  Record(reg, id, "status", text);
}

void Text(Registry& reg, const char* id, std::string_view text, bool muted) {
  if (muted) ImGui::PushStyleColor(ImGuiCol_Text, theme::kMuted);
  WrappedText(text);
  if (muted) ImGui::PopStyleColor();
  Record(reg, id, "text", text);
}

bool Button(Registry& reg, const char* id, std::string_view label, ButtonKind kind, bool enabled) {
  ImGui::PushID(id);
  bool secondary = kind == ButtonKind::kSecondary || kind == ButtonKind::kCancel;
  bool danger = kind == ButtonKind::kDanger;
  ImGui::PushStyleColor(ImGuiCol_Text, secondary ? theme::kAccent : theme::kSurface);
  if (danger) {
    ImGui::PushStyleColor(ImGuiCol_Button, theme::kError);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, 0xFF1515A0);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, 0xFF101080);
    ImGui::PushStyleColor(ImGuiCol_Border, theme::kError);
  }
  if (secondary) {
    ImGui::PushStyleColor(ImGuiCol_Button, theme::kSurface);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, 0xFFF7EDE3);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, 0xFFF0DCC8);
    ImGui::PushStyleColor(ImGuiCol_Border, theme::kAccent);
  }
  if (!enabled) ImGui::BeginDisabled();
  std::string text = std::string(label) + "##b";
  bool clicked = ImGui::Button(text.c_str(), ImVec2(ImGui::GetContentRegionAvail().x, theme::Px(48)));
  if (!enabled) ImGui::EndDisabled();
  ImGui::PopStyleColor(secondary || danger ? 5 : 1);
  ImGui::PopID();
  Record(reg, id, "button", label, {}, enabled);
  if (kind == ButtonKind::kCancel && enabled) reg.SetEscape(id);
  if (kind == ButtonKind::kPrimary && enabled) reg.SetDefault(id);
  return (clicked || reg.TakeActivation(id)) && enabled;
}

bool SmallButton(Registry& reg, const char* id, std::string_view label, bool enabled) {
  ImGui::PushID(id);
  ImGui::PushStyleColor(ImGuiCol_Text, theme::kAccent);
  ImGui::PushStyleColor(ImGuiCol_Button, theme::kSurface);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, 0xFFF7EDE3);
  ImGui::PushStyleColor(ImGuiCol_Border, theme::kAccent);
  if (!enabled) ImGui::BeginDisabled();
  std::string text = std::string(label) + "##s";
  // Sized to its label, but never wider than the column: a long label at 「特大」 on a 320 px screen gives up
  // its side padding before it would be cut at the column's edge.
  const float label_w = ImGui::CalcTextSize(label.data(), label.data() + label.size()).x;
  const float pad_x =
      std::clamp((ImGui::GetContentRegionAvail().x - label_w) / 2, 0.0f, ImGui::GetStyle().FramePadding.x);
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(pad_x, ImGui::GetStyle().FramePadding.y));
  bool clicked = ImGui::Button(text.c_str(), ImVec2(0, theme::Px(kMinTargetCss)));
  ImGui::PopStyleVar();
  if (!enabled) ImGui::EndDisabled();
  ImGui::PopStyleColor(4);
  ImGui::PopID();
  Record(reg, id, "button", label, {}, enabled);
  return (clicked || reg.TakeActivation(id)) && enabled;
}

bool Key(Registry& reg, const std::string& id, std::string_view label, std::string_view name, float w_px,
         KeyState state, bool enabled) {
  const bool on = state == KeyState::kToggleOn || state == KeyState::kChosen;
  theme::NoteText(label);
  ImGui::PushID(id.c_str());
  ImGui::PushStyleColor(ImGuiCol_Text, on ? theme::kSurface : enabled ? theme::kText : theme::kMuted);
  ImGui::PushStyleColor(ImGuiCol_Button, on ? theme::kAccent : theme::kSurface);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, on ? theme::kAccentHover : 0xFFF7EDE3);
  ImGui::PushStyleColor(ImGuiCol_Border, enabled ? theme::kBorder : theme::kSurface);
  // Little side padding: two digits at 「特大」 fit a seventh of a 320 px column (the calendar's days).
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(theme::Px(2), ImGui::GetStyle().FramePadding.y));
  if (!enabled) ImGui::BeginDisabled();
  const std::string text = std::string(label) + "##k";
  const bool clicked =
      ImGui::Button(text.c_str(), ImVec2(w_px, std::max(theme::Px(48), theme::Px(kMinTargetCss))));
  if (!enabled) ImGui::EndDisabled();
  ImGui::PopStyleVar();
  ImGui::PopStyleColor(4);
  ImGui::PopID();
  Record(reg, id, "button", name, {}, enabled);
  if (state == KeyState::kToggleOn || state == KeyState::kToggleOff)
    reg.LastItem().value = state == KeyState::kToggleOn ? "true" : "false";
  return (clicked || reg.TakeActivation(id)) && enabled;
}

void CellRow(Registry& reg, const std::string& id, const std::vector<std::string>& cells, float cell_w,
             float gap) {
  const float x0 = ImGui::GetCursorPosX(), row_x = ImGui::GetCursorScreenPos().x;
  std::string joined;
  for (size_t k = 0; k < cells.size(); ++k) {
    theme::NoteText(cells[k]);
    if (k > 0) ImGui::SameLine();
    ImGui::SetCursorPosX(x0 + k * (cell_w + gap) + (cell_w - ImGui::CalcTextSize(cells[k].c_str()).x) / 2);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::kMuted);
    ImGui::TextUnformatted(cells[k].c_str());
    ImGui::PopStyleColor();
    joined += (k ? " " : "") + cells[k];
  }
  Record(reg, id, "text", joined);
  UiItem& row = reg.LastItem();  // the whole row of cells, not its last text
  const float n = static_cast<float>(cells.size());
  row.x = row_x;
  row.w = n * cell_w + std::max(0.0f, n - 1) * gap;
}

bool Link(Registry& reg, const char* id, std::string_view label) {
  ImGui::PushID(id);
  theme::NoteText(label);
  ImVec2 size = ImGui::CalcTextSize(label.data(), label.data() + label.size());
  float h = std::max(size.y, theme::Px(kMinTargetCss));  // the target, not just the 17 px of text
  ImVec2 p = ImGui::GetCursorScreenPos();
  bool clicked = ImGui::InvisibleButton("##link", ImVec2(std::max(size.x, 1.0f), h));
  if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  float ty = p.y + (h - size.y) / 2;
  dl->AddText(ImVec2(p.x, ty), theme::kAccent, label.data(), label.data() + label.size());
  dl->AddLine(ImVec2(p.x, ty + size.y), ImVec2(p.x + size.x, ty + size.y), theme::kAccent, theme::Px(1));
  ImGui::PopID();
  Record(reg, id, "link", label);
  return clicked || reg.TakeActivation(id);
}

bool Checkbox(Registry& reg, const char* id, std::string_view label, bool& value) {
  ImGui::PushID(id);
  bool changed = ChoiceRow(label, value, false);
  if (changed) value = !value;
  if (reg.TakeActivation(id)) {
    value = !value;
    changed = true;
  }
  ImGui::PopID();
  Record(reg, id, "checkbox", label, value ? "true" : "false");
  return changed;
}

bool InputText(Registry& reg, const char* id, std::string_view label, std::string& value,
               const InputOptions& options) {
  // What the twin <input> sent since the last frame (typing, IME commit, paste, autofill).
  bool changed = false;
  if (auto typed = reg.TakeValue(id)) {
    std::string v = TruncateUtf8(*typed, options.max_bytes);
    changed = v != value;
    value = std::move(v);
  }
  // Keys of the on-screen keyboard (a kiosk's): applied here, within the same byte limit.
  for (const auto& edit : reg.TakeEdits(id)) {
    std::string v = value;
    ApplyTextEdit(v, edit);
    v = TruncateUtf8(v, options.max_bytes);
    changed = changed || v != value;
    value = std::move(v);
  }
  ImGui::PushID(id);
  WrappedText(label);  // a long label at large text wraps; it is never cut at the edge
  float w = ImGui::GetContentRegionAvail().x, h = theme::Px(48), pad = theme::Px(12);
  ImVec2 p = ImGui::GetCursorScreenPos();
  // A tap on the drawn field moves DOM focus to its twin, which lies over it while it is edited.
  if (ImGui::InvisibleButton("##field", ImVec2(w, h))) {
    reg.RequestFocus(id);
    reg.text_target = {id, options.keyboard};  // a tap (again) brings a kiosk's keyboard for it
  }
  bool focused = reg.Focused(id);
  if (focused && reg.TakeArrival(id)) reg.text_target = {id, options.keyboard};  // Tab, 次へ, a tap
  reg.text_fields.push_back({id, options.keyboard});
  focused = focused || reg.text_target.id == id;  // the keyboard types here (its keys take DOM focus)
  ImDrawList* dl = ImGui::GetWindowDrawList();
  uint32_t border = !options.error.empty() ? theme::kError : focused ? theme::kAccent : theme::kBorder;
  dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), theme::kSurface, theme::Px(6));
  dl->AddRect(p, ImVec2(p.x + w, p.y + h), border, theme::Px(6), 0, theme::Px(focused ? 2 : 1));
  std::string shown = options.password ? std::string(Utf8Length(value), '*') : value;
  theme::NoteText(shown);
  float text_h = ImGui::GetTextLineHeight();
  ImVec4 clip(p.x + pad, p.y, p.x + w - pad, p.y + h);
  dl->AddText(nullptr, 0, ImVec2(p.x + pad, p.y + (h - text_h) / 2), theme::kText, shown.data(),
              shown.data() + shown.size(), 0, &clip);
  UiItem item{
      .id = id,
      .role = options.password ? "password" : "input",
      .label = std::string(label),
      .value = options.password ? "" : value,
      .x = p.x,
      .y = p.y,
      .w = w,
      .h = h,
      .error = std::string(options.error),
      .required = options.required,
      .inputmode = reg.own_keyboard
                       ? "none"
                       : kInputModes[options.keyboard >= 0 && options.keyboard < 5 ? options.keyboard : 0],
      .autocomplete = reg.own_keyboard ? "off" : std::string(options.autocomplete),
      .shown = options.password ? shown : std::string()};
  theme::NoteText(label);
  reg.Add(std::move(item));
  if (!options.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, theme::kError);
    WrappedText(options.error);
    ImGui::PopStyleColor();
  }
  ImGui::PopID();
  return changed;
}

void ErrorText(Registry& reg, const char* id, std::string_view text) {
  if (text.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, theme::kError);
  WrappedText(text);
  ImGui::PopStyleColor();
  Record(reg, id, "alert", text);
}

void SuccessText(Registry& reg, const char* id, std::string_view text) {
  if (text.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, theme::kSuccess);
  WrappedText(text);
  ImGui::PopStyleColor();
  Record(reg, id, "status", text);
}

void Field(Registry& reg, const std::string& id, std::string_view label, std::string_view value) {
  ImGui::PushFont(theme::GetFonts().small);
  ImGui::PushStyleColor(ImGuiCol_Text, theme::kMuted);
  WrappedText(label);
  ImGui::PopStyleColor();
  ImGui::PopFont();
  WrappedText(value.empty() ? std::string_view("—") : value);
  Record(reg, id, "field", label, std::string(value));
}

void Amount(Registry& reg, const char* id, std::string_view label, std::string_view shown,
            std::string value) {
  ImGui::PushFont(theme::GetFonts().heading);
  ImGui::PushStyleColor(ImGuiCol_Text, theme::kAccent);
  TextUnformatted(shown);
  ImGui::PopStyleColor();
  ImGui::PopFont();
  Record(reg, id, "field", label, std::move(value));
  reg.LastItem().shown = std::string(shown);
}

bool Select(Registry& reg, const char* id, std::string_view label, const std::vector<std::string>& options,
            int& index, std::string_view error, const std::vector<std::string>& details) {
  ImGui::PushID(id);
  ImGuiStorage* storage = ImGui::GetStateStorage();
  ImGuiID open_key = ImGui::GetID("open");
  bool open = storage->GetBool(open_key, false);
  WrappedText(label);
  std::string current = index >= 0 && index < static_cast<int>(options.size()) ? options[index] : "";
  // The choice shown in the button wraps (kinsoku, amounts whole) when the column is narrow or the text
  // large.
  const std::string arrow = open ? "  ▲" : "  ▼";
  const float button_w = ImGui::GetContentRegionAvail().x, pad_x = ImGui::GetStyle().FramePadding.x;
  auto measure = [](std::string_view s) { return ImGui::CalcTextSize(s.data(), s.data() + s.size()).x; };
  const std::string shown = current + arrow;
  std::string text;
  for (std::string_view line : WrapLines(shown, std::max(1.0f, button_w - pad_x * 2), measure))
    text += (text.empty() ? "" : "\n") + std::string(line);
  const float button_h =
      std::max(theme::Px(44), ImGui::CalcTextSize(text.c_str()).y + ImGui::GetStyle().FramePadding.y * 2);
  text += "##sel";
  theme::NoteText(text);
  ImGui::PushStyleColor(ImGuiCol_Button, theme::kSurface);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, 0xFFF7EDE3);
  ImGui::PushStyleColor(ImGuiCol_Text, theme::kText);
  ImGui::PushStyleColor(ImGuiCol_Border, error.empty() ? theme::kBorder : theme::kError);
  ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0, 0.5f));
  if (ImGui::Button(text.c_str(), ImVec2(button_w, button_h)) || reg.TakeActivation(id)) {
    open = !open;
    storage->SetBool(open_key, open);
  }
  ImGui::PopStyleVar();
  ImGui::PopStyleColor(4);
  Record(reg, id, "select", label, current, true, error);
  reg.LastItem().expanded = open;
  bool changed = false;
  if (open) {
    reg.SetEscape(id, reg.FocusWithin(id));  // Esc closes the list (activating the select toggles it)
    ImGui::Indent(theme::Px(12));
    for (int i = 0; i < static_cast<int>(options.size()); ++i) {
      std::string oid = std::string(id) + ".option." + std::to_string(i);
      if (MenuRow(reg, oid, options[i], i < static_cast<int>(details.size()) ? details[i] : std::string())) {
        changed = index != i;
        index = i;
        storage->SetBool(open_key, false);
      }
    }
    ImGui::Unindent(theme::Px(12));
  }
  if (!error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, theme::kError);
    WrappedText(error);
    ImGui::PopStyleColor();
  }
  ImGui::PopID();
  return changed;
}

bool Radio(Registry& reg, const std::string& id, std::string_view label, bool selected) {
  ImGui::PushID(id.c_str());
  bool clicked = ChoiceRow(label, selected, true);
  ImGui::PopID();
  Record(reg, id, "radio", label, selected ? "true" : "false");
  return clicked || reg.TakeActivation(id);
}

bool MenuRow(Registry& reg, const std::string& id, std::string_view label, std::string_view detail) {
  ImGui::PushID(id.c_str());
  ImVec2 start = ImGui::GetCursorScreenPos();
  float w = ImGui::GetContentRegionAvail().x;
  float pad = theme::Px(10);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w - pad * 2);
  ImVec2 label_size = ImGui::CalcTextSize(label.data(), label.data() + label.size(), false, w - pad * 2);
  float h = label_size.y + pad * 2;
  if (!detail.empty()) {
    ImGui::PushFont(theme::GetFonts().small);
    h += ImGui::CalcTextSize(detail.data(), detail.data() + detail.size(), false, w - pad * 2).y +
         theme::Px(4);
    ImGui::PopFont();
  }
  h = std::max(h, theme::Px(44));
  bool clicked = ImGui::InvisibleButton("##row", ImVec2(w, h));
  bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(start, ImVec2(start.x + w, start.y + h), hovered ? 0xFFF7EDE3 : theme::kSurface,
                    theme::Px(6));
  dl->AddRect(start, ImVec2(start.x + w, start.y + h), theme::kBorder, theme::Px(6));
  Record(reg, id, "button", label, std::string(detail));
  clicked = clicked || reg.TakeActivation(id);
  ImVec2 after = ImGui::GetCursorScreenPos();
  ImGui::SetCursorScreenPos(ImVec2(start.x + pad, start.y + pad));
  TextUnformatted(label);
  if (!detail.empty()) {
    ImGui::SetCursorScreenPos(ImVec2(start.x + pad, ImGui::GetCursorScreenPos().y));
    ImGui::PushFont(theme::GetFonts().small);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::kMuted);
    TextUnformatted(detail);
    ImGui::PopStyleColor();
    ImGui::PopFont();
  }
  ImGui::PopTextWrapPos();
  ImGui::SetCursorScreenPos(after);
  ImGui::Dummy(ImVec2(0, 0));
  ImGui::PopID();
  return clicked;
}

void Table(Registry& reg, const std::string& id, const std::vector<std::string>& heads,
           const std::vector<float>& weights, const std::vector<TableRow>& rows) {
  int columns = static_cast<int>(heads.size());
  ImGui::PushFont(theme::GetFonts().small);
  ImGuiTableFlags flags =
      ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
  ImVec2 top = ImGui::GetCursorScreenPos();
  float width = ImGui::GetContentRegionAvail().x;
  if (ImGui::BeginTable(("##" + id).c_str(), columns, flags)) {
    size_t table_item = reg.Items().size();
    for (int c = 0; c < columns; ++c) {
      theme::NoteText(heads[c]);  // header labels are drawn by ImGui: note their glyphs
      ImGui::TableSetupColumn(heads[c].c_str(), ImGuiTableColumnFlags_WidthStretch,
                              c < static_cast<int>(weights.size()) ? weights[c] : 1.0f);
    }
    ImGui::TableHeadersRow();
    for (size_t i = 0; i < rows.size(); ++i) {
      ImGui::TableNextRow();
      for (int c = 0; c < columns && c < static_cast<int>(rows[i].cells.size()); ++c) {
        ImGui::TableSetColumnIndex(c);
        WrappedText(rows[i].cells[c]);
      }
      Record(reg, id + ".row." + std::to_string(i), "row", rows[i].label, rows[i].value);
      reg.LastItem().cells = rows[i].cells;
    }
    ImGui::EndTable();
    // The table itself comes before its rows (its twin is the <table>, the rows its <tr>s).
    UiItem table{.id = id,
                 .role = "table",
                 .x = top.x,
                 .y = top.y,
                 .w = width,
                 .h = ImGui::GetCursorScreenPos().y - top.y,
                 .cells = heads};
    reg.InsertAt(table_item, std::move(table));
  }
  ImGui::PopFont();
}

void QrCode(Registry& reg, const char* id, std::string_view label, const std::vector<std::string>& modules,
            float max_css) {
  const int n = static_cast<int>(modules.size());
  if (n == 0) return;
  constexpr int kQuiet = 4;
  const float room = std::min(ImGui::GetContentRegionAvail().x, theme::Px(max_css));
  const float module = std::max(3.0f, std::floor(room / static_cast<float>(n + 2 * kQuiet)));
  const float side = module * static_cast<float>(n + 2 * kQuiet);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(at, ImVec2(at.x + side, at.y + side), IM_COL32(255, 255, 255, 255));
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < static_cast<int>(modules[y].size()) && x < n; ++x)
      if (modules[y][x] == '1') {
        const ImVec2 a(at.x + module * static_cast<float>(x + kQuiet),
                       at.y + module * static_cast<float>(y + kQuiet));
        draw->AddRectFilled(a, ImVec2(a.x + module, a.y + module), IM_COL32(0, 0, 0, 255));
      }
  ImGui::Dummy(ImVec2(side, side));
  Record(reg, id, "chart", label);
}

void Barcode(Registry& reg, const char* id, std::string_view label, std::string_view modules, float max_css,
             bool vertical) {
  const int n = static_cast<int>(modules.size());
  if (n == 0) return;
  constexpr int kQuiet = 10;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  // Along the symbol: the room across, or the visible height left below the cursor.
  const float visible_below =
      ImGui::GetWindowPos().y + ImGui::GetWindowHeight() - ImGui::GetCursorScreenPos().y - theme::Px(8);
  const float room = vertical ? std::max(visible_below, avail.x) : std::min(avail.x, theme::Px(max_css));
  const float module = std::max(1.0f, std::floor(room / static_cast<float>(n + 2 * kQuiet)));
  const float length = module * static_cast<float>(n + 2 * kQuiet);
  const float across = vertical ? std::min(avail.x, std::max(theme::Px(96), std::floor(length * 0.3f)))
                                : std::max(theme::Px(64), std::floor(length * 0.22f));
  const float width = vertical ? across : length, height = vertical ? length : across;
  const ImVec2 at(std::floor(ImGui::GetCursorScreenPos().x), std::floor(ImGui::GetCursorScreenPos().y));
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(at, ImVec2(at.x + width, at.y + height), IM_COL32(255, 255, 255, 255));
  const float pad = std::floor(module * 4);
  for (int m = 0; m < n;) {  // runs of dark modules as one rectangle each
    if (modules[static_cast<size_t>(m)] != '1') {
      ++m;
      continue;
    }
    int end = m;
    while (end < n && modules[static_cast<size_t>(end)] == '1') ++end;
    const float from = module * static_cast<float>(m + kQuiet),
                to = module * static_cast<float>(end + kQuiet);
    if (vertical)
      draw->AddRectFilled(ImVec2(at.x + pad, at.y + from), ImVec2(at.x + width - pad, at.y + to),
                          IM_COL32(0, 0, 0, 255));
    else
      draw->AddRectFilled(ImVec2(at.x + from, at.y + pad), ImVec2(at.x + to, at.y + height - pad),
                          IM_COL32(0, 0, 0, 255));
    m = end;
  }
  ImGui::Dummy(ImVec2(width, height));
  Record(reg, id, "chart", label);
}

}  // namespace mizu::web::ui
