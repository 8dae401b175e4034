#pragma once
// Imports from the billing system (CIS). Each function validates every row, applies the good ones (each row
// all-or-nothing, inside one transaction for the file) and reports every bad row with its line and reason.
// Re-importing the same file changes nothing (idempotent).
#include <string>
#include <string_view>

#include "mizu/backend/csv.hpp"
#include "mizu/backend/db.hpp"
#include "mizu/billing.hpp"
#include "mizu/text.hpp"

namespace mizu::backend {

struct CustomerImportRules {
  CustomerNumberFormat customer_number;
  const Tariff* tariff = nullptr;  // when set, diameter_mm must be one of its diameters
};

// customers CSV: customer_number,holder_name,holder_kana,address,bureau_phone,meter_id,smart_meter,
// diameter_mm,status. Throws CsvError when the file itself is unreadable or a required column is missing.
ImportReport ImportCustomers(Database& db, std::string_view csv_text, const CustomerImportRules& rules,
                             int64_t now);

}  // namespace mizu::backend
