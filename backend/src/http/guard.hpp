#pragma once
// Handler wrappers: turn ServiceError into the API's error body, enforce same-origin for state changes,
// and resolve the session cookie for routes that need a logged-in account.
#include <functional>

#include "mizu/backend/accounts.hpp"
#include "mizu/backend/kiosk.hpp"
#include "mizu/backend/staff.hpp"
#include "routes.hpp"

namespace mizu::backend::http {

inline constexpr const char* kSessionCookie = "mizu_session";

struct Caller {
  SessionInfo session;
  std::string token;
};

using PublicHandler = std::function<void(const httplib::Request&, httplib::Response&)>;
using AccountHandler = std::function<void(const httplib::Request&, httplib::Response&, const Caller&)>;

// Counter kiosks (kiosk.hpp): every wrapper checks a request's X-Mizu-Kiosk token — 401 kiosk_unknown when
// it names no enrolled, unrevoked terminal. kRefused routes answer a kiosk 403 kiosk_forbidden: what a shared
// terminal may not do (e-mail and password changes, password reset, withdrawal, anything of the staff's).
// kLeaving (logout) skips the token check: a visit can end even on a terminal revoked meanwhile.
enum class KioskUse { kAllowed, kRefused, kLeaving };
// The terminal a request comes from: nullopt without the header; ServiceError 401 kiosk_unknown for a token
// that is unknown or revoked.
std::optional<KioskInfo> RequestKiosk(App& app, const httplib::Request& req);

// ServiceError → error body (+ Retry-After); cross-site state changes → 403.
httplib::Server::Handler Public(App& app, PublicHandler handler, KioskUse kiosk = KioskUse::kAllowed);
// As Public, plus: a valid session or 401 (and the cookie cleared); a rotated session's new cookie is set.
// A kiosk session is valid only from its own terminal, a browser session only outside kiosks.
httplib::Server::Handler WithAccount(App& app, AccountHandler handler, KioskUse kiosk = KioskUse::kAllowed);
// Whom the per-client limits (login, sign-up, applications, contracts) count a request against: a kiosk's
// terminal ("kiosk:<id>": the bureau's terminals share one network address with each other and the staff's
// PCs), else the client address.
std::string ClientKey(App& app, const httplib::Request& req);
// Sets the cookie of a session just begun (login, sign-up); from a kiosk, first makes it that terminal's
// kiosk session (BindSessionToKiosk).
void StartSession(App& app, const httplib::Request& req, httplib::Response& res, const NewSession& session);
// The answer that ends a kiosk visit (logout from a kiosk): Clear-Site-Data "cache", "cookies" (W3C Clear
// Site Data), so the terminal's browser keeps nothing of the visitor. Not "storage": Chromium 1xx's renderer
// grows by megabytes with every "storage" clear (measured: docs/kiosk.md, scripts/kiosk-soak), which a
// terminal clearing it 1,000 times a day cannot afford; a kiosk stores nothing there by construction (no
// service worker, no IndexedDB, no preferences) and the page wipes those stores itself at every start
// (mizu.js).
void ClearKioskSiteData(httplib::Response& res);

// Staff routes (/api/v1/staff/…): the staff cookie (never the residents'), a live staff session or 401, and
// at least `role` or 403 forbidden. SameSite=Strict, no Max-Age (no "remember me").
inline constexpr const char* kStaffCookie = "mizu_staff";
struct StaffCaller {
  StaffSession staff;
  std::string client;  // the request's client address (for the audit log)
};
using StaffHandler = std::function<void(const httplib::Request&, httplib::Response&, const StaffCaller&)>;
httplib::Server::Handler WithStaff(App& app, StaffRole role, StaffHandler handler);
void SetStaffCookie(const App& app, httplib::Response& res, const std::string& token);
void ClearStaffCookie(const App& app, httplib::Response& res);

void SetSessionCookie(const App& app, httplib::Response& res, const NewSession& session);
void ClearSessionCookie(const App& app, httplib::Response& res);

}  // namespace mizu::backend::http
