// Tests for cts/venue/pionex/requests.hpp: paths, queries and JSON bodies as
// pionex-open-api openapi.yaml documents them, each priced by the Pionex rate policy with
// the weight printed on its endpoint.
#include <cts/venue/pionex/requests.hpp>

#include <doctest/doctest.h>

#include <cts/rate/policies/pionex.hpp>

#include "support.hpp"

using cts::ErrorCode;
using cts::HttpMethod;
using cts::venue::NewOrder;
using cts::venue::Request;
using cts::venue::Security;
namespace pionex = cts::venue::pionex;
using namespace cts::literals;

namespace {

/// The policy prices `request` at its documented `weight` in the IP pool.
void check_priced(const Request& request, std::uint32_t weight) {
  CAPTURE(request.endpoint);
  const auto cost = cts::rate::kPionexPolicy.cost(request.endpoint);
  REQUIRE(cost.has_value());
  CHECK(request.weight == static_cast<int>(weight));
  CHECK(request.venue == cts::VenueId::pionex);
}

}  // namespace

TEST_CASE("pionex requests: public market data is unsigned GET") {
  const Request symbols = pionex::symbols("BTC_USDT").value();
  CHECK(symbols.http.method == HttpMethod::get);
  CHECK(symbols.http.path == "/api/v1/common/symbols");
  CHECK(symbols.http.query == "symbols=BTC_USDT");
  CHECK(symbols.security == Security::none);
  check_priced(symbols, 5);
  const Request depth = pionex::order_book("BTC_USDT", 1000).value();
  CHECK(depth.http.query == "symbol=BTC_USDT&limit=1000");
  check_priced(depth, 1);
  CHECK(pionex::order_book("BTC_USDT", 1001).error().code == ErrorCode::invalid_argument);
  CHECK(pionex::order_book("btc_usdt", 5).error().code == ErrorCode::invalid_argument);
  check_priced(pionex::market_trades("BTC_USDT", 10).value(), 1);
  CHECK(pionex::market_trades("BTC_USDT", 9).error().code == ErrorCode::invalid_argument);
  check_priced(pionex::tickers("BTC_USDT").value(), 1);
  const Request best = pionex::book_tickers("BTC_USDT").value();
  CHECK(best.http.path == "/api/v1/market/bookTickers");
  check_priced(best, 1);
}

TEST_CASE("pionex requests: a new order is a signed POST with the documented JSON body") {
  const Request limit = pionex::new_order(cts_test::pionex_limit_buy()).value();
  CHECK(limit.http.method == HttpMethod::post);
  CHECK(limit.http.path == "/api/v1/trade/order");
  CHECK(limit.http.query.empty());  // the signer adds timestamp
  CHECK(limit.http.body ==
        R"({"symbol":"BTC_USDT","side":"BUY","type":"LIMIT","clientOrderId":"cts-1a2b3","size":"0.01","price":"27964.01"})");
  CHECK(limit.http.header("Content-Type").value() == "application/json");
  CHECK(limit.security == Security::signed_);
  CHECK(limit.mutation);
  CHECK(limit.order_count == 1);
  check_priced(limit, 1);

  NewOrder ioc = cts_test::pionex_limit_buy();
  ioc.time_in_force = cts::TimeInForce::ioc;
  CHECK(pionex::new_order(ioc).value().http.body.ends_with(R"("price":"27964.01","IOC":true})"));

  NewOrder sell = cts_test::pionex_limit_buy();
  sell.side = cts::Side::sell;
  sell.type = cts::OrderType::market;
  sell.price.reset();
  CHECK(pionex::new_order(sell).value().http.body ==
        R"({"symbol":"BTC_USDT","side":"SELL","type":"MARKET","clientOrderId":"cts-1a2b3","size":"0.01"})");
}

TEST_CASE("pionex requests: orders Pionex cannot take are refused before anything is built") {
  NewOrder market_buy = cts_test::pionex_limit_buy();
  market_buy.type = cts::OrderType::market;
  market_buy.price.reset();
  CHECK(pionex::new_order(market_buy).error().code == ErrorCode::unsupported);
  NewOrder fok = cts_test::pionex_limit_buy();
  fok.time_in_force = cts::TimeInForce::fok;
  CHECK(pionex::new_order(fok).error().code == ErrorCode::unsupported);
  NewOrder maker = cts_test::pionex_limit_buy();
  maker.time_in_force = cts::TimeInForce::post_only;
  CHECK(pionex::new_order(maker).error().code == ErrorCode::unsupported);
  NewOrder stop = cts_test::pionex_limit_buy();
  stop.type = cts::OrderType::stop_limit;
  CHECK(pionex::new_order(stop).error().code == ErrorCode::unsupported);
  NewOrder underscore = cts_test::pionex_limit_buy();
  underscore.client_order_id = "cts_1";  // ^[a-zA-Z0-9-]+$
  CHECK(pionex::new_order(underscore).error().code == ErrorCode::invalid_argument);
  NewOrder no_price = cts_test::pionex_limit_buy();
  no_price.price.reset();
  CHECK(pionex::new_order(no_price).error().code == ErrorCode::invalid_argument);
  NewOrder zero = cts_test::pionex_limit_buy();
  zero.quantity = "0"_d;
  CHECK(pionex::new_order(zero).error().code == ErrorCode::invalid_argument);
}

TEST_CASE("pionex requests: cancel, cancel-all, queries, fills and balances") {
  const Request cancel = pionex::cancel_order("BTC_USDT", "123456789").value();
  CHECK(cancel.http.method == HttpMethod::delete_);
  CHECK(cancel.http.path == "/api/v1/trade/order");
  CHECK(cancel.http.body == R"({"symbol":"BTC_USDT","orderId":123456789})");
  CHECK(cancel.mutation);
  check_priced(cancel, 1);
  CHECK(pionex::cancel_order("BTC_USDT", "12a").error().code == ErrorCode::invalid_argument);
  CHECK(pionex::cancel_order("BTC_USDT", "99999999999999999999").error().code == ErrorCode::invalid_argument);

  const Request all = pionex::cancel_all_orders("BTC_USDT").value();
  CHECK(all.http.method == HttpMethod::delete_);
  CHECK(all.http.path == "/api/v1/trade/allOrders");
  CHECK(all.http.body == R"({"symbol":"BTC_USDT"})");
  check_priced(all, 1);

  const Request by_id = pionex::get_order("123456789").value();
  CHECK(by_id.http.query == "orderId=123456789");
  CHECK_FALSE(by_id.mutation);
  CHECK(by_id.security == Security::signed_);
  check_priced(by_id, 1);
  const Request by_client = pionex::get_order_by_client_id("cts-1a2b3").value();
  CHECK(by_client.http.path == "/api/v1/trade/orderByClientOrderId");
  CHECK(by_client.http.query == "clientOrderId=cts-1a2b3");
  check_priced(by_client, 1);
  check_priced(pionex::open_orders("BTC_USDT").value(), 5);
  const Request fills = pionex::fills("BTC_USDT", 1566691672311).value();
  CHECK(fills.http.query == "symbol=BTC_USDT&endTime=1566691672311");
  check_priced(fills, 5);
  const Request by_order = pionex::fills_by_order_id("123456789", "8812345").value();
  CHECK(by_order.http.query == "orderId=123456789&fromId=8812345");
  check_priced(by_order, 5);
  check_priced(pionex::balances(), 1);
}
