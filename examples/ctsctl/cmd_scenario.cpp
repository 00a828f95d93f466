// ctsctl scenario FILE...: runs order/position scenario scripts (cts/order/scenario.hpp)
// and prints PASS <file> or FAIL <file>:<line>: <expected> / <happened> for each.
#include <string>

#include <fmt/format.h>

#include <cts/core/file.hpp>
#include <cts/order/scenario.hpp>

#include "ctsctl/args.hpp"
#include "ctsctl/command.hpp"

namespace {

// Largest scenario script read (the ones in tests/scenarios are a few KiB).
constexpr std::size_t kMaxScenarioBytes = 4 * 1024 * 1024;

int run(std::span<const std::string_view> args) {
  auto parsed = ctsctl::Args::parse(args, {}, {});
  if (!parsed) {
    fmt::print(stderr, "ctsctl scenario: {}\n", parsed.error().message);
    return 2;
  }
  const auto& files = parsed->positional();
  if (files.empty()) {
    fmt::print(stderr, "ctsctl scenario: no scenario file given; see ctsctl scenario --help\n");
    return 2;
  }
  bool all_passed = true;
  for (const std::string& file : files) {
    const cts::Result<std::string> text = cts::read_small_file(file, "scenario", kMaxScenarioBytes);
    if (!text) {
      fmt::print("FAIL {}:0: a readable scenario file / {}\n", file, text.error().to_string());
      all_passed = false;
      continue;
    }
    const cts::order::ScenarioResult result = cts::order::run_scenario(*text);
    fmt::print("{}\n", result.report(file));
    all_passed = all_passed && result.passed;
  }
  return all_passed ? 0 : 1;
}

const ctsctl::RegisterCommand registered{
    {"scenario", "run order/position scenario scripts",
     "usage: ctsctl scenario FILE...\n\n"
     "Runs each scenario script (one command per line: instrument, oms, order, event,\n"
     "expect; see docs/order.md) and prints `PASS <file>` or\n"
     "`FAIL <file>:<line>: <expected> / <happened>`. Exits 0 iff every file passes.\n"
     "A file that is not a regular file (a directory, FIFO or device) or is larger than\n"
     "4 MiB fails at line 0 without being read.\n",
     &run}};

}  // namespace
