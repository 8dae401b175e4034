// The ingest service: the readings feed's own database connection (tuned for bulk writes, opened on the first
// batch) and its meter-index cache, and the merge of parse refusals and store outcomes into one report.
#include <algorithm>
#include <mutex>

#include "mizu/backend/ingest.hpp"
#include "mizu/errors.hpp"
#include "mizu/time.hpp"

namespace mizu::backend {

IngestReport StoreParsedReadings(Database& db, ParsedReadings parsed, MeterIndexCache* cache) {
  IngestReport report;
  auto outcomes = StoreReadings(db, parsed.rows, cache);
  std::vector<IngestError> errors = std::move(parsed.errors);
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const ReadingRow& row = parsed.rows[i];
    auto fail = [&](ErrorCode code, std::string detail) {
      errors.push_back({parsed.index_of[i], parsed.line_of[i], row.meter_id, FormatIsoJst(row.hour_end_utc),
                        std::string(code), std::move(detail)});
    };
    switch (outcomes[i]) {
      case StoreOutcome::kAccepted:
        ++report.accepted;
        break;
      case StoreOutcome::kDuplicate:
        ++report.duplicate;
        break;
      case StoreOutcome::kConflict:
        fail(err::kReadingConflict,
             "a different register is already stored for this meter and hour; it is kept");
        break;
      case StoreOutcome::kUnknownMeter:
        fail(err::kMeterUnknown, "no customer has this meter_id");
        break;
    }
  }
  report.rejected = errors.size();
  std::sort(errors.begin(), errors.end(),
            [](const IngestError& a, const IngestError& b) { return a.index < b.index; });
  if (errors.size() > kMaxReportedErrors) {
    report.errors_omitted = errors.size() - kMaxReportedErrors;
    errors.resize(kMaxReportedErrors);
  }
  report.errors = std::move(errors);
  return report;
}

IngestService::IngestService(std::string db_path) : db_path_(std::move(db_path)) {}

IngestService::~IngestService() = default;

IngestReport IngestService::Store(ParsedReadings parsed) {
  std::lock_guard lock(mutex_);
  if (!db_) {
    db_ = std::make_unique<Database>(db_path_);
    ConfigureIngestConnection(*db_);
  }
  return StoreParsedReadings(*db_, std::move(parsed), &meters_);
}

}  // namespace mizu::backend
