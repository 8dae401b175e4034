// P-256 keys for Web Push (web_push.hpp) on OpenSSL 3: raw scalars and uncompressed points in and out,
// EVP_PKEY inside (p256.hpp), ECDH by EVP_PKEY_derive.
#include "p256.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <stdexcept>

#include "mizu/backend/auth.hpp"
#include "mizu/backend/web_push.hpp"

namespace mizu::backend::push {
namespace {

constexpr size_t kScalar = 32, kPoint = 65;

using Group = std::unique_ptr<EC_GROUP, decltype(&EC_GROUP_free)>;
using Point = std::unique_ptr<EC_POINT, decltype(&EC_POINT_free)>;
using Bn = std::unique_ptr<BIGNUM, decltype(&BN_free)>;
using ParamBld = std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)>;
using Params = std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;

const unsigned char* U(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

Group P256Group() {
  Group g(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1), EC_GROUP_free);
  if (!g) throw CryptoError("P-256: no group");
  return g;
}

// A key from its parts (a public point always; the private scalar when given).
Pkey FromParts(std::string_view private_key, std::string_view public_key) {
  ParamBld bld(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  Bn priv(private_key.empty() ? nullptr : BN_bin2bn(U(private_key), kScalar, nullptr), BN_free);
  if (!bld || (!private_key.empty() && !priv) ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, public_key.data(),
                                       public_key.size()) != 1 ||
      (priv && OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv.get()) != 1))
    throw CryptoError("P-256: building the key parameters failed");
  Params params(OSSL_PARAM_BLD_to_param(bld.get()), OSSL_PARAM_free);
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr), EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, private_key.empty() ? EVP_PKEY_PUBLIC_KEY : EVP_PKEY_KEYPAIR,
                        params.get()) != 1)
    throw std::invalid_argument("P-256: not a valid key");
  return Pkey(key, EVP_PKEY_free);
}

}  // namespace

void RequirePublicKey(std::string_view public_key) {
  if (public_key.size() != kPoint || public_key[0] != 0x04)
    throw std::invalid_argument("P-256: a public key is a 65-byte uncompressed point");
  Group g = P256Group();
  Point p(EC_POINT_new(g.get()), EC_POINT_free);
  if (!p || EC_POINT_oct2point(g.get(), p.get(), U(public_key), kPoint, nullptr) != 1 ||
      EC_POINT_is_on_curve(g.get(), p.get(), nullptr) != 1)
    throw std::invalid_argument("P-256: the public key is not a point on the curve");
}

Pkey PrivateKey(std::string_view private_key) {
  return FromParts(private_key, P256PublicKey(private_key));
}

Pkey PublicKey(std::string_view public_key) {
  RequirePublicKey(public_key);
  return FromParts({}, public_key);
}

}  // namespace mizu::backend::push

namespace mizu::backend {

std::string P256PublicKey(std::string_view private_key) {
  if (private_key.size() != push::kScalar) throw std::invalid_argument("P-256: a private key is 32 bytes");
  push::Group g = push::P256Group();
  push::Bn k(BN_bin2bn(push::U(private_key), push::kScalar, nullptr), BN_free);
  push::Point p(EC_POINT_new(g.get()), EC_POINT_free);
  if (!k || !p) throw CryptoError("P-256: out of memory");
  if (BN_is_zero(k.get()) || BN_cmp(k.get(), EC_GROUP_get0_order(g.get())) >= 0)
    throw std::invalid_argument("P-256: the private key is not in [1, n−1]");
  std::string out(push::kPoint, '\0');
  if (EC_POINT_mul(g.get(), p.get(), k.get(), nullptr, nullptr, nullptr) != 1 ||
      EC_POINT_point2oct(g.get(), p.get(), POINT_CONVERSION_UNCOMPRESSED,
                         reinterpret_cast<unsigned char*>(out.data()), out.size(), nullptr) != push::kPoint)
    throw CryptoError("P-256: computing the public key failed");
  return out;
}

P256KeyPair GenerateP256KeyPair() {
  for (;;) {  // a random 256-bit string is a valid scalar unless ≥ n (probability ~2^-32) or zero
    std::string priv = RandomBytes(push::kScalar);
    try {
      return {priv, P256PublicKey(priv)};
    } catch (const std::invalid_argument&) {
    }
  }
}

std::string P256Ecdh(std::string_view private_key, std::string_view peer_public) {
  push::Pkey own = push::PrivateKey(private_key);
  push::Pkey peer = push::PublicKey(peer_public);
  push::PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, own.get(), nullptr), EVP_PKEY_CTX_free);
  size_t len = 0;
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) != 1 ||
      EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1)
    throw CryptoError("P-256: ECDH failed");
  std::string secret(len, '\0');
  if (EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char*>(secret.data()), &len) != 1)
    throw CryptoError("P-256: ECDH failed");
  secret.resize(len);
  return secret;
}

}  // namespace mizu::backend
