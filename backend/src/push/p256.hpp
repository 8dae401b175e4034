// P-256 keys as OpenSSL EVP_PKEYs, for the Web Push files (encryption.cpp, vapid.cpp). Raw forms as in
// web_push.hpp: a 32-byte private scalar, a 65-byte uncompressed public point.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string_view>

namespace mizu::backend::push {

using Pkey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

// Throws std::invalid_argument unless public_key is a 65-byte uncompressed point on P-256.
void RequirePublicKey(std::string_view public_key);
// The key pair of a private scalar (its public point computed); std::invalid_argument if out of range.
Pkey PrivateKey(std::string_view private_key);
// A public key; std::invalid_argument as RequirePublicKey.
Pkey PublicKey(std::string_view public_key);

}  // namespace mizu::backend::push
