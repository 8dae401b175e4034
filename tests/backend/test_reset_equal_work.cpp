// Password-reset start does the same work for a registered and an unregistered login ID: the server's
// database connection runs the same SQL statements in the same order (watched with SQLite's statement trace),
// and what follows (completing with wrong codes) answers alike. The timing itself: scripts/bench/reset.
#include <sqlite3.h>

#include <algorithm>
#include <mutex>
#include <utility>

#include "accounts_helpers.hpp"

using namespace mizu::testing;

namespace {

// Records the SQL of every statement the App's own connection starts while alive.
class StatementTrace {
 public:
  explicit StatementTrace(mizu::backend::App& app) : app_(app) {
    std::lock_guard lock(app_.db_mutex);
    sqlite3_trace_v2(app_.db->SqliteHandle(), SQLITE_TRACE_STMT, &StatementTrace::OnStatement, this);
  }
  ~StatementTrace() {
    std::lock_guard lock(app_.db_mutex);
    sqlite3_trace_v2(app_.db->SqliteHandle(), 0, nullptr, nullptr);
  }
  std::vector<std::string> Take() {
    std::lock_guard lock(m_);
    return std::exchange(sql_, {});
  }

 private:
  static int OnStatement(unsigned, void* self, void* stmt, void*) {
    auto* trace = static_cast<StatementTrace*>(self);
    const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(stmt));
    std::lock_guard lock(trace->m_);
    trace->sql_.push_back(sql ? sql : "");
    return 0;
  }
  mizu::backend::App& app_;
  std::mutex m_;
  std::vector<std::string> sql_;
};

bool Mentions(const std::vector<std::string>& sql, const std::string& what) {
  return std::any_of(sql.begin(), sql.end(),
                     [&](const std::string& s) { return s.find(what) != std::string::npos; });
}

}  // namespace

TEST_CASE("password-reset start runs the same statements for registered and unknown IDs",
          "[account][sqlite]") {
  Portal p;
  REQUIRE(p.SignUp("taro@example.jp").status == 201);
  p.ForgetCookie();
  StatementTrace trace(p.App());
  trace.Take();

  auto known = p.Post("/api/v1/password-reset/start", {{"email", "taro@example.jp"}});
  auto known_sql = trace.Take();
  auto unknown = p.Post("/api/v1/password-reset/start", {{"email", "ghost@example.jp"}});
  auto unknown_sql = trace.Take();
  CHECK(known.status == 202);
  CHECK(unknown.status == 202);
  CHECK(known.body == unknown.body);
  CHECK(known_sql == unknown_sql);
  // The work is the real one: an account lookup, a stored code and an enqueued message.
  CHECK(Mentions(known_sql, "FROM accounts"));
  CHECK(Mentions(known_sql, "INSERT INTO codes"));
  CHECK(Mentions(known_sql, "INSERT INTO mail_outbox"));

  // Within the resend interval both are ignored silently, again alike.
  auto known_again = p.Post("/api/v1/password-reset/start", {{"email", "taro@example.jp"}});
  auto known_again_sql = trace.Take();
  auto unknown_again = p.Post("/api/v1/password-reset/start", {{"email", "ghost@example.jp"}});
  CHECK(known_again.status == 202);
  CHECK(unknown_again.status == 202);
  CHECK(known_again_sql == trace.Take());

  // Only the registered address gets mail.
  p.CodeFromMail("taro@example.jp", 2);
  CHECK(p.MailsTo("ghost@example.jp").empty());
}

TEST_CASE("password-reset complete with wrong codes answers alike for registered and unknown IDs",
          "[account]") {
  Portal p;
  REQUIRE(p.SignUp("taro@example.jp").status == 201);
  p.ForgetCookie();
  REQUIRE(p.Post("/api/v1/password-reset/start", {{"email", "taro@example.jp"}}).status == 202);
  REQUIRE(p.Post("/api/v1/password-reset/start", {{"email", "ghost@example.jp"}}).status == 202);
  const std::string right = p.CodeFromMail("taro@example.jp", 2);
  const std::string wrong = right == "000000" ? "111111" : "000000";
  for (int i = 0; i < 6; ++i) {  // 5 wrong tries kill a code: code_invalid ×4, then code_locked
    auto known = p.Post(
        "/api/v1/password-reset/complete",
        {{"email", "taro@example.jp"}, {"code", wrong}, {"new_password", "あたらしい合言葉 ふゆ 2027"}});
    auto unknown = p.Post(
        "/api/v1/password-reset/complete",
        {{"email", "ghost@example.jp"}, {"code", wrong}, {"new_password", "あたらしい合言葉 ふゆ 2027"}});
    CHECK(known.status == 400);
    CHECK(unknown.status == known.status);
    CHECK(unknown.body == known.body);
    CHECK(ErrorCode(known) == (i < 4 ? "code_invalid" : "code_locked"));
  }
}
