// Tests for cts/venue/binance/errors.hpp: Binance error replies → unified ErrorCode,
// with the raw code kept. Codes and messages are those of binance-spot-api-docs
// errors.md and the USD-M "Error Codes" page.
#include <cts/venue/binance/errors.hpp>

#include <doctest/doctest.h>

#include "support.hpp"

using cts::ErrorCode;
using cts::venue::binance::Operation;
using cts::venue::binance::make_http_error;
using cts::venue::binance::map_error_code;

TEST_CASE("map_error_code: the documented codes") {
  CHECK(map_error_code(-1021, "Timestamp for this request is outside of the recvWindow.", Operation::mutation) ==
        ErrorCode::timestamp_out_of_window);
  CHECK(map_error_code(-1022, "Signature for this request is not valid.", Operation::read) ==
        ErrorCode::invalid_signature);
  CHECK(map_error_code(-2014, "API-key format invalid.", Operation::read) == ErrorCode::auth_failed);
  CHECK(map_error_code(-2015, "Invalid API-key, IP, or permissions for action.", Operation::read) ==
        ErrorCode::auth_failed);
  CHECK(map_error_code(-1003, "Too many requests queued.", Operation::read) == ErrorCode::rate_limited);
  CHECK(map_error_code(-1015, "Too many new orders.", Operation::mutation) == ErrorCode::rate_limited);
  CHECK(map_error_code(-1013, "Filter failure: LOT_SIZE", Operation::mutation) == ErrorCode::invalid_argument);
  CHECK(map_error_code(-1121, "Invalid symbol.", Operation::read) == ErrorCode::invalid_argument);
  CHECK(map_error_code(-1006, "An unexpected response was received from the message bus. Execution status unknown.",
                       Operation::mutation) == ErrorCode::unknown_outcome);
  CHECK(map_error_code(-1007, "Timeout waiting for response from backend server. Send status unknown; execution "
                              "status unknown.",
                       Operation::mutation) == ErrorCode::unknown_outcome);
  CHECK(map_error_code(-2013, "Order does not exist.", Operation::read) == ErrorCode::order_not_found);
  CHECK(map_error_code(-2011, "Unknown order sent.", Operation::mutation) == ErrorCode::order_not_found);
  CHECK(map_error_code(-2019, "Margin is insufficient.", Operation::mutation) == ErrorCode::insufficient_funds);
  CHECK(map_error_code(-4116, "ClientOrderId is duplicated.", Operation::mutation) ==
        ErrorCode::duplicate_client_order_id);
  CHECK(map_error_code(-4120, "Order type not supported for this endpoint. Please use the Algo Order API endpoints "
                              "instead.",
                       Operation::mutation) == ErrorCode::unsupported);
}

TEST_CASE("map_error_code: -2010 is told apart by its message") {
  CHECK(map_error_code(-2010, "Account has insufficient balance for requested action.", Operation::mutation) ==
        ErrorCode::insufficient_funds);
  CHECK(map_error_code(-2010, "Duplicate order sent.", Operation::mutation) == ErrorCode::duplicate_client_order_id);
  CHECK(map_error_code(-2010, "Order would immediately match and take.", Operation::mutation) == ErrorCode::rejected);
}

TEST_CASE("map_error_code: an unknown code on a mutation is an unknown outcome, on a read a protocol error") {
  CHECK(map_error_code(-9999, "?", Operation::mutation) == ErrorCode::unknown_outcome);
  CHECK(map_error_code(-9999, "?", Operation::read) == ErrorCode::protocol_error);
}

TEST_CASE("make_http_error: 400 with a Binance body keeps the raw code and the message") {
  const auto error = make_http_error(400, R"({"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."})",
                                     Operation::mutation);
  CHECK(error.code == ErrorCode::timestamp_out_of_window);
  CHECK(error.venue_code == "-1021");
  CHECK(error.message.find("outside of the recvWindow") != std::string::npos);
}

TEST_CASE("make_http_error: 429 and 418 are rate_limited with Retry-After") {
  const auto limited = make_http_error(429, R"({"code":-1003,"msg":"Too much request weight used."})", Operation::read,
                                       std::string_view("7"));
  CHECK(limited.code == ErrorCode::rate_limited);
  CHECK(limited.venue_code == "-1003");
  CHECK(limited.message.find("Retry-After 7 s") != std::string::npos);
  const auto banned = make_http_error(418, "", Operation::mutation);
  CHECK(banned.code == ErrorCode::rate_limited);
  CHECK(banned.message.find("IP banned") != std::string::npos);
}

TEST_CASE("make_http_error: 5xx is unknown for a mutation, unavailable for a read") {
  CHECK(make_http_error(502, "<html>Bad Gateway</html>", Operation::mutation).code == ErrorCode::unknown_outcome);
  CHECK(make_http_error(503, R"({"code":-1000,"msg":"Unknown error, please check your request or try again later."})",
                        Operation::mutation)
            .code == ErrorCode::unknown_outcome);
  CHECK(make_http_error(502, "", Operation::read).code == ErrorCode::venue_unavailable);
  // USD-M documents -1008 (throttled) and -1001 as "not executed".
  CHECK(make_http_error(503, R"({"code":-1008,"msg":"Request throttled by system-level protection."})",
                        Operation::mutation)
            .code == ErrorCode::venue_unavailable);
  CHECK(make_http_error(408, "", Operation::mutation).code == ErrorCode::unknown_outcome);
  CHECK(make_http_error(408, "", Operation::read).code == ErrorCode::timeout);
}

TEST_CASE("make_http_error: bodies that are not Binance errors") {
  CHECK(make_http_error(403, "<html>Forbidden</html>", Operation::read).code == ErrorCode::rejected);
  CHECK(make_http_error(401, "", Operation::read).code == ErrorCode::auth_failed);
  CHECK(make_http_error(404, "{\"code\":\"x\"}", Operation::read).code == ErrorCode::protocol_error);
  CHECK(make_http_error(400, "{\"code\":-1121,", Operation::read).code == ErrorCode::protocol_error);
}

TEST_CASE("check_status: 2xx passes, anything else is mapped") {
  CHECK(cts::venue::binance::check_status(cts_test::response(200, "{}"), Operation::read).has_value());
  auto response = cts_test::response(429, R"({"code":-1003,"msg":"Way too many requests"})");
  response.set_header("Retry-After", "30");
  const auto result = cts::venue::binance::check_status(response, Operation::read);
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().code == ErrorCode::rate_limited);
  CHECK(result.error().message.find("Retry-After 30 s") != std::string::npos);
}
