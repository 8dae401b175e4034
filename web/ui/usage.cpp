// ご利用実績: the selected contract's 12 billing periods as a bar chart (each beside the same period a year
// earlier) and a table; for a smart meter also the last 30 days and one day by hour, where a missing reading
// is shown as missing, never as zero. Not yet visible (403) shows the server's message with the exact time.
#include <iterator>

#include "imgui.h"
#include "mizu/time.hpp"
#include "platform/http_client.hpp"
#include "platform/runner.hpp"
#include "theme/theme.hpp"
#include "ui/api.hpp"
#include "ui/app.hpp"
#include "ui/chart.hpp"
#include "ui/data.hpp"
#include "ui/widgets.hpp"

namespace mizu::web {
namespace {

constexpr int kCompareBack = 6;  // bimonthly: the bill 6 periods back is the same period a year earlier

std::string BaseUrl(const std::string& cn) {
  return "/api/v1/contracts/" + cn;
}

void LoadBills(AppState& app, const std::string& cn) {
  Api(app, "GET", BaseUrl(cn) + "/bills", nullptr, [&app, cn](const ApiReply& r) {
    auto& s = app.s.usage;
    if (s.contract != cn) return;
    s.loaded = true;
    if (!r.ok()) return s.errors.Set(r.error);
    s.bills = ParseBills(r.json);
  });
}

void LoadDaily(AppState& app, const std::string& cn) {
  Api(app, "GET", BaseUrl(cn) + "/usage?step=day", nullptr, [&app, cn](const ApiReply& r) {
    auto& s = app.s.usage;
    if (s.contract != cn) return;
    if (!r.ok()) return s.errors.Set(r.error);
    s.daily = ParseUsage(r.json).points;
  });
}

// The day `date` by hour (empty: today, as the server's clock says).
void LoadHourly(AppState& app, const std::string& cn, const std::string& date) {
  std::string url = BaseUrl(cn) + "/usage?step=hour";
  if (auto d = ParseDate(date))
    url += "&from=" + FormatIsoUtc(FromJst(*d)) + "&to=" + FormatIsoUtc(FromJst(AddDays(*d, 1)));
  app.s.usage.hourly.clear();
  Api(app, "GET", url, nullptr, [&app, cn, date](const ApiReply& r) {
    auto& s = app.s.usage;
    if (s.contract != cn || s.hourly_date != date) return;  // another day was asked for meanwhile
    if (!r.ok()) return s.errors.Set(r.error);
    UsageReply u = ParseUsage(r.json);
    s.hourly = std::move(u.points);
    s.hourly_date = u.from_date;
    s.hourly_next = u.day_over;
  });
}

void LoadView(AppState& app) {
  auto& s = app.s.usage;
  s.selected = -1;
  if (s.view == UsageState::kDaily) LoadDaily(app, s.contract);
  if (s.view == UsageState::kHourly) LoadHourly(app, s.contract, s.hourly_date);
}

std::string BillValues(Lang lang, const Bill& b) {
  return Format(Tr(lang, "usage.bill_values"),
                {{"volume", FormatThousands(b.usage_m3)}, {"charge", Yen(lang, b.total)}});
}

ui::ChartOptions Options(Lang lang, const char* unit, const char* legend) {
  return {unit,
          std::string(Tr(lang, legend)),
          std::string(Tr(lang, "usage.legend.year_before")),
          std::string(Tr(lang, "usage.no_data")),
          std::string(Tr(lang, "usage.partial")),
          std::string(Tr(lang, "usage.hint")),
          180,
          true,
          {},   // summary: each chart's caller says it from its bars
          {}};  // table_heads: likewise
}

// The periods chart in one sentence (its text alternative): 「直近12回の平均は21 m³です。前年同期より2 m³多く
// なっています。」 Averages rounded half up to whole m³; the comparison over the periods that have a
// year-earlier value.
std::string PeriodsSummary(Lang lang, const std::vector<ui::ChartBar>& bars) {
  int64_t sum = 0, n = 0, now_sum = 0, before_sum = 0, pairs = 0;
  for (const auto& b : bars) {
    sum += b.value;
    ++n;
    if (b.compare) {
      now_sum += b.value;
      before_sum += *b.compare;
      ++pairs;
    }
  }
  if (n == 0) return "";
  auto avg = [](int64_t total, int64_t count) { return (total * 2 + count) / (count * 2); };
  std::string out =
      Format(Tr(lang, "usage.summary"), {{"n", std::to_string(n)}, {"avg", FormatThousands(avg(sum, n))}});
  if (pairs > 0) {
    int64_t diff = avg(now_sum, pairs) - avg(before_sum, pairs);
    const char* key = diff > 0   ? "usage.summary_more"
                      : diff < 0 ? "usage.summary_less"
                                 : "usage.summary_same";
    out += Format(Tr(lang, key), {{"diff", FormatThousands(diff < 0 ? -diff : diff)}});
  }
  return out;
}

void DrawPeriods(AppState& app, AppContext& ctx) {
  auto& s = app.s.usage;
  auto& reg = ctx.registry;
  Lang lang = app.lang;
  const auto& bills = s.bills;  // newest first
  if (bills.empty()) {
    if (s.loaded && !s.errors.Any()) ui::Text(reg, "usage.no_bills", Tr(lang, "usage.no_bills"), true);
    return;
  }
  std::vector<ui::ChartBar> bars;
  for (int i = static_cast<int>(bills.size()) - 1; i >= 0; --i) {
    const Bill& b = bills[i];
    auto d = ParseDate(b.reading_date);
    ui::ChartBar bar;
    bar.value = b.usage_m3;
    bar.label = d ? MonthName(lang, d->month) : b.reading_date;
    bar.group = d ? std::to_string(d->year) : "";
    bar.detail = PeriodName(lang, b.reading_date) + "（" + FormatDay(lang, b.period_start) + " – " +
                 FormatDay(lang, b.period_end) + "）\n" + BillValues(lang, b);
    if (i + kCompareBack < static_cast<int>(bills.size())) {
      const Bill& y = bills[i + kCompareBack];
      bar.compare = y.usage_m3;
      bar.detail +=
          "\n" + Format(Tr(lang, "usage.year_before_values"),
                        {{"period", PeriodName(lang, y.reading_date)}, {"values", BillValues(lang, y)}});
    }
    bars.push_back(std::move(bar));
  }
  ui::ChartOptions options = Options(lang, "m³", "usage.legend.volume");
  options.summary = PeriodsSummary(lang, bars);
  ui::BarChart(reg, "usage.chart", bars, options, s.selected);

  // The table, newest first.
  ImGui::Spacing();
  std::vector<ui::TableRow> rows;
  for (const Bill& b : bills) {
    std::string period = PeriodName(lang, b.reading_date);
    rows.push_back({{period, FormatThousands(b.usage_m3) + " m³", Yen(lang, b.total),
                     std::string(Tr(lang, "bill.status." + b.status))},
                    period,
                    std::to_string(b.usage_m3) + " m3; " + std::to_string(b.total) + " yen; " + b.status});
  }
  ui::Table(reg, "usage",
            {std::string(Tr(lang, "usage.col.period")), std::string(Tr(lang, "bill.usage")),
             std::string(Tr(lang, "usage.col.total")), std::string(Tr(lang, "bill.status"))},
            {1.3f, 1, 1, 1.2f}, rows);
}

void DrawDaily(AppState& app, AppContext& ctx) {
  auto& s = app.s.usage;
  Lang lang = app.lang;
  if (s.daily.empty()) return;
  std::vector<ui::ChartBar> bars;
  int64_t total = 0;
  for (const auto& p : s.daily) {
    auto d = ParseDate(p.key);
    ui::ChartBar bar;
    bar.label = d ? std::to_string(d->day) : p.key;
    bar.group = d ? MonthName(lang, d->month) : "";
    std::string day = d ? FormatDayWithWeekday(lang, *d) : p.key;
    if (!p.volume_l) {
      bar.state = ui::ChartBar::State::kMissing;
      bar.detail = day + "\n" + std::string(Tr(lang, "usage.no_data"));
    } else {
      bar.value = *p.volume_l;
      total += *p.volume_l;
      bar.detail = day + "\n" + FormatThousands(*p.volume_l) + " L";
      const bool today = d && *d == ToJst(NowUtcSeconds()).date;  // still being measured
      if (today) {
        bar.state = ui::ChartBar::State::kPartial;
        bar.detail += "  " + std::string(Tr(lang, "usage.today_so_far"));
      } else if (p.hours_present < p.hours_expected) {
        bar.state = ui::ChartBar::State::kPartial;
        bar.detail +=
            "  " + Format(Tr(lang, "usage.partial_hours"), {{"present", std::to_string(p.hours_present)},
                                                            {"expected", std::to_string(p.hours_expected)}});
      }
    }
    if (p.hours_anomaly > 0)
      bar.detail +=
          "\n" + Format(Tr(lang, "usage.anomaly_hours"), {{"count", std::to_string(p.hours_anomaly)}});
    bars.push_back(std::move(bar));
  }
  const std::string total_text = Format(Tr(lang, "usage.daily_total"), {{"volume", FormatThousands(total)}});
  ui::Text(ctx.registry, "usage.daily_total", total_text);
  ui::ChartOptions options = Options(lang, "L", "usage.legend.litres");
  options.summary = total_text;  // the chart's name says what is drawn above it; its table has every day
  options.table_heads = {std::string(Tr(lang, "usage.col.day")), std::string(Tr(lang, "usage.col.litres"))};
  ui::BarChart(ctx.registry, "usage.daily", bars, options, s.selected);
}

void DrawHourly(AppState& app, AppContext& ctx) {
  auto& s = app.s.usage;
  auto& reg = ctx.registry;
  Lang lang = app.lang;
  auto date = ParseDate(s.hourly_date);
  // ‹ 前の日 · the day · 次の日 ›
  if (date) {
    if (ui::SmallButton(reg, "usage.prev_day", Tr(lang, "usage.prev_day"))) {
      s.hourly_date = FormatDate(AddDays(*date, -1));
      LoadView(app);
    }
    ImGui::SameLine();
    if (ui::SmallButton(reg, "usage.next_day", Tr(lang, "usage.next_day"), s.hourly_next)) {
      s.hourly_date = FormatDate(AddDays(*date, 1));
      LoadView(app);
    }
    ui::Heading(reg, "usage.day", FormatDayWithWeekday(lang, *date));
  }
  if (s.hourly.empty()) return;
  std::vector<ui::ChartBar> bars;
  int64_t total = 0;
  int missing = 0;
  for (size_t h = 0; h < s.hourly.size(); ++h) {
    const auto& p = s.hourly[h];
    ui::ChartBar bar;
    bar.label = std::to_string(h);
    std::string when =
        Format(Tr(lang, "usage.hour_range"), {{"from", std::to_string(h)}, {"to", std::to_string(h + 1)}});
    if (p.pending) {
      bar.state = ui::ChartBar::State::kEmpty;
      bar.detail = when + "\n" + std::string(Tr(lang, "usage.pending"));
    } else if (!p.volume_l) {
      bar.state = ui::ChartBar::State::kMissing;
      bar.detail = when + "\n" + std::string(Tr(lang, p.hours_anomaly ? "usage.anomaly" : "usage.no_data"));
      ++missing;
    } else {
      bar.value = *p.volume_l;
      total += *p.volume_l;
      bar.detail = when + "\n" + FormatThousands(*p.volume_l) + " L";
    }
    bars.push_back(std::move(bar));
  }
  std::string sum = Format(Tr(lang, "usage.day_total"), {{"volume", FormatThousands(total)}});
  if (missing) sum += Format(Tr(lang, "usage.missing_hours"), {{"count", std::to_string(missing)}});
  ui::Text(reg, "usage.day_total", sum);
  ui::ChartOptions options = Options(lang, "L", "usage.legend.litres");
  options.summary = sum;
  options.table_heads = {std::string(Tr(lang, "usage.col.hour")), std::string(Tr(lang, "usage.col.litres"))};
  options.labels_from_end = false;  // 0, 2, 4 … o'clock
  ui::BarChart(reg, "usage.hourly", bars, options, s.selected);
}

}  // namespace

void EnterUsage(AppState& app) {
  auto& s = app.s.usage;
  const Contract* c = app.account.Selected();
  if (!c) return;
  if (s.contract != c->customer_number) {
    UsageState::View view = s.view;
    s = {};
    s.contract = c->customer_number;
    s.view = view;
  }
  if (!c->smart_meter) s.view = UsageState::kPeriods;
  s.errors.Clear();
  LoadBills(app, s.contract);
  if (app.screen == Screen::kUsage) LoadView(app);  // 料金のお支払い uses the bills only
}

void DrawUsage(AppState& app, AppContext& ctx) {
  auto& s = app.s.usage;
  auto& reg = ctx.registry;
  Lang lang = app.lang;
  ui::Heading(reg, "usage.title", Tr(lang, "menu.usage"));
  if (ContractPicker(app, ctx)) return Reload(app);
  ui::ErrorText(reg, "usage.error", s.errors.Notice(lang));
  const Contract* c = app.account.Selected();
  if (!c) return ui::Text(reg, "usage.no_contract", Tr(lang, "top.no_contracts"), true);
  if (c->smart_meter) {
    struct Choice {
      const char* id;
      const char* key;
      UsageState::View view;
    };
    static constexpr Choice kViews[] = {{"usage.view.periods", "usage.view.periods", UsageState::kPeriods},
                                        {"usage.view.daily", "usage.view.daily", UsageState::kDaily},
                                        {"usage.view.hourly", "usage.view.hourly", UsageState::kHourly}};
    float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
    for (size_t i = 0; i < std::size(kViews); ++i) {
      // On one line while they fit (a 360 px phone wraps the last one).
      float w = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x +
                ImGui::CalcTextSize(Tr(lang, kViews[i].key).data()).x;
      if (i > 0 && ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + w <= right)
        ImGui::SameLine();
      if (ui::Radio(reg, kViews[i].id, Tr(lang, kViews[i].key), s.view == kViews[i].view) &&
          s.view != kViews[i].view) {
        s.view = kViews[i].view;
        s.errors.Clear();
        LoadView(app);
      }
    }
  }
  ImGui::Spacing();
  switch (s.view) {
    case UsageState::kPeriods:
      DrawPeriods(app, ctx);
      break;
    case UsageState::kDaily:
      DrawDaily(app, ctx);
      break;
    case UsageState::kHourly:
      DrawHourly(app, ctx);
      break;
  }
}

}  // namespace mizu::web
