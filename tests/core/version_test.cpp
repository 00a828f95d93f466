// Tests for cts/version.hpp: the header agrees with itself and with the project.
#include <cts/version.hpp>

#include <doctest/doctest.h>

#include <fmt/format.h>

TEST_CASE("version string matches its parts") {
  CHECK(cts::kVersion == fmt::format("{}.{}.{}", cts::kVersionMajor, cts::kVersionMinor, cts::kVersionPatch));
}

TEST_CASE("version header matches the CMake project version") { CHECK(cts::kVersion == CTS_PROJECT_VERSION); }
