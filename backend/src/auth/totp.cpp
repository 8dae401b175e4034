// TOTP codes and base32 through Debian's liboath (oath-toolkit); the otpauth:// URI; QR symbols through
// Debian's libqrencode, drawn here as SVG. liboath is used for what it computes (HOTP/TOTP, base32); the
// acceptance rule (window, replay floor, constant-time compare) is ours: its validators stop at the first
// match in the order T, T+1, T−1 and take no floor, so they cannot refuse an already used step.
#include <oath.h>
#include <qrencode.h>

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <limits>
#include <memory>
#include <new>
#include <stdexcept>

#include "mizu/backend/auth.hpp"
#include "mizu/backend/markup.hpp"
#include "mizu/backend/totp.hpp"

namespace mizu::backend {
namespace {

static_assert(sizeof(time_t) >= sizeof(int64_t),
              "liboath takes time_t: it must hold epoch seconds past 2038");

constexpr int kQuietZone = 4;  // modules of light margin around the symbol (ISO/IEC 18004 §9.3)

struct FreeDeleter {
  void operator()(char* p) const { std::free(p); }
};
using OathBuffer = std::unique_ptr<char, FreeDeleter>;

// oath_init once per process (it initialises the crypto backend; Debian builds liboath on gnulib's, for
// which this is a formality). oath_done is never called: the library stays usable until exit.
void EnsureOath() {
  static const int rc = oath_init();
  if (rc != OATH_OK) throw CryptoError(std::string("liboath: oath_init: ") + oath_strerror(rc));
}

[[noreturn]] void ThrowOath(const char* what, int rc) {
  if (rc == OATH_MALLOC_ERROR) throw std::bad_alloc();
  throw CryptoError(std::string("liboath: ") + what + ": " + oath_strerror(rc));
}

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

// RFC 3986 §2.1: every byte outside the unreserved set as %XX, uppercase hex.
std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    if (IsUnreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0f];
    }
  }
  return out;
}

std::string_view TrimAsciiSpaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool IsAllDigits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// "M x y h n v1 h-n z" for each horizontal run of dark modules, offset by the quiet zone.
std::string DarkModulesPath(const QRcode& qr) {
  std::string d;
  const int width = qr.width;
  for (int y = 0; y < width; ++y) {
    const unsigned char* row = qr.data + static_cast<std::size_t>(y) * width;
    for (int x = 0; x < width;) {
      if ((row[x] & 1) == 0) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < width && (row[x + run] & 1) != 0) ++run;
      d += 'M' + std::to_string(x + kQuietZone) + ' ' + std::to_string(y + kQuietZone) + 'h' +
           std::to_string(run) + "v1h-" + std::to_string(run) + 'z';
      x += run;
    }
  }
  return d;
}

}  // namespace

std::string NewTotpSecret() {
  return RandomBytes(kTotpSecretBytes);
}

std::string TotpBase32(std::string_view secret) {
  if (secret.empty()) return {};
  EnsureOath();
  char* raw = nullptr;
  std::size_t length = 0;
  const int rc = oath_base32_encode(secret.data(), secret.size(), &raw, &length);
  OathBuffer owned(raw);
  if (rc != OATH_OK) ThrowOath("oath_base32_encode", rc);
  std::string text(raw, length);
  text.erase(text.find_last_not_of('=') + 1);  // apps take the secret unpadded (Key Uri Format)
  return text;
}

std::optional<std::string> TotpSecretFromBase32(std::string_view text) {
  std::string compact;
  compact.reserve(text.size());
  for (char c : text)
    if (c != ' ') compact += c;
  // liboath uppercases and pads an unpadded input itself, but refuses a partial padding ("MY=").
  while (!compact.empty() && compact.back() == '=') compact.pop_back();
  if (compact.empty()) return std::nullopt;
  EnsureOath();
  char* raw = nullptr;
  std::size_t length = 0;
  const int rc = oath_base32_decode(compact.data(), compact.size(), &raw, &length);
  OathBuffer owned(raw);
  if (rc == OATH_MALLOC_ERROR) throw std::bad_alloc();
  if (rc != OATH_OK || length == 0) return std::nullopt;
  return std::string(raw, length);
}

std::string TotpCode(std::string_view secret, int64_t unix_time, int digits, TotpHash hash) {
  if (secret.empty()) throw std::invalid_argument("TotpCode: empty secret");
  if (unix_time < 0) throw std::invalid_argument("TotpCode: time before the Unix epoch");
  if (digits < 6 || digits > 8) throw std::invalid_argument("TotpCode: digits must be 6, 7 or 8");
  EnsureOath();
  const int flags = hash == TotpHash::kSha256   ? OATH_TOTP_HMAC_SHA256
                    : hash == TotpHash::kSha512 ? OATH_TOTP_HMAC_SHA512
                                                : 0;
  char code[9] = {};  // up to 8 digits + NUL
  const int rc =
      oath_totp_generate2(secret.data(), secret.size(), static_cast<time_t>(unix_time), kTotpStepSeconds,
                          OATH_TOTP_DEFAULT_START_TIME, static_cast<unsigned>(digits), flags, code);
  if (rc != OATH_OK) ThrowOath("oath_totp_generate2", rc);
  return std::string(code, static_cast<std::size_t>(digits));
}

std::optional<int64_t> VerifyTotp(std::string_view secret, std::string_view code, int64_t now,
                                  int64_t last_used_step) {
  if (secret.empty()) throw std::invalid_argument("VerifyTotp: empty secret");
  if (now < 0) throw std::invalid_argument("VerifyTotp: time before the Unix epoch");
  const std::string_view typed = TrimAsciiSpaces(code);
  if (typed.size() != static_cast<std::size_t>(kTotpDigits) || !IsAllDigits(typed)) return std::nullopt;
  constexpr int64_t kLastStep = std::numeric_limits<int64_t>::max() / kTotpStepSeconds;
  const int64_t current = now / kTotpStepSeconds;
  std::optional<int64_t> accepted;
  for (int64_t step = current - 1; step <= current + 1; ++step) {
    if (step < 0 || step > kLastStep) continue;  // before the epoch / past what int64 seconds can hold
    const bool same = ConstantTimeEquals(TotpCode(secret, step * kTotpStepSeconds), typed);
    if (same && step > last_used_step) accepted = step;  // ascending: the latest fresh match wins
  }
  return accepted;
}

std::string TotpUri(std::string_view issuer, std::string_view account, std::string_view secret) {
  if (issuer.empty() || account.empty() || secret.empty()) {
    throw std::invalid_argument("TotpUri: issuer, account and secret must not be empty");
  }
  const std::string issuer_encoded = PercentEncode(issuer);
  return "otpauth://totp/" + issuer_encoded + ':' + PercentEncode(account) + "?secret=" + TotpBase32(secret) +
         "&issuer=" + issuer_encoded + "&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) +
         "&period=" + std::to_string(kTotpStepSeconds);
}

namespace {

using QrSymbol = std::unique_ptr<QRcode, decltype(&QRcode_free)>;

// The text as a QR symbol at level M (libqrencode), with QrSvg's errors.
QrSymbol EncodeQr(std::string_view text) {
  if (text.empty()) throw std::invalid_argument("QrSvg: empty text");
  if (text.find('\0') != std::string_view::npos) throw std::invalid_argument("QrSvg: text contains NUL");
  const std::string c_text(text);
  errno = 0;
  QrSymbol qr(QRcode_encodeString(c_text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, /*casesensitive=*/1),
              &QRcode_free);
  if (!qr) {
    const int error = errno;
    if (error == ERANGE) {
      throw std::length_error("QrSvg: " + std::to_string(text.size()) +
                              " bytes are too long for a QR code at error correction level M");
    }
    if (error == ENOMEM) throw std::bad_alloc();
    throw std::runtime_error("QrSvg: libqrencode refused the text (errno " + std::to_string(error) + ")");
  }
  return qr;
}

}  // namespace

std::vector<std::string> QrModules(std::string_view text) {
  const QrSymbol qr = EncodeQr(text);
  std::vector<std::string> rows(static_cast<size_t>(qr->width),
                                std::string(static_cast<size_t>(qr->width), '0'));
  for (int y = 0; y < qr->width; ++y)
    for (int x = 0; x < qr->width; ++x)
      if (qr->data[y * qr->width + x] & 1) rows[y][x] = '1';  // bit 0: dark (libqrencode's qrencode.h)
  return rows;
}

std::string QrSvg(std::string_view text, std::string_view title) {
  const QrSymbol qr = EncodeQr(text);
  const std::string side = std::to_string(qr->width + 2 * kQuietZone);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + side + ' ' + side +
         "\" role=\"img\" shape-rendering=\"crispEdges\"><title>" + EscapeMarkup(title) +
         "</title><rect width=\"" + side + "\" height=\"" + side +
         "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + DarkModulesPath(*qr) + "\"/></svg>";
}

}  // namespace mizu::backend
