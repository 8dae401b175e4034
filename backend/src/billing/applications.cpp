// 使用開始 / 使用中止 applications (M16): validation with field errors, storage with a status, the
// confirmation mail and the CSV export for the billing system.
#include "mizu/backend/applications.hpp"

#include <algorithm>
#include <cstdio>

#include "common.hpp"
#include "mizu/backend/accounts.hpp"
#include "mizu/backend/billing.hpp"
#include "mizu/backend/catalog_messages.hpp"
#include "mizu/backend/mail.hpp"
#include "mizu/date_input.hpp"
#include "mizu/text.hpp"

namespace mizu::backend {

using namespace billing;

namespace {

constexpr size_t kMaxAddressChars = 200;
constexpr size_t kMaxNameChars = 60;
constexpr int kMaxPerAddressPerHour = 3;  // confirmations to one mailbox: a public form must not spam anyone
constexpr int kMaxPerClientPerHour = 20;

std::string Required(const std::string& raw, const char* field, size_t max_chars,
                     std::vector<FieldError>& errors) {
  std::string v = NormalizeText(raw);
  if (v.empty())
    errors.push_back({std::string(err::kRequired), field});
  else if (Utf8Length(v) > max_chars)
    errors.push_back({std::string(err::kTooLong), field});
  return v;
}

struct Validated {
  std::string customer_number, postal_code, address, name, name_kana, phone, email, method, forwarding;
  CivilDate date;
};

// The desired date as the resident typed it (ParseDateInput: any common form, a year-less one counted from
// today in JST); nullopt when it is not a date.
std::optional<CivilDate> DesiredDate(const std::string& text, int64_t now) {
  return ParseDateInput(text, ToJst(now).date);
}

Validated Validate(const ApplicationRequest& r, const CustomerNumberFormat& fmt, int64_t now) {
  std::vector<FieldError> errors;
  Validated v;
  if (r.kind == ApplicationKind::kMoveOut && !NormalizeText(r.customer_number).empty()) {
    auto cn = NormalizeCustomerNumber(r.customer_number);
    if (!cn || ValidateCustomerNumber(*cn, fmt))
      errors.push_back({std::string(err::kCustomerNumberInvalid), "customer_number"});
    else
      v.customer_number = *cn;
  }
  std::string postal = NormalizeText(r.postal_code);
  std::erase(postal, '-');
  if (postal.rfind("〒", 0) == 0) postal = postal.substr(std::string("〒").size());
  if (!postal.empty() && (postal.size() != 7 || postal.find_first_not_of("0123456789") != std::string::npos))
    errors.push_back({std::string(err::kInvalidFormat), "postal_code"});
  v.postal_code = postal;
  v.address = Required(r.address, "address", kMaxAddressChars, errors);
  v.name = Required(r.name, "name", kMaxNameChars, errors);
  v.name_kana = NormalizeKanaName(r.name_kana);
  if (auto e = ValidateKanaName(v.name_kana)) errors.push_back({std::string(*e), "name_kana"});
  auto phone = NormalizePhone(r.phone);
  if (NormalizeText(r.phone).empty())
    errors.push_back({std::string(err::kRequired), "phone"});
  else if (!phone || ValidatePhone(*phone))
    errors.push_back({std::string(err::kPhoneInvalid), "phone"});
  else
    v.phone = *phone;
  v.email = NormalizeEmail(r.email);
  if (v.email.empty())
    errors.push_back({std::string(err::kRequired), "email"});
  else if (auto e = ValidateEmail(v.email))
    errors.push_back({std::string(*e), "email"});
  if (NormalizeText(r.desired_date).empty())
    errors.push_back({std::string(err::kRequired), "desired_date"});
  else if (auto e = CheckDesiredDate(r.desired_date, now))
    errors.push_back({std::string(*e), "desired_date"});
  else
    v.date = *DesiredDate(r.desired_date, now);
  auto method = ParsePaymentMethod(r.payment_method);
  if (NormalizeText(r.payment_method).empty())
    errors.push_back({std::string(err::kRequired), "payment_method"});
  else if (!method || (*method != "direct_debit" && *method != "payment_slip" && *method != "credit_card"))
    errors.push_back({std::string(err::kPaymentMethodInvalid), "payment_method"});
  else
    v.method = *method;
  if (r.kind == ApplicationKind::kMoveOut) {
    v.forwarding = NormalizeText(r.forwarding_address);
    if (Utf8Length(v.forwarding) > kMaxAddressChars)
      errors.push_back({std::string(err::kTooLong), "forwarding_address"});
  }
  if (!errors.empty()) throw ServiceError(400, errors.front().code, errors);
  return v;
}

void RequireUnderLimits(Database& db, const std::string& email, const std::string& client, int64_t now) {
  auto count = [&](const char* where, const std::string& value) {
    auto q = db.Prepare(std::string("SELECT COUNT(*), MIN(created_at) FROM applications WHERE ") + where +
                        " AND created_at > ?");
    q.Bind(1, value).Bind(2, now - 3600);
    q.Step();
    return std::make_pair(q.Int(0), q.IsNull(1) ? now : q.Int(1));
  };
  auto [by_address, oldest_a] = count("email = ? COLLATE NOCASE", email);
  auto [by_client, oldest_c] = count("client = ?", client);
  if (by_address >= kMaxPerAddressPerHour)
    throw ServiceError(429, err::kRateLimited, {}, std::max<int64_t>(1, oldest_a + 3600 - now));
  if (by_client >= kMaxPerClientPerHour)
    throw ServiceError(429, err::kRateLimited, {}, std::max<int64_t>(1, oldest_c + 3600 - now));
}

}  // namespace

std::optional<ErrorCode> CheckDesiredDate(const std::string& text, int64_t now) {
  auto d = DesiredDate(text, now);
  if (!d) return err::kDateInvalid;
  CivilDate today = ToJst(now).date;
  if (*d < today) return err::kDateInPast;
  const DateWindow window = DesiredDateWindow(today);
  if (*d < window.first || window.last < *d) return err::kDateOutOfWindow;
  if (!IsBusinessDay(*d)) return err::kDateNotBusinessDay;
  return std::nullopt;
}

ApplicationReceipt SubmitApplication(App& app, const ApplicationRequest& request, Lang lang,
                                     const std::string& client_key, int64_t now) {
  Validated v = Validate(request, app.config.utility.customer_number, now);
  bool move_in = request.kind == ApplicationKind::kMoveIn;
  ApplicationReceipt receipt;
  receipt.status = "received";
  receipt.desired_date = v.date;
  WriteDb(app, [&](Database& db) {
    RequireUnderLimits(db, v.email, client_key, now);
    auto next = db.Prepare("SELECT COALESCE(MAX(id), 0) + 1 FROM applications");
    next.Step();
    receipt.id = next.Int(0);
    CivilDate today = ToJst(now).date;
    char ref[48];
    std::snprintf(ref, sizeof ref, "%s-%04d%02d%02d-%06lld", move_in ? "MI" : "MO", today.year, today.month,
                  today.day, static_cast<long long>(receipt.id));
    receipt.reference = ref;
    auto insert = db.Prepare(
        "INSERT INTO applications (id, reference, kind, status, customer_number, postal_code, address, "
        "name, "
        "name_kana, phone, email, desired_date, payment_method, forwarding_address, lang, client, "
        "created_at, "
        "updated_at) VALUES (?, ?, ?, 'received', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.Bind(1, receipt.id).Bind(2, receipt.reference).Bind(3, move_in ? "move_in" : "move_out");
    insert.Bind(4, v.customer_number).Bind(5, v.postal_code).Bind(6, v.address).Bind(7, v.name);
    insert.Bind(8, v.name_kana).Bind(9, v.phone).Bind(10, v.email).Bind(11, FormatDate(v.date));
    insert.Bind(12, v.method).Bind(13, v.forwarding).Bind(14, LangTag(lang)).Bind(15, client_key);
    insert.Bind(16, now).Bind(17, now).Run();
    Args args = {{"reference", receipt.reference},
                 {"address", v.address},
                 {"name", v.name},
                 {"date", FormatDay(lang, v.date)},
                 {"method", MethodLabel(lang, v.method)}};
    OutgoingMail mail = CatalogMail(
        app, lang, move_in ? "mail.application_move_in" : "mail.application_move_out", v.email, args);
    mail.to_name = v.name;
    EnqueueMail(db, mail, now);
  });
  NotifyMail(app);
  return receipt;
}

ApplicationStatusView LookupApplication(App& app, const std::string& reference_input,
                                        const std::string& email_input) {
  const std::string reference = NormalizeApplicationReference(reference_input);
  const std::string email = NormalizeEmail(email_input);
  auto view = ReadDb(app, [&](Database& db) -> std::optional<ApplicationStatusView> {
    auto q = db.Prepare(
        "SELECT a.reference, a.kind, a.status, a.desired_date, a.created_at, a.updated_at, "
        "COALESCE((SELECT h.note FROM application_history h WHERE h.application_id = a.id "
        "ORDER BY h.at DESC, h.id DESC LIMIT 1), '') FROM applications a "
        "WHERE a.reference = ? AND a.email = ? COLLATE NOCASE");
    q.Bind(1, reference).Bind(2, email);
    if (!q.Step()) return std::nullopt;
    return ApplicationStatusView{q.Text(0), q.Text(1), q.Text(2), q.Text(3), q.Int(4), q.Int(5), q.Text(6)};
  });
  if (!view || reference.empty() || email.empty()) throw ServiceError(404, err::kApplicationNotFound);
  return *view;
}

CsvExport ExportApplications(App& app, TextEncoding encoding, const std::string& status) {
  CsvExport csv(
      {"reference", "kind", "status", "received_at", "desired_date", "customer_number", "postal_code",
       "address", "name", "name_kana", "phone", "email", "payment_method", "forwarding_address", "lang"},
      encoding);
  ReadDb(app, [&](Database& db) {
    auto q = db.Prepare(
        "SELECT reference, kind, status, created_at, desired_date, customer_number, postal_code, address, "
        "name, "
        "name_kana, phone, email, payment_method, forwarding_address, lang FROM applications "
        "WHERE ? = '' OR status = ? ORDER BY id");
    q.Bind(1, status).Bind(2, status);
    while (q.Step()) {
      std::vector<std::string> row;
      for (int i = 0; i < 15; ++i) row.push_back(i == 3 ? FormatIsoJst(q.Int(3)) : q.Text(i));
      csv.Add(row);
    }
  });
  return csv;
}

}  // namespace mizu::backend
