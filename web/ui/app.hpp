#pragma once
// The app's state and its top-level draw function. Screens are plain state + a DrawXxx function.
#include <cstdint>
#include <string>
#include <vector>

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

enum class Screen { kLogin, kTop };

struct ContractSummary {
  std::string display_number;
  std::string holder_name;
  std::string address;
  bool primary = false;
  bool smart_meter = false;
  int64_t visible_from = 0;  // UTC seconds
};

struct TopState {
  std::string email;
  std::vector<ContractSummary> contracts;
  bool loaded = false;
  std::string error;
};

struct AppState {
  Lang lang = Lang::kJa;
  Screen screen = Screen::kLogin;
  LoginState login;
  TopState top;
};

// Per-frame services the draw functions use.
struct AppContext {
  Registry registry;
};

// Draws the whole UI for one frame: header (name, language switch) and the current screen.
void DrawApp(AppState& state, AppContext& ctx);
void DrawLogin(AppState& state, AppContext& ctx);
void DrawTop(AppState& state, AppContext& ctx);
// GET /api/v1/me into state.top (on 401: back to the login screen).
void LoadAccount(AppState& state);

}  // namespace mizu::web
