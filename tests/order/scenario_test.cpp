// Tests for cts/order/scenario.hpp: every script in tests/scenarios passes, and broken
// scripts fail at the right line with the expected / happened text.
#include <cts/order/scenario.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace cts::order;

namespace {

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

constexpr std::string_view kHeader =
    "instrument BTC/USDT spot tick=0.01 step=0.001\n"
    "order o BTC/USDT buy limit 2 @ 100\n"
    "event o submitted\n";

}  // namespace

TEST_CASE("every scenario in tests/scenarios passes") {
  const std::filesystem::path dir = std::filesystem::path(CTS_TEST_DATA_DIR) / "scenarios";
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".scn") continue;
    ++count;
    const ScenarioResult result = run_scenario(read(entry.path()));
    CHECK_MESSAGE(result.passed, result.report(entry.path().filename().string()));
  }
  CHECK(count >= 10);
}

TEST_CASE("a failed expectation names the line, what was expected and what happened") {
  const ScenarioResult r = run_scenario(read(std::filesystem::path(CTS_TEST_DATA_DIR) / "order/data/failing.scn"));
  CHECK_FALSE(r.passed);
  CHECK(r.line == 7);
  CHECK(r.report("f.scn") == "FAIL f.scn:7: status=FILLED / status=PARTIALLY_FILLED");
  CHECK(ScenarioResult{true, 0, {}, {}}.report("ok.scn") == "PASS ok.scn");
}

TEST_CASE("unknown commands, keys, events and error codes fail at their line") {
  auto line_of = [](std::string_view script) { return run_scenario(script).line; };
  CHECK(line_of(std::string(kHeader) + "explode o\n") == 4);
  CHECK(line_of(std::string(kHeader) + "event o accepted colour=red\n") == 4);
  CHECK(line_of(std::string(kHeader) + "event o accepted trade=1\n") == 4);  // a fill key on another event
  CHECK(line_of(std::string(kHeader) + "event o exploded\n") == 4);
  CHECK(line_of(std::string(kHeader) + "event o accepted => error:no_such_code\n") == 4);
  CHECK(line_of(std::string(kHeader) + "expect o colour=red\n") == 4);
  CHECK(line_of(std::string(kHeader) + "expect position BTC/USDT weight=1\n") == 4);
  CHECK(line_of(std::string(kHeader) + "event o fill trade=1 qty=abc price=1\n") == 4);
  CHECK(line_of("instrument BTC/USDT linear tick=1 step=1\n") == 1);  // linear needs a settle asset
  CHECK(line_of("oms sideways\n") == 1);
  // Found by the scenario fuzz target: `=>` with no command before it read past the
  // end of the line's tokens.
  CHECK(line_of(std::string(kHeader) + " => error:invalid_transition\n") == 4);
  CHECK(line_of("=> error:rejected") == 1);
}

TEST_CASE("an expected refusal must happen, with that code, and change nothing") {
  const ScenarioResult accepted_anyway = run_scenario(std::string(kHeader) + "event o accepted => error:invalid_transition\n");
  CHECK_FALSE(accepted_anyway.passed);
  CHECK(accepted_anyway.expected == "error:invalid_transition");
  CHECK(accepted_anyway.happened == "success");
  const ScenarioResult other_code = run_scenario(std::string(kHeader) + "event o denied => error:duplicate_fill\n");
  CHECK_FALSE(other_code.passed);
  CHECK(other_code.happened.find("invalid_transition") != std::string::npos);
  const ScenarioResult unexpected = run_scenario(std::string(kHeader) + "event o denied\n");
  CHECK_FALSE(unexpected.passed);
  CHECK(unexpected.expected == "success");
  CHECK(run_scenario(std::string(kHeader) + "event ghost accepted => error:unknown_order\n").passed);
  CHECK(run_scenario(std::string(kHeader) + "order o BTC/USDT buy limit 1 @ 100 => error:duplicate_client_order_id\n").passed);
  CHECK(run_scenario("instrument BTC/USDT spot tick=0.01 step=0.001\norder p BTC/USDT buy limit 1.0005 @ 100 => error:invalid_argument\n").passed);
}

TEST_CASE("comments, blank lines and CRLF endings are ignored") {
  CHECK(run_scenario("# only a comment\r\n\r\n   \n" + std::string(kHeader) + "expect o status=SUBMITTED # trailing\r\n").passed);
}
