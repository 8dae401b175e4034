#pragma once
// The app's state and its top-level draw function. Every screen is plain state (screens.hpp) + a DrawXxx
// function; navigation goes through Navigate so each screen has a hash route (#/usage) that back/forward and
// a reload return to.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mizu/api.hpp"
#include "mizu/format.hpp"
#include "mizu/i18n.hpp"
#include "ui/api.hpp"
#include "ui/form_errors.hpp"
#include "ui/kiosk.hpp"
#include "ui/registry.hpp"
#include "ui/screens.hpp"
#include "ui/state_staff.hpp"

namespace mizu::web {

enum class Screen {
  kLoading,  // checking the session at start
  kLogin,
  kSignup,
  kReset,
  kSimulation,
  kApplications,
  kTop,
  kMenu,
  kUsage,
  kPayments,
  kPay,
  kNotices,
  kNotificationSettings,
  kContracts,
  kContractAdd,
  kProcedures,
  kWatch,
  kWatchAlerts,  // 異変のお知らせ and 通知履歴 of the watch
  kAccount,
  kWithdraw,
  // The bureau staff console (職員用画面): its own session; see StaffState.
  kStaffLogin,
  kStaffEnrol,  // the one-time enrolment link (no session)
  kStaff,       // お客さま検索 (the home of the console)
  kStaffApplications,
  kStaffNotices,
  kStaffDelivery,
  kStaffAudit,
  kStaffKiosks,
};

// The route of a screen ("/usage") and back.
const char* RouteOf(Screen screen);
Screen ScreenOfRoute(const std::string& route);  // unknown → kTop
bool NeedsLogin(Screen screen);
// A screen of the staff console: it needs the staff session (GET /api/v1/staff/me), never a resident's.
bool NeedsStaffLogin(Screen screen);

struct Contract {
  std::string customer_number;  // digits, used in URLs
  std::string display_number;   // 0-0000008002
  std::string holder_name;
  std::string address;
  std::string relationship;  // self / family / other
  bool primary = false;
  bool smart_meter = false;
  int64_t visible_from = 0;  // UTC seconds
};

struct AccountState {
  bool logged_in = false;
  std::string email;
  std::vector<Contract> contracts;  // the primary first
  std::string selected;             // customer_number of the contract the data screens show
  const Contract* Selected() const;
};

// A request that failed on the network, kept so the banner's 再試行 can send it again.
struct RetryRequest {
  std::string method, url, body;
  std::function<void(int, const std::string&)> done;
  bool session = true;
  bool staff = false;
};

// 「文字サイズ」 choices: catalog key, localStorage tag, scale of every text and size the app draws.
struct TextSize {
  const char* key;
  const char* tag;
  float scale;
};
inline constexpr TextSize kTextSizes[] = {{"text_size.standard", "standard", 1.0f},
                                          {"text_size.large", "large", 1.25f},
                                          {"text_size.xlarge", "xlarge", 1.5f}};
inline constexpr int kTextSizeCount = 3;

struct AppState {
  Lang lang = Lang::kJa;
  int text_size = 0;  // index into kTextSizes (「文字サイズ」)
  Screen screen = Screen::kLoading;
  Screen after_login = Screen::kTop;  // where a login (or an expired session) returns to
  Screen menu_return = Screen::kTop;  // where the menu's 閉じる (or Esc, or メニュー again) returns to
  bool scroll_top = false;            // a new screen starts at the top
  float header_h = 0;  // the header's height last frame (px): a tall one scrolls with the screen
  std::string flash;   // a one-line message on the next screen (translated key)
  AccountState account;
  StaffState staff;                  // the staff console's session and screens (apart from the resident's)
  KioskState kiosk;                  // a counter terminal's (kiosk.hpp); empty token: an ordinary browser
  std::vector<RetryRequest> failed;  // network failures waiting for 再試行
  Screens s;
};

// Per-frame services the draw functions use.
struct AppContext {
  Registry registry;
};

// Starts the app: reads the route, checks the session, listens to back/forward.
void StartApp(AppState& app);
// Goes to a screen (pushing a history entry unless replace), loading what it shows; a screen that needs a
// login goes to the login first and returns there afterwards.
void Navigate(AppState& app, Screen screen, bool replace = false);
// Re-enters the current screen (reloads its data), e.g. after the contract selection changed.
void Reload(AppState& app);
// GET /api/v1/me into app.account; then calls done(ok).
void LoadAccount(AppState& app, std::function<void(bool)> done = {});
// Leaves the menu for the screen it was opened from (app.menu_return).
void CloseMenu(AppState& app);
// POST /api/v1/logout, then the page starts afresh at the login screen (RestartPage: nothing of the account
// stays in the app's memory); at a kiosk, LeaveKiosk.
void Logout(AppState& app);
// Session ended (401 or logout): forget the account and go to the login (keeping where to return).
void SessionEnded(AppState& app, bool expired);

// The contract the data screens show (優先表示 first): a select of the account's contracts. Returns true when
// the choice changed (the caller reloads). smart_meter_only lists only contracts with a smart meter.
bool ContractPicker(AppState& app, AppContext& ctx, bool smart_meter_only = false);
// Posts {"email"|"mobile": id, …fields} to a public account route (login, sign-up, reset) after CheckLoginId
// (mizu/text.hpp), which also normalises id in place (full-width → half-width, so the person sees what is
// sent). Errors land in `errors` (a "mobile" field error on the one ID box, "email"); `ok` runs on a 2xx
// answer. id and errors must live in app.s (they are read again when the answer arrives).
void PostWithLoginId(AppState& app, const std::string& url, std::string& id, FormErrors& errors,
                     nlohmann::json fields, std::function<void(const ApiReply&)> ok);

// The staff console (web/ui/staff*.cpp): the staff session ended (401 or logout) → its login screen.
void StaffSessionEnded(AppState& app, bool expired);
// GET /api/v1/staff/me into app.staff; then done(ok).
void LoadStaff(AppState& app, std::function<void(bool)> done);

// Draws the whole UI for one frame: header (name, progress, language switch, menu) and the current screen.
void DrawApp(AppState& app, AppContext& ctx);

// Screens (one file each in web/ui/).
void DrawLogin(AppState& app, AppContext& ctx);
void DrawSignup(AppState& app, AppContext& ctx);
void DrawReset(AppState& app, AppContext& ctx);
void DrawTop(AppState& app, AppContext& ctx);
void DrawMenu(AppState& app, AppContext& ctx);
void DrawUsage(AppState& app, AppContext& ctx);
void DrawPayments(AppState& app, AppContext& ctx);
void DrawPay(AppState& app, AppContext& ctx);
void DrawNotices(AppState& app, AppContext& ctx);
void DrawNotificationSettings(AppState& app, AppContext& ctx);
// Its push part (notification_push.cpp): this browser on/off and the account's other devices.
void DrawPushSettings(AppState& app, AppContext& ctx);
void DrawContracts(AppState& app, AppContext& ctx);
void DrawContractAdd(AppState& app, AppContext& ctx);
void DrawProcedures(AppState& app, AppContext& ctx);
void DrawWatch(AppState& app, AppContext& ctx);
void DrawWatchAlerts(AppState& app, AppContext& ctx);
void DrawAccount(AppState& app, AppContext& ctx);
void DrawWithdraw(AppState& app, AppContext& ctx);
void DrawApplications(AppState& app, AppContext& ctx);
void DrawSimulation(AppState& app, AppContext& ctx);
void DrawStaffLogin(AppState& app, AppContext& ctx);
void DrawStaffEnrol(AppState& app, AppContext& ctx);
void DrawStaff(AppState& app, AppContext& ctx);
void DrawStaffApplications(AppState& app, AppContext& ctx);
void DrawStaffNotices(AppState& app, AppContext& ctx);
void DrawStaffDelivery(AppState& app, AppContext& ctx);
void DrawStaffAudit(AppState& app, AppContext& ctx);
void DrawStaffKiosks(AppState& app, AppContext& ctx);

// Loaders run when a screen is entered (Navigate / Reload).
void EnterTop(AppState& app);
void EnterUsage(AppState& app);
void EnterPayments(AppState& app);
void EnterNotices(AppState& app);
void EnterNotificationSettings(AppState& app);
void EnterPushSettings(AppState& app);
void EnterWatch(AppState& app);
void EnterWatchAlerts(AppState& app);
void EnterSimulation(AppState& app);
void EnterStaffEnrol(AppState& app);
void EnterStaffApplications(AppState& app);
void EnterStaffNotices(AppState& app);
void EnterStaffDelivery(AppState& app);
void EnterStaffAudit(AppState& app);
void EnterStaffKiosks(AppState& app);

}  // namespace mizu::web
