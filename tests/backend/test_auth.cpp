// Security primitives: scrypt hashes, CSPRNG secrets, HMAC, the common-password check, rate limits.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "mizu/backend/auth.hpp"

namespace mb = mizu::backend;

namespace {

constexpr mb::PasswordHashParams kCheap = mb::kTestPasswordHashParams;

std::string Unhex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// The stored string with the character at index replaced by another of the same base64 alphabet.
std::string FlipAt(std::string stored, std::size_t index) {
  stored[index] = stored[index] == 'A' ? 'B' : 'A';
  return stored;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------
// Password hashing

TEST_CASE("scrypt at the default OWASP cost: format and round trip (runs once: ~1.5 s)", "[auth]") {
  const std::string stored = mb::HashPassword("みずもり水道 2026 なつ");
  CHECK(stored.rfind("$scrypt$ln=17,r=8,p=1$", 0) == 0);
  CHECK(mb::VerifyPassword("みずもり水道 2026 なつ", stored));
  CHECK_FALSE(mb::NeedsRehash(stored));
  CHECK(mb::kDefaultPasswordHashParams == mb::PasswordHashParams{17, 8, 1});
}

TEST_CASE("scrypt matches RFC 7914's published test vector", "[auth]") {
  // scrypt("pleaseletmein", "SodiumChloride", N=16384, r=8, p=1, dkLen=64), RFC 7914 section 12.
  const std::string expected = Unhex(
      "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
      "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887");
  const std::string stored =
      "$scrypt$ln=14,r=8,p=1$" + mb::Base64Encode("SodiumChloride") + "$" + mb::Base64Encode(expected);
  CHECK(mb::VerifyPassword("pleaseletmein", stored));
  CHECK_FALSE(mb::VerifyPassword("pleaseletmeIn", stored));
}

TEST_CASE("password hashes verify only the right password and never repeat a salt", "[auth]") {
  const std::string a = mb::HashPassword("correct horse battery staple", kCheap);
  const std::string b = mb::HashPassword("correct horse battery staple", kCheap);
  CHECK(mb::VerifyPassword("correct horse battery staple", a));
  CHECK(mb::VerifyPassword("correct horse battery staple", b));
  CHECK(a != b);
  CHECK(mb::ParsePasswordHash(a)->salt != mb::ParsePasswordHash(b)->salt);
  CHECK_FALSE(mb::VerifyPassword("correct horse battery stapl", a));
  CHECK_FALSE(mb::VerifyPassword("Correct horse battery staple", a));
  CHECK_FALSE(mb::VerifyPassword("", a));

  SECTION("empty and non-ASCII passwords hash like any other") {
    const std::string empty = mb::HashPassword("", kCheap);
    CHECK(mb::VerifyPassword("", empty));
    CHECK_FALSE(mb::VerifyPassword(" ", empty));
    const std::string kana = mb::HashPassword("ﾐｽﾞﾓﾘ", kCheap);
    CHECK(mb::VerifyPassword("ﾐｽﾞﾓﾘ", kana));
    CHECK_FALSE(mb::VerifyPassword("ミズモリ", kana));  // no normalisation: bytes are what count
  }
}

TEST_CASE("the stored format parses into its parameters, salt and hash", "[auth]") {
  const std::string stored = mb::HashPassword("pw-for-parsing", kCheap);
  CHECK(stored.rfind("$scrypt$ln=10,r=8,p=1$", 0) == 0);
  auto parsed = mb::ParsePasswordHash(stored);
  REQUIRE(parsed);
  CHECK(parsed->params == kCheap);
  CHECK(parsed->salt.size() == 16);
  CHECK(parsed->hash.size() == 32);
  // Re-assembling the parts gives back the same string: the format is canonical.
  CHECK("$scrypt$ln=10,r=8,p=1$" + mb::Base64Encode(parsed->salt) + "$" + mb::Base64Encode(parsed->hash) ==
        stored);
}

TEST_CASE("tampered or malformed stored hashes verify as false without crashing", "[auth]") {
  const std::string stored = mb::HashPassword("hunter2-but-longer", kCheap);
  REQUIRE(mb::VerifyPassword("hunter2-but-longer", stored));
  const std::size_t last = stored.rfind('$');
  const std::size_t salt_at = stored.rfind('$', last - 1) + 1;

  CHECK_FALSE(mb::VerifyPassword("hunter2-but-longer", FlipAt(stored, last + 5)));     // hash byte
  CHECK_FALSE(mb::VerifyPassword("hunter2-but-longer", FlipAt(stored, salt_at + 3)));  // salt byte
  std::string other_cost = stored;
  other_cost.replace(other_cost.find("ln=10"), 5, "ln=11");
  CHECK_FALSE(mb::VerifyPassword("hunter2-but-longer", other_cost));
  std::string other_p = stored;
  other_p.replace(other_p.find("p=1"), 3, "p=2");
  CHECK_FALSE(mb::VerifyPassword("hunter2-but-longer", other_p));

  const std::vector<std::string> malformed = {
      "",
      "$scrypt$",
      "$scrypt$ln=10,r=8,p=1$",
      "$scrypt$ln=10,r=8,p=1$c2FsdHNhbHRzYWx0$",
      "$scrypt$ln=10,r=8,p=1$$" + stored.substr(last + 1),
      stored + "$",
      stored + "=",
      stored + " ",
      " " + stored,
      stored.substr(0, stored.size() - 2),  // truncated hash: 41 characters is no whole number of bytes
      stored.substr(1),
      "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
      "$scrypt$ln=010,r=8,p=1" + stored.substr(stored.find('$', 8)),
      "$scrypt$r=8,ln=10,p=1" + stored.substr(stored.find('$', 8)),
      "$scrypt$ln=10,r=8" + stored.substr(stored.find('$', 8)),
      "$scrypt$ln=10,r=8,p=1,x=2" + stored.substr(stored.find('$', 8)),
      "$scrypt$ln=-1,r=8,p=1" + stored.substr(stored.find('$', 8)),
      "$scrypt$ln=0,r=8,p=1" + stored.substr(stored.find('$', 8)),
      "$scrypt$ln=30,r=8,p=1" + stored.substr(stored.find('$', 8)),  // 128 GiB: refused, not attempted
      "$scrypt$ln=10,r=0,p=1" + stored.substr(stored.find('$', 8)),
      "$scrypt$ln=10,r=8,p=99" + stored.substr(stored.find('$', 8)),
      "$scrypt$ln=10,r=8,p=1$!!!!$" + stored.substr(last + 1),
      "$scrypt$ln=10,r=8,p=1$c2FsdA$" + stored.substr(last + 1),                      // 4-byte salt
      "$scrypt$ln=10,r=8,p=1$" + mb::Base64Encode(std::string(16, 's')) + "$aGFzaA",  // 4-byte hash
      std::string("$scrypt$ln=10,r=8,p=1$\0\0$\0", 26),
      "$scrypt$ln=１０,r=8,p=1" + stored.substr(stored.find('$', 8)),
  };
  for (const auto& bad : malformed) {
    INFO(bad);
    CHECK_FALSE(mb::ParsePasswordHash(bad));
    CHECK_FALSE(mb::VerifyPassword("hunter2-but-longer", bad));
    CHECK(mb::NeedsRehash(bad));
  }
  CHECK_THROWS_AS(mb::HashPassword("x", mb::PasswordHashParams{40, 8, 1}), std::invalid_argument);
}

TEST_CASE("NeedsRehash flags hashes made with other parameters than the current ones", "[auth]") {
  const std::string cheap = mb::HashPassword("rehash me please", kCheap);
  CHECK(mb::NeedsRehash(cheap));  // against the default OWASP cost
  CHECK(mb::NeedsRehash(cheap, mb::PasswordHashParams{11, 8, 1}));
  CHECK(mb::NeedsRehash(cheap, mb::PasswordHashParams{10, 8, 2}));
  CHECK_FALSE(mb::NeedsRehash(cheap, kCheap));
}

// ---------------------------------------------------------------------------------------------------------
// Secrets

TEST_CASE("base64 encodes RFC 4648 vectors without padding and decodes strictly", "[auth]") {
  const std::array<std::pair<std::string_view, std::string_view>, 7> vectors = {{
      {"", ""},
      {"f", "Zg"},
      {"fo", "Zm8"},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg"},
      {"fooba", "Zm9vYmE"},
      {"foobar", "Zm9vYmFy"},
  }};
  for (auto [plain, encoded] : vectors) {
    CHECK(mb::Base64Encode(plain) == encoded);
    CHECK(mb::Base64Decode(encoded) == std::string(plain));
  }
  CHECK(mb::Base64Encode("\xfb\xff", false) == "+/8");
  CHECK(mb::Base64Encode("\xfb\xff", true) == "-_8");
  CHECK(mb::Base64Decode("-_8", true) == std::string("\xfb\xff"));
  CHECK_FALSE(mb::Base64Decode("-_8", false));
  CHECK_FALSE(mb::Base64Decode("Zg=="));
  CHECK_FALSE(mb::Base64Decode("Z"));
  CHECK_FALSE(mb::Base64Decode("Zh"));  // non-zero leftover bits
  CHECK_FALSE(mb::Base64Decode("Zm9 v"));
}

TEST_CASE("RandomBytes and RandomToken: right sizes, base64url alphabet, no repeats", "[auth]") {
  CHECK(mb::RandomBytes(0).empty());
  CHECK(mb::RandomBytes(16).size() == 16);
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    std::string token = mb::RandomToken();
    REQUIRE(token.size() == 43);  // 256 bits
    REQUIRE(std::all_of(token.begin(), token.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
             c == '_';
    }));
    REQUIRE(mb::Base64Decode(token, true)->size() == 32);
    seen.insert(std::move(token));
  }
  CHECK(seen.size() == 10000);
}

TEST_CASE("SixDigitCode is always six digits and its digits are uniform", "[auth]") {
  // Chi-square over 100,000 codes, 9 degrees of freedom: the 0.1% critical value is 27.9; 40 leaves a
  // false-alarm chance below 1e-5 while a modulo bias or a stuck digit would blow far past it.
  constexpr int kDraws = 100000;
  std::array<int, 10> first{}, last{};
  std::set<std::string> distinct;
  for (int i = 0; i < kDraws; ++i) {
    std::string code = mb::SixDigitCode();
    REQUIRE(code.size() == 6);
    REQUIRE(std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; }));
    ++first[code[0] - '0'];
    ++last[code[5] - '0'];
    if (distinct.size() < 20000) distinct.insert(code);
  }
  auto chi_square = [](const std::array<int, 10>& counts) {
    double expected = kDraws / 10.0, sum = 0;
    for (int c : counts) sum += (c - expected) * (c - expected) / expected;
    return sum;
  };
  CHECK(chi_square(first) < 40.0);
  CHECK(chi_square(last) < 40.0);
  CHECK(first[0] > 0);  // leading zeros are kept ("000123", not "123")
  CHECK(distinct.size() > 19000);
}

TEST_CASE("SHA-256 and HMAC-SHA-256 match published answers", "[auth]") {
  CHECK(mb::Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(mb::Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // Each thread reuses one digest context: a digest after another on the same thread starts clean (FIPS
  // 180-2's two-block message after "abc"), and threads hashing at once do not mix their inputs.
  CHECK(mb::Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(mb::Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&wrong, t] {
      for (int i = 0; i < 2000; ++i) {
        const bool empty = (i + t) % 2 == 0;
        const std::string want = empty ? "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
                                       : "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        if (mb::Sha256Hex(empty ? "" : "abc") != want) ++wrong;
      }
    });
  for (auto& th : threads) th.join();
  CHECK(wrong == 0);
  // RFC 4231 test case 2.
  CHECK(mb::HmacSha256Hex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // RFC 4231 test case 6: a key longer than the block size is hashed first.
  CHECK(
      mb::HmacSha256Hex(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First") ==
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  CHECK(mb::HashSecret("token") == mb::Sha256Hex("token"));
}

TEST_CASE("HashCode binds a code to the server key and its context", "[auth]") {
  const std::string key(32, 'k');
  const std::string h = mb::HashCode(key, "signup:a@example.jp", "012345");
  CHECK(h.size() == 64);
  CHECK(h == mb::HashCode(key, "signup:a@example.jp", "012345"));
  CHECK(h != mb::HashCode(std::string(32, 'K'), "signup:a@example.jp", "012345"));
  CHECK(h != mb::HashCode(key, "reset:a@example.jp", "012345"));
  CHECK(h != mb::HashCode(key, "signup:a@example.jp", "012346"));
  CHECK(h != mb::Sha256Hex("012345"));
  // The context/code boundary is unambiguous.
  CHECK(mb::HashCode(key, "ab", "c") != mb::HashCode(key, "a", "bc"));
  CHECK_THROWS_AS(mb::HashCode("short", "ctx", "123456"), std::invalid_argument);
}

TEST_CASE("ConstantTimeEquals compares contents and lengths", "[auth]") {
  CHECK(mb::ConstantTimeEquals("", ""));
  CHECK(mb::ConstantTimeEquals("abc", "abc"));
  CHECK_FALSE(mb::ConstantTimeEquals("abc", "abd"));
  CHECK_FALSE(mb::ConstantTimeEquals("abc", "abcd"));
  CHECK_FALSE(mb::ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

// ---------------------------------------------------------------------------------------------------------
// Common / guessable passwords

TEST_CASE("IsCommonPassword refuses common, repeated and personal passwords", "[auth]") {
  const std::vector<std::string> context = {"taro.yamada@example.jp"};
  for (const char* pw :
       {"password", "12345678", "qwertyui", "iloveyou", "PASSWORD", "Password1", "87654321", "abcdefgh",
        "1q2w3e4r", "aaaaaaaa", "ああああああああ", "AaAaAaAa", "taro.yamada", "Taro.Yamada2026",
        "my taro.yamada pw", "ｐａｓｓｗｏｒｄ", "ＴＡＲＯ．ＹＡＭＡＤＡ"}) {
    INFO(pw);
    CHECK(mb::IsCommonPassword(pw, context));
  }
  CHECK(mb::CommonPasswordReason("12345678") == "list");
  CHECK(mb::CommonPasswordReason("aaaaaaaa") == "repeated");
  CHECK(mb::CommonPasswordReason("ああああああああ") == "repeated");
  CHECK(mb::CommonPasswordReason("xx-taro.yamada-xx", context) == "context");
  // The local part is what counts, not the address or its domain.
  CHECK_FALSE(mb::IsCommonPassword("example.jp rivers flow", context));
  // Context words shorter than three characters would refuse half of all passwords: ignored.
  CHECK_FALSE(mb::IsCommonPassword("a cab ride to the river", {"ab@example.jp"}));
}

TEST_CASE("IsCommonPassword accepts long passphrases, Japanese included", "[auth]") {
  const std::vector<std::string> context = {"taro.yamada@example.jp", "yamada taro"};
  for (const char* pw : {"みずもり水道 2026 なつ", "correct horse battery staple", "Tr0ub4dor&3 rides again",
                         "水道メーターを毎月見る", "yamadaではない長い合言葉", "毎月のwater使用量を見る",
                         "sunshine の 日曜日 に 散歩"}) {
    INFO(pw);
    CHECK_FALSE(mb::CommonPasswordReason(pw, context));
  }
}

TEST_CASE("cracklib's dictionary verdicts are kept, its composition verdicts ignored", "[auth]") {
  if (!mb::CracklibAvailable()) {
    WARN("cracklib dictionary missing: only the built-in list applies (install cracklib-runtime)");
    CHECK(mb::CommonPasswordReason("password") == "list");
    return;
  }
  // Dictionary words that are not on the built-in list: refused by cracklib alone.
  CHECK(mb::CommonPasswordReason("elephant") == "dictionary");
  CHECK(mb::CommonPasswordReason("Watermelon7") == "dictionary");
  CHECK(mb::CommonPasswordReason("tnahpele") == "dictionary");  // reversed
  CHECK(*mb::CracklibVerdict("tnahpele") == "it is based on a (reversed) dictionary word");
  // "too simplistic/systematic" is a composition rule: ignored.
  CHECK(mb::CracklibVerdict("abcdefg水")->find("simplistic") != std::string::npos);
  CHECK_FALSE(mb::IsCommonPassword("abcdefg水"));
  // "not enough DIFFERENT characters" likewise.
  CHECK(mb::CracklibVerdict("ab水ab水ab水")->find("DIFFERENT") != std::string::npos);
  CHECK_FALSE(mb::IsCommonPassword("ab水ab水ab水"));
  // Length is our rule, not cracklib's.
  CHECK(mb::CracklibVerdict("k9#vQ")->find("short") != std::string::npos);
  CHECK_FALSE(mb::IsCommonPassword("k9#vQ"));
  // Non-ASCII characters are masked, not purged: an English word among Japanese is not "a dictionary word"…
  CHECK(*mb::CracklibVerdict("毎月のwater使用量を見る") == "");
  // …unless it stands nearly alone.
  CHECK(mb::CommonPasswordReason("password水") == "dictionary");
  // Accepted passphrases get no verdict at all.
  CHECK(*mb::CracklibVerdict("みずもり水道 2026 なつ") == "");
  // cracklib's username rule sees the account's e-mail local part, e.g. reversed.
  CHECK_FALSE(mb::IsCommonPassword("oratadamay"));
  CHECK(mb::CommonPasswordReason("oratadamay", {"yamadataro@example.jp"}) == "context");
}

TEST_CASE("IsCommonPassword is safe to call from many threads", "[auth]") {
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (mb::CracklibAvailable() && !mb::IsCommonPassword("elephant")) ++wrong;
        if (mb::IsCommonPassword("correct horse battery staple")) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(wrong == 0);
}

// ---------------------------------------------------------------------------------------------------------
// Rate limiting

TEST_CASE("RateLimiter allows N per window, then refuses with retry_after, then recovers", "[auth]") {
  mb::RateLimiter limiter(3, 60);
  CHECK(limiter.Allow("signup:ip:203.0.113.7", 1000).allowed);
  CHECK(limiter.Allow("signup:ip:203.0.113.7", 1010).allowed);
  CHECK(limiter.Allow("signup:ip:203.0.113.7", 1020).allowed);
  auto refused = limiter.Allow("signup:ip:203.0.113.7", 1030);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.retry_after_seconds == 30);  // the 1000 event leaves the window at 1060
  // Refused attempts do not count: hammering does not push the retry further out.
  CHECK(limiter.Allow("signup:ip:203.0.113.7", 1059).retry_after_seconds == 1);
  // Other keys are independent.
  CHECK(limiter.Allow("signup:ip:198.51.100.1", 1030).allowed);
  // The window slides: one slot frees at 1060, the next at 1070.
  CHECK(limiter.Allow("signup:ip:203.0.113.7", 1060).allowed);
  CHECK_FALSE(limiter.Allow("signup:ip:203.0.113.7", 1061).allowed);
  CHECK(limiter.Allow("signup:ip:203.0.113.7", 1070).allowed);
  // Reset forgets a key at once.
  limiter.Reset("signup:ip:203.0.113.7");
  CHECK(limiter.Allow("signup:ip:203.0.113.7", 1071).allowed);
  CHECK_THROWS_AS(mb::RateLimiter(0, 60), std::invalid_argument);
}

TEST_CASE("RateLimiter keeps memory bounded: expired keys go, then the least recently used", "[auth]") {
  mb::RateLimiter limiter(1, 60, 100);
  for (int i = 0; i < 1000; ++i) limiter.Allow("ip:" + std::to_string(i), 5000);
  CHECK(limiter.KeyCount() == 100);
  // Once the window has passed, one call sweeps the expired keys.
  limiter.Allow("ip:new", 5061);
  CHECK(limiter.KeyCount() == 1);

  // A key in active use survives a flood of newer keys up to the cap, keeping its refusal.
  CHECK(limiter.Allow("acct:7", 6000).allowed);
  for (int i = 0; i < 50; ++i) {
    limiter.Allow("flood:" + std::to_string(i), 6001);
    CHECK_FALSE(limiter.Allow("acct:7", 6001).allowed);
  }
}

TEST_CASE("RateLimiter counts exactly under concurrent callers", "[auth]") {
  mb::RateLimiter limiter(1000, 3600);
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) allowed += limiter.Allow("login:acct:1", 100).allowed ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(allowed == 1000);
}

TEST_CASE("LoginThrottle delays grow exponentially, are capped, and reset on success", "[auth]") {
  mb::LoginThrottlePolicy policy;
  policy.free_failures_per_account = 3;
  policy.free_failures_per_client = 100;
  mb::LoginThrottle throttle(policy);
  int64_t now = 10000;

  for (int i = 0; i < 3; ++i) {
    REQUIRE(throttle.Check("acct:1", "ip:a", now).allowed);
    throttle.RecordFailure("acct:1", "ip:a", now);
  }
  // After the free failures: 1 s, 2 s, 4 s, … from the last failure.
  std::vector<int64_t> waits;
  for (int i = 0; i < 14; ++i) {
    auto decision =
        throttle.Check("acct:1", "ip:b", now);  // another client does not escape the account's delay
    REQUIRE_FALSE(decision.allowed);
    waits.push_back(decision.retry_after_seconds);
    now += decision.retry_after_seconds;
    REQUIRE(throttle.Check("acct:1", "ip:b", now).allowed);
    throttle.RecordFailure("acct:1", "ip:b", now);
  }
  CHECK(waits == std::vector<int64_t>{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900});
  CHECK(throttle.DelayFor(50, 3) == 900);
  CHECK(throttle.DelayFor(2, 3) == 0);

  // Never a permanent lock-out: after the capped delay the owner may try, and success clears the record.
  now += 900;
  REQUIRE(throttle.Check("acct:1", "ip:owner", now).allowed);
  throttle.RecordSuccess("acct:1");
  CHECK(throttle.Check("acct:1", "ip:owner", now).allowed);
  throttle.RecordFailure("acct:1", "ip:owner", now);
  CHECK(throttle.Check("acct:1", "ip:owner", now).allowed);  // one failure is free again
}

TEST_CASE("LoginThrottle slows one client trying many accounts, and forgets old failures", "[auth]") {
  mb::LoginThrottlePolicy policy;
  policy.free_failures_per_client = 10;
  mb::LoginThrottle throttle(policy);
  for (int i = 0; i < 10; ++i) throttle.RecordFailure("acct:" + std::to_string(i), "ip:stuffer", 500);
  auto decision = throttle.Check("acct:99", "ip:stuffer", 500);
  CHECK_FALSE(decision.allowed);
  CHECK(decision.retry_after_seconds == 1);
  CHECK(throttle.Check("acct:99", "ip:someone-else", 500).allowed);
  // A success on some account does not wipe the client's record.
  throttle.RecordSuccess("acct:3");
  CHECK_FALSE(throttle.Check("", "ip:stuffer", 500).allowed);
  // A day without failures: the client starts over.
  throttle.RecordFailure("", "ip:stuffer", 501);
  CHECK(throttle.Check("", "ip:stuffer", 501 + 24 * 3600).allowed);
  throttle.RecordFailure("", "ip:stuffer", 501 + 24 * 3600);
  CHECK(throttle.Check("", "ip:stuffer", 501 + 24 * 3600).allowed);
}

TEST_CASE("A clock stepped back never makes anyone wait beyond the rule: login delays and window limits",
          "[auth]") {
  // Records stamped "in the future" (the clock stepped back 11 days: NTP, or a test clock that was briefly
  // real time) — before, the wait was the 11 days.
  const int64_t later = 2000000, now = later - 11 * 86400;
  mb::LoginThrottlePolicy policy;
  policy.free_failures_per_account = 3;
  policy.free_failures_per_client = 100;
  mb::LoginThrottle throttle(policy);
  throttle.RecordFailure("acct:1", "ip:a", later);
  CHECK(throttle.Check("acct:1", "ip:a", now).allowed);  // one failure of three free ones
  throttle.RecordFailure("acct:1", "ip:a", later);
  throttle.RecordFailure("acct:1", "ip:a", later);
  auto decision = throttle.Check("acct:1", "ip:a", now);
  CHECK_FALSE(decision.allowed);
  CHECK(decision.retry_after_seconds == 1);  // the delay after 3 failures with 3 free: 1 s (see above)

  mb::RateLimiter limiter(2, 60);
  REQUIRE(limiter.Allow("k", later).allowed);
  REQUIRE(limiter.Allow("k", later).allowed);
  auto refused = limiter.Allow("k", now);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.retry_after_seconds == 60);  // at most the window
}

TEST_CASE("LoginThrottle keeps memory bounded", "[auth]") {
  mb::LoginThrottlePolicy policy;
  policy.max_keys = 50;
  mb::LoginThrottle throttle(policy);
  for (int i = 0; i < 500; ++i)
    throttle.RecordFailure("acct:" + std::to_string(i), "ip:" + std::to_string(i), 1);
  CHECK(throttle.KeyCount() == 50);
  throttle.RecordFailure("acct:late", "", 1 + 24 * 3600);
  CHECK(throttle.KeyCount() == 1);
}
