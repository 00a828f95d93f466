// Fuzz target "scenario": scenario scripts (cts/order/scenario.hpp) run against a fresh
// Account: the script parser and, behind it, the order state machine, the tracker and
// the position book. The scripts in tests/scenarios are seeds. Properties:
// run_scenario() never throws (bad scripts fail at their line) and a failure names a
// line of the script.
#include <algorithm>
#include <string_view>

#include "cts/order/scenario.hpp"
#include "fuzz_target.hpp"

CTS_FUZZ_TARGET(scenario) {
  using cts::fuzz::require;
  const cts::order::ScenarioResult result = cts::order::run_scenario(input);
  if (result.passed) return;
  const auto lines = static_cast<std::size_t>(std::count(input.begin(), input.end(), '\n')) + 1;
  require(result.line >= 1 && result.line <= lines, "a failing script fails at one of its lines");
}
