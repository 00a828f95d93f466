// Tests for cts/venue/binance/usdm_requests.hpp: paths, parameter order and encoding,
// documented weights (developers.binance.com USD-M futures pages), batch limits and
// the Algo Service restriction.
#include <cts/venue/binance/usdm_requests.hpp>

#include <cts/rate/policies/binance.hpp>

#include <vector>

#include <doctest/doctest.h>

using cts::ErrorCode;
using cts::HttpMethod;
using cts::venue::NewOrder;
using cts::venue::OrderRef;
using cts::venue::PositionSide;
using cts::venue::Security;
namespace usdm = cts::venue::binance::usdm;
using namespace cts::literals;

namespace {
NewOrder limit_buy(std::string id = "cts-1") {
  NewOrder order;
  order.symbol = "BTCUSDT";
  order.side = cts::Side::buy;
  order.type = cts::OrderType::limit;
  order.quantity = "1"_d;
  order.price = "9000"_d;
  order.client_order_id = std::move(id);
  return order;
}
}  // namespace

TEST_CASE("usdm new_order: documented parameter order") {
  const auto request = usdm::new_order(limit_buy());
  REQUIRE(request.has_value());
  CHECK(request->http.method == HttpMethod::post);
  CHECK(request->http.target() ==
        "/fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=9000"
        "&newClientOrderId=cts-1&newOrderRespType=RESULT");
  CHECK(request->weight == 0);
  CHECK(request->order_count == 1);
  CHECK(request->security == Security::signed_);
  CHECK(request->mutation);
}

TEST_CASE("usdm new_order: hedge mode, reduce-only, post-only as GTX, market") {
  NewOrder hedge = limit_buy();
  hedge.position_side = PositionSide::short_;
  hedge.time_in_force = cts::TimeInForce::post_only;
  CHECK(usdm::new_order(hedge)->http.query ==
        "symbol=BTCUSDT&side=BUY&positionSide=SHORT&type=LIMIT&timeInForce=GTX&quantity=1&price=9000"
        "&newClientOrderId=cts-1&newOrderRespType=RESULT");

  NewOrder reduce = limit_buy();
  reduce.type = cts::OrderType::market;
  reduce.price.reset();
  reduce.side = cts::Side::sell;
  reduce.reduce_only = true;
  CHECK(usdm::new_order(reduce)->http.query ==
        "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=1&reduceOnly=true&newClientOrderId=cts-1"
        "&newOrderRespType=RESULT");

  NewOrder both = reduce;
  both.position_side = PositionSide::long_;
  CHECK(usdm::new_order(both).error().code == ErrorCode::invalid_argument);
}

TEST_CASE("usdm new_order: conditional types go through the Algo Service") {
  NewOrder stop = limit_buy();
  stop.type = cts::OrderType::stop_market;
  stop.price.reset();
  stop.trigger_price = "8000"_d;
  const auto r = usdm::new_order(stop);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == ErrorCode::unsupported);
}

TEST_CASE("usdm batch_orders: a JSON list, percent-encoded, at most five") {
  std::vector<NewOrder> orders{limit_buy("a1"), limit_buy("a2")};
  orders[1].side = cts::Side::sell;
  orders[1].price = "9100.5"_d;
  const auto request = usdm::batch_orders(orders);
  REQUIRE(request.has_value());
  CHECK(request->http.path == "/fapi/v1/batchOrders");
  CHECK(request->weight == 5);
  CHECK(request->order_count == 2);
  // [{"symbol":"BTCUSDT",...},{...}] percent-encoded.
  const std::string json =
      R"([{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"1","price":"9000",)"
      R"("newClientOrderId":"a1","newOrderRespType":"RESULT"},{"symbol":"BTCUSDT","side":"SELL","type":"LIMIT",)"
      R"("timeInForce":"GTC","quantity":"1","price":"9100.5","newClientOrderId":"a2","newOrderRespType":"RESULT"}])";
  cts::venue::binance::QueryBuilder expected;
  expected.add("batchOrders", json);
  CHECK(request->http.query == expected.str());
  CHECK(request->http.query.substr(0, 30) == "batchOrders=%5B%7B%22symbol%22");

  std::vector<NewOrder> six(6, limit_buy());
  CHECK(usdm::batch_orders(six).error().code == ErrorCode::invalid_argument);
  CHECK(usdm::batch_orders(std::span<const NewOrder>{}).error().code == ErrorCode::invalid_argument);
  orders[1].client_order_id = "bad id";
  const auto bad = usdm::batch_orders(orders);
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message.find("batch order 1") != std::string::npos);
}

TEST_CASE("usdm other requests: paths, parameters, documented weights") {
  CHECK(usdm::server_time().http.target() == "/fapi/v1/time");
  CHECK(usdm::exchange_info().weight == 1);
  CHECK(usdm::order_book("BTCUSDT", 5)->weight == 2);
  CHECK(usdm::order_book("BTCUSDT", 100)->weight == 5);
  CHECK(usdm::order_book("BTCUSDT", 500)->weight == 10);
  CHECK(usdm::order_book("BTCUSDT", 1000)->weight == 20);
  CHECK(usdm::order_book("BTCUSDT", 7).error().code == ErrorCode::invalid_argument);
  CHECK(usdm::order_book("BTCUSDT", 1000)->http.target() == "/fapi/v1/depth?symbol=BTCUSDT&limit=1000");
  CHECK(usdm::recent_trades("BTCUSDT", 5)->http.target() == "/fapi/v1/trades?symbol=BTCUSDT&limit=5");
  CHECK(usdm::book_ticker("BTCUSDT")->http.target() == "/fapi/v1/ticker/bookTicker?symbol=BTCUSDT");
  CHECK(usdm::cancel_order(OrderRef{"BTCUSDT", std::nullopt, "abc"})->http.target() ==
        "/fapi/v1/order?symbol=BTCUSDT&origClientOrderId=abc");
  CHECK(usdm::cancel_all_orders("BTCUSDT")->http.target() == "/fapi/v1/allOpenOrders?symbol=BTCUSDT");
  CHECK(usdm::query_order(OrderRef{"BTCUSDT", "1917641", ""})->http.target() ==
        "/fapi/v1/order?symbol=BTCUSDT&orderId=1917641");
  CHECK(usdm::open_orders().weight == 40);
  CHECK(usdm::open_orders("BTCUSDT").weight == 1);
  CHECK(usdm::balances().http.target() == "/fapi/v3/balance");
  CHECK(usdm::positions("BTCUSDT").http.target() == "/fapi/v2/positionRisk?symbol=BTCUSDT");
  CHECK(usdm::my_trades("BTCUSDT")->http.target() == "/fapi/v1/userTrades?symbol=BTCUSDT&limit=500");
  const auto leverage = usdm::set_leverage("BTCUSDT", 21);
  CHECK(leverage->http.target() == "/fapi/v1/leverage?symbol=BTCUSDT&leverage=21");
  CHECK(leverage->mutation);
  CHECK(usdm::set_leverage("BTCUSDT", 0).error().code == ErrorCode::invalid_argument);
  CHECK(usdm::set_margin_mode("BTCUSDT", cts::venue::MarginMode::isolated)->http.target() ==
        "/fapi/v1/marginType?symbol=BTCUSDT&marginType=ISOLATED");
  CHECK(usdm::set_margin_mode("BTCUSDT", cts::venue::MarginMode::cross)->http.query ==
        "symbol=BTCUSDT&marginType=CROSSED");
  CHECK(usdm::start_user_stream().security == Security::api_key);
  CHECK(usdm::keepalive_user_stream().http.method == HttpMethod::put);
}

TEST_CASE("usdm endpoint identities and weights agree with the rate policy table") {
  const cts::venue::Request requests[] = {
      usdm::server_time(),
      usdm::exchange_info(),
      *usdm::order_book("BTCUSDT", 1000),
      *usdm::book_ticker("BTCUSDT"),
      *usdm::new_order(limit_buy()),
      *usdm::cancel_order(OrderRef{"BTCUSDT", "1", ""}),
      *usdm::cancel_all_orders("BTCUSDT"),
      *usdm::query_order(OrderRef{"BTCUSDT", "1", ""}),
      usdm::open_orders("BTCUSDT"),
      usdm::open_orders(),
      *usdm::my_trades("BTCUSDT"),
  };
  for (const auto& request : requests) {
    const auto cost = cts::rate::kBinanceUsdmPolicy.cost(request.endpoint, request.cost_param);
    REQUIRE_MESSAGE(cost.has_value(), request.endpoint);
    CHECK_MESSAGE(cost->weight_of(cts::rate::binance_usdm_pool::request_weight) ==
                      static_cast<std::uint32_t>(request.weight),
                  request.endpoint);
  }
  const std::vector<NewOrder> two{limit_buy("b1"), limit_buy("b2")};
  const auto batch = usdm::batch_orders(two);
  CHECK(cts::rate::kBinanceUsdmPolicy.cost(batch->endpoint)->weight_of(cts::rate::binance_usdm_pool::request_weight) ==
        5);
}
