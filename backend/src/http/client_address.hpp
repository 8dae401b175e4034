#pragma once
// Who is asking: the address every per-client limit keys on. Behind the shipped proxy (deploy/nginx) the TCP
// peer is the proxy, so its X-Forwarded-For is believed — but only from configured proxies
// (`http.trusted_proxies`, loopback by default), and only its right-most entries: the list is read from the
// right, skipping addresses of trusted proxies, and the first untrusted one is the client (the entries to
// its left are whatever the client wrote). A request straight from an untrusted peer is that peer.
#include <httplib.h>

#include <string>
#include <vector>

namespace mizu::backend::http {

// A set of IPv4/IPv6 addresses and CIDR blocks ("127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8").
class ProxySet {
 public:
  // Throws std::invalid_argument naming the entry when one is not an address or block.
  explicit ProxySet(const std::vector<std::string>& entries);
  bool Contains(const std::string& address) const;

 private:
  struct Block {
    int family;               // AF_INET or AF_INET6
    unsigned char bytes[16];  // network address
    int prefix;               // bits
  };
  std::vector<Block> blocks_;
};

// What ClientAddress answers when a trusted proxy names a client by something that is no IP address.
inline constexpr const char* kUnknownClient = "unknown";
// The client address of `req` under `proxies` (see above). A forwarded entry with a port ("192.0.2.7:4711",
// "[2001:db8::1]:443") is that address; an entry that is no address makes the client kUnknownClient (one
// shared identity for limits; never allowed /metrics).
std::string ClientAddress(const httplib::Request& req, const ProxySet& proxies);

}  // namespace mizu::backend::http
