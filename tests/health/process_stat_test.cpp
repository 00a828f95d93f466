// Tests for the parsers behind the process_* metrics and for the reader on this
// process. The sample line follows the field layout of proc(5) ("/proc/pid/stat":
// utime is field 14, stime 15, starttime 22, vsize 23, rss 24); its expected values
// were read off it with Python (line[line.rindex(')')+1:].split()[n - 3]).
#include <cts/health/exposition.hpp>
#include <cts/health/process_metrics.hpp>
#include <cts/health/process_stat.hpp>

#include <doctest/doctest.h>

#include <sys/resource.h>

#include <string>

using namespace cts;
using namespace cts::health;

namespace {
// A command name with a space and parentheses, as a process may name itself.
constexpr std::string_view kSampleLine =
    "4242 (cts ) (run) S 1 4242 4242 0 -1 4194560 1523 0 3 0 250 50 0 0 20 0 7 0 123456 104857600 2560 "
    "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
}  // namespace

TEST_CASE("parse_proc_stat reads utime, stime, starttime, vsize and rss past a name holding ') ('") {
  const Result<ProcStat> stat = parse_proc_stat(kSampleLine);
  REQUIRE(stat);
  CHECK(stat->user_ticks == 250);
  CHECK(stat->system_ticks == 50);
  CHECK(stat->start_ticks == 123456);
  CHECK(stat->virtual_bytes == 104857600);
  CHECK(stat->resident_pages == 2560);
}

TEST_CASE("parse_proc_stat refuses a line without a name, a short line and a field that is not a number") {
  CHECK(parse_proc_stat("4242 S 1 2 3").error().message == "proc stat: no command name in parentheses");
  CHECK(parse_proc_stat("4242 (x) S 1 2 3").error().message == "proc stat: the line ends before field 7");
  const std::string bad = "4242 (x) S 1 4242 4242 0 -1 4194560 1523 0 3 0 25x 50 0 0 20 0 7 0 123456 1 2";
  CHECK(parse_proc_stat(bad).error().message == "proc stat: field 14 is not a number: '25x'");
}

TEST_CASE("parse_boot_time finds the btime line of /proc/stat") {
  CHECK(parse_boot_time("cpu  1 2 3\nintr 5\nbtime 1796556767\nprocesses 9\n").value() == 1796556767);
  CHECK_FALSE(parse_boot_time("cpu  1 2 3\n"));
  CHECK_FALSE(parse_boot_time("btime soon\n"));
}

TEST_CASE("read_process_sample reads this process: memory, descriptors within the limit, a start in the past") {
  const Result<ProcessSample> sample = read_process_sample();
  REQUIRE(sample);
  CHECK(sample->resident_memory_bytes > 0);
  CHECK(sample->virtual_memory_bytes >= sample->resident_memory_bytes);
  rlimit limit{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &limit) == 0);
  CHECK(sample->max_fds == static_cast<double>(limit.rlim_cur));
  CHECK(sample->open_fds >= 3);  // stdin, stdout, stderr
  CHECK(sample->open_fds <= sample->max_fds);
  const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  CHECK(sample->start_time_seconds <= now + 1);
  CHECK(sample->start_time_seconds > now - 24 * 3600.0 * 365);
}

TEST_CASE("process_families: the CPU time is a counter named _total, the others gauges") {
  ProcessSample sample;
  sample.cpu_seconds = 1.5;
  sample.resident_memory_bytes = 1048576;
  const std::string text = text_004(process_families(sample));
  CHECK(text.find("# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 1.5\n") != std::string::npos);
  CHECK(text.find("# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes 1.048576e+06\n") !=
        std::string::npos);
  for (const char* family : {"process_virtual_memory_bytes", "process_open_fds", "process_max_fds",
                             "process_start_time_seconds"}) {
    CHECK(text.find(std::string("# TYPE ") + family + " gauge\n") != std::string::npos);
  }
}
