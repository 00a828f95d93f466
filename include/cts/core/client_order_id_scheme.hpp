#pragma once
/// \file
/// Recognising the ids ClientOrderIdGenerator makes: how an engine tells its own
/// orders at a venue from anyone else's when its journal lost them.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cts/core/client_order_id.hpp"
#include "cts/core/clock.hpp"
#include "cts/core/venue_id.hpp"

namespace cts {

namespace detail {
/// The value of one base62 digit, or -1 for any other character.
constexpr int base62_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  if (c >= 'a' && c <= 'z') return c - 'a' + 36;
  return -1;
}
}  // namespace detail

/// True when `id` has the shape of an id that ClientOrderIdGenerator::next_for(`venue`)
/// makes for a generator with `prefix`, in any process and any run: the venue's
/// required prefix, `prefix`, 7 base62 digits of a creation time from 2020-01-01 to one
/// day after `now`, 4 of instance and 1..7 of a counter without leading zero. Ids made
/// by other software are not recognised unless they happen to have this shape, which a
/// distinctive prefix makes unlikely; engines sharing one account need distinct
/// prefixes.
inline bool is_generated_client_order_id(std::string_view id, VenueId venue, std::string_view prefix,
                                         SystemTime now) noexcept {
  constexpr std::size_t kStartDigits = 7;
  constexpr std::size_t kInstanceDigits = 4;
  constexpr std::size_t kMaxCounterDigits = 7;
  constexpr std::int64_t kDayMillis = 86'400'000;
  const std::string_view required = client_order_id_rules(venue).required_prefix;
  if (id.substr(0, required.size()) != required) return false;
  id.remove_prefix(required.size());
  if (id.substr(0, prefix.size()) != prefix) return false;
  id.remove_prefix(prefix.size());
  if (id.size() < kStartDigits + kInstanceDigits + 1 ||
      id.size() > kStartDigits + kInstanceDigits + kMaxCounterDigits) {
    return false;
  }
  std::uint64_t start = 0;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const int digit = detail::base62_digit(id[i]);
    if (digit < 0) return false;
    if (i < kStartDigits) start = start * 62 + static_cast<std::uint64_t>(digit);
  }
  if (id[kStartDigits + kInstanceDigits] == '0') return false;  // the counter starts at 1, no leading zero
  const std::int64_t latest = to_unix_millis(now) - detail::kIdEpochMillis + kDayMillis;
  return latest >= 0 && start <= static_cast<std::uint64_t>(latest);
}

}  // namespace cts
