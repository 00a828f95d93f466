// Tests for cts/core/error.hpp.
#include <cts/core/error.hpp>

#include <doctest/doctest.h>

#include <set>
#include <string>

using cts::Error;
using cts::ErrorCode;

TEST_CASE("Error carries the venue code and formats it") {
  const Error e = cts::make_error(ErrorCode::timestamp_out_of_window, "Timestamp for this request is outside of the recvWindow.", "-1021");
  CHECK(e.to_string() == "timestamp_out_of_window: Timestamp for this request is outside of the recvWindow. (venue code -1021)");
  CHECK(fmt::format("{}", e) == e.to_string());
  CHECK(fmt::format("{}", ErrorCode::unknown_outcome) == "unknown_outcome");
}

TEST_CASE("every error code has a distinct name") {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < cts::kErrorCodeCount; ++i) {
    const auto name = cts::to_string(static_cast<ErrorCode>(i));
    CHECK(name != "invalid_error_code");
    names.insert(name);
  }
  CHECK(names.size() == cts::kErrorCodeCount);
  CHECK(cts::to_string(static_cast<ErrorCode>(cts::kErrorCodeCount)) == "invalid_error_code");
}

TEST_CASE("ambiguous outcomes are flagged") {
  CHECK(cts::outcome_may_be_unknown(ErrorCode::unknown_outcome));
  CHECK(cts::outcome_may_be_unknown(ErrorCode::timeout));
  CHECK(!cts::outcome_may_be_unknown(ErrorCode::network));
  CHECK(!cts::outcome_may_be_unknown(ErrorCode::rejected));
}
