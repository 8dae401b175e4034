// The stop link's HTML pages (see stop_page.hpp).
#include "stop_page.hpp"

#include "mizu/format.hpp"

#include <string_view>

#include "mizu/backend/markup.hpp"
#include "mizu/errors.hpp"

namespace mizu::backend::http {
namespace {

void SendPage(httplib::Response& res, int status, Lang lang, const std::string& body_html) {
  std::string page =
      "<!doctype html><html lang=\"" + std::string(LangTag(lang)) +
      "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\"><meta name=\"robots\" content=\"noindex\"><title>" +
      EscapeMarkup(Tr(lang, "watch.stop.title")) +
      "</title><style>body{font-family:sans-serif;max-width:36em;margin:2em auto;padding:0 1em;"
      "line-height:1.7}dt{font-weight:bold}button{font-size:1.1em;padding:.6em 1.4em}</style>"
      "</head><body><h1>" +
      EscapeMarkup(Tr(lang, "watch.stop.title")) + "</h1>" + body_html + "</body></html>\n";
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(page, "text/html; charset=utf-8");
}

std::string Details(const StopLinkInfo& info) {
  std::string out = "<dl><dt>" + EscapeMarkup(Tr(info.lang, "watch.label.contract")) + "</dt><dd>" +
                    EscapeMarkup(info.display_number) + "</dd><dt>" +
                    EscapeMarkup(Tr(info.lang, "watch.label.address")) + "</dt><dd>" +
                    EscapeMarkup(info.address) + "</dd><dt>" +
                    EscapeMarkup(Tr(info.lang, "watch.label.email")) + "</dt><dd>" +
                    EscapeMarkup(info.email) + "</dd></dl>";
  // 通知履歴: what this watch's alerts said lately (the recipient got them; the page is theirs by the token).
  if (!info.alerts.empty()) {
    out += "<h2>" + EscapeMarkup(Tr(info.lang, "watch.stop.history")) + "</h2><ul>";
    for (const auto& [at, subject] : info.alerts)
      out += "<li>" + EscapeMarkup(FormatDateTime(info.lang, at)) + " " + EscapeMarkup(subject) + "</li>";
    out += "</ul>";
  }
  return out;
}

}  // namespace

void SendStopConfirmPage(httplib::Response& res, const StopLinkInfo& info, const std::string& token) {
  std::string body = Details(info);
  if (info.stopped) {
    body = "<p>" + EscapeMarkup(Tr(info.lang, "watch.stop.done")) + "</p>" + body;
  } else {
    body = "<p>" + EscapeMarkup(Tr(info.lang, "watch.stop.confirm")) + "</p>" + body +
           "<form method=\"post\" action=\"/api/v1/watch/stop\"><input type=\"hidden\" "
           "name=\"token\" value=\"" +
           EscapeMarkup(token) + "\"><button type=\"submit\">" +
           EscapeMarkup(Tr(info.lang, "watch.stop.button")) + "</button></form>";
  }
  SendPage(res, 200, info.lang, body);
}

void SendStopDonePage(httplib::Response& res, const StopLinkInfo& info) {
  SendPage(res, 200, info.lang,
           "<p>" + EscapeMarkup(Tr(info.lang, "watch.stop.done")) + "</p>" + Details(info));
}

void SendStopInvalidPage(httplib::Response& res, Lang lang) {
  SendPage(res, 404, lang, "<p>" + EscapeMarkup(ErrorMessage(lang, err::kWatchStopInvalid)) + "</p>");
}

}  // namespace mizu::backend::http
