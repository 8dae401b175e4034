#include "ui/app.hpp"

#include <algorithm>

#include "imgui.h"
#include "mizu/json_fields.hpp"
#include "mizu/time.hpp"
#include "platform/http_client.hpp"
#include "platform/location.hpp"
#include "platform/runner.hpp"
#include "theme/theme.hpp"
#include "ui/api.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

constexpr float kMaxContentWidthCss = 640;

struct RouteInfo {
  Screen screen;
  const char* route;
  bool needs_login;
  bool staff = false;  // needs the staff session instead
};
constexpr RouteInfo kRoutes[] = {
    {Screen::kLoading, "/", false},
    {Screen::kLogin, "/login", false},
    {Screen::kSignup, "/signup", false},
    {Screen::kReset, "/password-reset", false},
    {Screen::kSimulation, "/simulation", false},
    {Screen::kApplications, "/applications", false},
    {Screen::kTop, "/top", true},
    {Screen::kMenu, "/menu", true},
    {Screen::kUsage, "/usage", true},
    {Screen::kPayments, "/payments", true},
    {Screen::kPay, "/pay", true},
    {Screen::kNotices, "/notices", true},
    {Screen::kNotificationSettings, "/notification-settings", true},
    {Screen::kContracts, "/contracts", true},
    {Screen::kContractAdd, "/contracts/add", true},
    {Screen::kProcedures, "/procedures", true},
    {Screen::kWatch, "/watch", true},
    {Screen::kWatchAlerts, "/watch/alerts", true},
    {Screen::kAccount, "/account", true},
    {Screen::kWithdraw, "/withdraw", true},
    {Screen::kStaffLogin, "/staff/login", false, false},
    {Screen::kStaffEnrol, "/staff/enrol", false, false},
    {Screen::kStaff, "/staff", false, true},
    {Screen::kStaffApplications, "/staff/applications", false, true},
    {Screen::kStaffNotices, "/staff/notices", false, true},
    {Screen::kStaffDelivery, "/staff/delivery", false, true},
    {Screen::kStaffAudit, "/staff/audit", false, true},
    {Screen::kStaffKiosks, "/staff/kiosks", false, true},
};

const RouteInfo& Info(Screen s) {
  for (const auto& r : kRoutes)
    if (r.screen == s) return r;
  return kRoutes[0];
}

// What entering a screen loads.
void Enter(AppState& app, Screen s) {
  switch (s) {
    case Screen::kTop:
      EnterTop(app);
      break;
    case Screen::kUsage:
      EnterUsage(app);
      break;
    case Screen::kPayments:
      EnterPayments(app);
      break;
    case Screen::kPay:
      EnterUsage(app);
      break;
    case Screen::kNotices:
      EnterNotices(app);
      break;
    case Screen::kNotificationSettings:
      EnterNotificationSettings(app);
      break;
    case Screen::kWatch:
      EnterWatch(app);
      break;
    case Screen::kWatchAlerts:
      EnterWatchAlerts(app);
      break;
    case Screen::kSimulation:
      EnterSimulation(app);
      break;
    case Screen::kContractAdd:
      app.s.contract_add.errors.Clear();
      break;
    case Screen::kStaffEnrol:
      EnterStaffEnrol(app);
      break;
    case Screen::kStaffApplications:
      EnterStaffApplications(app);
      break;
    case Screen::kStaffNotices:
      EnterStaffNotices(app);
      break;
    case Screen::kStaffDelivery:
      EnterStaffDelivery(app);
      break;
    case Screen::kStaffAudit:
      EnterStaffAudit(app);
      break;
    case Screen::kStaffKiosks:
      EnterStaffKiosks(app);
      break;
    default:
      break;
  }
}

// Shows screen s (the hash is set by the caller).
void Show(AppState& app, Screen s) {
  if (IsKiosk(app) && !KioskAllows(s)) {  // a shared terminal never shows these (the server refuses them too)
    s = app.account.logged_in ? Screen::kTop : Screen::kLogin;
    SetHash(RouteOf(s), true);
  }
  if (NeedsStaffLogin(s) && !app.staff.logged_in) {
    app.screen = Screen::kStaffLogin;
    SetHash(RouteOf(Screen::kStaffLogin), true);
    return;
  }
  if (NeedsLogin(s) && !app.account.logged_in) {
    app.after_login = s;
    app.screen = Screen::kLogin;
    SetHash(RouteOf(Screen::kLogin), true);
    return;
  }
  if (!NeedsLogin(s) && app.account.logged_in && (s == Screen::kLogin || s == Screen::kSignup)) {
    s = Screen::kTop;  // already logged in: the login page has nothing to do
    SetHash(RouteOf(s), true);
  }
  app.screen = s;
  app.flash.clear();
  app.scroll_top = true;
  Enter(app, s);
}

// The header (service name, 通信中…, language, メニュー) stays at the top while the screen scrolls under it,
// so メニュー is always one tap away — unless it would take more than a third of the screen (「特大」 on a
// phone, 200 % zoom of a laptop): then it scrolls with the screen, which keeps the room for the content.
// `right`: the column's right edge (window x) the actions align to.
void DrawHeader(AppState& app, AppContext& ctx, float right) {
  auto& reg = ctx.registry;
  ui::Brand(reg, "app.name", Tr(app.lang, "app.name"));
  if (PendingRequests() > 0) ui::Progress(reg, "app.progress", Tr(app.lang, "app.working"));
  const float brand_right = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x;  // window x
  // Right-aligned header actions: language switch and (logged in) メニュー.
  std::string_view other = Tr(app.lang, "lang.switch_to_other");
  std::string_view menu = Tr(app.lang, "menu.title");
  float pad = ImGui::GetStyle().FramePadding.x * 2, gap = ImGui::GetStyle().ItemSpacing.x;
  float w = ImGui::CalcTextSize(other.data(), other.data() + other.size()).x + pad;
  if (app.account.logged_in) w += ImGui::CalcTextSize(menu.data(), menu.data() + menu.size()).x + pad + gap;
  // Beside the name when they fit, else right-aligned on a line of their own (at 「特大」 on a phone).
  // SameLine() then SetCursorPosX: SameLine(x) counts x from the centred column's group and would add its
  // indent again (the buttons ran off the right edge of a wide window).
  if (brand_right + gap <= right - w) ImGui::SameLine();
  ImGui::SetCursorPosX(right - w);
  if (ui::SmallButton(reg, "lang.switch", other)) app.lang = app.lang == Lang::kJa ? Lang::kEn : Lang::kJa;
  if (app.account.logged_in) {
    ImGui::SameLine();
    if (ui::SmallButton(reg, "menu.open", menu)) {
      if (app.screen == Screen::kMenu) {
        CloseMenu(app);
      } else {
        app.menu_return = app.screen;
        Navigate(app, Screen::kMenu);
      }
    }
  }
  ImGui::PushFont(theme::GetFonts().small);
  const bool console =
      NeedsStaffLogin(app.screen) || app.screen == Screen::kStaffLogin || app.screen == Screen::kStaffEnrol;
  const std::string subtitle = IsKiosk(app)
                                   ? Format(Tr(app.lang, "kiosk.subtitle"), {{"name", app.kiosk.name}})
                                   : std::string(Tr(app.lang, console ? "staff.subtitle" : "app.subtitle"));
  const float subtitle_w = ImGui::CalcTextSize(subtitle.data(), subtitle.data() + subtitle.size()).x;
  ui::Text(reg, "app.subtitle", subtitle, true);
  ImGui::PopFont();
  // 「文字サイズ」: 標準 → 大 → 特大 → 標準, kept in localStorage (WCAG 1.4.4; the canvas does not follow the
  // browser's text-size setting by itself).
  std::string size_label = Format(Tr(app.lang, "text_size.switch"),
                                  {{"size", std::string(Tr(app.lang, kTextSizes[app.text_size].key))}});
  float size_w = ImGui::CalcTextSize(size_label.c_str()).x + pad;
  // Beside the subtitle when both fit, else on a line of its own (never over the subtitle's words).
  if (ImGui::GetCursorPosX() + subtitle_w + gap <= right - size_w) ImGui::SameLine();
  ImGui::SetCursorPosX(right - size_w);
  if (ui::SmallButton(reg, "text_size.switch", size_label)) {
    app.text_size = (app.text_size + 1) % kTextSizeCount;
    SavePreference("text_size", kTextSizes[app.text_size].tag);
  }
  if (IsKiosk(app)) DrawKioskBar(app, ctx);
  ImGui::Separator();
  ImGui::Spacing();
}

void DrawNetworkBanner(AppState& app, AppContext& ctx) {
  if (app.failed.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, theme::kError);
  ui::Text(ctx.registry, "app.network_error", Tr(app.lang, "app.network_error"));
  ImGui::PopStyleColor();
  if (ui::Button(ctx.registry, "app.retry", Tr(app.lang, "app.retry"), ui::ButtonKind::kSecondary))
    RetryFailed(app);
  ImGui::Spacing();
}

void DrawScreen(AppState& app, AppContext& ctx) {
  switch (app.screen) {
    case Screen::kLoading:
      ui::Text(ctx.registry, "app.loading", Tr(app.lang, "app.loading"), true);
      break;
    case Screen::kLogin:
      DrawLogin(app, ctx);
      break;
    case Screen::kSignup:
      DrawSignup(app, ctx);
      break;
    case Screen::kReset:
      DrawReset(app, ctx);
      break;
    case Screen::kSimulation:
      DrawSimulation(app, ctx);
      break;
    case Screen::kApplications:
      DrawApplications(app, ctx);
      break;
    case Screen::kTop:
      DrawTop(app, ctx);
      break;
    case Screen::kMenu:
      DrawMenu(app, ctx);
      break;
    case Screen::kUsage:
      DrawUsage(app, ctx);
      break;
    case Screen::kPayments:
      DrawPayments(app, ctx);
      break;
    case Screen::kPay:
      DrawPay(app, ctx);
      break;
    case Screen::kNotices:
      DrawNotices(app, ctx);
      break;
    case Screen::kNotificationSettings:
      DrawNotificationSettings(app, ctx);
      break;
    case Screen::kContracts:
      DrawContracts(app, ctx);
      break;
    case Screen::kContractAdd:
      DrawContractAdd(app, ctx);
      break;
    case Screen::kProcedures:
      DrawProcedures(app, ctx);
      break;
    case Screen::kWatch:
      DrawWatch(app, ctx);
      break;
    case Screen::kWatchAlerts:
      DrawWatchAlerts(app, ctx);
      break;
    case Screen::kAccount:
      DrawAccount(app, ctx);
      break;
    case Screen::kWithdraw:
      DrawWithdraw(app, ctx);
      break;
    case Screen::kStaffLogin:
      DrawStaffLogin(app, ctx);
      break;
    case Screen::kStaffEnrol:
      DrawStaffEnrol(app, ctx);
      break;
    case Screen::kStaff:
      DrawStaff(app, ctx);
      break;
    case Screen::kStaffApplications:
      DrawStaffApplications(app, ctx);
      break;
    case Screen::kStaffNotices:
      DrawStaffNotices(app, ctx);
      break;
    case Screen::kStaffDelivery:
      DrawStaffDelivery(app, ctx);
      break;
    case Screen::kStaffAudit:
      DrawStaffAudit(app, ctx);
      break;
    case Screen::kStaffKiosks:
      DrawStaffKiosks(app, ctx);
      break;
  }
}

}  // namespace

const char* RouteOf(Screen screen) {
  return Info(screen).route;
}

Screen ScreenOfRoute(const std::string& route_and_query) {
  const std::string route = route_and_query.substr(0, route_and_query.find('?'));  // "/staff/enrol?token=…"
  for (const auto& r : kRoutes)
    if (route == r.route && r.screen != Screen::kLoading) return r.screen;
  return Screen::kTop;
}

bool NeedsLogin(Screen screen) {
  return Info(screen).needs_login;
}

bool NeedsStaffLogin(Screen screen) {
  return Info(screen).staff;
}

const Contract* AccountState::Selected() const {
  for (const auto& c : contracts)
    if (c.customer_number == selected) return &c;
  return contracts.empty() ? nullptr : &contracts.front();
}

void Navigate(AppState& app, Screen screen, bool replace) {
  SetHash(RouteOf(screen), replace);
  Show(app, screen);
}

void Reload(AppState& app) {
  Enter(app, app.screen);
}

void LoadAccount(AppState& app, std::function<void(bool)> done) {
  Api(app, "GET", "/api/v1/me", nullptr,
      [&app, done](const ApiReply& r) {
        bool ok = r.status == 200 && r.json.is_object();
        if (ok) {
          auto& a = app.account;
          a.logged_in = true;
          a.email = FieldOr(r.json, "email", "");
          a.contracts.clear();
          for (const auto& c : ArrayField(r.json, "contracts")) {
            Contract k;
            k.customer_number = FieldOr(c, "customer_number", "");
            k.display_number = FieldOr(c, "display_number", "");
            k.holder_name = FieldOr(c, "holder_name", "");
            k.address = FieldOr(c, "address", "");
            k.relationship = FieldOr(c, "relationship", "");
            k.primary = FieldOr(c, "primary", false);
            k.smart_meter = FieldOr(c, "smart_meter", false);
            k.visible_from = ParseIso8601(FieldOr(c, "visible_from", "")).value_or(0);
            a.contracts.push_back(std::move(k));
          }
          bool still_there = false;
          for (const auto& c : a.contracts) still_there = still_there || c.customer_number == a.selected;
          if (!still_there) a.selected = a.contracts.empty() ? "" : a.contracts.front().customer_number;
          std::string lang = FieldOr(r.json, "lang", "");
          (void)lang;  // the UI keeps the language the person chose on this page
        }
        if (done) done(ok);
      },
      {.session = false});
}

void SessionEnded(AppState& app, bool expired) {
  if (IsKiosk(app)) return LeaveKiosk(app);  // the server ended the visit (idle, hard limit, revoked)
  if (app.account.logged_in && NeedsLogin(app.screen)) app.after_login = app.screen;
  if (!expired) app.after_login = Screen::kTop;
  app.account = {};
  app.s = {};
  app.failed.clear();
  app.flash = expired ? "app.session_expired" : "";
  app.screen = Screen::kLogin;
  SetHash(RouteOf(Screen::kLogin), true);
}

// The screen the URL asks for ("" or "/" → トップ).
Screen WantedScreen() {
  std::string hash = CurrentHash();
  return hash.empty() || hash == "/" ? Screen::kTop : ScreenOfRoute(hash);
}

static void CheckSession(AppState& app);

void StartApp(AppState& app) {
  StartKiosk(app);      // before anything reads the hash: the start URL carries a kiosk's token
  if (!IsKiosk(app)) {  // a kiosk starts every visit the same (the visitor's choices are never saved)
    if (std::string lang = LoadPreference("lang"); !lang.empty()) app.lang = ParseLang(lang);
    std::string size = LoadPreference("text_size");
    for (int i = 0; i < kTextSizeCount; ++i)
      if (size == kTextSizes[i].tag) app.text_size = i;
  }
  OnHashChange([&app](const std::string& hash) {
    if (app.screen == Screen::kLoading) return;  // the session check below reads the URL when it answers
    Screen s = ScreenOfRoute(hash);
    if (s != app.screen) Show(app, s);
  });
  // The staff console checks the staff session only (a resident's cookie has nothing to do there).
  if (const Screen wanted = WantedScreen();
      !IsKiosk(app) &&
      (NeedsStaffLogin(wanted) || wanted == Screen::kStaffLogin || wanted == Screen::kStaffEnrol)) {
    LoadStaff(app, [&app](bool) {
      const Screen w = WantedScreen();
      if (w != Screen::kStaffEnrol) SetHash(RouteOf(w), true);  // the enrolment reads its token first
      Show(app, w);
    });
    return;
  }
  // A kiosk never resumes a session at the start of its page: whatever cookie the browser holds (a login
  // answered after its visitor left, a reload mid-visit) ends first, so each start is a new visit.
  if (IsKiosk(app)) {
    Api(app, "POST", "/api/v1/logout", nullptr, [&app](const ApiReply&) { CheckSession(app); },
        {.session = false});
    return;
  }
  CheckSession(app);
}

// GET /api/v1/session, then the screen the URL asks for (or the login). The URL is read when the answer
// arrives, so a navigation made meanwhile is not lost.
static void CheckSession(AppState& app) {
  auto go = [&app](bool logged_in) {
    Screen wanted = WantedScreen();
    if (logged_in || !NeedsLogin(wanted)) {
      SetHash(RouteOf(wanted), true);
      Show(app, wanted);
    } else {
      app.after_login = wanted;
      app.screen = Screen::kLogin;
      SetHash(RouteOf(Screen::kLogin), true);
    }
  };
  // /session answers 200 either way (a 401 here would be a console error on every cold visit).
  Api(app, "GET", "/api/v1/session", nullptr,
      [&app, go](const ApiReply& r) {
        KioskSessionAnswer(app, r);
        if (r.ok() && FieldOr(r.json, "logged_in", false))
          LoadAccount(app, go);
        else
          go(false);
      },
      {.session = false});
}

// Scrolls the column so that the item that took keyboard focus (Registry::Reveal) is in view, with a margin;
// an item taller than the view shows its top. Items before `first_scrolled` are the fixed header's.
static void RevealFocused(Registry& reg, size_t first_scrolled) {
  if (reg.Reveal().empty()) return;
  const auto& items = reg.Items();
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].id != reg.Reveal()) continue;
    reg.RevealDone();
    if (i < first_scrolled) return;
    const float margin = theme::Px(16);
    const float top = ImGui::GetWindowPos().y + margin,
                bottom = ImGui::GetWindowPos().y + ImGui::GetWindowHeight() - margin;
    const UiItem& it = items[i];
    if (it.y < top || it.h > bottom - top)
      ImGui::SetScrollY(ImGui::GetScrollY() - (top - it.y));
    else if (it.y + it.h > bottom)
      ImGui::SetScrollY(ImGui::GetScrollY() + (it.y + it.h - bottom));
    RequestRedraw(2);
    return;
  }
}

void DrawApp(AppState& app, AppContext& ctx) {
  ctx.registry.BeginFrame();
  ctx.registry.SetLang(std::string(LangTag(app.lang)));
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->Pos);
  ImGui::SetNextWindowSize(vp->Size);
  ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                           ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings;
  ImGui::Begin("##root", nullptr, flags);
  // Centre a readable column on wide screens; use the full width on phones.
  float max_w = theme::Px(kMaxContentWidthCss);
  float avail = ImGui::GetContentRegionAvail().x;
  float column = avail > max_w ? max_w : avail;
  float indent = (avail - column) / 2;
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + indent);
  ImGui::BeginGroup();
  ImGui::PushItemWidth(column);
  const bool sticky = app.header_h <= vp->Size.y / 3;
  auto header = [&](float right) {
    const float top = ImGui::GetCursorScreenPos().y;
    DrawHeader(app, ctx, right);
    app.header_h = ImGui::GetCursorScreenPos().y - top;  // decides the next frame's sticky
  };
  // 料金のお支払い's 全画面で表示 has the whole screen for the barcode (its 閉じる leads back).
  const bool bare = app.screen == Screen::kPay && app.s.usage.pay_fullscreen >= 0;
  if (sticky && !bare) header(ImGui::GetCursorPosX() + column);
  // A kiosk's on-screen keyboard takes the bottom of the screen; the content scrolls above it.
  auto& target = ctx.registry.text_target;
  const float keyboard_h = IsKiosk(app) && !target.id.empty() ? app.kiosk.keyboard_h : 0;
  const float below = keyboard_h > 0 ? keyboard_h + ImGui::GetStyle().ItemSpacing.y : 0;
  ImGui::BeginChild("##column", ImVec2(column, -below), false, ImGuiWindowFlags_NoBackground);
  if (app.scroll_top) {
    ImGui::SetScrollY(0);
    app.scroll_top = false;
  }
  const size_t first_scrolled = sticky ? ctx.registry.Items().size() : 0;  // a sticky header is not scrolled
  if (!sticky && !bare) header(ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x);
  DrawNetworkBanner(app, ctx);
  if (!app.flash.empty()) ui::Text(ctx.registry, "app.flash", Tr(app.lang, app.flash));
  if (app.kiosk.refused)  // an unknown or revoked terminal: nothing works until it is enrolled again
    ui::ErrorText(ctx.registry, "kiosk.refused", Tr(app.lang, "error.kiosk_unknown"));
  else
    DrawScreen(app, ctx);
  ImGui::Dummy(ImVec2(0, theme::Px(24)));
  RevealFocused(ctx.registry, first_scrolled);
  if (const float by = ctx.registry.TakeScroll(); by != 0)
    ImGui::SetScrollY(std::clamp(ImGui::GetScrollY() + by * theme::Px(1), 0.0f, ImGui::GetScrollMaxY()));
  ImGui::EndChild();
  bool target_shown = false;  // the field the keyboard types into is still on the screen
  for (const auto& item : ctx.registry.Items()) target_shown = target_shown || item.id == target.id;
  if (!IsKiosk(app) || !target_shown) target = {};
  ctx.registry.own_keyboard = IsKiosk(app);
  if (IsKiosk(app)) {
    // Across the whole window (wider keys on a landscape screen), under the column.
    ImGui::EndGroup();
    ImGui::SetCursorPosX(ImGui::GetStyle().WindowPadding.x);
    ImGui::BeginGroup();
    const float h = ui::OnScreenKeyboard(ctx.registry, app.lang, app.kiosk.keyboard);
    if (h != app.kiosk.keyboard_h) {  // the content's height follows next frame, the field stays in view
      RequestRedraw(2);
      if (!target.id.empty()) ctx.registry.RevealItem(target.id);
    }
    app.kiosk.keyboard_h = h;
  }
  ImGui::PopItemWidth();
  ImGui::EndGroup();
  ImGui::End();
}

}  // namespace mizu::web
