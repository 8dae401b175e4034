// TOTP second factor: the RFCs' own test vectors (RFC 6238 Appendix B, RFC 4226 Appendix D, RFC 4648 §10),
// the acceptance window and replay floor, the otpauth:// URI and the QR code's SVG.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <set>
#include <stdexcept>
#include <vector>

#include "mizu/backend/totp.hpp"

namespace mb = mizu::backend;

namespace {

// RFC 6238 Appendix B: "12345678901234567890" for HMAC-SHA-1, and the same digits continued to 32 and 64
// bytes for SHA-256 and SHA-512 (the seeds of its Appendix A reference code).
const std::string kSeed20 = "12345678901234567890";
const std::string kSeed32 = "12345678901234567890123456789012";
const std::string kSeed64 = "1234567890123456789012345678901234567890123456789012345678901234";

// The module grid an SVG from QrSvg draws: side × side booleans (true = dark), quiet zone included. Fails the
// test if the path holds anything but "M x y h n v1 h-n z" runs.
struct Grid {
  int side = 0;
  std::vector<std::vector<bool>> dark;
  bool At(int x, int y) const { return dark[y][x]; }
};

Grid ParseSvg(const std::string& svg) {
  std::smatch box;
  REQUIRE(std::regex_search(svg, box, std::regex(R"re(viewBox="0 0 (\d+) (\d+)")re")));
  REQUIRE(box[1] == box[2]);
  Grid grid;
  grid.side = std::stoi(box[1]);
  grid.dark.assign(grid.side, std::vector<bool>(grid.side, false));
  std::smatch path;
  REQUIRE(std::regex_search(svg, path, std::regex(R"re(<path fill="#000" d="([^"]*)"/>)re")));
  const std::string d = path[1];
  const std::regex run(R"(M(\d+) (\d+)h(\d+)v1h-(\d+)z)");
  std::size_t consumed = 0;
  for (auto it = std::sregex_iterator(d.begin(), d.end(), run); it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    REQUIRE(static_cast<std::size_t>(m.position(0)) == consumed);
    consumed += m.length(0);
    const int x = std::stoi(m[1]), y = std::stoi(m[2]), n = std::stoi(m[3]);
    REQUIRE(m[3] == m[4]);
    REQUIRE(y < grid.side);
    REQUIRE(x + n <= grid.side);
    for (int i = 0; i < n; ++i) {
      REQUIRE_FALSE(grid.dark[y][x + i]);  // no module drawn twice
      grid.dark[y][x + i] = true;
    }
  }
  REQUIRE(consumed == d.size());
  return grid;
}

// ISO/IEC 18004 finder pattern (7×7: dark ring, light ring, dark 3×3) with its light separator, top-left
// module at symbol coordinates (ox, oy); q = quiet zone offset.
void CheckFinder(const Grid& g, int q, int ox, int oy) {
  for (int dy = -1; dy <= 7; ++dy) {
    for (int dx = -1; dx <= 7; ++dx) {
      const int x = q + ox + dx, y = q + oy + dy;
      if (x < q || y < q || x >= g.side - q || y >= g.side - q) continue;  // separator past the symbol's edge
      const int ring = std::max(std::abs(dx - 3), std::abs(dy - 3));
      const bool expected = ring == 3 || ring <= 1;  // ring 4 = separator, 2 = light ring
      INFO("finder at " << ox << "," << oy << " module " << dx << "," << dy);
      CHECK(g.At(x, y) == expected);
    }
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------
// RFC vectors

TEST_CASE("TOTP reproduces the 18 RFC 6238 Appendix B test vectors", "[totp]") {
  struct Row {
    int64_t time;
    const char* totp;
    mb::TotpHash hash;
  };
  // Written out from RFC 6238 Appendix B (8 digits, X = 30, T0 = 0), in the RFC's order.
  const Row rows[] = {
      {59, "94287082", mb::TotpHash::kSha1},
      {59, "46119246", mb::TotpHash::kSha256},
      {59, "90693936", mb::TotpHash::kSha512},
      {1111111109, "07081804", mb::TotpHash::kSha1},
      {1111111109, "68084774", mb::TotpHash::kSha256},
      {1111111109, "25091201", mb::TotpHash::kSha512},
      {1111111111, "14050471", mb::TotpHash::kSha1},
      {1111111111, "67062674", mb::TotpHash::kSha256},
      {1111111111, "99943326", mb::TotpHash::kSha512},
      {1234567890, "89005924", mb::TotpHash::kSha1},
      {1234567890, "91819424", mb::TotpHash::kSha256},
      {1234567890, "93441116", mb::TotpHash::kSha512},
      {2000000000, "69279037", mb::TotpHash::kSha1},
      {2000000000, "90698825", mb::TotpHash::kSha256},
      {2000000000, "38618901", mb::TotpHash::kSha512},
      {20000000000, "65353130", mb::TotpHash::kSha1},
      {20000000000, "77737706", mb::TotpHash::kSha256},
      {20000000000, "47863826", mb::TotpHash::kSha512},
  };
  int checked = 0;
  for (const Row& row : rows) {
    const std::string& seed = row.hash == mb::TotpHash::kSha1     ? kSeed20
                              : row.hash == mb::TotpHash::kSha256 ? kSeed32
                                                                  : kSeed64;
    INFO("time " << row.time << " hash " << static_cast<int>(row.hash));
    CHECK(mb::TotpCode(seed, row.time, 8, row.hash) == row.totp);
    ++checked;
  }
  CHECK(checked == 18);
}

TEST_CASE("TOTP at step n is RFC 4226 HOTP of counter n: the Appendix D values 0-9", "[totp]") {
  // RFC 4226 Appendix D, secret "12345678901234567890", 6 digits.
  const char* hotp[] = {"755224", "287082", "359152", "969429", "338314",
                        "254676", "287922", "162583", "399871", "520489"};
  for (int counter = 0; counter < 10; ++counter) {
    INFO("counter " << counter);
    CHECK(mb::TotpCode(kSeed20, int64_t{counter} * 30) == hotp[counter]);
    CHECK(mb::TotpCode(kSeed20, int64_t{counter} * 30 + 29) == hotp[counter]);  // the whole 30 s step
  }
}

TEST_CASE("TotpCode takes 6-8 digits and refuses an empty secret or a time before the epoch", "[totp]") {
  CHECK_THROWS_AS(mb::TotpCode("", 59), std::invalid_argument);
  CHECK_THROWS_AS(mb::TotpCode(kSeed20, -1), std::invalid_argument);
  CHECK_THROWS_AS(mb::TotpCode(kSeed20, 59, 5), std::invalid_argument);
  CHECK_THROWS_AS(mb::TotpCode(kSeed20, 59, 9), std::invalid_argument);
  CHECK(mb::TotpCode(kSeed20, 59, 7).size() == 7);
  CHECK(mb::TotpCode(kSeed20, 59) == "287082");  // 6 digits of 94287082: the same HOTP, truncated mod 10^6
}

TEST_CASE("base32 reproduces the RFC 4648 section 10 vectors, unpadded", "[totp]") {
  CHECK(mb::TotpBase32("") == "");
  CHECK(mb::TotpBase32("f") == "MY");
  CHECK(mb::TotpBase32("fo") == "MZXQ");
  CHECK(mb::TotpBase32("foo") == "MZXW6");
  CHECK(mb::TotpBase32("foob") == "MZXW6YQ");
  CHECK(mb::TotpBase32("fooba") == "MZXW6YTB");
  CHECK(mb::TotpBase32("foobar") == "MZXW6YTBOI");
  CHECK(mb::TotpBase32(kSeed20) == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  CHECK(mb::TotpBase32(std::string("\0\xff", 2)) == "AD7Q");  // bytes, not text: 00000 00011 11111 1(0000)
}

TEST_CASE("base32 decoding takes the RFC 4648 forms and what people type", "[totp]") {
  const std::pair<const char*, const char*> vectors[] = {
      {"MY======", "f"},    {"MZXQ====", "fo"},    {"MZXW6===", "foo"},
      {"MZXW6YQ=", "foob"}, {"MZXW6YTB", "fooba"}, {"MZXW6YTBOI======", "foobar"},
  };
  for (const auto& [text, bytes] : vectors) {
    INFO(text);
    CHECK(mb::TotpSecretFromBase32(text) == std::optional<std::string>(bytes));
  }
  CHECK(mb::TotpSecretFromBase32("MY") == "f");                        // unpadded
  CHECK(mb::TotpSecretFromBase32("MY=") == "f");                       // partly padded
  CHECK(mb::TotpSecretFromBase32("mzxw6ytboi") == "foobar");           // lowercase
  CHECK(mb::TotpSecretFromBase32("mZxW 6yTb Oi") == "foobar");         // grouped as apps show it
  CHECK(mb::TotpSecretFromBase32("  MZXW6YTBOI====== ") == "foobar");  // surrounding spaces
  CHECK(mb::TotpSecretFromBase32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq") == kSeed20);

  CHECK_FALSE(mb::TotpSecretFromBase32(""));
  CHECK_FALSE(mb::TotpSecretFromBase32("   "));
  CHECK_FALSE(mb::TotpSecretFromBase32("===="));
  CHECK_FALSE(mb::TotpSecretFromBase32("M"));       // 5 bits: no byte
  CHECK_FALSE(mb::TotpSecretFromBase32("MZX"));     // 15 bits: impossible length
  CHECK_FALSE(mb::TotpSecretFromBase32("MZXW6Y"));  // 30 bits: impossible length
  CHECK_FALSE(mb::TotpSecretFromBase32("MY1"));     // 0, 1, 8, 9 are not base32 digits
  CHECK_FALSE(mb::TotpSecretFromBase32("MZXW6YT8"));
  CHECK_FALSE(mb::TotpSecretFromBase32("MZ-XQ"));
  CHECK_FALSE(mb::TotpSecretFromBase32("MZXQ\t"));  // only spaces are ignored
  CHECK_FALSE(mb::TotpSecretFromBase32(std::string("MZ\0Q", 4)));
  CHECK_FALSE(mb::TotpSecretFromBase32("ＭＺＸＱ"));  // full-width letters
}

TEST_CASE("a new TOTP secret is 20 random bytes that survive base32 both ways", "[totp]") {
  std::set<std::string> seen;
  for (int i = 0; i < 8; ++i) {
    const std::string secret = mb::NewTotpSecret();
    CHECK(secret.size() == 20);
    const std::string text = mb::TotpBase32(secret);
    CHECK(text.size() == 32);  // 160 bits = 32 base32 digits exactly: no padding to drop
    CHECK(text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == std::string::npos);
    CHECK(mb::TotpSecretFromBase32(text) == secret);
    seen.insert(secret);
  }
  CHECK(seen.size() == 8);
}

// ---------------------------------------------------------------------------------------------------------
// Verification

TEST_CASE("VerifyTotp accepts steps T-1, T and T+1 and refuses T-2 and T+2", "[totp]") {
  const int64_t now = 1111111111;  // step T = 37037037, 1 s into it
  const int64_t step = now / 30;
  for (int offset = -2; offset <= 2; ++offset) {
    const std::string code = mb::TotpCode(kSeed20, (step + offset) * 30);
    INFO("offset " << offset << " code " << code);
    if (offset >= -1 && offset <= 1) {
      CHECK(mb::VerifyTotp(kSeed20, code, now) == step + offset);
    } else {
      CHECK_FALSE(mb::VerifyTotp(kSeed20, code, now));
    }
  }
  // The window follows the step, not the second: the last second of step T still takes T+1 and T-1.
  CHECK(mb::VerifyTotp(kSeed20, mb::TotpCode(kSeed20, (step + 1) * 30), step * 30 + 29) == step + 1);
  CHECK(mb::VerifyTotp(kSeed20, mb::TotpCode(kSeed20, (step - 1) * 30), step * 30 + 29) == step - 1);
  CHECK_FALSE(mb::VerifyTotp(kSeed20, mb::TotpCode(kSeed20, (step - 1) * 30), step * 30 + 30));
}

TEST_CASE("VerifyTotp refuses a step already used, or older, and takes a later one", "[totp]") {
  const int64_t now = 1234567890;
  const int64_t step = now / 30;
  const std::string previous = mb::TotpCode(kSeed20, (step - 1) * 30);
  const std::string current = mb::TotpCode(kSeed20, step * 30);
  const std::string next = mb::TotpCode(kSeed20, (step + 1) * 30);

  const auto first = mb::VerifyTotp(kSeed20, current, now);
  REQUIRE(first == step);
  CHECK_FALSE(mb::VerifyTotp(kSeed20, current, now, *first));       // the same code again
  CHECK_FALSE(mb::VerifyTotp(kSeed20, current, now + 25, *first));  // … later in its window
  CHECK_FALSE(mb::VerifyTotp(kSeed20, previous, now, *first));      // an older step
  CHECK(mb::VerifyTotp(kSeed20, next, now, *first) == step + 1);    // the phone's next code
  CHECK_FALSE(mb::VerifyTotp(kSeed20, next, now, step + 1));
  CHECK(mb::VerifyTotp(kSeed20, current, now, step - 1) == step);  // floor below: still fresh
  CHECK(mb::VerifyTotp(kSeed20, current, now, -1) == step);
}

TEST_CASE("VerifyTotp refuses malformed codes and trims only spaces", "[totp]") {
  const int64_t now = 2000000000;
  const std::string code = mb::TotpCode(kSeed20, now);
  REQUIRE(code.size() == 6);
  CHECK(mb::VerifyTotp(kSeed20, "  " + code + " ", now) == now / 30);
  const std::string wrong = code.substr(0, 5) + (code[5] == '9' ? '0' : static_cast<char>(code[5] + 1));
  CHECK_FALSE(mb::VerifyTotp(kSeed20, wrong, now));
  const std::vector<std::string> garbage = {
      "",
      "      ",
      code.substr(0, 5),
      code + "0",
      "0" + code,
      code.substr(0, 3) + " " + code.substr(3),  // "123 456": the caller normalises
      code.substr(0, 3) + "-" + code.substr(3),
      "\t" + code,
      code + "\n",
      "+" + code.substr(1),
      "abcdef",
      "12345x",
      "１２３４５６",  // full-width digits: the caller normalises
      std::string(code).append(1, '\0'),
      mb::TotpCode(kSeed20, now, 8),  // 8 digits of the right step
  };
  for (const std::string& typed : garbage) {
    INFO("typed \"" << typed << "\"");
    CHECK_FALSE(mb::VerifyTotp(kSeed20, typed, now));
  }
  CHECK_FALSE(mb::VerifyTotp("another secret", code, now));
  CHECK_THROWS_AS(mb::VerifyTotp("", code, now), std::invalid_argument);
  CHECK_THROWS_AS(mb::VerifyTotp(kSeed20, code, -1), std::invalid_argument);
}

TEST_CASE("VerifyTotp near the epoch has no step -1", "[totp]") {
  CHECK(mb::VerifyTotp(kSeed20, "755224", 0) == 0);   // HOTP counter 0
  CHECK(mb::VerifyTotp(kSeed20, "287082", 29) == 1);  // counter 1: T+1
  CHECK_FALSE(mb::VerifyTotp(kSeed20, "359152", 0));  // counter 2: T+2
}

// ---------------------------------------------------------------------------------------------------------
// Enrolment: the otpauth URI and its QR code

TEST_CASE("TotpUri writes the Key Uri Format with a percent-encoded UTF-8 issuer", "[totp]") {
  CHECK(mb::TotpUri("水守", "clerk@example.jp", kSeed20) ==
        "otpauth://totp/%E6%B0%B4%E5%AE%88:clerk%40example.jp?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        "&issuer=%E6%B0%B4%E5%AE%88&algorithm=SHA1&digits=6&period=30");
  CHECK(mb::TotpUri("Mizumori Water", "a:b&c=d?e/f+g", "f") ==
        "otpauth://totp/Mizumori%20Water:a%3Ab%26c%3Dd%3Fe%2Ff%2Bg?secret=MY"
        "&issuer=Mizumori%20Water&algorithm=SHA1&digits=6&period=30");
  CHECK(mb::TotpUri("A-Z.a_z~09", "x", "f").rfind("otpauth://totp/A-Z.a_z~09:x?", 0) == 0);  // unreserved
  CHECK_THROWS_AS(mb::TotpUri("", "clerk", kSeed20), std::invalid_argument);
  CHECK_THROWS_AS(mb::TotpUri("水守", "", kSeed20), std::invalid_argument);
  CHECK_THROWS_AS(mb::TotpUri("水守", "clerk", ""), std::invalid_argument);
}

TEST_CASE("QrSvg draws an accessible QR symbol with its quiet zone, finders and timing", "[totp]") {
  const std::string uri = mb::TotpUri("水守", "clerk@example.jp", mb::NewTotpSecret());
  const std::string svg = mb::QrSvg(uri, "二段階認証の登録用QRコード");
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" ", 0) == 0);
  CHECK(svg.size() >= 6);
  CHECK(svg.substr(svg.size() - 6) == "</svg>");
  CHECK(svg.find(" role=\"img\"") != std::string::npos);
  CHECK(svg.find(" shape-rendering=\"crispEdges\"") != std::string::npos);
  CHECK(svg.find("><title>二段階認証の登録用QRコード</title>") != std::string::npos);
  CHECK(svg.find("<path") == svg.rfind("<path"));  // one path

  const Grid grid = ParseSvg(svg);
  const int q = 4, width = grid.side - 2 * q;
  REQUIRE((width - 17) % 4 == 0);  // ISO/IEC 18004: 21, 25, … 177 modules
  const int version = (width - 17) / 4;
  CHECK(version >= 1);
  CHECK(version <= 40);
  int dark = 0;
  for (int y = 0; y < grid.side; ++y) {
    for (int x = 0; x < grid.side; ++x) {
      const bool quiet = x < q || y < q || x >= grid.side - q || y >= grid.side - q;
      if (quiet) CHECK_FALSE(grid.At(x, y));
      dark += grid.At(x, y) ? 1 : 0;
    }
  }
  CHECK(dark > 0);
  CHECK(dark < width * width);
  CheckFinder(grid, q, 0, 0);
  CheckFinder(grid, q, width - 7, 0);
  CheckFinder(grid, q, 0, width - 7);
  for (int i = 8; i < width - 8; ++i) {  // timing patterns: row 6 and column 6 alternate, dark on even
    CHECK(grid.At(q + i, q + 6) == (i % 2 == 0));
    CHECK(grid.At(q + 6, q + i) == (i % 2 == 0));
  }
  CHECK(grid.At(q + 8, q + width - 8));  // the always-dark module beside the bottom-left finder
}

TEST_CASE("QrModules is the symbol QrSvg draws, module by module, without the quiet zone", "[totp]") {
  const std::string uri = mb::TotpUri("水守", "clerk@example.jp", mb::NewTotpSecret());
  const Grid grid = ParseSvg(mb::QrSvg(uri));
  const std::vector<std::string> rows = mb::QrModules(uri);
  const int q = 4, width = grid.side - 2 * q;
  REQUIRE(static_cast<int>(rows.size()) == width);
  for (int y = 0; y < width; ++y) {
    REQUIRE(static_cast<int>(rows[y].size()) == width);
    for (int x = 0; x < width; ++x) CHECK((rows[y][x] == '1') == grid.At(q + x, q + y));
  }
  CHECK(rows[0].substr(0, 7) == "1111111");  // the top-left finder's top edge
  CHECK_THROWS_AS(mb::QrModules(""), std::invalid_argument);
}

TEST_CASE("QrSvg escapes its title and refuses text no QR code can hold", "[totp]") {
  const std::string svg = mb::QrSvg("https://example.jp/", "a<b & \"c\" 'd'>");
  CHECK(svg.find("<title>a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;</title>") != std::string::npos);
  CHECK(mb::QrSvg("x").find("<title>QR code</title>") != std::string::npos);
  CHECK(ParseSvg(mb::QrSvg("x")).side == 21 + 8);  // version 1

  CHECK_NOTHROW(mb::QrSvg(std::string(2331, 'x')));  // version 40-M holds 2,331 bytes in 8-bit mode
  CHECK_THROWS_AS(mb::QrSvg(std::string(2332, 'x')), std::length_error);
  CHECK_THROWS_AS(mb::QrSvg(""), std::invalid_argument);
  CHECK_THROWS_AS(mb::QrSvg(std::string("a\0b", 3)), std::invalid_argument);
}
