#pragma once
// Smart-meter readings: hourly cumulative register values (litres) labelled by the hour they END, stored in
// SQLite, idempotent per (meter, hour). The ingest endpoint, the watch evaluation and the usage charts all go
// through this header. A missing hour is simply absent — never stored or reported as zero.
#include <cstdint>
#include <string>
#include <string_view>
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

// Stores a batch in ONE transaction (durable when this returns: synchronous=FULL). Outcomes are per row, in
// order. Rows must already be validated (on the hour, not too far in past/future, register >= 0).
std::vector<StoreOutcome> StoreReadings(Database& db, const std::vector<ReadingRow>& rows);

// The readings of one meter with hour_end in [from_utc, to_utc], ascending.
std::vector<HourlyReading> ReadingsForMeter(Database& db, std::string_view meter_id, int64_t from_utc,
                                            int64_t to_utc);

}  // namespace mizu::backend
