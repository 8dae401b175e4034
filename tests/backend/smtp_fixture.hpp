#pragma once
// A real SMTP server for tests: Debian's aiosmtpd on an ephemeral loopback port, storing into a maildir, and
// an independent reader of what it received (Python's email package decodes MIME and RFC 2047).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include <utility>
#include <vector>
#include "wait_until.hpp"

extern char** environ;

namespace mizu::testing {

namespace fs = std::filesystem;
using json = nlohmann::json;

inline sockaddr_in Loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// A loopback TCP port held by a bound socket from the start: connections are refused until Listen(), then a
// server child process inherits the socket (the fd has no close-on-exec) and serves on it. The port is never
// released between choosing it and serving on it, so no other process can take it meanwhile.
class ReservedPort {
 public:
  ReservedPort() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    REQUIRE(fd_ >= 0);
    sockaddr_in addr = Loopback(0);
    socklen_t len = sizeof addr;
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) == 0);
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
  }
  ReservedPort(ReservedPort&& other) noexcept : fd_(std::exchange(other.fd_, -1)), port_(other.port_) {}
  ReservedPort& operator=(ReservedPort&&) = delete;
  ~ReservedPort() { Release(); }
  int Port() const { return port_; }
  // Starts accepting connections (queued until the child accept()s) and returns the fd for the child.
  int Listen() {
    REQUIRE(::listen(fd_, 128) == 0);
    return fd_;
  }
  // The parent's copy, closed once the child has its own.
  void Release() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
  int port_ = 0;
};

inline bool Accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr = Loopback(port);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// Whether a server on port answers: connects, sends `hello` (if any), and reads the first bytes, which must
// start with `expect` (e.g. an SMTP greeting "220"). A listening socket accepts before its server runs, so
// only an answer proves the server is up.
inline bool Answers(int port, const std::string& hello, const std::string& expect) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr = Loopback(port);
  timeval tv{0, 200000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  bool ok = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      (hello.empty() ||
       ::send(fd, hello.data(), hello.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(hello.size()))) {
    char buf[64];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    ok = n >= static_cast<ssize_t>(expect.size()) && std::string(buf, expect.size()) == expect;
  }
  ::close(fd);
  return ok;
}

// Runs aiosmtpd's own command line on an inherited listening socket: its create_server is handed the socket
// instead of binding HOST:PORT itself. argv: <fd> <aiosmtpd arguments…>.
constexpr const char* kSmtpdOnFd = R"py(
import asyncio, socket, sys
sock = socket.socket(fileno=int(sys.argv.pop(1)))
_create_server = asyncio.BaseEventLoop.create_server
def create_server(self, factory, host=None, port=None, **kw):
    return _create_server(self, factory, sock=sock, **kw)
asyncio.BaseEventLoop.create_server = create_server
from aiosmtpd.main import main
main(sys.argv[1:])
)py";

// Rejects RCPT reject…@ with 550 and later…@ with 451; stores everything else like Mailbox.
constexpr const char* kPickyHandler = R"py(
from aiosmtpd.handlers import Mailbox
class Picky(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith('reject'):
            return '550 5.1.1 no such user here'
        if address.startswith('later'):
            return '451 4.3.0 try again later'
        envelope.rcpt_tos.append(address)
        return '250 OK'
)py";

// aiosmtpd (`-n -l 127.0.0.1:PORT [options] -c <handler> <maildir>`) serving on a socket it inherits: an
// ephemeral port held from the start (ReservedPort), never a port chosen, released and hoped for. Killed on
// destruction.
class SmtpServer {
 public:
  SmtpServer(fs::path maildir, bool picky = false, std::vector<std::string> options = {},
             ReservedPort reserved = {})
      : port_(reserved.Port()), maildir_(std::move(maildir)) {
    std::string handler = "aiosmtpd.handlers.Mailbox";
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
    fs::path module_dir = maildir_.parent_path() / "pymod";
    fs::create_directories(module_dir);
    std::ofstream(module_dir / "mizu_smtpd_on_fd.py") << kSmtpdOnFd;
    if (picky) {
      std::ofstream(module_dir / "mizu_picky.py") << kPickyHandler;
      env_strings.push_back("PYTHONPATH=" + module_dir.string());
      handler = "mizu_picky.Picky";
    }
    const int fd = reserved.Listen();
    std::vector<std::string> args = {
        MIZU_PYTHON3, (module_dir / "mizu_smtpd_on_fd.py").string(), std::to_string(fd), "-n",
        "-l",         "127.0.0.1:" + std::to_string(port_)};
    args.insert(args.end(), options.begin(), options.end());
    args.insert(args.end(), {"-c", handler, maildir_.string()});
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::string log = (maildir_.parent_path() / ("aiosmtpd-" + std::to_string(port_) + ".log")).string();
    posix_spawn_file_actions_t actions;  // the server's chatter (e.g. expected TLS failures) goes to a file
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    REQUIRE(posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data()) == 0);
    posix_spawn_file_actions_destroy(&actions);
    reserved.Release();
    // Up when it greets (implicit TLS greets only after a handshake: its socket is listening, which
    // suffices).
    bool implicit_tls = std::find(options.begin(), options.end(), "--smtpscert") != options.end();
    REQUIRE((implicit_tls || WaitUntil([&] { return Answers(port_, "", "220"); })));
  }
  ~SmtpServer() {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  std::string Url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  int Port() const { return port_; }
  // Messages stored so far (maildir new/).
  size_t Count() const {
    size_t n = 0;
    if (fs::exists(maildir_ / "new"))
      for ([[maybe_unused]] auto& e : fs::directory_iterator(maildir_ / "new")) ++n;
    return n;
  }
  fs::path NewDir() const { return maildir_ / "new"; }

 private:
  int port_;
  fs::path maildir_;
  pid_t pid_ = 0;
};

// Parses every message file under `dir` with Python's email package (policy.default decodes RFC 2047) and
// returns one JSON object per message.
constexpr const char* kInspector = R"py(
import email, email.policy, json, os, sys
from email.header import decode_header, make_header
out = []
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    raw = open(os.path.join(d, name), 'rb').read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    to, frm = msg['to'].addresses[0], msg['from'].addresses[0]
    raw_headers = email.message_from_bytes(raw)  # compat32: the header text as sent
    def name_of(field, parsed):
        # RFC 2047 6.2: white space between adjacent encoded-words is dropped. decode_header does that;
        # policy.default's address parser keeps it, so encoded display names are decoded here.
        text = raw_headers[field]
        if '=?' not in text:
            return parsed.display_name
        return str(make_header(decode_header(text.rsplit('<', 1)[0].strip())))
    defects = [repr(x) for x in msg.defects]
    for k in msg.keys():
        defects += [k + ': ' + repr(x) for x in getattr(msg[k], 'defects', [])]
    lines = raw.split(b'\n')
    out.append(dict(file=name, subject=str(msg['subject']), to_name=name_of('to', to), to_addr=to.addr_spec,
        from_name=name_of('from', frm), from_addr=frm.addr_spec, message_id=str(msg['message-id']),
        date=int(msg['date'].datetime.timestamp()), body=msg.get_content().replace('\r\n', '\n'),
        charset=msg.get_content_charset(), rcpt=str(msg.get('x-rcptto', '')),
        mail_from=str(msg.get('x-mailfrom', '')), defects=defects,
        max_line=max(len(l.rstrip(b'\r')) for l in lines),
        bare_lf=any(not l.endswith(b'\r') for l in lines[:-1])))
print(json.dumps(out, ensure_ascii=False))
)py";

inline json Inspect(const fs::path& dir) {
  fs::path script = dir.parent_path() / "inspect_mail.py";
  std::ofstream(script) << kInspector;
  std::string cmd = std::string(MIZU_PYTHON3) + " " + script.string() + " " + dir.string();
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::string out;
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  REQUIRE(::pclose(p) == 0);
  return json::parse(out);
}

}  // namespace mizu::testing
