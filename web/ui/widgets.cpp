#include "ui/widgets.hpp"

#include <string>

#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"
#include "theme/theme.hpp"

namespace mizu::web::ui {
namespace {

void Record(Registry& reg, const char* id, const char* role, std::string_view label, std::string value = {},
            bool enabled = true, std::string_view error = {}) {
  theme::NoteText(label);
  theme::NoteText(value);
  ImVec2 min = ImGui::GetItemRectMin();
  ImVec2 max = ImGui::GetItemRectMax();
  reg.Add({id, role, std::string(label), std::move(value), min.x, min.y, max.x - min.x, max.y - min.y, enabled,
           std::string(error)});
}

void TextUnformatted(std::string_view text) { ImGui::TextUnformatted(text.data(), text.data() + text.size()); }

void WrappedText(std::string_view text) {
  ImGui::PushTextWrapPos(0.0f);
  TextUnformatted(text);
  ImGui::PopTextWrapPos();
}

}  // namespace

void Heading(Registry& reg, const char* id, std::string_view text) {
  ImGui::PushFont(theme::GetFonts().heading);
  WrappedText(text);
  ImGui::PopFont();
  Record(reg, id, "heading", text);
}

void Text(Registry& reg, const char* id, std::string_view text, bool muted) {
  if (muted) ImGui::PushStyleColor(ImGuiCol_Text, theme::kMuted);
  WrappedText(text);
  if (muted) ImGui::PopStyleColor();
  Record(reg, id, "text", text);
}

bool Button(Registry& reg, const char* id, std::string_view label, ButtonKind kind, bool enabled) {
  ImGui::PushID(id);
  bool secondary = kind == ButtonKind::kSecondary;
  ImGui::PushStyleColor(ImGuiCol_Text, secondary ? theme::kAccent : theme::kSurface);
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
  ImGui::PopStyleColor(secondary ? 5 : 1);
  ImGui::PopID();
  Record(reg, id, "button", label, {}, enabled);
  return clicked && enabled;
}

bool SmallButton(Registry& reg, const char* id, std::string_view label) {
  ImGui::PushID(id);
  ImGui::PushStyleColor(ImGuiCol_Text, theme::kAccent);
  ImGui::PushStyleColor(ImGuiCol_Button, theme::kSurface);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, 0xFFF7EDE3);
  ImGui::PushStyleColor(ImGuiCol_Border, theme::kAccent);
  std::string text = std::string(label) + "##s";
  bool clicked = ImGui::Button(text.c_str());
  ImGui::PopStyleColor(4);
  ImGui::PopID();
  Record(reg, id, "button", label);
  return clicked;
}

bool Link(Registry& reg, const char* id, std::string_view label) {
  ImGui::PushID(id);
  ImGui::PushStyleColor(ImGuiCol_Text, theme::kAccent);
  TextUnformatted(label);
  ImGui::PopStyleColor();
  ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
  ImGui::GetWindowDrawList()->AddLine(ImVec2(min.x, max.y), max, theme::kAccent, theme::Px(1));
  bool hovered = ImGui::IsItemHovered();
  if (hovered) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
  bool clicked = hovered && ImGui::IsMouseReleased(ImGuiMouseButton_Left);
  ImGui::PopID();
  Record(reg, id, "link", label);
  return clicked;
}

bool Checkbox(Registry& reg, const char* id, std::string_view label, bool& value) {
  ImGui::PushID(id);
  std::string text = std::string(label) + "##c";
  bool changed = ImGui::Checkbox(text.c_str(), &value);
  ImGui::PopID();
  Record(reg, id, "checkbox", label, value ? "true" : "false");
  return changed;
}

bool InputText(Registry& reg, const char* id, std::string_view label, std::string& value,
               const InputOptions& options) {
  ImGui::PushID(id);
  TextUnformatted(label);
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x);
  ImGuiInputTextFlags flags = options.password ? ImGuiInputTextFlags_Password : 0;
  if (!options.error.empty()) ImGui::PushStyleColor(ImGuiCol_Border, theme::kError);
  bool changed = ImGui::InputText("##v", &value, flags);
  if (!options.error.empty()) ImGui::PopStyleColor();
  if (value.size() > options.max_bytes) value.resize(options.max_bytes);
  bool active = ImGui::IsItemActive();
  ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
  Record(reg, id, options.password ? "password" : "input", label, options.password ? "" : value, true,
         options.error);
  if (active) reg.active_text = {true, options.password, min.x, min.y, max.x - min.x, max.y - min.y};
  if (!options.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, theme::kError);
    WrappedText(options.error);
    ImGui::PopStyleColor();
  }
  ImGui::PopID();
  return changed;
}

}  // namespace mizu::web::ui
