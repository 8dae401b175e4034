// The watch's mails (W7 and the "Missing data is never zero" rule): report texts per outcome, the late note,
// the "added" / "ended" / "stopped" notices, and the JST formatting of windows, instants and missing hours.
#include "mizu/format.hpp"
#include "mizu/time.hpp"
#include "watch_mail.hpp"

namespace mizu::backend::watch {
namespace {

using Args = std::vector<std::pair<std::string, std::string>>;

// This file's short names for the texts of mizu/format.hpp.
std::string DayJa(const CivilDate& d) {
  return FormatMonthDay(Lang::kJa, d);
}
std::string DayEn(const CivilDate& d) {
  return FormatMonthDay(Lang::kEn, d);
}
std::string Clock(Lang lang, int hour, int minute) {
  return FormatClock(lang, hour, minute);
}

// The end of an interval as a person reads it: midnight after `start_day` is "24:00" of that day.
struct EndLabel {
  CivilDate date;
  int hour;
  int minute;
};
EndLabel EndOf(int64_t start_utc, int64_t end_utc) {
  const CivilDateTime s = ToJst(start_utc);
  const CivilDateTime e = ToJst(end_utc);
  if (e.hour == 0 && e.minute == 0 && e.date == AddDays(s.date, 1)) return {s.date, 24, 0};
  return {e.date, e.hour, e.minute};
}

std::string ContractLines(Lang lang, const ContractInfo& c) {
  return Format(Tr(lang, "watch.mail.contract"), {{"contract", c.display_number}, {"address", c.address}});
}

// Hours the meter's values made unknown get their own mail unless everything else was measured.
const char* ReportKey(const WindowEvaluation& ev) {
  if (!ev.anomaly_interval_ends_utc.empty() && ev.outcome != WatchOutcome::kUsed &&
      ev.outcome != WatchOutcome::kNotUsed)
    return "watch_anomaly";
  switch (ev.outcome) {
    case WatchOutcome::kUsed:
      return "watch_used";
    case WatchOutcome::kNotUsed:
      return "watch_not_used";
    case WatchOutcome::kPartial:
      return "watch_partial";
    case WatchOutcome::kNoData:
      break;
  }
  return "watch_no_data";
}

OutgoingMail Compose(const App& app, Lang lang, const std::string& key, const std::string& kind,
                     const std::string& to, const std::string& to_name, Args args, const std::string& extra,
                     const std::string& stop_url) {
  const auto& u = app.config.utility;
  args.push_back({"utility", lang == Lang::kEn ? u.name_en : u.name});
  args.push_back({"phone", u.counter_phone});
  OutgoingMail m;
  m.to = to;
  m.to_name = to_name;
  m.subject = Format(Tr(lang, "mail." + key + ".subject"), args);
  m.body_text = Format(Tr(lang, "mail." + key + ".body"), args);
  if (!extra.empty()) m.body_text += "\n\n" + extra;
  if (!stop_url.empty()) {
    m.body_text +=
        "\n\n" + Format(Tr(lang, "watch.mail.tail"),
                        {{"disclaimer", std::string(Tr(lang, "watch.disclaimer"))}, {"stop_url", stop_url}});
  }
  m.body_text += "\n\n--\n" + Format(Tr(lang, "mail.footer"), args) + "\n";
  m.kind = kind;
  m.lang = std::string(LangTag(lang));
  m.stop_url = stop_url;
  return m;
}

}  // namespace

std::string FormatWindow(Lang lang, const WindowId& id, const WatchSettings& settings) {
  const int64_t start = WindowStartUtc(id);
  const CivilDateTime s = ToJst(start);
  const EndLabel e = EndOf(start, WindowEndUtc(id, settings));
  const bool same_day = e.date == s.date;
  if (lang == Lang::kEn) {
    std::string out = DayEn(s.date) + ", " + Clock(lang, s.hour, s.minute);
    out += same_day ? "–" : " – " + DayEn(e.date) + ", ";
    return out + Clock(lang, e.hour, e.minute) + " JST";
  }
  std::string out = DayJa(s.date) + " " + Clock(lang, s.hour, s.minute) + "〜";
  if (!same_day) out += DayJa(e.date) + " ";
  return out + Clock(lang, e.hour, e.minute);
}

std::string FormatMissingHours(Lang lang, const std::vector<int64_t>& ends) {
  std::string out;
  for (size_t i = 0; i < ends.size();) {
    size_t j = i;
    while (j + 1 < ends.size() && ends[j + 1] == ends[j] + 3600) ++j;
    const int64_t from = ends[i] - 3600;
    const CivilDateTime s = ToJst(from);
    const EndLabel e = EndOf(from, ends[j]);
    if (!out.empty()) out += lang == Lang::kEn ? ", " : "、";
    out += Clock(lang, s.hour, s.minute) + (lang == Lang::kEn ? "–" : "〜") + Clock(lang, e.hour, e.minute);
    i = j + 1;
  }
  return out;
}

OutgoingMail ReportMail(const App& app, Lang lang, const ReportFacts& f, const std::string& to,
                        const std::string& to_name, const std::string& stop_url) {
  const WatchSettings& settings = app.config.watch;
  const WindowEvaluation& ev = f.evaluation;
  Args args = {{"name", to_name},
               {"window", FormatWindow(lang, f.window, settings)},
               {"volume", FormatThousands(ev.volume_l)},
               {"hours_present", std::to_string(ev.hours_present)},
               {"hours_expected", std::to_string(ev.hours_expected)},
               {"missing", ev.missing_interval_ends_utc.empty()
                               ? std::string(Tr(lang, "watch.mail.none"))
                               : FormatMissingHours(lang, ev.missing_interval_ends_utc)},
               {"anomaly", FormatMissingHours(lang, ev.anomaly_interval_ends_utc)},
               {"as_of", FormatMonthDayTime(lang, f.as_of)},
               {"contract_lines", ContractLines(lang, f.contract)}};
  std::string notes;
  if (ev.reset_detected) notes = std::string(Tr(lang, "watch.mail.reset"));
  if (f.late_due) {
    if (!notes.empty()) notes += "\n";
    notes += Format(Tr(lang, "watch.mail.late"), {{"due", FormatMonthDayTime(lang, *f.late_due)},
                                                  {"sent", FormatMonthDayTime(lang, f.as_of)}});
  }
  return Compose(app, lang, ReportKey(ev), "watch_report", to, to_name, std::move(args), notes, stop_url);
}

OutgoingMail AddedMail(const App& app, Lang lang, const ContractInfo& contract, const std::string& setter,
                       const std::vector<int>& start_hours, const std::string& to, const std::string& to_name,
                       const std::string& stop_url) {
  const WatchSettings& settings = app.config.watch;
  std::string windows;
  for (int h : start_hours) {
    const DayTime report = DayTimeOf(WindowTimingOf(h, settings).report_minute);
    const std::string report_at = Clock(lang, report.hour, report.minute);
    if (!windows.empty()) windows += "\n";
    windows += Format(Tr(lang, "watch.window_line"),
                      {{"window", FormatDailyWindow(lang, h, settings)}, {"report_at", report_at}});
  }
  Args args = {{"name", to_name},
               {"setter", setter},
               {"windows", windows},
               {"contract_lines", ContractLines(lang, contract)}};
  return Compose(app, lang, "watch_added", "watch_added", to, to_name, std::move(args), "", stop_url);
}

OutgoingMail EndedMail(const App& app, Lang lang, const ContractInfo& contract, const std::string& to,
                       const std::string& to_name) {
  Args args = {{"name", to_name}, {"contract_lines", ContractLines(lang, contract)}};
  return Compose(app, lang, "watch_ended", "watch_ended", to, to_name, std::move(args), "", "");
}

OutgoingMail StoppedMail(const App& app, Lang lang, const ContractInfo& contract,
                         const std::string& stopped_email, const std::string& to) {
  Args args = {{"email", stopped_email}, {"contract_lines", ContractLines(lang, contract)}};
  return Compose(app, lang, "watch_stopped", "watch_stopped", to, "", std::move(args), "", "");
}

OutgoingMail AlertMail(const App& app, Lang lang, const ContractInfo& contract, const AlertEvent& e,
                       const AlertSettings& settings, int64_t last_year_l, const std::string& to,
                       const std::string& to_name, const std::string& stop_url) {
  const CivilDateTime since = ToJst(e.since_utc);
  Args args = {
      {"name", to_name},
      {"since", FormatMonthDayTime(lang, e.since_utc)},
      {"at", FormatMonthDayTime(lang, e.at_utc)},
      {"hours", std::to_string(e.hours)},
      {"missing", std::to_string(e.missing_hours)},
      {"volume", FormatThousands(e.volume_l)},
      {"date", FormatMonthDay(lang, since.date)},
      {"hour", Clock(lang, since.hour, 0)},
      {"from", Clock(lang, settings.morning_from_hour, 0)},
      {"by", Clock(lang, settings.morning_by_hour, 0)},
      {"week", FormatMonthDay(lang, since.date) + (lang == Lang::kEn ? " – " : "〜") +
                   FormatMonthDay(lang, ToJst(e.at_utc - 1).date)},
      {"last_year", FormatThousands(last_year_l)},
      {"percent", std::to_string(last_year_l > 0 ? (e.volume_l - last_year_l) * 100 / last_year_l : 0)},
      {"contract_lines", ContractLines(lang, contract)}};
  return Compose(app, lang, std::string("alert_") + AlertKindName(e.kind), "watch_alert", to, to_name,
                 std::move(args), "", stop_url);
}

}  // namespace mizu::backend::watch
