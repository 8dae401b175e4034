// The offline commands on a data folder: import, export, token, demo-data, evaluate. Each may run while the
// server runs (SQLite WAL).
#include <cstdio>
#include <fstream>
#include <sstream>

#include "commands.hpp"
#include "mizu/backend/accounts.hpp"
#include "mizu/backend/alerts.hpp"
#include "mizu/backend/api_tokens.hpp"
#include "mizu/backend/app.hpp"
#include "mizu/backend/applications.hpp"
#include "mizu/backend/billing.hpp"
#include "mizu/backend/cis.hpp"
#include "mizu/backend/db_copy.hpp"
#include "mizu/backend/demo_data.hpp"
#include "mizu/backend/kiosk.hpp"
#include "mizu/backend/mail.hpp"
#include "mizu/backend/staff.hpp"
#include "mizu/backend/watch.hpp"
#include "mizu/time.hpp"

namespace mizu::backend::cli {
namespace {

// Opens the App for an offline command: defaults, then --config, then the environment, then --data.
std::unique_ptr<App> OfflineApp(const DataOptions& o) {
  Config config;
  if (!o.config.empty()) ApplyConfigFile(config, o.config);
  ApplyEnvironment(config);
  if (!o.data.empty()) config.data_dir = o.data;
  return OpenApp(config);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TextEncoding Encoding(const std::string& name) {
  auto encoding = ParseEncoding(name);
  if (!encoding) throw UsageError("--encoding must be utf-8 or cp932");
  return *encoding;
}

// The export's report on stderr: one line per character written as 〓 (or refused, with --strict), then the
// summary line "export KIND: N rows, K characters substituted with 〓: row R column C U+XXXX, …".
void ReportExport(const std::string& kind, const CsvExport& csv, bool strict) {
  std::string list;
  for (const auto& s : csv.substitutions) {
    std::fprintf(stderr, "export %s: row %d, column %s: %s %s\n", kind.c_str(), s.row, s.column.c_str(),
                 CodePointLabel(s.cp).c_str(), strict ? "cannot be written in CP932" : "written as 〓");
    list += (list.empty() ? ": " : ", ") +
            ("row " + std::to_string(s.row) + " " + s.column + " " + CodePointLabel(s.cp));
  }
  if (strict && !csv.substitutions.empty()) {
    std::fprintf(stderr,
                 "export %s: failed (--strict): %zu characters CP932 cannot hold%s; nothing written\n",
                 kind.c_str(), csv.substitutions.size(), list.c_str());
  } else {
    std::fprintf(stderr, "export %s: %d rows, %zu characters substituted with 〓%s\n", kind.c_str(), csv.rows,
                 csv.substitutions.size(), list.c_str());
  }
}

}  // namespace

int Import(const ImportOptions& o) {
  const TextEncoding encoding = Encoding(o.encoding);
  auto app = OfflineApp(o.data);
  std::string text = DecodeText(ReadFile(o.file), encoding);
  ImportReport report;
  if (o.kind == "bills") {
    report = ImportBills(*app, text, app->clock.Now());
  } else if (o.kind == "payments") {
    report = ImportPayments(*app, text, app->clock.Now());
  } else {
    std::lock_guard lock(app->db_mutex);
    report = ImportCustomers(*app->db, text, {app->config.utility.customer_number, &app->tariff},
                             app->clock.Now());
  }
  std::printf("%d rows: %d inserted, %d updated, %d unchanged, %d rejected\n", report.rows, report.inserted,
              report.updated, report.unchanged, report.rejected);
  for (const auto& e : report.errors)
    std::printf("line %d: %s: %s (%s)\n", e.line, e.field.c_str(), e.code.c_str(), e.detail.c_str());
  return report.rejected > 0 ? 1 : 0;
}

// Writes the paper-notice list or the applications as CSV to --out or stdout. With --strict, a character the
// encoding cannot hold fails the export (exit 1, nothing written) instead of being written as 〓.
int Export(const ExportOptions& o) {
  const TextEncoding encoding = Encoding(o.encoding);
  auto app = OfflineApp(o.data);
  const CsvExport result = o.kind == "paper-notices" ? ExportPaperNotices(*app, encoding)
                                                     : ExportApplications(*app, encoding, o.status);
  ReportExport(o.kind, result, o.strict);
  if (o.strict && !result.substitutions.empty()) return 1;
  const std::string& csv = result.bytes;
  if (o.out.empty()) {
    std::fwrite(csv.data(), 1, csv.size(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 1;
  }
  std::ofstream out(o.out, std::ios::binary | std::ios::trunc);
  out.write(csv.data(), static_cast<std::streamsize>(csv.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write " + o.out);
  return 0;
}

int Token(const TokenOptions& o) {
  auto app = OfflineApp(o.data);
  const std::string label = o.label.empty() ? o.scope : o.label;
  std::printf("%s\n", CreateApiToken(*app, o.scope, label, app->clock.Now()).c_str());
  return 0;
}

int Staff(const StaffOptions& o) {
  auto app = OfflineApp(o.data);
  const auto role = ParseStaffRole(o.role);
  if (!role) throw std::invalid_argument("--role must be counter, supervisor or admin");
  StaffInvite invite = CreateStaff(*app, o.email, *role, 0, "cli", app->clock.Now());
  std::printf(
      "staff account for %s (%s): open this link within 72 hours to set a password and the second "
      "factor\n%s\n",
      o.email.c_str(), o.role.c_str(), StaffEnrolUrl(app->config, invite.enrol_token).c_str());
  return 0;
}

int Kiosk(const KioskOptions& o) {
  auto app = OfflineApp(o.data);
  const int64_t now = app->clock.Now();
  if (o.action == "enrol") {
    const EnrolledKiosk k = EnrolKiosk(*app, nullptr, o.name, "cli", now);
    std::printf(
        "kiosk %lld (%s): open this start URL in the terminal's browser (shown once; keep it like a "
        "password)\n%s\n",
        static_cast<long long>(k.id), k.name.c_str(), k.start_url.c_str());
  } else if (o.action == "list") {
    for (const KioskRow& k : ListKiosks(*app))
      std::printf("%lld\t%s\t%s\n", static_cast<long long>(k.id), k.name.c_str(),
                  k.revoked_at ? ("revoked " + FormatIsoJst(k.revoked_at)).c_str() : "active");
  } else {
    RevokeKiosk(*app, nullptr, o.id, o.reason, "cli", now);
    std::printf("kiosk %lld revoked\n", static_cast<long long>(o.id));
  }
  return 0;
}

int DemoData(const DataOptions& o) {
  auto app = OfflineApp(o);
  auto logins = FillDemoData(*app, app->clock.Now());
  std::printf("demo data in %s\n", app->config.data_dir.c_str());
  const auto& format = app->config.utility.customer_number;
  for (const auto& l : logins) {
    const std::string parent =
        l.family_contract.empty()
            ? ""
            : "; also holds the parent's contract " + FormatCustomerNumber(l.family_contract, format);
    std::printf("  login: %s  password: %s  (%s, お客様番号 %s%s)\n", l.email.c_str(), l.password.c_str(),
                l.note.c_str(), FormatCustomerNumber(l.customer_number, format).c_str(), parent.c_str());
  }
  return 0;
}

// Reports the watch windows due up to --at (exactly once, as the server's scheduler would), then delivers
// what is due in the outbox once with the configured transport.
int Evaluate(const EvaluateOptions& o) {
  const auto at = ParseIso8601(o.at);
  if (!at) throw UsageError("evaluate needs --at ISO8601 with an offset, e.g. 2026-11-22T12:30:00+09:00");
  auto app = OfflineApp(o.data);
  const EvaluateResult r = EvaluateDue(*app, *at);
  AlertPassResult alerts;
  {
    Database db(app->db_path);  // as the scheduler: the alert pass on a connection of its own
    alerts = EvaluateAlerts(db, *app, *at);
  }
  MailRelay relay(app->db_path, app->config.mail, app->config.sms, app->config.data_dir, app->clock, 1);
  const int sent = relay.RunOnce();
  std::printf(
      "watch: evaluated up to %s: %d windows reported (%d late), %d report mails, %d ended notices; "
      "%d mails delivered; %d hours of impossible meter values\n",
      FormatIsoJst(*at).c_str(), r.windows, r.late, r.mails, r.farewells, sent, r.anomaly_hours);
  std::printf("alerts: %d events, %d mails\n", alerts.events, alerts.mails);
  return 0;
}

int Migrate(const DataOptions& o) {
  auto app = OfflineApp(o);  // opening it migrates it
  std::printf("database %s: schema version %d\n", DatabaseUrl::Parse(app->db_path).Redacted().c_str(),
              app->db->SchemaVersion());
  return 0;
}

int Db(const DbOptions& o) {
  for (const std::string* url : {&o.from, &o.to}) try {
      DatabaseUrl::Parse(*url);
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
  if (o.from == o.to) throw UsageError("--from and --to name the same database");
  int64_t rows = 0;
  CopyDatabase(o.from, o.to, [&](const CopyTableResult& t) {
    rows += t.rows;
    std::printf("%s: %lld rows\n", t.table.c_str(), static_cast<long long>(t.rows));
  });
  std::printf("copied %lld rows from %s to %s\n", static_cast<long long>(rows),
              DatabaseUrl::Parse(o.from).Redacted().c_str(), DatabaseUrl::Parse(o.to).Redacted().c_str());
  return 0;
}

}  // namespace mizu::backend::cli
