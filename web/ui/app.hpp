#pragma once
// The app's state and its top-level draw function. Screens are plain state + a DrawXxx function.
#include <string>

#include "mizu/i18n.hpp"
#include "ui/registry.hpp"

namespace mizu::web {

struct LoginState {
  std::string email;
  std::string password;
  bool remember = false;
  std::string email_error;     // translated, shown under the field
  std::string password_error;
  std::string notice;
};

enum class Screen { kLogin };

struct AppState {
  Lang lang = Lang::kJa;
  Screen screen = Screen::kLogin;
  LoginState login;
};

// Per-frame services the draw functions use.
struct AppContext {
  Registry registry;
};

// Draws the whole UI for one frame: header (name, language switch) and the current screen.
void DrawApp(AppState& state, AppContext& ctx);
void DrawLogin(LoginState& state, Lang lang, AppContext& ctx);

}  // namespace mizu::web
