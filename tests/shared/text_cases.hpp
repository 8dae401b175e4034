#pragma once
// Table-driven cases shared by the text tests (normalisers in test_text.cpp, field validators in
// test_text_fields.cpp).
#include <optional>
#include <string>
#include <string_view>

#include "mizu/errors.hpp"

namespace mizu::testing {

using mizu::ErrorCode;
namespace err = mizu::err;

struct TextCase {
  std::string_view input;
  std::string_view want;
};

struct ErrorCase {
  std::string_view input;
  std::optional<ErrorCode> want;
};

// "ok" or the error code, so failures print readably.
inline std::string Show(const std::optional<ErrorCode>& e) {
  return e ? std::string(*e) : std::string("ok");
}

inline std::string Show(const std::optional<std::string>& s) {
  return s ? "\"" + *s + "\"" : std::string("nullopt");
}

}  // namespace mizu::testing
