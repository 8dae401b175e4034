// The watch's alerts, the hourly pass (alerts.hpp): for every watch with alerts on, the look-back of hourly
// volumes (ReadingsForMeters, ComputeHourlyVolumes), FindHourlyAlerts, the weekly high-use check from the
// daily rollup, DisposeAlert; each event row and its mails commit together (INSERT … ON CONFLICT DO NOTHING
// on (watch, episode): exactly once across restarts, late data and two servers). Held events go when their
// quiet hours end.
#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "mizu/backend/alerts.hpp"
#include "mizu/backend/ingest.hpp"
#include "mizu/backend/push.hpp"
#include "mizu/backend/watch.hpp"
#include "mizu/json_fields.hpp"
#include "mizu/text.hpp"
#include "watch_mail.hpp"

namespace mizu::backend {
namespace {

constexpr const char* kHourKey = "alerts.evaluated_hour";
constexpr size_t kChunk = 512;
constexpr int64_t kHour = 3600;
// How far back the pass reads to close a continuous-flow episode that began before its look-back (a leak
// running for days): 31 days.
constexpr int64_t kOpenFlowMaxHours = 31 * 24;

struct AlertWatch {
  int64_t watch_id = 0;
  watch::ContractInfo contract;
  std::string meter_id;
  MeterLimits limits;
  Lang lang = Lang::kJa;
  AlertSettings settings;
  std::vector<std::string> chosen;  // lowercase addresses; empty: all recipients
  int64_t active_from = 0;
  std::vector<std::pair<AlertEvent, int64_t>> events;  // with last year's litres (high use)
};

std::vector<AlertWatch> AlertWatches(Database& db, const Config& config, std::optional<int64_t> only = {}) {
  auto q = db.Prepare(
      "SELECT w.id, w.customer_number, COALESCE(c.meter_id, ''), w.lang, COALESCE(c.address, ''), "
      "COALESCE(c.diameter_mm, 0), a.settings, a.recipients, a.active_from FROM watch_alerts a "
      "JOIN watches w ON w.id = a.watch_id LEFT JOIN customers c ON c.customer_number = w.customer_number "
      "WHERE CAST(?1 AS BIGINT) IS NULL OR w.id = ?1 ORDER BY w.id");
  if (only)
    q.Bind(1, *only);
  else
    q.BindNull(1);
  std::vector<AlertWatch> out;
  while (q.Step()) {
    AlertWatch w;
    w.settings = AlertSettingsFromJson(nlohmann::json::parse(q.Text(6), nullptr, false));
    if (!AnyAlert(w.settings)) continue;
    w.watch_id = q.Int(0);
    w.contract.customer_number = q.Text(1);
    w.contract.display_number =
        FormatCustomerNumber(w.contract.customer_number, config.utility.customer_number);
    w.meter_id = q.Text(2);
    w.lang = ParseLang(q.Text(3));
    w.contract.address = q.Text(4);
    w.limits = MeterLimitsFor(config.utility, static_cast<int>(q.Int(5)));
    for (const auto& e : nlohmann::json::parse(q.Text(7), nullptr, false))
      if (e.is_string()) w.chosen.push_back(AsciiLower(e.get<std::string>()));
    w.active_from = q.Int(8);
    out.push_back(std::move(w));
  }
  return out;
}

std::string FactsJson(const AlertEvent& e, int64_t last_year_l) {
  return nlohmann::json({{"since", e.since_utc},
                         {"hours", e.hours},
                         {"missing", e.missing_hours},
                         {"volume_l", e.volume_l},
                         {"last_year_l", last_year_l}})
      .dump();
}

// The mails of an event to the watch's chosen, active recipients, each with its stop link.
std::vector<OutgoingMail> EventMails(Database& db, const App& app, const AlertWatch& w, const AlertEvent& e,
                                     int64_t last_year_l) {
  auto r = db.Prepare(
      "SELECT name, email, stop_nonce FROM watch_recipients WHERE watch_id = ? AND stopped_at IS NULL ORDER "
      "BY "
      "position");
  r.Bind(1, w.watch_id);
  struct Recipient {
    std::string name, email, nonce;
  };
  std::vector<Recipient> all, chosen;
  while (r.Step()) {
    Recipient x{r.Text(0), r.Text(1), r.Text(2)};
    if (std::find(w.chosen.begin(), w.chosen.end(), AsciiLower(x.email)) != w.chosen.end())
      chosen.push_back(x);
    all.push_back(std::move(x));
  }
  // None of the chosen is a recipient any more (the watch was changed since): every recipient, rather than
  // an alert that goes to no one.
  const std::vector<Recipient>& to = chosen.empty() ? all : chosen;
  std::vector<OutgoingMail> out;
  for (const Recipient& x : to) {
    const std::string url = WatchStopUrl(app.config, WatchStopToken(app, x.nonce));
    out.push_back(
        watch::AlertMail(app, w.lang, w.contract, e, w.settings, last_year_l, x.email, x.name, url));
  }
  return out;
}

// Each mail by e-mail, or by push to a recipient who holds an account with push on (`push`: read once per
// transaction).
int Enqueue(Database& db, const std::vector<OutgoingMail>& mails, int64_t now, const PushAddresses& push) {
  int n = 0;
  for (const auto& m : mails) {
    try {
      EnqueueToAddress(db, m, "/#/top", now, push);
      ++n;
    } catch (const std::invalid_argument& e) {  // one unrenderable address must not hold back the rest
      std::fprintf(stderr, "alerts: a mail to a recipient not queued: %s\n", e.what());
    }
  }
  return n;
}

void CommitEvents(Database& db, const App& app, std::vector<AlertWatch>::iterator first,
                  std::vector<AlertWatch>::iterator last, int64_t now, AlertPassResult& result) {
  db.Transaction([&] {
    const PushAddresses push = LoadPushAddresses(db);
    auto insert = db.Prepare(
        "INSERT INTO alert_events (watch_id, episode, kind, at_utc, facts, status, hold_until, created_at, "
        "sent_at) SELECT CAST(?1 AS BIGINT), CAST(?2 AS TEXT), CAST(?3 AS TEXT), CAST(?4 AS BIGINT), "
        "CAST(?5 AS TEXT), CAST(?6 AS TEXT), CAST(?7 AS BIGINT), CAST(?8 AS BIGINT), CAST(?9 AS BIGINT) "
        "WHERE EXISTS (SELECT 1 FROM watch_alerts WHERE watch_id = ?1) ON CONFLICT DO NOTHING");
    auto update =
        db.Prepare("UPDATE alert_events SET mails = ?3, subject = ?4 WHERE watch_id = ?1 AND episode = ?2");
    for (auto w = first; w != last; ++w) {
      for (const auto& [e, last_year_l] : w->events) {
        if (e.at_utc < w->active_from) continue;  // before the alerts were (re)set: not theirs
        AlertDisposition d = DisposeAlert(e, w->settings, now);
        if (now - e.at_utc > kAlertMaxAgeSeconds) d = {AlertDisposition::kDrop, 0};  // found too late
        const char* status = d.action == AlertDisposition::kSend   ? "sent"
                             : d.action == AlertDisposition::kHold ? "held"
                                                                   : "dropped";
        // The row first: an episode found before (most of them, every hour) costs one ignored insert, not the
        // composing of its mails.
        insert.Bind(1, w->watch_id).Bind(2, e.episode).Bind(3, AlertKindName(e.kind)).Bind(4, e.at_utc);
        insert.Bind(5, FactsJson(e, last_year_l)).Bind(6, status);
        if (d.action == AlertDisposition::kHold)
          insert.Bind(7, d.until_utc);
        else
          insert.BindNull(7);
        insert.Bind(8, now);
        if (d.action == AlertDisposition::kSend)
          insert.Bind(9, now);
        else
          insert.BindNull(9);
        insert.Run();
        const bool inserted = db.Changes() == 1;
        insert.Reset();
        if (!inserted) continue;  // this episode was found before (or by another server)
        ++result.events;
        const std::vector<OutgoingMail> mails = EventMails(db, app, *w, e, last_year_l);
        const int sent = d.action == AlertDisposition::kSend ? Enqueue(db, mails, now, push) : 0;
        result.mails += sent;
        update.Bind(1, w->watch_id).Bind(2, e.episode).Bind(3, int64_t{sent});
        update.Bind(4, mails.empty() ? std::string() : mails.front().subject).Run();
        update.Reset();
      }
    }
  });
}

// The week (Monday–Sunday, JST) that ended most recently before `now`'s day.
CivilDate LastWeekEnd(int64_t now) {
  const CivilDate today = ToJst(now).date;
  const int wd = Weekday(today);  // 0 = Sunday
  return AddDays(today, wd == 0 ? -7 : -wd);
}

WeekTotal WeekOf(Database& db, const AlertWatch& w, CivilDate end) {
  const int64_t last = DaysFromCivil(end), first = last - 6;
  WeekTotal t{0, 7 * 24};
  for (const DailyRollup& r : DailyRollupsForMeter(db, w.meter_id, first, last)) {
    if (!r.Regular(w.limits)) continue;  // a day with a reset or an impossible rise counts as not reported
    t.volume_l += r.volume_l;
    t.missing_hours -= 24 - r.missing_hours;
  }
  return t;
}

// A continuous-flow alert already recorded: its episode, when it was found, and whether its back-to-normal
// row is still missing.
struct KnownFlow {
  std::string episode;
  int64_t at_utc = 0;
  bool open = false;
};

// The flow alerts of the watches with ids first…last (the alert_events_flow index): those found at or after
// `since` (the look-back's start) and those still open, however old.
std::map<int64_t, std::vector<KnownFlow>> KnownFlows(Database& db, int64_t first, int64_t last,
                                                     int64_t since) {
  auto q = db.Prepare(
      "SELECT e.watch_id, e.episode, e.at_utc, NOT EXISTS (SELECT 1 FROM alert_events n WHERE n.watch_id = "
      "e.watch_id AND n.episode = 'flow_normal:' || substr(e.episode, 6)) FROM alert_events e "
      "WHERE e.kind = 'flow' AND e.watch_id BETWEEN ?1 AND ?2");
  q.Bind(1, first).Bind(2, last);
  std::map<int64_t, std::vector<KnownFlow>> out;
  while (q.Step()) {
    KnownFlow k{q.Text(1), q.Int(2), q.Int(3) != 0};
    if (k.open || k.at_utc >= since) out[q.Int(0)].push_back(std::move(k));
  }
  return out;
}

// The start a flow episode's key names ("flow:<utc>"), or nullopt.
std::optional<int64_t> FlowSince(const std::string& episode) {
  if (episode.rfind("flow:", 0) != 0) return std::nullopt;
  try {
    return std::stoll(episode.substr(5));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// The flow events of one watch made consistent with what was sent before:
// - an episode still open that began before the look-back is found again over the hours since its start
//   (at most kOpenFlowMaxHours), so its back-to-normal message is not lost to the look-back's length;
// - a run already alerted whose start moved (a late reading turned a gap before it into hours without use)
//   keeps the episode it was alerted under: a flow alert with the same run in it — found after this run's
//   start and not after its end — names the episode, so the ON CONFLICT insert skips it.
void ReconcileFlows(Database& db, const AlertWatch& w, const std::vector<KnownFlow>& known, int64_t start,
                    int64_t upto, int64_t pending_after,
                    std::vector<std::pair<AlertEvent, int64_t>>& events) {
  if (known.empty() || !w.settings.continuous_flow) return;
  auto is_flow = [](const std::pair<AlertEvent, int64_t>& e) {
    return e.first.kind == AlertKind::kFlow || e.first.kind == AlertKind::kFlowNormal;
  };
  int64_t open_since = std::numeric_limits<int64_t>::max();
  for (const KnownFlow& k : known)
    if (auto since = FlowSince(k.episode); k.open && since) open_since = std::min(open_since, *since);
  // The hour measured without use that ends at the start, and the reading before it, must be in the hours;
  // an episode open for longer than kOpenFlowMaxHours is given up (its meter has stopped reporting).
  if (open_since - 3 * kHour < start && open_since - 3 * kHour >= upto - kOpenFlowMaxHours * kHour) {
    const int64_t from = open_since - open_since % kHour - 3 * kHour;
    const int count = static_cast<int>((upto - from) / kHour);
    const auto readings = ReadingsForMeters(db, {w.meter_id}, from, upto);
    const auto hours = ComputeHourlyVolumes(from, count, readings[0], w.limits).hours;
    AlertSettings flow_only = w.settings;
    flow_only.long_no_use = flow_only.morning = flow_only.high_use = false;
    events.erase(std::remove_if(events.begin(), events.end(), is_flow), events.end());
    for (AlertEvent& e : FindHourlyAlerts(hours, flow_only, pending_after))
      if (e.kind == AlertKind::kFlow || e.kind == AlertKind::kFlowNormal)
        events.emplace_back(std::move(e), 0);
  }
  for (auto& [e, unused] : events) {
    if (e.kind != AlertKind::kFlow) continue;
    const std::string normal = "flow_normal:" + e.episode.substr(5);
    int64_t end = std::numeric_limits<int64_t>::max();
    for (const auto& [n, unused2] : events)
      if (n.kind == AlertKind::kFlowNormal && n.episode == normal) end = n.at_utc;
    for (const KnownFlow& k : known) {
      if (k.episode == e.episode || k.at_utc <= e.since_utc || k.at_utc > end) continue;
      for (auto& [n, unused3] : events)
        if (n.kind == AlertKind::kFlowNormal && n.episode == normal)
          n.episode = "flow_normal:" + k.episode.substr(5);
      e.episode = k.episode;
      break;
    }
  }
}

// Events held for quiet hours whose end has come: mailed now (one transaction).
int SendHeld(Database& db, const App& app, int64_t now) {
  std::vector<std::pair<int64_t, std::string>> due;
  {
    auto q =
        db.Prepare("SELECT watch_id, episode FROM alert_events WHERE status = 'held' AND hold_until <= ?");
    q.Bind(1, now);
    while (q.Step()) due.emplace_back(q.Int(0), q.Text(1));
  }
  if (due.empty()) return 0;
  int mails = 0;
  db.Transaction([&] {
    const PushAddresses push = LoadPushAddresses(db);
    for (const auto& [watch_id, episode] : due) {
      auto ws = AlertWatches(db, app.config, watch_id);
      auto q = db.Prepare(
          "SELECT kind, at_utc, facts FROM alert_events WHERE watch_id = ? AND episode = ? AND status = "
          "'held'");
      q.Bind(1, watch_id).Bind(2, episode);
      if (!q.Step()) continue;  // sent meanwhile by another server
      AlertEvent e;
      const std::string kind = q.Text(0);
      for (AlertKind k :
           {AlertKind::kFlow, AlertKind::kFlowNormal, AlertKind::kNoUse, AlertKind::kNoData,
            AlertKind::kMorningUse, AlertKind::kMorningNone, AlertKind::kMorningNoData, AlertKind::kHighUse})
        if (kind == AlertKindName(k)) e.kind = k;
      e.episode = episode;
      e.at_utc = q.Int(1);
      const auto facts = nlohmann::json::parse(q.Text(2), nullptr, false);
      q.Reset();
      e.since_utc = FieldOr<int64_t>(facts, "since", 0);
      e.hours = FieldOr(facts, "hours", 0);
      e.missing_hours = FieldOr(facts, "missing", 0);
      e.volume_l = FieldOr<int64_t>(facts, "volume_l", 0);
      int n = 0;
      if (!ws.empty())
        n = Enqueue(db, EventMails(db, app, ws.front(), e, FieldOr<int64_t>(facts, "last_year_l", 0)), now,
                    push);
      // Alerts turned off meanwhile: nothing is sent, the row says so.
      db.Prepare(
            "UPDATE alert_events SET status = ?3, sent_at = ?4, mails = ?5 WHERE watch_id = ?1 AND episode = "
            "?2")
          .Bind(1, watch_id)
          .Bind(2, episode)
          .Bind(3, ws.empty() ? "dropped" : "sent")
          .Bind(4, now)
          .Bind(5, int64_t{n})
          .Run();
      mails += n;
    }
  });
  return mails;
}

// Hours of look-back one watch's choices need: the longest run plus the hour before it (its start must be
// known), a day for the morning window, and the hours an event may still be found late (kAlertMaxAgeSeconds);
// at most kAlertLookbackHours.
int LookbackHours(const AlertSettings& s) {
  int run = 0;
  if (s.continuous_flow) run = std::max(run, s.flow_hours);
  if (s.long_no_use) run = std::max(run, s.no_use_hours);
  if (s.morning) run = std::max(run, 24);
  return std::min(kAlertLookbackHours, run + 1 + static_cast<int>(kAlertMaxAgeSeconds / kHour));
}

std::optional<int64_t> EvaluatedHour(Database& db) {
  auto q = db.Prepare("SELECT value FROM server_state WHERE key = ?");
  q.Bind(1, kHourKey);
  if (!q.Step()) return std::nullopt;
  try {
    return std::stoll(q.Text(0));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

AlertPassResult EvaluateAlerts(Database& db, const App& app, int64_t now) {
  AlertPassResult result;
  result.mails += SendHeld(db, app, now);
  // The last whole hour whose closing reading has had the watch's report delay to arrive (30 minutes by
  // default: the pass for 8:00 runs at 8:30, as the 6:00–12:00 report goes at 12:30).
  const int64_t settled = now - int64_t{app.config.watch.report_delay_minutes} * 60;
  const int64_t upto = settled - settled % kHour;
  const std::optional<int64_t> done = EvaluatedHour(db);
  if (done && *done >= upto) return result;
  std::vector<AlertWatch> watches = AlertWatches(db, app.config);
  // Hours without a report are only called "not reported" once they are an hour older than that: a reading
  // a little late is still waiting, not missing (FindHourlyAlerts' pending hours).
  const int64_t pending_after = upto - kHour;
  // The weekly check on every pass of the Monday after the week (its last reading may come late); the
  // episode key keeps it to one alert.
  const CivilDate week_end = LastWeekEnd(upto - 1);
  const bool week_check = ToJst(upto - 1).date == AddDays(week_end, 1);
  for (size_t i = 0; i < watches.size(); i += kChunk) {
    const size_t stop = std::min(watches.size(), i + kChunk);
    std::vector<std::string> meters;
    for (size_t k = i; k < stop; ++k) meters.push_back(watches[k].meter_id);
    // Only as many hours as the chunk's choices need (LookbackHours), read once for the chunk.
    int lookback = 0;
    for (size_t k = i; k < stop; ++k) lookback = std::max(lookback, LookbackHours(watches[k].settings));
    const int64_t start = upto - int64_t{lookback} * kHour;
    const auto readings = ReadingsForMeters(db, meters, start, upto);
    const auto known = KnownFlows(db, watches[i].watch_id, watches[stop - 1].watch_id, start);
    for (size_t k = i; k < stop; ++k) {
      AlertWatch& w = watches[k];
      if (w.meter_id.empty()) continue;
      const auto hours = ComputeHourlyVolumes(start, lookback, readings[k - i], w.limits).hours;
      for (AlertEvent& e : FindHourlyAlerts(hours, w.settings, pending_after))
        w.events.emplace_back(std::move(e), 0);
      if (auto it = known.find(w.watch_id); it != known.end())
        ReconcileFlows(db, w, it->second, start, upto, pending_after, w.events);
      if (w.settings.high_use && week_check) {
        const WeekTotal last_year = WeekOf(db, w, AddDays(week_end, -364));
        if (auto e = FindHighUse(week_end, WeekOf(db, w, week_end), last_year, w.settings))
          w.events.emplace_back(std::move(*e), last_year.volume_l);
      }
    }
    CommitEvents(db, app, watches.begin() + static_cast<std::ptrdiff_t>(i),
                 watches.begin() + static_cast<std::ptrdiff_t>(stop), now, result);
  }
  db.Transaction([&] {
    db.Prepare(
          "INSERT INTO server_state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = "
          "excluded.value WHERE CAST(server_state.value AS BIGINT) < CAST(excluded.value AS BIGINT)")
        .Bind(1, kHourKey)
        .Bind(2, std::to_string(upto))
        .Run();
  });
  return result;
}

}  // namespace mizu::backend
