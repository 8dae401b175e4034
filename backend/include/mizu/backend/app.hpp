#pragma once
// Everything a request handler or a command needs, built once from the Config: the clock, the database, the
// utility's tariff. Handlers receive it by reference (no globals).
#include <memory>
#include <mutex>
#include <string>

#include "mizu/backend/clock.hpp"
#include "mizu/backend/config.hpp"
#include "mizu/backend/db.hpp"
#include "mizu/billing.hpp"

namespace mizu::backend {

struct App {
  Config config;
  Clock clock;
  std::mutex db_mutex;  // guards db
  std::unique_ptr<Database> db;
  Tariff tariff;
};

// Where the shipped assets (default tariff) are: $MIZU_ASSETS_DIR, else the source tree's assets/.
std::string AssetsDir();
// Reads and validates the tariff file; throws std::runtime_error naming the file on failure.
Tariff LoadTariffFile(const std::string& path);
// Creates the data folder (and mail/, sms/), opens and migrates the database, loads the tariff.
std::unique_ptr<App> OpenApp(const Config& config);

}  // namespace mizu::backend
