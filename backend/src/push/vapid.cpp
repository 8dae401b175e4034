// VAPID (RFC 8292): the application server signs a JWT (RFC 7519) with ES256 (RFC 7518 §3.4: ECDSA P-256
// over SHA-256, the signature as the 64 bytes r | s, not OpenSSL's DER) and sends it with its public key.
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "mizu/backend/auth.hpp"
#include "mizu/backend/web_push.hpp"
#include "p256.hpp"

namespace mizu::backend {
namespace {

using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
using Sig = std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)>;

// ES256 of `input`: DER from EVP_DigestSign, re-encoded as r | s (32 bytes each, big-endian, zero-padded).
std::string SignEs256(std::string_view private_key, std::string_view input) {
  push::Pkey key = push::PrivateKey(private_key);
  MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                     input.size()) != 1)
    throw CryptoError("ES256: signing failed");
  std::string der(len, '\0');
  auto* p = reinterpret_cast<unsigned char*>(der.data());
  if (EVP_DigestSign(ctx.get(), p, &len, reinterpret_cast<const unsigned char*>(input.data()),
                     input.size()) != 1)
    throw CryptoError("ES256: signing failed");
  const unsigned char* q = p;
  Sig sig(d2i_ECDSA_SIG(nullptr, &q, static_cast<long>(len)), ECDSA_SIG_free);
  if (!sig) throw CryptoError("ES256: unreadable signature");
  std::string out(64, '\0');
  auto* raw = reinterpret_cast<unsigned char*>(out.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), raw, 32) != 32 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), raw + 32, 32) != 32)
    throw CryptoError("ES256: signature out of range");
  return out;
}

}  // namespace

std::string VapidAuthorization(std::string_view audience, int64_t expires_utc, std::string_view subject,
                               std::string_view vapid_private, std::string_view vapid_public) {
  if (P256PublicKey(vapid_private) != vapid_public)
    throw std::invalid_argument("VAPID: the public key is not the private key's");
  const std::string header = Base64Encode(R"({"typ":"JWT","alg":"ES256"})", true);
  const nlohmann::json claims = {{"aud", audience}, {"exp", expires_utc}, {"sub", subject}};
  const std::string input = header + "." + Base64Encode(claims.dump(), true);
  const std::string jwt = input + "." + Base64Encode(SignEs256(vapid_private, input), true);
  return "vapid t=" + jwt + ", k=" + Base64Encode(vapid_public, true);
}

std::string PushEndpointOrigin(std::string_view endpoint) {
  size_t scheme_end = endpoint.find("://");
  if (scheme_end == std::string_view::npos) return {};
  const std::string_view scheme = endpoint.substr(0, scheme_end);
  if (scheme != "https" && scheme != "http") return {};
  const size_t host_start = scheme_end + 3;
  const size_t host_end = endpoint.find_first_of("/?#", host_start);
  const std::string_view authority = endpoint.substr(host_start, host_end - host_start);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return {};  // no userinfo
  std::string origin = std::string(endpoint.substr(0, host_start)) + std::string(authority);
  for (char& c :
       origin)  // scheme and host are case-insensitive (RFC 3986 §6.2.2.1): the audience in lowercase
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  // The default port is not part of an origin's serialisation (RFC 6454 §6.2): the audience a push service
  // checks is "https://host", whether or not the endpoint spelt ":443".
  const std::string_view default_port = scheme == "https" ? ":443" : ":80";
  if (origin.size() > default_port.size() &&
      origin.compare(origin.size() - default_port.size(), default_port.size(), default_port) == 0 &&
      origin.find(':', host_start) == origin.size() - default_port.size())
    origin.resize(origin.size() - default_port.size());
  return origin;
}

}  // namespace mizu::backend
