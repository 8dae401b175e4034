#pragma once
// Internal to backend/src/watch: the watch's mail texts (from the i18n catalog) and the JST formatting they
// use (built from mizu/format.hpp). Every report and "added" mail carries the service disclaimer and that
// recipient's stop link.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mizu/alerts.hpp"
#include "mizu/backend/accounts.hpp"
#include "mizu/backend/app.hpp"
#include "mizu/backend/mail.hpp"
#include "mizu/backend/watch.hpp"
#include "mizu/i18n.hpp"
#include "mizu/watch.hpp"

namespace mizu::backend::watch {

// The contract as a recipient sees it.
struct ContractInfo {
  std::string customer_number;
  std::string display_number;  // 0-0000008002
  std::string address;
};

// The contract as the watch's mails name it.
ContractInfo InfoOf(const ContractView& c);
// The caller's linked contract (404 contract_not_found otherwise); a smart meter is required (409
// watch_no_smart_meter) unless `allow_without_meter`.
ContractView RequireWatchableContract(App& app, int64_t account_id, const std::string& input,
                                      bool allow_without_meter);
// ValidateStartHours + ValidateRecipients: ServiceError 400 with every field error (PUT and the preview).
void CheckWatchUpdate(const WatchSettings& settings, const WatchUpdate& update);

// 「11月22日 6:00〜12:00」, 「11月22日 22:00〜11月23日 4:00」, 「11月22日 18:00〜24:00」;
// "Nov 22, 06:00–12:00 JST", "Nov 22, 22:00 – Nov 23, 04:00 JST".
std::string FormatWindow(Lang lang, const WindowId& id, const WatchSettings& settings);
// (The daily window of a start hour, 「18:00〜24:00」, is shared: FormatDailyWindow in mizu/watch.hpp.)
// The hours not measured (by their end instants), merged into ranges: 「8:00〜9:00、10:00〜12:00」.
std::string FormatMissingHours(Lang lang, const std::vector<int64_t>& interval_ends_utc);

// What a report mail says; `late_due` set when it is sent late (the instant it was due).
struct ReportFacts {
  ContractInfo contract;
  WindowId window;
  WindowEvaluation evaluation;
  int64_t as_of = 0;  // the instant the evaluation knew the readings of
  std::optional<int64_t> late_due;
};

// The report about one window: used / not_used / no_data / partial (never "no water used" without data).
OutgoingMail ReportMail(const App& app, Lang lang, const ReportFacts& facts, const std::string& to,
                        const std::string& to_name, const std::string& stop_url);
// "You were added": who set it up, for which contract, the windows, what the mails say.
OutgoingMail AddedMail(const App& app, Lang lang, const ContractInfo& contract, const std::string& setter,
                       const std::vector<int>& start_hours, const std::string& to, const std::string& to_name,
                       const std::string& stop_url);
// "No more mails about this contract" (removed, cancelled, unlinked).
OutgoingMail EndedMail(const App& app, Lang lang, const ContractInfo& contract, const std::string& to,
                       const std::string& to_name);
// An alert (mizu/alerts.hpp) to one of its recipients; `last_year_l` is the compared week's litres (high
// use).
OutgoingMail AlertMail(const App& app, Lang lang, const ContractInfo& contract, const AlertEvent& e,
                       const AlertSettings& settings, int64_t last_year_l, const std::string& to,
                       const std::string& to_name, const std::string& stop_url);
// To the account holding the contract: a recipient used the stop link.
OutgoingMail StoppedMail(const App& app, Lang lang, const ContractInfo& contract,
                         const std::string& stopped_email, const std::string& to);

}  // namespace mizu::backend::watch
