// Tests for the connectors' venue::ReplyErrorReader (cts/venue/reply_error.hpp and each
// venue's errors.hpp): the code in a reply's body, mapped as a read's by the venue's own
// error map, on the replies the venues document. Sources: bybit-exchange/docs v5
// error.mdx (10016 "Internal System Error.", 10006 "Too many visits", 10002 the time
// window), tests/fixtures/bybit/market_time.json; okx.com/docs-v5 "Error Code" (50001
// "Service temporarily unavailable", 50004 "Endpoint request timeout", 51008),
// tests/fixtures/okx/public_time.json; BingX-API docs-v3 common error codes (100500
// "Internal system error", 100410, 80016); the JSON-RPC 2.0 specification (-32000..-32099
// server errors, -32602) and the Deribit codes the OrangeX connector assumes (10040
// retry, 10028 too_many_requests).
#include <cts/venue/reply_error.hpp>

#include <doctest/doctest.h>

#include <optional>

#include <cts/venue/bingx/errors.hpp>
#include <cts/venue/bybit/errors.hpp>
#include <cts/venue/okx/errors.hpp>
#include <cts/venue/orangex/errors.hpp>

#include "support.hpp"

using cts::ErrorCode;
using cts_test::fixture_text;
using cts_test::response;
namespace venue = cts::venue;

TEST_CASE("reply error: code_value reads a signed decimal code and nothing else") {
  CHECK(venue::code_value("10016") == std::optional<std::int64_t>(10016));
  CHECK(venue::code_value("-32000") == std::optional<std::int64_t>(-32000));
  CHECK(venue::code_value("0") == std::optional<std::int64_t>(0));
  CHECK_FALSE(venue::code_value("").has_value());
  CHECK_FALSE(venue::code_value("-").has_value());
  CHECK_FALSE(venue::code_value("10x").has_value());
  CHECK_FALSE(venue::code_value("1234567890123456789").has_value());  // 19 digits
}

TEST_CASE("reply error: code_member_text keeps a code's minus sign") {
  CHECK(venue::code_member_text(R"({"error":{"code":-32602,"message":"Invalid params"}})") ==
        std::optional<std::string_view>("-32602"));
  CHECK(venue::code_member_text(R"({"code":"50001"})") == std::optional<std::string_view>("50001"));
  CHECK_FALSE(venue::code_member_text(R"({"code":"-"})").has_value());
}

TEST_CASE("reply error: Bybit's retCode in an HTTP 200, mapped as a read's") {
  const auto read = [](std::string_view body) { return venue::bybit::reply_error(response(200, std::string(body))); };
  CHECK(read(R"({"retCode":10016,"retMsg":"Internal System Error.","result":{},"retExtInfo":{},"time":1})") ==
        ErrorCode::venue_unavailable);
  CHECK(read(R"({"retCode":10006,"retMsg":"Too many visits!","result":{}})") == ErrorCode::rate_limited);
  CHECK(read(R"({"retCode":10002,"retMsg":"invalid request, please check your server timestamp"})") ==
        ErrorCode::timestamp_out_of_window);
  CHECK_FALSE(read(fixture_text("bybit", "market_time.json")).has_value());  // retCode 0
  CHECK_FALSE(read("<html>bad gateway</html>").has_value());
}

TEST_CASE("reply error: OKX's code, quoted, mapped as a read's") {
  const auto read = [](std::string_view body) { return venue::okx::reply_error(response(200, std::string(body))); };
  CHECK(read(R"({"code":"50001","msg":"Service temporarily unavailable. Please try again later.","data":[]})") ==
        ErrorCode::venue_unavailable);
  CHECK(read(R"({"code":"50004","msg":"Endpoint request timeout. ","data":[]})") == ErrorCode::venue_unavailable);
  CHECK(read(R"({"code":"51008","msg":"Order failed. Insufficient balance.","data":[]})") ==
        ErrorCode::insufficient_funds);
  CHECK_FALSE(read(fixture_text("okx", "public_time.json")).has_value());  // code "0"
}

TEST_CASE("reply error: BingX's numeric code, mapped as a read's") {
  const auto read = [](std::string_view body) { return venue::bingx::reply_error(response(200, std::string(body))); };
  CHECK(read(R"({"code":100500,"msg":"Internal system error","data":{}})") == ErrorCode::venue_unavailable);
  CHECK(read(R"({"code":100410,"msg":"rate limit exceeded","data":{}})") == ErrorCode::rate_limited);
  CHECK(read(R"({"code":80016,"msg":"order not exist","data":{}})") == ErrorCode::order_not_found);
  CHECK_FALSE(read(R"({"code":0,"msg":"","data":{"serverTime":1}})").has_value());
}

TEST_CASE("reply error: OrangeX's JSON-RPC error.code, mapped as a read's; a result is none") {
  const auto read = [](std::string_view body) { return venue::orangex::reply_error(response(200, std::string(body))); };
  CHECK(read(R"({"jsonrpc":"2.0","id":7,"error":{"code":-32000,"message":"server error"}})") ==
        ErrorCode::venue_unavailable);
  CHECK(read(R"({"jsonrpc":"2.0","id":7,"error":{"code":10040,"message":"retry"}})") == ErrorCode::venue_unavailable);
  CHECK(read(R"({"jsonrpc":"2.0","id":7,"error":{"code":10028,"message":"too_many_requests"}})") ==
        ErrorCode::rate_limited);
  CHECK(read(R"({"jsonrpc":"2.0","id":7,"error":{"code":-32602,"message":"Invalid params"}})") ==
        ErrorCode::invalid_argument);
  CHECK_FALSE(read(R"({"jsonrpc":"2.0","id":7,"result":{"code":10040}})").has_value());
  CHECK_FALSE(read(R"({"jsonrpc":"2.0","id":7,"error":null})").has_value());
}
