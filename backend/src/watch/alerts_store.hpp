#pragma once
// Internal to backend/src/watch: the watch's alert choices as stored (watch_alerts.settings, JSON) and read
// back; shared by the settings service (alerts_settings.cpp) and the hourly pass (alerts_evaluate.cpp).
#include <string>

#include "mizu/alerts.hpp"

namespace mizu::backend::watch {

std::string AlertSettingsJson(const AlertSettings& s);
// Unknown or malformed members keep their defaults (the row was written by AlertSettingsJson).
AlertSettings ParseAlertSettings(const std::string& text);
// Any kind turned on.
bool AnyAlert(const AlertSettings& s);

}  // namespace mizu::backend::watch
