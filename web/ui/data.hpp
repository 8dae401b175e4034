#pragma once
// JSON replies of the billing API → the structs of state_data.hpp.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mizu/i18n.hpp"
#include "ui/state_data.hpp"

namespace mizu::web {

std::vector<Bill> ParseBills(const nlohmann::json& reply);        // GET …/bills
std::vector<Payment> ParsePayments(const nlohmann::json& reply);  // GET …/payments
std::vector<Notice> ParseNotices(const nlohmann::json& reply);    // GET …/notices, GET /api/v1/notices

// GET …/usage?step=day|hour. By hour the day's 24 hours are returned (one per hour from `from`): hours the
// server did not report yet (after `until`) are pending. day_over: `until` reached the end of the range.
struct UsageReply {
  std::vector<UsagePoint> points;
  std::string from_date;  // the JST date of `from` ("2026-11-22")
  bool day_over = false;
};
UsageReply ParseUsage(const nlohmann::json& reply);

// Labels shared by the data screens.
std::string PeriodName(Lang lang, const std::string& reading_date);  // "2025年11月分" / "Nov 2025"
std::string Yen(Lang lang, int64_t yen);                             // "8,123円" / "8,123 yen"

}  // namespace mizu::web
