#pragma once
// JSON replies of the billing API → the structs of state_data.hpp.
#include <nlohmann/json.hpp>
#include <vector>

#include "ui/state_data.hpp"

namespace mizu::web {

std::vector<Bill> ParseBills(const nlohmann::json& reply);        // GET …/bills
std::vector<Payment> ParsePayments(const nlohmann::json& reply);  // GET …/payments
std::vector<Notice> ParseNotices(const nlohmann::json& reply);    // GET …/notices, GET /api/v1/notices

}  // namespace mizu::web
