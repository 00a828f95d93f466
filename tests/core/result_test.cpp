// Tests for cts/core/result.hpp and cts/core/error.hpp.
#include <cts/core/result.hpp>

#include <doctest/doctest.h>

#include <set>
#include <string>

using cts::Error;
using cts::ErrorCode;
using cts::Result;

namespace {
Result<int> half(int x) {
  if (x % 2 != 0) return cts::make_error(ErrorCode::invalid_argument, "odd");
  return x / 2;
}
}  // namespace

TEST_CASE("Result holds a value or an error") {
  auto ok = half(4);
  REQUIRE(ok.has_value());
  CHECK(static_cast<bool>(ok));
  CHECK(*ok == 2);
  CHECK(ok.value() == 2);
  CHECK(ok.value_or(7) == 2);
  CHECK_THROWS_AS((void)ok.error(), cts::Exception);

  auto bad = half(3);
  REQUIRE(!bad);
  CHECK(bad.error().code == ErrorCode::invalid_argument);
  CHECK(bad.value_or(7) == 7);
  try {
    (void)bad.value();
    FAIL("value() of an error must throw");
  } catch (const cts::Exception& e) {
    CHECK(e.error().code == ErrorCode::invalid_argument);
    CHECK(std::string(e.what()) == "invalid_argument: odd");
  }
}

TEST_CASE("Result<void>") {
  Result<void> ok;
  CHECK(ok.has_value());
  CHECK_NOTHROW(ok.value());
  Result<void> bad = cts::make_error(ErrorCode::timeout, "late");
  CHECK(!bad);
  CHECK(bad.error().code == ErrorCode::timeout);
  CHECK_THROWS_AS(bad.value(), cts::Exception);
}

TEST_CASE("Result moves its value out") {
  Result<std::string> r(std::string(100, 'x'));
  std::string moved = std::move(r).value();
  CHECK(moved.size() == 100);
}
