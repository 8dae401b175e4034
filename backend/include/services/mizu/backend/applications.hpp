#pragma once
// 使用開始 / 使用中止 applications (M16): a resident asks the bureau to start water at a new address or stop
// it at the old one. Validated with field errors, stored with a status the counter moves on (received →
// scheduled → done, or rejected: staff_work.hpp), confirmed by mail, exported as CSV for the billing system.
// No login needed (a person moving in has no contract yet); rate-limited per client and per address. The
// applicant looks the status up with the reference and the e-mail address.
#include <cstdint>
#include <optional>
#include <string>

#include "mizu/applications.hpp"
#include "mizu/backend/app.hpp"
#include "mizu/backend/csv.hpp"
#include "mizu/errors.hpp"
#include "mizu/i18n.hpp"
#include "mizu/time.hpp"

namespace mizu::backend {

enum class ApplicationKind { kMoveIn, kMoveOut };

struct ApplicationRequest {
  ApplicationKind kind = ApplicationKind::kMoveIn;
  std::string customer_number;     // move-out: optional (お客様番号, if known)
  std::string postal_code;         // optional, 7 digits
  std::string address;             // the supply address (where water starts / stops)
  std::string name, name_kana;     // the applicant (使用者) and the name in katakana
  std::string phone;               // daytime contact
  std::string email;               // the confirmation goes here
  std::string desired_date;        // as typed: any form ParseDateInput reads (mizu/date_input.hpp)
  std::string payment_method;      // direct_debit | payment_slip | credit_card (or the Japanese label)
  std::string forwarding_address;  // move-out: where the final bill goes (optional)
};

struct ApplicationReceipt {
  int64_t id = 0;
  std::string reference;  // e.g. MI-20261120-000001 (MO- for move-out): what the resident quotes
  std::string status;     // received
  CivilDate desired_date;
};

// Errors on "desired_date": date_invalid (not a date ParseDateInput reads, a year-less one counted from today
// in JST), date_in_past, date_not_business_day, date_out_of_window.
std::optional<ErrorCode> CheckDesiredDate(const std::string& text, int64_t now);
// Validates every field (ServiceError 400 with all field errors), stores the application as 'received' and
// enqueues the confirmation mail (in `lang`) in the same transaction. 429 rate_limited when the client or the
// address sent too many.
ApplicationReceipt SubmitApplication(App& app, const ApplicationRequest& request, Lang lang,
                                     const std::string& client_key, int64_t now);
// What the applicant sees of their application (LookupApplication).
struct ApplicationStatusView {
  std::string reference, kind,
      status;                // kind move_in | move_out; status received | scheduled | done | rejected
  std::string desired_date;  // YYYY-MM-DD
  int64_t created_at = 0, updated_at = 0;
  std::string note;  // the bureau's note with the latest status change ("" when none)
};
// By the reference and the e-mail address it was made with (widths and the reference's case as typed, the
// address's domain in any case); 404 application_not_found when either does not match (one answer for both).
ApplicationStatusView LookupApplication(App& app, const std::string& reference, const std::string& email);
// CSV of the applications (status "" = all), oldest first. Header in docs/operations.md. In CP932, characters
// it cannot hold are 〓 and listed in the result's substitutions.
CsvExport ExportApplications(App& app, TextEncoding encoding, const std::string& status = "");

}  // namespace mizu::backend
