#pragma once
// Internal to backend/src/watch: reading a watch back, the contract as recipients see it, and the "ended"
// notices the watches_farewell trigger leaves behind.
#include <cstdint>
#include <string>

#include "mizu/backend/accounts.hpp"
#include "mizu/backend/watch.hpp"
#include "watch_mail.hpp"

namespace mizu::backend::watch {

// The watch on contract c (active = false and empty lists when there is none). Caller holds the connection.
WatchView LoadWatch(Database& db, const ContractView& c);
// Display number and address of a customer number (address empty if the customer row is gone).
ContractInfo ContractInfoFor(Database& db, const Config& config, const std::string& customer_number);
// Inside the caller's transaction: every pending farewell notice becomes an "ended" mail; returns how many.
int DrainFarewells(Database& db, const App& app, int64_t now);

}  // namespace mizu::backend::watch
