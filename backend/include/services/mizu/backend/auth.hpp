#pragma once
// Security primitives for the account endpoints: password hashing (scrypt), CSPRNG secrets and their
// hashes, the common/guessable-password check (cracklib) and rate limiting / login throttling.
// Pure building blocks: no HTTP, no database; time is passed in by the caller (UTC epoch seconds).
// Everything here is thread-safe unless a comment says otherwise.
//   [X] scrypt via OpenSSL 3 EVP_KDF in a self-describing string; rehash detection
//   [X] tokens, 6-digit codes, SHA-256 / HMAC-SHA-256, constant-time compare
//   [X] cracklib dictionary verdicts + built-in list + context words + one-repeated-character
//   [X] sliding-window limiter, login throttle (count-then-check Reserve) and identity-proof limiter, memory
//       bounded by an LRU key cap
//   [ ] argon2id (libargon2) — not needed while scrypt meets OWASP's recommendation
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mizu::backend {

// Thrown when OpenSSL cannot give randomness or compute a hash. Never thrown for bad user input.
class CryptoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---------------------------------------------------------------------------------------------------------
// Password hashing: scrypt (RFC 7914) through OpenSSL's EVP_KDF "SCRYPT".
// Stored form: "$scrypt$ln=17,r=8,p=1$<salt>$<hash>", salt 16 random bytes, hash 32 bytes, both standard
// base64 without padding. Memory per hash is 128·r·2^ln bytes: 128 MiB at the default. Hashes pass a
// process-wide gate (ConfigurePasswordHashGate): at most `workers` run at once and at most `queue` callers
// wait; one more gets HashGateFull at once (the HTTP layer answers 503 busy + Retry-After), so a burst of
// logins can neither exhaust memory nor tie up the request workers that other routes need.

// Thrown by HashPassword / VerifyPassword when the gate's queue is full.
class HashGateFull : public std::runtime_error {
 public:
  HashGateFull() : std::runtime_error("password hashing queue full") {}
};
// workers ≥ 1 hashes at once, queue ≥ 0 waiting. Default (until called): 4 workers, 16 waiting.
void ConfigurePasswordHashGate(int workers, int queue);
// Hashes running and waiting now (for /metrics and tests).
struct HashGateLoad {
  int running = 0;
  int waiting = 0;
  long long refused = 0;  // HashGateFull thrown since start
};
HashGateLoad PasswordHashGateLoad();

struct PasswordHashParams {
  int log2_n = 17;  // N = 2^log2_n (CPU/memory cost)
  int r = 8;        // block size
  int p = 1;        // parallelism
  friend bool operator==(const PasswordHashParams&, const PasswordHashParams&) = default;
};

// OWASP Password Storage Cheat Sheet: N=2^17, r=8, p=1 (128 MiB). The default everywhere but tests.
inline constexpr PasswordHashParams kDefaultPasswordHashParams{};
// Cheap (1 MiB, a few ms) — for tests only; never for real accounts.
inline constexpr PasswordHashParams kTestPasswordHashParams{10, 8, 1};

struct ParsedPasswordHash {
  PasswordHashParams params;
  std::string salt;  // raw bytes
  std::string hash;  // raw bytes
};

// Hashes password (any bytes, UTF-8 expected) with a fresh random salt. Throws CryptoError or
// std::invalid_argument if params are outside the accepted range (see ParsePasswordHash).
std::string HashPassword(std::string_view password,
                         const PasswordHashParams& params = kDefaultPasswordHashParams);
// True only if stored is a well-formed hash of password; malformed or out-of-range strings give false.
bool VerifyPassword(std::string_view password, std::string_view stored);
// True if stored was made with other parameters than current (or cannot be parsed): rehash at next login.
bool NeedsRehash(std::string_view stored, const PasswordHashParams& current = kDefaultPasswordHashParams);
// A real hash of a random password under `params` (made once per params), for the password check of an
// unknown login ID: it costs the same time as a wrong password, so timing does not tell which IDs exist.
const std::string& DummyPasswordHash(const PasswordHashParams& params);
// Parses the stored form; nullopt if malformed or out of range (1 ≤ ln ≤ 22, 1 ≤ r ≤ 32, 1 ≤ p ≤ 16,
// 128·r·N ≤ 1 GiB, salt 8–64 bytes, hash 16–64 bytes) so a tampered row cannot make us allocate wildly.
std::optional<ParsedPasswordHash> ParsePasswordHash(std::string_view stored);

// ---------------------------------------------------------------------------------------------------------
// Secrets. How to store what:
//  - session tokens, sign-up tokens, API tokens (RandomToken, 256 bits): store HashSecret(token). They are
//    unguessable, so a plain SHA-256 is enough and a leaked table does not reveal usable tokens.
//  - 6-digit codes (only 10^6 values): store HashCode(server_key, context, code). A plain SHA-256 would be
//    reversed by trying all 10^6 codes in milliseconds; the HMAC key must live outside the database (config /
//    a key file), so a database leak alone does not reveal codes. context (e.g. "signup:" + email) binds the
//    code to its purpose and address. Attempt limits are still what protects a live code.

// n bytes from OpenSSL's CSPRNG (RAND_bytes). Throws CryptoError on failure.
std::string RandomBytes(std::size_t n);
// 32 random bytes as unpadded base64url: 43 characters of [A-Za-z0-9_-].
std::string RandomToken();
// "000000"–"999999", uniform (rejection sampling, no modulo bias).
std::string SixDigitCode();
// Lowercase hex of SHA-256(data).
std::string Sha256Hex(std::string_view data);
// Lowercase hex of HMAC-SHA-256(key, data) (RFC 2104 / 4231).
std::string HmacSha256Hex(std::string_view key, std::string_view data);
// Equal contents, compared in time independent of where they differ (CRYPTO_memcmp). Different lengths
// are unequal (the length itself is not secret for fixed-size hashes).
bool ConstantTimeEquals(std::string_view a, std::string_view b);
// The stored form of a high-entropy secret (token): Sha256Hex.
std::string HashSecret(std::string_view secret);
// The stored form of a low-entropy code: HMAC-SHA-256(server_key, context + '\0' + code) in hex.
// Throws std::invalid_argument if server_key is shorter than 32 bytes.
std::string HashCode(std::string_view server_key, std::string_view context, std::string_view code);

// A secret the server must read back (a TOTP seed) sealed for the database: AES-256-GCM under
// HMAC-SHA-256(server_key, "seal\n" + purpose), a fresh 12-byte nonce, `purpose` bound as additional data.
// Stored form: base64url(nonce | ciphertext | 16-byte tag). OpenSealed gives nullopt for anything tampered,
// sealed under another key or for another purpose.
std::string SealSecret(std::string_view server_key, std::string_view purpose, std::string_view plaintext);
std::optional<std::string> OpenSealed(std::string_view server_key, std::string_view purpose,
                                      std::string_view sealed);

// Base64 without padding; url_safe picks "-_" instead of "+/".
std::string Base64Encode(std::string_view bytes, bool url_safe = false);
// Inverse of Base64Encode; nullopt on any character outside the alphabet, '=' padding, or impossible length.
std::optional<std::string> Base64Decode(std::string_view text, bool url_safe = false);

// ---------------------------------------------------------------------------------------------------------
// Common / guessable passwords (NIST SP 800-63B: refuse values from breach corpuses, dictionary words,
// context-specific words; no composition rules). All checks see the password "folded": full-width ASCII
// (U+FF01–FF5E) and the ideographic space as ASCII, ASCII lowercased. It is refused if any of these says so:
//  1. repeated: one character repeated ("aaaaaaaa", "ああああああああ", "AaAaAaAa").
//  2. list: equal to one of 168 of the most common leaked passwords (12345678, password1, qwerty123, …).
//     Always applied — and the whole dictionary check when cracklib's dictionary is missing.
//  3. context: contains any context word of ≥ 3 characters (an e-mail address contributes its local part).
//  4. cracklib (Debian's libcrack2, dictionary at GetDefaultCracklibDict(), FascistCheckUser), keeping ONLY:
//       "it is based on a dictionary word", "it is based on a (reversed) dictionary word"  → "dictionary"
//       "it is based on your username", "it is based upon your password entry",
//       "it is derived from / derivable from your password entry" (and "it's …" spellings) → "context"
//     with username = the first context word's local part, "password entry" = the other ASCII context words.
//     Ignored: "it is WAY too short" / "it is too short" (our 8–128 rule decides length), "it does not
//     contain enough DIFFERENT characters", "it is too simplistic/systematic", "it is all whitespace", "it
//     looks like a National Insurance number" (composition rules), "error loading dictionary". Matched in
//     English and in the process's message locale (cracklib translates its verdicts). cracklib is shown every
//     non-ASCII character as one 'q': its mangling purges non-alphanumeric bytes, so unmasked
//     "毎月のwater使用量を見る" would be refused as the word "water". cracklib judges composition before it
//     looks words up, so a password it calls "simplistic" is never looked up — the list covers the common
//     ones (12345678, …).

// True if password should be refused as common or guessable. context_words: the account's e-mail first,
// then anything else personal (name in romaji, customer number, …). Thread-safe (cracklib under a mutex).
bool IsCommonPassword(std::string_view password, const std::vector<std::string>& context_words = {});
// Which rule refused it: "repeated", "list", "context" (our containment rule or cracklib's username /
// password-entry verdicts), "dictionary" (cracklib) — or nullopt if accepted.
std::optional<std::string> CommonPasswordReason(std::string_view password,
                                                const std::vector<std::string>& context_words = {});
// cracklib's unfiltered verdict on the form it is shown (folded, non-ASCII masked), without context words;
// "" if it accepts; nullopt if the dictionary cannot be opened. For tests and diagnostics.
std::optional<std::string> CracklibVerdict(std::string_view password);
// True if cracklib's dictionary at GetDefaultCracklibDict() can be opened.
bool CracklibAvailable();

// ---------------------------------------------------------------------------------------------------------
// Rate limiting. Keys are free-form ("signup:ip:203.0.113.7", "code:email:a@b.jp"); now is UTC epoch
// seconds from the caller (tests pass their own). Each instance holds at most max_keys keys: expired keys go
// first, then the least recently used — so a flood of new keys can reset an old key's history; size
// max_keys well above the number of keys active in one window.

struct RateDecision {
  bool allowed = true;
  int64_t retry_after_seconds = 0;  // > 0 when refused: when the next attempt can succeed
};

// Where the limiters below keep their state when several servers share one database (PostgreSQL): one row
// per (bucket, key) read and written in one write transaction, so every server counts every event and the
// limits hold behind a load balancer. Without it (one server on one SQLite file) the state stays in memory.
class SharedLimitStore {
 public:
  virtual ~SharedLimitStore() = default;
  // Runs fn over the stored values of `keys` ("" for a key with none) inside one transaction and stores
  // what fn leaves (an empty value deletes the row), to be forgotten after `expires_at` (UTC seconds).
  virtual void Update(std::string_view bucket, const std::vector<std::string>& keys, int64_t expires_at,
                      const std::function<void(std::vector<std::string>&)>& fn) = 0;
};

// Sliding window: at most `limit` allowed events per key in any `window_seconds`; refused attempts are not
// counted (an attacker cannot extend a lock-out by hammering).
class RateLimiter {
 public:
  RateLimiter(int limit, int64_t window_seconds, std::size_t max_keys = 100000);
  ~RateLimiter();
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Counts an event for key if allowed; otherwise says how long to wait.
  RateDecision Allow(std::string_view key, int64_t now);
  // Forgets key (e.g. after a successful verification).
  void Reset(std::string_view key);
  // Takes back one allowed event counted at `at` (an attempt that turned out not to count); no-op if none.
  void Refund(std::string_view key, int64_t at);
  // Number of keys currently held (for tests and /metrics); in memory only.
  std::size_t KeyCount() const;
  // From now on the state is kept in `store` under `bucket` (it must outlive the limiter).
  void Share(SharedLimitStore* store, std::string bucket);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Identity proofs (a customer number with the bureau phone / holder kana that prove a contract is yours):
// at most `limit` failed proofs per window for each of the customer number, the account (or the sign-up
// address) and the client. Keys are counted whether or not the customer exists, so the lock-out says nothing
// about the customer master.
struct IdentityProofPolicy {
  int per_customer = 5;
  int64_t customer_window_seconds = 3600;
  int per_account = 10;
  int64_t account_window_seconds = 24 * 3600;
  int per_client = 20;
  int64_t client_window_seconds = 3600;
  std::size_t max_keys = 100000;
};

class IdentityProofLimiter {
 public:
  explicit IdentityProofLimiter(IdentityProofPolicy policy = {});
  struct Keys {
    std::string customer, account, client;  // an empty key is skipped
  };
  // Count-then-check: reserves one failed proof against every key at once — so parallel attempts cannot
  // overtake the limit — or refuses with the longest wait (nothing counted). Call before the check.
  RateDecision Reserve(const Keys& keys, int64_t now);
  // The proof made with the reservation of `reserved_at` was right (or never checked): it does not count.
  void Refund(const Keys& keys, int64_t reserved_at);
  const IdentityProofPolicy& Policy() const { return policy_; }
  void Share(SharedLimitStore* store);

 private:
  IdentityProofPolicy policy_;
  RateLimiter customer_, account_, client_;
};

struct LoginThrottlePolicy {
  int free_failures_per_account = 5;  // failures before any delay, per account
  int free_failures_per_client = 20;  // per client (IP), higher: households and offices share addresses
  int64_t base_delay_seconds = 1;     // delay after the first failure beyond the free ones; doubles each time
  int64_t max_delay_seconds = 15 * 60;
  int64_t forget_after_seconds = 24 * 3600;  // a key with no failure for this long starts over
  std::size_t max_keys = 100000;
};

// Slows password guessing without a permanent lock-out: after the free failures, each further failure of an
// account (or client) must wait base·2^k seconds from the last failure, capped at max_delay_seconds. A
// success clears the account's failures (the owner is back to normal at once). It does NOT clear the
// client's: an attacker could otherwise interleave logins to an account of its own to wipe its record;
// client failures decay after forget_after_seconds.
class LoginThrottle {
 public:
  explicit LoginThrottle(LoginThrottlePolicy policy = {});
  ~LoginThrottle();
  LoginThrottle(const LoginThrottle&) = delete;
  LoginThrottle& operator=(const LoginThrottle&) = delete;

  // Count-then-check, for callers that check passwords concurrently: atomically decides as Check and, when
  // allowed, records the attempt as a failure at once (as RecordFailure), so N parallel attempts never get
  // more password checks than the policy allows. Call before checking the password; if refused, do not check
  // it (no oracle) and answer retry_after. After a right password call RecordSuccess(account, client, now).
  // An empty key is skipped. For an address with no account, pass the attempted address as account_key so
  // known and unknown addresses are throttled alike (no account enumeration through the throttle).
  RateDecision Reserve(std::string_view account_key, std::string_view client_key, int64_t now);
  // The same decision without counting anything (see Reserve for concurrent callers).
  RateDecision Check(std::string_view account_key, std::string_view client_key, int64_t now);
  void RecordFailure(std::string_view account_key, std::string_view client_key, int64_t now);
  // Clears the account's failures.
  void RecordSuccess(std::string_view account_key);
  // After a Reserve that turned out right: clears the account's failures and takes back the one failure the
  // reservation counted for the client (the client's earlier failures stay).
  void RecordSuccess(std::string_view account_key, std::string_view client_key);
  // The delay after a key's last failure when it has `failures` (0 while failures < free_failures).
  int64_t DelayFor(int failures, int free_failures) const;
  std::size_t KeyCount() const;
  // From now on the failures are kept in `store` (it must outlive the throttle).
  void Share(SharedLimitStore* store, std::string bucket);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mizu::backend
