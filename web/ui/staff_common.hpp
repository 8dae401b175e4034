#pragma once
// What the staff console's screens share (web/ui/staff*.cpp): the row of tasks at the top and the names of
// roles and message states in the current language.
#include <string>

#include "mizu/json_fields.hpp"
#include "mizu/time.hpp"
#include "ui/app.hpp"

namespace mizu::web {

inline constexpr int kRoleCounter = 1, kRoleSupervisor = 2, kRoleAdmin = 3;  // StaffState::role
// A console page's top: StaffNav and the page's heading (its id is the catalog key); false, with
// 「権限がありません」 drawn, when the role is below `min_role` (the server refuses the role again anyway).
bool StaffPage(AppState& app, AppContext& ctx, const char* title_key, int min_role = kRoleCounter);
// Who is logged in and the tasks their role may open (お客さま検索, 配信状況, 監査ログ), and ログアウト.
void StaffNav(AppState& app, AppContext& ctx);
// "staff.role.counter" … for StaffState::role.
// A query parameter's value percent-encoded (RFC 3986 §2.1: every byte but the unreserved characters), so a
// kana name, an e-mail address or a full-width number reaches the server as typed.
inline std::string QueryValue(const std::string& value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}
// An ISO 8601 instant the staff API answers, as UTC seconds; 0 when absent or null.
inline int64_t Instant(const nlohmann::json& j, const char* name) {
  return ParseIso8601(FieldOr(j, name, "")).value_or(0);
}
inline const char* StaffRoleKey(int role) {
  return role >= 3 ? "staff.role.admin" : role == 2 ? "staff.role.supervisor" : "staff.role.counter";
}

}  // namespace mizu::web
