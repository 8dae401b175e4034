#pragma once
// Helpers for the tests of accounts whose login ID is a mobile number: the SMS the `file` transport wrote
// (<data>/sms/), the codes in them, a mobile sign-up over HTTP, and the outbox rows to a number.
#include <fstream>
#include <sstream>

#include "accounts_helpers.hpp"

namespace mizu::testing {

struct Sms {
  std::string file, to, body;
};

// Every SMS the file transport wrote, oldest first (file names start with the outbox key: time, then row id).
inline std::vector<Sms> SmsFiles(Portal& p) {
  std::vector<Sms> out;
  fs::path dir = p.Server().Dir() / "data" / "sms";
  if (!fs::exists(dir)) return out;
  for (auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (name.empty() || name[0] == '.' || e.path().extension() != ".txt") continue;
    std::ifstream in(e.path());
    std::stringstream text;
    text << in.rdbuf();
    std::string all = text.str();
    Sms s{name, "", ""};
    REQUIRE(all.rfind("To: ", 0) == 0);
    s.to = all.substr(4, all.find('\n') - 4);
    auto blank = all.find("\n\n");
    REQUIRE(blank != std::string::npos);
    s.body = all.substr(blank + 2);
    out.push_back(s);
  }
  std::sort(out.begin(), out.end(), [](const Sms& a, const Sms& b) { return a.file < b.file; });
  return out;
}

inline std::vector<Sms> SmsTo(Portal& p, const std::string& to) {
  std::vector<Sms> out;
  for (auto& s : SmsFiles(p))
    if (s.to == to) out.push_back(s);
  return out;
}

inline std::vector<Sms> WaitForSms(Portal& p, const std::string& to, size_t n) {
  WaitUntil([&] { return SmsTo(p, to).size() >= n; }, kWaitLimit, std::chrono::milliseconds(20));
  return SmsTo(p, to);
}

inline std::string CodeIn(const std::string& body) {
  std::smatch m;
  REQUIRE(std::regex_search(body, m, std::regex("([0-9]{6})")));
  return m[1];
}

// The n-th SMS to `to` (waiting for it) and the code in it.
inline std::string CodeFromSms(Portal& p, const std::string& to, size_t nth = 1) {
  auto all = WaitForSms(p, to, nth);
  REQUIRE(all.size() >= nth);
  return CodeIn(all[nth - 1].body);
}

inline Reply SignUpMobile(Portal& p, const std::string& mobile_input, const std::string& mobile,
                          const std::string& cn = "00000008002", const std::string& bureau = "0467-12-3456",
                          const std::string& password = "みずもり水道 2026 なつ") {
  size_t before = SmsTo(p, mobile).size();
  REQUIRE(p.Post("/api/v1/signup/start", {{"mobile", mobile_input}}).status == 202);
  std::string code = CodeFromSms(p, mobile, before + 1);
  auto v = p.Post("/api/v1/signup/verify", {{"mobile", mobile_input}, {"code", code}});
  REQUIRE(v.status == 200);
  return p.Post("/api/v1/signup/complete", {{"signup_token", v.body["signup_token"]},
                                            {"password", password},
                                            {"customer_number", cn},
                                            {"bureau_phone", bureau},
                                            {"applicant_phone", "090-1111-2222"},
                                            {"agree_terms", true}});
}

inline std::vector<backend::OutboxEntry> Outbox(Portal& p, const std::string& to) {
  std::lock_guard lock(p.App().db_mutex);
  return backend::MailsTo(*p.App().db, to);
}

}  // namespace mizu::testing
