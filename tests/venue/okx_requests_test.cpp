// Tests for cts/venue/okx/requests.hpp: method, path, query or body as OKX's
// documentation lists the parameters ("Place order", "Amend order", "Cancel order", the
// multiple-order forms, "Cancel All After", the order and fill lists, "Get balance",
// "Get positions"), the rate-policy endpoint names, and typed errors for bad input. One
// request is signed and checked against the OKX vector of tests/sign (sign-vectors).
#include <cts/venue/okx/requests.hpp>

#include <array>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <cts/core/clock.hpp>
#include <cts/rate/policies/okx.hpp>
#include <cts/sign/okx.hpp>

#include "sign/vectors.hpp"
#include "support.hpp"

using cts::ErrorCode;
using cts::HttpMethod;
using cts::OrderType;
using cts::Side;
using cts::TimeInForce;
using cts::venue::NewOrder;
using cts::venue::OrderAmendment;
using cts::venue::OrderRef;
using cts::venue::PositionSide;
using cts::venue::Request;
using cts::venue::Security;
using cts_test::okx_limit_buy;
namespace okx = cts::venue::okx;
using okx::InstType;
using namespace cts::literals;

namespace {

/// The rate policy prices `request` (its endpoint name is one the policy knows).
void check_priced(const Request& request) {
  CAPTURE(request.endpoint);
  CHECK(cts::rate::kOkxPolicy.cost(request.endpoint).has_value());
}

}  // namespace

TEST_CASE("okx requests: public market data is unsigned GET with the documented query") {
  const Request time = okx::server_time();
  CHECK(time.http.method == HttpMethod::get);
  CHECK(time.http.path == "/api/v5/public/time");
  CHECK(time.security == Security::none);
  CHECK_FALSE(time.mutation);
  CHECK(time.venue == cts::VenueId::okx);
  check_priced(time);

  const Request spot = okx::instruments(InstType::spot).value();
  CHECK(spot.http.path == "/api/v5/public/instruments");
  CHECK(spot.http.query == "instType=SPOT");
  check_priced(spot);
  CHECK(okx::instruments(InstType::swap, "BTC-USDT-SWAP").value().http.query == "instType=SWAP&instId=BTC-USDT-SWAP");

  const Request books = okx::order_book(InstType::spot, "BTC-USDT", 400).value();
  CHECK(books.http.path == "/api/v5/market/books");
  CHECK(books.http.query == "instId=BTC-USDT&sz=400");
  check_priced(books);

  const Request ticker = okx::ticker(InstType::swap, "BTC-USD-SWAP").value();
  CHECK(ticker.http.path == "/api/v5/market/ticker");
  CHECK(ticker.http.query == "instId=BTC-USD-SWAP");
  check_priced(ticker);
}

TEST_CASE("okx requests: bad instrument ids and depths are refused before anything is built") {
  CHECK(okx::order_book(InstType::spot, "BTC-USDT", 401).error().code == ErrorCode::invalid_argument);
  CHECK(okx::order_book(InstType::spot, "BTC-USDT", 0).error().code == ErrorCode::invalid_argument);
  CHECK(okx::ticker(InstType::spot, "btc-usdt").error().code == ErrorCode::invalid_argument);
  CHECK(okx::ticker(InstType::spot, "").error().code == ErrorCode::invalid_argument);
  CHECK(okx::ticker(InstType::spot, "BTC-USDT-SWAP").error().code == ErrorCode::invalid_argument);  // a SWAP id
  CHECK(okx::ticker(InstType::swap, "BTC-USDT").error().code == ErrorCode::invalid_argument);       // a SPOT id
  CHECK(okx::instruments(InstType::spot, "BTC USDT").error().code == ErrorCode::invalid_argument);
}

TEST_CASE("okx requests: a limit order is a signed POST body in the documented order") {
  const Request request = okx::place_order(InstType::spot, okx_limit_buy()).value();
  CHECK(request.http.method == HttpMethod::post);
  CHECK(request.http.path == "/api/v5/trade/order");
  CHECK(request.security == Security::signed_);
  CHECK(request.mutation);
  CHECK(request.order_count == 1);
  CHECK(request.http.header("Content-Type").value() == "application/json");
  CHECK(
      request.http.body ==
      R"({"instId":"BTC-USDT","tdMode":"cash","clOrdId":"cts1a2b3","side":"buy","ordType":"limit","sz":"0.01","px":"25000.5"})");
  check_priced(request);
}

TEST_CASE("okx requests: the time in force is folded into ordType") {
  const std::array<std::pair<TimeInForce, std::string_view>, 4> cases{
      {{TimeInForce::gtc, "\"ordType\":\"limit\""},
       {TimeInForce::ioc, "\"ordType\":\"ioc\""},
       {TimeInForce::fok, "\"ordType\":\"fok\""},
       {TimeInForce::post_only, "\"ordType\":\"post_only\""}}};
  for (const auto& [tif, expected] : cases) {
    NewOrder order = okx_limit_buy();
    order.time_in_force = tif;
    const std::string body = okx::place_order(InstType::spot, order).value().http.body;
    CAPTURE(body);
    CHECK(body.find(expected) != std::string::npos);
  }
}

TEST_CASE("okx requests: a spot market order is sized in base (tgtCcy base_ccy), a swap order carries its leg") {
  NewOrder market = okx_limit_buy();
  market.type = OrderType::market;
  market.price.reset();
  CHECK(
      okx::place_order(InstType::spot, market).value().http.body ==
      R"({"instId":"BTC-USDT","tdMode":"cash","clOrdId":"cts1a2b3","side":"buy","ordType":"market","sz":"0.01","tgtCcy":"base_ccy"})");

  NewOrder swap = okx_limit_buy();
  swap.symbol = "BTC-USDT-SWAP";
  swap.side = Side::sell;
  swap.quantity = "3"_d;
  swap.position_side = PositionSide::short_;
  CHECK(
      okx::place_order(InstType::swap, swap).value().http.body ==
      R"({"instId":"BTC-USDT-SWAP","tdMode":"cross","clOrdId":"cts1a2b3","side":"sell","posSide":"short","ordType":"limit","sz":"3","px":"25000.5"})");

  NewOrder reduce = swap;
  reduce.position_side = PositionSide::both;  // net mode: no posSide
  reduce.reduce_only = true;
  CHECK(
      okx::place_order(InstType::swap, reduce, okx::TradeMode::isolated).value().http.body ==
      R"({"instId":"BTC-USDT-SWAP","tdMode":"isolated","clOrdId":"cts1a2b3","side":"sell","ordType":"limit","sz":"3","px":"25000.5","reduceOnly":true})");
}

TEST_CASE("okx requests: orders that cannot be built say why") {
  NewOrder order = okx_limit_buy();
  order.client_order_id = "cts-1";  // OKX: letters and digits only
  CHECK(okx::place_order(InstType::spot, order).error().code == ErrorCode::invalid_argument);
  order.client_order_id = std::string(33, 'a');  // at most 32
  CHECK(okx::place_order(InstType::spot, order).error().code == ErrorCode::invalid_argument);
  order.client_order_id = std::string(32, 'a');
  CHECK(okx::place_order(InstType::spot, order).has_value());

  order = okx_limit_buy();
  order.price.reset();
  CHECK(okx::place_order(InstType::spot, order).error().code == ErrorCode::invalid_argument);
  order = okx_limit_buy();
  order.quantity = "0"_d;
  CHECK(okx::place_order(InstType::spot, order).error().code == ErrorCode::invalid_argument);
  order = okx_limit_buy();
  order.reduce_only = true;  // spot has no positions
  CHECK(okx::place_order(InstType::spot, order).error().code == ErrorCode::invalid_argument);
  order = okx_limit_buy();
  order.type = OrderType::stop_limit;  // OKX's algo endpoints
  order.trigger_price = "24000"_d;
  CHECK(okx::place_order(InstType::spot, order).error().code == ErrorCode::unsupported);
  order = okx_limit_buy();
  CHECK(okx::place_order(InstType::spot, order, okx::TradeMode::cross).error().code == ErrorCode::invalid_argument);
  order.symbol = "BTC-USDT-SWAP";
  CHECK(okx::place_order(InstType::swap, order, okx::TradeMode::cash).error().code == ErrorCode::invalid_argument);
}

TEST_CASE("okx requests: amend and cancel name the order by ordId, else by clOrdId") {
  OrderAmendment amendment;
  amendment.order = {"BTC-USDT", std::string("2510789768709120"), "b1"};
  amendment.quantity = "2"_d;
  amendment.price = "26000"_d;
  const Request amend = okx::amend_order(InstType::spot, amendment).value();
  CHECK(amend.http.path == "/api/v5/trade/amend-order");
  CHECK(amend.http.body == R"({"instId":"BTC-USDT","ordId":"2510789768709120","newSz":"2","newPx":"26000"})");
  CHECK(amend.mutation);
  check_priced(amend);

  const Request cancel = okx::cancel_order(InstType::spot, OrderRef{"BTC-USDT", std::nullopt, "oktswap6"}).value();
  CHECK(cancel.http.path == "/api/v5/trade/cancel-order");
  CHECK(cancel.http.body == R"({"instId":"BTC-USDT","clOrdId":"oktswap6"})");
  CHECK(cancel.mutation);
  check_priced(cancel);

  CHECK(okx::cancel_order(InstType::spot, OrderRef{"BTC-USDT", std::nullopt, ""}).error().code ==
        ErrorCode::invalid_argument);
  CHECK(okx::cancel_order(InstType::spot, OrderRef{"BTC-USDT", std::string("12ab"), ""}).error().code ==
        ErrorCode::invalid_argument);
  OrderAmendment nothing;
  nothing.order = amendment.order;
  CHECK(okx::amend_order(InstType::spot, nothing).error().code == ErrorCode::invalid_argument);
  OrderAmendment trigger = amendment;
  trigger.trigger_price = "1"_d;
  CHECK(okx::amend_order(InstType::spot, trigger).error().code == ErrorCode::invalid_argument);
}

TEST_CASE("okx requests: batches are JSON arrays of 1 to 20 items") {
  std::vector<NewOrder> orders{okx_limit_buy(), okx_limit_buy()};
  orders[1].client_order_id = "cts4c5d6";
  orders[1].side = Side::sell;
  const Request batch = okx::place_batch(InstType::spot, orders, okx::TradeMode::cash).value();
  CHECK(batch.http.path == "/api/v5/trade/batch-orders");
  CHECK(
      batch.http.body ==
      R"([{"instId":"BTC-USDT","tdMode":"cash","clOrdId":"cts1a2b3","side":"buy","ordType":"limit","sz":"0.01","px":"25000.5"},)"
      R"({"instId":"BTC-USDT","tdMode":"cash","clOrdId":"cts4c5d6","side":"sell","ordType":"limit","sz":"0.01","px":"25000.5"}])");
  CHECK(batch.order_count == 2);
  CHECK(batch.cost_times == 2);  // OKX counts a batch's orders against the batch limit
  CHECK(batch.endpoint == "POST /api/v5/trade/batch-orders");
  // A batch of one is charged to the single op's limit, as OKX counts it.
  const Request one = okx::place_batch(InstType::spot, std::span(orders.data(), 1), okx::TradeMode::cash).value();
  CHECK(one.http.path == "/api/v5/trade/batch-orders");
  CHECK(one.endpoint == "POST /api/v5/trade/order");
  CHECK(one.cost_times == 1);
  const std::vector<OrderRef> one_ref{OrderRef{"BTC-USDT", std::nullopt, "cts1"}};
  CHECK(okx::cancel_batch(InstType::spot, one_ref).value().endpoint == "POST /api/v5/trade/cancel-order");
  check_priced(batch);

  const std::vector<OrderRef> refs{{"BTC-USDT", std::string("12345689"), ""}, {"BTC-USDT", std::nullopt, "oktswap7"}};
  const Request cancels = okx::cancel_batch(InstType::spot, refs).value();
  CHECK(cancels.http.path == "/api/v5/trade/cancel-batch-orders");
  CHECK(cancels.http.body ==
        R"([{"instId":"BTC-USDT","ordId":"12345689"},{"instId":"BTC-USDT","clOrdId":"oktswap7"}])");
  check_priced(cancels);

  std::vector<OrderAmendment> amendments(1);
  amendments[0].order = refs[0];
  amendments[0].price = "1.5"_d;
  const Request amends = okx::amend_batch(InstType::spot, amendments).value();
  CHECK(amends.http.path == "/api/v5/trade/amend-batch-orders");
  CHECK(amends.http.body == R"([{"instId":"BTC-USDT","ordId":"12345689","newPx":"1.5"}])");
  check_priced(amends);

  CHECK(okx::place_batch(InstType::spot, std::vector<NewOrder>{}, okx::TradeMode::cash).error().code ==
        ErrorCode::invalid_argument);
  CHECK(
      okx::place_batch(InstType::spot, std::vector<NewOrder>(21, okx_limit_buy()), okx::TradeMode::cash).error().code ==
      ErrorCode::invalid_argument);
  std::vector<NewOrder> one_bad{okx_limit_buy(), okx_limit_buy()};
  one_bad[1].quantity = "-1"_d;
  CHECK(okx::place_batch(InstType::spot, one_bad, okx::TradeMode::cash).error().code == ErrorCode::invalid_argument);
}

TEST_CASE("okx requests: cancel-all-after takes 0 or 10..120 seconds") {
  const Request arm = okx::cancel_all_after(60).value();
  CHECK(arm.http.path == "/api/v5/trade/cancel-all-after");
  CHECK(arm.http.body == R"({"timeOut":"60"})");
  CHECK(arm.mutation);
  check_priced(arm);
  CHECK(okx::cancel_all_after(0).value().http.body == R"({"timeOut":"0"})");
  CHECK(okx::cancel_all_after(10).has_value());
  CHECK(okx::cancel_all_after(120).has_value());
  CHECK(okx::cancel_all_after(9).error().code == ErrorCode::invalid_argument);
  CHECK(okx::cancel_all_after(121).error().code == ErrorCode::invalid_argument);
  CHECK(okx::cancel_all_after(-1).error().code == ErrorCode::invalid_argument);
}

TEST_CASE("okx requests: order and fill lists are signed GETs paged by after") {
  okx::ListQuery query;
  query.type = InstType::swap;
  query.inst_id = "BTC-USDT-SWAP";
  query.after = "590910403358593024";
  query.limit = 100;
  const Request pending = okx::orders_pending(query).value();
  CHECK(pending.http.method == HttpMethod::get);
  CHECK(pending.http.path == "/api/v5/trade/orders-pending");
  CHECK(pending.http.query == "instType=SWAP&instId=BTC-USDT-SWAP&after=590910403358593024&limit=100");
  CHECK(pending.security == Security::signed_);
  CHECK_FALSE(pending.mutation);
  check_priced(pending);

  const Request history =
      okx::orders_history(okx::ListQuery{InstType::spot, {}, std::nullopt, {}, std::nullopt}).value();
  CHECK(history.http.path == "/api/v5/trade/orders-history");
  CHECK(history.http.query == "instType=SPOT");
  check_priced(history);

  okx::ListQuery fills{InstType::spot, "BTC-USDT", std::string_view("680800019749904384"), {}, 50};
  const Request fill_list = okx::fills(fills).value();
  CHECK(fill_list.http.path == "/api/v5/trade/fills");
  CHECK(fill_list.http.query == "instType=SPOT&instId=BTC-USDT&ordId=680800019749904384&limit=50");
  check_priced(fill_list);

  query.limit = 101;
  CHECK(okx::orders_pending(query).error().code == ErrorCode::invalid_argument);
  query.limit = 100;
  query.after = "abc";
  CHECK(okx::orders_pending(query).error().code == ErrorCode::invalid_argument);
  CHECK(okx::orders_pending(fills).error().code == ErrorCode::invalid_argument);  // a list takes no ordId

  const Request details =
      okx::order_details(InstType::spot, OrderRef{"BTC-USDT", std::string("680800019749904384"), "x"}).value();
  CHECK(details.http.path == "/api/v5/trade/order");
  CHECK(details.http.query == "instId=BTC-USDT&ordId=680800019749904384");
  check_priced(details);
  CHECK(okx::order_details(InstType::spot, OrderRef{"BTC-USDT", std::nullopt, "oktswap6"}).value().http.query ==
        "instId=BTC-USDT&clOrdId=oktswap6");
}

TEST_CASE("okx requests: balance and positions") {
  const Request all = okx::balance().value();
  CHECK(all.http.path == "/api/v5/account/balance");
  CHECK(all.http.query.empty());
  check_priced(all);
  CHECK(okx::balance("BTC,ETH").value().http.query == "ccy=BTC%2CETH");
  CHECK(okx::balance("btc").error().code == ErrorCode::invalid_argument);

  const Request positions = okx::positions(InstType::swap, "BTC-USDT-SWAP").value();
  CHECK(positions.http.path == "/api/v5/account/positions");
  CHECK(positions.http.query == "instType=SWAP&instId=BTC-USDT-SWAP");
  check_priced(positions);
  CHECK(okx::positions(InstType::spot).error().code == ErrorCode::invalid_argument);
}

TEST_CASE("okx requests: the demo switch adds x-simulated-trading: 1") {
  Request request = okx::server_time();
  CHECK_FALSE(request.http.header("x-simulated-trading").has_value());
  okx::mark_demo(request);
  CHECK(request.http.header("x-simulated-trading").value() == "1");
}

TEST_CASE("okx requests: a built balance request signs to the OKX vector of sign-vectors") {
  // Vector 14: GET /api/v5/account/balance?ccy=BTC at 2020-12-08T09:08:57.715Z with the
  // documentation's example secret (ccxt cross-check).
  const auto& v = cts::sign::test::vector_at(14);
  const cts::sign::OkxSigner signer(v.at("key"), cts::sign::Secret(v.at("secret")),
                                    cts::sign::Secret(v.input("OK-ACCESS-PASSPHRASE")));
  Request request = okx::balance("BTC").value();
  REQUIRE(signer.sign(request.http, {cts::from_unix_millis(1607418537715), {}, {}}));
  CHECK(request.http.header("OK-ACCESS-SIGN").value() == v.at("expected_signature"));
  CHECK(request.http.header("OK-ACCESS-SIGN").value() == "HiZhvSfMtWJA3uUIVXV3a/bSXNPCWvYFXoGCVS8V4zY=");
}
