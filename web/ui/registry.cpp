#include "ui/registry.hpp"

#include <nlohmann/json.hpp>

namespace mizu::web {

void Registry::BeginFrame() {
  items_.clear();
  active_text = {};
}

void Registry::Add(UiItem item) {
  items_.push_back(std::move(item));
}

std::string Registry::Json(float pixel_ratio) const {
  if (pixel_ratio <= 0) pixel_ratio = 1;
  nlohmann::json out = nlohmann::json::array();
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
    out.push_back(std::move(j));
  }
  return out.dump();
}

}  // namespace mizu::web
