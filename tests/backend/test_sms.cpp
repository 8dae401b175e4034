// Accounts whose login ID is a mobile number: sign-up, login and password reset with codes by SMS, over real
// HTTP. SMS go through the `file` transport (read back from <data>/sms/) or the `webhook` transport to a real
// HTTP receiver (python3 http.server on an ephemeral loopback port).
#include <spawn.h>

#include <fstream>
#include <sstream>

#include "mizu/backend/sms.hpp"
#include "sms_helpers.hpp"

using namespace mizu::testing;

namespace {

const std::string kPassword = "みずもり水道 2026 なつ";
const std::string kNewPassword = "あたらしい合言葉 ふゆ 2027";
const std::string kMobile = "09012345678";

// A webhook receiver: python3's http.server on an inherited listening socket (argv[1] is its fd). Each POST
// is appended to a log as one JSON line {path, auth, content_type, body, status}; it answers with the status
// written in the file `fail` (500 if empty) while that file exists, else 200.
constexpr const char* kReceiver = R"py(
import http.server, json, os, socket, sys
fd, log, fail = int(sys.argv[1]), sys.argv[2], sys.argv[3]
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length', '0')))
        status = 200
        if os.path.exists(fail):
            with open(fail) as f:
                status = int(f.read().strip() or '500')
        line = json.dumps(dict(path=self.path, auth=self.headers.get('Authorization', ''),
                               content_type=self.headers.get('Content-Type', ''),
                               body=body.decode('utf-8'), status=status), ensure_ascii=False)
        with open(log, 'a', encoding='utf-8') as f:
            f.write(line + '\n')
        self.send_response(status)
        self.send_header('Content-Length', '0')
        self.end_headers()
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler, bind_and_activate=False)
server.socket.close()
server.socket = socket.socket(fileno=fd)
server.serve_forever()
)py";

class WebhookReceiver {
 public:
  explicit WebhookReceiver(bool failing) : dir_("mizu-webhook") {
    std::ofstream(dir_ / "receiver.py") << kReceiver;
    SetFailing(failing);
    ReservedPort reserved;
    port_ = reserved.Port();
    std::vector<std::string> args = {MIZU_PYTHON3, (dir_ / "receiver.py").string(),
                                     std::to_string(reserved.Listen()), (dir_ / "log.jsonl").string(),
                                     (dir_ / "fail").string()};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    REQUIRE(posix_spawn(&child_.pid, argv[0], nullptr, nullptr, argv.data(), environ) == 0);
    reserved.Release();
    // Up when it answers HTTP (a GET is answered 501 and not logged).
    const std::string get = "GET / HTTP/1.0\r\n\r\n";
    REQUIRE(
        WaitUntil([&] { return Answers(port_, get, "HTTP/"); }, kWaitLimit, std::chrono::milliseconds(20)));
  }
  void SetFailing(bool failing) { SetStatus(failing ? 500 : 200); }
  // The status every POST is answered with from now on.
  void SetStatus(int status) {
    if (status != 200)
      std::ofstream(dir_ / "fail") << status;
    else
      fs::remove(dir_ / "fail");
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/sms"; }
  std::vector<json> Requests() const {
    std::vector<json> out;
    std::ifstream in(dir_ / "log.jsonl");
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) out.push_back(json::parse(line));
    return out;
  }
  std::vector<json> WaitFor(size_t n) const {
    WaitUntil([&] { return Requests().size() >= n; }, kWaitLimit, std::chrono::milliseconds(20));
    return Requests();
  }

 private:
  // The receiver process: stopped and waited for when its owner goes, also when the constructor fails after
  // starting it (a constructed member is destroyed then).
  struct Child {
    pid_t pid = 0;
    ~Child() {
      if (pid <= 0) return;
      ::kill(pid, SIGTERM);
      ::waitpid(pid, nullptr, 0);
    }
  };
  TempDir dir_;  // first: removed after the receiver is gone
  int port_ = 0;
  Child child_;
};

}  // namespace

TEST_CASE("sms: sign-up with a mobile number, the code read from the SMS file, then login by mobile",
          "[sms]") {
  Portal p;
  auto r = SignUpMobile(p, "０９０－１２３４－５６７８", kMobile);  // full-width digits and dashes
  REQUIRE(r.status == 201);
  CHECK(r.body["customer_number"] == "00000008002");
  auto sms = SmsTo(p, kMobile);
  REQUIRE(sms.size() == 1);
  CHECK(sms[0].body.find("水守 認証コード: ") == 0);
  CHECK(sms[0].body.find("（10分間有効）") != std::string::npos);
  auto me = p.Get("/api/v1/me");
  REQUIRE(me.status == 200);
  CHECK(me.body["mobile"] == kMobile);
  CHECK(me.body["email"] == "");
  REQUIRE(me.body["contracts"].size() == 1);
  CHECK(me.body["contracts"][0]["primary"] == true);
  CHECK(p.Mails().empty());  // nothing went by mail

  // Login: {mobile, password}; the number typed in the e-mail field works too.
  p.ForgetCookie();
  CHECK(p.Post("/api/v1/login", {{"mobile", kMobile}, {"password", "wrong password 123"}}).status == 401);
  auto by_mobile =
      p.Post("/api/v1/login", {{"mobile", "090-1234-5678"}, {"password", kPassword}, {"remember", true}});
  CHECK(by_mobile.status == 200);
  CHECK(by_mobile.body["remember"] == true);
  CHECK(p.Get("/api/v1/me").body["mobile"] == kMobile);
  p.ForgetCookie();
  CHECK(p.Post("/api/v1/login", {{"email", "０９０１２３４５６７８"}, {"password", kPassword}}).status ==
        200);
  p.ForgetCookie();
  CHECK(p.Post("/api/v1/login", {{"mobile", "08012345678"}, {"password", kPassword}}).status == 401);
}

TEST_CASE("sms: only the newest code works, resend waits 60 s, five wrong tries kill it", "[sms]") {
  Portal p;
  REQUIRE(p.Post("/api/v1/signup/start", {{"mobile", "080-2222-3333"}}).status == 202);
  std::string first = CodeFromSms(p, "08022223333", 1);
  auto again = p.Post("/api/v1/signup/start", {{"mobile", "08022223333"}});
  CHECK(again.status == 429);
  CHECK(ErrorCode(again) == "rate_limited");
  p.Advance(61);
  REQUIRE(p.Post("/api/v1/signup/start", {{"mobile", "08022223333"}}).status == 202);
  std::string second = CodeFromSms(p, "08022223333", 2);
  if (first != second) {
    auto old = p.Post("/api/v1/signup/verify", {{"mobile", "08022223333"}, {"code", first}});
    CHECK(old.status == 400);
    CHECK(ErrorCode(old) == "code_invalid");
  }
  std::string wrong = second == "000000" ? "111111" : "000000";
  for (int i = 0; i < 3; ++i)  // 4 wrong tries with the one above at most; the 5th kills the code
    CHECK(ErrorCode(p.Post("/api/v1/signup/verify", {{"mobile", "08022223333"}, {"code", wrong}})) ==
          "code_invalid");
  if (first == second)
    CHECK(ErrorCode(p.Post("/api/v1/signup/verify", {{"mobile", "08022223333"}, {"code", wrong}})) ==
          "code_invalid");
  CHECK(ErrorCode(p.Post("/api/v1/signup/verify", {{"mobile", "08022223333"}, {"code", wrong}})) ==
        "code_locked");
  CHECK(ErrorCode(p.Post("/api/v1/signup/verify", {{"mobile", "08022223333"}, {"code", second}})) ==
        "code_locked");
  // The outbox keeps the SMS rows like mail rows, each with the code's life as its expiry.
  auto rows = Outbox(p, "08022223333");
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].status == "sent");  // newest first: [1] is the first code's
  CHECK(rows[1].kind == "signup_code");
  CHECK(rows[1].subject.empty());
}

TEST_CASE(
    "sms: a taken mobile number is told only after the code, as mobile_taken, and bad numbers are refused",
    "[sms]") {
  Portal p;
  REQUIRE(SignUpMobile(p, kMobile, kMobile).status == 201);
  p.ForgetCookie();
  p.Advance(61);
  auto start = p.Post("/api/v1/signup/start", {{"mobile", "090 1234 5678"}});
  CHECK(start.status == 202);
  std::string code = CodeFromSms(p, kMobile, 2);
  auto verify = p.Post("/api/v1/signup/verify", {{"mobile", kMobile}, {"code", code}});
  CHECK(verify.status == 409);
  CHECK(ErrorCode(verify) == "mobile_taken");
  CHECK(verify.body["error"]["message"] == "携帯電話番号が登録済みのため、使用することができません");
  CHECK(verify.body["error"]["fields"].contains("mobile"));

  // Not a mobile number: a landline, too short, letters, an 0800 free dial.
  for (const char* bad : {"0467-12-3456", "090-1234-567", "090-abcd-5678", "0800-123-4567"}) {
    CAPTURE(bad);
    auto r = p.Post("/api/v1/signup/start", {{"mobile", bad}});
    CHECK(r.status == 400);
    CHECK(ErrorCode(r) == "mobile_invalid");
  }
  auto en = p.Post("/api/v1/signup/start", {{"mobile", "12345"}}, {{"Accept-Language", "en"}});
  CHECK(en.body["error"]["message"].get<std::string>().find("mobile number") != std::string::npos);
  // An e-mail address keeps working next to mobile accounts.
  REQUIRE(p.SignUp("hana@example.jp", "00000008004", "0467-22-3333").status == 201);
  CHECK(SmsTo(p, kMobile).size() == 2);
}

TEST_CASE("sms: password reset answers the same for unknown numbers and texts only registered ones",
          "[sms]") {
  Portal p;
  REQUIRE(SignUpMobile(p, kMobile, kMobile).status == 201);
  std::string session = p.Cookie();
  p.ForgetCookie();
  auto known = p.Post("/api/v1/password-reset/start", {{"mobile", "090-1234-5678"}});
  auto unknown = p.Post("/api/v1/password-reset/start", {{"mobile", "070-9999-8888"}});
  CHECK(known.status == 202);
  CHECK(unknown.status == 202);
  CHECK(known.body == unknown.body);
  CHECK(known.set_cookie == unknown.set_cookie);
  std::string code = CodeFromSms(p, kMobile, 2);  // 1st was the sign-up code
  CHECK(SmsTo(p, kMobile)[1].body.find("パスワード再設定コード") != std::string::npos);
  CHECK(Outbox(p, "07099998888").empty());  // written with the answer, so nothing will ever be sent
  CHECK(SmsTo(p, "07099998888").empty());

  auto done = p.Post("/api/v1/password-reset/complete",
                     {{"mobile", kMobile}, {"code", code}, {"new_password", kNewPassword}});
  CHECK(done.status == 204);
  p.UseCookie(session);
  CHECK(p.Get("/api/v1/me").status == 401);  // every session ended
  p.ForgetCookie();
  CHECK(p.Post("/api/v1/login", {{"mobile", kMobile}, {"password", kPassword}}).status == 401);
  CHECK(p.Post("/api/v1/login", {{"mobile", kMobile}, {"password", kNewPassword}}).status == 200);
  auto all = WaitForSms(p, kMobile, 3);  // the notice goes by SMS: the account has no e-mail address
  REQUIRE(all.size() == 3);
  CHECK(all[2].body.find("パスワードが変更されました") != std::string::npos);
  CHECK(p.Mails().empty());

  // Withdrawal tells the number too, and frees it for a new sign-up.
  REQUIRE(p.Post("/api/v1/me/withdraw", {{"password", kNewPassword}}).status == 204);
  CHECK(WaitForSms(p, kMobile, 4).size() == 4);
  p.Advance(61);
  CHECK(SignUpMobile(p, kMobile, kMobile).status == 201);
}

TEST_CASE("sms: the webhook transport posts JSON with the bearer token to a real receiver", "[sms]") {
  WebhookReceiver receiver(false);
  Portal p([&](mizu::backend::Config& c) {
    c.sms.transport = "webhook";
    c.sms.webhook_url = receiver.Url();
    c.sms.webhook_token = "s3cret-token";
  });
  REQUIRE(p.Post("/api/v1/signup/start", {{"mobile", "070-1111-2222"}}).status == 202);
  auto got = receiver.WaitFor(1);
  REQUIRE(got.size() == 1);
  CHECK(got[0]["path"] == "/sms");
  CHECK(got[0]["auth"] == "Bearer s3cret-token");
  CHECK(got[0]["content_type"].get<std::string>().rfind("application/json", 0) == 0);
  json body = json::parse(got[0]["body"].get<std::string>());
  CHECK(body["to"] == "07011112222");
  CHECK(body["body"].get<std::string>().find("水守 認証コード") == 0);
  CHECK_FALSE(body["message_id"].get<std::string>().empty());
  auto verify = p.Post("/api/v1/signup/verify",
                       {{"mobile", "07011112222"}, {"code", CodeIn(body["body"].get<std::string>())}});
  CHECK(verify.status == 200);
  CHECK(SmsFiles(p).empty());  // nothing through the file transport
  WaitUntil([&] { return Outbox(p, "07011112222")[0].status == "sent"; }, kWaitLimit,
            std::chrono::milliseconds(20));
  CHECK(Outbox(p, "07011112222")[0].status == "sent");
}

TEST_CASE("sms: a failing webhook (500) is retried with back-off and an expired code is not sent", "[sms]") {
  WebhookReceiver receiver(true);
  Portal p([&](mizu::backend::Config& c) {
    c.sms.transport = "webhook";
    c.sms.webhook_url = receiver.Url();
  });
  auto outbox_row = [&](const std::string& to) {
    auto rows = Outbox(p, to);
    REQUIRE(rows.size() == 1);
    return rows[0];
  };
  auto wait_attempts = [&](const std::string& to, int n) {
    WaitUntil([&] { return outbox_row(to).attempts >= n; }, kWaitLimit, std::chrono::milliseconds(20));
    return outbox_row(to);
  };

  // A code SMS that fails, is retried after the back-off, and then goes through.
  REQUIRE(p.Post("/api/v1/signup/start", {{"mobile", "080-5555-6666"}}).status == 202);
  REQUIRE(receiver.WaitFor(1).size() == 1);
  auto row = wait_attempts("08055556666", 1);
  CHECK(row.status == "pending");
  CHECK(row.last_error.find("HTTP 500") != std::string::npos);
  CHECK(row.next_attempt_at == p.App().clock.Now() + 60);  // the mail relay's first back-off
  {  // not before its time: at the current clock the outbox offers the relay nothing to send
    std::lock_guard lock(p.App().db_mutex);
    CHECK(mizu::backend::ClaimDueMails(*p.App().db, p.App().clock.Now(), 10, 600).empty());
  }
  CHECK(receiver.Requests().size() == 1);
  p.Advance(61);
  mizu::backend::NotifyMail(p.App());
  REQUIRE(receiver.WaitFor(2).size() == 2);
  row = wait_attempts("08055556666", 2);
  CHECK(row.status == "pending");
  receiver.SetFailing(false);
  p.Advance(121);  // second back-off: 120 s
  mizu::backend::NotifyMail(p.App());
  auto got = receiver.WaitFor(3);
  REQUIRE(got.size() == 3);
  CHECK(got[2]["status"] == 200);
  CHECK(json::parse(got[0]["body"].get<std::string>())["message_id"] ==
        json::parse(got[2]["body"].get<std::string>())["message_id"]);  // the same message each time
  row = wait_attempts("08055556666", 3);
  CHECK(row.status == "sent");

  // A code SMS that still fails when its 10 minutes are over is given up, not sent late.
  receiver.SetFailing(true);
  REQUIRE(p.Post("/api/v1/signup/start", {{"mobile", "080-7777-8888"}}).status == 202);
  REQUIRE(receiver.WaitFor(4).size() == 4);
  wait_attempts("08077778888", 1);
  receiver.SetFailing(false);
  p.Advance(10 * 60 + 1);
  mizu::backend::NotifyMail(p.App());
  WaitUntil([&] { return outbox_row("08077778888").status == "failed"; }, kWaitLimit,
            std::chrono::milliseconds(20));
  row = outbox_row("08077778888");
  CHECK(row.status == "failed");
  CHECK(row.last_error.find("expired") != std::string::npos);
  REQUIRE(p.WaitOutboxSettled());  // 'failed' is final: nothing left that could still go out
  CHECK(receiver.Requests().size() == 4);
}

TEST_CASE("sms: webhook 408 and 429 are retried with back-off, another 4xx is given up after 3 attempts",
          "[sms]") {
  WebhookReceiver receiver(false);
  Portal p([&](mizu::backend::Config& c) {
    c.sms.transport = "webhook";
    c.sms.webhook_url = receiver.Url();
  });
  auto wait_attempts = [&](const std::string& to, int n) {
    auto row = [&] {
      auto rows = Outbox(p, to);
      REQUIRE(rows.size() == 1);
      return rows[0];
    };
    WaitUntil([&] { return row().attempts >= n; }, kWaitLimit, std::chrono::milliseconds(20));
    return row();
  };
  // Three attempts, 60 s then 120 s apart (docs/api.md: back-off from 60 s doubling), answered `status`.
  auto three_attempts = [&](int status, const std::string& input, const std::string& to) {
    receiver.SetStatus(status);
    REQUIRE(p.Post("/api/v1/signup/start", {{"mobile", input}}).status == 202);
    auto row = wait_attempts(to, 1);
    CHECK(row.status == "pending");
    CHECK(row.next_attempt_at == p.App().clock.Now() + 60);
    CHECK(row.last_error.find("HTTP " + std::to_string(status)) != std::string::npos);
    p.Advance(61);
    mizu::backend::NotifyMail(p.App());
    row = wait_attempts(to, 2);
    CHECK(row.status == "pending");
    CHECK(row.next_attempt_at == p.App().clock.Now() + 120);
    p.Advance(121);
    mizu::backend::NotifyMail(p.App());
    return wait_attempts(to, 3);
  };
  for (int status : {408, 429}) {  // transient: still pending after three attempts, the next one backed off
    INFO(status);
    const std::string to = "0801111" + std::to_string(status) + "0";
    auto row = three_attempts(status, to, to);
    CHECK(row.attempts == 3);
    CHECK(row.status == "pending");
    CHECK(row.next_attempt_at == p.App().clock.Now() + 240);
  }
  auto rejected = three_attempts(400, "080-2222-3333", "08022223333");  // a rejection: failed for good
  CHECK(rejected.attempts == 3);
  CHECK(rejected.status == "failed");
  CHECK(rejected.last_error.find("HTTP 400") != std::string::npos);
}
