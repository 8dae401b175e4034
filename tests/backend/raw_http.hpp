#pragma once
// A raw HTTP/1.1 exchange on loopback for tests that must send what a well-behaved client never would
// (framing errors, header floods, hostile Range values): the bytes go out as given, one answer comes back.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <map>
#include <stdexcept>
#include <string>

namespace mizu::testing {

struct RawAnswer {
  int status = 0;                              // 0: the connection closed before a status line
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
};

// Sends `request` (the whole message, head and body) to 127.0.0.1:port and reads one answer (its body by
// Content-Length). A send refused half-way (the server answered and closed) is not an error.
inline RawAnswer RawExchange(int port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket");
  timeval tv{20, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    throw std::runtime_error("connect");
  }
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string data;
  char buf[65536];
  RawAnswer a;
  size_t head_end = std::string::npos;
  size_t want = std::string::npos;
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    data.append(buf, static_cast<size_t>(n));
    if (head_end == std::string::npos && (head_end = data.find("\r\n\r\n")) != std::string::npos) {
      size_t cl = data.find("Content-Length: ");
      if (cl != std::string::npos && cl < head_end) want = head_end + 4 + std::stoul(data.substr(cl + 16));
    }
    if (want != std::string::npos && data.size() >= want) break;
  }
  ::close(fd);
  if (data.compare(0, 9, "HTTP/1.1 ") != 0 || head_end == std::string::npos) return a;
  a.status = std::stoi(data.substr(9, 3));
  size_t pos = data.find("\r\n") + 2;
  while (pos < head_end) {
    size_t eol = data.find("\r\n", pos);
    std::string line = data.substr(pos, eol - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      size_t v = line.find_first_not_of(' ', colon + 1);
      a.headers[name] = v == std::string::npos ? "" : line.substr(v);
    }
    pos = eol + 2;
  }
  a.body = data.substr(head_end + 4);
  if (want != std::string::npos) a.body.resize(want - head_end - 4);
  return a;
}

}  // namespace mizu::testing
