// The customer master import: what sign-up and 契約の追加 check identity against.
#include <algorithm>
#include <vector>

#include "mizu/backend/cis.hpp"
#include "mizu/backend/row_import.hpp"
#include "mizu/errors.hpp"
#include "mizu/text.hpp"

namespace mizu::backend {
namespace {

const std::vector<const char*> kColumns = {"customer_number", "holder_name",  "holder_kana",
                                           "address",         "bureau_phone", "meter_id",
                                           "smart_meter",     "diameter_mm",  "status"};

struct Customer {
  std::string customer_number, holder_name, holder_kana, address, bureau_phone, meter_id, status;
  int64_t smart_meter = 0;
  int64_t diameter_mm = 0;
};

std::optional<bool> ParseYesNo(std::string_view v) {
  const std::string s = AsciiLower(v);
  if (s == "1" || s == "true" || s == "yes" || s == "y" || s == "有" || s == "あり") return true;
  if (s == "0" || s == "false" || s == "no" || s == "n" || s == "無" || s == "なし" || s.empty())
    return false;
  return std::nullopt;
}

std::optional<std::string> ParseStatus(std::string_view v) {
  if (v == "active" || v == "使用中") return "active";
  if (v == "suspended" || v == "休止") return "suspended";
  if (v == "closed" || v == "廃止" || v == "中止") return "closed";
  return std::nullopt;
}

// Validates one row (its text already checked); appends errors (all of them, not just the first). Codes and
// flags are normalised; the holder's name, kana and address are stored exactly as the CIS sent them
// (「〜２階」 stays 「〜２階」) and normalised only to check or compare them.
std::optional<Customer> ReadCustomer(const CsvTable& t, const CsvRow& row, const CustomerImportRules& rules,
                                     std::vector<ImportRowError>& errors) {
  size_t before = errors.size();
  auto raw = [&](const char* name) -> std::string {
    auto i = t.Column(name);
    return (i && *i < row.fields.size()) ? row.fields[*i] : std::string();
  };
  auto get = [&](const char* name) { return NormalizeText(raw(name)); };
  auto fail = [&](const char* field, ErrorCode code, std::string detail) {
    errors.push_back({row.line, field, std::string(code), std::move(detail)});
  };
  Customer c;
  auto cn = NormalizeCustomerNumber(get("customer_number"));
  if (!cn || ValidateCustomerNumber(*cn, rules.customer_number))
    fail("customer_number", err::kCustomerNumberInvalid,
         "expected " + std::to_string(rules.customer_number.digits) + " digits");
  else
    c.customer_number = *cn;
  c.holder_name = raw("holder_name");
  if (get("holder_name").empty()) fail("holder_name", err::kRequired, "holder name is empty");
  c.holder_kana = raw("holder_kana");
  if (auto e = ValidateKanaName(NormalizeKanaName(c.holder_kana)))
    fail("holder_kana", *e, "holder kana must be katakana");
  c.address = raw("address");
  if (get("address").empty()) fail("address", err::kRequired, "supply address is empty");
  auto phone = NormalizePhone(get("bureau_phone"));
  if (!phone || ValidatePhone(*phone))
    fail("bureau_phone", err::kPhoneInvalid, "not a Japanese phone number");
  else
    c.bureau_phone = *phone;
  c.meter_id = get("meter_id");
  auto smart = ParseYesNo(get("smart_meter"));
  if (!smart) fail("smart_meter", err::kInvalidFormat, "smart_meter must be 1/0, true/false, yes/no");
  c.smart_meter = smart.value_or(false) ? 1 : 0;
  if (c.smart_meter && c.meter_id.empty())
    fail("meter_id", err::kRequired, "a smart meter needs its meter_id");
  std::string diameter = get("diameter_mm");
  if (diameter.empty() || diameter.size() > 4 ||
      diameter.find_first_not_of("0123456789") != std::string::npos) {
    fail("diameter_mm", err::kInvalidFormat, "diameter_mm must be a whole number of millimetres");
  } else {
    c.diameter_mm = std::stoi(diameter);
    if (rules.tariff && !FindWaterGroup(*rules.tariff, static_cast<int>(c.diameter_mm)))
      fail("diameter_mm", err::kDiameterUnknown, "diameter " + diameter + " mm is not in the tariff");
  }
  auto status = ParseStatus(get("status"));
  if (!status)
    fail("status", err::kInvalidFormat, "status must be active, suspended or closed");
  else
    c.status = *status;
  if (errors.size() != before) return std::nullopt;
  return c;
}

// One customers file (ImportRows). Only the upsert can refuse a row (a meter_id another customer has); a
// database error before it is not the row's fault and ends the import.
struct CustomerImporter {
  Database& db;
  const CustomerImportRules& rules;
  int64_t now;
  Statement existing = db.Prepare(
      "SELECT holder_name, holder_kana, address, bureau_phone, COALESCE(meter_id, ''), smart_meter, "
      "diameter_mm, status FROM customers WHERE customer_number = ?");
  Statement upsert = db.Prepare(
      "INSERT INTO customers (customer_number, holder_name, holder_kana, address, bureau_phone, meter_id, "
      "smart_meter, diameter_mm, status, updated_at) VALUES (?, ?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?, ?) "
      "ON CONFLICT (customer_number) DO UPDATE SET holder_name = excluded.holder_name, "
      "holder_kana = excluded.holder_kana, address = excluded.address, bureau_phone = excluded.bureau_phone, "
      "meter_id = excluded.meter_id, smart_meter = excluded.smart_meter, diameter_mm = excluded.diameter_mm, "
      "status = excluded.status, updated_at = excluded.updated_at");
  bool upserting = false;

  std::optional<Customer> Read(const CsvTable& table, const CsvRow& row,
                               std::vector<ImportRowError>& errors) {
    return ReadCustomer(table, row, rules, errors);
  }
  RowOutcome Store(const Customer& c) {
    upserting = false;
    existing.Reset();
    existing.Bind(1, c.customer_number);
    bool found = existing.Step();
    bool same = found && existing.Text(0) == c.holder_name && existing.Text(1) == c.holder_kana &&
                existing.Text(2) == c.address && existing.Text(3) == c.bureau_phone &&
                existing.Text(4) == c.meter_id && existing.Int(5) == c.smart_meter &&
                existing.Int(6) == c.diameter_mm && existing.Text(7) == c.status;
    existing.Reset();
    if (same) return RowOutcome::kUnchanged;
    upserting = true;
    upsert.Reset();
    upsert.Bind(1, c.customer_number).Bind(2, c.holder_name).Bind(3, c.holder_kana).Bind(4, c.address);
    upsert.Bind(5, c.bureau_phone).Bind(6, c.meter_id).Bind(7, c.smart_meter).Bind(8, c.diameter_mm);
    upsert.Bind(9, c.status).Bind(10, now);
    upsert.Run();
    return found ? RowOutcome::kUpdated : RowOutcome::kInserted;
  }
  void Stored(const Customer&, RowOutcome) {}
  std::optional<ImportRowError> Refused(const CsvRow& row, const DbError&) {
    if (!upserting) return std::nullopt;
    return ImportRowError{row.line, "meter_id", "duplicate", "meter_id is already used by another customer"};
  }
  void Finish() {}
};

}  // namespace

ImportReport ImportCustomers(Database& db, std::string_view csv_text, const CustomerImportRules& rules,
                             int64_t now) {
  CsvTable table = ParseCsv(csv_text);
  RequireColumns(table, kColumns);
  CustomerImporter importer{db, rules, now};
  return ImportRows(db, table, kColumns, importer);
}

}  // namespace mizu::backend
