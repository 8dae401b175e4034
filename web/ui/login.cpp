// ログイン: e-mail, password, 「このデバイスでログインしたままにする」, forgot password, sign-up.
// Fields are checked in the browser by the shared validators (the same code the server runs).
#include "imgui.h"
#include "mizu/text.hpp"
#include "ui/app.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {

void DrawLogin(LoginState& s, Lang lang, AppContext& ctx) {
  auto& reg = ctx.registry;
  ui::Heading(reg, "login.title", Tr(lang, "login.title"));
  ImGui::Spacing();
  ui::InputText(reg, "login.email", Tr(lang, "login.email"), s.email, {.max_bytes = 254, .error = s.email_error});
  ui::InputText(reg, "login.password", Tr(lang, "login.password"), s.password,
                {.password = true, .max_bytes = 512, .error = s.password_error});
  ui::Checkbox(reg, "login.remember", Tr(lang, "login.remember"), s.remember);
  ImGui::Spacing();
  if (ui::Button(reg, "login.submit", Tr(lang, "login.submit"))) {
    std::string email = NormalizeEmail(s.email);
    auto email_error = email.empty() ? std::optional<ErrorCode>(err::kRequired) : ValidateEmail(email);
    s.email_error = email_error ? std::string(ErrorMessage(lang, *email_error)) : "";
    s.password_error = s.password.empty() ? std::string(ErrorMessage(lang, err::kRequired)) : "";
    if (!email_error) s.email = email;  // show the normalised form (full-width typed → half-width)
  }
  ImGui::Spacing();
  ui::Link(reg, "login.forgot", Tr(lang, "login.forgot"));
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();
  ui::Text(reg, "login.signup_hint", Tr(lang, "login.signup_hint"), true);
  ui::Button(reg, "login.signup", Tr(lang, "login.signup"), ui::ButtonKind::kSecondary);
}

}  // namespace mizu::web
