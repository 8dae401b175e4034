#pragma once
// Handler wrappers: turn ServiceError into the API's error body, enforce same-origin for state changes,
// and resolve the session cookie for routes that need a logged-in account.
#include <functional>

#include "mizu/backend/accounts.hpp"
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

void SetSessionCookie(const App& app, httplib::Response& res, const NewSession& session);
void ClearSessionCookie(const App& app, httplib::Response& res);

}  // namespace mizu::backend::http
