#pragma once
// Smart-meter readings: hourly cumulative register values (litres) labelled by the hour they END, stored in
// SQLite, idempotent per (meter, hour). The ingest endpoint, the watch evaluation and the usage charts all go
// through this header. A missing hour is simply absent — never stored or reported as zero.
//
// Storage layout (docs/performance.md): one table per JST day, `readings_YYYYMMDD`, keyed (meter, hour)
// WITHOUT ROWID and created on demand; `meter` is the small integer of `reading_meters` (meter id → index),
// `hour` the hour's end in hours since the epoch. Day D holds the 24 hours that START on D (JST), i.e. hour
// ends (D 01:00, D+1 00:00]. Inserts only ever touch one day's table, so their cost does not grow with
// history; a per-meter range query is one index seek per day.
//
// Rules: a second reading for a stored (meter, hour) with the same register is a duplicate (nothing changes,
// its alarms are ignored); with a different register it is a conflict: refused, the stored value stays.
// A meter is known once some customer in the master has that meter_id; from then on it stays known.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mizu/backend/db.hpp"
#include "mizu/watch.hpp"

namespace mizu::backend {

// Alarm flags a head-end may attach to a reading.
enum ReadingAlarm : uint32_t {
  kAlarmLeak = 1u << 0,
  kAlarmNoUse = 1u << 1,
  kAlarmBackflow = 1u << 2,
  kAlarmOverflow = 1u << 3,
};

struct ReadingRow {
  std::string meter_id;
  int64_t hour_end_utc = 0;  // on the hour
  int64_t register_l = 0;    // cumulative litres, >= 0
  uint32_t alarms = 0;
};

enum class StoreOutcome {
  kAccepted,     // new (meter, hour)
  kDuplicate,    // same (meter, hour) with the same register value: nothing changed
  kConflict,     // same (meter, hour) with a DIFFERENT value: refused, the stored value stays
  kUnknownMeter  // no customer has this meter id
};

// Remembers meter id → meter index for meters already registered in `reading_meters`. Entries never go stale
// (an index is never reassigned or removed), so one cache may live as long as the database file. Holds only
// indices committed to the database. Not thread-safe: guard it together with its connection.
class MeterIndexCache {
 public:
  std::optional<int64_t> Find(const std::string& meter_id) const;
  void Add(const std::string& meter_id, int64_t index) { map_.emplace(meter_id, index); }
  size_t Size() const { return map_.size(); }

 private:
  std::unordered_map<std::string, int64_t> map_;
};

// Stores a batch in ONE transaction (durable when this returns: synchronous=FULL, forced if the connection
// had lowered it). Outcomes are per row, in order; within a batch the first row for a (meter, hour) wins.
// Rows must already be validated (on the hour, not too far in past/future, register >= 0). `cache` (optional)
// saves the meter lookups. Throws DbError (nothing stored) when the database fails.
std::vector<StoreOutcome> StoreReadings(Database& db, const std::vector<ReadingRow>& rows,
                                        MeterIndexCache* cache = nullptr);

// The readings of one meter with hour_end in [from_utc, to_utc], ascending. Unknown meter: empty.
std::vector<HourlyReading> ReadingsForMeter(Database& db, std::string_view meter_id, int64_t from_utc,
                                            int64_t to_utc);
// The same for many meters at once (one statement per day table for all of them: the watch evaluation's bulk
// path); result i belongs to meter_ids[i].
std::vector<std::vector<HourlyReading>> ReadingsForMeters(Database& db,
                                                          const std::vector<std::string>& meter_ids,
                                                          int64_t from_utc, int64_t to_utc);

// ---- The daily rollup
// ---------------------------------------------------------------------------------------
//
// `usage_daily` keeps, per meter and JST day (days since 1970-01-01), the day's 24 hours that have both
// bounding registers ("paired"): how many hours are NOT paired (missing_hours: 24 with no data, never a zero
// volume), the sum of their rises, the largest rise, and how many went down (drops). StoreReadings updates it
// in the same transaction as the readings: an hour becomes paired exactly once, when the later of its two
// registers is stored (stored readings never change). The rows do not depend on the meter's limits, so a
// changed Q3 setting needs no rebuild: a day is *regular* when it has no drop and no rise above the meter's
// hourly bound — then every paired hour is measured (meter.hpp) and the row is the day's usage; any other day
// is evaluated from its readings.
struct DailyRollup {
  int64_t day = 0;  // JST days since 1970-01-01
  int missing_hours = 24;
  int64_t volume_l = 0;
  int64_t max_rise_l = 0;
  int drops = 0;
  bool Regular(const MeterLimits& limits) const {
    return drops == 0 && (limits.max_litres_per_hour <= 0 || max_rise_l <= limits.max_litres_per_hour);
  }
};
// The JST day number of a JST midnight (or any instant of that day).
int64_t JstDayNumber(int64_t utc);
// The rollup rows of one meter for the JST days [first_day, last_day], ascending; days without a row have no
// paired hour. Unknown meter: empty.
std::vector<DailyRollup> DailyRollupsForMeter(Database& db, std::string_view meter_id, int64_t first_day,
                                              int64_t last_day);
// Fills usage_daily from the day tables when the database predates it (schema 13): once, at open, before the
// server takes readings; a no-op afterwards. Caller holds the connection (not inside a transaction).
void EnsureDailyRollup(Database& db);

// ---- Storage layout, for tools and the benchmark ----------------------------------------------------------

// "readings_20261122": the table holding the hour that ends at hour_end_utc (the JST day that hour starts
// on).
std::string ReadingsTableName(int64_t hour_end_utc);
// Creates that day's table if missing.
void EnsureReadingsTable(Database& db, int64_t hour_end_utc);
// The meter's index in `reading_meters`, registering it when new (no customer check: the caller vouches).
int64_t RegisterMeterIndex(Database& db, std::string_view meter_id);
// Settings of a connection that ingests: a page cache large enough for a day's table of a large city.
void ConfigureIngestConnection(Database& db);

// ---- Ingest bodies (POST /api/v1/ingest/readings) ---------------------------------------------------------

inline constexpr int64_t kMaxReadingLeadSeconds = 2 * 3600;     // `at` later than now + 2 h: refused
inline constexpr int64_t kMaxReadingAgeSeconds = 60 * 86400;    // `at` earlier than now − 60 days: refused
inline constexpr int64_t kMaxRegisterLitres = 999'999'999'999;  // 10^9 m³: beyond any meter's register
inline constexpr size_t kMaxMeterIdLength = 64;
inline constexpr size_t kMaxReportedErrors = 10'000;  // the counts stay exact; further errors are omitted

enum class IngestFormat { kJson, kNdjson, kCsv };

// application/json → kJson, application/x-ndjson (also application/ndjson, application/jsonl) → kNdjson,
// text/csv → kCsv; parameters such as charset are ignored. nullopt for anything else.
std::optional<IngestFormat> IngestFormatFromContentType(std::string_view content_type);
// "leak", "no_use" / "no-use", "backflow" / "back-flow", "overflow" / "over-flow" (case-insensitive) → the
// flag; 0 when unknown.
uint32_t ParseAlarmName(std::string_view name);
// The flag names joined by '|' in enum order ("leak|no_use"); "" for none.
std::string AlarmNames(uint32_t alarms);

// One refused row: its 0-based position among the body's readings, the 1-based line of the body (NDJSON,
// CSV; 0 for a JSON array), the meter and `at` as sent, a stable code (errors.hpp) and an English detail.
struct IngestError {
  size_t index = 0;
  int line = 0;
  std::string meter_id;
  std::string at;
  std::string code;
  std::string detail;
};

// The body is unreadable as a whole (broken JSON array, missing CSV column): HTTP 400.
class IngestBodyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The validated rows of a body; each refused row is in `errors` instead. index_of[i] is rows[i]'s position.
struct ParsedReadings {
  size_t records = 0;
  std::vector<ReadingRow> rows;
  std::vector<size_t> index_of;
  std::vector<int> line_of;
  std::vector<IngestError> errors;
};

// Parses and validates a body against `now` (lead and age limits, on the hour, register range, alarm names).
// Throws IngestBodyError when the body as a whole is unreadable; a bad NDJSON line or CSV row is a row error.
ParsedReadings ParseReadings(std::string_view body, IngestFormat format, int64_t now);

struct IngestReport {
  size_t accepted = 0;
  size_t duplicate = 0;
  size_t rejected = 0;
  size_t errors_omitted = 0;        // errors beyond kMaxReportedErrors, counted but not listed
  std::vector<IngestError> errors;  // ascending by index
};

// Stores the parsed rows (StoreReadings: one durable transaction) and merges every refusal into one report.
IngestReport StoreParsedReadings(Database& db, ParsedReadings parsed, MeterIndexCache* cache = nullptr);

// One per server: stores batches one at a time on a connection of its own (ConfigureIngestConnection), so a
// large batch never holds the portal's database lock; a returned report means the batch is committed durably.
class IngestService {
 public:
  explicit IngestService(std::string db_path);
  ~IngestService();
  IngestService(const IngestService&) = delete;
  IngestService& operator=(const IngestService&) = delete;

  // Stores the parsed rows; throws DbError when the database fails (nothing of the batch is kept then).
  IngestReport Store(ParsedReadings parsed);

 private:
  std::string db_path_;
  std::mutex mutex_;
  std::unique_ptr<Database> db_;  // opened on the first batch
  MeterIndexCache meters_;
};

}  // namespace mizu::backend
