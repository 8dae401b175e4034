// Web Push from the application server's side, on OpenSSL: message encryption (RFC 8291 on the aes128gcm
// content coding of RFC 8188) and the application server's identity (VAPID, RFC 8292, an ES256 JWT). The
// delivery itself (RFC 8030: POST to the subscription's endpoint) goes through the outbox.
//
// All keys and secrets here are raw bytes in std::string: a P-256 private key is its 32-byte scalar, a public
// key the 65-byte uncompressed point (0x04 | X | Y), as PushSubscription.getKey("p256dh") and the VAPID
// applicationServerKey carry them. Errors: std::invalid_argument for malformed input (a wrong length, a point
// not on the curve), CryptoError (auth.hpp) when OpenSSL itself fails.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mizu::backend {

// RFC 8188 §2: the record size the encrypted body declares; one record holds the whole message.
inline constexpr uint32_t kPushRecordSize = 4096;
// The longest plaintext that fits one record: 4096 − 16 (tag) − 1 (padding delimiter) (RFC 8291 §4).
inline constexpr size_t kPushMaxPlaintext = kPushRecordSize - 16 - 1;

// The 65-byte uncompressed public point of a 32-byte P-256 private scalar.
std::string P256PublicKey(std::string_view private_key);
// A fresh P-256 key pair from OpenSSL's CSPRNG: {private 32 bytes, public 65 bytes}.
struct P256KeyPair {
  std::string private_key;
  std::string public_key;
};
P256KeyPair GenerateP256KeyPair();
// ECDH on P-256: the 32-byte X coordinate of private_key × peer_public (the shared secret, RFC 8291 §3.1).
std::string P256Ecdh(std::string_view private_key, std::string_view peer_public);

// The keys RFC 8291 §3.3–3.4 derives for one message, in the RFC's names (its Appendix A lists each).
struct PushKeySchedule {
  std::string prk_key;   // HKDF-Extract(salt = auth_secret, IKM = ecdh_secret)
  std::string key_info;  // "WebPush: info" 0x00 | ua_public | as_public
  std::string ikm;       // HKDF-Expand(PRK_key, key_info, 32)
  std::string prk;       // HKDF-Extract(salt, IKM)
  std::string cek;       // HKDF-Expand(PRK, "Content-Encoding: aes128gcm" 0x00, 16)
  std::string nonce;     // HKDF-Expand(PRK, "Content-Encoding: nonce" 0x00, 12)
};
PushKeySchedule DerivePushKeys(std::string_view ecdh_secret, std::string_view auth_secret,
                               std::string_view ua_public, std::string_view as_public, std::string_view salt);

// The encrypted body of one push message (RFC 8291 §4, one aes128gcm record): header (salt 16 | rs 4 |
// idlen 1 = 65 | as_public 65), then AES-128-GCM(plaintext | 0x02) with its 16-byte tag. `as_private` is the
// sender's key for this message (ephemeral: never the VAPID key) and `salt` 16 random bytes; this form with
// both given is deterministic, for the RFC's example. Throws std::invalid_argument for a plaintext longer
// than kPushMaxPlaintext, an auth secret that is not 16 bytes or keys of the wrong shape.
std::string EncryptPushMessage(std::string_view plaintext, std::string_view ua_public,
                               std::string_view auth_secret, std::string_view as_private,
                               std::string_view salt);
// The same with a fresh ephemeral key pair and salt from the CSPRNG: what a real send uses.
std::string EncryptPushMessage(std::string_view plaintext, std::string_view ua_public,
                               std::string_view auth_secret);

// The Authorization header of RFC 8292 §3: `vapid t=<JWT>, k=<base64url public key>`. The JWT (RFC 7519,
// signed ES256 = ECDSA P-256 SHA-256, signature r | s, RFC 7518 §3.4) claims "aud" = `audience` (the
// endpoint's origin, "https://push.example.net"), "exp" = `expires_utc` (epoch seconds; RFC 8292 §2: at
// most 24 hours ahead) and "sub" = `subject` (a mailto: or https: contact for the push service's operator).
std::string VapidAuthorization(std::string_view audience, int64_t expires_utc, std::string_view subject,
                               std::string_view vapid_private, std::string_view vapid_public);
// The origin of an endpoint URL ("https://host[:port]"), the VAPID audience; empty when it is not http(s).
std::string PushEndpointOrigin(std::string_view endpoint);

}  // namespace mizu::backend
