#pragma once
/// \file
/// Sans-I/O parsers of the Linux process statistics behind Prometheus' process_*
/// metrics: the line of /proc/<pid>/stat (proc(5): fields separated by spaces, the
/// command name in parentheses, which may itself hold spaces and parentheses) and the
/// `btime` line of /proc/stat (the boot time, seconds since the Unix epoch). The reader
/// of the files is process_metrics.hpp.

#include <cstdint>
#include <string>
#include <string_view>

#include "cts/core/detail/text.hpp"
#include "cts/core/result.hpp"

namespace cts::health {

/// The fields of /proc/<pid>/stat that the process metrics use, in the units the
/// kernel writes them.
struct ProcStat {
  std::uint64_t user_ticks = 0;      ///< utime (field 14): user-mode CPU time in clock ticks.
  std::uint64_t system_ticks = 0;    ///< stime (field 15): kernel-mode CPU time in clock ticks.
  std::uint64_t start_ticks = 0;     ///< starttime (field 22): start after boot in clock ticks.
  std::uint64_t virtual_bytes = 0;   ///< vsize (field 23): virtual memory size in bytes.
  std::uint64_t resident_pages = 0;  ///< rss (field 24): resident set size in pages.
};

/// Parses one /proc/<pid>/stat line. The command name is skipped up to the line's last
/// ')' (so a name such as "a) (b" does not shift the fields). Errors: invalid_argument
/// naming the field when the line has no command name, fewer than 24 fields, or a
/// field used here that is not a decimal number.
inline Result<ProcStat> parse_proc_stat(std::string_view line) {
  const std::size_t close = line.rfind(')');
  if (close == std::string_view::npos || line.find('(') > close) {
    return make_error(ErrorCode::invalid_argument, "proc stat: no command name in parentheses");
  }
  std::string_view rest = line.substr(close + 1);
  // Field 3 (state) is the first after the name: field n is token n - 3.
  constexpr int kFirstField = 3;
  constexpr int kLastField = 24;
  ProcStat out;
  for (int field = kFirstField; field <= kLastField; ++field) {
    rest = cts::detail::trim_spaces(rest, " \n");
    const std::size_t end = rest.find(' ');
    const std::string_view token = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
    if (token.empty()) {
      return make_error(ErrorCode::invalid_argument, "proc stat: the line ends before field " + std::to_string(field));
    }
    std::uint64_t* target = field == 14   ? &out.user_ticks
                            : field == 15 ? &out.system_ticks
                            : field == 22 ? &out.start_ticks
                            : field == 23 ? &out.virtual_bytes
                            : field == 24 ? &out.resident_pages
                                          : nullptr;
    if (target == nullptr) continue;
    const std::int64_t value = cts::detail::parse_digits(token);
    if (value < 0) {
      return make_error(ErrorCode::invalid_argument, "proc stat: field " + std::to_string(field) + " is not a number: '" +
                                                         std::string(token) + "'");
    }
    *target = static_cast<std::uint64_t>(value);
  }
  return out;
}

/// The boot time (seconds since the Unix epoch) from the text of /proc/stat: the value
/// of its line "btime <seconds>". Errors: invalid_argument when there is no such line
/// or its value is not a decimal number.
inline Result<std::int64_t> parse_boot_time(std::string_view proc_stat) {
  while (!proc_stat.empty()) {
    const std::size_t end = proc_stat.find('\n');
    const std::string_view line = proc_stat.substr(0, end);
    proc_stat = end == std::string_view::npos ? std::string_view{} : proc_stat.substr(end + 1);
    if (!line.starts_with("btime ")) continue;
    const std::int64_t seconds = cts::detail::parse_digits(cts::detail::trim_spaces(line.substr(6)));
    if (seconds < 0) return make_error(ErrorCode::invalid_argument, "proc stat: btime is not a number");
    return seconds;
  }
  return make_error(ErrorCode::invalid_argument, "proc stat: no btime line");
}

}  // namespace cts::health
