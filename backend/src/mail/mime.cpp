// MIME rendering of one outgoing mail (RFC 5322 / 2045 / 2047). Implements: single-part text/plain UTF-8
// with a base64 body, encoded-word Subject and display names, JST Date, Message-ID, Auto-Submitted, the
// recipient's carrier-style local part quoted in envelope and To: (EmailForTransport).
// Not implemented (not needed yet): attachments, HTML alternatives, quoted-printable.
#include <array>
#include <cctype>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>

#include "mizu/backend/mail.hpp"
#include "mizu/text.hpp"
#include "mizu/time.hpp"

namespace mizu::backend {
namespace {

constexpr std::string_view kCrlf = "\r\n";
// RFC 2047 §2: a line with an encoded-word is at most 76 characters; we keep every header line to that
// (RFC 5322's SHOULD is 78) except one holding an address longer than that by itself.
constexpr size_t kMaxLine = 76;
constexpr size_t kBase64Line = 76;  // RFC 2045 §6.8

std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (size_t rest = bytes.size() - i; rest > 0) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    if (rest == 2) n |= uint8_t(bytes[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

bool IsPlainAscii(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

// True when every byte sequence is valid UTF-8 and, unless allow_newlines, there is no control character.
bool IsCleanUtf8(std::string_view s, bool allow_newlines) {
  for (size_t pos = 0; pos < s.size();) {
    Utf8Char ch = DecodeUtf8At(s, pos);
    if (!ch.ok) return false;
    bool control = ch.cp < 0x20 || ch.cp == 0x7f || (ch.cp >= 0x80 && ch.cp < 0xa0);
    if (control && !(allow_newlines && (ch.cp == '\n' || ch.cp == '\r' || ch.cp == '\t'))) return false;
    pos += ch.len;
  }
  return true;
}

// A practical addr-spec for our own From: one '@', no whitespace, controls, brackets, quotes or commas.
bool IsSimpleAddrSpec(std::string_view a) {
  size_t at = a.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 == a.size() || a.find('@', at + 1) != a.npos)
    return false;
  for (unsigned char c : a)
    if (c <= 0x20 || c >= 0x7f || std::string_view("<>()[]\\,;:\"").find(char(c)) != std::string_view::npos)
      return false;
  return true;
}

// Appends `text` as RFC 2047 B encoded-words (UTF-8), never splitting a character, folding with CRLF SP so
// that no line exceeds 76 characters. `column` is the current line length and is updated.
void AppendEncodedWords(std::string& out, std::string_view text, size_t& column) {
  constexpr std::string_view kOpen = "=?UTF-8?B?";
  constexpr std::string_view kClose = "?=";
  constexpr size_t kOverhead = kOpen.size() + kClose.size();
  auto payload_bytes = [&](size_t col) -> size_t {
    size_t room = kMaxLine > col + kOverhead ? kMaxLine - col - kOverhead : 0;
    return room / 4 * 3;
  };
  size_t pos = 0;
  bool first = true;
  while (pos < text.size()) {
    size_t limit = payload_bytes(column);
    if (!first || limit < 3) {  // start a continuation line
      out += kCrlf;
      out += ' ';
      column = 1;
      limit = payload_bytes(column);
    }
    size_t end = pos;
    while (end < text.size()) {
      Utf8Char ch = DecodeUtf8At(text, end);
      if (end + ch.len - pos > limit) break;
      end += ch.len;
    }
    if (end == pos) {  // cannot happen for valid UTF-8 (a character is ≤ 4 bytes, limit ≥ 45 here)
      throw std::logic_error("encoded-word too small for one character");
    }
    std::string word = std::string(kOpen) + Base64(text.substr(pos, end - pos)) + std::string(kClose);
    out += word;
    column += word.size();
    pos = end;
    first = false;
  }
}

// Appends an unstructured header value (Subject): raw when short plain ASCII, else encoded-words.
void AppendUnstructured(std::string& out, std::string_view value, size_t& column) {
  if (IsPlainAscii(value) && value.find("=?") == value.npos && column + value.size() <= kMaxLine) {
    out += value;
    column += value.size();
    return;
  }
  AppendEncodedWords(out, value, column);
}

// The ASCII name as an RFC 5322 quoted-string.
std::string Quoted(std::string_view name) {
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + '"';
}

// Appends `name <addr>` (or just addr), the name quoted when plain ASCII, else encoded-words.
void AppendMailbox(std::string& out, const MailAddress& a, size_t& column) {
  if (!a.name.empty()) {
    std::string quoted = Quoted(a.name);
    if (IsPlainAscii(a.name) && a.name.find("=?") == a.name.npos && column + quoted.size() <= kMaxLine) {
      out += quoted;
      column += quoted.size();
    } else {
      AppendEncodedWords(out, a.name, column);
    }
    std::string angle = "<" + a.addr + ">";
    if (column + 1 + angle.size() > kMaxLine) {
      out += kCrlf;
      column = 0;
    }
    out += ' ';
    out += angle;
    column += 1 + angle.size();
    return;
  }
  out += a.addr;
  column += a.addr.size();
}

void AppendHeader(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  out += value;
  out += kCrlf;
}

// "Sun, 22 Nov 2026 07:00:00 +0900" — the reader's local (Japanese) time.
std::string FormatMailDate(int64_t utc_seconds) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  CivilDateTime t = ToJst(utc_seconds);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %d %s %04d %02d:%02d:%02d +0900", kDays[Weekday(t.date)], t.date.day,
                kMonths[t.date.month - 1], t.date.year, t.hour, t.minute, t.second);
  return buf;
}

// The body in canonical form (CRLF line ends), base64 in lines of 76.
std::string EncodeBody(std::string_view text) {
  std::string canonical;
  canonical.reserve(text.size() + text.size() / 32);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;  // CRLF → LF first
    if (text[i] == '\n' || text[i] == '\r') {
      canonical += kCrlf;
    } else {
      canonical += text[i];
    }
  }
  std::string b64 = Base64(canonical);
  std::string out;
  out.reserve(b64.size() + b64.size() / kBase64Line * 2 + 2);
  for (size_t i = 0; i < b64.size(); i += kBase64Line) {
    out.append(b64, i, kBase64Line);
    out += kCrlf;
  }
  return out;
}

}  // namespace

void ValidateMail(const OutgoingMail& mail) {
  if (ValidateEmail(mail.to))
    throw std::invalid_argument("mail.to is not a valid address: " + EchoPrefix(mail.to));
  if (!IsCleanUtf8(mail.to_name, false))
    throw std::invalid_argument("mail.to_name has control characters or bad UTF-8");
  if (!IsCleanUtf8(mail.subject, false))
    throw std::invalid_argument("mail.subject has control characters or bad UTF-8");
  if (!IsCleanUtf8(mail.body_text, true))
    throw std::invalid_argument("mail.body_text has bad UTF-8 or controls");
  if (mail.kind.empty() || !IsPlainAscii(mail.kind))
    throw std::invalid_argument("mail.kind must be plain ASCII");
  for (char c : mail.lang)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-')) throw std::invalid_argument("mail.lang");
}

MailAddress ParseMailAddress(std::string_view text) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  text = trim(text);
  MailAddress a;
  if (size_t open = text.rfind('<'); open != text.npos) {
    if (text.back() != '>') throw std::invalid_argument("mail address: missing '>': " + std::string(text));
    a.addr = std::string(text.substr(open + 1, text.size() - open - 2));
    std::string_view name = trim(text.substr(0, open));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
    a.name = std::string(name);
  } else {
    a.addr = std::string(text);
  }
  if (!IsSimpleAddrSpec(a.addr))
    throw std::invalid_argument("mail address: bad addr-spec: " + std::string(text));
  if (!IsCleanUtf8(a.name, false)) throw std::invalid_argument("mail address: bad display name");
  return a;
}

RenderedMail RenderMail(const OutgoingMail& mail, const MailAddress& from, std::string_view message_key,
                        int64_t date_utc) {
  RenderedMail r;
  r.envelope_from = from.addr;
  r.envelope_to = EmailForTransport(mail.to);  // "hanako..suzuki"@docomo.ne.jp: quoted where SMTP needs it
  r.message_id = std::string(message_key) + from.addr.substr(from.addr.find('@'));

  std::string& out = r.data;
  AppendHeader(out, "Date", FormatMailDate(date_utc));
  size_t column = 6;
  out += "From: ";
  AppendMailbox(out, from, column);
  out += kCrlf;
  column = 4;
  out += "To: ";
  AppendMailbox(out, MailAddress{mail.to_name, r.envelope_to}, column);
  out += kCrlf;
  column = 9;
  out += "Subject: ";
  AppendUnstructured(out, mail.subject, column);
  out += kCrlf;
  AppendHeader(out, "Message-ID", "<" + r.message_id + ">");
  AppendHeader(out, "MIME-Version", "1.0");
  AppendHeader(out, "Content-Type", "text/plain; charset=UTF-8");
  AppendHeader(out, "Content-Transfer-Encoding", "base64");
  if (!mail.lang.empty()) AppendHeader(out, "Content-Language", mail.lang);
  AppendHeader(out, "Auto-Submitted", "auto-generated");  // RFC 3834: no auto-replies to notices
  out += kCrlf;
  out += EncodeBody(mail.body_text);
  return r;
}

}  // namespace mizu::backend
