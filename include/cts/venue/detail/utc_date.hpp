#pragma once
/// \file
/// Internal: the "YYMMDD" of a UTC time in milliseconds, the expiry notation of dated
/// futures in unified symbols (every venue module that lists futures uses it).

#include <cstdint>
#include <string>

#include <fmt/format.h>

namespace cts::venue::detail {

/// "YYMMDD" of the UTC day containing `ms` since the Unix epoch (civil-from-days).
inline std::string utc_yymmdd(std::int64_t ms) {
  std::int64_t days = ms / 86'400'000;
  if (ms % 86'400'000 < 0) --days;
  const std::int64_t z = days + 719'468;
  const std::int64_t era = (z >= 0 ? z : z - 146'096) / 146'097;
  const std::int64_t doe = z - era * 146'097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return fmt::format("{:02}{:02}{:02}", year % 100, month, day);
}

}  // namespace cts::venue::detail
