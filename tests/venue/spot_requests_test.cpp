// Tests for cts/venue/binance/spot_requests.hpp: paths, parameter order and encoding as
// documented in binance-spot-api-docs rest-api.md, documented weights, and every
// validation error.
#include <cts/venue/binance/spot_requests.hpp>

#include <cts/rate/policies/binance.hpp>

#include <doctest/doctest.h>

using cts::ErrorCode;
using cts::HttpMethod;
using cts::venue::NewOrder;
using cts::venue::OrderRef;
using cts::venue::Security;
namespace spot = cts::venue::binance::spot;
using namespace cts::literals;

namespace {
NewOrder limit_buy() {
  NewOrder order;
  order.symbol = "LTCBTC";
  order.side = cts::Side::buy;
  order.type = cts::OrderType::limit;
  order.time_in_force = cts::TimeInForce::gtc;
  order.quantity = "1"_d;
  order.price = "0.1"_d;
  order.client_order_id = "cts-1";
  return order;
}
}  // namespace

TEST_CASE("spot new_order: the documented parameter order, then our client id and FULL") {
  const auto request = spot::new_order(limit_buy());
  REQUIRE(request.has_value());
  CHECK(request->http.method == HttpMethod::post);
  CHECK(request->http.path == "/api/v3/order");
  // The first six parameters are byte for byte the doc's signed example payload.
  CHECK(request->http.query ==
        "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&newClientOrderId=cts-1"
        "&newOrderRespType=FULL");
  CHECK(request->http.body.empty());
  CHECK(request->security == Security::signed_);
  CHECK(request->mutation);
  CHECK(request->weight == 1);
  CHECK(request->order_count == 1);
  CHECK(request->endpoint == "POST /api/v3/order");
}

TEST_CASE("spot new_order: market, post-only and stop spellings") {
  NewOrder market = limit_buy();
  market.type = cts::OrderType::market;
  market.price.reset();
  market.side = cts::Side::sell;
  CHECK(spot::new_order(market)->http.query ==
        "symbol=LTCBTC&side=SELL&type=MARKET&quantity=1&newClientOrderId=cts-1&newOrderRespType=FULL");

  NewOrder maker = limit_buy();
  maker.time_in_force = cts::TimeInForce::post_only;
  CHECK(spot::new_order(maker)->http.query ==
        "symbol=LTCBTC&side=BUY&type=LIMIT_MAKER&quantity=1&price=0.1&newClientOrderId=cts-1&newOrderRespType=FULL");

  NewOrder stop = limit_buy();
  stop.type = cts::OrderType::stop_limit;
  stop.trigger_price = "0.09"_d;
  CHECK(spot::new_order(stop)->http.query ==
        "symbol=LTCBTC&side=BUY&type=STOP_LOSS_LIMIT&timeInForce=GTC&quantity=1&price=0.1&newClientOrderId=cts-1"
        "&stopPrice=0.09&newOrderRespType=FULL");

  NewOrder take = limit_buy();
  take.type = cts::OrderType::take_profit_market;
  take.price.reset();
  take.trigger_price = "0.2"_d;
  CHECK(spot::new_order(take)->http.query ==
        "symbol=LTCBTC&side=BUY&type=TAKE_PROFIT&quantity=1&newClientOrderId=cts-1&stopPrice=0.2&newOrderRespType=FULL");
}

TEST_CASE("spot new_order: validation errors") {
  auto expect_invalid = [](const NewOrder& order) {
    const auto r = spot::new_order(order);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::invalid_argument);
  };
  NewOrder o = limit_buy();
  o.price.reset();
  expect_invalid(o);
  o = limit_buy();
  o.quantity = "0"_d;
  expect_invalid(o);
  o = limit_buy();
  o.client_order_id = "";
  expect_invalid(o);
  o = limit_buy();
  o.client_order_id = "has space";
  expect_invalid(o);
  o = limit_buy();
  o.client_order_id = std::string(37, 'a');
  expect_invalid(o);
  o = limit_buy();
  o.trigger_price = "1"_d;
  expect_invalid(o);
  o = limit_buy();
  o.type = cts::OrderType::stop_limit;
  o.time_in_force = cts::TimeInForce::post_only;
  o.trigger_price = "1"_d;
  expect_invalid(o);
  o = limit_buy();
  o.symbol = "";
  expect_invalid(o);
  o = limit_buy();
  o.price = -"1"_d;
  expect_invalid(o);
}

TEST_CASE("spot cancel/query: order reference by venue id or client id") {
  OrderRef by_id{"LTCBTC", "28", "ignored-when-id-is-set"};
  auto cancel = spot::cancel_order(by_id);
  REQUIRE(cancel.has_value());
  CHECK(cancel->http.method == HttpMethod::delete_);
  CHECK(cancel->http.target() == "/api/v3/order?symbol=LTCBTC&orderId=28");
  CHECK(cancel->mutation);

  OrderRef by_client{"LTCBTC", std::nullopt, "myOrder1"};
  auto query = spot::query_order(by_client);
  REQUIRE(query.has_value());
  CHECK(query->http.method == HttpMethod::get);
  CHECK(query->http.target() == "/api/v3/order?symbol=LTCBTC&origClientOrderId=myOrder1");
  CHECK(query->weight == 4);
  CHECK_FALSE(query->mutation);

  const auto neither = spot::cancel_order(OrderRef{"LTCBTC", std::nullopt, ""});
  REQUIRE_FALSE(neither.has_value());
  CHECK(neither.error().code == ErrorCode::invalid_argument);
  // Binance order ids are 64-bit integers: sent as the venue wrote them, never anything else.
  CHECK(spot::cancel_order(OrderRef{"LTCBTC", "18446744073709551615", ""})->http.target() ==
        "/api/v3/order?symbol=LTCBTC&orderId=18446744073709551615");
  for (const char* bad : {"", "12a", "-1", "1.0", "c2a6c8d4-0b55-4a5e-9a32-1b1c3f3e4b5a", "123456789012345678901"}) {
    INFO(bad);
    const auto refused = spot::cancel_order(OrderRef{"LTCBTC", std::string(bad), ""});
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::invalid_argument);
  }
  CHECK(spot::my_trades("BNBBTC", "x1").error().code == ErrorCode::invalid_argument);
}

TEST_CASE("spot market data and account requests: paths, parameters, documented weights") {
  CHECK(spot::server_time().http.target() == "/api/v3/time");
  CHECK(spot::server_time().security == Security::none);
  CHECK(spot::exchange_info().weight == 20);
  CHECK(spot::exchange_info("BTCUSDT").http.target() == "/api/v3/exchangeInfo?symbol=BTCUSDT");
  CHECK(spot::order_book("BTCUSDT", 100)->http.target() == "/api/v3/depth?symbol=BTCUSDT&limit=100");
  CHECK(spot::order_book("BTCUSDT", 100)->weight == 5);
  CHECK(spot::order_book("BTCUSDT", 101)->weight == 25);
  CHECK(spot::order_book("BTCUSDT", 1000)->weight == 50);
  CHECK(spot::order_book("BTCUSDT", 5000)->weight == 250);
  CHECK(spot::order_book("BTCUSDT", 5001).error().code == ErrorCode::invalid_argument);
  CHECK(spot::order_book("BTCUSDT", 0).error().code == ErrorCode::invalid_argument);
  CHECK(spot::recent_trades("BTCUSDT", 10)->http.target() == "/api/v3/trades?symbol=BTCUSDT&limit=10");
  CHECK(spot::book_ticker("BTCUSDT")->http.target() == "/api/v3/ticker/bookTicker?symbol=BTCUSDT");
  CHECK(spot::book_ticker("BTCUSDT")->weight == 2);
  CHECK(spot::open_orders("BTCUSDT").weight == 6);
  CHECK(spot::open_orders().weight == 80);
  CHECK(spot::open_orders().http.target() == "/api/v3/openOrders");
  CHECK(spot::account().http.target() == "/api/v3/account?omitZeroBalances=true");
  CHECK(spot::account().security == Security::signed_);
  CHECK(spot::my_trades("BNBBTC", "100234", 50)->http.target() ==
        "/api/v3/myTrades?symbol=BNBBTC&orderId=100234&limit=50");
  CHECK(spot::my_trades("BNBBTC", "100234")->weight == 5);
  CHECK(spot::my_trades("BNBBTC")->weight == 20);
  const auto all = spot::cancel_all_orders("BTCUSDT");
  CHECK(all->http.method == HttpMethod::delete_);
  CHECK(all->http.target() == "/api/v3/openOrders?symbol=BTCUSDT");
}

TEST_CASE("spot endpoint identities and weights agree with the rate policy table") {
  const cts::venue::Request requests[] = {
      spot::server_time(),
      spot::exchange_info(),
      *spot::order_book("BTCUSDT", 100),
      *spot::order_book("BTCUSDT", 5000),
      *spot::recent_trades("BTCUSDT"),
      *spot::book_ticker("BTCUSDT"),
      *spot::new_order(limit_buy()),
      *spot::cancel_order(OrderRef{"LTCBTC", "1", ""}),
      *spot::cancel_all_orders("LTCBTC"),
      *spot::query_order(OrderRef{"LTCBTC", "1", ""}),
      spot::open_orders("LTCBTC"),
      spot::open_orders(),
      spot::account(),
      *spot::my_trades("LTCBTC"),
  };
  for (const auto& request : requests) {
    const auto cost = cts::rate::kBinanceSpotPolicy.cost(request.endpoint, request.cost_param);
    REQUIRE_MESSAGE(cost.has_value(), request.endpoint);
    CHECK_MESSAGE(cost->weight_of(cts::rate::binance_spot_pool::request_weight) ==
                      static_cast<std::uint32_t>(request.weight),
                  request.endpoint);
  }
  CHECK(cts::rate::kBinanceSpotPolicy.cost(spot::new_order(limit_buy())->endpoint)
            ->weight_of(cts::rate::binance_spot_pool::orders_10s) == 1);
}
