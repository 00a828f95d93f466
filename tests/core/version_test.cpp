// Tests for cts/version.hpp: the header agrees with itself and with the project.
#include <cts/version.hpp>

#include <doctest/doctest.h>

#include <fmt/format.h>

TEST_CASE("version string matches its parts") {
  CHECK(cts::kVersion == fmt::format("{}.{}.{}", cts::kVersionMajor, cts::kVersionMinor, cts::kVersionPatch));
}
