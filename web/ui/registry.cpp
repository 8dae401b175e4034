#include "ui/registry.hpp"

#include <nlohmann/json.hpp>

namespace mizu::web {

void Registry::BeginFrame() {
  ++frame_;
  std::erase_if(edits_,
                [this](const auto& e) { return e.second.empty() || e.second.back().frame + 1 < frame_; });
  items_.clear();
  text_fields.clear();
  escape_.clear();
  escape_holds_focus_ = false;
  default_.clear();
  active_text = {};
}

void Registry::EndFrame() {
  activation_.clear();
  values_.clear();
  focus_request_.clear();
}

void Registry::Add(UiItem item) {
  if (!focused_.empty() && item.id == focused_ && (item.role == "input" || item.role == "password"))
    active_text.active = true;
  items_.push_back(std::move(item));
}

bool Registry::TakeActivation(std::string_view id) {
  if (activation_.empty() || activation_ != id) return false;
  activation_.clear();
  return true;
}

std::optional<std::string> Registry::TakeValue(std::string_view id) {
  auto it = values_.find(id);
  if (it == values_.end()) return std::nullopt;
  std::string v = std::move(it->second);
  values_.erase(it);
  return v;
}

std::vector<Registry::TextEdit> Registry::TakeEdits(std::string_view id) {
  std::vector<TextEdit> out;
  auto it = edits_.find(id);
  if (it == edits_.end()) return out;
  for (auto& e : it->second) out.push_back(std::move(e.edit));
  edits_.erase(it);
  return out;
}

std::string Registry::Json(float pixel_ratio) const {
  if (pixel_ratio <= 0) pixel_ratio = 1;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& i : items_) {
    nlohmann::json j = {{"id", i.id},
                        {"role", i.role},
                        {"label", i.label},
                        {"value", i.value},
                        {"enabled", i.enabled},
                        {"rect",
                         {{"x", i.x / pixel_ratio},
                          {"y", i.y / pixel_ratio},
                          {"w", i.w / pixel_ratio},
                          {"h", i.h / pixel_ratio}}}};
    if (!i.error.empty()) j["error"] = i.error;
    if (i.required) j["required"] = true;
    if (!i.inputmode.empty()) j["inputmode"] = i.inputmode;
    if (!i.autocomplete.empty()) j["autocomplete"] = i.autocomplete;
    if (!i.cells.empty()) j["cells"] = i.cells;
    if (!i.shown.empty()) j["shown"] = i.shown;
    if (i.expanded) j["expanded"] = *i.expanded;
    if (i.hidden) j["hidden"] = true;
    if (!i.grid.empty()) {
      j["grid"] = i.grid;
      j["grid_columns"] = i.grid_columns;
      if (i.grid_stop) j["grid_stop"] = true;
    }
    list.push_back(std::move(j));
  }
  nlohmann::json out = {{"lang", lang_}, {"items", std::move(list)}};
  if (!focus_request_.empty()) out["focus"] = focus_request_;
  if (!escape_.empty()) out["escape"] = escape_;
  if (!default_.empty()) out["default"] = default_;
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace mizu::web
