// Fuzz target: the CIS CSV path as the admin import routes run it — DecodeText (UTF-8 / CP932), ParseCsv, and
// the customers / bills / payments importers (validation and the upsert into an emptied in-memory database).
// Input: byte 0 picks the importer (bits 0-1: raw CSV, customers, bills, payments) and the encoding (bit 2:
// CP932), the rest is the file. CsvError (unreadable file, missing column, undecodable byte: HTTP 400) is
// expected, as the routes catch exactly that; anything else escaping is a finding (the route would fail 500).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mizu/backend/app.hpp"
#include "mizu/backend/billing.hpp"
#include "mizu/backend/cis.hpp"
#include "mizu/backend/csv.hpp"

using namespace mizu;
using namespace mizu::backend;

namespace {

const Tariff& DefaultTariff() {
  static const Tariff tariff = LoadTariffFile(std::string(MIZU_SOURCE_ASSETS_DIR) + "/tariffs/default.json");
  return tariff;
}

// Two customers the bills and payments seeds name, so their rows get past the customer check.
const char* const kCustomers =
    "customer_number,holder_name,holder_kana,address,bureau_phone,meter_id,smart_meter,diameter_mm,status\n"
    "00000008002,水守 花子,ミズモリ ハナコ,水守市中央1-2-3,0312345678,M-0001,1,13,active\n"
    "00000008003,山田 太郎,ヤマダ タロウ,水守市東町4-5,0312345679,,0,20,active\n";

// One in-memory database for the process (migrating a fresh one per input would cost most of the time): every
// input starts from empty tables.
App& FreshApp() {
  static App* app = [] {
    auto* a = new App;
    a->db = std::make_unique<Database>(":memory:");
    a->tariff = DefaultTariff();
    return a;
  }();
  Database& db = *app->db;
  std::vector<std::string> tables;
  auto q = db.Prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  while (q.Step()) tables.push_back(q.Text(0));
  db.Exec("PRAGMA foreign_keys=OFF");
  for (const std::string& t : tables) db.Exec("DELETE FROM \"" + t + "\"");
  db.Exec("PRAGMA foreign_keys=ON");
  return *app;
}

void CheckReport(const ImportReport& r) {
  if (r.rows != r.inserted + r.updated + r.unchanged + r.rejected) abort();
  if (r.rejected > 0 && r.errors.empty()) abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const int importer = data[0] & 3;
  const TextEncoding encoding = (data[0] & 4) ? TextEncoding::kCp932 : TextEncoding::kUtf8;
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  const int64_t now = 1'795'000'000;
  std::string text;
  try {
    text = DecodeText(bytes, encoding);
  } catch (const CsvError&) {
    return 0;
  }
  // Decoded text is valid UTF-8: it must survive a round trip through the encoder.
  if (encoding == TextEncoding::kUtf8 && EncodeText(text, TextEncoding::kUtf8) != text) abort();
  // CP932 cannot hold every character: the export writes 〓 and records each one, never silently.
  std::vector<char32_t> substituted;
  (void)EncodeText(text, TextEncoding::kCp932, &substituted);
  try {
    if (importer == 0) {
      CsvTable t = ParseCsv(text);
      for (const CsvRow& row : t.rows) (void)CsvRecord(row.fields);
      return 0;
    }
    App& app = FreshApp();
    CustomerImportRules rules{app.config.utility.customer_number, &app.tariff};
    if (importer == 1) {
      CheckReport(ImportCustomers(*app.db, text, rules, now));
    } else {
      CheckReport(ImportCustomers(*app.db, kCustomers, rules, now));
      CheckReport(importer == 2 ? ImportBills(app, text, now) : ImportPayments(app, text, now));
    }
  } catch (const CsvError&) {
  }
  return 0;
}
