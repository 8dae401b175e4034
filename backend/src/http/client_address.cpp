// The client address behind trusted proxies (see client_address.hpp).
#include "client_address.hpp"

#include <arpa/inet.h>

#include <cstring>
#include <stdexcept>

#include "mizu/text.hpp"

namespace mizu::backend::http {
namespace {

// Parses an IPv4 or IPv6 address into `out` (16 bytes); returns the family or 0.
int ParseAddress(const std::string& text, unsigned char* out) {
  std::memset(out, 0, 16);
  if (inet_pton(AF_INET, text.c_str(), out) == 1) return AF_INET;
  if (inet_pton(AF_INET6, text.c_str(), out) == 1) {
    // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is that IPv4 address.
    static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(out, kMapped, 12) == 0) {
      std::memmove(out, out + 12, 4);
      std::memset(out + 4, 0, 12);
      return AF_INET;
    }
    return AF_INET6;
  }
  return 0;
}

// "192.0.2.7:4711" → "192.0.2.7", "[2001:db8::1]:443" → "2001:db8::1" (some load balancers add the port);
// anything else unchanged.
std::string WithoutPort(const std::string& hop) {
  if (hop.size() > 2 && hop.front() == '[') {
    size_t close = hop.find(']');
    if (close != std::string::npos && (close + 1 == hop.size() || hop[close + 1] == ':'))
      return hop.substr(1, close - 1);
    return hop;
  }
  size_t colon = hop.find(':');
  if (colon != std::string::npos && hop.find(':', colon + 1) == std::string::npos)
    return hop.substr(0, colon);
  return hop;
}

}  // namespace

ProxySet::ProxySet(const std::vector<std::string>& entries) {
  for (const auto& entry : entries) {
    Block b{};
    std::string address = entry;
    size_t slash = entry.find('/');
    if (slash != std::string::npos) address = entry.substr(0, slash);
    b.family = ParseAddress(address, b.bytes);
    if (b.family == 0) throw std::invalid_argument("trusted_proxies: \"" + entry + "\" is not an IP address");
    int max_bits = b.family == AF_INET ? 32 : 128;
    b.prefix = max_bits;
    if (slash != std::string::npos) {
      std::string bits = entry.substr(slash + 1);
      if (bits.empty() || bits.size() > 3 || bits.find_first_not_of("0123456789") != std::string::npos ||
          std::stoi(bits) > max_bits)
        throw std::invalid_argument("trusted_proxies: \"" + entry + "\" has a bad prefix length");
      b.prefix = std::stoi(bits);
    }
    blocks_.push_back(b);
  }
}

bool ProxySet::Contains(const std::string& address) const {
  unsigned char bytes[16];
  int family = ParseAddress(address, bytes);
  if (family == 0) return false;
  for (const auto& b : blocks_) {
    if (b.family != family) continue;
    int full = b.prefix / 8, rest = b.prefix % 8;
    if (std::memcmp(bytes, b.bytes, full) != 0) continue;
    if (rest != 0) {
      unsigned char mask = static_cast<unsigned char>(0xff << (8 - rest));
      if ((bytes[full] & mask) != (b.bytes[full] & mask)) continue;
    }
    return true;
  }
  return false;
}

std::string ClientAddress(const httplib::Request& req, const ProxySet& proxies) {
  std::string client = req.remote_addr;
  // Without X-Forwarded-For the peer is the client whoever it is: the address is parsed only for a request
  // that names another (a direct request is most of them).
  const size_t n = req.get_header_value_count("X-Forwarded-For");
  if (n == 0 || !proxies.Contains(client)) return client;
  // Every X-Forwarded-For line, in order, as one list (RFC 9110 §5.3: repeated fields join with commas).
  std::vector<std::string> hops;
  for (size_t i = 0; i < n; ++i) {
    std::string line = req.get_header_value("X-Forwarded-For", i);
    size_t pos = 0;
    while (pos <= line.size()) {
      size_t comma = line.find(',', pos);
      if (comma == std::string::npos) comma = line.size();
      hops.push_back(std::string(TrimSpacesTabs(line.substr(pos, comma - pos))));
      pos = comma + 1;
    }
  }
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    std::string hop = WithoutPort(*it);
    unsigned char scratch[16];
    // A hop that is no address: the client behind it is unknown. Never the proxy's own address (which may
    // be allowed /metrics and whose limits every client would share), never the text (a fresh limiter key
    // per request): all such clients share kUnknownClient.
    if (ParseAddress(hop, scratch) == 0) return kUnknownClient;
    client = hop;
    if (!proxies.Contains(client)) break;
  }
  return client;
}

}  // namespace mizu::backend::http
