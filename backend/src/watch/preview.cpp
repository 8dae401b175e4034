// The watch's mail preview (issue 12: "the watch flow never shows what the recipient will get"): the three
// report mails a recipient can get, composed by ReportMail itself so the preview cannot drift from the mails.
#include "mizu/backend/watch.hpp"
#include "mizu/time.hpp"
#include "watch_mail.hpp"

namespace mizu::backend {

std::vector<WatchMailPreview> PreviewWatchMails(App& app, int64_t account_id,
                                                const std::string& customer_number_input,
                                                const WatchUpdate& update, int64_t now) {
  const ContractView c = watch::RequireWatchableContract(app, account_id, customer_number_input, false);
  const WatchSettings& settings = app.config.watch;
  watch::CheckWatchUpdate(settings, update);
  const int start_hour = NormalizeStartHours(update.start_hours).front();
  const WatchRecipient to = NormalizeRecipients(update.recipients).front();

  // The next window of the first start hour whose mail is still to come.
  WindowId window{ToJst(now).date, start_hour};
  if (WindowDueUtc(window, settings) <= now) window.date = AddDays(window.date, 1);
  const int64_t start = WindowStartUtc(window);

  watch::ReportFacts facts;
  facts.contract = watch::InfoOf(c);
  facts.window = window;
  facts.as_of = WindowDueUtc(window, settings);
  WindowEvaluation& ev = facts.evaluation;
  ev.hours_expected = settings.window_hours;
  const std::string stop_url(Tr(update.lang, "watch.preview.stop_url"));

  std::vector<WatchMailPreview> out;
  auto add = [&](const char* outcome) {
    OutgoingMail m = watch::ReportMail(app, update.lang, facts, to.email, to.name, stop_url);
    out.push_back({outcome, m.subject, m.body_text});
  };
  ev.outcome = WatchOutcome::kUsed;
  ev.hours_present = settings.window_hours;
  ev.volume_l = kPreviewVolumeL;
  add("used");
  ev.outcome = WatchOutcome::kNotUsed;
  ev.volume_l = 0;
  add("not_used");
  ev.outcome = WatchOutcome::kNoData;
  ev.hours_present = 0;
  for (int k = 1; k <= settings.window_hours; ++k) ev.missing_interval_ends_utc.push_back(start + k * 3600);
  add("no_data");
  return out;
}

}  // namespace mizu::backend
