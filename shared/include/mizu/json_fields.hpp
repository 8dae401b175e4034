// Reading members of JSON that came from outside (a request body, a server reply, a fuzzer): one rule for the
// whole tree. nlohmann's `j.value(key, fallback)` returns the fallback only when the key is missing; a member
// of the wrong type ({"code": {...}} where a string is expected) throws type_error, which a route turns into
// a 500 and the web app into a lost reply. FieldOr returns the fallback for a missing member *and* for one of
// the wrong type, and never throws.
//
// Rule (scripts/check-layers): shared/, backend/ and web/ read outside JSON with FieldOr, never with nlohmann
// value().
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <vector>

namespace mizu {
namespace json_fields_detail {

template <typename T>
bool Holds(const nlohmann::json& v) {
  if constexpr (std::is_same_v<T, bool>) {
    return v.is_boolean();
  } else if constexpr (std::is_integral_v<T>) {
    // An integer in T's range: 1e3 or 1.5 is not an integer, 2^40 is not an int.
    if (v.is_number_unsigned())
      return v.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<T>::max());
    if (!v.is_number_integer()) return false;
    int64_t x = v.get<int64_t>();
    return x >= static_cast<int64_t>(std::numeric_limits<T>::min()) &&
           (x < 0 || static_cast<uint64_t>(x) <= static_cast<uint64_t>(std::numeric_limits<T>::max()));
  } else if constexpr (std::is_floating_point_v<T>) {
    return v.is_number();
  } else if constexpr (std::is_same_v<T, std::string>) {
    return v.is_string();
  } else if constexpr (std::is_same_v<T, nlohmann::json>) {
    return true;
  } else {
    // std::vector<E>: an array whose every element is an E.
    if (!v.is_array()) return false;
    for (const auto& e : v)
      if (!Holds<typename T::value_type>(e)) return false;
    return true;
  }
}

}  // namespace json_fields_detail

// The member `key` of `j` as a T, or `fallback` when `j` is not an object, has no such member, or the member
// is not a T (strings, booleans, integers in T's range, numbers, vectors of those, or any json). Never
// throws.
template <typename T>
T FieldOr(const nlohmann::json& j, const char* key, T fallback) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  if (it == j.end() || !json_fields_detail::Holds<T>(*it)) return fallback;
  return it->template get<T>();
}

inline std::string FieldOr(const nlohmann::json& j, const char* key, const char* fallback) {
  return FieldOr<std::string>(j, key, std::string(fallback));
}

// The member `key` when it is an array (else an empty array), for range-for over lists in replies.
inline const nlohmann::json& ArrayField(const nlohmann::json& j, const char* key) {
  static const nlohmann::json empty = nlohmann::json::array();
  if (!j.is_object()) return empty;
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : empty;
}

// The member `key` when it is an object (else an empty object).
inline const nlohmann::json& ObjectField(const nlohmann::json& j, const char* key) {
  static const nlohmann::json empty = nlohmann::json::object();
  if (!j.is_object()) return empty;
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : empty;
}

}  // namespace mizu
