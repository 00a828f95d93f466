// Tests for cts/venue/okx/errors.hpp and envelope.hpp: OKX's codes (the "Error Code"
// table of okx.com/docs-v5) mapped to the unified taxonomy with the raw code kept, and
// the envelope read from error replies OKX sends (tests/fixtures/okx/error_*.json).
#include <cts/venue/okx/errors.hpp>

#include <string>

#include <doctest/doctest.h>

#include <cts/venue/okx/market.hpp>
#include <cts/venue/okx/orders.hpp>

#include "support.hpp"

using cts::ErrorCode;
using cts::venue::Operation;
using cts_test::okx_fixture_text;
using cts_test::response;
namespace okx = cts::venue::okx;

TEST_CASE("okx errors: the documented codes map to the unified taxonomy") {
  CHECK(okx::map_code(50011, Operation::read) == ErrorCode::rate_limited);
  CHECK(okx::map_code(50061, Operation::mutation) == ErrorCode::rate_limited);
  CHECK(okx::map_code(50102, Operation::read) == ErrorCode::timestamp_out_of_window);
  CHECK(okx::map_code(50113, Operation::read) == ErrorCode::invalid_signature);
  CHECK(okx::map_code(50111, Operation::read) == ErrorCode::auth_failed);
  CHECK(okx::map_code(50105, Operation::read) == ErrorCode::auth_failed);  // passphrase incorrect
  CHECK(okx::map_code(50110, Operation::read) == ErrorCode::auth_failed);  // IP not allowed
  CHECK(okx::map_code(50001, Operation::mutation) == ErrorCode::unknown_outcome);
  CHECK(okx::map_code(50001, Operation::read) == ErrorCode::venue_unavailable);
  CHECK(okx::map_code(50004, Operation::mutation) == ErrorCode::unknown_outcome);
  CHECK(okx::map_code(51149, Operation::mutation) == ErrorCode::unknown_outcome);
  CHECK(okx::map_code(50038, Operation::read) == ErrorCode::unsupported);
  CHECK(okx::map_code(51000, Operation::mutation) == ErrorCode::invalid_argument);
  CHECK(okx::map_code(51121, Operation::mutation) == ErrorCode::invalid_argument);
  CHECK(okx::map_code(51008, Operation::mutation) == ErrorCode::insufficient_funds);
  CHECK(okx::map_code(51016, Operation::mutation) == ErrorCode::duplicate_client_order_id);
  CHECK(okx::map_code(51603, Operation::read) == ErrorCode::order_not_found);
  CHECK(okx::map_code(51400, Operation::mutation) == ErrorCode::rejected);
  CHECK(okx::map_code(51503, Operation::mutation) == ErrorCode::rejected);
  CHECK(okx::map_code(54109, Operation::mutation) == ErrorCode::rejected);
  CHECK(okx::map_code(7, Operation::mutation) == ErrorCode::unknown_outcome);
  CHECK(okx::map_code(7, Operation::read) == ErrorCode::protocol_error);

  const cts::Error error =
      okx::code_error(51008, "Order failed. Insufficient USDT balance in account", Operation::mutation);
  CHECK(error.venue_code == "51008");
  CHECK(error.message == "okx 51008: Order failed. Insufficient USDT balance in account");
}

TEST_CASE("okx errors: a rate-limit reply is rate_limited in HTTP 200 and 429 alike") {
  for (const int status : {200, 429}) {
    CAPTURE(status);
    const auto time = okx::parse_server_time(response(status, okx_fixture_text("error_rate_limit.json")));
    REQUIRE_FALSE(time);
    CHECK(time.error().code == ErrorCode::rate_limited);
    CHECK(time.error().venue_code == "50011");
  }
}

TEST_CASE("okx errors: an invalid key (HTTP 401 without data) is auth_failed with its code") {
  const auto time = okx::parse_server_time(response(401, okx_fixture_text("error_invalid_access_key.json")));
  CHECK(time.error().code == ErrorCode::auth_failed);
  CHECK(time.error().venue_code == "50111");
  CHECK(time.error().message == "okx 50111: Invalid OK-ACCESS-KEY");
}

TEST_CASE("okx errors: an unknown path (HTTP 404, numeric code) is the status error") {
  const auto time = okx::parse_server_time(response(404, okx_fixture_text("error_not_found.json")));
  CHECK(time.error().code == ErrorCode::invalid_argument);
  CHECK(time.error().message.find("HTTP 404") != std::string::npos);
}

TEST_CASE("okx errors: bodies that are not an envelope") {
  CHECK(okx::parse_order_ack(response(502, "<html>Bad Gateway</html>")).error().code == ErrorCode::unknown_outcome);
  CHECK(okx::parse_server_time(response(502, "<html>Bad Gateway</html>")).error().code == ErrorCode::venue_unavailable);
  CHECK(okx::parse_server_time(response(200, "{\"code\":\"0\",")).error().code == ErrorCode::protocol_error);
  const auto no_code = okx::parse_server_time(response(200, R"({"msg":"","data":[{"ts":"1"}]})"));
  CHECK(no_code.error().code == ErrorCode::protocol_error);
  CHECK(no_code.error().message.find("code") != std::string::npos);
  const auto no_data = okx::parse_server_time(response(200, R"({"code":"0","msg":""})"));
  CHECK(no_data.error().code == ErrorCode::protocol_error);
  CHECK(no_data.error().message.find("data") != std::string::npos);
  CHECK(okx::parse_server_time(response(200, R"({"code":"0","msg":"","data":[{"ts":"1"}]} x)")).error().code ==
        ErrorCode::protocol_error);
}
