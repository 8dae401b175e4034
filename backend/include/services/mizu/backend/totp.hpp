#pragma once
// Time-based one-time passwords for staff accounts' second factor, and the QR code that enrols them.
// Pure building blocks: no HTTP, no database; time is passed in by the caller (UTC epoch seconds); all of it
// is thread-safe.
//   [X] TOTP (RFC 6238) over HOTP (RFC 4226): 30 s steps from the Unix epoch, 6 digits, HMAC-SHA-1 for staff;
//       HMAC-SHA-256/512 and 7–8 digits only so the RFC's test vectors can be reproduced — Debian's liboath
//       (oath-toolkit) computes every code
//   [X] verification of steps T−1, T, T+1 with a replay floor (the last step accepted for the account)
//   [X] base32 (RFC 4648 §6) through liboath, unpadded as authenticator apps take it
//   [X] the otpauth:// Key Uri Format (Google Authenticator's wiki) and its QR code as an SVG string:
//       Debian's libqrencode makes the symbol, we draw it
//   [ ] HOTP counters, other step sizes or epochs — staff authenticators all use 30 s TOTP
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mizu::backend {

inline constexpr int kTotpStepSeconds = 30;          // RFC 6238 X, counted from T0 = 0 (the Unix epoch)
inline constexpr int kTotpDigits = 6;                // what staff type
inline constexpr std::size_t kTotpSecretBytes = 20;  // 160 bits: RFC 4226 §4 R6 recommends it; SHA-1's size

// The HMAC of the TOTP computation. Staff use kSha1 (the only one every authenticator app supports).
enum class TotpHash { kSha1, kSha256, kSha512 };

// A new shared secret: kTotpSecretBytes raw bytes from the CSPRNG (RandomBytes). Store it encrypted or in a
// table only the login path reads: unlike a password hash it is what the codes are made from. Throws
// CryptoError if OpenSSL has no randomness.
std::string NewTotpSecret();

// RFC 4648 §6 base32 of secret (A–Z, 2–7) without '=' padding: what authenticator apps take when the secret
// is typed in. "" for an empty secret.
std::string TotpBase32(std::string_view secret);
// Inverse of TotpBase32, tolerant of what people copy or type: lowercase, ASCII spaces anywhere
// ("gezd gnbv"), '=' padding at the end, complete or not. nullopt for any other character, an impossible
// length (1, 3 or 6 characters past a multiple of 8) or nothing left to decode. Does not judge the secret's
// length.
std::optional<std::string> TotpSecretFromBase32(std::string_view text);

// The code for the 30 s step holding unix_time (UTC epoch seconds ≥ 0): RFC 6238 with T = floor(unix_time /
// 30), i.e. RFC 4226 HOTP of counter T, dynamic truncation, zero-padded to `digits` decimal digits.
// secret is raw bytes (not base32). Throws std::invalid_argument for an empty secret, unix_time < 0 or digits
// outside 6–8 (liboath's range).
std::string TotpCode(std::string_view secret, int64_t unix_time, int digits = kTotpDigits,
                     TotpHash hash = TotpHash::kSha1);

// The step whose 6-digit SHA-1 code equals `code`, among T−1, T and T+1 (T = floor(now / 30), now in UTC
// epoch seconds ≥ 0): one step of delay or clock drift either way (RFC 6238 §5.2, §6). Refuses (nullopt) a
// step ≤ last_used_step — pass the step this returned at the account's last successful login (-1 if none)
// and store the new one, so a code is never accepted twice (§5.2: MUST NOT), even by a request racing this
// one (store it with a conditional UPDATE … WHERE last_step < ?). Refuses a code that is not exactly 6
// ASCII digits once ASCII spaces at both ends are trimmed ("123 456", full-width digits: normalise first).
// Every candidate is computed and compared with ConstantTimeEquals whatever matched; if a code happens to
// match two fresh steps, the later one is returned so that the same digits cannot be replayed on it.
// Throws std::invalid_argument for an empty secret or now < 0.
std::optional<int64_t> VerifyTotp(std::string_view secret, std::string_view code, int64_t now,
                                  int64_t last_used_step = -1);

// The enrolment URI of the Key Uri Format (github.com/google/google-authenticator/wiki/Key-Uri-Format):
//   otpauth://totp/<issuer>:<account>?secret=<BASE32>&issuer=<issuer>&algorithm=SHA1&digits=6&period=30
// issuer and account are percent-encoded UTF-8: every byte outside RFC 3986's unreserved set (A–Z a–z 0–9
// - . _ ~) becomes %XX, uppercase hex ("水守" → %E6%B0%B4%E5%AE%88, ' ' → %20, '@' → %40, ':' → %3A); the
// ':' between them is literal. secret is raw bytes, written as TotpBase32. Throws std::invalid_argument
// if issuer, account or secret is empty.
std::string TotpUri(std::string_view issuer, std::string_view account, std::string_view secret);

// text (UTF-8 bytes, e.g. a TotpUri) as a QR code (ISO/IEC 18004, error correction level M, the smallest
// version that holds it, chosen by libqrencode), drawn as one SVG element:
//   <svg xmlns=… viewBox="0 0 N N" role="img" shape-rendering="crispEdges"><title>title</title>
//   <rect …white…/><path d="…dark modules…"/></svg>
// One viewBox unit is one module; N = symbol width + 8 (a 4-module light quiet zone on each side, ISO/IEC
// 18004 §9.3). No width/height: it takes the size its container gives it. title (XML-escaped) is the
// accessible name, e.g. "二段階認証の登録用QRコード". Throws std::invalid_argument for empty text or text
// containing NUL, std::length_error if text is too long for any QR version (at level M: 2,331 bytes when
// all of it needs 8-bit mode, more if long runs are digits or upper-case), std::runtime_error if libqrencode
// fails otherwise (out of memory).
std::string QrSvg(std::string_view text, std::string_view title = "QR code");
// The same symbol as rows of '1' (dark) and '0' (light) modules, without the quiet zone: the web app draws
// it (ui::QrCode). Same errors as QrSvg.
std::vector<std::string> QrModules(std::string_view text);

}  // namespace mizu::backend
