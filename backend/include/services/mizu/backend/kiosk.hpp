#pragma once
// Counter kiosks (issue 14, docs/kiosk.md): shared touch terminals at the bureau's counters. An administrator
// enrols each one (`mizumori kiosk enrol --name "本庁 1番窓口"` or the staff console), which gives a kiosk
// token — a secret from the CSPRNG, shown once, stored hashed. The terminal opens the app with it in its
// start URL's fragment (never sent to the server as part of a URL, never logged) and the app presents it on
// every request in the X-Mizu-Kiosk header until an administrator revokes it.
//   [X] enrol (CLI, admin API, the console's 窓口端末), list, revoke; the token checked (AuthenticateKiosk)
//   [X] kiosk sessions (their own kind, server idle timeout, hard limit), forbidden actions, Clear-Site-Data
//   [X] the web app's kiosk mode (web/ui/kiosk.hpp: countdown, on-screen keyboards, forgetting the visitor)
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mizu/backend/staff.hpp"

namespace mizu::backend {

inline constexpr const char* kKioskHeader = "X-Mizu-Kiosk";
inline constexpr size_t kMaxKioskNameChars = 60;

struct EnrolledKiosk {
  int64_t id = 0;
  std::string name;
  std::string token;      // shown once
  std::string start_url;  // "<public_url>/#/?kiosk=<token>": what the terminal's browser opens
};
// A new terminal. `name` is required, at most kMaxKioskNameChars (400 required / too_long /
// control_character on "name"). `staff` null for the CLI; audited as "kiosk_enrolled" (target: the name).
EnrolledKiosk EnrolKiosk(App& app, const StaffSession* staff, const std::string& name,
                         const std::string& client, int64_t now);

struct KioskRow {
  int64_t id = 0;
  std::string name;
  int64_t created_at = 0, revoked_at = 0, last_seen_at = 0;  // 0: never / not revoked
};
// Every terminal, newest first (never a token).
std::vector<KioskRow> ListKiosks(App& app);
// Revokes a terminal: its token stops working at once. 404 not_found (unknown or already revoked); 400 on
// "reason" (RequireReason). `staff` null for the CLI; audited as "kiosk_revoked".
void RevokeKiosk(App& app, const StaffSession* staff, int64_t kiosk_id, const std::string& reason,
                 const std::string& client, int64_t now);

struct KioskInfo {
  int64_t id = 0;
  std::string name;
};
// The terminal a token belongs to, or nullopt (unknown, revoked, empty). Notes when it was last seen.
std::optional<KioskInfo> AuthenticateKiosk(App& app, const std::string& token, int64_t now);

// Makes a just-created session (login, sign-up) a kiosk session of `kiosk_id`: never remembered, valid only
// from that terminal (Authenticate), ending after config.kiosk.idle_seconds without a request and at the
// latest config.kiosk.session_limit_seconds from `now`. Revoking the terminal ends its sessions.
void BindSessionToKiosk(App& app, const std::string& session_token, int64_t kiosk_id, int64_t now);

}  // namespace mizu::backend
