#include <optional>

#include "guard.hpp"

namespace mizu::backend::http {
namespace {

bool Unsafe(const httplib::Request& req) {
  return req.method != "GET" && req.method != "HEAD";
}

// A template, not std::function: the guards' lambdas capture more than fits in one (an allocation a request).
template <typename Fn>
void Run(const httplib::Request& req, httplib::Response& res, Fn&& fn) {
  try {
    fn();
  } catch (const ServiceError& e) {
    if (e.retry_after > 0) res.set_header("Retry-After", std::to_string(e.retry_after));
    SendError(req, res, e.status, e.code, e.fields);
  }
}

}  // namespace

void SetSessionCookie(const App& app, httplib::Response& res, const NewSession& s) {
  std::string cookie = std::string(kSessionCookie) + "=" + s.token + "; Path=/; HttpOnly; SameSite=Lax";
  if (s.remember) cookie += "; Max-Age=" + std::to_string(s.max_age);
  if (app.config.secure_cookies) cookie += "; Secure";
  res.set_header("Set-Cookie", cookie);
}

void ClearSessionCookie(const App& app, httplib::Response& res) {
  std::string cookie = std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0";
  if (app.config.secure_cookies) cookie += "; Secure";
  res.set_header("Set-Cookie", cookie);
}

void SetStaffCookie(const App& app, httplib::Response& res, const std::string& token) {
  std::string cookie = std::string(kStaffCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict";
  if (app.config.secure_cookies) cookie += "; Secure";
  res.set_header("Set-Cookie", cookie);
}

void ClearStaffCookie(const App& app, httplib::Response& res) {
  std::string cookie = std::string(kStaffCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
  if (app.config.secure_cookies) cookie += "; Secure";
  res.set_header("Set-Cookie", cookie);
}

std::optional<KioskInfo> RequestKiosk(App& app, const httplib::Request& req) {
  if (!req.has_header(kKioskHeader)) return std::nullopt;
  auto kiosk = AuthenticateKiosk(app, req.get_header_value(kKioskHeader), app.clock.Now());
  if (!kiosk) throw ServiceError(401, err::kKioskUnknown);
  return kiosk;
}

std::string ClientKey(App& app, const httplib::Request& req) {
  if (auto kiosk = RequestKiosk(app, req)) return "kiosk:" + std::to_string(kiosk->id);
  return req.remote_addr;
}

void StartSession(App& app, const httplib::Request& req, httplib::Response& res, const NewSession& session) {
  if (auto kiosk = RequestKiosk(app, req)) {
    BindSessionToKiosk(app, session.token, kiosk->id, app.clock.Now());
    return SetSessionCookie(app, res, NewSession{session.token, false, 0});
  }
  SetSessionCookie(app, res, session);
}

void ClearKioskSiteData(httplib::Response& res) {
  res.set_header("Clear-Site-Data", R"("cache", "cookies")");
}

httplib::Server::Handler WithStaff(App& app, StaffRole role, StaffHandler handler) {
  return [&app, role, handler](const httplib::Request& req, httplib::Response& res) {
    if (Unsafe(req) && !SameOriginOrNonBrowser(req)) return SendError(req, res, 403, err::kForbidden);
    // Nothing of the staff's from a counter kiosk, even with a staff cookie in its browser.
    if (req.has_header(kKioskHeader)) return SendError(req, res, 403, err::kKioskForbidden);
    Run(req, res, [&] {
      const std::string token = CookieValue(req, kStaffCookie);
      auto staff = AuthenticateStaff(app, token, app.clock.Now());
      if (!staff) {
        if (!token.empty()) ClearStaffCookie(app, res);
        throw ServiceError(401, err::kUnauthorized);
      }
      if (static_cast<int>(staff->role) < static_cast<int>(role)) throw ServiceError(403, err::kForbidden);
      handler(req, res, {*staff, req.remote_addr});
    });
  };
}

httplib::Server::Handler Public(App& app, PublicHandler handler, KioskUse use) {
  return [&app, handler, use](const httplib::Request& req, httplib::Response& res) {
    if (Unsafe(req) && !SameOriginOrNonBrowser(req)) return SendError(req, res, 403, err::kForbidden);
    // Staff routes outside WithStaff (the staff login, enrolment) are a staff console's too.
    if (req.has_header(kKioskHeader) &&
        (use == KioskUse::kRefused || req.path.rfind("/api/v1/staff/", 0) == 0))
      return SendError(req, res, 403, err::kKioskForbidden);
    Run(req, res, [&] {
      if (use != KioskUse::kLeaving) RequestKiosk(app, req);
      handler(req, res);
    });
  };
}

httplib::Server::Handler WithAccount(App& app, AccountHandler handler, KioskUse use) {
  return [&app, handler, use](const httplib::Request& req, httplib::Response& res) {
    if (Unsafe(req) && !SameOriginOrNonBrowser(req)) return SendError(req, res, 403, err::kForbidden);
    Run(req, res, [&] {
      // A safe request's reads (kiosk, session, ownership, its data) share one snapshot and one connection.
      std::optional<ReadScope> reads;
      if (!Unsafe(req)) reads.emplace(app);
      auto kiosk = RequestKiosk(app, req);
      Caller caller;
      caller.token = CookieValue(req, kSessionCookie);
      auto session = Authenticate(app, caller.token, app.clock.Now(), kiosk ? kiosk->id : 0);
      if (!session) {
        if (!caller.token.empty()) ClearSessionCookie(app, res);
        throw ServiceError(401, err::kUnauthorized);
      }
      if (kiosk && use == KioskUse::kRefused) throw ServiceError(403, err::kKioskForbidden);
      if (session->rotated) {
        SetSessionCookie(app, res, *session->rotated);
        caller.token = session->rotated->token;
      }
      caller.session = std::move(*session);
      handler(req, res, caller);
    });
  };
}

}  // namespace mizu::backend::http
