#include "cts/health/process_metrics.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

#include "cts/core/file.hpp"
#include "cts/health/process_stat.hpp"

namespace cts::health {

namespace {

/// /proc/stat holds a line per CPU: generous for large machines.
constexpr std::size_t kMaxProcStatBytes = 1 << 20;

Result<double> count_open_fds() {
  std::error_code error;
  std::filesystem::directory_iterator entries("/proc/self/fd", error);
  if (error) return make_error(ErrorCode::invalid_argument, "/proc/self/fd: " + error.message());
  double count = 0;
  for (; entries != std::filesystem::directory_iterator(); entries.increment(error)) {
    if (error) return make_error(ErrorCode::invalid_argument, "/proc/self/fd: " + error.message());
    ++count;
  }
  return count;
}

FamilySnapshot one_value(std::string name, std::string help, MetricType type, double value) {
  FamilySnapshot family{std::move(name), std::move(help), "", type, {}};
  family.children.push_back(ChildSnapshot{LabelSet{}, value, {}});
  return family;
}

}  // namespace

Result<ProcessSample> read_process_sample() {
  Result<std::string> stat_text = read_small_file("/proc/self/stat", "process statistics");
  if (!stat_text) return stat_text.error();
  Result<ProcStat> stat = parse_proc_stat(*stat_text);
  if (!stat) return stat.error();
  Result<std::string> system_text = read_small_file("/proc/stat", "system statistics", kMaxProcStatBytes);
  if (!system_text) return system_text.error();
  Result<std::int64_t> boot_time = parse_boot_time(*system_text);
  if (!boot_time) return boot_time.error();
  Result<double> open_fds = count_open_fds();
  if (!open_fds) return open_fds.error();
  const auto ticks_per_second = static_cast<double>(::sysconf(_SC_CLK_TCK));
  const auto page_bytes = static_cast<double>(::sysconf(_SC_PAGESIZE));
  ProcessSample out;
  out.cpu_seconds = static_cast<double>(stat->user_ticks + stat->system_ticks) / ticks_per_second;
  out.resident_memory_bytes = static_cast<double>(stat->resident_pages) * page_bytes;
  out.virtual_memory_bytes = static_cast<double>(stat->virtual_bytes);
  out.open_fds = *open_fds;
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) out.max_fds = static_cast<double>(limit.rlim_cur);
  out.start_time_seconds = static_cast<double>(*boot_time) + static_cast<double>(stat->start_ticks) / ticks_per_second;
  return out;
}

std::vector<FamilySnapshot> process_families(const ProcessSample& sample) {
  std::vector<FamilySnapshot> out;
  out.push_back(one_value("process_cpu_seconds", "CPU time the process spent in user and kernel mode, seconds",
                          MetricType::counter, sample.cpu_seconds));
  out.push_back(one_value("process_resident_memory_bytes", "Memory of the process resident in RAM, bytes", MetricType::gauge,
                          sample.resident_memory_bytes));
  out.push_back(one_value("process_virtual_memory_bytes", "Virtual address space of the process, bytes", MetricType::gauge,
                          sample.virtual_memory_bytes));
  out.push_back(one_value("process_open_fds", "File descriptors the process has open", MetricType::gauge, sample.open_fds));
  out.push_back(
      one_value("process_max_fds", "Most file descriptors the process may open (soft RLIMIT_NOFILE)", MetricType::gauge, sample.max_fds));
  out.push_back(one_value("process_start_time_seconds", "When the process started, seconds since the Unix epoch",
                          MetricType::gauge, sample.start_time_seconds));
  return out;
}

}  // namespace cts::health
