#pragma once
// The synthetic city the ingest and evaluate benches measure: meter ids, a deterministic hourly register,
// whole days of history copied from one day by SQL (setup, not measured), a timer and a scratch folder.
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "mizu/backend/db.hpp"
#include "mizu/backend/ingest.hpp"

namespace mizu::bench {

using Steady = std::chrono::steady_clock;

inline double Seconds(Steady::time_point since) {
  return std::chrono::duration<double>(Steady::now() - since).count();
}

// "M0000042".
inline std::string MeterId(int m) {
  char id[16];
  std::snprintf(id, sizeof id, "M%07d", m);
  return id;
}

// Meter m's register (litres) at the end of hour `hour_index` (UTC hours since the epoch): grows every hour
// by 0..39 L, about 5 % of hours zero.
inline int64_t Register(int m, int64_t hour_index) {
  return m * 1000 + hour_index * 20 + (hour_index * 7919 + m) % 20;
}

// Copies every reading of the day table `source` (whose first hour ends at `source_first_end`) `days` whole
// days later into that day's table, created if need be; each register is what Register() gives at the new
// hour for meter number `meter - meter_base` (meter being the stored meter index).
inline void CopyDayLater(backend::Database& db, const std::string& source, int64_t source_first_end, int days,
                         int meter_base) {
  const int64_t first_end = source_first_end + int64_t{days} * 24 * 3600;
  backend::EnsureReadingsTable(db, first_end);
  const std::string hour = "(hour + " + std::to_string(int64_t{days} * 24) + ")";
  const std::string m = "(meter - " + std::to_string(meter_base) + ")";
  db.Exec("INSERT INTO " + backend::ReadingsTableName(first_end) +
          " (meter, hour, register_l, alarms) SELECT meter, " + hour + ", " + m + " * 1000 + " + hour +
          " * 20 + (" + hour + " * 7919 + " + m + ") % 20, alarms FROM " + source);
}

// A fresh folder for one run of a bench: <temp>/mizu-bench-<name>-<pid>.
inline std::filesystem::path ScratchDir(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("mizu-bench-" + name + "-" + std::to_string(::getpid()));
}

}  // namespace mizu::bench
