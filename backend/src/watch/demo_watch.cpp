// The demo's water watch: a week of hourly readings for every smart meter (a household rhythm, one gap of
// two hours on the first demo contract) and two watches — the demo resident's own contract (pattern 1) and
// the family member's parent's contract (pattern 2) — set up a day ago, so `mizumori evaluate` (or the
// server's scheduler at start) writes report mails into <data>/mail/. The demo reads as a healthy utility's
// past: the set-up mails went out a day ago (marked sent, so no mail is left in the outbox with a link to
// an address the demo may not be served on), and the reports due before now are history, never "late".
#include <optional>
#include <random>

#include "mizu/backend/ingest.hpp"
#include "mizu/backend/watch.hpp"
#include "mizu/time.hpp"

namespace mizu::backend {
namespace {

constexpr int64_t kHour = 3600;
constexpr int kDays = 7;

// Litres used in the hour starting at JST hour h: quiet nights, morning and evening peaks.
int64_t HourlyUse(int h, std::mt19937& rng) {
  auto between = [&rng](int lo, int hi) {
    return lo + static_cast<int64_t>(rng() % static_cast<unsigned>(hi - lo + 1));
  };
  if (h < 5) return rng() % 6 == 0 ? between(1, 6) : 0;
  if (h < 9) return between(15, 70);
  if (h < 17) return rng() % 3 == 0 ? 0 : between(2, 25);
  if (h < 23) return between(20, 95);
  return between(0, 10);
}

std::optional<int64_t> AccountId(Database& db, const std::string& email) {
  auto q = db.Prepare("SELECT id FROM accounts WHERE email = ?");
  q.Bind(1, email);
  if (!q.Step()) return std::nullopt;
  return q.Int(0);
}

void DemoWatch(App& app, const std::string& owner, const std::string& cn, const WatchUpdate& update,
               int64_t at) {
  std::optional<int64_t> account = ReadDb(app, [&](Database& db) { return AccountId(db, owner); });
  if (!account) return;
  if (GetWatch(app, *account, cn).active) return;  // idempotent: keep an existing watch as it is
  PutWatch(app, *account, cn, update, at);
}

}  // namespace

void FillDemoWatch(App& app, int64_t now) {
  const int64_t last = now - now % kHour;  // the newest complete hour
  const int64_t first = last - int64_t{kDays} * 24 * kHour;
  const std::vector<std::string> meters = ReadDb(app, [](Database& db) {
    auto q = db.Prepare(
        "SELECT meter_id FROM customers WHERE smart_meter = 1 AND meter_id IS NOT NULL ORDER BY "
        "customer_number");
    std::vector<std::string> out;
    while (q.Step()) out.push_back(q.Text(0));
    return out;
  });
  // Yesterday's 18:00–24:00 window on the first demo contract misses 20:00 and 21:00 (the radio failed).
  const CivilDate yesterday = AddDays(ToJst(now).date, -1);
  const int64_t gap_from = FromJst(yesterday, 20), gap_to = FromJst(yesterday, 21);
  std::vector<ReadingRow> rows;
  for (size_t m = 0; m < meters.size(); ++m) {
    std::mt19937 rng(static_cast<unsigned>(7000 + m));
    int64_t reg = 1000000 + static_cast<int64_t>(m) * 7919;
    for (int64_t t = first; t <= last; t += kHour) {
      const bool gap = m == 0 && t >= gap_from && t <= gap_to;
      if (!gap) rows.push_back({meters[m], t, reg, 0});
      reg += HourlyUse(static_cast<int>((t + 9 * kHour) / kHour % 24), rng);
    }
  }
  {
    std::lock_guard lock(app.db_mutex);
    StoreReadings(*app.db, rows);  // re-runs: identical rows are duplicates, others conflicts; both harmless
  }
  const int64_t set_up = now - 26 * kHour;
  DemoWatch(app, "demo@mizumori.example", "00000008002",
            {{6, 18},
             {{"山田 一郎", "ichiro@mizumori.example"}, {"山田 陽子", "yoko@mizumori.example"}},
             Lang::kJa},
            set_up);
  DemoWatch(app, "family@mizumori.example", "00000008008",
            {{7}, {{"家族", "family@mizumori.example"}}, Lang::kJa}, set_up);
  std::lock_guard lock(app.db_mutex);
  app.db
      ->Prepare(
          "UPDATE mail_outbox SET status = 'sent', attempts = 1, sent_at = ?1, last_attempt_at = ?1 "
          "WHERE kind = 'watch_added' AND status = 'pending' AND created_at = ?1")
      .Bind(1, set_up)
      .Run();
  RecordWatchHistoryUntil(*app.db, now);
}

}  // namespace mizu::backend
