#pragma once
// The stop link's HTML pages (GET/POST /api/v1/watch/stop from a browser): one small page in the recipient's
// language, no script, no-store; every text is HTML-escaped. The JSON answers are routes_watch.cpp's.
#include <httplib.h>

#include <string>

#include "mizu/backend/watch.hpp"
#include "mizu/i18n.hpp"

namespace mizu::backend::http {

// 200: the contract's details and a form posting `token` back to stop the mails, or the "stopped" page when
// the link was already used.
void SendStopConfirmPage(httplib::Response& res, const StopLinkInfo& info, const std::string& token);
// 200: "stopped", with the contract's details.
void SendStopDonePage(httplib::Response& res, const StopLinkInfo& info);
// 404: the link is unknown or no longer valid.
void SendStopInvalidPage(httplib::Response& res, Lang lang);

}  // namespace mizu::backend::http
