#pragma once
// Web Push in this browser (docs/notifications.md): whether it can receive push, its current subscription,
// and subscribing / unsubscribing through the service worker's PushManager. Callbacks run on the main thread
// and request a redraw.
#include <functional>
#include <string>

namespace mizu::web {

struct PushState {
  // "unsupported" (no service worker / PushManager / Notification: e.g. iPhone Safari outside the home-screen
  // app), "denied" (the resident blocked notifications for the site), "default" (not asked yet), "granted".
  std::string permission;
  std::string subscription;  // PushSubscription.toJSON() as JSON text; "" when this browser has none
  std::string device;        // a label for this browser the resident recognises ("Android Chrome")
  std::string error;         // what failed (subscribe refused by the push service, …); "" when nothing
};
using PushCallback = std::function<void(const PushState&)>;

// The state now, without asking anything.
void PushQuery(PushCallback done);
// Asks for notification permission (a browser prompt; only from a tap) and subscribes with the server's
// VAPID key (base64url); the state afterwards.
void PushSubscribe(const std::string& vapid_key, PushCallback done);
// Ends this browser's subscription (the push service forgets it); the state afterwards.
void PushUnsubscribe(PushCallback done);

}  // namespace mizu::web
