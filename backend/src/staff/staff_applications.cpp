// The applications queue (staff_work.hpp): 使用開始 / 使用中止 applications as the counter works them — list
// by status, open one, change its status with a note. Each change keeps a history row, is audited and mails
// the applicant in the application's language, all in one transaction.
#include <algorithm>

#include "mizu/applications.hpp"
#include "mizu/backend/accounts.hpp"
#include "mizu/backend/catalog_messages.hpp"
#include "mizu/backend/mail.hpp"
#include "mizu/backend/staff_work.hpp"
#include "mizu/format.hpp"
#include "mizu/text.hpp"
#include "mizu/time.hpp"

namespace mizu::backend {
namespace {

constexpr const char* kRowColumns =
    "SELECT id, reference, kind, status, name, name_kana, address, desired_date, created_at, updated_at ";

StaffApplicationRow ReadRow(Statement& q) {
  return {q.Int(0),  q.Text(1), q.Text(2), q.Text(3), q.Text(4),
          q.Text(5), q.Text(6), q.Text(7), q.Int(8),  q.Int(9)};
}

std::optional<StaffApplication> Load(Database& db, const std::string& reference) {
  auto q =
      db.Prepare(std::string(kRowColumns) +
                 ", customer_number, postal_code, phone, email, payment_method, forwarding_address, lang "
                 "FROM applications WHERE reference = ?");
  q.Bind(1, reference);
  if (!q.Step()) return std::nullopt;
  StaffApplication a;
  a.row = ReadRow(q);
  a.customer_number = q.Text(10);
  a.postal_code = q.Text(11);
  a.phone = q.Text(12);
  a.email = q.Text(13);
  a.payment_method = q.Text(14);
  a.forwarding_address = q.Text(15);
  a.lang = q.Text(16);
  // The submission itself is the first entry: the resident, at created_at.
  a.history.push_back({a.row.created_at, "", "", "received", ""});
  auto h = db.Prepare(
      "SELECT h.at, COALESCE(s.email, ''), h.from_status, h.to_status, h.note FROM application_history h "
      "LEFT JOIN staff s ON s.id = h.staff_id WHERE h.application_id = ? ORDER BY h.at, h.id");
  h.Bind(1, a.row.id);
  while (h.Step()) a.history.push_back({h.Int(0), h.Text(1), h.Text(2), h.Text(3), h.Text(4)});
  return a;
}

void MailApplicant(const App& app, Database& db, const StaffApplication& a, const std::string& status,
                   const std::string& note, int64_t now) {
  const Lang lang = ParseLang(a.lang);
  std::string date = a.row.desired_date;
  if (auto d = ParseDate(a.row.desired_date)) date = FormatDay(lang, *d);
  const std::string note_text =
      note.empty() ? std::string() : Format(Tr(lang, "application.status_note"), {{"note", note}});
  OutgoingMail mail = CatalogMail(app, lang, "mail.application_status", a.email,
                                  {{"name", a.row.name},
                                   {"kind", std::string(Tr(lang, "application.kind." + a.row.kind))},
                                   {"status", std::string(Tr(lang, "application.status." + status))},
                                   {"reference", a.row.reference},
                                   {"address", a.row.address},
                                   {"date", date},
                                   {"note", note_text}});
  mail.to_name = a.row.name;
  EnqueueMail(db, mail, now);
}

}  // namespace

bool IsApplicationStatus(const std::string& status) {
  return std::any_of(std::begin(kApplicationStatuses), std::end(kApplicationStatuses),
                     [&](const char* s) { return status == s; });
}

std::vector<StaffApplicationRow> ListApplications(App& app, const StaffApplicationQuery& query) {
  if (!query.status.empty() && !IsApplicationStatus(query.status))
    throw ServiceError(400, err::kInvalidFormat, {{std::string(err::kInvalidFormat), "status"}});
  const int limit = std::clamp(query.limit, 1, 200);
  return ReadDb(app, [&](Database& db) {
    auto q = db.Prepare(std::string(kRowColumns) +
                        "FROM applications WHERE (?1 = '' OR status = ?1) AND (?2 = 0 OR id < ?2) "
                        "ORDER BY id DESC LIMIT ?3");
    q.Bind(1, query.status).Bind(2, query.before_id).Bind(3, int64_t{limit});
    std::vector<StaffApplicationRow> out;
    while (q.Step()) out.push_back(ReadRow(q));
    return out;
  });
}

StaffApplication GetApplication(App& app, const StaffSession& staff, const std::string& reference,
                                const std::string& client, int64_t now) {
  return WriteDb(app, [&](Database& db) {
    auto a = Load(db, NormalizeApplicationReference(reference));
    if (!a) throw ServiceError(404, err::kApplicationNotFound);
    // The applicant's phone, address and e-mail were shown: who looked is kept.
    StaffAudit(db, {.at = now,
                    .staff_id = staff.staff_id,
                    .action = "application_viewed",
                    .customer_number = a->customer_number,
                    .target = a->row.reference,
                    .client = client});
    return *a;
  });
}

StaffApplication SetApplicationStatus(App& app, const StaffSession& staff, const std::string& reference,
                                      const std::string& status, const std::string& note_input,
                                      const std::string& client, int64_t now) {
  std::vector<FieldError> errors;
  if (!IsApplicationStatus(status)) errors.push_back({std::string(err::kInvalidFormat), "status"});
  // A note may have several lines, shown as written.
  const std::string note = NormalizeMultiline(note_input);
  if (status == "rejected" && note.empty())
    errors.push_back({std::string(err::kRequired), "note"});
  else if (auto e = ValidateMultilineField(note, kMaxStatusNoteChars))
    errors.push_back({std::string(*e), "note"});
  if (!errors.empty()) throw ServiceError(400, errors.front().code, errors);
  auto result = WriteDb(app, [&](Database& db) {
    auto a = Load(db, NormalizeApplicationReference(reference));
    if (!a) throw ServiceError(404, err::kApplicationNotFound);
    const std::string from = a->row.status;
    if (from == status) throw ServiceError(409, err::kApplicationStatusUnchanged);
    db.Prepare("UPDATE applications SET status = ?, updated_at = ? WHERE id = ?")
        .Bind(1, status)
        .Bind(2, now)
        .Bind(3, a->row.id)
        .Run();
    auto h = db.Prepare(
        "INSERT INTO application_history (application_id, at, staff_id, from_status, to_status, note) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    h.Bind(1, a->row.id).Bind(2, now).Bind(3, staff.staff_id).Bind(4, from).Bind(5, status).Bind(6, note);
    h.Run();
    StaffAudit(db, {.at = now,
                    .staff_id = staff.staff_id,
                    .action = "application_status",
                    .customer_number = a->customer_number,
                    .target = a->row.reference,
                    .reason = note,
                    .client = client});
    MailApplicant(app, db, *a, status, note, now);
    return *Load(db, a->row.reference);
  });
  NotifyMail(app);
  return result;
}

}  // namespace mizu::backend
