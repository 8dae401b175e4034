#include "mizu/backend/app.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mizu::backend {

std::string AssetsDir() {
  if (const char* env = std::getenv("MIZU_ASSETS_DIR"); env && *env) return env;
  return MIZU_SOURCE_ASSETS_DIR;
}

Tariff LoadTariffFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read tariff file " + path);
  std::stringstream text;
  text << in.rdbuf();
  try {
    return ParseTariffText(text.str());
  } catch (const std::exception& e) {
    throw std::runtime_error("tariff file " + path + ": " + e.what());
  }
}

std::unique_ptr<App> OpenApp(const Config& config) {
  namespace fs = std::filesystem;
  auto app = std::make_unique<App>();
  app->config = config;
  fs::create_directories(config.data_dir);
  fs::create_directories(fs::path(config.data_dir) / "mail");
  fs::create_directories(fs::path(config.data_dir) / "sms");
  app->db = std::make_unique<Database>((fs::path(config.data_dir) / "mizumori.db").string());
  std::string tariff = config.utility.tariff_file.empty() ? AssetsDir() + "/tariffs/default.json"
                                                          : config.utility.tariff_file;
  app->tariff = LoadTariffFile(tariff);
  return app;
}

}  // namespace mizu::backend
