// The one translation unit that instantiates doctest's runner for every test suite. A
// run whose cases passed but skipped part of their work for want of a test server
// (support/test_servers.hpp) exits 77, which ctest reports as skipped.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "support/test_servers.hpp"

namespace cts::test {

std::atomic<bool>& skipped_for_want_of_a_server() {
  static std::atomic<bool> skipped{false};
  return skipped;
}

}  // namespace cts::test

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  const int failed = context.run();
  if (context.shouldExit() || failed != 0) return failed;
  return cts::test::skipped_for_want_of_a_server().load() ? cts::test::kSkipExitCode : 0;
}
