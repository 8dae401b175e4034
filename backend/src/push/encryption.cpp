// Message encryption for Web Push (RFC 8291) in the aes128gcm content coding (RFC 8188), one record: HKDF
// (RFC 5869) through OpenSSL's EVP_KDF "HKDF", AES-128-GCM through EVP. Appendix A of RFC 8291 is reproduced
// byte for byte by tests/backend/test_web_push.cpp.
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <memory>
#include <stdexcept>

#include "mizu/backend/auth.hpp"
#include "mizu/backend/web_push.hpp"
#include "p256.hpp"

namespace mizu::backend {
namespace {

constexpr size_t kSalt = 16, kAuth = 16, kTag = 16, kPoint = 65;

using Kdf = std::unique_ptr<EVP_KDF, decltype(&EVP_KDF_free)>;
using KdfCtx = std::unique_ptr<EVP_KDF_CTX, decltype(&EVP_KDF_CTX_free)>;
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* U(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// One HKDF step with SHA-256: mode EXTRACT_ONLY (salt, ikm → 32-byte PRK) or EXPAND_ONLY (prk as key, info,
// `length` bytes).
std::string Hkdf(int mode, std::string_view key, std::string_view salt, std::string_view info,
                 size_t length) {
  Kdf kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr), EVP_KDF_free);
  KdfCtx ctx(kdf ? EVP_KDF_CTX_new(kdf.get()) : nullptr, EVP_KDF_CTX_free);
  if (!ctx) throw CryptoError("HKDF unavailable");
  char digest[] = "SHA256";
  OSSL_PARAM params[6];
  int n = 0;
  params[n++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] =
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<char*>(key.data()), key.size());
  if (mode == EVP_KDF_HKDF_MODE_EXTRACT_ONLY)
    params[n++] =
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()), salt.size());
  else
    params[n++] =
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()), info.size());
  params[n] = OSSL_PARAM_construct_end();
  std::string out(length, '\0');
  if (EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), out.size(), params) != 1)
    throw CryptoError("HKDF failed");
  return out;
}

std::string Extract(std::string_view salt, std::string_view ikm) {
  return Hkdf(EVP_KDF_HKDF_MODE_EXTRACT_ONLY, ikm, salt, {}, 32);
}

std::string Expand(std::string_view prk, std::string_view info, size_t length) {
  return Hkdf(EVP_KDF_HKDF_MODE_EXPAND_ONLY, prk, {}, info, length);
}

// The ASCII label followed by its 0x00, as RFC 8291 and RFC 8188 write their info strings.
std::string Label(std::string_view text) {
  std::string s(text);
  s += '\0';
  return s;
}

}  // namespace

PushKeySchedule DerivePushKeys(std::string_view ecdh_secret, std::string_view auth_secret,
                               std::string_view ua_public, std::string_view as_public,
                               std::string_view salt) {
  PushKeySchedule k;
  k.prk_key = Extract(auth_secret, ecdh_secret);
  k.key_info = Label("WebPush: info") + std::string(ua_public) + std::string(as_public);
  k.ikm = Expand(k.prk_key, k.key_info, 32);
  k.prk = Extract(salt, k.ikm);
  k.cek = Expand(k.prk, Label("Content-Encoding: aes128gcm"), 16);
  k.nonce = Expand(k.prk, Label("Content-Encoding: nonce"), 12);
  return k;
}

std::string EncryptPushMessage(std::string_view plaintext, std::string_view ua_public,
                               std::string_view auth_secret, std::string_view as_private,
                               std::string_view salt) {
  if (plaintext.size() > kPushMaxPlaintext)
    throw std::invalid_argument("Web Push: the message is longer than one record holds");
  if (auth_secret.size() != kAuth) throw std::invalid_argument("Web Push: the auth secret is 16 bytes");
  if (salt.size() != kSalt) throw std::invalid_argument("Web Push: the salt is 16 bytes");
  push::RequirePublicKey(ua_public);
  const std::string as_public = P256PublicKey(as_private);
  const PushKeySchedule k =
      DerivePushKeys(P256Ecdh(as_private, ua_public), auth_secret, ua_public, as_public, salt);

  // Header (RFC 8188 §2.1): salt | rs (uint32, network order) | idlen | keyid = the sender's public key.
  std::string out(salt);
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((kPushRecordSize >> shift) & 0xff);
  out += static_cast<char>(kPoint);
  out += as_public;
  // The one (last) record: plaintext | 0x02 (RFC 8188 §2: the last record's delimiter, no padding after it).
  std::string padded(plaintext);
  padded += '\x02';
  const size_t at = out.size();
  out.resize(at + padded.size() + kTag);
  auto* cipher = reinterpret_cast<unsigned char*>(out.data() + at);
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0, fin = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, U(k.cek), U(k.nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), cipher, &len, U(padded), static_cast<int>(padded.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), cipher + len, &fin) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag, cipher + padded.size()) != 1)
    throw CryptoError("Web Push: AES-128-GCM failed");
  return out;
}

std::string EncryptPushMessage(std::string_view plaintext, std::string_view ua_public,
                               std::string_view auth_secret) {
  const P256KeyPair ephemeral = GenerateP256KeyPair();  // one per message (RFC 8291 §3.1)
  return EncryptPushMessage(plaintext, ua_public, auth_secret, ephemeral.private_key, RandomBytes(kSalt));
}

}  // namespace mizu::backend
