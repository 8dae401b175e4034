#pragma once
// Scratch folders for the tests under the system temp dir. FreshDir makes one; TempDir owns one and removes
// it when the test or fixture holding it ends, also when a failed REQUIRE ends it early (by an exception), so
// test runs leave nothing behind in /tmp.
#include <atomic>
#include <filesystem>
#include <random>
#include <string>
#include <system_error>

namespace mizu::testing {

// A new empty folder <temp>/<prefix>-<random>-<n>, left for the caller to remove: hold a TempDir instead.
inline std::filesystem::path FreshDir(const std::string& prefix) {
  static std::atomic<int> counter{0};
  std::random_device rd;
  auto dir = std::filesystem::temp_directory_path() /
             (prefix + "-" + std::to_string(rd()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// A FreshDir removed with everything in it on destruction. Declare it before whatever writes into it (an
// SMTP server, a server, an open database): those are destroyed first, in reverse order of declaration.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix) : path_(FreshDir(prefix)) {}
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;  // a destructor must not throw: what cannot be removed stays
    std::filesystem::remove_all(path_, ec);
  }

  const std::filesystem::path& Path() const { return path_; }
  std::filesystem::path operator/(const std::filesystem::path& part) const { return path_ / part; }

 private:
  std::filesystem::path path_;
};

}  // namespace mizu::testing
