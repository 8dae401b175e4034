// 料金のお支払い: the convenience-store barcode's 44 digits and the Pay-easy numbers of a bill
// (payment_codes.hpp; docs/payment.md). The GS1-128 symbol itself comes from libzint (gs1_128.cpp).
#include <cstdio>
#include <stdexcept>

#include "mizu/backend/auth.hpp"
#include "mizu/backend/payment_codes.hpp"

namespace mizu::backend {
namespace {

bool AllDigits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string Padded(int64_t value, int width) {
  char out[32];
  std::snprintf(out, sizeof out, "%0*lld", width, static_cast<long long>(value));
  return out;
}

// The utility's own Pay-easy お客様番号 when the CIS sends none: the customer number then the reading date
// YYYYMMDD (one per bill, even two bills in a month); "" when that is over 20 digits.
std::string BuiltPayeasyCustomerNumber(const std::string& customer_number, const CivilDate& reading) {
  std::string out =
      customer_number + Padded(reading.year, 4) + Padded(reading.month, 2) + Padded(reading.day, 2);
  return out.size() <= 20 ? out : std::string();
}

// 確認番号: six digits from HMAC-SHA-256(payment.payeasy_confirmation_key, "<お客様番号>\n<amount>"), which
// the bureau's collection system computes the same way with the same key (docs/payment.md).
std::string BuiltPayeasyConfirmation(const std::string& key, const std::string& payeasy_customer_number,
                                     int64_t amount) {
  const std::string mac = HmacSha256Hex(key, payeasy_customer_number + "\n" + std::to_string(amount));
  const uint64_t value = std::stoull(mac.substr(0, 15), nullptr, 16);
  return Padded(static_cast<int64_t>(value % 1'000'000), 6);
}

}  // namespace

int KonbiniCheckDigit(std::string_view digits43) {
  if (digits43.size() != 43 || !AllDigits(digits43))
    throw std::invalid_argument("KonbiniCheckDigit: need the first 43 digits");
  int sum = 0, weight = 3;
  for (size_t i = digits43.size(); i-- > 0;) {
    sum += (digits43[i] - '0') * weight;
    weight = weight == 3 ? 1 : 3;
  }
  return (10 - sum % 10) % 10;
}

std::string BuildKonbiniBarcode(const KonbiniFields& f) {
  if (f.company_code.size() != 6 || !AllDigits(f.company_code))
    throw std::invalid_argument("company_code: 6 digits");
  if (f.free_field.size() != 21 || !AllDigits(f.free_field))
    throw std::invalid_argument("free_field: 21 digits");
  if (f.reissue < 0 || f.reissue > 9) throw std::invalid_argument("reissue: 0..9");
  if (!IsValidDate(f.deadline) || f.deadline.year < 2000 || f.deadline.year > 2099)
    throw std::invalid_argument("deadline: a date in 2000..2099");
  if (f.amount_yen < 0 || f.amount_yen > 999'999) throw std::invalid_argument("amount: 0..999,999 yen");
  std::string data = f.company_code + f.free_field + std::to_string(f.reissue) +
                     Padded(f.deadline.year % 100, 2) + Padded(f.deadline.month, 2) +
                     Padded(f.deadline.day, 2) + (f.stamp ? "1" : "0") + Padded(f.amount_yen, 6);
  return "91" + data + std::to_string(KonbiniCheckDigit("91" + data));
}

std::optional<KonbiniFields> ParseKonbiniBarcode(std::string_view code, std::string* error) {
  auto fail = [&](const char* why) -> std::optional<KonbiniFields> {
    if (error) *error = why;
    return std::nullopt;
  };
  if (code.size() != kKonbiniDigits || !AllDigits(code)) return fail("length");
  if (code.substr(0, 2) != "91") return fail("application_identifier");
  KonbiniFields f;
  f.company_code = std::string(code.substr(2, 6));
  f.free_field = std::string(code.substr(8, 21));
  f.reissue = code[29] - '0';
  f.deadline = {2000 + std::stoi(std::string(code.substr(30, 2))), std::stoi(std::string(code.substr(32, 2))),
                std::stoi(std::string(code.substr(34, 2)))};
  if (!IsValidDate(f.deadline)) return fail("deadline");
  if (code[36] != '0' && code[36] != '1') return fail("stamp_flag");
  f.stamp = code[36] == '1';
  f.amount_yen = std::stoll(std::string(code.substr(37, 6)));
  if (KonbiniCheckDigit(code.substr(0, 43)) != code[43] - '0') return fail("check_digit");
  return f;
}

std::vector<std::string> KonbiniHumanReadable(std::string_view code) {
  if (code.size() != kKonbiniDigits) return {};
  const std::string c(code);
  return {"(" + c.substr(0, 2) + ")" + c.substr(2, 6) + "-" + c.substr(8, 21),
          c.substr(29, 1) + "-" + c.substr(30, 6) + "-" + c.substr(36, 1) + "-" + c.substr(37, 6) + "-" +
              c.substr(43, 1)};
}

std::string KonbiniFreeField(std::string_view customer_number, const CivilDate& reading_date) {
  if (customer_number.size() > 13 || !AllDigits(customer_number))
    throw std::invalid_argument("free_field: the customer number must be at most 13 digits");
  return std::string(13 - customer_number.size(), '0') + std::string(customer_number) +
         Padded(reading_date.year, 4) + Padded(reading_date.month, 2) + Padded(reading_date.day, 2);
}

PaymentCodes PaymentCodesFor(const PaymentConfig& config, const std::string& customer_number,
                             const BillView& bill, const CivilDate& today) {
  PaymentCodes out;
  const int64_t due_amount = bill.total - bill.paid;
  if (due_amount <= 0) {
    out.unavailable = "paid";
    return out;
  }
  if (bill.payment_method == "direct_debit") {
    out.unavailable = "direct_debit";
    return out;
  }
  const auto reading = ParseDate(bill.reading_date);
  const auto due = ParseDate(bill.due_date);
  if (!reading || !due) {
    out.unavailable = "not_configured";
    return out;
  }
  std::optional<KonbiniFields> cis;
  if (!bill.konbini_barcode.empty()) cis = ParseKonbiniBarcode(bill.konbini_barcode);
  // A stored CIS code that no longer validates is not replaced by one of ours (its free field is the CIS's).
  const bool cis_unusable = !bill.konbini_barcode.empty() && !cis;
  out.amount_yen = due_amount;
  // The newest slip wins: the CIS's (a later import may carry its own reissue) or the counter's.
  const auto counter_deadline = ParseDate(bill.reissue_deadline);
  const bool counter_newer = counter_deadline && bill.reissue > (cis ? cis->reissue : 0);
  out.reissue = counter_newer ? bill.reissue : cis ? cis->reissue : 0;
  out.deadline = counter_newer ? *counter_deadline
                 : cis         ? cis->deadline
                               : AddDays(*due, config.deadline_days_after_due);
  // Past the deadline matters only for codes that would be shown: a bill no reissue makes payable keeps its
  // own reason (checked below), so the counter is not offered a reissue that cannot help.
  const bool past = DaysFromCivil(today) > DaysFromCivil(out.deadline);
  // The barcode: the CIS's (with a reissue's digit and deadline put in), else built from the settings.
  std::optional<KonbiniFields> fields;
  if (cis) {
    if (bill.paid > 0) {
      out.unavailable = "partly_paid";
      return out;
    }
    fields = cis;
    out.amount_yen = cis->amount_yen;
  } else if (!cis_unusable && !config.company_code.empty() && customer_number.size() <= 13) {
    fields = KonbiniFields{config.company_code, KonbiniFreeField(customer_number, *reading), 0, {}, false,
                           due_amount};
    fields->stamp = config.stamp_threshold_yen > 0 && due_amount >= config.stamp_threshold_yen;
  }
  const bool over_limit = out.amount_yen > config.konbini_limit_yen;
  if (fields && !over_limit) {
    fields->reissue = out.reissue;
    fields->deadline = out.deadline;
    out.barcode = BuildKonbiniBarcode(*fields);
    out.human_readable = KonbiniHumanReadable(out.barcode);
    out.modules = Gs1128Modules(out.barcode);
  }
  // Pay-easy: no amount limit at an ATM or in net banking. The CIS's numbers are for the whole bill: not
  // after a part payment.
  const bool cis_payeasy = !bill.payeasy_customer_number.empty();
  if (!config.payeasy_institution_number.empty() && !(cis_payeasy && bill.paid > 0)) {
    out.payeasy_institution_number = config.payeasy_institution_number;
    out.payeasy_customer_number = !bill.payeasy_customer_number.empty()
                                      ? bill.payeasy_customer_number
                                      : BuiltPayeasyCustomerNumber(customer_number, *reading);
    if (!bill.payeasy_confirmation_number.empty())
      out.payeasy_confirmation_number = bill.payeasy_confirmation_number;
    else if (!config.payeasy_confirmation_key.empty())
      out.payeasy_confirmation_number =
          BuiltPayeasyConfirmation(config.payeasy_confirmation_key, out.payeasy_customer_number, due_amount);
    if (out.payeasy_customer_number.empty() || out.payeasy_confirmation_number.empty())
      out.payeasy_institution_number.clear();
  }
  if (out.barcode.empty()) out.barcode_unavailable = over_limit ? "over_limit" : "not_configured";
  if (out.barcode.empty() && out.payeasy_institution_number.empty())
    out.unavailable = out.barcode_unavailable;
  if (past && out.unavailable.empty()) {
    PaymentCodes expired;
    expired.unavailable = out.reissue >= 9 ? "past_deadline_final" : "past_deadline";
    expired.amount_yen = out.amount_yen;
    expired.deadline = out.deadline;
    expired.reissue = out.reissue;
    return expired;
  }
  return out;
}

}  // namespace mizu::backend
