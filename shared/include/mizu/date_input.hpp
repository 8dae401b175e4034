#pragma once
// Dates as people type them into a form (使用開始・使用中止の希望日): one parser, the same on the server and
// in the web app. Machine texts keep their strict parsers: ParseDate (mizu/time.hpp, "YYYY-MM-DD" in the API)
// and the CIS import files' ParseCisDate (backend).
//
// The text is normalised first (NormalizeText, mizu/text.hpp: full-width digits, letters, brackets and
// ／．－ become ASCII; spaces are trimmed and collapsed). Then it must be exactly one of these shapes
// (Y = year, M = month 1–12, D = day, each M and D one or two digits, leading zeros allowed):
//   YYYY-M-D   YYYY/M/D   YYYY.M.D        2026-12-01, 2026/12/1, 2026.12.1 (one separator throughout)
//   YYYYMMDD                              20261201 (exactly 8 digits)
//   YYYY年M月D日                          2026年12月1日, 2026年 12月 1日 (spaces between the parts allowed)
//   <era>N年M月D日                        令和8年12月1日, 令和元年5月1日, ㋿8年12月1日
//   <era>N.M.D  <era>N/M/D  <era>N-M-D    R8.12.1, R8/12/1, r8-12-1, H31.4.30, 令和8.12.1
//   M/D   M月D日                          12/1, 12月1日: no year (see below)
// where YYYY is exactly four digits (1000–9999) and the era year N is one or two digits (1 or more) or 元
// (= 1). Any of these may end in a weekday in brackets, （火）, (火), (火曜日), (Tue), (Tuesday): it must be
// the date's weekday, else the text is refused (the person meant some other day).
//
// Japanese eras (元号): the era's year N is Gregorian year (first year + N − 1), and the date must fall in
// the era's span (令和1年4月30日 and 平成31年5月1日 are refused):
//   era   letter  square  first day    last day     source
//   令和  R       ㋿      2019-05-01   (current)    元号を改める政令 (平成31年政令第143号)
//   平成  H       ㍻      1989-01-08   2019-04-30   元号を改める政令 (昭和64年政令第1号)
//   昭和  S       ㍼      1926-12-25   1989-01-07   改元の詔書 (大正15年12月25日)
// The two Cabinet orders are made under the 元号法 (Gengo law, 昭和54年法律第43号); 昭和 predates it. Older
// eras (大正, 明治) are not accepted. Letters are case-insensitive.
//
// Without a year (M/D, M月D日) the date is the first such day on or after `today`: with today 2026-12-20,
// 1/5 is 2027-01-05, 12/20 is 2026-12-20 and 12/19 is 2027-12-19; 2/29 is the next leap day.
//
// Refused (nullopt): anything else — empty text, impossible dates (2026-02-30, 2026年13月1日), two-digit or
// three-digit years (26/12/1), a missing part (2026年12月), mixed separators (2026/12-1), M-D and M.D without
// a year, times or other extra text (2026-12-01 10:00, 12月1日ごろ), a wrong weekday.
//
// To show a parsed date, use FormatDay (mizu/format.hpp): 「2026年12月1日」 / "2026-12-01".
#include <optional>
#include <string_view>

#include "mizu/time.hpp"

namespace mizu {

// `text`: UTF-8 as typed (any width). `today`: the civil date (JST for the portal) the year-less forms count
// from; ignored by the forms with a year. Returns the proleptic Gregorian civil date, or nullopt.
std::optional<CivilDate> ParseDateInput(std::string_view text, CivilDate today);

}  // namespace mizu
