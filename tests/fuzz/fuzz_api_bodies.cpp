// Fuzz target: the JSON request bodies as the routes read them (shared/api.hpp): parse without exceptions,
// the object check, then ParseLoginRequest / ParseWatchSettingsBody (+ the watch domain rules) /
// ParseErrorBody / the calendar reply. Parsers are documented never to throw on bad input, so any exception
// is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "mizu/api.hpp"
#include "mizu/watch.hpp"

using namespace mizu;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return 0;  // the routes answer 400 invalid_json

  api::LoginRequest login;
  (void)api::ParseLoginRequest(j, login);

  api::WatchSettingsBody watch;
  if (api::ParseWatchSettingsBody(j, watch).empty()) {
    WatchSettings settings;
    if (ValidateStartHours(watch.start_hours, settings).empty()) {
      for (int h : NormalizeStartHours(watch.start_hours))
        if (h < 0 || h > 23) abort();
    }
    if (ValidateRecipients(watch.recipients, settings).empty()) (void)NormalizeRecipients(watch.recipients);
    nlohmann::json back = watch;
    (void)back.dump();
  }

  api::ErrorBody error;
  if (api::ParseErrorBody(j, error)) {
    nlohmann::json back = error;
    api::ErrorBody again;
    if (!api::ParseErrorBody(back, again) || !(again == error)) abort();
  }

  // A reply the web app reads (from_json may throw nlohmann's type errors: the web app catches those).
  try {
    api::CalendarResponse calendar = j.get<api::CalendarResponse>();
    (void)calendar;
  } catch (const nlohmann::json::exception&) {
  }
  return 0;
}
