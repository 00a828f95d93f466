// Tests for cts/venue/binance/enums.hpp: Binance's ENUM spellings (spot enums.md, USD-M
// "Common Definition") and the values they differ on between markets.
#include <cts/venue/binance/enums.hpp>

#include <doctest/doctest.h>

namespace binance = cts::venue::binance;
using binance::Market;
using cts::OrderType;

TEST_CASE("order types: TAKE_PROFIT is a market order on spot and a limit order on USD-M") {
  CHECK(binance::parse_order_type("TAKE_PROFIT", Market::spot) == OrderType::take_profit_market);
  CHECK(binance::parse_order_type("TAKE_PROFIT", Market::usdm) == OrderType::take_profit_limit);
  CHECK(binance::parse_order_type("STOP_LOSS_LIMIT", Market::spot) == OrderType::stop_limit);
  CHECK(binance::parse_order_type("STOP", Market::usdm) == OrderType::stop_limit);
  CHECK(binance::parse_order_type("TRAILING_STOP_MARKET", Market::usdm) == OrderType::stop_market);
  CHECK(binance::parse_order_type("LIMIT_MAKER", Market::spot) == OrderType::limit);
  CHECK_FALSE(binance::parse_order_type("LIMIT_MAKER", Market::usdm).has_value());
  CHECK_FALSE(binance::parse_order_type("STOP", Market::spot).has_value());
  CHECK_FALSE(binance::parse_order_type("limit", Market::spot).has_value());
}

TEST_CASE("statuses, sides, time in force, position sides, margin modes") {
  CHECK(binance::parse_order_status("EXPIRED_IN_MATCH") == cts::venue::OrderStatus::expired_in_match);
  CHECK(binance::parse_order_status("PENDING_NEW") == cts::venue::OrderStatus::pending_new);
  CHECK_FALSE(binance::parse_order_status("new").has_value());
  CHECK(binance::parse_side("SELL") == cts::Side::sell);
  CHECK_FALSE(binance::parse_side("Sell").has_value());
  CHECK(binance::parse_time_in_force("GTX") == cts::TimeInForce::post_only);
  CHECK(binance::parse_time_in_force("GTD") == cts::TimeInForce::gtc);
  CHECK_FALSE(binance::parse_time_in_force("RPI2").has_value());
  CHECK(binance::parse_position_side("LONG") == cts::venue::PositionSide::long_);
  CHECK(binance::parse_margin_mode("cross") == cts::venue::MarginMode::cross);
  CHECK(binance::parse_margin_mode("CROSSED") == cts::venue::MarginMode::cross);
  CHECK(binance::parse_margin_mode("isolated") == cts::venue::MarginMode::isolated);
  CHECK_FALSE(binance::parse_margin_mode("portfolio").has_value());
}
