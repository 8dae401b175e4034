#pragma once
// `mizumori demo-data`: a believable small utility for the demo and for manual testing — a customer master of
// households in 水守市 (some with smart meters) and demo resident logins. Idempotent: running it again keeps
// existing rows and logins.
#include <string>
#include <vector>

#include "mizu/backend/app.hpp"

namespace mizu::backend {

struct DemoLogin {
  std::string email;
  std::string password;
  std::string customer_number;  // the primary contract (the login's own)
  std::string note;
  std::string family_contract;  // a parent's contract the login also holds; empty: none
};

// Fills the app's database; returns the demo logins (with their passwords — demo only).
std::vector<DemoLogin> FillDemoData(App& app, int64_t now);

}  // namespace mizu::backend
