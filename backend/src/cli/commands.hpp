#pragma once
// The `mizumori` commands behind the parser (cli.cpp): each takes its parsed options and returns the exit
// code (0 ok, 1 runtime failure); a UsageError (exit 2) when a value is well-formed for the parser but not
// for the command (a year out of range, an encoding name not known).
#include <stdexcept>
#include <string>

namespace mizu::backend::cli {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// --config and --data, as every command that opens the data folder takes them.
struct DataOptions {
  std::string config;
  std::string data;
};

struct ServeOptions {
  DataOptions data;
  std::string listen;
  std::string web;
};

struct ImportOptions {
  DataOptions data;
  std::string kind;  // customers | bills | payments
  std::string file;
  std::string encoding = "utf-8";
};

struct ExportOptions {
  DataOptions data;
  std::string kind;  // paper-notices | applications
  std::string encoding = "utf-8";
  std::string out;
  std::string status;
  bool strict = false;
};

struct TokenOptions {
  DataOptions data;
  std::string action;  // create
  std::string scope;
  std::string label;  // empty: the scope
};

struct StaffOptions {
  DataOptions data;
  std::string action;  // create
  std::string email;
  std::string role;  // counter | supervisor | admin
};

struct KioskOptions {
  DataOptions data;
  std::string action;  // enrol | list | revoke
  std::string name;    // enrol
  int64_t id = 0;      // revoke
  std::string reason;  // revoke
};

struct EvaluateOptions {
  DataOptions data;
  std::string at;
};

struct DbOptions {
  DataOptions data;    // migrate: the database of the config / data folder
  std::string action;  // copy
  std::string from, to;
};

struct SimulateOptions {
  std::string diameter;
  std::string volume;
  std::string tariff;  // empty: the assets' default tariff
};

int Serve(const ServeOptions& o);
int DemoData(const DataOptions& o);
int Import(const ImportOptions& o);
int Export(const ExportOptions& o);
int Token(const TokenOptions& o);
// staff create: a staff account and its one-time enrolment link (printed), audited as the CLI's.
int Staff(const StaffOptions& o);
// enrol: prints the terminal's number, its token and start URL (shown once); list: one terminal a line;
// revoke: its token stops working. Errors (a missing --name, an unknown --id) throw.
int Kiosk(const KioskOptions& o);
int Evaluate(const EvaluateOptions& o);
// `migrate`: the configured database brought to the newest schema (what serve does at start), its version
// printed. `db copy --from URL --to URL`: CopyDatabase (db_copy.hpp), a line per table.
int Migrate(const DataOptions& o);
int Db(const DbOptions& o);
int Calendar(const std::string& year);
int Simulate(const SimulateOptions& o);

}  // namespace mizu::backend::cli
