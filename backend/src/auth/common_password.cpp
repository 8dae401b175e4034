// The common/guessable-password check: a built-in list, cracklib's dictionary verdicts (only those), the
// account's own words, and one-repeated-character. See auth.hpp for exactly what is refused and why.
#include <cstddef>  // before crack.h, which uses size_t without including it

#include <crack.h>
#include <libintl.h>
extern "C" {
#include <packer.h>  // PWOpen / PWClose; the header has no extern "C" of its own
}

#include <algorithm>
#include <array>
#include <mutex>

#include "mizu/backend/auth.hpp"

namespace mizu::backend {
namespace {

// Most common passwords of the public breach-frequency lists (all lengths, lowercase), plus this service's
// own name (NIST: context-specific words). Entries cracklib cannot catch matter most: digit/keyboard runs,
// which it judges "too simplistic" (a composition verdict we ignore) before looking at its dictionary.
constexpr std::string_view kCommonPasswords[] = {
    "000000",     "0000000000", "00000000",    "0123456789",   "0987654321",    "1111",
    "111111",     "11111111",   "1111111111",  "112233",       "11223344",      "121212",
    "12121212",   "123123",     "123123123",   "123321",       "1234",          "12341234",
    "12344321",   "12345",      "123456",      "1234567",      "12345678",      "123456789",
    "1234567890", "123456a",    "12345qwert",  "1234abcd",     "1234qwer",      "123654789",
    "123abc",     "123qwe",     "123qweasd",   "123qweasdzxc", "13131313",      "147258369",
    "159753",     "1q2w3e",     "1q2w3e4r",    "1q2w3e4r5t",   "1q2w3e4r5t6y",  "1qaz2wsx",
    "1qazxsw2",   "2wsx3edc",   "3edc4rfv",    "5201314",      "654321",        "666666",
    "66666666",   "7777777",    "741852963",   "87654321",     "888888",        "88888888",
    "987654321",  "99999999",   "!qaz2wsx",    "!qaz@wsx",     "a1b2c3d4",      "aa123456",
    "abc123",     "abc12345",   "abcd1234",    "abcdefg",      "abcdefg1",      "abcdefgh",
    "abcdefghi",  "admin",      "admin123",    "admin1234",    "administrator", "aishiteru",
    "arigatou",   "asdasdasd",  "asdf1234",    "asdfasdf",     "asdfgh",        "asdfghjk",
    "asdfghjkl",  "baseball",   "basketball",  "batman",       "changeme",      "charlie",
    "computer",   "daisuki",    "default",     "doraemon",     "dragon",        "football",
    "freedom",    "guest",      "hello123",    "hellohello",   "iloveu",        "iloveyou",
    "iloveyou1",  "internet",   "jennifer",    "jordan23",     "killer",        "letmein",
    "letmein1",   "login",      "loveme",      "master",       "michael",       "mizumori",
    "mizumori1",  "monkey",     "mypassword",  "naruto",       "p@ssw0rd",      "p@ssword",
    "pass1234",   "passpass",   "passw0rd",    "password",     "password!",     "password1",
    "password1!", "password12", "password123", "password2024", "password2025",  "password2026",
    "pikachu",    "pokemon",    "princess",    "q1w2e3r4",     "q1w2e3r4t5",    "qazwsx",
    "qazwsxedc",  "qwe123",     "qweasdzxc",   "qweqweqwe",    "qwer1234",      "qwerty",
    "qwerty1",    "qwerty123",  "qwertyui",    "qwertyuiop",   "root",          "sakura",
    "sakura123",  "secret",     "secret123",   "shadow",       "soccer",        "starwars",
    "sunshine",   "superman",   "suidou",      "temp1234",     "test123",       "test1234",
    "testtest",   "tokyo2020",  "toor",        "trustno1",     "welcome",       "welcome1",
    "welcome123", "whatever",   "zaq12wsx",    "zaq1zaq1",     "zxcvbnm",       "zxcvbnm1",
};

// cracklib verdicts we keep: dictionary words (the first two) and the account's own data. Everything else it
// can say is a length or composition rule (or an internal error) and is ignored.
constexpr std::array<const char*, 8> kKeptVerdicts = {
    "it is based on a dictionary word",
    "it is based on a (reversed) dictionary word",
    "it is based on your username",
    "it is based upon your password entry",
    "it is derived from your password entry",
    "it's derived from your password entry",
    "it is derivable from your password entry",
    "it's derivable from your password entry",
};

// FascistCheck keeps static buffers (Mangle) and opens the dictionary per call: one caller at a time.
std::mutex& CracklibMutex() {
  static std::mutex m;
  return m;
}

struct CodePoint {
  char32_t value;          // an invalid byte b decodes to 0xDC00 + b, so it stays distinct
  std::string_view bytes;  // a view into the decoded text: keep it alive
};

// Decodes UTF-8 leniently (never fails; see CodePoint::value).
std::vector<CodePoint> Decode(std::string_view text) {
  std::vector<CodePoint> out;
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    std::size_t len = lead < 0x80           ? 1
                      : (lead >> 5) == 0x6  ? 2
                      : (lead >> 4) == 0xe  ? 3
                      : (lead >> 3) == 0x1e ? 4
                                            : 0;
    char32_t value = len == 1 ? lead : len == 2 ? (lead & 0x1f) : len == 3 ? (lead & 0x0f) : (lead & 0x07);
    if (i + len > text.size()) len = 0;
    for (std::size_t k = 1; k < len; ++k) {
      const unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) {
        len = 0;
        break;
      }
      value = (value << 6) | (next & 0x3f);
    }
    if (len == 0) {
      out.push_back({static_cast<char32_t>(0xDC00 + lead), text.substr(i, 1)});
      i += 1;
    } else {
      out.push_back({value, text.substr(i, len)});
      i += len;
    }
  }
  return out;
}

// Full-width ASCII (U+FF01–FF5E) and the ideographic space folded to ASCII, ASCII lowercased:
// "ｐａｓｓｗｏｒｄ" (an IME left in full-width mode) is as guessable as "password".
std::string Folded(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const CodePoint& cp : Decode(text)) {
    char32_t c = cp.value;
    if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;
    if (c == 0x3000) c = U' ';
    if (c >= U'A' && c <= U'Z') c += U'a' - U'A';
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      out.append(cp.bytes);
    }
  }
  return out;
}

// What cracklib is shown: each non-ASCII character as one 'q'. Its mangling rules purge every byte that is
// not an ASCII letter or digit, so unmasked "毎月のwater使用量を見る" would be judged as the word "water";
// masked, the English word must still stand (nearly) alone to be refused: "password水" still is.
std::string CracklibForm(std::string_view folded) {
  std::string out;
  for (const CodePoint& cp : Decode(folded))
    out.push_back(cp.value < 0x80 ? static_cast<char>(cp.value) : 'q');
  return out;
}

bool IsAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// The word a context entry contributes: an e-mail address gives its local part.
std::string_view ContextWord(std::string_view word) {
  std::size_t at = word.rfind('@');
  return at == std::string_view::npos ? word : word.substr(0, at);
}

bool IsOneRepeatedCharacter(const std::string& folded) {
  auto points = Decode(folded);
  return std::all_of(points.begin(), points.end(),
                     [&](const CodePoint& p) { return p.value == points[0].value; });
}

bool ContainsContextWord(const std::string& folded, const std::vector<std::string>& context_words) {
  for (const auto& entry : context_words) {
    const std::string word = Folded(ContextWord(entry));
    if (Decode(word).size() < 3) continue;
    if (folded.find(word) != std::string::npos) return true;
  }
  return false;
}

bool InBuiltInList(const std::string& folded) {
  return std::find(std::begin(kCommonPasswords), std::end(kCommonPasswords), folded) !=
         std::end(kCommonPasswords);
}

// "dictionary" or "context" for a kept verdict, nullopt for an ignored one.
std::optional<std::string> KeptVerdict(const char* verdict) {
  for (std::size_t i = 0; i < std::size(kKeptVerdicts); ++i) {
    const char* kept = kKeptVerdicts[i];
    // cracklib returns dgettext("cracklib", msgid): compare in the process's current message locale too.
    if (std::string_view(verdict) == kept || std::string_view(verdict) == dgettext("cracklib", kept)) {
      return i < 2 ? "dictionary" : "context";
    }
  }
  return std::nullopt;
}

// Calls cracklib on CracklibForm(folded) with username = the first context word's local part and
// gecos = the other words (ASCII ones only: masked, a Japanese name would "match" any Japanese password).
// The caller holds the mutex.
const char* CallCracklib(const std::string& folded, const std::vector<std::string>& context_words) {
  // A username that no password can be derived from, when there is none (an empty one would match a
  // password that mangles to the empty string).
  std::string user = "\x7f";
  std::string gecos;
  for (std::size_t i = 0; i < context_words.size(); ++i) {
    const std::string word = Folded(ContextWord(context_words[i]));
    if (word.empty() || !IsAscii(word)) continue;
    if (i == 0) {
      user = word;
    } else {
      gecos += (gecos.empty() ? "" : " ") + word;
    }
  }
  const std::string input = CracklibForm(folded);
  return FascistCheckUser(input.c_str(), GetDefaultCracklibDict(), user.c_str(), gecos.c_str());
}

// Why cracklib refuses password ("dictionary" / "context"), if it does for a reason we keep.
std::optional<std::string> CracklibRefusal(const std::string& folded,
                                           const std::vector<std::string>& context_words) {
  if (!CracklibAvailable()) return std::nullopt;
  std::lock_guard lock(CracklibMutex());
  const char* verdict = CallCracklib(folded, context_words);
  if (verdict == nullptr) return std::nullopt;
  return KeptVerdict(verdict);
}

}  // namespace

bool CracklibAvailable() {
  static const bool available = [] {
    std::lock_guard lock(CracklibMutex());
    PWDICT* dict = PWOpen(GetDefaultCracklibDict(), const_cast<char*>("r"));
    if (dict == nullptr) return false;
    PWClose(dict);
    return true;
  }();
  return available;
}

std::optional<std::string> CracklibVerdict(std::string_view password) {
  if (!CracklibAvailable()) return std::nullopt;
  std::lock_guard lock(CracklibMutex());
  const char* verdict = CallCracklib(Folded(password), {});
  return verdict == nullptr ? std::string() : std::string(verdict);
}

std::optional<std::string> CommonPasswordReason(std::string_view password,
                                                const std::vector<std::string>& context_words) {
  const std::string folded = Folded(password);
  if (IsOneRepeatedCharacter(folded)) return "repeated";
  if (InBuiltInList(folded)) return "list";
  if (ContainsContextWord(folded, context_words)) return "context";
  return CracklibRefusal(folded, context_words);
}

bool IsCommonPassword(std::string_view password, const std::vector<std::string>& context_words) {
  return CommonPasswordReason(password, context_words).has_value();
}

}  // namespace mizu::backend
