// Counter kiosks' registry over real HTTP (kiosk.hpp): an administrator enrols a terminal and gets its token
// and start URL once; the token is stored hashed, checked by AuthenticateKiosk and dies when revoked; only
// admins reach these routes; each step is in the staff audit log.
#include "staff_helpers.hpp"

#include "mizu/backend/auth.hpp"
#include "mizu/backend/kiosk.hpp"

using namespace mizu::testing;
using mizu::backend::StaffRole;

TEST_CASE("kiosk: an admin enrols a terminal, its token works until it is revoked, and only admins may",
          "[kiosk]") {
  Portal p;
  StaffDesk admin(p), supervisor(p), nobody(p);
  admin.EnrolAndLogin("admin@example.jp", StaffRole::kAdmin);
  supervisor.EnrolAndLogin("super@example.jp", StaffRole::kSupervisor);
  auto& app = p.App();

  // Role and field checks.
  CHECK(nobody.Post("/api/v1/staff/kiosks", {{"name", "本庁 1番窓口"}}).status == 401);
  CHECK(supervisor.Post("/api/v1/staff/kiosks", {{"name", "本庁 1番窓口"}}).status == 403);
  CHECK(supervisor.Get("/api/v1/staff/kiosks").status == 403);
  CHECK(admin.Post("/api/v1/staff/kiosks", {{"name", "　"}}).body["error"]["fields"]["name"]["code"] ==
        "required");
  CHECK(admin.Post("/api/v1/staff/kiosks", {{"name", std::string(61 * 3, 'a')}})
            .body["error"]["fields"]["name"]["code"] == "too_long");

  auto made = admin.Post("/api/v1/staff/kiosks", {{"name", "本庁　1番窓口"}});
  REQUIRE(made.status == 201);
  const std::string token = made.body["token"];
  CHECK(token.size() >= 43);                   // 256 bits in base64url
  CHECK(made.body["name"] == "本庁 1番窓口");  // the ideographic space normalised
  CHECK(Contains(made.body["start_url"], "/#/?kiosk=" + token));
  const int64_t id = made.body["id"];
  {
    // Stored hashed: the token itself is nowhere in the table.
    std::lock_guard lock(app.db_mutex);
    auto q = app.db->Prepare("SELECT token_hash FROM kiosks WHERE id = ?");
    q.Bind(1, id);
    REQUIRE(q.Step());
    CHECK(q.Text(0) == mizu::backend::HashSecret(token));
    CHECK(q.Text(0) != token);
  }
  auto known = mizu::backend::AuthenticateKiosk(app, token, app.clock.Now());
  REQUIRE(known);
  CHECK(known->id == id);
  CHECK(known->name == "本庁 1番窓口");
  CHECK_FALSE(mizu::backend::AuthenticateKiosk(app, token + "x", app.clock.Now()));
  CHECK_FALSE(mizu::backend::AuthenticateKiosk(app, "", app.clock.Now()));

  // The list never shows a token; it shows when the terminal was last seen.
  auto list = admin.Get("/api/v1/staff/kiosks");
  REQUIRE(list.status == 200);
  REQUIRE(list.body["items"].size() == 1);
  CHECK(list.body["items"][0]["revoked_at"].is_null());
  CHECK(list.body["items"][0]["last_seen_at"].is_string());
  CHECK(list.body.dump().find(token) == std::string::npos);

  // Revoked: the token stops working at once; a second revoke finds nothing.
  const std::string revoke = "/api/v1/staff/kiosks/" + std::to_string(id) + "/revoke";
  CHECK(admin.Post(revoke, json::object()).body["error"]["fields"]["reason"]["code"] == "required");
  CHECK(supervisor.Post(revoke, {{"reason", "端末の入れ替え"}}).status == 403);
  REQUIRE(admin.Post(revoke, {{"reason", "端末の入れ替え"}}).status == 204);
  CHECK_FALSE(mizu::backend::AuthenticateKiosk(app, token, app.clock.Now()));
  CHECK(admin.Post(revoke, {{"reason", "もう一度"}}).status == 404);
  CHECK(admin.Post("/api/v1/staff/kiosks/999/revoke", {{"reason", "x"}}).status == 404);
  CHECK(admin.Get("/api/v1/staff/kiosks").body["items"][0]["revoked_at"].is_string());
  CHECK(AuditCount(p, "kiosk_enrolled") == 1);
  CHECK(AuditCount(p, "kiosk_revoked") == 1);
}
