// ctsctl scenario FILE...: runs order/position scenario scripts (cts/order/scenario.hpp)
// and prints PASS <file> or FAIL <file>:<line>: <expected> / <happened> for each.
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include <cts/order/scenario.hpp>

#include "ctsctl/args.hpp"
#include "ctsctl/command.hpp"

namespace {

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
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      fmt::print("FAIL {}:0: a readable file / cannot open it\n", file);
      all_passed = false;
      continue;
    }
    std::stringstream text;
    text << in.rdbuf();
    const cts::order::ScenarioResult result = cts::order::run_scenario(text.str());
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
     "`FAIL <file>:<line>: <expected> / <happened>`. Exits 0 iff every file passes.\n",
     &run}};

}  // namespace
