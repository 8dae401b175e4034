#pragma once
// 料金のお支払い (issue 18): the codes a resident pays an unpaid bill with, shown on screen instead of the
// paper slip — the convenience-store barcode (GS1 Japan
// 「GS1-128シンボルによる標準料金代理収納ガイドライン」: 44 digits under AI 91, drawn as GS1-128) and the
// Pay-easy (ペイジー) numbers for bank ATMs and net banking. docs/payment.md says what the CIS sends, the
// settings and what residents see.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mizu/backend/billing.hpp"
#include "mizu/backend/config.hpp"
#include "mizu/time.hpp"

namespace mizu::backend {

// The 44 digits of a 料金代理収納 barcode, field by field (the guideline's order and widths).
struct KonbiniFields {
  std::string company_code;  // 請求書発行企業コード, 6 digits (the GS1 company prefix without its leading 4)
  std::string free_field;  // 自由使用欄, 21 digits (the utility's own layout)
  int reissue = 0;         // 再発行区分 0..9: how often the slip was reissued
  CivilDate deadline;      // 支払期限日 (YYMMDD in the code; 2000–2099)
  bool stamp = false;      // 印紙フラグ: 1 when the receipt needs a revenue stamp
  int64_t amount_yen = 0;  // 支払金額, 0..999,999
};

inline constexpr size_t kKonbiniDigits = 44;

// The check digit of the first 43 digits (AI 91 included, company code … amount): modulus 10, weights 3 and 1
// alternating from the rightmost digit (weight 3), as GS1 check digits. Throws std::invalid_argument unless
// `digits43` is 43 ASCII digits.
int KonbiniCheckDigit(std::string_view digits43);
// "91" + the fields + the check digit. Throws std::invalid_argument naming the field that does not fit.
std::string BuildKonbiniBarcode(const KonbiniFields& fields);
// The fields of a 44-digit code, or nullopt with `error` set to why not: "length" (not 44 ASCII digits),
// "application_identifier" (not AI 91), "deadline" (not a date), "check_digit".
std::optional<KonbiniFields> ParseKonbiniBarcode(std::string_view code, std::string* error = nullptr);
// The human-readable interpretation printed under the bars, in two lines as on a slip:
// "(91)MMMMMM-EEEEEEEEEEEEEEEEEEEEE" and "S-YYMMDD-F-AAAAAA-C".
std::vector<std::string> KonbiniHumanReadable(std::string_view code);
// The GS1-128 symbol of a 44-digit code (Start C, FNC1, the digits in code set C, mod-103 symbol check
// character, Stop) by libzint: its modules left to right, '1' a dark module, '0' a light one, without the
// quiet zones (10 modules each side, ISO/IEC 15417 §4.4.2 — the drawing adds them). Throws
// std::invalid_argument for a code ParseKonbiniBarcode refuses.
std::string Gs1128Modules(std::string_view code);

// The utility's free-field layout: the customer number (left-padded with zeros to 13 digits) then the bill's
// reading date YYYYMMDD — 21 digits. Throws std::invalid_argument for a customer number over 13 digits.
std::string KonbiniFreeField(std::string_view customer_number, const CivilDate& reading_date);

// What 料金のお支払い shows for one bill (GET /api/v1/contracts/{cn}/bills "payment_codes").
struct PaymentCodes {
  // Why no code is shown, or empty when codes are shown: "paid", "direct_debit", "past_deadline" (the final
  // deadline passed: a reissue at the bureau), "past_deadline_final" (passed after the 9th reissue: pay at
  // the counter), "over_limit" (above payment.konbini_limit_yen), "partly_paid" (the CIS's barcode is for the
  // whole bill), "not_configured" (neither a CIS code nor the settings to build one).
  std::string unavailable;
  std::string barcode_unavailable;  // when only the barcode is missing: "over_limit" or "not_configured"
  std::string barcode;              // 44 digits, or empty (Pay-easy only)
  std::vector<std::string> human_readable;  // two lines
  std::string modules;                      // GS1-128 modules, no quiet zones
  int64_t amount_yen = 0;
  CivilDate deadline;  // the last day the codes are accepted (JST)
  int reissue = 0;
  // Pay-easy (empty when the utility has no 収納機関番号).
  std::string payeasy_institution_number, payeasy_customer_number, payeasy_confirmation_number;
};

// The codes of `bill` on `today` (JST) under `config` — the CIS's values when the bill has them, else built
// from the settings (docs/payment.md). The reissue digit is the higher of the CIS code's and the counter's;
// the deadline is that reissue's: the CIS code's when its digit is the higher (or equal), else the counter
// reissue's; without either, the due date + payment.deadline_days_after_due.
PaymentCodes PaymentCodesFor(const PaymentConfig& config, const std::string& customer_number,
                             const BillView& bill, const CivilDate& today);

}  // namespace mizu::backend
