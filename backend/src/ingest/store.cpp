// Readings storage: one WITHOUT ROWID table per JST day keyed (meter, hour), meters mapped to small integers
// (ingest.hpp explains the layout; docs/performance.md the measurements behind it).
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

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

// A day's table: on SQLite a table of its own; on PostgreSQL the partition of `readings` (the PostgreSQL
// schema) holding that JST day's hours — hour indices (the hour's end) from day·24 − 8 to day·24 + 15 —
// under the same name, so every query names it the same way on both engines.
void CreateTable(Database& db, const std::string& table) {
  if (db.engine() == Engine::kPostgres) {
    int year = 0, month = 0, dom = 0;
    std::sscanf(table.c_str(), "readings_%4d%2d%2d", &year, &month, &dom);
    const int64_t day = DaysFromCivil({year, month, dom});
    db.Exec("CREATE TABLE IF NOT EXISTS " + table + " PARTITION OF readings FOR VALUES FROM (" +
            std::to_string(day * 24 - 8) + ") TO (" + std::to_string(day * 24 + 16) + ")");
    return;
  }
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

// PostgreSQL: the day's rows as arrays in one INSERT … SELECT FROM unnest (one round trip, not one per
// reading), the keys it inserted RETURNING; the others compared with what is stored in a second statement.
// Equal keys in the batch: the first in batch order is the one inserted, as on SQLite.
void InsertDayPostgres(Database& db, const std::string& table, const std::vector<ReadingRow>& rows,
                       std::vector<Pending>::const_iterator begin, std::vector<Pending>::const_iterator end,
                       std::vector<StoreOutcome>& outcomes) {
  std::string meters = "{", hours = "{", registers = "{", alarms = "{";
  for (auto p = begin; p != end; ++p) {
    const char* sep = p == begin ? "" : ",";
    meters += sep + std::to_string(p->meter);
    hours += sep + std::to_string(p->hour);
    registers += sep + std::to_string(rows[p->row].register_l);
    alarms += sep + std::to_string(static_cast<int64_t>(rows[p->row].alarms));
  }
  for (std::string* a : {&meters, &hours, &registers, &alarms}) *a += "}";
  std::set<std::pair<int64_t, int64_t>> inserted;
  {
    auto insert = db.Prepare("INSERT INTO " + table +
                             " (meter, hour, register_l, alarms) SELECT * FROM unnest(CAST(?1 AS BIGINT[]), "
                             "CAST(?2 AS BIGINT[]), CAST(?3 AS BIGINT[]), CAST(?4 AS BIGINT[])) "
                             "ON CONFLICT DO NOTHING RETURNING meter, hour");
    insert.Bind(1, meters).Bind(2, hours).Bind(3, registers).Bind(4, alarms);
    while (insert.Step()) inserted.insert({insert.Int(0), insert.Int(1)});
  }
  std::map<std::pair<int64_t, int64_t>, int64_t> stored;  // the keys not inserted now: what is there
  std::string other_meters = "{", other_hours = "{";
  for (auto p = begin; p != end; ++p) {
    if (inserted.count({p->meter, p->hour})) continue;
    other_meters += (other_meters.size() > 1 ? "," : "") + std::to_string(p->meter);
    other_hours += (other_hours.size() > 1 ? "," : "") + std::to_string(p->hour);
  }
  if (other_meters.size() > 1) {
    auto existing =
        db.Prepare("SELECT t.meter, t.hour, t.register_l FROM " + table +
                   " t JOIN unnest(CAST(?1 AS BIGINT[]), CAST(?2 AS BIGINT[])) AS k (meter, hour) "
                   "ON t.meter = k.meter AND t.hour = k.hour");
    existing.Bind(1, other_meters + "}").Bind(2, other_hours + "}");
    while (existing.Step()) stored[{existing.Int(0), existing.Int(1)}] = existing.Int(2);
  }
  // In batch order (pending is sorted by key, then by row): the first row of an inserted key is accepted.
  std::set<std::pair<int64_t, int64_t>> taken;
  for (auto p = begin; p != end; ++p) {
    const std::pair<int64_t, int64_t> key{p->meter, p->hour};
    const int64_t value = rows[p->row].register_l;
    if (inserted.count(key) && taken.insert(key).second) {
      outcomes[p->row] = StoreOutcome::kAccepted;
      stored[key] = value;
      continue;
    }
    auto it = stored.find(key);
    if (it == stored.end()) throw DbError("reading vanished during insert");
    outcomes[p->row] = it->second == value ? StoreOutcome::kDuplicate : StoreOutcome::kConflict;
  }
}

// Inserts the rows of one day's table in key order; outcomes by row.
void InsertDay(Database& db, const std::string& table, const std::vector<ReadingRow>& rows,
               std::vector<Pending>::const_iterator begin, std::vector<Pending>::const_iterator end,
               std::vector<StoreOutcome>& outcomes) {
  if (db.engine() == Engine::kPostgres) return InsertDayPostgres(db, table, rows, begin, end, outcomes);
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

// `sql` ("{table}" standing for the table) on each day table of [first_day, last_day] that exists, ascending,
// from the connection's statement cache. Short ranges try each day (a prepare re-reads a stale schema, so a
// table another connection just created is found); long ones list the tables first.
std::vector<Statement> PrepareOnDays(Database& db, int64_t first_day, int64_t last_day,
                                     std::string_view sql) {
  std::vector<std::string> names;
  if (last_day - first_day <= 62) {
    for (int64_t d = first_day; d <= last_day; ++d) names.push_back(TableForDay(d));
  } else {
    auto tables = db.Prepare(
        db.engine() == Engine::kPostgres
            ? "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename BETWEEN ? "
              "AND ? "
              "ORDER BY tablename"
            : "SELECT name FROM sqlite_schema WHERE type = 'table' AND name BETWEEN ? AND ? ORDER BY name");
    tables.Bind(1, TableForDay(first_day)).Bind(2, TableForDay(last_day));
    while (tables.Step()) names.push_back(tables.Text(0));
  }
  std::vector<Statement> out;
  size_t at = sql.find("{table}");
  for (const auto& name : names) {
    std::string text;
    text.reserve(sql.size() + name.size());
    text.append(sql.substr(0, at)).append(name).append(sql.substr(at + 7));
    if (auto statement = db.PrepareIfTablesExist(text)) out.push_back(std::move(*statement));
  }
  return out;
}

// The register stored for (meter, hour), if any.
std::optional<int64_t> StoredRegister(Database& db, int64_t meter, int64_t hour) {
  auto q = db.PrepareIfTablesExist("SELECT register_l FROM " + TableForDay(DayOfHour(hour)) +
                                   " WHERE meter = ? AND hour = ?");
  if (!q) return std::nullopt;
  q->Bind(1, meter).Bind(2, hour);
  if (!q->Step()) return std::nullopt;
  return q->Int(0);
}

// The rollup rows the accepted readings of a batch change (ingest.hpp "The daily rollup"): each hour whose
// second bounding register arrived in this batch is added once to the day it belongs to. Runs inside
// StoreReadings' transaction, after the inserts.
void UpdateDailyRollup(Database& db, const std::vector<ReadingRow>& rows, const std::vector<Pending>& pending,
                       const std::vector<StoreOutcome>& outcomes) {
  // (meter, hour) → register of this batch's accepted rows; hours fit 24 bits until the year 3880.
  auto key = [](int64_t meter, int64_t hour) {
    return (static_cast<uint64_t>(meter) << 24) ^ uint64_t(hour);
  };
  std::unordered_map<uint64_t, int64_t> accepted;
  for (const Pending& p : pending)
    if (outcomes[p.row] == StoreOutcome::kAccepted)
      accepted.emplace(key(p.meter, p.hour), rows[p.row].register_l);
  if (accepted.empty()) return;
  // PostgreSQL: the stored registers of the hours either side of every accepted row, read per day table in
  // one statement each (arrays), not one round trip per reading.
  const bool postgres = db.engine() == Engine::kPostgres;
  std::unordered_map<uint64_t, int64_t> neighbours;
  if (postgres) {
    std::map<int64_t, std::pair<std::string, std::string>> wanted;  // day → ("{meters}", "{hours}")
    for (const Pending& p : pending) {
      if (outcomes[p.row] != StoreOutcome::kAccepted) continue;
      for (int64_t hour : {p.hour - 1, p.hour + 1}) {
        if (accepted.count(key(p.meter, hour))) continue;
        auto& [meters, hours] = wanted[DayOfHour(hour)];
        meters += (meters.empty() ? "" : ",") + std::to_string(p.meter);
        hours += (hours.empty() ? "" : ",") + std::to_string(hour);
      }
    }
    for (const auto& [day, arrays] : wanted) {
      auto q =
          db.PrepareIfTablesExist("SELECT t.meter, t.hour, t.register_l FROM " + TableForDay(day) +
                                  " t JOIN unnest(CAST(?1 AS BIGINT[]), CAST(?2 AS BIGINT[])) AS k (meter, "
                                  "hour) ON t.meter = k.meter AND t.hour = k.hour");
      if (!q) continue;
      q->Bind(1, "{" + arrays.first + "}").Bind(2, "{" + arrays.second + "}");
      while (q->Step()) neighbours.emplace(key(q->Int(0), q->Int(1)), q->Int(2));
    }
  }
  auto stored = [&](int64_t meter, int64_t hour) -> std::optional<int64_t> {
    if (!postgres) return StoredRegister(db, meter, hour);
    if (auto it = neighbours.find(key(meter, hour)); it != neighbours.end()) return it->second;
    return std::nullopt;
  };
  auto register_at = [&](int64_t meter, int64_t hour) -> std::optional<int64_t> {
    if (auto it = accepted.find(key(meter, hour)); it != accepted.end()) return it->second;
    return stored(meter, hour);
  };
  struct Delta {
    int64_t paired = 0, volume_l = 0, max_rise_l = 0, drops = 0;
  };
  std::map<std::pair<int64_t, int64_t>, Delta> changes;  // (meter, day) → what this batch adds
  auto add = [&](int64_t meter, int64_t hour, int64_t rise) {
    Delta& d = changes[{meter, DayOfHour(hour)}];
    ++d.paired;
    if (rise >= 0) {
      d.volume_l += rise;
      d.max_rise_l = std::max(d.max_rise_l, rise);
    } else {
      ++d.drops;
    }
  };
  for (const Pending& p : pending) {
    if (outcomes[p.row] != StoreOutcome::kAccepted) continue;
    const int64_t value = rows[p.row].register_l;
    if (auto before = register_at(p.meter, p.hour - 1)) add(p.meter, p.hour, value - *before);
    // The next hour, unless its register is new too: then it pairs that hour itself.
    if (!accepted.count(key(p.meter, p.hour + 1)))
      if (auto after = stored(p.meter, p.hour + 1)) add(p.meter, p.hour + 1, *after - value);
  }
  if (postgres) {  // one statement for the batch: the (meter, day) rows as arrays
    std::string cols[6];
    for (const auto& [at, d] : changes) {
      const int64_t values[6] = {at.first, at.second, 24 - d.paired, d.volume_l, d.max_rise_l, d.drops};
      for (int c = 0; c < 6; ++c) cols[c] += (cols[c].empty() ? "" : ",") + std::to_string(values[c]);
    }
    auto upsert = db.Prepare(
        "INSERT INTO usage_daily (meter, day, missing_hours, volume_l, max_rise_l, drops) SELECT * FROM "
        "unnest(CAST(?1 AS BIGINT[]), CAST(?2 AS BIGINT[]), CAST(?3 AS BIGINT[]), CAST(?4 AS BIGINT[]), "
        "CAST(?5 AS BIGINT[]), CAST(?6 AS BIGINT[])) ON CONFLICT (meter, day) DO UPDATE SET "
        "missing_hours = usage_daily.missing_hours - (24 - excluded.missing_hours), "
        "volume_l = usage_daily.volume_l + excluded.volume_l, "
        "max_rise_l = GREATEST(usage_daily.max_rise_l, excluded.max_rise_l), "
        "drops = usage_daily.drops + excluded.drops");
    for (int c = 0; c < 6; ++c) upsert.Bind(c + 1, "{" + cols[c] + "}");
    upsert.Run();
    return;
  }
  auto upsert = db.Prepare(
      "INSERT INTO usage_daily (meter, day, missing_hours, volume_l, max_rise_l, drops) "
      "VALUES (?1, ?2, 24 - ?3, ?4, ?5, ?6) ON CONFLICT (meter, day) DO UPDATE SET "
      "missing_hours = usage_daily.missing_hours - ?3, volume_l = usage_daily.volume_l + ?4, max_rise_l = " +
      std::string(db.engine() == Engine::kPostgres ? "GREATEST" : "max") +
      "(usage_daily.max_rise_l, ?5), drops = usage_daily.drops + ?6");
  for (const auto& [at, d] : changes) {
    upsert.Reset();
    upsert.Bind(1, at.first)
        .Bind(2, at.second)
        .Bind(3, d.paired)
        .Bind(4, d.volume_l)
        .Bind(5, d.max_rise_l)
        .Bind(6, d.drops)
        .Run();
  }
}

void RequireFullSync(Database& db) {
  if (db.engine() != Engine::kSqlite) return;  // PostgreSQL: synchronous_commit is the server's (on)
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
  if (db.engine() == Engine::kSqlite) db.Exec("PRAGMA cache_size=-262144");
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
    UpdateDailyRollup(db, rows, pending, outcomes);
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
  for (size_t i = 0; i < meters.size(); ++i)  // room for every hour asked (a month at most is kept in one go)
    if (meters[i] >= 0)
      out[i].reserve(static_cast<size_t>(std::min<int64_t>(last_hour - first_hour + 1, 744)));
  for (auto& day :
       PrepareOnDays(db, DayOfHour(first_hour), DayOfHour(last_hour),
                     "SELECT hour, register_l FROM {table} WHERE meter = ?1 AND hour BETWEEN ?2 AND ?3 "
                     "ORDER BY hour")) {
    for (size_t i = 0; i < meters.size(); ++i) {
      if (meters[i] < 0) continue;
      day.Reset();
      day.Bind(1, meters[i]).Bind(2, first_hour).Bind(3, last_hour);
      while (day.Step()) out[i].push_back({day.Int(0) * kHour, day.Int(1)});
    }
  }
  return out;
}

int64_t JstDayNumber(int64_t utc) {
  return FloorDiv(utc + kJstOffset, kDay);
}

std::vector<DailyRollup> DailyRollupsForMeter(Database& db, std::string_view meter_id, int64_t first_day,
                                              int64_t last_day) {
  std::vector<DailyRollup> out;
  auto meter = StoredMeterIndex(db, meter_id);
  if (!meter) return out;
  auto q = db.Prepare(
      "SELECT day, missing_hours, volume_l, max_rise_l, drops FROM usage_daily "
      "WHERE meter = ? AND day BETWEEN ? AND ? ORDER BY day");
  q.Bind(1, *meter).Bind(2, first_day).Bind(3, last_day);
  while (q.Step())
    out.push_back({q.Int(0), static_cast<int>(q.Int(1)), q.Int(2), q.Int(3), static_cast<int>(q.Int(4))});
  return out;
}

void EnsureDailyRollup(Database& db) {
  {
    auto done = db.Prepare("SELECT 1 FROM server_state WHERE key = 'usage_daily.complete'");
    if (done.Step()) return;
  }
  std::vector<std::string> tables;
  {
    auto q = db.Prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name GLOB 'readings_[0-9]*' ORDER BY name");
    while (q.Step()) tables.push_back(q.Text(0));
  }
  // One day table at a time, each in its own transaction (a day's rows are a function of that day's readings
  // and the previous midnight's: rebuilding one twice gives the same rows).
  for (const std::string& table : tables) {
    int year = 0, month = 0, dom = 0;
    if (std::sscanf(table.c_str(), "readings_%4d%2d%2d", &year, &month, &dom) != 3) continue;
    const int64_t day = DaysFromCivil({year, month, dom});
    const int64_t first_hour = (day * kDay - kJstOffset) / kHour + 1;  // the hour ending at 01:00 JST
    const std::string previous = TableForDay(day - 1);
    const bool has_previous = db.PrepareIfTablesExist("SELECT 1 FROM " + previous).has_value();
    const std::string baseline = has_previous
                                     ? "SELECT meter, hour, register_l FROM " + previous +
                                           " WHERE hour = " + std::to_string(first_hour - 1) + " UNION ALL "
                                     : std::string();
    db.Transaction([&] {
      db.Prepare(
            "INSERT OR REPLACE INTO usage_daily (meter, day, missing_hours, volume_l, max_rise_l, drops) "
            "SELECT meter, ?1, 24 - count(*), sum(max(rise, 0)), max(max(rise, 0)), sum(rise < 0) FROM ("
            "  SELECT meter, hour, register_l - lag(register_l) OVER w AS rise, lag(hour) OVER w AS prev "
            "  FROM (" +
            baseline + "SELECT meter, hour, register_l FROM " + table +
            ") WINDOW w AS (PARTITION BY meter ORDER BY hour)) "
            "WHERE prev = hour - 1 GROUP BY meter")
          .Bind(1, day)
          .Run();
    });
  }
  db.Prepare(
        "INSERT INTO server_state (key, value) VALUES ('usage_daily.complete', '1') "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .Run();
}

std::vector<HourlyReading> ReadingsForMeter(Database& db, std::string_view meter_id, int64_t from_utc,
                                            int64_t to_utc) {
  return std::move(ReadingsForMeters(db, {std::string(meter_id)}, from_utc, to_utc).front());
}

}  // namespace mizu::backend
