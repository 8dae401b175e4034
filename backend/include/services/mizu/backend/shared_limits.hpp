#pragma once
// The limiters' shared state in the database (auth.hpp SharedLimitStore): used when several servers share a
// PostgreSQL database (OpenApp), so that a limit counts every server's events.
#include <cstdint>
#include <mutex>
#include <string>

#include "mizu/backend/auth.hpp"
#include "mizu/backend/clock.hpp"
#include "mizu/backend/db.hpp"

namespace mizu::backend {

class DbLimitStore final : public SharedLimitStore {
 public:
  // Its own connection to database_url; `clock` dates the clean-up of expired rows.
  DbLimitStore(const std::string& database_url, const Clock& clock);
  void Update(std::string_view bucket, const std::vector<std::string>& keys, int64_t expires_at,
              const std::function<void(std::vector<std::string>&)>& fn) override;

 private:
  std::mutex mutex_;  // one connection, one update at a time in this process
  Database db_;
  const Clock& clock_;
  uint64_t updates_ = 0;
};

}  // namespace mizu::backend
