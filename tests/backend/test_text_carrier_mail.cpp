// Legacy carrier addresses (hanako..suzuki@docomo.ne.jp: consecutive dots, a dot before '@', a leading dot)
// through sign-up, watch recipients and applications, delivered to a real SMTP server (aiosmtpd): the
// envelope must say RCPT TO:<"hanako..suzuki"@docomo.ne.jp> (RFC 5321 §4.1.2: a local part that is not a
// dot-atom travels as a Quoted-string) and the To: header the same (RFC 5322 §3.4.1).
#include <fstream>
#include <iterator>
#include <regex>

#include "accounts_helpers.hpp"
#include "mizu/time.hpp"

using namespace mizu::testing;
namespace backend = mizu::backend;
using mizu::ParseIso8601;

namespace {

std::string ReadAll(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A server mailing through aiosmtpd run with -dd: its log holds every SMTP command line it read.
class CarrierPortal {
 public:
  CarrierPortal()
      : dir_("mizu-carrier"), smtp_(dir_ / "maildir", false, {"-dd"}), server_([this](backend::Config& c) {
          c.mail.transport = "smtp";
          c.mail.smtp_url = smtp_.Url();
        }) {
    std::lock_guard lock(server_.App().db_mutex);
    backend::ImportCustomers(*server_.App().db, kCustomersCsv, {{}, &server_.App().tariff}, 0);
    server_.App().clock.Set(*ParseIso8601(kFridayAfternoon));
  }

  Reply Send(const std::string& method, const std::string& path, const json& body) {
    auto client = server_.Client();
    httplib::Headers headers;
    if (!cookie_.empty()) headers.emplace("Cookie", "mizu_session=" + cookie_);
    auto res = method == "PUT" ? client.Put(path.c_str(), headers, body.dump(), "application/json")
                               : client.Post(path.c_str(), headers, body.dump(), "application/json");
    REQUIRE(res);
    std::smatch m;
    const std::string set_cookie = res->get_header_value("Set-Cookie");
    if (std::regex_search(set_cookie, m, std::regex("mizu_session=([^;]*)"))) cookie_ = m[1];
    return {res->status, json::parse(res->body, nullptr, false), set_cookie, ""};
  }
  // The delivered mails whose envelope recipient (X-RcptTo, as aiosmtpd parsed it) is `addr`.
  json WaitForMails(const std::string& addr, size_t n) {
    json out = json::array();
    WaitUntil(
        [&] {
          out = json::array();
          if (smtp_.Count())
            for (auto& m : Inspect(smtp_.NewDir()))
              if (m["to_addr"] == addr) out.push_back(m);
          return out.size() >= n;
        },
        kWaitLimit, std::chrono::milliseconds(25));
    return out;
  }
  std::string SmtpLog() const {
    return ReadAll(dir_ / ("aiosmtpd-" + std::to_string(smtp_.Port()) + ".log"));
  }
  std::string RawMail(const std::string& file) const { return ReadAll(smtp_.NewDir() / file); }

 private:
  TempDir dir_;  // first: removed after the server and the SMTP server have stopped
  SmtpServer smtp_;
  TestServer server_;
  std::string cookie_;
};

}  // namespace

TEST_CASE("carrier-style addresses sign up, receive watch mail and applications, quoted on the wire",
          "[text][mail]") {
  CarrierPortal p;
  const std::string hanako = "hanako..suzuki@docomo.ne.jp";
  REQUIRE(p.Send("POST", "/api/v1/signup/start", {{"email", hanako}}).status == 202);
  auto code_mail = p.WaitForMails(hanako, 1);
  REQUIRE(code_mail.size() == 1);
  std::smatch m;
  const std::string body = code_mail[0]["body"];
  REQUIRE(std::regex_search(body, m, std::regex("([0-9]{6})")));
  // The same mailbox typed quoted is the same address.
  auto v = p.Send("POST", "/api/v1/signup/verify",
                  {{"email", "\"hanako..suzuki\"@docomo.ne.jp"}, {"code", m[1].str()}});
  REQUIRE(v.status == 200);
  auto done = p.Send("POST", "/api/v1/signup/complete",
                     {{"signup_token", v.body["signup_token"]},
                      {"password", "みずもり水道 2026 なつ"},
                      {"customer_number", "00000008002"},
                      {"bureau_phone", "0467-12-3456"},
                      {"applicant_phone", "090-1111-2222"},
                      {"agree_terms", true}});
  REQUIRE(done.status == 201);

  auto watch = p.Send("PUT", "/api/v1/contracts/00000008002/watch",
                      {{"start_hours", {6}},
                       {"recipients",
                        {{{"name", "娘"}, {"email", ".hanako@ezweb.ne.jp"}},
                         {{"name", "息子"}, {"email", "taro.@docomo.ne.jp"}}}}});
  REQUIRE(watch.status == 200);
  CHECK(watch.body["mailed"] == json({".hanako@ezweb.ne.jp", "taro.@docomo.ne.jp"}));

  auto application = p.Send("POST", "/api/v1/applications/move-in",
                            {{"address", "水守市桜台2-3-4"},
                             {"name", "田中 陽子"},
                             {"name_kana", "タナカ ヨウコ"},
                             {"phone", "090-1234-5678"},
                             {"email", "\"yoko..tanaka\"@docomo.ne.jp"},  // already quoted: accepted as is
                             {"desired_date", "2026-11-24"},
                             {"payment_method", "口座振替"}});
  REQUIRE(application.status == 201);

  REQUIRE(p.WaitForMails(".hanako@ezweb.ne.jp", 1).size() == 1);
  REQUIRE(p.WaitForMails("taro.@docomo.ne.jp", 1).size() == 1);
  auto yoko = p.WaitForMails("yoko..tanaka@docomo.ne.jp", 1);
  REQUIRE(yoko.size() == 1);

  const std::string log = p.SmtpLog();
  for (const char* rcpt : {"RCPT TO:<\"hanako..suzuki\"@docomo.ne.jp>", "RCPT TO:<\".hanako\"@ezweb.ne.jp>",
                           "RCPT TO:<\"taro.\"@docomo.ne.jp>", "RCPT TO:<\"yoko..tanaka\"@docomo.ne.jp>"}) {
    INFO(rcpt);
    CHECK(log.find(rcpt) != std::string::npos);
  }
  CHECK(log.find("RCPT TO:<hanako..suzuki@") == std::string::npos);  // never the bare form
  // The To: header: quoted, and Python's RFC 5322 parser finds nothing wrong with it.
  for (const json& mail : {code_mail[0], yoko[0]}) {
    CHECK(mail["defects"] == json::array());
    const std::string raw = p.RawMail(mail["file"]);
    std::smatch to;  // the To: header, unfolded: `To: "…"@…` or `To: =?UTF-8?B?…?= <"…"@…>`
    REQUIRE(std::regex_search(raw, to, std::regex("\nTo: ((?:[^\r\n]|\r?\n )*)")));
    const std::string addr = mail["to_addr"];
    const std::string quoted = "\"" + addr.substr(0, addr.rfind('@')) + "\"" + addr.substr(addr.rfind('@'));
    INFO(to[1].str());
    CHECK(to[1].str().find(quoted) != std::string::npos);
  }
}

TEST_CASE("addresses that are not even carrier-style are still refused", "[text][mail]") {
  Portal p;
  for (const char* bad : {"..@docomo.ne.jp", "hanako suzuki@docomo.ne.jp", "\"hanako\"suzuki@docomo.ne.jp",
                          "hanako@docomo..ne.jp", "\"\"@docomo.ne.jp"}) {
    INFO(bad);
    auto r = p.Post("/api/v1/signup/start", {{"email", bad}});
    CHECK(r.status == 400);
    CHECK(ErrorCode(r) == "email_invalid");
  }
}
