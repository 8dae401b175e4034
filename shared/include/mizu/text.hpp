#pragma once
// Japanese input normalisation and validators. Validators take already-normalised text and return the error
// code (see errors.hpp) or nullopt when the value is acceptable. All strings are UTF-8.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mizu/errors.hpp"

namespace mizu {

// Number of Unicode code points (invalid bytes count as one each).
size_t Utf8Length(std::string_view s);

// One UTF-8 decoding step: `len` bytes giving `cp`, or (ok == false) one invalid byte, cp = that byte.
struct Utf8Char {
  char32_t cp = 0;
  size_t len = 1;
  bool ok = false;
};
// Decodes at s[pos] (pos < s.size()); overlongs, surrogates, > U+10FFFF and truncated sequences are invalid.
Utf8Char DecodeUtf8At(std::string_view s, size_t pos);

// Full-width ASCII (！…～) → half-width; ideographic space → space; dash look-alikes (‐‑‒–—―−－﹣ and the
// katakana prolonged sound mark ー / ｰ ONLY when between two digits) → '-'; half-width katakana → full-width
// (composing ﾞ/ﾟ into voiced forms). Everything else is kept.
std::string NormalizeWidth(std::string_view s);
// Trims leading/trailing whitespace (ASCII and ideographic) and collapses inner runs into one ASCII space.
std::string CollapseSpaces(std::string_view s);
// A–Z → a–z; every other byte (UTF-8 sequences included) unchanged, whatever the C locale. For protocol
// tokens, codes and e-mail keys, never for display text.
std::string AsciiLower(std::string_view s);
// Without leading and trailing spaces and tabs (HTTP's optional whitespace, CSV cells); inner ones are kept,
// and nothing else (no CR, no ideographic space) is trimmed.
std::string_view TrimSpacesTabs(std::string_view s);
// ぁ…ゖ and ゝゞ → their katakana; other text unchanged.
std::string HiraganaToKatakana(std::string_view s);
// For kana name fields: NormalizeWidth + HiraganaToKatakana + CollapseSpaces.
std::string NormalizeKanaName(std::string_view s);
// NormalizeWidth + CollapseSpaces: what every free-text field gets before validation.
std::string NormalizeText(std::string_view s);

// Customer number (お客様番号): length and display grouping are utility settings.
struct CustomerNumberFormat {
  int digits = 11;
  std::vector<int> groups = {1, 10};  // display "0-0000008002"; groups must sum to digits
};
// Digits only after width normalisation, hyphens and spaces removed; nullopt if anything else is present.
std::optional<std::string> NormalizeCustomerNumber(std::string_view input);
// kCustomerNumberInvalid unless exactly fmt.digits ASCII digits.
std::optional<ErrorCode> ValidateCustomerNumber(std::string_view digits, const CustomerNumberFormat& fmt);
// "00000008002" → "0-0000008002" (returns the input unchanged if its length does not match the format).
std::string FormatCustomerNumber(std::string_view digits, const CustomerNumberFormat& fmt);

// Phone: width-normalised, hyphens/spaces/parentheses removed, "+81" → "0"; nullopt if other characters
// remain.
std::optional<std::string> NormalizePhone(std::string_view input);
// Japanese numbers: landline 10 digits (0 + non-zero), mobile/IP/M2M 070/080/090/050/060/020 11 digits,
// 0120 10 digits, 0800 11 digits. kPhoneInvalid otherwise.
std::optional<ErrorCode> ValidatePhone(std::string_view digits);
bool IsMobilePhone(std::string_view digits);

// A form field as the server and the web app both check it (so a form can flag every field at once before it
// sends, and the server answers the same): the normalised value, or the error code (kRequired when empty).
struct FieldCheck {
  std::string value;
  std::optional<ErrorCode> error;
};
// お客様番号: required, digits after normalisation, and fmt's length when the caller knows the format (the
// web app may not: fmt == nullptr checks all but the length).
FieldCheck CheckCustomerNumberField(std::string_view input, const CustomerNumberFormat* fmt);
// A Japanese phone number: required, NormalizePhone then ValidatePhone.
FieldCheck CheckPhoneField(std::string_view input);
// A mobile number used as a login ID (SMS): NormalizePhone's rules ("０９０－１２３４－５６７８", "+81 90
// …").
std::optional<std::string> NormalizeMobile(std::string_view input);
// kMobileInvalid unless a valid 070/080/090 number of 11 digits (IsMobilePhone).
std::optional<ErrorCode> ValidateMobile(std::string_view digits);

// E-mail (text_email.cpp; the rule is documented in docs/api.md "E-mail addresses"): width-normalised,
// trimmed, domain lower-cased, local part kept as typed — except that a quoted local part whose content is
// plain atext and dots ("taro"@…, "hanako..suzuki"@…) is stored unquoted, so one mailbox has one spelling.
std::string NormalizeEmail(std::string_view input);
// Practical addr-spec, one '@', domain of ≥ 2 LDH labels, local part ≤ 64 and total ≤ 254 as sent (quotes
// included). The local part is one of
//  - a dot-atom (taro.yamada),
//  - carrier style: atext and dots in any arrangement — consecutive dots, a leading dot or a dot before the
//    '@' (hanako..suzuki@docomo.ne.jp: Japanese carriers issued these for years; they are sent quoted),
//  - a quoted-string of printable ASCII ("taro yamada", with \" and \\ as quoted-pairs).
// Refused: comments, IP-literal domains, non-ASCII (SMTPUTF8) addresses. kEmailInvalid.
std::optional<ErrorCode> ValidateEmail(std::string_view email);
// The address as the SMTP envelope (RFC 5321 §4.1.2) and the To: header (RFC 5322 §3.4.1) must carry it: a
// carrier-style local part is written as a quoted-string ("hanako..suzuki"@docomo.ne.jp); a dot-atom or an
// already quoted local part is unchanged. Expects an address ValidateEmail accepts.
std::string EmailForTransport(std::string_view email);

// A login ID: what a person types into the one ID box (login, sign-up, password reset) — an e-mail address,
// or a mobile number (codes and notices then go by SMS). The same rule in the web form and the server.
struct LoginId {
  std::string value;  // normalised: the e-mail address, or the mobile number's 11 digits
  bool mobile = false;
  // "mobile" or "email": the JSON field that carries this kind of ID (also the accounts column).
  const char* Field() const { return mobile ? "mobile" : "email"; }
};
// For an ID already validated (CheckLoginId; a stored one): true when it has no '@', i.e. a mobile ID (a
// mobile number never contains one, an e-mail address always does), so both kinds share one column of codes
// and sign-up tokens. Says nothing about unvalidated text.
bool IsMobileId(std::string_view id);
// Input with neither '@' nor '＠' that normalises to a valid mobile number (NormalizeMobile, ValidateMobile)
// is a mobile ID; anything else is an e-mail address (NormalizeEmail), not validated here.
LoginId ParseLoginId(std::string_view input);
// ParseLoginId, validated: nullopt with `out` set, or the e-mail's error (kRequired when it normalises to
// empty, else ValidateEmail's); `out` is then unchanged.
std::optional<ErrorCode> CheckLoginId(std::string_view input, LoginId& out);

// ---- Any text field (text_field.cpp) ---------------------------------------------------------------------
// True for the control characters no text field accepts: C0 (U+0000–U+001F), DEL (U+007F) and C1
// (U+0080–U+009F, e.g. U+0085 NEL).
bool IsControlCharacter(char32_t cp);
// The ONE check every text field of every route, import and ingest runs before anything else: valid UTF-8
// (else kInvalidFormat), no control character (TAB only when allow_tab; else kControlCharacter) and at most
// max_chars code points (else kTooLong).
std::optional<ErrorCode> ValidateTextField(std::string_view s, size_t max_chars, bool allow_tab = false);
// A multi-line text as typed (a notice's body, a clerk's note): CR LF and lone CR → LF, whitespace at the
// ends of the whole text trimmed (each line's inner spacing, widths and indentation are kept: it is shown as
// written).
std::string NormalizeMultiline(std::string_view s);
// ValidateTextField for a text NormalizeMultiline gave: LF is allowed, every other control is refused.
std::optional<ErrorCode> ValidateMultilineField(std::string_view s, size_t max_chars);
// What an error report may echo of a value it refuses: at most max_chars code points, then "…"; control
// characters shown as "<U+001B>", bad bytes as U+FFFD. Always valid UTF-8 without controls.
inline constexpr size_t kEchoPrefixChars = 64;
std::string EchoPrefix(std::string_view s, size_t max_chars = kEchoPrefixChars);

// Kana name: full-width katakana, ー, ・, ヽヾ and single spaces; 1–60 characters. kRequired / kKanaInvalid /
// kTooLong.
std::optional<ErrorCode> ValidateKanaName(std::string_view kana);

// Password policy: 8–128 code points, no composition rules (NIST SP 800-63B). The common-password check is
// the backend's (it needs a dictionary). kPasswordTooShort / kPasswordTooLong.
std::optional<ErrorCode> ValidatePassword(std::string_view password);

}  // namespace mizu
