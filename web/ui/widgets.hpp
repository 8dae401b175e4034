#pragma once
// ImGui widgets that also record themselves in the Registry. Screens use only these, so everything a person
// sees is also visible to tests. Ids are stable and language-independent; labels are already translated.
#include <string>
#include <string_view>

#include "ui/registry.hpp"

namespace mizu::web::ui {

enum class ButtonKind { kPrimary, kSecondary };

void Heading(Registry& reg, const char* id, std::string_view text);
void Text(Registry& reg, const char* id, std::string_view text, bool muted = false);
// A full-width button; returns true when clicked.
bool Button(Registry& reg, const char* id, std::string_view label, ButtonKind kind = ButtonKind::kPrimary,
            bool enabled = true);
// A small button that sizes to its label (header actions such as the language switch).
bool SmallButton(Registry& reg, const char* id, std::string_view label);
// Underlined text that acts like a link.
bool Link(Registry& reg, const char* id, std::string_view label);
bool Checkbox(Registry& reg, const char* id, std::string_view label, bool& value);

struct InputOptions {
  bool password = false;
  size_t max_bytes = 256;
  std::string_view error;  // shown in red under the field
};
// Label above, full-width field below; returns true when the text changed.
bool InputText(Registry& reg, const char* id, std::string_view label, std::string& value,
               const InputOptions& options = {});

}  // namespace mizu::web::ui
