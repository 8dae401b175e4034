#pragma once
// What the bills and the payments import share around ImportRows (row_import.hpp): a record read from each
// row, a second row for the same record (Record::Key()) refused as a duplicate, and after the last row — in
// the import's transaction — the notice (and mail) of each contract's newest inserted record (by
// Record::Date()), if it is still that contract's newest in the table.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common.hpp"
#include "mizu/backend/row_import.hpp"

namespace mizu::backend::billing {

// What one kind of record is to the import. Record has a std::string customer_number, Key() and Date().
template <class Record>
struct NoticeImportKind {
  const std::vector<const char*>& columns;           // of the file
  const std::vector<const char*>& optional_columns;  // read when present; text-checked as the others
  const char* noun;         // "bill": a duplicate row is "the same bill is on line 3"
  const char* table;        // where the records are stored
  const char* date_column;  // Date()'s column; a duplicate row is reported on it
  std::optional<Record> (*read)(Database&, RowReader&,
                                const CustomerNumberFormat&);  // every problem reported
  RowOutcome (*store)(Database&, const Record&, int64_t now);
  bool (*notify)(App&, Database&, const Record&, int64_t now);  // the notice; true when it enqueued a mail
};

template <class Record>
struct NoticeImporter {
  const NoticeImportKind<Record>& kind;
  App& app;
  Database& db;
  int64_t now;
  std::map<decltype(std::declval<const Record&>().Key()), int> seen{};  // key → line, within this file
  std::map<std::string, Record> newest_new{};                           // per contract: its newest inserted
  bool mailed = false;

  std::optional<Record> Read(const CsvTable& table, const CsvRow& row, std::vector<ImportRowError>& errors) {
    RowReader r(table, row, errors);
    auto record = kind.read(db, r, app.config.utility.customer_number);
    if (record) {
      auto [it, fresh] = seen.try_emplace(record->Key(), row.line);
      if (!fresh) {
        r.Fail(kind.date_column, "duplicate",
               std::string("the same ") + kind.noun + " is on line " + std::to_string(it->second));
        record.reset();
      }
    }
    return record;
  }
  RowOutcome Store(const Record& record) { return kind.store(db, record, now); }
  void Stored(const Record& record, RowOutcome o) {
    if (o != RowOutcome::kInserted) return;
    auto n = newest_new.find(record.customer_number);
    if (n == newest_new.end() || n->second.Date() < record.Date())
      newest_new[record.customer_number] = record;
  }
  std::optional<ImportRowError> Refused(const CsvRow& row, const DbError& e) {
    return ImportRowError{row.line, "", "rejected", e.what()};
  }
  void Finish() {
    const std::string sql =
        std::string("SELECT MAX(") + kind.date_column + ") FROM " + kind.table + " WHERE customer_number = ?";
    for (const auto& [cn, record] : newest_new) {
      auto newest = db.Prepare(sql);
      newest.Bind(1, cn);
      newest.Step();
      if (newest.Text(0) != FormatDate(record.Date())) continue;  // an older one filled in: no notice
      newest.Reset();
      mailed |= kind.notify(app, db, record, now);
    }
  }
};

// One CSV file of `kind` imported (ImportRows: one transaction), then the relay woken if a notice mailed.
// Throws CsvError for an unreadable file or a missing column.
template <class Record>
ImportReport ImportWithNotices(App& app, std::string_view csv_text, int64_t now,
                               const NoticeImportKind<Record>& kind) {
  CsvTable table = ParseCsv(csv_text);
  RequireColumns(table, kind.columns);
  ImportReport report;
  bool mailed = false;
  {
    // ImportRows opens the transaction itself, so the lock is taken here rather than through WriteDb.
    WriterLock lock(app);
    NoticeImporter<Record> importer{kind, app, *app.db, now};
    std::vector<const char*> checked = kind.columns;
    checked.insert(checked.end(), kind.optional_columns.begin(), kind.optional_columns.end());
    report = ImportRows(*app.db, table, checked, importer);
    mailed = importer.mailed;
  }
  if (mailed) NotifyMail(app);
  return report;
}

}  // namespace mizu::backend::billing
