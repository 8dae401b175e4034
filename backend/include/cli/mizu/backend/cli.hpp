#pragma once
// The `mizumori` command line (docs/operations.md). Returns the process exit code:
// 0 ok, 1 runtime failure, 2 usage error.
#include <string>
#include <vector>

namespace mizu::backend {

int RunCli(const std::vector<std::string>& args);

}  // namespace mizu::backend
