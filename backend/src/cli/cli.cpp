// The `mizumori` command line (docs/operations.md): CLI11 parses, commands.hpp runs. Every command has
// --help; an unknown command or option, a missing or malformed value is a usage error: the message and the
// command's help on stderr, exit status 2.
#include "mizu/backend/cli.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "commands.hpp"

namespace mizu::backend {
namespace {

using cli::DataOptions;

void AddDataOptions(CLI::App& command, DataOptions& o) {
  command.add_option("--config", o.config, "JSON configuration file (docs/operations.md, Configuration)")
      ->type_name("FILE");
  command.add_option("--data", o.data, "data folder (default var/, or data_dir / $MIZU_DATA_DIR)")
      ->type_name("DIR");
}

CLI::Option* AddEncoding(CLI::App& command, std::string& encoding, const char* what) {
  return command.add_option("--encoding", encoding, what)->type_name("utf-8|cp932");
}

// Every command and option, bound to `o`; `run` is set to the chosen command's function.
struct Parsed {
  cli::ServeOptions serve;
  DataOptions demo;
  cli::ImportOptions import;
  cli::ExportOptions exports;
  cli::TokenOptions token;
  cli::StaffOptions staff;
  cli::KioskOptions kiosk;
  cli::EvaluateOptions evaluate;
  DataOptions migrate;
  cli::DbOptions db;
  std::string year;
  cli::SimulateOptions simulate;
};

void DefineCommands(CLI::App& app, Parsed& o) {
  auto& serve = *app.add_subcommand("serve", "run the portal server until SIGINT/SIGTERM");
  AddDataOptions(serve, o.serve.data);
  serve
      .add_option("--listen", o.serve.listen,
                  "address to serve on (default 127.0.0.1:8080; port 0: any free one)")
      ->type_name("HOST:PORT");
  serve
      .add_option("--web", o.serve.web,
                  "the web build to serve at / (default: the build's dist next to this binary)")
      ->type_name("DIR");

  auto& demo = *app.add_subcommand("demo-data", "fill the data folder with the demo utility and its logins");
  AddDataOptions(demo, o.demo);

  auto& import = *app.add_subcommand("import", "import a CIS file: customers, bills or payments (CSV)");
  import.add_option("kind", o.import.kind, "what the file holds")
      ->required()
      ->check(CLI::IsMember({"customers", "bills", "payments"}))
      ->type_name("KIND");
  import.add_option("file", o.import.file, "the CSV file")->required()->type_name("FILE");
  AddEncoding(import, o.import.encoding, "the file's encoding (default utf-8)");
  AddDataOptions(import, o.import.data);

  auto& exports = *app.add_subcommand("export", "export the paper-notice list or the applications as CSV");
  exports.add_option("kind", o.exports.kind, "what to export")
      ->required()
      ->check(CLI::IsMember({"paper-notices", "applications"}))
      ->type_name("KIND");
  AddEncoding(exports, o.exports.encoding, "the CSV's encoding (default utf-8)");
  exports.add_option("--out", o.exports.out, "write to this file (default stdout)")->type_name("FILE");
  exports.add_option("--status", o.exports.status, "applications only: just those in this status")
      ->type_name("received|scheduled|done|rejected");
  exports.add_flag("--strict", o.exports.strict,
                   "fail (exit 1, nothing written) on a character CP932 cannot hold");
  AddDataOptions(exports, o.exports.data);

  auto& token = *app.add_subcommand("token", "create an API token for the readings or import endpoints");
  token.add_option("action", o.token.action, "what to do")
      ->required()
      ->check(CLI::IsMember({"create"}))
      ->type_name("ACTION");
  token.add_option("--scope", o.token.scope, "what the token may do")
      ->required()
      ->check(CLI::IsMember({"ingest", "import"}))
      ->type_name("SCOPE");
  token.add_option("--label", o.token.label, "a name for the token (default: the scope)")->type_name("TEXT");
  AddDataOptions(token, o.token.data);

  auto& staff = *app.add_subcommand("staff", "create a bureau staff account (prints its enrolment link)");
  staff.add_option("action", o.staff.action, "what to do")
      ->required()
      ->check(CLI::IsMember({"create"}))
      ->type_name("ACTION");
  staff.add_option("--email", o.staff.email, "the staff member's e-mail address")
      ->required()
      ->type_name("ADDR");
  staff.add_option("--role", o.staff.role, "what they may do (docs/staff.md)")
      ->required()
      ->check(CLI::IsMember({"counter", "supervisor", "admin"}))
      ->type_name("ROLE");
  AddDataOptions(staff, o.staff.data);

  auto& kiosk = *app.add_subcommand("kiosk", "enrol, list or revoke a counter kiosk (docs/kiosk.md)");
  kiosk.add_option("action", o.kiosk.action, "what to do")
      ->required()
      ->check(CLI::IsMember({"enrol", "list", "revoke"}))
      ->type_name("ACTION");
  kiosk.add_option("--name", o.kiosk.name, "enrol: the terminal's name (「本庁 1番窓口」)")
      ->type_name("TEXT");
  kiosk.add_option("--id", o.kiosk.id, "revoke: the terminal's number (kiosk list)")->type_name("N");
  kiosk.add_option("--reason", o.kiosk.reason, "revoke: why (kept in the staff audit log)")
      ->type_name("TEXT");
  AddDataOptions(kiosk, o.kiosk.data);

  auto& evaluate =
      *app.add_subcommand("evaluate", "report the watch windows due up to an instant, then deliver mail");
  evaluate.add_option("--at", o.evaluate.at, "the instant, with its offset (2026-11-22T12:30:00+09:00)")
      ->required()
      ->type_name("ISO8601");
  AddDataOptions(evaluate, o.evaluate.data);

  auto& migrate = *app.add_subcommand(
      "migrate", "bring the configured database (database.url) to the newest schema and print its version");
  AddDataOptions(migrate, o.migrate);

  auto& db = *app.add_subcommand("db", "copy one database into another (sqlite:… ↔ postgresql://…)");
  db.add_option("action", o.db.action, "what to do")
      ->required()
      ->check(CLI::IsMember({"copy"}))
      ->type_name("ACTION");
  db.add_option("--from", o.db.from, "the database to read (sqlite:FILE or postgresql://…)")
      ->required()
      ->type_name("URL");
  db.add_option("--to", o.db.to, "the database to fill: empty (migrated first)")
      ->required()
      ->type_name("URL");

  auto& calendar = *app.add_subcommand("calendar", "that year's holidays, one \"YYYY-MM-DD name\" a line");
  calendar.add_option("year", o.year, "the year")->required()->type_name("YEAR");

  auto& simulate = *app.add_subcommand("simulate", "the bimonthly bill breakdown as JSON");
  simulate.add_option("--diameter", o.simulate.diameter, "meter diameter in mm")->required()->type_name("MM");
  simulate.add_option("--volume", o.simulate.volume, "volume over the two months in m³")
      ->required()
      ->type_name("M3");
  simulate.add_option("--tariff", o.simulate.tariff, "tariff file (default assets/tariffs/default.json)")
      ->type_name("FILE");
}

int Run(const CLI::App& app, const Parsed& o) {
  const std::string command = app.get_subcommands().at(0)->get_name();
  if (command == "serve") return cli::Serve(o.serve);
  if (command == "demo-data") return cli::DemoData(o.demo);
  if (command == "import") return cli::Import(o.import);
  if (command == "export") return cli::Export(o.exports);
  if (command == "token") return cli::Token(o.token);
  if (command == "staff") return cli::Staff(o.staff);
  if (command == "kiosk") return cli::Kiosk(o.kiosk);
  if (command == "evaluate") return cli::Evaluate(o.evaluate);
  if (command == "migrate") return cli::Migrate(o.migrate);
  if (command == "db") return cli::Db(o.db);
  if (command == "calendar") return cli::Calendar(o.year);
  return cli::Simulate(o.simulate);
}

// "mizumori import: MESSAGE" then the help of the command that was given (or of mizumori), on stderr.
int UsageFailure(const CLI::App& app, const std::string& message) {
  const auto chosen = app.get_subcommands();
  const std::string name = chosen.empty() ? "mizumori" : "mizumori " + chosen.at(0)->get_name();
  std::cerr << name << ": " << message << "\n" << app.help();
  return 2;
}

}  // namespace

int RunCli(const std::vector<std::string>& args) {
  CLI::App app("Mizumori (水守): the water utility's customer portal and water watch (docs/operations.md)",
               "mizumori");
  app.set_version_flag("--version", "mizumori " MIZU_VERSION, "print the version and exit");
  app.require_subcommand(1);
  app.option_defaults()->multi_option_policy(
      CLI::MultiOptionPolicy::TakeLast);  // a repeated option: the last
  Parsed options;
  DefineCommands(app, options);
  std::vector<std::string> reversed;  // CLI11 takes the arguments last first, without the program name
  for (size_t i = args.size(); i > 1; --i) reversed.push_back(args[i - 1]);
  if (args.size() >= 2 && args[1] == "help") reversed = {"--help"};
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success))
      return app.exit(e);  // --help, --version
    return UsageFailure(app, e.what());
  }
  const std::string command = app.get_subcommands().at(0)->get_name();
  try {
    return Run(app, options);
  } catch (const cli::UsageError& e) {
    return UsageFailure(app, e.what());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mizumori %s: %s\n", command.c_str(), e.what());
    return 1;
  }
}

}  // namespace mizu::backend
