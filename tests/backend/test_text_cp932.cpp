// CP932 as billing systems send and expect it, through the real `mizumori import` / `export` binary and the
// import route: a character CP932 cannot hold is written as 〓 and listed (row, column, U+code) on stderr and
// in the summary, or fails the export with --strict; CIS text is stored as sent (「〜２階」 comes back as
// 「〜２階」); and every character of the code page round-trips byte for byte — for the characters CP932
// encodes twice, as the code Windows writes (the WHATWG Encoding Standard's Shift_JIS encoder rule: the
// lowest code outside the NEC-selected IBM extensions, lead bytes 0xED–0xEE).
#include <iconv.h>

#include <fstream>
#include <map>
#include <sstream>

#include "billing_helpers.hpp"

using namespace mizu::testing;

namespace {

std::string ReadAll(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Run {
  int code = -1;
  std::string err;
};

// The real binary with args; stdout discarded, stderr kept.
Run Mizumori(const fs::path& dir, const std::string& args) {
  const fs::path err = dir / "stderr.txt";
  const std::string cmd = std::string(MIZU_BINARY) + " " + args + " >/dev/null 2>" + err.string();
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ReadAll(err)};
}

const std::string kHeader =
    "customer_number,holder_name,holder_kana,address,bureau_phone,meter_id,smart_meter,diameter_mm,"
    "status\r\n";
const std::string kExportHeader =
    "customer_number,holder_name,holder_kana,address,paper_notice,portal_since\r\n";

// One CSV field as the export writes it (docs/operations.md): quoted when it holds , " CR LF or starts or
// ends with a space; quotes doubled.
std::string Field(const std::string& bytes) {
  bool quote = bytes.find_first_of(",\"\r\n") != std::string::npos ||
               (!bytes.empty() && (bytes.front() == ' ' || bytes.back() == ' '));
  if (!quote) return bytes;
  std::string out = "\"";
  for (char c : bytes) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// What glibc's CP932 decoder makes of one code (1 or 2 bytes); "" when it is not a character of the page.
std::string Decode(iconv_t cd, const std::string& code) {
  char out[8];
  char* in = const_cast<char*>(code.data());
  size_t in_left = code.size(), out_left = sizeof out;
  char* dst = out;
  iconv(cd, nullptr, nullptr, nullptr, nullptr);
  if (iconv(cd, &in, &in_left, &dst, &out_left) == static_cast<size_t>(-1) || in_left != 0) return "";
  return std::string(out, sizeof out - out_left);
}

}  // namespace

TEST_CASE("a CP932 export writes 〓 for what CP932 cannot hold and lists it, --strict fails",
          "[text][cp932]") {
  const TempDir temp("mizu-cp932");
  const fs::path& dir = temp.Path();
  const std::string data = (dir / "data").string();
  std::ofstream(dir / "customers.csv", std::ios::binary)
      << kHeader << "00000008002,𠮷田 花子,ヨシダ ハナコ,水守市本町1 ハイツ髙橋,0467-12-3456,,0,13,active\r\n"
      << "00000008004,鈴木 一,スズキ ハジメ,水守市桜台 ㈱𩸽ビル🍣,0467-22-3333,,0,13,active\r\n";
  REQUIRE(Mizumori(dir, "import customers " + (dir / "customers.csv").string() + " --data " + data).code ==
          0);

  const fs::path out = dir / "paper.csv";
  auto run = Mizumori(dir, "export paper-notices --encoding cp932 --out " + out.string() + " --data " + data);
  CHECK(run.code == 0);
  CHECK(run.err ==
        "export paper-notices: row 1, column holder_name: U+20BB7 written as 〓\n"
        "export paper-notices: row 2, column address: U+29E3D written as 〓\n"
        "export paper-notices: row 2, column address: U+1F363 written as 〓\n"
        "export paper-notices: 2 rows, 3 characters substituted with 〓: row 1 holder_name U+20BB7, row 2 "
        "address U+29E3D, row 2 address U+1F363\n");
  // 〓 = 0x81AC; 田 9363, 花 89D4, 子 8E71; 髙 FBFC (IBM extension), 橋 8BB4; ㈱ 878A (NEC row 13).
  const std::string file = ReadAll(out);
  CHECK(file.find("00000008002,\x81\xAC\x93\x63 \x89\xD4\x8E\x71,") != std::string::npos);
  CHECK(file.find("\xFB\xFC\x8B\xB4,1,\r\n") != std::string::npos);
  CHECK(file.find("\x87\x8A\x81\xAC\x83\x72\x83\x8B\x81\xAC,1,\r\n") != std::string::npos);  // ㈱〓ビル〓
  CHECK(file.find('?') == std::string::npos);

  fs::remove(out);
  auto strict = Mizumori(
      dir, "export paper-notices --encoding cp932 --strict --out " + out.string() + " --data " + data);
  CHECK(strict.code == 1);
  CHECK(!fs::exists(out));
  CHECK(strict.err.find("row 1, column holder_name: U+20BB7 cannot be written in CP932") !=
        std::string::npos);
  CHECK(strict.err.find("failed (--strict): 3 characters CP932 cannot hold") != std::string::npos);

  // UTF-8 holds everything: nothing substituted, even with --strict.
  auto utf8 = Mizumori(dir, "export paper-notices --strict --out " + out.string() + " --data " + data);
  CHECK(utf8.code == 0);
  CHECK(utf8.err == "export paper-notices: 2 rows, 0 characters substituted with 〓\n");
  CHECK(ReadAll(out).find("𠮷田 花子") != std::string::npos);
}

TEST_CASE("CIS text is stored as sent and normalised only to compare", "[text][cp932]") {
  Portal p;
  // CP932 bytes as the billing system writes them: 「水守市本町1 〜２階」 and the kana in half-width.
  const std::string address =
      "\x90\x85\x8E\xE7\x8E\x73\x96\x7B\x92\xAC"
      "1 \x81\x60\x82\x51\x8A\x4B";
  const std::string kana = "\xD4\xCF\xC0\xDE \xBC\xDE\xDB\xB3";  // ﾔﾏﾀﾞ ｼﾞﾛｳ
  const std::string csv = kHeader + "00000009002,\x8E\x52\x93\x63 \x8E\x9F\x98\x59," + kana + "," + address +
                          ",0467-12-3456,,0,13,active\r\n";
  auto r = AdminImport(p, "customers", csv, "?encoding=cp932");
  REQUIRE(r.status == 200);
  REQUIRE(r.body["inserted"] == 1);

  const std::string data = (p.Server().Dir() / "data").string();
  const fs::path dir = p.Server().Dir();
  REQUIRE(Mizumori(dir, "export paper-notices --encoding cp932 --out " + (dir / "p.csv").string() +
                            " --data " + data)
              .code == 0);
  CHECK(ReadAll(dir / "p.csv")
            .find("00000009002,\x8E\x52\x93\x63 \x8E\x9F\x98\x59," + kana + "," + address + ",1,\r\n") !=
        std::string::npos);
  REQUIRE(Mizumori(dir, "export paper-notices --out " + (dir / "u.csv").string() + " --data " + data).code ==
          0);
  // CP932 0x8160 is U+FF5E in Windows' table; ２ stays full-width; the kana stays half-width.
  CHECK(ReadAll(dir / "u.csv").find("ﾔﾏﾀﾞ ｼﾞﾛｳ,水守市本町1 ～２階,") != std::string::npos);

  // Comparisons normalise: the holder's kana typed in full-width matches the half-width master.
  REQUIRE(p.SignUp("jiro@example.jp").status == 201);
  auto add = p.Post("/api/v1/contracts", {{"customer_number", "00000009002"},
                                          {"bureau_phone", "0467-12-3456"},
                                          {"name_kana", "やまだ じろう"},
                                          {"relationship", "self"},
                                          {"consent", true}});
  CHECK(add.status == 201);
  CHECK(add.body["address"] == "水守市本町1 ～２階");
}

TEST_CASE("every character of the CP932 code page round-trips through import and export byte for byte",
          "[text][cp932]") {
  iconv_t cd = iconv_open("UTF-8", "CP932");
  REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
  std::vector<std::string> codes;  // every code of the page but the controls, in code order
  for (int b = 0x20; b <= 0xDF; ++b)
    if (b < 0x7F || b >= 0xA1) codes.push_back(std::string(1, static_cast<char>(b)));
  for (int lead = 0x81; lead <= 0xFC; ++lead) {
    if (lead >= 0xA0 && lead < 0xE0) continue;
    for (int trail = 0x40; trail <= 0xFC; ++trail)
      if (trail != 0x7F) codes.push_back({static_cast<char>(lead), static_cast<char>(trail)});
  }
  std::vector<std::string> page;
  std::map<std::string, std::vector<std::string>> codes_of;  // character → its codes
  for (const auto& code : codes) {
    std::string ch = Decode(cd, code);
    if (ch.empty()) continue;
    page.push_back(code);
    codes_of[ch].push_back(code);
  }
  iconv_close(cd);
  REQUIRE(page.size() == 95 + 63 + 9604);  // ASCII, half-width katakana, double-byte (EUDC included)
  // The code Windows writes for a character with several codes.
  std::map<std::string, std::string> windows;
  size_t duplicated = 0;
  for (const auto& [ch, list] : codes_of) {
    if (list.size() < 2) continue;
    duplicated += list.size();
    std::string best;
    for (const auto& c : list) {
      const unsigned lead = static_cast<unsigned char>(c[0]);
      if (lead == 0xED || lead == 0xEE) continue;
      if (best.empty() ||
          static_cast<unsigned char>(c[0]) * 256u + static_cast<unsigned char>(c[1]) <
              static_cast<unsigned char>(best[0]) * 256u + static_cast<unsigned char>(best[1]))
        best = c;
    }
    for (const auto& c : list) windows[c] = best;
  }
  CHECK(duplicated == 794);
  // Spot checks from Microsoft's table: ≒ 8790 → 81E0, ∵ 879A → 81E6, ￢ EEF9/FA54 → 81CA, ⅰ EEEF → FA40,
  // Ⅰ FA4A → 8754, 髙 EEE0 → FBFC.
  CHECK(windows.at("\x87\x90") == "\x81\xE0");
  CHECK(windows.at("\x87\x9A") == "\x81\xE6");
  CHECK(windows.at("\xEE\xF9") == "\x81\xCA");
  CHECK(windows.at("\xFA\x54") == "\x81\xCA");
  CHECK(windows.at("\xEE\xEF") == "\xFA\x40");
  CHECK(windows.at("\xFA\x4A") == "\x87\x54");
  CHECK(windows.at("\xEE\xE0") == "\xFB\xFC");

  const TempDir temp("mizu-cp932-page");
  const fs::path& dir = temp.Path();
  std::string input = kHeader;
  std::string expected = kExportHeader;
  constexpr size_t kPerRow = 100;  // characters per address (the limit is 200)
  for (size_t first = 0, row = 0; first < page.size(); first += kPerRow, ++row) {
    std::string sent, written;
    for (size_t i = first; i < std::min(page.size(), first + kPerRow); ++i) {
      sent += page[i];
      auto w = windows.find(page[i]);
      written += w == windows.end() ? page[i] : w->second;
    }
    char cn[16];
    std::snprintf(cn, sizeof cn, "3%010zu", row);
    std::string quoted = "\"";
    for (char c : sent) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    input += std::string(cn) + ",\x8E\x8E\x8C\xB1,\x83\x56\x83\x50\x83\x93," + quoted +
             "\",0467-12-3456,,0,13,active\r\n";
    expected += std::string(cn) + ",\x8E\x8E\x8C\xB1,\x83\x56\x83\x50\x83\x93," + Field(written) +
                ",1,\r\n";  // 試験,シケン
  }
  std::ofstream(dir / "page.csv", std::ios::binary) << input;
  const std::string data = (dir / "data").string();
  auto imported =
      Mizumori(dir, "import customers " + (dir / "page.csv").string() + " --encoding cp932 --data " + data);
  INFO(imported.err);
  REQUIRE(imported.code == 0);
  auto exported = Mizumori(dir, "export paper-notices --encoding cp932 --strict --out " +
                                    (dir / "out.csv").string() + " --data " + data);
  INFO(exported.err);
  REQUIRE(exported.code == 0);
  const std::string got = ReadAll(dir / "out.csv");
  CHECK(got.size() == expected.size());
  CHECK(got == expected);
  if (got != expected) {  // the first difference, readable
    size_t i = 0;
    while (i < got.size() && i < expected.size() && got[i] == expected[i]) ++i;
    INFO("first difference at byte " << i);
    CHECK(false);
  }
}

TEST_CASE("UTF-8 import text follows RFC 3629: what the decoder accepts, every export can encode",
          "[text][csv]") {
  using mizu::backend::CsvError;
  using mizu::backend::DecodeText;
  using mizu::backend::EncodeText;
  using mizu::backend::TextEncoding;
  // Found by fuzz_cis_csv: glibc's iconv took F6 93 BF 91 (a code point above U+10FFFF) as UTF-8, and the
  // CP932 export then threw on text the import had accepted. Its siblings: a surrogate, an overlong form, a
  // lone continuation byte, a truncated sequence. Each is refused at import with the line it is on.
  for (const std::string bad :
       {"a\n\xF6\x93\xBF\x91", "a\n\xED\xA0\x80", "a\n\xC0\xAF", "a\n\x80", "a\n\xE3\x81"}) {
    INFO(bad.size());
    try {
      (void)DecodeText(bad, TextEncoding::kUtf8);
      FAIL("accepted invalid UTF-8");
    } catch (const CsvError& e) {
      CHECK(std::string(e.what()).find("not valid UTF-8 at offset 2") != std::string::npos);
    }
  }
  // Valid text up to U+10FFFF passes and encodes to CP932 with substitutions listed, never a throw.
  const std::string good = "水道\xF0\x9F\x92\xA7\xF4\x8F\xBF\xBF";  // 水道, U+1F4A7, U+10FFFF
  REQUIRE(DecodeText(good, TextEncoding::kUtf8) == good);
  std::vector<char32_t> lost;
  CHECK(EncodeText(good, TextEncoding::kCp932, &lost) == "\x90\x85\x93\xB9\x81\xAC\x81\xAC");
  CHECK(lost == std::vector<char32_t>{0x1F4A7, 0x10FFFF});
}
