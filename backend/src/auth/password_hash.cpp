// Password hashing with scrypt through OpenSSL 3's EVP_KDF, stored as "$scrypt$ln=…,r=…,p=…$salt$hash".
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <charconv>
#include <mutex>

#include "hash_gate.hpp"

#include "mizu/backend/auth.hpp"

namespace mizu::backend {
namespace {

constexpr std::string_view kPrefix = "$scrypt$";
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
constexpr uint64_t kMaxMemoryBytes = uint64_t{1} << 30;

// 128·r·N for V plus 128·r·p for B: what OpenSSL checks against maxmem.
uint64_t ScryptMemory(const PasswordHashParams& params) {
  const uint64_t n = uint64_t{1} << params.log2_n;
  return 128 * static_cast<uint64_t>(params.r) * (n + 2) + 128 * static_cast<uint64_t>(params.r) * params.p;
}

bool ParamsInRange(const PasswordHashParams& params) {
  if (params.log2_n < 1 || params.log2_n > 22) return false;
  if (params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16) return false;
  return 128 * static_cast<uint64_t>(params.r) * (uint64_t{1} << params.log2_n) <= kMaxMemoryBytes;
}

// One pass through the process-wide hash gate (hash_gate.cpp); throws HashGateFull when it is full.
struct SlotGuard {
  SlotGuard() { EnterHashGate(); }
  ~SlotGuard() { LeaveHashGate(); }
  SlotGuard(const SlotGuard&) = delete;
  SlotGuard& operator=(const SlotGuard&) = delete;
};

EVP_KDF* ScryptKdf() {
  static EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "SCRYPT", nullptr);  // immutable, shared; never freed
  if (kdf == nullptr) throw CryptoError("OpenSSL has no SCRYPT KDF");
  return kdf;
}

// scrypt(password, salt) → out_len bytes. Throws CryptoError if OpenSSL refuses.
std::string Scrypt(std::string_view password, std::string_view salt, const PasswordHashParams& params,
                   std::size_t out_len) {
  std::unique_ptr<EVP_KDF_CTX, decltype(&EVP_KDF_CTX_free)> ctx(EVP_KDF_CTX_new(ScryptKdf()),
                                                                EVP_KDF_CTX_free);
  if (!ctx) throw CryptoError("EVP_KDF_CTX_new failed");
  // OpenSSL rejects a null octet string, so an empty password points at a valid empty buffer.
  static const char kEmpty[1] = {0};
  uint64_t n = uint64_t{1} << params.log2_n;
  uint32_t r = static_cast<uint32_t>(params.r);
  uint32_t p = static_cast<uint32_t>(params.p);
  uint64_t maxmem = ScryptMemory(params) + (1 << 20);
  OSSL_PARAM ossl_params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD,
                                        const_cast<char*>(password.empty() ? kEmpty : password.data()),
                                        password.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()), salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
      OSSL_PARAM_construct_end(),
  };
  std::string out(out_len, '\0');
  SlotGuard slot;
  if (EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), out.size(), ossl_params) != 1) {
    throw CryptoError("scrypt derivation failed");
  }
  return out;
}

// Strict decimal: 1–3 digits, no sign, no leading zero.
std::optional<int> ParseSmallInt(std::string_view text) {
  if (text.empty() || text.size() > 3 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Takes "name=value" off the front of text (up to the next ',' or the end).
std::optional<int> TakeParam(std::string_view& text, std::string_view name) {
  if (text.substr(0, name.size()) != name || text.size() <= name.size() || text[name.size()] != '=') {
    return std::nullopt;
  }
  text.remove_prefix(name.size() + 1);
  std::size_t end = text.find(',');
  auto value = ParseSmallInt(text.substr(0, end));
  text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  return value;
}

std::string FormatParams(const PasswordHashParams& params) {
  return "ln=" + std::to_string(params.log2_n) + ",r=" + std::to_string(params.r) +
         ",p=" + std::to_string(params.p);
}

}  // namespace

std::optional<ParsedPasswordHash> ParsePasswordHash(std::string_view stored) {
  if (stored.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  stored.remove_prefix(kPrefix.size());
  std::size_t d1 = stored.find('$');
  if (d1 == std::string_view::npos) return std::nullopt;
  std::size_t d2 = stored.find('$', d1 + 1);
  if (d2 == std::string_view::npos || stored.find('$', d2 + 1) != std::string_view::npos) return std::nullopt;

  std::string_view param_text = stored.substr(0, d1);
  auto ln = TakeParam(param_text, "ln");
  auto r = TakeParam(param_text, "r");
  auto p = TakeParam(param_text, "p");
  if (!ln || !r || !p || !param_text.empty()) return std::nullopt;
  // The canonical spelling only, so one hash has one string.
  ParsedPasswordHash parsed{{*ln, *r, *p}, {}, {}};
  if (FormatParams(parsed.params) != stored.substr(0, d1) || !ParamsInRange(parsed.params))
    return std::nullopt;

  auto salt = Base64Decode(stored.substr(d1 + 1, d2 - d1 - 1));
  auto hash = Base64Decode(stored.substr(d2 + 1));
  if (!salt || !hash) return std::nullopt;
  if (salt->size() < 8 || salt->size() > 64 || hash->size() < 16 || hash->size() > 64) return std::nullopt;
  parsed.salt = std::move(*salt);
  parsed.hash = std::move(*hash);
  return parsed;
}

std::string HashPassword(std::string_view password, const PasswordHashParams& params) {
  if (!ParamsInRange(params)) throw std::invalid_argument("scrypt parameters out of range");
  std::string salt = RandomBytes(kSaltBytes);
  std::string hash = Scrypt(password, salt, params, kHashBytes);
  return std::string(kPrefix) + FormatParams(params) + "$" + Base64Encode(salt) + "$" + Base64Encode(hash);
}

bool VerifyPassword(std::string_view password, std::string_view stored) {
  auto parsed = ParsePasswordHash(stored);
  if (!parsed) return false;
  std::string candidate;
  try {
    candidate = Scrypt(password, parsed->salt, parsed->params, parsed->hash.size());
  } catch (const CryptoError&) {
    return false;
  }
  return ConstantTimeEquals(candidate, parsed->hash);
}

bool NeedsRehash(std::string_view stored, const PasswordHashParams& current) {
  auto parsed = ParsePasswordHash(stored);
  return !parsed || parsed->params != current || parsed->hash.size() != kHashBytes ||
         parsed->salt.size() < kSaltBytes;
}

const std::string& DummyPasswordHash(const PasswordHashParams& params) {
  static std::mutex m;
  static std::string hash;
  static PasswordHashParams made_with{0, 0, 0};
  std::lock_guard lock(m);
  if (hash.empty() || !(made_with == params)) {
    hash = HashPassword(RandomToken(), params);
    made_with = params;
  }
  return hash;
}

}  // namespace mizu::backend
