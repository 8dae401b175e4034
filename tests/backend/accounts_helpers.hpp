#pragma once
// Helpers for the account tests: a server whose mail goes through a real SMTP server, a customer master,
// JSON requests with a cookie jar of one, and the codes read back from the delivered mails.
#include <regex>

#include "mizu/backend/accounts.hpp"
#include "mizu/backend/cis.hpp"
#include "server_fixture.hpp"
#include "smtp_fixture.hpp"

namespace mizu::testing {

// 2026-11-20 (Fri) 15:00 JST: the visible-from of a link made now is Tue 11-24 09:00 (Mon 11-23 is a
// holiday).
constexpr const char* kFridayAfternoon = "2026-11-20T15:00:00+09:00";

inline const char* kCustomersCsv =
    "customer_number,holder_name,holder_kana,address,bureau_phone,meter_id,smart_meter,diameter_mm,status\n"
    "00000008002,山田 太郎,ヤマダ タロウ,水守市本町1-2-3,0467-12-3456,M000001,1,13,active\n"
    "00000008004,山田 ハナ,ヤマダ ハナ,水守市桜台4-5-6,0467-22-3333,M000002,1,13,active\n"
    "00000008006,佐藤 一郎,サトウ イチロウ,水守市港南7-8,03-1234-5678,,0,20,active\n"
    "00000008008,鈴木 幸子,スズキ サチコ,水守市川端町9,0467-33-4444,,0,13,closed\n";

struct Reply {
  int status = 0;
  json body;
  std::string set_cookie;
  std::string retry_after;
  httplib::Headers headers;  // every header of the response
  std::string text;          // the body as it came
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class Portal {
 public:
  // tweak: further config (e.g. the SMS transport), applied after the mail settings.
  explicit Portal(const std::function<void(backend::Config&)>& tweak = {})
      : dir_("mizu-smtp"), smtp_(dir_ / "maildir"), server_([this, &tweak](backend::Config& c) {
          c.mail.transport = "smtp";
          c.mail.smtp_url = smtp_.Url();
          if (tweak) tweak(c);
        }) {
    {
      std::lock_guard lock(server_.App().db_mutex);
      backend::ImportCustomers(*server_.App().db, kCustomersCsv, {{}, &server_.App().tariff}, 0);
    }
    SetClock(kFridayAfternoon);  // a request: the route writes the shared test clock (not under our lock)
  }

  void SetClock(const std::string& iso) {
    auto r = Post("/api/v1/test/clock", {{"now", iso}});
    REQUIRE(r.status == 200);
  }
  void Advance(int64_t seconds) { server_.App().clock.Set(server_.App().clock.Now() + seconds); }

  Reply Send(const std::string& method, const std::string& path, const json& body = nullptr,
             httplib::Headers headers = {}) {
    auto client = server_.Client();
    if (!cookie_.empty()) headers.emplace("Cookie", "mizu_session=" + cookie_);
    for (const auto& h : always_) headers.emplace(h);
    httplib::Result res =
        method == "GET"      ? client.Get(path.c_str(), headers)
        : method == "DELETE" ? client.Delete(path.c_str(), headers)
        : method == "PUT"
            ? client.Put(path.c_str(), headers, body.is_null() ? "{}" : body.dump(), "application/json")
            : client.Post(path.c_str(), headers, body.is_null() ? "{}" : body.dump(), "application/json");
    REQUIRE(res);
    Reply r{res->status, json(), res->get_header_value("Set-Cookie"), res->get_header_value("Retry-After")};
    r.headers = res->headers;
    r.text = res->body;
    if (!res->body.empty()) r.body = json::parse(res->body, nullptr, false);
    std::smatch m;
    if (std::regex_search(r.set_cookie, m, std::regex("mizu_session=([^;]*)"))) cookie_ = m[1];
    return r;
  }
  Reply Post(const std::string& path, const json& body, httplib::Headers headers = {}) {
    return Send("POST", path, body, std::move(headers));
  }
  Reply Get(const std::string& path) { return Send("GET", path); }

  // Every mail delivered so far, decoded.
  json Mails() { return smtp_.Count() ? Inspect(smtp_.NewDir()) : json::array(); }
  json MailsTo(const std::string& addr) {
    json out = json::array();
    for (auto& m : Mails())
      if (m["to_addr"] == addr) out.push_back(m);
    return out;
  }
  // Waits for the n-th mail to addr and returns the 6-digit code in it.
  std::string CodeFromMail(const std::string& addr, size_t nth = 1) {
    json mails;
    WaitUntil([&] { return (mails = MailsTo(addr)).size() >= nth; }, kWaitLimit,
              std::chrono::milliseconds(20));
    REQUIRE(mails.size() >= nth);
    // The maildir has no order; Message-IDs start with the outbox key, which sorts in creation order.
    std::vector<json> sorted(mails.begin(), mails.end());
    std::sort(sorted.begin(), sorted.end(),
              [](const json& a, const json& b) { return a["message_id"] < b["message_id"]; });
    std::smatch m;
    std::string body = sorted[nth - 1]["body"];
    REQUIRE(std::regex_search(body, m, std::regex("([0-9]{6})")));
    return m[1];
  }
  size_t WaitForMails(const std::string& addr, size_t n) {
    WaitUntil([&] { return MailsTo(addr).size() >= n; }, kWaitLimit, std::chrono::milliseconds(20));
    return MailsTo(addr).size();
  }

  // Sign-up from scratch: start → code from the delivered mail → verify → complete. Returns the complete
  // reply.
  Reply SignUp(const std::string& email, const std::string& cn = "00000008002",
               const std::string& bureau_phone = "0467-12-3456",
               const std::string& password = "みずもり水道 2026 なつ") {
    size_t before = MailsTo(email).size();
    REQUIRE(Post("/api/v1/signup/start", {{"email", email}}).status == 202);
    std::string code = CodeFromMail(email, before + 1);
    auto v = Post("/api/v1/signup/verify", {{"email", email}, {"code", code}});
    REQUIRE(v.status == 200);
    return Post("/api/v1/signup/complete", {{"signup_token", v.body["signup_token"]},
                                            {"password", password},
                                            {"customer_number", cn},
                                            {"bureau_phone", bureau_phone},
                                            {"applicant_phone", "090-1111-2222"},
                                            {"agree_terms", true}});
  }

  // Outbox rows (mail or SMS, any kind, any state) to addr. The outbox is written in the transaction of the
  // change, so once a request has been answered a row it did not write will never exist: a row count of 0
  // proves "nothing was or will be sent" without waiting.
  int OutboxTo(const std::string& addr) {
    std::lock_guard lock(App().db_mutex);
    auto q = App().db->Prepare("SELECT COUNT(*) FROM mail_outbox WHERE to_addr = ?");
    q.Bind(1, addr);
    q.Step();
    return static_cast<int>(q.Int(0));
  }
  // Waits (on the outbox state, not on a timer) until no row is pending or sending: what the SMTP server has
  // received is then all it will ever receive. False if rows are still moving after kWaitLimit.
  bool WaitOutboxSettled() {
    return WaitUntil([&] { return OutboxMoving() == 0; }, kWaitLimit, std::chrono::milliseconds(20));
  }

  void ForgetCookie() { cookie_.clear(); }
  // A header sent with every later request (e.g. a counter kiosk's X-Mizu-Kiosk); "" stops sending it.
  void AlwaysSend(const std::string& name, const std::string& value) {
    always_.erase(name);
    if (!value.empty()) always_.emplace(name, value);
  }
  std::string Cookie() const { return cookie_; }
  void UseCookie(std::string c) { cookie_ = std::move(c); }
  backend::App& App() { return server_.App(); }
  httplib::Client Client() const { return server_.Client(); }
  TestServer& Server() { return server_; }

 private:
  int OutboxMoving() {
    std::lock_guard lock(App().db_mutex);
    auto q = App().db->Prepare("SELECT COUNT(*) FROM mail_outbox WHERE status IN ('pending', 'sending')");
    q.Step();
    return static_cast<int>(q.Int(0));
  }

  TempDir dir_;  // first: removed after the server and the SMTP server have stopped
  SmtpServer smtp_;
  TestServer server_;
  std::string cookie_;
  httplib::Headers always_;
};

inline std::string ErrorCode(const Reply& r) {
  return r.body.is_object() ? r.body["error"].value("code", "") : "";
}

}  // namespace mizu::testing
