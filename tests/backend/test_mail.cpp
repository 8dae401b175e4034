// The mail outbox and its delivery, against a real SMTP server (Debian's aiosmtpd on an ephemeral loopback
// port) and real SQLite files. Delivered messages are decoded by Python's email package — an independent
// parser — so the MIME rendering is checked by something that did not write it.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "mizu/backend/mail.hpp"
#include "smtp_fixture.hpp"
#include "temp_dir.hpp"
#include "wait_until.hpp"

namespace fs = std::filesystem;
using namespace mizu::backend;
using mizu::testing::Inspect;
using mizu::testing::ReservedPort;
using mizu::testing::SmtpServer;
using mizu::testing::TempDir;
using mizu::testing::WaitUntil;
using nlohmann::json;

extern char** environ;

namespace {

// Outbox rows matching an SQL condition.
int64_t CountWhere(Database& db, const std::string& condition) {
  auto s = db.Prepare("SELECT count(*) FROM mail_outbox WHERE " + condition);
  s.Step();
  return s.Int(0);
}

// Message-ID (without brackets) for an outbox row, as RenderMail builds it with kFrom.
std::string MessageIdOf(Database& db, int64_t id) {
  return FindMail(db, id)->message_key + "@mizumori.example";
}

const std::string kFrom = "水守市水道局 <no-reply@mizumori.example>";
constexpr int64_t kT0 = 1795338000;  // 2026-11-22T18:00:00+09:00

OutgoingMail JapaneseMail(const std::string& to, int n = 0) {
  std::string subject = "【水守市水道局】ご登録の確認コード (" + std::to_string(n) + ")";
  std::string body = "山田 太郎 様\n\n確認コード: 123456\nこのコードは30分間有効です。\n\n水守市水道局\n";
  return {to, "山田 太郎", subject, body, "signup_code", "ja"};
}

// A fresh data folder with a migrated database, and a MailConfig pointing at it.
struct Fixture {
  TempDir dir{"mizu-mail"};  // first: removed after the database is closed
  std::string db_path = (dir / "mizumori.db").string();
  Database db{db_path};
  Clock clock;
  MailConfig config{"file", "", kFrom};
  Fixture() { clock.Set(kT0); }
  std::vector<int64_t> Enqueue(int count, const std::string& to = "taro@example.jp") {
    std::vector<int64_t> ids;
    db.Transaction([&] {
      for (int i = 0; i < count; ++i) ids.push_back(EnqueueMail(db, JapaneseMail(to, i), clock.Now()));
    });
    return ids;
  }
};

}  // namespace

TEST_CASE("rendering: Japanese subject, names and body decode, lines short, CRLF only", "[mail]") {
  const TempDir dir("mizu-mime");
  MailAddress from = ParseMailAddress(kFrom);
  CHECK((from.name == "水守市水道局" && from.addr == "no-reply@mizumori.example"));

  std::vector<OutgoingMail> mails;
  std::string long_subject;
  for (int i = 0; i < 12; ++i) long_subject += "水道料金のお知らせ（令和8年11月分）";  // ~230 characters
  mails.push_back({"hanako@example.jp", "佐藤 花子", long_subject, "本文\n二行目", "bill_notice", "ja"});
  mails.push_back({"a@example.jp", "", "Short ASCII subject", "plain\r\nbody\n", "x", "en"});
  mails.push_back({"b@example.jp", "O'Brien, \"Pat\"", "emoji 🚰 and かな mixed", "😀", "x", "en"});
  std::mt19937 rng(7);
  const std::vector<std::string> pieces = {"あ", "水", "ｶ", "A", " ", "🚰", "é", "=?", "ー", "、"};
  for (int i = 0; i < 40; ++i) {  // random mixes of 1- to 4-byte characters, at every length up to ~200
    std::string s, name;
    for (int n = 0; n < 1 + i * 5; ++n) {
      s += pieces[rng() % pieces.size()];
      if (n < 10 + i) name += pieces[rng() % pieces.size()];
    }
    mails.push_back({"r" + std::to_string(i) + "@example.jp", name, s, s + "\n" + s, "x", "ja"});
  }
  fs::create_directories(dir / "eml");
  std::vector<RenderedMail> rendered;
  for (size_t i = 0; i < mails.size(); ++i) {
    INFO(mails[i].subject);
    REQUIRE_NOTHROW(ValidateMail(mails[i]));
    char key[32];
    std::snprintf(key, sizeof key, "k%03zu", i);
    rendered.push_back(RenderMail(mails[i], from, key, kT0));
    const std::string& data = rendered.back().data;
    for (size_t pos = 0, next; pos < data.size(); pos = next + 2) {
      next = data.find("\r\n", pos);
      REQUIRE(next != std::string::npos);  // ends with CRLF
      std::string line = data.substr(pos, next - pos);
      CHECK(line.size() <= 76);
      CHECK(line.find('\n') == std::string::npos);
      CHECK(line.find('\r') == std::string::npos);
      for (unsigned char c : line) CHECK(c < 0x80);  // 7-bit
    }
    std::ofstream(dir / "eml" / (std::string(key) + ".eml"), std::ios::binary) << data;
  }
  // The long subject became several encoded-words, each on its own folded line.
  const std::string& first = rendered[0].data;
  std::string subject_header =
      first.substr(first.find("Subject: "), first.find("\r\nMessage-ID") - first.find("Subject: "));
  size_t words = 0;
  for (size_t p = 0; (p = subject_header.find("=?UTF-8?B?", p)) != std::string::npos; ++p) ++words;
  CHECK(words >= 8);
  CHECK(rendered[1].data.find("Subject: Short ASCII subject\r\n") != std::string::npos);
  CHECK(first.find("Content-Type: text/plain; charset=UTF-8\r\n") != std::string::npos);
  CHECK(first.find("Content-Transfer-Encoding: base64\r\n") != std::string::npos);
  CHECK(first.find("Date: Sun, 22 Nov 2026 18:00:00 +0900\r\n") != std::string::npos);
  CHECK(rendered[0].message_id == "k000@mizumori.example");
  CHECK(first.find("Message-ID: <k000@mizumori.example>\r\n") != std::string::npos);

  json parsed = Inspect(dir / "eml");
  REQUIRE(parsed.size() == mails.size());
  for (size_t i = 0; i < mails.size(); ++i) {
    const json& m = parsed[i];
    INFO(m.dump());
    CHECK(m["defects"].empty());
    CHECK(m["subject"] == mails[i].subject);
    CHECK(m["to_name"] == mails[i].to_name);
    CHECK(m["to_addr"] == mails[i].to);
    CHECK(m["from_name"] == "水守市水道局");
    CHECK(m["from_addr"] == "no-reply@mizumori.example");
    std::string body = mails[i].body_text;
    for (size_t p; (p = body.find("\r\n")) != std::string::npos;) body.erase(p, 1);
    CHECK(m["body"] == body);
    CHECK(m["charset"] == "utf-8");
    CHECK(m["date"] == kT0);
  }
}

TEST_CASE("rendering refuses header injection, bad addresses and malformed UTF-8", "[mail]") {
  OutgoingMail ok = JapaneseMail("taro@example.jp");
  REQUIRE_NOTHROW(ValidateMail(ok));
  auto with = [&](auto change) {
    OutgoingMail m = ok;
    change(m);
    return m;
  };
  CHECK_THROWS_AS(ValidateMail(with([](auto& m) { m.subject = "hi\r\nBcc: victim@example.jp"; })),
                  std::invalid_argument);
  CHECK_THROWS_AS(ValidateMail(with([](auto& m) { m.to_name = "a\nb"; })), std::invalid_argument);
  CHECK_THROWS_AS(ValidateMail(with([](auto& m) { m.to = "a@example.jp>, b@example.jp"; })),
                  std::invalid_argument);
  CHECK_THROWS_AS(ValidateMail(with([](auto& m) { m.to = "not-an-address"; })), std::invalid_argument);
  CHECK_THROWS_AS(ValidateMail(with([](auto& m) { m.body_text = "\xff\xfe"; })), std::invalid_argument);
  CHECK_THROWS_AS(ValidateMail(with([](auto& m) { m.kind = ""; })), std::invalid_argument);
  CHECK_THROWS_AS(ParseMailAddress("Name <broken"), std::invalid_argument);
  CHECK_THROWS_AS(MakeTransport(MailConfig{"carrier-pigeon", "", kFrom}, "/tmp"), std::invalid_argument);
  CHECK_THROWS_AS(MakeTransport(MailConfig{"smtp", "http://127.0.0.1:1", kFrom}, "/tmp"),
                  std::invalid_argument);
}

TEST_CASE("outbox: a mail is enqueued only with its transaction", "[mail]") {
  Fixture f;
  CHECK_THROWS_AS(EnqueueMail(f.db, JapaneseMail("taro@example.jp"), kT0), std::logic_error);
  CHECK_THROWS(f.db.Transaction([&] {
    EnqueueMail(f.db, JapaneseMail("taro@example.jp"), kT0);
    throw std::runtime_error("the change that caused the mail failed");
  }));
  CHECK(MailsTo(f.db, "taro@example.jp").empty());
  CHECK(CountWhere(f.db, "status = 'pending'") == 0);

  auto ids = f.Enqueue(2);
  auto listed = MailsTo(f.db, "TARO@example.jp");  // staff look-ups ignore case
  REQUIRE(listed.size() == 2);
  CHECK(listed[0].id == ids[1]);  // newest first
  CHECK((listed[0].status == "pending" && listed[0].attempts == 0));
  CHECK(listed[0].created_at == kT0);
  CHECK(listed[0].kind == "signup_code");
  CHECK_FALSE(listed[0].sent_at);
  CHECK(listed[1].message_key < listed[0].message_key);  // keys (Message-IDs, .eml names) sort by creation
}

TEST_CASE("outbox: concurrent claims never return the same row, expired leases come back", "[mail]") {
  Fixture f;
  f.db.Transaction([&] {
    for (int i = 0; i < 300; ++i) EnqueueMail(f.db, JapaneseMail("taro@example.jp", i), kT0);
  });
  std::vector<std::vector<int64_t>> taken(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Database db(f.db_path);
      for (;;) {
        auto batch = ClaimDueMails(db, kT0, 7, 600);
        if (batch.empty()) break;
        for (auto& c : batch) taken[t].push_back(c.id);
      }
    });
  }
  for (auto& t : threads) t.join();
  std::multiset<int64_t> all;
  for (auto& v : taken) all.insert(v.begin(), v.end());
  CHECK(all.size() == 300);
  CHECK(std::set<int64_t>(all.begin(), all.end()).size() == 300);

  // A worker crashed holding a claim: nobody gets the row until the lease ends, then it is due again.
  Fixture g;
  g.Enqueue(1);
  auto held = ClaimDueMails(g.db, kT0, 10, 600);
  REQUIRE(held.size() == 1);
  CHECK(ClaimDueMails(g.db, kT0 + 599, 10, 600).empty());
  // A sender that is alive (its id in flight in this process) keeps the row even when the clock jumps past
  // the lease (the test clock does): no second sender, no duplicate mail.
  CHECK(ClaimDueMails(g.db, kT0 + 86400, 10, 600, {held[0].id}).empty());
  auto again = ClaimDueMails(g.db, kT0 + 600, 10, 600);
  REQUIRE(again.size() == 1);
  CHECK(again[0].message_key == held[0].message_key);   // same Message-ID on the re-send
  CHECK_FALSE(MarkMailSent(g.db, held[0], kT0 + 601));  // the stale claim cannot mark it
  CHECK(MarkMailSent(g.db, again[0], kT0 + 601));
  CHECK(FindMail(g.db, again[0].id)->status == "sent");
}

TEST_CASE("smtp: each outbox row is delivered once, decodes, and is marked sent", "[mail]") {
  Fixture f;
  SmtpServer server(f.dir / "maildir");
  f.config.transport = "smtp";
  f.config.smtp_url = server.Url();
  auto ids = f.Enqueue(3);
  MailRelay relay(f.db_path, f.config, f.dir.Path().string(), f.clock, 1);
  CHECK(relay.RunOnce() == 3);
  CHECK(relay.RunOnce() == 0);
  REQUIRE(server.Count() == 3);

  json parsed = Inspect(server.NewDir());
  std::map<std::string, int> seen;
  for (const json& m : parsed) {
    INFO(m.dump());
    seen[m["message_id"].get<std::string>()]++;
    CHECK(m["defects"].empty());
    CHECK(m["subject"].get<std::string>().rfind("【水守市水道局】ご登録の確認コード (", 0) == 0);
    CHECK(m["to_name"] == "山田 太郎");
    CHECK(m["to_addr"] == "taro@example.jp");
    CHECK(m["from_name"] == "水守市水道局");
    CHECK(m["body"] == JapaneseMail("x@example.jp").body_text);
    CHECK(m["rcpt"] == "taro@example.jp");
    CHECK(m["mail_from"] == "no-reply@mizumori.example");
  }
  for (int64_t id : ids) {
    CHECK(seen["<" + MessageIdOf(f.db, id) + ">"] == 1);
    auto row = FindMail(f.db, id);
    CHECK(row->status == "sent");
    CHECK(row->attempts == 1);
    CHECK(row->sent_at == kT0);
    CHECK(row->last_error.empty());
  }
}

TEST_CASE("smtp: one transport reuses its connection across messages", "[mail]") {
  Fixture f;
  SmtpServer server(f.dir / "maildir");
  SmtpTransport transport(server.Url());
  MailAddress from = ParseMailAddress(kFrom);
  for (int i = 0; i < 5; ++i)
    transport.Send(RenderMail(JapaneseMail("taro@example.jp", i), from, "k" + std::to_string(i), kT0));
  CHECK(transport.ConnectionsOpened() == 1);
  CHECK(server.Count() == 5);
}

TEST_CASE("smtp: STARTTLS is used when offered, the certificate is verified, smtps works", "[mail]") {
  Fixture f;
  std::string cert = (f.dir / "cert.pem").string(), key = (f.dir / "key.pem").string();
  std::string openssl =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
      "-subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 -keyout " +
      key + " -out " + cert + " 2>/dev/null";
  REQUIRE(std::system(openssl.c_str()) == 0);
  RenderedMail mail = RenderMail(JapaneseMail("taro@example.jp"), ParseMailAddress(kFrom), "tls", kT0);
  {
    // This server refuses MAIL before STARTTLS (aiosmtpd's require_starttls): a delivery proves TLS was used.
    SmtpServer server(f.dir / "starttls", false, {"--tlscert", cert, "--tlskey", key});
    SmtpTransport trusted(server.Url(), cert);
    CHECK_NOTHROW(trusted.Send(mail));
    CHECK(server.Count() == 1);
    SmtpTransport untrusted(server.Url());  // the system's CAs do not know this certificate
    CHECK_THROWS_MATCHES(
        untrusted.Send(mail), MailSendError,
        Catch::Predicate<MailSendError>([](auto& e) { return !e.Permanent(); }, "transient"));
    CHECK(server.Count() == 1);
  }
  ReservedPort reserved;
  const int port = reserved.Port();
  SmtpServer server(f.dir / "smtps", false, {"--smtpscert", cert, "--smtpskey", key}, std::move(reserved));
  SmtpTransport implicit_tls("smtps://127.0.0.1:" + std::to_string(port), cert);
  CHECK_NOTHROW(implicit_tls.Send(mail));
  CHECK(server.Count() == 1);
}

TEST_CASE("smtp: a relay started before the server keeps mail pending, then delivers once it is up",
          "[mail]") {
  Fixture f;
  ReservedPort reserved;  // bound, not listening: connections are refused until the server takes it
  const int port = reserved.Port();
  f.config.transport = "smtp";
  f.config.smtp_url = "smtp://127.0.0.1:" + std::to_string(port);
  RelayOptions options;
  options.poll_interval = std::chrono::milliseconds(50);
  MailRelay relay(f.db_path, f.config, f.dir.Path().string(), f.clock, 2, options);
  relay.Start();
  auto ids = f.Enqueue(3);
  relay.Notify();
  REQUIRE(WaitUntil([&] { return CountWhere(f.db, "attempts >= 1") == 3; }));
  for (int64_t id : ids) {
    auto row = FindMail(f.db, id);
    CHECK(row->status == "pending");
    CHECK(row->attempts == 1);
    CHECK(row->next_attempt_at == kT0 + options.retry.first_delay_seconds);
    CHECK_FALSE(row->last_error.empty());
    INFO(row->last_error);
  }
  SmtpServer server(f.dir / "maildir", false, {}, std::move(reserved));
  f.clock.Set(kT0 + options.retry.first_delay_seconds);  // the retry is due
  relay.Notify();
  REQUIRE(WaitUntil([&] { return CountWhere(f.db, "status = 'sent'") == 3; }));
  relay.Stop();
  CHECK(server.Count() == 3);
  for (int64_t id : ids) {
    auto row = FindMail(f.db, id);
    CHECK(row->attempts == 2);
    CHECK(row->sent_at == kT0 + options.retry.first_delay_seconds);
  }
}

TEST_CASE("smtp: 5xx rejections fail after a few attempts, 4xx keep retrying with backoff", "[mail]") {
  Fixture f;
  SmtpServer server(f.dir / "maildir", /*picky=*/true);
  f.config.transport = "smtp";
  f.config.smtp_url = server.Url();
  int64_t rejected = 0, deferred = 0, fine = 0;
  f.db.Transaction([&] {
    rejected = EnqueueMail(f.db, JapaneseMail("reject@example.jp"), kT0);
    deferred = EnqueueMail(f.db, JapaneseMail("later@example.jp"), kT0);
    fine = EnqueueMail(f.db, JapaneseMail("fine@example.jp"), kT0);
  });
  RelayOptions options;
  MailRelay relay(f.db_path, f.config, f.dir.Path().string(), f.clock, 1, options);
  CHECK(relay.RunOnce() == 1);
  CHECK(FindMail(f.db, fine)->status == "sent");
  auto r = FindMail(f.db, rejected);
  CHECK(r->status == "pending");
  CHECK(r->last_error.find("550") != std::string::npos);
  CHECK(r->next_attempt_at == kT0 + 60);
  auto d = FindMail(f.db, deferred);
  CHECK(d->last_error.find("451") != std::string::npos);

  f.clock.Set(kT0 + 60);
  CHECK(relay.RunOnce() == 0);
  CHECK(FindMail(f.db, rejected)->next_attempt_at == kT0 + 60 + 120);  // doubled
  f.clock.Set(kT0 + 180);
  CHECK(relay.RunOnce() == 0);
  r = FindMail(f.db, rejected);
  CHECK(r->status == "failed");  // permanent_max_attempts = 3
  CHECK(r->attempts == 3);
  CHECK(FindMail(f.db, deferred)->status == "pending");
  CHECK(FindMail(f.db, deferred)->attempts == 3);

  f.clock.Set(kT0 + options.retry.transient_give_up_seconds);  // 4xx for days: give up, visibly
  CHECK(relay.RunOnce() == 0);
  d = FindMail(f.db, deferred);
  CHECK(d->status == "failed");
  CHECK(d->last_error.find("451") != std::string::npos);
  CHECK(server.Count() == 1);

  CHECK(RequeueMail(f.db, rejected, f.clock.Now()));  // staff: try again
  CHECK(FindMail(f.db, rejected)->status == "pending");
  CHECK_FALSE(RequeueMail(f.db, fine, f.clock.Now()));  // only failed rows
}

TEST_CASE("smtp: parallel workers deliver every message exactly once", "[mail]") {
  Fixture f;
  SmtpServer server(f.dir / "maildir");
  f.config.transport = "smtp";
  f.config.smtp_url = server.Url();
  constexpr int kCount = 120;
  auto ids = f.Enqueue(kCount);
  RelayOptions options;
  options.claim_batch = 3;
  MailRelay relay(f.db_path, f.config, f.dir.Path().string(), f.clock, 4, options);
  relay.Start();
  relay.Notify();
  REQUIRE(WaitUntil([&] { return CountWhere(f.db, "status = 'sent'") == kCount; }));
  relay.Stop();
  REQUIRE(server.Count() == kCount);
  std::map<std::string, int> seen;
  for (auto& e : fs::directory_iterator(server.NewDir())) {
    std::ifstream in(e.path());
    for (std::string line; std::getline(in, line);)
      if (line.rfind("Message-ID: ", 0) == 0) seen[line.substr(12, line.find('>') - 11)]++;
  }
  CHECK(seen.size() == kCount);
  for (int64_t id : ids) {
    CHECK(seen["<" + MessageIdOf(f.db, id) + ">"] == 1);
    CHECK(FindMail(f.db, id)->attempts == 1);
  }
}

TEST_CASE("file transport writes one parseable .eml per message, durably and idempotently", "[mail]") {
  Fixture f;
  auto ids = f.Enqueue(2);
  MailRelay relay(f.db_path, f.config, f.dir.Path().string(), f.clock, 2);
  CHECK(relay.RunOnce() == 2);
  auto eml_files = [&] {
    std::set<std::string> names;  // every file, so a left-behind temp file would show
    for (auto& e : fs::directory_iterator(f.dir / "mail")) names.insert(e.path().filename().string());
    return names;
  };
  auto files = eml_files();
  REQUIRE(files.size() == 2);
  for (auto& name : files) CHECK(fs::path(name).extension() == ".eml");
  json parsed = Inspect(f.dir / "mail");
  for (const json& m : parsed) {
    INFO(m.dump());
    CHECK(m["defects"].empty());
    CHECK(m["to_name"] == "山田 太郎");
    CHECK(m["body"] == JapaneseMail("x@example.jp").body_text);
    CHECK(m["max_line"].get<int>() <= 76);
    CHECK(m["bare_lf"] == false);
  }
  for (int64_t id : ids) CHECK(FindMail(f.db, id)->status == "sent");
  // A re-send after a crash between send and mark lands on the same file name.
  FileTransport again((f.dir / "mail").string());
  auto row = FindMail(f.db, ids[0]);
  again.Send(RenderMail(JapaneseMail("taro@example.jp"), ParseMailAddress(kFrom), row->message_key, kT0));
  CHECK(eml_files() == files);
}
