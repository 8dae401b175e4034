#pragma once
// Helpers for the watch tests: a real server on a data folder that survives restarts (stop it, start a new
// one on the same folder), its test clock set BEFORE the background threads start, mail through a real SMTP
// server (aiosmtpd) that outlives the restarts, meter registers stored through StoreReadings, and waits on
// the scheduler's polls instead of fixed sleeps.
#include <sys/wait.h>

#include <array>
#include <functional>
#include <optional>

#include "accounts_helpers.hpp"
#include "mizu/backend/ingest.hpp"
#include "mizu/backend/watch.hpp"
#include "mizu/time.hpp"

namespace mizu::testing {

inline int64_t At(const std::string& iso) {
  auto t = ParseIso8601(iso);
  REQUIRE(t);
  return *t;
}

// One server process's worth: App + HttpServer on an ephemeral port, on an existing data folder.
class WatchServer {
 public:
  WatchServer(const fs::path& data_dir, const std::string& smtp_url, int64_t clock_utc,
              const std::function<void(backend::Config&)>& tweak = {}) {
    backend::Config config;
    config.data_dir = data_dir.string();
    config.database_url = TestDatabaseUrl(data_dir);
    config.test_mode = true;
    config.password_hash_log2_n = 10;
    config.mail.transport = "smtp";
    config.mail.smtp_url = smtp_url;
    if (tweak) tweak(config);
    app_ = backend::OpenApp(config);
    app_->clock.Set(clock_utc);  // before the scheduler's first look
    backend::StartBackground(*app_);
    server_ = std::make_unique<backend::HttpServer>(*app_);
    port_ = server_->Bind("127.0.0.1", 0);
    thread_ = std::thread([this] { server_->Run(); });
    WaitUntil([&] { return static_cast<bool>(Client().Get("/healthz")); });
  }
  ~WatchServer() {
    server_->Stop();
    thread_.join();
    server_.reset();
    app_.reset();  // stops the scheduler, then the relay
  }
  httplib::Client Client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(5);
    c.set_read_timeout(20);
    return c;
  }
  backend::App& App() { return *app_; }

 private:
  std::unique_ptr<backend::App> app_;
  std::unique_ptr<backend::HttpServer> server_;
  std::thread thread_;
  int port_ = 0;
};

class WatchPortal {
 public:
  // `tweak` changes the config of every server start (e.g. the utility's watch settings).
  explicit WatchPortal(const std::string& start = kFridayAfternoon,
                       std::function<void(backend::Config&)> tweak = {})
      : dir_("mizu-watch"), smtp_(dir_ / "maildir"), tweak_(std::move(tweak)) {
    Start(start);
    std::lock_guard lock(App().db_mutex);
    backend::ImportCustomers(*App().db, kCustomersCsv, {{}, &App().tariff}, 0);
  }
  ~WatchPortal() {
    server_.reset();
    DropTestDatabase(dir_ / "data");
  }

  void Start(const std::string& iso) {
    server_ = std::make_unique<WatchServer>(dir_ / "data", smtp_.Url(), At(iso), tweak_);
  }
  void Stop() { server_.reset(); }
  fs::path DataDir() const { return dir_ / "data"; }

  void SetClock(const std::string& iso) { REQUIRE(Post("/api/v1/test/clock", {{"now", iso}}).status == 200); }

  Reply Send(const std::string& method, const std::string& path, const json& body = nullptr,
             httplib::Headers headers = {}) {
    auto client = server_->Client();
    if (!cookie_.empty()) headers.emplace("Cookie", "mizu_session=" + cookie_);
    const std::string text = body.is_null() ? "{}" : body.dump();
    httplib::Result res = method == "GET"      ? client.Get(path.c_str(), headers)
                          : method == "DELETE" ? client.Delete(path.c_str(), headers)
                          : method == "PUT"    ? client.Put(path.c_str(), headers, text, "application/json")
                                               : client.Post(path.c_str(), headers, text, "application/json");
    REQUIRE(res);
    Reply r{res->status, json(), res->get_header_value("Set-Cookie"), res->get_header_value("Retry-After")};
    if (!res->body.empty()) r.body = json::parse(res->body, nullptr, false);
    if (r.body.is_discarded()) r.body = res->body;  // HTML pages come back as a string
    std::smatch m;
    if (std::regex_search(r.set_cookie, m, std::regex("mizu_session=([^;]*)"))) cookie_ = m[1];
    return r;
  }
  Reply Post(const std::string& path, const json& body) { return Send("POST", path, body); }
  Reply Get(const std::string& path) { return Send("GET", path); }
  Reply PutWatch(const std::string& cn, const json& body) { return Send("PUT", WatchPath(cn), body); }
  static std::string WatchPath(const std::string& cn) { return "/api/v1/contracts/" + cn + "/watch"; }

  json Mails() { return smtp_.Count() ? Inspect(smtp_.NewDir()) : json::array(); }
  // Delivered mails to addr whose subject contains `subject_part`, in creation order (Message-ID order).
  std::vector<json> MailsTo(const std::string& addr, const std::string& subject_part = "") {
    std::vector<json> out;
    for (auto& m : Mails())
      if (m["to_addr"] == addr && m["subject"].get<std::string>().find(subject_part) != std::string::npos)
        out.push_back(m);
    std::sort(out.begin(), out.end(),
              [](const json& a, const json& b) { return a["message_id"] < b["message_id"]; });
    return out;
  }
  std::vector<json> WaitForMails(const std::string& addr, size_t n, const std::string& subject_part = "") {
    WaitUntil([&] { return MailsTo(addr, subject_part).size() >= n; }, kWaitLimit,
              std::chrono::milliseconds(50));
    return MailsTo(addr, subject_part);
  }
  // Outbox rows to addr of one kind (what the scheduler wrote, delivered or not).
  int64_t Outbox(const std::string& addr, const std::string& kind) {
    std::lock_guard lock(App().db_mutex);
    auto q = App().db->Prepare("SELECT count(*) FROM mail_outbox WHERE to_addr = ? AND kind = ?");
    q.Bind(1, addr).Bind(2, kind);
    q.Step();
    return q.Int(0);
  }
  int64_t Count(const std::string& sql) {
    std::lock_guard lock(App().db_mutex);
    auto q = App().db->Prepare(sql);
    q.Step();
    return q.Int(0);
  }
  // Returns once the scheduler has completed `n` more polls (so it has seen the current clock).
  void WaitPolls(uint64_t n = 2) {
    const uint64_t target = App().watch_scheduler->Polls() + n;
    REQUIRE(WaitUntil([&] { return App().watch_scheduler->Polls() >= target; }));
  }

  // Registers of `meter` at first, first+1h, …: a negative value leaves that instant absent.
  void StoreRegisters(const std::string& meter, const std::string& first_iso,
                      const std::vector<int64_t>& regs) {
    std::vector<backend::ReadingRow> rows;
    for (size_t i = 0; i < regs.size(); ++i)
      if (regs[i] >= 0) rows.push_back({meter, At(first_iso) + static_cast<int64_t>(i) * 3600, regs[i], 0});
    std::lock_guard lock(App().db_mutex);
    for (auto o : backend::StoreReadings(*App().db, rows)) REQUIRE(o == backend::StoreOutcome::kAccepted);
  }

  // The accounts flow over HTTP (start → code from the delivered mail → verify → complete).
  Reply SignUp(const std::string& email, const std::string& cn = "00000008002",
               const std::string& phone = "0467-12-3456") {
    const size_t before = MailsTo(email).size();
    REQUIRE(Post("/api/v1/signup/start", {{"email", email}}).status == 202);
    auto mails = WaitForMails(email, before + 1);
    REQUIRE(mails.size() == before + 1);
    std::smatch m;
    const std::string body = mails.back()["body"];
    REQUIRE(std::regex_search(body, m, std::regex("([0-9]{6})")));
    auto v = Post("/api/v1/signup/verify", {{"email", email}, {"code", m[1].str()}});
    REQUIRE(v.status == 200);
    auto done = Post("/api/v1/signup/complete", {{"signup_token", v.body["signup_token"]},
                                                 {"password", kPassword},
                                                 {"customer_number", cn},
                                                 {"bureau_phone", phone},
                                                 {"applicant_phone", "090-1111-2222"},
                                                 {"agree_terms", true}});
    if (done.status == 201) Login(email);  // remembered: the tests jump the clock by days
    return done;
  }
  void Login(const std::string& email) {
    REQUIRE(Post("/api/v1/login", {{"email", email}, {"password", kPassword}, {"remember", true}}).status ==
            200);
  }
  static constexpr const char* kPassword = "みずもり水道 2026 なつ";

  void ForgetCookie() { cookie_.clear(); }
  std::string Cookie() const { return cookie_; }
  void UseCookie(std::string c) { cookie_ = std::move(c); }
  backend::App& App() { return server_->App(); }

 private:
  TempDir dir_;  // first: removed after the server and the SMTP server have stopped
  SmtpServer smtp_;
  std::function<void(backend::Config&)> tweak_;
  std::unique_ptr<WatchServer> server_;
  std::string cookie_;
};

// The stop link in a mail body.
inline std::string StopLink(const std::string& body) {
  std::smatch m;
  REQUIRE(std::regex_search(body, m, std::regex(R"((/api/v1/watch/stop\?token=[0-9a-f]{64}))")));
  return m[1];
}

inline bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

struct MizumoriRun {
  int code;
  std::string out;
};

// Runs the real mizumori binary; stdout captured.
inline MizumoriRun RunMizumoriCli(const std::string& args) {
  const std::string cmd = std::string(MIZU_BINARY) + " " + args + " 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace mizu::testing
