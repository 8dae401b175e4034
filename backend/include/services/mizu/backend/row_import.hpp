#pragma once
// The row loop every CSV import from the CIS shares (customers, bills, payments): each data row checked,
// read and stored on its own, all of them inside one transaction, counted into an ImportReport. What a row
// means — its parser, its storer, what follows the last row — is the importer's.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mizu/backend/csv.hpp"
#include "mizu/backend/db.hpp"

namespace mizu::backend {

enum class RowOutcome { kInserted, kUpdated, kUnchanged };

// Throws CsvError(1, …) unless every column is in the header.
inline void RequireColumns(const CsvTable& table, const std::vector<const char*>& columns) {
  for (const char* column : columns)
    if (!table.Column(column)) throw CsvError(1, std::string("missing column \"") + column + "\"");
}

// In one transaction of `db`, for each data row of `table`: the shared text check (CheckCisRowText) on
// `columns`, then `importer.Read(table, row, errors)` → std::optional<Record> (nullopt once it has appended
// the row's errors), then `importer.Store(record)` → RowOutcome inside a savepoint of the row's own, then
// `importer.Stored(record, outcome)`. A refused row counts as rejected; a DbError from Store undoes that row
// alone and is reported as `importer.Refused(row, error)` → std::optional<ImportRowError> — nullopt when the
// error is not the row's fault: then it is thrown on and the whole file rolls back. After the last row
// `importer.Finish()` runs in the same transaction. Anything else thrown rolls the whole file back.
template <class Importer>
ImportReport ImportRows(Database& db, const CsvTable& table, const std::vector<const char*>& columns,
                        Importer& importer) {
  ImportReport report;
  db.Transaction([&] {
    for (const auto& row : table.rows) {
      ++report.rows;
      if (!CheckCisRowText(table, row, columns, report.errors)) {
        ++report.rejected;
        continue;
      }
      auto record = importer.Read(table, row, report.errors);
      if (!record) {
        ++report.rejected;
        continue;
      }
      db.Exec("SAVEPOINT row");
      try {
        RowOutcome outcome = importer.Store(*record);
        db.Exec("RELEASE row");
        ++(outcome == RowOutcome::kInserted  ? report.inserted
           : outcome == RowOutcome::kUpdated ? report.updated
                                             : report.unchanged);
        importer.Stored(*record, outcome);
      } catch (const DbError& e) {
        db.Exec("ROLLBACK TO row");
        db.Exec("RELEASE row");
        auto refused = importer.Refused(row, e);
        if (!refused) throw;
        ++report.rejected;
        report.errors.push_back(std::move(*refused));
      }
    }
    importer.Finish();
  });
  return report;
}

}  // namespace mizu::backend
