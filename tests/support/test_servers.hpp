#pragma once
// The servers some tests need (PostgreSQL), started by ctest fixtures
// (tests/support/postgres-server) which write their URL to a file named by an
// environment variable. Run by hand without the server, such a test skips loudly and
// the test binary exits kSkipExitCode (ctest: skipped); under scripts/test, which sets
// CTS_TEST_REQUIRE_SERVERS=1, a missing server fails the test.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

namespace cts::test {

/// The exit code of a test binary whose cases skipped for want of a server.
inline constexpr int kSkipExitCode = 77;

/// Set when a case skipped for want of a server (defined in doctest_main.cpp).
std::atomic<bool>& skipped_for_want_of_a_server();

/// The URL the fixture wrote to the file named by `url_file_variable`, or nothing when
/// there is none: the case then skips with a loud message (or fails, when
/// CTS_TEST_REQUIRE_SERVERS=1). `what` names the server in the message.
inline std::optional<std::string> test_server_url(const char* url_file_variable, std::string_view what) {
  const char* file = std::getenv(url_file_variable);
  std::string url;
  if (file != nullptr) {
    std::ifstream in(file);
    std::getline(in, url);
  }
  if (!url.empty()) return url;
  const std::string why = std::string("no ") + std::string(what) + " server for this test (" + url_file_variable +
                          (file == nullptr ? " is not set" : std::string(" names ") + file + ", which holds no URL") +
                          "): run it through ctest, whose fixture starts one";
  const char* required = std::getenv("CTS_TEST_REQUIRE_SERVERS");
  if (required != nullptr && std::string_view(required) == "1") {
    FAIL(why);
    return std::nullopt;
  }
  MESSAGE("*** SKIPPED: " << why << " ***");
  skipped_for_want_of_a_server() = true;
  return std::nullopt;
}

}  // namespace cts::test
