#pragma once
// Handler wrappers: turn ServiceError into the API's error body, enforce same-origin for state changes,
// and resolve the session cookie for routes that need a logged-in account.
#include <functional>

#include "mizu/backend/accounts.hpp"
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

// ServiceError → error body (+ Retry-After); cross-site state changes → 403.
httplib::Server::Handler Public(App& app, PublicHandler handler);
// As Public, plus: a valid session or 401 (and the cookie cleared); a rotated session's new cookie is set.
httplib::Server::Handler WithAccount(App& app, AccountHandler handler);

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
