// Secrets the server must read back (a TOTP seed), sealed with AES-256-GCM (OpenSSL EVP) under a key derived
// from the server key, which lives outside the database (secret.key): a database leak alone does not yield
// them. The stored form is base64url(nonce 12 bytes | ciphertext | tag 16 bytes); the purpose is bound as the
// GCM additional data, so a sealed value cannot be moved to another use.
#include <openssl/evp.h>

#include <memory>

#include "mizu/backend/auth.hpp"

namespace mizu::backend {
namespace {

constexpr int kNonce = 12, kTag = 16;

using Ctx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

// 32 raw bytes: HMAC-SHA-256(server_key, "seal\n" + purpose).
std::string SealKey(std::string_view server_key, std::string_view purpose) {
  const std::string hex = HmacSha256Hex(server_key, "seal\n" + std::string(purpose));
  std::string key;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    key += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return key;
}

const unsigned char* U(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::string SealSecret(std::string_view server_key, std::string_view purpose, std::string_view plaintext) {
  const std::string key = SealKey(server_key, purpose);
  const std::string nonce = RandomBytes(kNonce);
  Ctx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(nonce.size() + plaintext.size() + kTag, '\0');
  auto* cipher = reinterpret_cast<unsigned char*>(out.data() + nonce.size());
  int len = 0, fin = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, U(key), U(nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, U(purpose), static_cast<int>(purpose.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), cipher, &len, U(plaintext), static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), cipher + len, &fin) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag, cipher + plaintext.size()) != 1)
    throw CryptoError("AES-256-GCM seal failed");
  out.replace(0, nonce.size(), nonce);
  return Base64Encode(out, true);
}

std::optional<std::string> OpenSealed(std::string_view server_key, std::string_view purpose,
                                      std::string_view sealed) {
  const auto raw = Base64Decode(sealed, true);
  if (!raw || raw->size() < static_cast<size_t>(kNonce + kTag)) return std::nullopt;
  const std::string key = SealKey(server_key, purpose);
  const std::string_view nonce = std::string_view(*raw).substr(0, kNonce);
  const std::string_view cipher = std::string_view(*raw).substr(kNonce, raw->size() - kNonce - kTag);
  std::string tag = raw->substr(raw->size() - kTag);
  Ctx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string plain(cipher.size(), '\0');
  int len = 0, fin = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, U(key), U(nonce)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, U(purpose), static_cast<int>(purpose.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &len, U(cipher),
                        static_cast<int>(cipher.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + len, &fin) != 1)
    return std::nullopt;  // tampered, another key or another purpose
  return plain;
}

}  // namespace mizu::backend
