// Readings storage: one WITHOUT ROWID table per JST day keyed (meter, hour), meters mapped to small integers
// (ingest.hpp explains the layout; docs/performance.md the measurements behind it).
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <tuple>

#include "mizu/backend/ingest.hpp"
#include "mizu/time.hpp"

namespace mizu::backend {
namespace {

constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 86400;
constexpr int64_t kJstOffset = 9 * kHour;

int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// The JST day number (days since 1970-01-01) the hour ending at hour_index (hours since the epoch) starts on.
int64_t DayOfHour(int64_t hour_index) {
  return FloorDiv((hour_index - 1) * kHour + kJstOffset, kDay);
}

std::string TableForDay(int64_t day) {
  CivilDate d = CivilFromDays(day);
  char name[32];
  std::snprintf(name, sizeof name, "readings_%04d%02d%02d", d.year, d.month, d.day);
  return name;
}

void CreateTable(Database& db, const std::string& table) {
  db.Exec("CREATE TABLE IF NOT EXISTS " + table +
          " (meter INTEGER NOT NULL, hour INTEGER NOT NULL, register_l INTEGER NOT NULL,"
          " alarms INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (meter, hour)) WITHOUT ROWID, STRICT");
}

std::optional<int64_t> StoredMeterIndex(Database& db, std::string_view meter_id) {
  auto q = db.Prepare("SELECT id FROM reading_meters WHERE meter_id = ?");
  q.Bind(1, meter_id);
  if (!q.Step()) return std::nullopt;
  return q.Int(0);
}

// Every meter id of the batch → its index (registering meters the customer master knows); -1 when unknown.
// Indices found or made here are reported in `fresh` so the caller can cache them once committed.
std::vector<int64_t> ResolveMeters(Database& db, const std::vector<ReadingRow>& rows,
                                   const MeterIndexCache* cache,
                                   std::vector<std::pair<std::string, int64_t>>& fresh) {
  std::unordered_map<std::string_view, int64_t> local;
  auto find = db.Prepare("SELECT id FROM reading_meters WHERE meter_id = ?");
  auto known = db.Prepare("SELECT 1 FROM customers WHERE meter_id = ?");
  auto add = db.Prepare("INSERT INTO reading_meters (meter_id) VALUES (?)");
  std::vector<int64_t> out(rows.size(), -1);
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::string& id = rows[i].meter_id;
    if (cache) {
      if (auto hit = cache->Find(id)) {
        out[i] = *hit;
        continue;
      }
    }
    if (auto it = local.find(id); it != local.end()) {
      out[i] = it->second;
      continue;
    }
    int64_t index = -1;
    find.Reset();
    find.Bind(1, id);
    if (find.Step()) {
      index = find.Int(0);
    } else {
      known.Reset();
      known.Bind(1, id);
      if (known.Step()) {
        add.Reset();
        add.Bind(1, id).Run();
        index = db.LastInsertId();
      }
    }
    local.emplace(id, index);
    if (index >= 0) fresh.emplace_back(id, index);
    out[i] = index;
  }
  return out;
}

struct Pending {
  int64_t day;
  int64_t meter;
  int64_t hour;
  size_t row;
  bool operator<(const Pending& o) const {
    return std::tie(day, meter, hour, row) < std::tie(o.day, o.meter, o.hour, o.row);
  }
};

// Inserts the rows of one day's table in key order; outcomes by row.
void InsertDay(Database& db, const std::string& table, const std::vector<ReadingRow>& rows,
               std::vector<Pending>::const_iterator begin, std::vector<Pending>::const_iterator end,
               std::vector<StoreOutcome>& outcomes) {
  auto insert = db.Prepare("INSERT INTO " + table +
                           " (meter, hour, register_l, alarms) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
  auto existing = db.Prepare("SELECT register_l FROM " + table + " WHERE meter = ? AND hour = ?");
  for (auto p = begin; p != end; ++p) {
    const ReadingRow& r = rows[p->row];
    insert.Reset();
    insert.Bind(1, p->meter)
        .Bind(2, p->hour)
        .Bind(3, r.register_l)
        .Bind(4, static_cast<int64_t>(r.alarms))
        .Run();
    if (db.Changes() == 1) {
      outcomes[p->row] = StoreOutcome::kAccepted;
      continue;
    }
    existing.Reset();
    existing.Bind(1, p->meter).Bind(2, p->hour);
    if (!existing.Step()) throw DbError("reading vanished during insert");
    outcomes[p->row] = existing.Int(0) == r.register_l ? StoreOutcome::kDuplicate : StoreOutcome::kConflict;
  }
}

struct StmtDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

// `sql` ("{table}" standing for the table) prepared on each day table of [first_day, last_day] that exists,
// ascending. Short ranges try each day (a prepare re-reads a stale schema, so a table another connection
// just created is found); long ones list the tables first.
std::vector<StmtPtr> PrepareOnDays(Database& db, int64_t first_day, int64_t last_day, std::string_view sql) {
  std::vector<std::string> names;
  if (last_day - first_day <= 62) {
    for (int64_t d = first_day; d <= last_day; ++d) names.push_back(TableForDay(d));
  } else {
    auto tables = db.Prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name BETWEEN ? AND ? ORDER BY name");
    tables.Bind(1, TableForDay(first_day)).Bind(2, TableForDay(last_day));
    while (tables.Step()) names.push_back(tables.Text(0));
  }
  std::vector<StmtPtr> out;
  size_t at = sql.find("{table}");
  for (const auto& name : names) {
    std::string text = std::string(sql.substr(0, at)) + name + std::string(sql.substr(at + 7));
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db.Handle(), text.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      std::string error = sqlite3_errmsg(db.Handle());
      sqlite3_finalize(stmt);
      if (error.rfind("no such table", 0) == 0) continue;
      throw DbError("prepare: " + error);
    }
    out.emplace_back(stmt);
  }
  return out;
}

void RequireFullSync(Database& db) {
  auto q = db.Prepare("PRAGMA synchronous");
  bool full = q.Step() && q.Int(0) >= 2;
  if (!full) db.Exec("PRAGMA synchronous=FULL");
}

}  // namespace

std::optional<int64_t> MeterIndexCache::Find(const std::string& meter_id) const {
  auto it = map_.find(meter_id);
  if (it == map_.end()) return std::nullopt;
  return it->second;
}

std::string ReadingsTableName(int64_t hour_end_utc) {
  return TableForDay(DayOfHour(FloorDiv(hour_end_utc, kHour)));
}

void EnsureReadingsTable(Database& db, int64_t hour_end_utc) {
  CreateTable(db, ReadingsTableName(hour_end_utc));
}

int64_t RegisterMeterIndex(Database& db, std::string_view meter_id) {
  if (auto index = StoredMeterIndex(db, meter_id)) return *index;
  db.Prepare("INSERT INTO reading_meters (meter_id) VALUES (?)").Bind(1, meter_id).Run();
  return db.LastInsertId();
}

void ConfigureIngestConnection(Database& db) {
  // 256 MiB of page cache (an upper bound, allocated as used): a 200,000-meter day is about 110 MB.
  db.Exec("PRAGMA cache_size=-262144");
}

std::vector<StoreOutcome> StoreReadings(Database& db, const std::vector<ReadingRow>& rows,
                                        MeterIndexCache* cache) {
  std::vector<StoreOutcome> outcomes(rows.size(), StoreOutcome::kUnknownMeter);
  if (rows.empty()) return outcomes;
  RequireFullSync(db);
  std::vector<std::pair<std::string, int64_t>> fresh;
  db.Transaction([&] {
    fresh.clear();
    std::vector<int64_t> meters = ResolveMeters(db, rows, cache, fresh);
    std::vector<Pending> pending;
    pending.reserve(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      if (meters[i] < 0) continue;
      int64_t hour = FloorDiv(rows[i].hour_end_utc, kHour);
      pending.push_back({DayOfHour(hour), meters[i], hour, i});
    }
    // Key order keeps the B-tree writes local; equal keys keep the batch order (the first row wins).
    std::sort(pending.begin(), pending.end());
    for (auto begin = pending.begin(); begin != pending.end();) {
      auto end = std::find_if(begin, pending.end(), [&](const Pending& p) { return p.day != begin->day; });
      std::string table = TableForDay(begin->day);
      CreateTable(db, table);
      InsertDay(db, table, rows, begin, end, outcomes);
      begin = end;
    }
  });
  if (cache)
    for (auto& [id, index] : fresh) cache->Add(id, index);
  return outcomes;
}

std::vector<std::vector<HourlyReading>> ReadingsForMeters(Database& db,
                                                          const std::vector<std::string>& meter_ids,
                                                          int64_t from_utc, int64_t to_utc) {
  std::vector<std::vector<HourlyReading>> out(meter_ids.size());
  from_utc = std::max<int64_t>(from_utc, 0);
  to_utc = std::min<int64_t>(to_utc, int64_t{1} << 40);
  int64_t first_hour = -FloorDiv(-from_utc, kHour);  // ceil
  int64_t last_hour = FloorDiv(to_utc, kHour);
  if (last_hour < first_hour || meter_ids.empty()) return out;
  std::vector<int64_t> meters(meter_ids.size(), -1);
  {
    auto find = db.Prepare("SELECT id FROM reading_meters WHERE meter_id = ?");
    for (size_t i = 0; i < meter_ids.size(); ++i) {
      find.Reset();
      find.Bind(1, meter_ids[i]);
      if (find.Step()) meters[i] = find.Int(0);
    }
  }
  if (std::all_of(meters.begin(), meters.end(), [](int64_t m) { return m < 0; })) return out;
  for (auto& day :
       PrepareOnDays(db, DayOfHour(first_hour), DayOfHour(last_hour),
                     "SELECT hour, register_l FROM {table} WHERE meter = ?1 AND hour BETWEEN ?2 AND ?3 "
                     "ORDER BY hour")) {
    sqlite3_stmt* q = day.get();
    for (size_t i = 0; i < meters.size(); ++i) {
      if (meters[i] < 0) continue;
      sqlite3_reset(q);
      sqlite3_bind_int64(q, 1, meters[i]);
      sqlite3_bind_int64(q, 2, first_hour);
      sqlite3_bind_int64(q, 3, last_hour);
      int rc;
      while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        out[i].push_back({sqlite3_column_int64(q, 0) * kHour, sqlite3_column_int64(q, 1)});
      if (rc != SQLITE_DONE) throw DbError(std::string("readings query: ") + sqlite3_errmsg(db.Handle()));
    }
  }
  return out;
}

std::vector<HourlyReading> ReadingsForMeter(Database& db, std::string_view meter_id, int64_t from_utc,
                                            int64_t to_utc) {
  return std::move(ReadingsForMeters(db, {std::string(meter_id)}, from_utc, to_utc).front());
}

}  // namespace mizu::backend
