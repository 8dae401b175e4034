#pragma once
// Text placed inside HTML or XML (the stop link's pages, the QR code's SVG title): & < > " ' escaped as
// entities every HTML and XML parser reads (&#39; rather than &apos;, which HTML 4 lacks).
#include <string>
#include <string_view>

namespace mizu::backend {

inline std::string EscapeMarkup(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace mizu::backend
