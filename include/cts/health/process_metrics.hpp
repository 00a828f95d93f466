#pragma once
/// \file
/// The process_* metrics Prometheus' client libraries expose (CPU time, resident and
/// virtual memory, open and allowed file descriptors, start time), read from Linux's
/// /proc/self and getrlimit at each scrape, and their metric families for an
/// exposition. The parsers are process_stat.hpp.

#include <vector>

#include "cts/core/result.hpp"
#include "cts/health/metrics_registry.hpp"

namespace cts::health {

/// The process figures at one moment, in Prometheus' units.
struct ProcessSample {
  double cpu_seconds = 0;             ///< User plus system CPU time, seconds.
  double resident_memory_bytes = 0;   ///< Resident set size, bytes.
  double virtual_memory_bytes = 0;    ///< Virtual memory size, bytes.
  double open_fds = 0;                ///< Open file descriptors.
  double max_fds = 0;                 ///< The soft limit on file descriptors (RLIMIT_NOFILE).
  double start_time_seconds = 0;      ///< When the process started, seconds since the Unix epoch.
};

/// Reads this process's figures from /proc/self/stat, /proc/stat (the boot time),
/// /proc/self/fd and getrlimit(RLIMIT_NOFILE). Errors: invalid_argument naming the file
/// that could not be read or parsed (a system without /proc).
Result<ProcessSample> read_process_sample();

/// The families process_cpu_seconds_total (counter), process_resident_memory_bytes,
/// process_virtual_memory_bytes, process_open_fds, process_max_fds and
/// process_start_time_seconds (gauges) of `sample`, without labels, for text_004().
std::vector<FamilySnapshot> process_families(const ProcessSample& sample);

}  // namespace cts::health
