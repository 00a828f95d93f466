// Tests for cts/core/order_types.hpp.
#include <cts/core/order_types.hpp>

#include <doctest/doctest.h>

using namespace cts;

TEST_CASE("side, order type and time in force round-trip through their names") {
  for (Side s : {Side::buy, Side::sell}) CHECK(parse_side(to_string(s)).value() == s);
  for (OrderType t : {OrderType::market, OrderType::limit, OrderType::stop_market, OrderType::stop_limit,
                      OrderType::take_profit_market, OrderType::take_profit_limit}) {
    CHECK(parse_order_type(to_string(t)).value() == t);
  }
  for (TimeInForce t : {TimeInForce::gtc, TimeInForce::ioc, TimeInForce::fok, TimeInForce::post_only}) {
    CHECK(parse_time_in_force(to_string(t)).value() == t);
  }
  CHECK(to_string(TimeInForce::post_only) == "POST_ONLY");
  CHECK(to_string(OrderType::stop_limit) == "stop_limit");
  CHECK(parse_side("BUY").value() == Side::buy);
  CHECK(parse_time_in_force("gtc").value() == TimeInForce::gtc);
}

TEST_CASE("unknown names are typed errors that list the accepted values") {
  auto r = parse_side("long");
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::invalid_argument);
  CHECK(r.error().message == "unknown side \"long\" (expected buy or sell)");
  auto t = parse_time_in_force("GTX");
  REQUIRE(!t);
  CHECK(t.error().message == "unknown time in force \"GTX\" (expected GTC, IOC, FOK or POST_ONLY)");
  CHECK(!parse_order_type(""));
  CHECK(!parse_order_type("limit "));
}

TEST_CASE("helpers") {
  CHECK(opposite(Side::buy) == Side::sell);
  CHECK(sign_of(Side::sell) == -1);
  CHECK(has_limit_price(OrderType::stop_limit));
  CHECK(!has_limit_price(OrderType::stop_market));
  CHECK(has_trigger_price(OrderType::take_profit_market));
  CHECK(!has_trigger_price(OrderType::limit));
  CHECK(fmt::format("{} {} {}", Side::buy, OrderType::market, TimeInForce::ioc) == "buy market IOC");
}
