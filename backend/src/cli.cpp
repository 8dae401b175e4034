// Subcommand dispatch and option parsing for `mizumori`.
#include "mizu/backend/cli.hpp"

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>
#include <cstdio>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include <fstream>
#include <sstream>

#include "mizu/backend/accounts.hpp"
#include "mizu/backend/app.hpp"
#include "mizu/backend/applications.hpp"
#include "mizu/backend/bills.hpp"
#include "mizu/backend/cis.hpp"
#include "mizu/backend/demo_data.hpp"
#include "mizu/backend/http_server.hpp"
#include "mizu/backend/mail.hpp"
#include "mizu/backend/watch_service.hpp"
#include "mizu/billing.hpp"
#include "mizu/i18n.hpp"
#include "mizu/time.hpp"

namespace mizu::backend {
namespace {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

constexpr const char* kUsage =
    "usage: mizumori <command> [options]\n"
    "  serve     [--config FILE] [--listen HOST:PORT] [--data DIR] [--web DIR]\n"
    "  demo-data [--data DIR]\n"
    "  import    customers|bills|payments FILE [--encoding utf-8|cp932] [--data DIR]\n"
    "  export    paper-notices|applications [--encoding utf-8|cp932] [--out FILE] [--status S] [--strict] "
    "[--data DIR]\n"
    "  token     create --scope ingest|import [--label TEXT] [--data DIR]\n"
    "  evaluate  --at ISO8601 [--data DIR]   (watch reports due up to that instant, then delivers mail)\n"
    "  calendar  YEAR\n"
    "  simulate  --diameter MM --volume M3 [--tariff FILE]\n";

// "--name value" pairs after the command; positional arguments kept in order.
struct Options {
  std::map<std::string, std::string> named;
  std::vector<std::string> positional;

  std::string Get(const std::string& name, const std::string& fallback = "") const {
    auto it = named.find(name);
    return it == named.end() ? fallback : it->second;
  }
};

Options ParseOptions(const std::vector<std::string>& args, size_t first) {
  Options o;
  for (size_t i = first; i < args.size(); ++i) {
    if (args[i] == "--strict") {  // the one flag without a value
      o.named["strict"] = "1";
    } else if (args[i].rfind("--", 0) == 0) {
      if (i + 1 >= args.size()) throw UsageError(args[i] + " needs a value");
      o.named[args[i].substr(2)] = args[i + 1];
      ++i;
    } else {
      o.positional.push_back(args[i]);
    }
  }
  return o;
}

int ParseInt(const std::string& text, const char* what) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
    throw UsageError(std::string(what) + " must be a whole number, got \"" + text + "\"");
  return std::stoi(text);
}

Config ServerConfig(const Options& o) {
  Config config;
  if (!o.Get("config").empty()) ApplyConfigFile(config, o.Get("config"));
  ApplyEnvironment(config);
  if (!o.Get("listen").empty()) ApplyListen(config, o.Get("listen"));
  if (!o.Get("data").empty()) config.data_dir = o.Get("data");
  if (!o.Get("web").empty()) config.web_dir = o.Get("web");
  return config;
}

// SIGINT / SIGTERM stop the server whenever they arrive — also between "serving on" and the accept loop's
// start, when cpp-httplib's stop() would be a no-op: the signals are blocked in every thread and taken by one
// thread with sigwait, which stops the server once it runs.
int Serve(const Options& o) {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);  // inherited by every thread started below
  auto app = OpenApp(ServerConfig(o));
  StartBackground(*app);
  HttpServer server(*app);
  int port = server.Bind(app->config.listen_host, app->config.listen_port);
  std::atomic<bool> finished{false};
  std::thread stopper([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    while (!finished.load()) {
      if (server.Running()) {
        server.Stop();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // Run() is about to accept
    }
  });
  std::printf("mizumori: serving on http://%s:%d/ (data %s%s)\n", app->config.listen_host.c_str(), port,
              app->config.data_dir.c_str(), app->config.test_mode ? ", TEST MODE" : "");
  std::fflush(stdout);
  server.Run();
  finished = true;
  pthread_kill(stopper.native_handle(), SIGTERM);  // wakes sigwait when Run() ended for another reason
  stopper.join();
  return 0;
}

// Opens the App for an offline command: config from the environment, --data overrides.
std::unique_ptr<App> OfflineApp(const Options& o) {
  Config config;
  if (!o.Get("config").empty()) ApplyConfigFile(config, o.Get("config"));
  ApplyEnvironment(config);
  if (!o.Get("data").empty()) config.data_dir = o.Get("data");
  return OpenApp(config);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int Import(const Options& o) {
  const std::string kind = o.positional.size() == 2 ? o.positional[0] : "";
  if (kind != "customers" && kind != "bills" && kind != "payments")
    throw UsageError("import wants: customers|bills|payments FILE");
  auto encoding = ParseEncoding(o.Get("encoding", "utf-8"));
  if (!encoding) throw UsageError("--encoding must be utf-8 or cp932");
  auto app = OfflineApp(o);
  std::string text = DecodeText(ReadFile(o.positional[1]), *encoding);
  ImportReport report;
  if (kind == "bills") {
    report = ImportBills(*app, text, app->clock.Now());
  } else if (kind == "payments") {
    report = ImportPayments(*app, text, app->clock.Now());
  } else {
    std::lock_guard lock(app->db_mutex);
    report = ImportCustomers(*app->db, text, {app->config.utility.customer_number, &app->tariff}, app->clock.Now());
  }
  std::printf("%d rows: %d inserted, %d updated, %d unchanged, %d rejected\n", report.rows, report.inserted,
              report.updated, report.unchanged, report.rejected);
  for (const auto& e : report.errors)
    std::printf("line %d: %s: %s (%s)\n", e.line, e.field.c_str(), e.code.c_str(), e.detail.c_str());
  return report.rejected > 0 ? 1 : 0;
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

// Writes the paper-notice list or the applications as CSV to --out or stdout. With --strict, a character the
// encoding cannot hold fails the export (exit 1, nothing written) instead of being written as 〓.
int Export(const Options& o) {
  const std::string kind = o.positional.size() == 1 ? o.positional[0] : "";
  if (kind != "paper-notices" && kind != "applications") throw UsageError("export wants: paper-notices|applications");
  auto encoding = ParseEncoding(o.Get("encoding", "utf-8"));
  if (!encoding) throw UsageError("--encoding must be utf-8 or cp932");
  auto app = OfflineApp(o);
  const CsvExport result = kind == "paper-notices" ? ExportPaperNotices(*app, *encoding)
                                                   : ExportApplications(*app, *encoding, o.Get("status"));
  const bool strict = !o.Get("strict").empty();
  ReportExport(kind, result, strict);
  if (strict && !result.substitutions.empty()) return 1;
  const std::string& csv = result.bytes;
  if (o.Get("out").empty()) {
    std::fwrite(csv.data(), 1, csv.size(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 1;
  }
  std::ofstream out(o.Get("out"), std::ios::binary | std::ios::trunc);
  out.write(csv.data(), static_cast<std::streamsize>(csv.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write " + o.Get("out"));
  return 0;
}

int Token(const Options& o) {
  if (o.positional.size() != 1 || o.positional[0] != "create") throw UsageError("token wants: create --scope S");
  std::string scope = o.Get("scope");
  if (scope != "ingest" && scope != "import") throw UsageError("--scope must be ingest or import");
  auto app = OfflineApp(o);
  std::printf("%s\n", CreateApiToken(*app, scope, o.Get("label", scope), app->clock.Now()).c_str());
  return 0;
}

int DemoData(const Options& o) {
  auto app = OfflineApp(o);
  auto logins = FillDemoData(*app, app->clock.Now());
  std::printf("demo data in %s\n", app->config.data_dir.c_str());
  for (const auto& l : logins)
    std::printf("  login: %s  password: %s  (%s, お客様番号 %s)\n", l.email.c_str(), l.password.c_str(), l.note.c_str(),
                FormatCustomerNumber(l.customer_number, app->config.utility.customer_number).c_str());
  return 0;
}

// Reports the watch windows due up to --at (exactly once, as the server's scheduler would), then delivers
// what is due in the outbox once with the configured transport.
int Evaluate(const Options& o) {
  const auto at = ParseIso8601(o.Get("at"));
  if (!at) throw UsageError("evaluate needs --at ISO8601 with an offset, e.g. 2026-11-22T12:30:00+09:00");
  auto app = OfflineApp(o);
  const EvaluateResult r = EvaluateDue(*app, *at);
  MailRelay relay(app->db_path, app->config.mail, app->config.sms, app->config.data_dir, app->clock, 1);
  const int sent = relay.RunOnce();
  std::printf("watch: evaluated up to %s: %d windows reported (%d late), %d report mails, %d ended notices; "
              "%d mails delivered; %d hours of impossible meter values\n",
              FormatIsoJst(*at).c_str(), r.windows, r.late, r.mails, r.farewells, sent, r.anomaly_hours);
  return 0;
}

int Calendar(const Options& o) {
  if (o.positional.size() != 1) throw UsageError("calendar wants one YEAR");
  int year = ParseInt(o.positional[0], "YEAR");
  if (year < kFirstHolidayYear || year > kLastHolidayYear)
    throw UsageError("YEAR must be " + std::to_string(kFirstHolidayYear) + ".." + std::to_string(kLastHolidayYear));
  for (const auto& h : HolidaysInYear(year)) std::printf("%s %s\n", FormatDate(h.date).c_str(), h.name.c_str());
  return 0;
}

int Simulate(const Options& o) {
  if (o.Get("diameter").empty() || o.Get("volume").empty()) throw UsageError("simulate needs --diameter and --volume");
  std::string file = o.Get("tariff", AssetsDir() + "/tariffs/default.json");
  Tariff tariff = LoadTariffFile(file);
  auto result = ComputeBimonthlyBill(tariff, ParseInt(o.Get("diameter"), "--diameter"),
                                     ParseInt(o.Get("volume"), "--volume"));
  if (!result.ok()) {
    std::fprintf(stderr, "mizumori simulate: %s (%s)\n", std::string(ErrorMessage(Lang::kEn, result.error->code)).c_str(),
                 result.error->field.c_str());
    return 1;
  }
  nlohmann::json j = result.bill;
  std::cout << j.dump(2) << "\n";
  return 0;
}

}  // namespace

int RunCli(const std::vector<std::string>& args) {
  if (args.size() < 2 || args[1] == "--help" || args[1] == "help") {
    std::fputs(kUsage, args.size() < 2 ? stderr : stdout);
    return args.size() < 2 ? 2 : 0;
  }
  const std::string& command = args[1];
  try {
    Options o = ParseOptions(args, 2);
    if (command == "serve") return Serve(o);
    if (command == "calendar") return Calendar(o);
    if (command == "evaluate") return Evaluate(o);
    if (command == "import") return Import(o);
    if (command == "export") return Export(o);
    if (command == "token") return Token(o);
    if (command == "demo-data") return DemoData(o);
    if (command == "simulate") return Simulate(o);
    throw UsageError("unknown command \"" + command + "\"");
  } catch (const UsageError& e) {
    std::fprintf(stderr, "mizumori %s: %s\n%s", command.c_str(), e.what(), kUsage);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mizumori %s: %s\n", command.c_str(), e.what());
    return 1;
  }
}

}  // namespace mizu::backend
