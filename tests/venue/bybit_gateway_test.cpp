// Tests for cts/venue/bybit/gateway.hpp, sans I/O: a scripted RequestSender records each
// request and answers with Bybit's documented replies (tests/fixtures/bybit) or replies
// written from the documentation's field tables. Expected values are the documents'.
#include <cts/venue/bybit/gateway.hpp>

#include <chrono>
#include <deque>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cts/rate/limiter.hpp>
#include <cts/rate/venue_policies.hpp>
#include <cts/venue/bybit/requests.hpp>

#include "support.hpp"

using cts::ErrorCode;
using cts::HttpMethod;
using cts::HttpResponse;
using cts::Result;
using cts::venue::OrderStatus;
using cts::venue::Request;
using cts::venue::Security;
using cts_test::bybit_fixture;
using cts_test::bybit_fixture_text;
using cts_test::response;
using cts_test::ScriptedSender;
namespace bybit = cts::venue::bybit;
namespace venue = cts::venue;
using bybit::Category;
using namespace cts::literals;

namespace {

/// A 200 reply with Bybit's envelope around `result`.
HttpResponse ok(std::string_view result) {
  return response(200, R"({"retCode":0,"retMsg":"OK","result":)" + std::string(result) +
                           R"(,"retExtInfo":{},"time":1700000000000})");
}

/// A 200 reply carrying retCode `code` and retMsg `message` (error.mdx), as Bybit sends them.
HttpResponse failed(long code, std::string_view message) {
  return response(200, R"({"retCode":)" + std::to_string(code) + R"(,"retMsg":")" + std::string(message) +
                           R"(","result":{},"retExtInfo":{},"time":1700000000000})");
}

/// An empty order or execution page.
HttpResponse empty_page(std::string_view category) {
  return ok(R"({"category":")" + std::string(category) + R"(","list":[],"nextPageCursor":""})");
}

/// One order of /v5/order/realtime or /history with the fields of open-order.mdx that
/// the parser reads.
std::string order_json(std::string_view order_id, std::string_view link_id, std::string_view status,
                       std::string_view executed, std::string_view executed_value) {
  return fmt::format(
      R"({{"orderId":"{}","orderLinkId":"{}","symbol":"ETHPERP","price":"1050","qty":"0.15","side":"Buy",)"
      R"("positionIdx":0,"orderStatus":"{}","avgPrice":"","cumExecQty":"{}","cumExecValue":"{}","cumExecFee":"0",)"
      R"("timeInForce":"GTC","orderType":"Limit","stopOrderType":"","triggerPrice":"0","reduceOnly":false,)"
      R"("createdTime":"1672217370000","updatedTime":"1672217377200"}})",
      order_id, link_id, status, executed, executed_value);
}

}  // namespace

TEST_CASE("bybit gateway: server time, instrument, ticker and depth are public GETs read into exact values") {
  ScriptedSender sender;
  bybit::V5Gateway spot(sender, Category::spot);
  CHECK(spot.venue() == cts::VenueId::bybit);
  CHECK(&spot.capabilities() == &bybit::kSpotCapabilities);

  // market/time.mdx: timeNano 1688639403423213947 → 1688639403423 ms.
  sender.then(bybit_fixture("market_time.json"));
  CHECK(spot.server_time_ms().value() == 1688639403423);
  REQUIRE(sender.sent.size() == 1);
  CHECK(sender.sent[0].http.target() == "/v5/market/time");
  CHECK(sender.sent[0].endpoint == "GET /v5/market/time");
  CHECK(sender.sent[0].security == Security::none);

  // market/instrument.mdx, Spot: tickSize 0.1, basePrecision 0.000001, minOrderQty
  // 0.000011, maxOrderQty 83, minOrderAmt 5.
  sender.then(bybit_fixture("instruments_spot.json"));
  const auto btc = spot.instrument("BTCUSDT");
  REQUIRE(btc.has_value());
  CHECK(sender.sent[1].http.target() == "/v5/market/instruments-info?category=spot&symbol=BTCUSDT");
  CHECK(btc->venue_symbol == "BTCUSDT");
  CHECK(btc->base == "BTC");
  CHECK(btc->quote == "USDT");
  CHECK(btc->tick_size == "0.1"_d);
  CHECK(btc->step_size == "0.000001"_d);
  CHECK(btc->min_quantity == "0.000011"_d);
  CHECK(btc->max_quantity == "83"_d);
  CHECK(btc->min_notional == "5"_d);

  // An empty list: the venue does not list the symbol.
  sender.then(ok(R"({"category":"spot","list":[],"nextPageCursor":""})"));
  CHECK(spot.instrument("NOPEUSDT").error().code == ErrorCode::invalid_argument);

  // market/tickers.mdx, Spot: bid 20517.96 × 2, ask 20527.77 × 1.862172.
  sender.then(bybit_fixture("tickers_spot.json"));
  const auto best = spot.book_ticker("BTCUSDT");
  REQUIRE(best.has_value());
  CHECK(sender.sent.back().http.target() == "/v5/market/tickers?category=spot&symbol=BTCUSDT");
  CHECK(best->symbol == "BTCUSDT");
  CHECK(best->bid_price == "20517.96"_d);
  CHECK(best->bid_quantity == "2"_d);
  CHECK(best->ask_price == "20527.77"_d);
  CHECK(best->ask_quantity == "1.862172"_d);

  // market/orderbook.mdx: one level a side, u 230704, seq 1432604333, ts 1716863719031.
  sender.then(bybit_fixture("orderbook.json"));
  const auto book = spot.depth("BTCUSDT", 1);
  REQUIRE(book.has_value());
  const Request& depth_request = sender.sent.back();
  CHECK(depth_request.http.target() == "/v5/market/orderbook?category=spot&symbol=BTCUSDT&limit=1");
  CHECK(depth_request.endpoint == "GET /v5/market/orderbook");
  CHECK(depth_request.cost_param == 1u);
  REQUIRE(book->bids.size() == 1);
  REQUIRE(book->asks.size() == 1);
  CHECK(book->bids[0].price == "65485.47"_d);
  CHECK(book->bids[0].quantity == "47.081829"_d);
  CHECK(book->asks[0].price == "65557.7"_d);
  CHECK(book->asks[0].quantity == "16.606555"_d);
  CHECK(book->last_update_id == 230704);
  CHECK(book->sequence == 1432604333);
  CHECK(book->event_time_ms == 1716863719031);
}

TEST_CASE("bybit gateway: a linear instrument that is not trading is rejected; limits are checked before sending") {
  ScriptedSender sender;
  bybit::V5Gateway linear(sender, Category::linear);
  CHECK(&linear.capabilities() == &bybit::kLinearCapabilities);

  // market/instrument.mdx, Linear: BTCUSDT perpetual, tick 0.10, qtyStep 0.001, minNotionalValue 5.
  sender.then(bybit_fixture("instruments_linear.json"));
  const auto btc = linear.instrument("BTCUSDT");
  REQUIRE(btc.has_value());
  CHECK(sender.sent[0].http.query == "category=linear&symbol=BTCUSDT");
  CHECK(btc->kind == cts::InstrumentKind::linear_perpetual);
  CHECK(btc->settle == "USDT");
  CHECK(btc->tick_size == "0.1"_d);
  CHECK(btc->step_size == "0.001"_d);
  CHECK(btc->min_notional == "5"_d);

  // The pre-market example: status PreLaunch.
  sender.then(bybit_fixture("instruments_linear_prelaunch.json"));
  const auto bio = linear.instrument("BIOUSDT");
  REQUIRE_FALSE(bio);
  CHECK(bio.error().code == ErrorCode::rejected);
  CHECK(bio.error().message.find("PreLaunch") != std::string::npos);

  // market/orderbook.mdx: limit [1, 1000] for spot and linear; nothing is sent outside.
  const std::size_t before = sender.sent.size();
  CHECK(linear.depth("BTCUSDT", 0).error().code == ErrorCode::invalid_argument);
  CHECK(linear.depth("BTCUSDT", 1001).error().code == ErrorCode::invalid_argument);
  // Recent trades: 1..1000 (read in pages of execution.mdx's largest, 100).
  CHECK(linear.recent_trades("BTCUSDT", 0).error().code == ErrorCode::invalid_argument);
  CHECK(linear.recent_trades("BTCUSDT", 1001).error().code == ErrorCode::invalid_argument);
  CHECK(sender.sent.size() == before);
  sender.then(bybit_fixture("orderbook.json"));
  CHECK(linear.depth("BTCUSDT", 1000).has_value());
  CHECK(sender.sent.back().http.query == "category=linear&symbol=BTCUSDT&limit=1000");
}

TEST_CASE("bybit gateway: create_order posts the order and reports the acknowledgement as pending_new") {
  ScriptedSender sender;
  bybit::V5Gateway spot(sender, Category::spot);
  venue::NewOrder order;
  order.symbol = "BTCUSDT";
  order.side = cts::Side::buy;
  order.type = cts::OrderType::limit;
  order.time_in_force = cts::TimeInForce::post_only;
  order.quantity = "0.1"_d;
  order.price = "15600"_d;
  order.client_order_id = "spot-test-postonly";
  // order/create-order.mdx: orderId 1321003749386327552, orderLinkId spot-test-postonly, time 1672211918471.
  sender.then(bybit_fixture("order_create.json"));
  const auto created = spot.create_order(order);
  REQUIRE(created.has_value());
  REQUIRE(sender.sent.size() == 1);
  const Request& request = sender.sent[0];
  CHECK(request.http.method == HttpMethod::post);
  CHECK(request.http.path == "/v5/order/create");
  CHECK(request.endpoint == "POST /v5/order/create (spot)");
  CHECK(request.security == Security::signed_);
  CHECK(request.mutation);
  CHECK(request.http.body ==
        R"({"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.1","price":"15600",)"
        R"("timeInForce":"PostOnly","orderLinkId":"spot-test-postonly","isLeverage":0,"orderFilter":"Order"})");
  CHECK(created->order_id == "1321003749386327552");
  CHECK(created->client_order_id == "spot-test-postonly");
  CHECK(created->status == OrderStatus::pending_new);
  CHECK(created->symbol == "BTCUSDT");
  CHECK(created->side == cts::Side::buy);
  CHECK(created->price == "15600"_d);
  CHECK(created->quantity == "0.1"_d);
  CHECK(created->executed_quantity == "0"_d);
  CHECK(created->time_ms == 1672211918471);

  // error.mdx 110007 "Available balance is insufficient": insufficient_funds, code kept.
  sender.then(failed(110007, "Available balance is insufficient"));
  const auto poor = spot.create_order(order);
  REQUIRE_FALSE(poor);
  CHECK(poor.error().code == ErrorCode::insufficient_funds);
  CHECK(poor.error().venue_code == "110007");
  CHECK_FALSE(spot.credentials_refused().has_value());

  // A builder refusal sends nothing.
  order.client_order_id = "not valid!";
  CHECK(spot.create_order(order).error().code == ErrorCode::invalid_argument);
  CHECK(sender.sent.size() == 2);
}

TEST_CASE("bybit gateway: cancel_order reports the state a query finds after the acknowledgement") {
  // order/cancel-order.mdx: orderId c6f055d9-7f21-4079-913d-e6523a9cfffa, orderLinkId linear-004.
  const std::string id = "c6f055d9-7f21-4079-913d-e6523a9cfffa";
  venue::OrderRef ref;
  ref.symbol = "ETHPERP";
  ref.client_order_id = "linear-004";

  SUBCASE("the order is cancelled after a partial fill: the report says so, with the executed quantity") {
    ScriptedSender sender;
    bybit::V5Gateway linear(sender, Category::linear);
    sender.then(bybit_fixture("order_cancel.json"))
        .then(ok(R"({"category":"linear","nextPageCursor":"","list":[)" +
                 order_json(id, "linear-004", "Cancelled", "0.05", "52.5") + "]}"));
    const auto cancelled = linear.cancel_order(ref);
    REQUIRE(cancelled.has_value());
    REQUIRE(sender.sent.size() == 2);
    CHECK(sender.sent[0].endpoint == "POST /v5/order/cancel");
    CHECK(sender.sent[0].http.body == R"({"category":"linear","symbol":"ETHPERP","orderLinkId":"linear-004"})");
    CHECK(sender.sent[1].http.target() ==
          "/v5/order/realtime?symbol=ETHPERP&category=linear&orderId=" + id + "&openOnly=0");
    CHECK(cancelled->status == OrderStatus::canceled);
    CHECK(cancelled->order_id == id);
    CHECK(cancelled->executed_quantity == "0.05"_d);
    CHECK(cancelled->cumulative_quote == "52.5"_d);
    CHECK(cancelled->average_price == "1050"_d);  // 52.5 / 0.05
  }
  SUBCASE("the order still works (Bybit cancels asynchronously): pending_cancel with its state") {
    ScriptedSender sender;
    bybit::V5Gateway linear(sender, Category::linear);
    sender.then(bybit_fixture("order_cancel.json"))
        .then(ok(R"({"category":"linear","nextPageCursor":"","list":[)" +
                 order_json(id, "linear-004", "PartiallyFilled", "0.05", "52.5") + "]}"));
    const auto cancelling = linear.cancel_order(ref);
    REQUIRE(cancelling.has_value());
    CHECK(cancelling->status == OrderStatus::pending_cancel);
    CHECK(cancelling->executed_quantity == "0.05"_d);
  }
  SUBCASE("no query finds it: pending_cancel with the acknowledged ids") {
    ScriptedSender sender;
    bybit::V5Gateway linear(sender, Category::linear);
    sender.then(bybit_fixture("order_cancel.json")).then(empty_page("linear")).then(empty_page("linear"));
    const auto cancelling = linear.cancel_order(ref);
    REQUIRE(cancelling.has_value());
    CHECK(sender.sent.size() == 3);
    CHECK(sender.sent[2].endpoint == "GET /v5/order/history");
    CHECK(cancelling->status == OrderStatus::pending_cancel);
    CHECK(cancelling->order_id == id);
    CHECK(cancelling->client_order_id == "linear-004");
    CHECK(cancelling->symbol == "ETHPERP");
    CHECK(cancelling->time_ms == 1672217377164);
  }
  SUBCASE("error.mdx 110001 Order does not exist: order_not_found, nothing queried") {
    ScriptedSender sender;
    bybit::V5Gateway linear(sender, Category::linear);
    sender.then(failed(110001, "Order does not exist"));
    const auto missing = linear.cancel_order(ref);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::order_not_found);
    CHECK(missing.error().venue_code == "110001");
    CHECK(sender.sent.size() == 1);
  }
}

TEST_CASE("bybit gateway: query_order asks realtime, then history, by the reference it is given") {
  SUBCASE("realtime has it (open-order.mdx): one request") {
    ScriptedSender sender;
    bybit::V5Gateway linear(sender, Category::linear);
    sender.then(bybit_fixture("orders_realtime.json"));
    const auto found = linear.query_order({"ETHUSDT", std::nullopt, "test-000005"});
    REQUIRE(found.has_value());
    REQUIRE(sender.sent.size() == 1);
    CHECK(sender.sent[0].http.target() ==
          "/v5/order/realtime?symbol=ETHUSDT&category=linear&orderLinkId=test-000005&openOnly=0");
    CHECK(sender.sent[0].endpoint == "GET /v5/order/realtime");
    CHECK(sender.sent[0].security == Security::signed_);
    CHECK(found->order_id == "fd4300ae-7847-404e-b947-b46980a4d140");
    CHECK(found->status == OrderStatus::new_);
    CHECK(found->price == "1600.00"_d);
    CHECK(found->quantity == "0.10"_d);
    CHECK(found->position_side == venue::PositionSide::long_);
  }
  SUBCASE("realtime has nothing, history has it (order-list.mdx): two requests") {
    ScriptedSender sender;
    bybit::V5Gateway linear(sender, Category::linear);
    sender.then(empty_page("linear")).then(bybit_fixture("orders_history.json"));
    const auto found = linear.query_order({"BTCUSDT", std::nullopt, "YLxaWKMiHU"});
    REQUIRE(found.has_value());
    REQUIRE(sender.sent.size() == 2);
    CHECK(sender.sent[1].http.target() == "/v5/order/history?category=linear&symbol=BTCUSDT&orderLinkId=YLxaWKMiHU");
    CHECK(sender.sent[1].endpoint == "GET /v5/order/history");
    CHECK(found->order_id == "14bad3a1-6454-43d8-bcf2-5345896cf74d");
    CHECK(found->status == OrderStatus::canceled);
    CHECK(found->time_in_force == cts::TimeInForce::post_only);
    CHECK(found->price == "26864.40"_d);
    CHECK(found->quantity == "0.003"_d);
  }
  SUBCASE("by venue id; neither lists it: order_not_found") {
    ScriptedSender sender;
    bybit::V5Gateway spot(sender, Category::spot);
    sender.then(empty_page("spot")).then(empty_page("spot"));
    const auto missing = spot.query_order({"BTCUSDT", std::string("1321003749386327552"), "ignored"});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::order_not_found);
    REQUIRE(sender.sent.size() == 2);
    CHECK(sender.sent[0].http.query == "symbol=BTCUSDT&category=spot&orderId=1321003749386327552&openOnly=0");
    CHECK(sender.sent[1].http.query == "category=spot&symbol=BTCUSDT&orderId=1321003749386327552");
  }
}

TEST_CASE("bybit gateway: open_orders follows nextPageCursor; cancel_open_orders reports the listed ids") {
  ScriptedSender sender;
  bybit::V5Gateway linear(sender, Category::linear);
  // open-order.mdx's reply carries nextPageCursor page_args%3Dfd43...%26symbol%3D6%26.
  sender.then(bybit_fixture("orders_realtime.json")).then(empty_page("linear"));
  const auto open = linear.open_orders("ETHUSDT");
  REQUIRE(open.has_value());
  REQUIRE(open->size() == 1);
  CHECK((*open)[0].client_order_id == "test-000005");
  REQUIRE(sender.sent.size() == 2);
  CHECK(sender.sent[0].http.query == "symbol=ETHUSDT&category=linear&openOnly=0&limit=50");
  // The cursor goes back as a query value (percent-encoded by the builder).
  CHECK(sender.sent[1].http.query ==
        "symbol=ETHUSDT&category=linear&openOnly=0&limit=50&cursor="
        "page_args%253Dfd4300ae-7847-404e-b947-b46980a4d140%2526symbol%253D6%2526");

  // A venue that answers the same cursor again would be followed forever: refused.
  ScriptedSender looping;
  bybit::V5Gateway looped(looping, Category::linear);
  looping.then(bybit_fixture("orders_realtime.json")).then(bybit_fixture("orders_realtime.json"));
  const auto loop = looped.open_orders("ETHUSDT");
  REQUIRE_FALSE(loop);
  CHECK(loop.error().code == ErrorCode::protocol_error);
  CHECK(looping.sent.size() == 2);

  // order/cancel-all.mdx: two orders.
  ScriptedSender cancel_sender;
  bybit::V5Gateway spot(cancel_sender, Category::spot);
  cancel_sender.then(bybit_fixture("order_cancel_all.json"));
  const auto cancelled = spot.cancel_open_orders("BTCUSDT");
  REQUIRE(cancelled.has_value());
  REQUIRE(cancel_sender.sent.size() == 1);
  CHECK(cancel_sender.sent[0].endpoint == "POST /v5/order/cancel-all");
  CHECK(cancel_sender.sent[0].http.body == R"({"category":"spot","symbol":"BTCUSDT"})");
  REQUIRE(cancelled->size() == 2);
  CHECK((*cancelled)[0].order_id == "1616024329462743808");
  CHECK((*cancelled)[0].client_order_id == "1616024329462743809");
  CHECK((*cancelled)[1].order_id == "1616024287544869632");
  CHECK((*cancelled)[1].client_order_id == "1616024287544869633");
  for (const auto& report : *cancelled) {
    CHECK(report.symbol == "BTCUSDT");
    CHECK(report.status == OrderStatus::canceled);
  }
  // Nothing open: an empty list is order_not_found.
  cancel_sender.then(ok(R"({"list":[],"success":"1"})"));
  CHECK(spot.cancel_open_orders("BTCUSDT").error().code == ErrorCode::order_not_found);
}

TEST_CASE("bybit gateway: executions come back oldest first, an order's across pages") {
  // Three executions in execution.mdx's shape, newest first as Bybit sends them: e1 and
  // e2 at 1672282722429, e3 at 1672282600000.
  const auto execution = [](std::string_view id, std::string_view time, std::string_view price) {
    return fmt::format(
        R"({{"symbol":"BTCUSDT","orderId":"8c065341-7b52-4ca9-ac2c-37e31ac55c94","orderLinkId":"","side":"Buy",)"
        R"("execFee":"0.071409","execId":"{}","execPrice":"{}","execQty":"0.1","execType":"Trade",)"
        R"("execValue":"119.015","execTime":"{}","feeCurrency":"USDT","isMaker":false}})",
        id, price, time);
  };
  const std::string three =
      R"({"category":"spot","nextPageCursor":"","list":[)" + execution("e1", "1672282722429", "1190.15") + "," +
      execution("e2", "1672282722429", "1190.20") + "," + execution("e3", "1672282600000", "1189.90") + "]}";
  ScriptedSender sender;
  bybit::V5Gateway spot(sender, Category::spot);
  sender.then(ok(three));
  const auto recent = spot.recent_trades("BTCUSDT", 3);
  REQUIRE(recent.has_value());
  REQUIRE(sender.sent.size() == 1);
  CHECK(sender.sent[0].http.target() == "/v5/execution/list?category=spot&symbol=BTCUSDT&limit=3");
  CHECK(sender.sent[0].endpoint == "GET /v5/execution/list");
  REQUIRE(recent->size() == 3);
  // Oldest first: e3, then the two of the same millisecond in the reverse of Bybit's order.
  CHECK((*recent)[0].id == "e3");
  CHECK((*recent)[1].id == "e2");
  CHECK((*recent)[2].id == "e1");
  CHECK((*recent)[0].price == "1189.90"_d);
  CHECK((*recent)[0].quantity == "0.1"_d);
  CHECK((*recent)[0].commission == "0.071409"_d);
  CHECK((*recent)[0].commission_asset == "USDT");
  CHECK((*recent)[0].time_ms == 1672282600000);

  // More than a page: 150 asks for 100, then follows the cursor for the rest (100 again,
  // as the first page held 3); the older page's e0 comes first. At most `limit` are kept.
  const std::string first_page =
      R"({"category":"spot","nextPageCursor":"p2","list":[)" + execution("e1", "1672282722429", "1190.15") + "," +
      execution("e2", "1672282722429", "1190.20") + "," + execution("e3", "1672282600000", "1189.90") + "]}";
  const std::string older_page =
      R"({"category":"spot","nextPageCursor":"","list":[)" + execution("e0", "1672282500000", "1189.00") + "]}";
  ScriptedSender pages;
  bybit::V5Gateway paging(pages, Category::spot);
  pages.then(ok(first_page)).then(ok(older_page));
  const auto many = paging.recent_trades("BTCUSDT", 150);
  REQUIRE(many.has_value());
  REQUIRE(pages.sent.size() == 2);
  CHECK(pages.sent[0].http.query == "category=spot&symbol=BTCUSDT&limit=100");
  CHECK(pages.sent[1].http.query == "category=spot&symbol=BTCUSDT&limit=100&cursor=p2");
  REQUIRE(many->size() == 4);
  CHECK((*many)[0].id == "e0");
  CHECK((*many)[1].id == "e3");
  CHECK((*many)[3].id == "e1");
  pages.then(ok(first_page)).then(ok(older_page));
  const auto two = paging.recent_trades("BTCUSDT", 2);
  REQUIRE(two.has_value());
  CHECK(pages.sent[2].http.query == "category=spot&symbol=BTCUSDT&limit=2");
  CHECK(pages.sent.size() == 3);  // the first page had enough (a venue that sends more is cut to `limit`)
  REQUIRE(two->size() == 2);
  CHECK((*two)[0].id == "e2");  // the newest two, e1 and e2, oldest first
  CHECK((*two)[1].id == "e1");
  pages.replies.clear();

  // execution.mdx's reply has nextPageCursor 132766%3A2%2C132766%3A2: order_trades follows it.
  ScriptedSender paged;
  bybit::V5Gateway linear(paged, Category::linear);
  // Its feeCurrency is "" (derivatives pay fees in the settlement coin): the gateway asks
  // instruments-info once for ETHPERP, here a USDC perpetual written in
  // market/instrument.mdx's linear shape.
  paged.then(bybit_fixture("executions.json"))
      .then(empty_page("linear"))
      .then(ok(R"({"category":"linear","nextPageCursor":"","list":[{"symbol":"ETHPERP","contractType":)"
               R"("LinearPerpetual","status":"Trading","baseCoin":"ETH","quoteCoin":"USD","settleCoin":"USDC",)"
               R"("priceFilter":{"tickSize":"0.01"},"lotSizeFilter":{"qtyStep":"0.01","minOrderQty":"0.01",)"
               R"("maxOrderQty":"1000","minNotionalValue":"5"}}]})"));
  const auto trades = linear.order_trades("ETHPERP", "8c065341-7b52-4ca9-ac2c-37e31ac55c94");
  REQUIRE(trades.has_value());
  REQUIRE(paged.sent.size() == 3);
  CHECK(paged.sent[2].http.target() == "/v5/market/instruments-info?category=linear&symbol=ETHPERP");
  CHECK(paged.sent[0].http.query ==
        "category=linear&symbol=ETHPERP&orderId=8c065341-7b52-4ca9-ac2c-37e31ac55c94&limit=100");
  CHECK(paged.sent[1].http.query ==
        "category=linear&symbol=ETHPERP&orderId=8c065341-7b52-4ca9-ac2c-37e31ac55c94&limit=100&cursor="
        "132766%253A2%252C132766%253A2");
  REQUIRE(trades->size() == 1);
  CHECK((*trades)[0].id == "e0cbe81d-0f18-5866-9415-cf319b5dab3b");
  CHECK((*trades)[0].price == "1190.15"_d);
  CHECK((*trades)[0].quantity == "0.1"_d);
  CHECK((*trades)[0].quote_quantity == "119.015"_d);
  CHECK((*trades)[0].commission == "0.071409"_d);
  CHECK((*trades)[0].commission_asset == "USDC");
  CHECK_FALSE((*trades)[0].maker);
  // The settlement coin is remembered: no second lookup.
  paged.then(bybit_fixture("executions.json"));
  const auto again = linear.recent_trades("ETHPERP", 1);
  REQUIRE(again.has_value());
  CHECK(paged.sent.size() == 4);
  CHECK((*again)[0].commission_asset == "USDC");

  // A lookup that fails fails the listing (no fee without its asset).
  ScriptedSender unlisted;
  bybit::V5Gateway other(unlisted, Category::linear);
  unlisted.then(bybit_fixture("executions.json")).then(ok(R"({"category":"linear","list":[],"nextPageCursor":""})"));
  CHECK(other.recent_trades("ETHPERP", 1).error().code == ErrorCode::invalid_argument);
}

TEST_CASE("bybit gateway: balances from the unified wallet; positions for linear only") {
  ScriptedSender sender;
  bybit::V5Gateway linear(sender, Category::linear);
  // A wallet in wallet-balance.mdx's shape: USDT 1000.5 of which 200.25 locked by orders.
  sender.then(
      ok(R"({"list":[{"accountType":"UNIFIED","coin":[{"coin":"USDT","walletBalance":"1000.5","locked":"200.25"},)"
         R"({"coin":"BTC","walletBalance":"0.015","locked":"0"}]}]})"));
  const auto balances = linear.balances();
  REQUIRE(balances.has_value());
  CHECK(sender.sent[0].http.target() == "/v5/account/wallet-balance?accountType=UNIFIED");
  CHECK(sender.sent[0].endpoint == "GET /v5/account/wallet-balance");
  REQUIRE(balances->size() == 2);
  CHECK((*balances)[0] == venue::Balance{"USDT", "800.25"_d, "200.25"_d});  // 1000.5 − 200.25
  CHECK((*balances)[1] == venue::Balance{"BTC", "0.015"_d, "0"_d});

  // position/position.mdx: Sell 300 at avgPrice 27464.50441675, leverage 10, mark 28224.50.
  sender.then(bybit_fixture("positions.json"));
  const auto positions = linear.positions("BTCUSD");
  REQUIRE(positions.has_value());
  CHECK(sender.sent[1].http.target() == "/v5/position/list?category=linear&symbol=BTCUSD");
  CHECK(sender.sent[1].endpoint == "GET /v5/position/list");
  REQUIRE(positions->size() == 1);
  CHECK((*positions)[0].quantity == "-300"_d);
  CHECK((*positions)[0].entry_price == "27464.50441675"_d);
  CHECK((*positions)[0].mark_price == "28224.50"_d);
  CHECK((*positions)[0].leverage == "10"_d);

  ScriptedSender spot_sender;
  bybit::V5Gateway spot(spot_sender, Category::spot);
  CHECK(spot.positions("BTCUSDT").error().code == ErrorCode::unsupported);
  CHECK(spot_sender.sent.empty());
}

TEST_CASE("bybit gateway: the key's permissions from query-api, trade permission per category") {
  ScriptedSender sender;
  bybit::V5Gateway spot(sender, Category::spot);
  // user/apikey-info.mdx's key with its Spot permission removed: it trades contracts only.
  std::string text = bybit_fixture_text("api_key_info.json");
  text.replace(text.find(R"("SpotTrade")"), std::string_view(R"("SpotTrade")").size(), "");
  sender.then(response(200, text));
  const auto permissions = spot.api_permissions();
  REQUIRE(permissions.has_value());
  CHECK_FALSE(permissions->can_trade);
  CHECK_FALSE(permissions->can_withdraw);
  REQUIRE(sender.sent.size() == 1);
  CHECK(sender.sent[0].http.target() == "/v5/user/query-api");
  CHECK(sender.sent[0].security == venue::Security::signed_);

  bybit::V5Gateway linear(sender, Category::linear);
  sender.then(response(200, text));
  CHECK(linear.api_permissions().value().can_trade);

  // A refusal of query-api latches the key like any signed call's.
  sender.then(failed(10004, "Error sign, please check your signature generation algorithm."));
  CHECK(linear.api_permissions().error().code == ErrorCode::invalid_signature);
  CHECK(linear.credentials_refused().has_value());
  CHECK(linear.balances().error().code == ErrorCode::invalid_signature);
  CHECK(sender.sent.size() == 3);
}

TEST_CASE("bybit gateway: a refused key is latched; after it no signed request is sent") {
  SUBCASE("error.mdx 10003 API key is invalid") {
    ScriptedSender sender;
    bybit::V5Gateway spot(sender, Category::spot);
    sender.then(failed(10003, "API key is invalid."));
    const auto first = spot.balances();
    REQUIRE_FALSE(first);
    CHECK(first.error().code == ErrorCode::auth_failed);
    CHECK(first.error().venue_code == "10003");
    REQUIRE(spot.credentials_refused().has_value());
    CHECK(spot.credentials_refused()->code == ErrorCode::auth_failed);
    CHECK(spot.credentials_refused()->venue_code == "10003");
    venue::NewOrder order{"BTCUSDT", cts::Side::buy, cts::OrderType::limit, cts::TimeInForce::gtc,
                          "0.001"_d, "20000"_d,      std::nullopt,          "c-1"};
    CHECK(spot.create_order(order).error().code == ErrorCode::auth_failed);
    CHECK(spot.cancel_order({"BTCUSDT", std::nullopt, "c-1"}).error().code == ErrorCode::auth_failed);
    CHECK(spot.query_order({"BTCUSDT", std::nullopt, "c-1"}).error().code == ErrorCode::auth_failed);
    CHECK(spot.open_orders("BTCUSDT").error().code == ErrorCode::auth_failed);
    CHECK(spot.cancel_open_orders("BTCUSDT").error().code == ErrorCode::auth_failed);
    CHECK(spot.order_trades("BTCUSDT", "1").error().code == ErrorCode::auth_failed);
    CHECK(spot.recent_trades("BTCUSDT", 10).error().code == ErrorCode::auth_failed);
    CHECK(spot.balances().error().code == ErrorCode::auth_failed);
    CHECK(spot.api_permissions().error().code == ErrorCode::auth_failed);
    CHECK(sender.sent.size() == 1);
    // Public data needs no key: still sent.
    sender.then(bybit_fixture("market_time.json"));
    CHECK(spot.server_time_ms().has_value());
    CHECK(sender.sent.size() == 2);
  }
  SUBCASE("error.mdx 10004 Error sign: invalid_signature, latched") {
    ScriptedSender sender;
    bybit::V5Gateway linear(sender, Category::linear);
    sender.then(failed(10004, "Error sign, please check your signature generation algorithm."));
    CHECK(linear.open_orders("BTCUSDT").error().code == ErrorCode::invalid_signature);
    CHECK(linear.positions("BTCUSDT").error().code == ErrorCode::invalid_signature);
    CHECK(sender.sent.size() == 1);
  }
  SUBCASE("HTTP 401 without an envelope, and 33004 key expired, latch too") {
    ScriptedSender sender;
    bybit::V5Gateway linear(sender, Category::linear);
    sender.then(response(401, ""));
    CHECK(linear.balances().error().code == ErrorCode::auth_failed);
    CHECK(linear.credentials_refused().has_value());
    ScriptedSender expired;
    bybit::V5Gateway other(expired, Category::linear);
    expired.then(failed(33004, "Your api key has expired"));
    CHECK(other.recent_trades("BTCUSDT", 5).error().venue_code == "33004");
    CHECK(other.credentials_refused().has_value());
  }
  SUBCASE("an error that is not about the key latches nothing") {
    ScriptedSender sender;
    bybit::V5Gateway spot(sender, Category::spot);
    sender.then(failed(10006, "Too many visits!")).then(bybit_fixture("order_cancel_all.json"));
    CHECK(spot.balances().error().code == ErrorCode::rate_limited);
    CHECK_FALSE(spot.credentials_refused().has_value());
    CHECK(spot.cancel_open_orders("BTCUSDT").has_value());
    CHECK(sender.sent.size() == 2);
  }
}

TEST_CASE("bybit rate policy: every endpoint the builders name is priced, so RestChannel sends them") {
  const cts::rate::VenuePolicy& policy = cts::rate::policy_for(cts::VenueId::bybit);
  venue::NewOrder order{"BTCUSDT", cts::Side::buy, cts::OrderType::limit, cts::TimeInForce::gtc,
                        "0.001"_d, "20000"_d,      std::nullopt,          "c-1"};
  const venue::OrderRef ref{"BTCUSDT", std::nullopt, "c-1"};
  venue::OrderAmendment amendment;
  amendment.order = ref;
  amendment.price = "20001"_d;
  bybit::OpenOrdersQuery open;
  open.symbol = "BTCUSDT";
  const std::vector<Result<Request>> requests{
      bybit::server_time(),
      bybit::instruments_info(Category::spot, "BTCUSDT"),
      bybit::orderbook(Category::spot, "BTCUSDT", 1000),
      bybit::orderbook(Category::linear, "BTCUSDT"),
      bybit::tickers(Category::linear, "BTCUSDT"),
      bybit::create_order(Category::spot, order),
      bybit::create_order(Category::linear, order),
      bybit::amend_order(Category::spot, amendment),
      bybit::cancel_order(Category::linear, ref),
      bybit::cancel_all_orders(Category::spot, "BTCUSDT"),
      bybit::create_batch(Category::linear, std::span(&order, 1)),
      bybit::amend_batch(Category::spot, std::span(&amendment, 1)),
      bybit::cancel_batch(Category::spot, std::span(&ref, 1)),
      bybit::open_orders(Category::spot, open),
      bybit::order_history(Category::spot),
      bybit::executions(Category::linear),
      bybit::positions(Category::linear, "BTCUSDT"),
      bybit::wallet_balance(),
  };
  for (const Result<Request>& request : requests) {
    REQUIRE(request.has_value());
    INFO(request->endpoint);
    CHECK(request->venue == cts::VenueId::bybit);
    CHECK(policy.cost(request->endpoint, request->cost_param).has_value());
  }
}

TEST_CASE("bybit rate limit: X-Bapi-Limit-Status fed to the limiter as RestChannel feeds it holds the endpoint") {
  // RestChannel calls limiter.on_response(response, now, wall_now, &cost) with the
  // request's cost; the Bybit policy names X-Bapi-Limit-Status as the account pools'
  // "remaining" header (rate-limit.mdx).
  const cts::rate::VenuePolicy& policy = cts::rate::policy_for(cts::VenueId::bybit);
  const auto cost = policy.cost("POST /v5/order/create (spot)");
  REQUIRE(cost.has_value());
  const cts::SteadyTime now{std::chrono::seconds{1000}};
  const cts::SystemTime wall{std::chrono::milliseconds{1'700'000'000'000}};

  cts::rate::Limiter untouched(policy);
  CHECK(untouched.try_acquire(*cost, now).admitted());

  cts::rate::Limiter limiter(policy);
  HttpResponse exhausted = response(200, "{}");
  exhausted.set_header("X-Bapi-Limit", "20");
  exhausted.set_header("X-Bapi-Limit-Status", "0");
  exhausted.set_header("X-Bapi-Limit-Reset-Timestamp", "1700000000824");
  const auto feedback = limiter.on_response(exhausted, now, wall, &*cost);
  REQUIRE(feedback.has_value());
  CHECK(feedback->pools_resynced == 1);
  CHECK_FALSE(limiter.try_acquire(*cost, now).admitted());
}
