// Tests for cts/venue/binance/rest_parsers.hpp on the recorded documentation payloads of
// tests/fixtures/binance (expected values are the ones printed in Binance's docs), and
// every parser's bad-input path.
#include <cts/venue/binance/rest_parsers.hpp>

#include <string>

#include <doctest/doctest.h>

#include "support.hpp"

using cts::ErrorCode;
using cts::venue::OrderStatus;
using cts::venue::binance::Market;
using cts::venue::binance::Operation;
using cts_test::binance_fixture;
using cts_test::response;
namespace binance = cts::venue::binance;
using namespace cts::literals;

namespace {
// The protocol error a parser gives for `body` (status 200).
template <class Parse>
cts::Error protocol_error_for(std::string body, Parse parse) {
  auto result = parse(response(200, std::move(body)));
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().code == ErrorCode::protocol_error);
  return result.error();
}
bool mentions(const cts::Error& error, std::string_view text) {
  return error.message.find(text) != std::string::npos;
}
}  // namespace

TEST_CASE("server time") {
  CHECK(*binance::parse_server_time(binance_fixture("spot_time.json")) == 1499827319559);
  const auto e = protocol_error_for("{}", [](const auto& r) { return binance::parse_server_time(r); });
  CHECK(mentions(e, "serverTime"));
}

TEST_CASE("depth snapshot: spot and USD-M documentation examples") {
  const auto spot = binance::parse_order_book(binance_fixture("spot_depth.json"));
  REQUIRE(spot.has_value());
  CHECK(spot->last_update_id == 1027024);
  REQUIRE(spot->bids.size() == 1);
  CHECK(spot->bids[0].price == "4.00000000"_d);
  CHECK(spot->bids[0].quantity == "431.00000000"_d);
  REQUIRE(spot->asks.size() == 1);
  CHECK(spot->asks[0].price == "4.00000200"_d);
  CHECK(spot->asks[0].quantity == "12.00000000"_d);

  const auto usdm = binance::parse_order_book(binance_fixture("usdm_depth.json"));
  REQUIRE(usdm.has_value());
  CHECK(usdm->event_time_ms == 1589436922972);
  CHECK(usdm->last_update_id == 1027024);
}

TEST_CASE("depth snapshot: bad input gives a protocol error naming the field") {
  auto parse = [](const auto& r) { return binance::parse_order_book(r); };
  CHECK(mentions(protocol_error_for(R"({"lastUpdateId":1,"bids":[["1","2"]]})", parse), "\"asks\" is missing"));
  CHECK(mentions(protocol_error_for(R"({"lastUpdateId":1,"bids":[["x","2"]],"asks":[]})", parse), "bids"));
  CHECK(mentions(protocol_error_for(R"({"lastUpdateId":1,"bids":[[1.5,"2"]],"asks":[]})", parse), "bids"));
  CHECK(mentions(protocol_error_for(R"({"lastUpdateId":1,"bids":[["1"]],"asks":[]})", parse), "fewer than 2"));
  CHECK(mentions(protocol_error_for(R"({"lastUpdateId":"1","bids":[],"asks":[]})", parse), "lastUpdateId"));
  // Oversize numbers: a price beyond the decimal's range, an id beyond 64 bits.
  CHECK(mentions(protocol_error_for(R"({"lastUpdateId":1,"bids":[["1234567890123456789012345.5","1"]],"asks":[]})", parse),
                 "bids"));
  CHECK(mentions(protocol_error_for(R"({"lastUpdateId":123456789012345678901234,"bids":[],"asks":[]})", parse),
                 "lastUpdateId"));
  // Too many decimals to be exact.
  CHECK(mentions(protocol_error_for(R"({"lastUpdateId":1,"bids":[["0.0000000000000000001","1"]],"asks":[]})", parse),
                 "bids"));
  // Malformed and truncated JSON, wrong root type, trailing garbage, empty body.
  CHECK(mentions(protocol_error_for(R"({"lastUpdateId":1,"bids":[["1","2"]],"asks":[)", parse), "malformed JSON"));
  CHECK(mentions(protocol_error_for(R"({"lastUpdateId":1,"bids":[["1","2"]] "asks":[]})", parse), "malformed JSON"));
  CHECK(mentions(protocol_error_for("[]", parse), "malformed JSON"));
  CHECK(mentions(protocol_error_for(R"({"lastUpdateId":1,"bids":[],"asks":[]} x)", parse), "malformed JSON"));
  CHECK(mentions(protocol_error_for("", parse), "malformed JSON"));
}

TEST_CASE("depth snapshot: parsing into a snapshot reuses it") {
  cts::venue::BookSnapshot book;
  REQUIRE(binance::parse_order_book(binance_fixture("spot_depth.json"), book).has_value());
  REQUIRE(binance::parse_order_book(binance_fixture("spot_depth.json"), book).has_value());
  CHECK(book.bids.size() == 1);
}

TEST_CASE("recent trades") {
  const auto trades = binance::parse_trades(binance_fixture("spot_trades.json"));
  REQUIRE(trades.has_value());
  REQUIRE(trades->size() == 1);
  CHECK((*trades)[0].id == "28457");
  CHECK((*trades)[0].price == "4.00000100"_d);
  CHECK((*trades)[0].quantity == "12.00000000"_d);
  CHECK((*trades)[0].time_ms == 1499865549590);
  CHECK((*trades)[0].buyer_is_maker);
  auto parse = [](const auto& r) { return binance::parse_trades(r); };
  CHECK(mentions(protocol_error_for(R"([{"id":1,"price":"1","qty":"1","time":1}])", parse), "isBuyerMaker"));
  CHECK(mentions(protocol_error_for(R"([{"id":1,"price":"1","qty":"1","time":1,"isBuyerMaker":"yes"}])", parse),
                 "isBuyerMaker"));
  CHECK(mentions(protocol_error_for(R"([1])", parse), "not an object"));
}

TEST_CASE("book ticker: spot and USD-M") {
  const auto spot = binance::parse_book_ticker(binance_fixture("spot_book_ticker.json"));
  REQUIRE(spot.has_value());
  CHECK(spot->symbol == "LTCBTC");
  CHECK(spot->bid_price == "4.00000000"_d);
  CHECK(spot->bid_quantity == "431.00000000"_d);
  CHECK(spot->ask_price == "4.00000200"_d);
  CHECK(spot->ask_quantity == "9.00000000"_d);
  const auto usdm = binance::parse_book_ticker(binance_fixture("usdm_book_ticker.json"));
  REQUIRE(usdm.has_value());
  CHECK(usdm->update_id == 1027024);
  CHECK(mentions(protocol_error_for(R"({"symbol":"X","bidPrice":"1","bidQty":"1","askPrice":"1"})",
                                    [](const auto& r) { return binance::parse_book_ticker(r); }),
                 "askQty"));
}

TEST_CASE("spot order FULL reply: status, quantities and fills") {
  const auto order = binance::parse_order(binance_fixture("spot_order_full.json"), Market::spot, Operation::mutation);
  REQUIRE(order.has_value());
  CHECK(order->symbol == "BTCUSDT");
  CHECK(order->order_id == "28");
  CHECK(order->client_order_id == "6gCrw2kRUAF9CvJDGP16IP");
  CHECK(order->status == OrderStatus::filled);
  CHECK(order->type == cts::OrderType::market);
  CHECK(order->side == cts::Side::sell);
  CHECK(order->quantity == "10"_d);
  CHECK(order->executed_quantity == "10"_d);
  CHECK(order->cumulative_quote == "10"_d);
  CHECK(order->time_ms == 1507725176595);
  REQUIRE(order->fills.size() == 5);
  CHECK(order->fills[0].price == "4000"_d);
  CHECK(order->fills[0].quantity == "1"_d);
  CHECK(order->fills[0].commission == "4"_d);
  CHECK(order->fills[0].commission_asset == "USDT");
  CHECK(order->fills[0].trade_id == "56");
  CHECK(order->fills[1].commission == "19.995"_d);
  CHECK(order->fills[4].trade_id == "60");
}

TEST_CASE("spot query and cancel replies") {
  const auto query = binance::parse_order(binance_fixture("spot_order_query.json"), Market::spot, Operation::read);
  REQUIRE(query.has_value());
  CHECK(query->status == OrderStatus::new_);
  CHECK(query->type == cts::OrderType::limit);
  CHECK(query->time_in_force == cts::TimeInForce::gtc);
  CHECK(query->price == "0.1"_d);
  CHECK(query->executed_quantity.is_zero());
  CHECK(query->average_price.is_zero());

  const auto cancel = binance::parse_order(binance_fixture("spot_order_cancel.json"), Market::spot, Operation::mutation);
  REQUIRE(cancel.has_value());
  CHECK(cancel->status == OrderStatus::canceled);
  // The cancelled order's client id is origClientOrderId, not the cancel's own id.
  CHECK(cancel->client_order_id == "myOrder1");
  CHECK(cancel->order_id == "4");
}

TEST_CASE("order ids: the venue's digits kept as text, anything else refused") {
  const auto parse = [](std::string body) {
    return binance::parse_order(response(200, std::move(body)), Market::spot, Operation::read);
  };
  const std::string head = R"({"symbol":"BTCUSDT","orderId":)";
  const std::string tail =
      R"(,"clientOrderId":"a","status":"NEW","type":"LIMIT","side":"BUY","origQty":"1","executedQty":"0"})";
  // Larger than any int64: still exact, because it is never converted.
  CHECK(parse(head + "18446744073709551615" + tail)->order_id == "18446744073709551615");
  for (const char* bad : {R"("28")", "-28", "2.8e1", "28.0", "null", "true", "123456789012345678901"}) {
    INFO(bad);
    const auto refused = parse(head + bad + tail);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::protocol_error);
    CHECK(mentions(refused.error(), "orderId"));
  }
}

TEST_CASE("order replies: average price, LIMIT_MAKER, enum errors") {
  const auto maker = binance::parse_order(
      response(200, R"({"symbol":"A","orderId":1,"clientOrderId":"c","status":"PARTIALLY_FILLED","type":"LIMIT_MAKER",)"
                    R"("side":"BUY","origQty":"3","executedQty":"2","cummulativeQuoteQty":"5","price":"2.5"})"),
      Market::spot, Operation::read);
  REQUIRE(maker.has_value());
  CHECK(maker->time_in_force == cts::TimeInForce::post_only);
  CHECK(maker->type == cts::OrderType::limit);
  CHECK(maker->average_price == "2.5"_d);

  auto parse = [](const auto& r) { return binance::parse_order(r, Market::spot, Operation::read); };
  const std::string base = R"({"symbol":"A","orderId":1,"clientOrderId":"c","type":"LIMIT","side":"BUY","origQty":"1","executedQty":"0",)";
  CHECK(mentions(protocol_error_for(base + R"("status":"HALF_DONE"})", parse), "unknown value \"HALF_DONE\""));
  CHECK(mentions(protocol_error_for(base + R"("status":"NEW","timeInForce":"GTX2"})", parse), "timeInForce"));
  CHECK(mentions(protocol_error_for(R"({"symbol":"A","orderId":1,"clientOrderId":"c","status":"NEW","type":"STOP",)"
                                    R"("side":"BUY","origQty":"1","executedQty":"0"})",
                                    parse),
                 "type"));
  CHECK(mentions(protocol_error_for(base.substr(0, base.size() - 1) + "}", parse), "\"status\" is missing"));
  CHECK(mentions(protocol_error_for(base + R"("status":"NEW","fills":[{"price":"1"}]})", parse), "qty"));
}

TEST_CASE("order replies: Binance errors map and keep the raw code") {
  const auto rejected = binance::parse_order(
      response(400, R"({"code":-2010,"msg":"Account has insufficient balance for requested action."})"), Market::spot,
      Operation::mutation);
  REQUIRE_FALSE(rejected.has_value());
  CHECK(rejected.error().code == ErrorCode::insufficient_funds);
  CHECK(rejected.error().venue_code == "-2010");
  const auto unknown = binance::parse_order(response(502, "Bad Gateway"), Market::spot, Operation::mutation);
  CHECK(unknown.error().code == ErrorCode::unknown_outcome);
  const auto missing = binance::parse_order(response(400, R"({"code":-2013,"msg":"Order does not exist."})"),
                                            Market::spot, Operation::read);
  CHECK(missing.error().code == ErrorCode::order_not_found);
}

TEST_CASE("USD-M order reply") {
  const auto order = binance::parse_order(binance_fixture("usdm_order.json"), Market::usdm, Operation::mutation);
  REQUIRE(order.has_value());
  CHECK(order->client_order_id == "testOrder");
  CHECK(order->order_id == "22542179");
  CHECK(order->status == OrderStatus::new_);
  CHECK(order->type == cts::OrderType::stop_market);
  CHECK(order->trailing);
  CHECK(order->position_side == cts::venue::PositionSide::short_);
  CHECK(order->trigger_price == "9300"_d);
  CHECK(order->quantity == "10"_d);
  CHECK(order->time_ms == 1566818724722);
  CHECK_FALSE(order->reduce_only);
}

TEST_CASE("open orders list") {
  const std::string body = "[" + cts_test::binance_fixture_text("spot_order_query.json") + "," +
                           cts_test::binance_fixture_text("spot_order_cancel.json") + "]";
  const auto orders = binance::parse_orders(response(200, body), Market::spot, Operation::read);
  REQUIRE(orders.has_value());
  REQUIRE(orders->size() == 2);
  CHECK((*orders)[0].order_id == "1");
  CHECK((*orders)[1].order_id == "4");
  CHECK(binance::parse_orders(response(200, "[]"), Market::spot, Operation::read)->empty());
  CHECK(binance::parse_orders(response(200, "{}"), Market::spot, Operation::read).error().code ==
        ErrorCode::protocol_error);
}

TEST_CASE("spot balances") {
  const auto balances = binance::parse_spot_balances(binance_fixture("spot_account.json"));
  REQUIRE(balances.has_value());
  REQUIRE(balances->size() == 2);
  CHECK((*balances)[0] == cts::venue::Balance{"BTC", "4723846.89208129"_d, "0"_d});
  CHECK((*balances)[1] == cts::venue::Balance{"LTC", "4763368.68006011"_d, "0"_d});
  auto parse = [](const auto& r) { return binance::parse_spot_balances(r); };
  CHECK(mentions(protocol_error_for(R"({"canTrade":true})", parse), "balances"));
  CHECK(mentions(protocol_error_for(R"({"balances":[{"asset":"BTC","free":"1"}]})", parse), "locked"));
}

TEST_CASE("futures balances") {
  const auto balances = binance::parse_futures_balances(binance_fixture("usdm_balance.json"));
  REQUIRE(balances.has_value());
  REQUIRE(balances->size() == 1);
  CHECK((*balances)[0].asset == "USDT");
  CHECK((*balances)[0].wallet_balance == "122607.35137903"_d);
  CHECK((*balances)[0].cross_wallet_balance == "23.72469206"_d);
  CHECK((*balances)[0].available_balance == "23.72469206"_d);
  CHECK(binance::parse_futures_balances(response(200, R"([{"asset":"USDT"}])")).error().code ==
        ErrorCode::protocol_error);
}

TEST_CASE("account trades: spot and USD-M spellings") {
  const auto spot = binance::parse_account_trades(binance_fixture("spot_my_trades.json"));
  REQUIRE(spot.has_value());
  REQUIRE(spot->size() == 1);
  const auto& t = (*spot)[0];
  CHECK(t.symbol == "BNBBTC");
  CHECK(t.id == "28457");
  CHECK(t.order_id == "100234");
  CHECK(t.side == cts::Side::buy);
  CHECK_FALSE(t.maker);
  CHECK(t.price == "4.00000100"_d);
  CHECK(t.quote_quantity == "48.000012"_d);
  CHECK(t.commission == "10.1"_d);
  CHECK(t.commission_asset == "BNB");

  const auto usdm = binance::parse_account_trades(binance_fixture("usdm_user_trades.json"));
  REQUIRE(usdm.has_value());
  const auto& u = (*usdm)[0];
  CHECK(u.side == cts::Side::sell);
  CHECK(u.commission == -"0.07819010"_d);
  CHECK(u.realized_pnl == -"0.91539999"_d);
  CHECK(u.quantity == "0.002"_d);
  CHECK(mentions(protocol_error_for(R"([{"symbol":"A","id":1,"orderId":2,"price":"1","qty":"1","commission":"0",)"
                                    R"("commissionAsset":"X","time":1}])",
                                    [](const auto& r) { return binance::parse_account_trades(r); }),
                 "isBuyer"));
}

TEST_CASE("positions: v2 with leverage and margin type, v3 with a signed size") {
  const auto v2 = binance::parse_positions(binance_fixture("usdm_position_risk_v2.json"));
  REQUIRE(v2.has_value());
  REQUIRE(v2->size() == 1);
  CHECK((*v2)[0].symbol == "BTCUSDT");
  CHECK((*v2)[0].quantity.is_zero());
  CHECK((*v2)[0].mark_price == "6679.50671178"_d);
  CHECK((*v2)[0].leverage == "10"_d);
  CHECK((*v2)[0].margin_mode == cts::venue::MarginMode::isolated);

  const auto v3 = binance::parse_positions(binance_fixture("usdm_position_risk_v3.json"));
  REQUIRE(v3.has_value());
  CHECK((*v3)[0].quantity == "30"_d);
  CHECK((*v3)[0].entry_price == "0.385"_d);
  CHECK((*v3)[0].unrealized_pnl == "0.764277"_d);
  CHECK((*v3)[0].notional == "12.314277"_d);
  CHECK_FALSE((*v3)[0].leverage.has_value());
  CHECK((*v3)[0].update_time_ms == 1720736417660);

  auto parse = [](const auto& r) { return binance::parse_positions(r); };
  CHECK(mentions(protocol_error_for(R"([{"symbol":"A","positionAmt":"1","entryPrice":"1","markPrice":"1",)"
                                    R"("unRealizedProfit":"0","marginType":"portfolio"}])",
                                    parse),
                 "marginType"));
  CHECK(mentions(protocol_error_for(R"([{"symbol":"A","positionAmt":"1","entryPrice":"1","markPrice":"1",)"
                                    R"("unRealizedProfit":"0","leverage":"2.5"}])",
                                    parse),
                 "leverage"));
}

TEST_CASE("leverage and margin mode replies") {
  const auto leverage = binance::parse_leverage(binance_fixture("usdm_leverage.json"));
  REQUIRE(leverage.has_value());
  CHECK(leverage->symbol == "BTCUSDT");
  CHECK(leverage->leverage == 21);
  CHECK(leverage->max_notional == "1000000"_d);
  CHECK(binance::parse_leverage(response(200, R"({"leverage":21})")).error().code == ErrorCode::protocol_error);

  CHECK(binance::parse_acknowledgement(response(200, R"({"code":200,"msg":"success"})")).has_value());
  CHECK(binance::parse_acknowledgement(response(400, R"({"code":-4046,"msg":"No need to change margin type."})"))
            .has_value());
  const auto refused = binance::parse_acknowledgement(response(400, R"({"code":-4048,"msg":"Margin type cannot be changed if there exists position."})"));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().venue_code == "-4048");
  CHECK(binance::parse_acknowledgement(response(200, "[]")).error().code == ErrorCode::protocol_error);
}

TEST_CASE("batch orders: one result per order, error elements mapped") {
  const auto batch = binance::parse_batch_orders(binance_fixture("usdm_batch_orders.json"));
  REQUIRE(batch.has_value());
  REQUIRE(batch->size() == 2);
  REQUIRE((*batch)[0].has_value());
  CHECK((*batch)[0]->order_id == "22542179");
  CHECK((*batch)[0]->client_order_id == "testOrder");
  REQUIRE_FALSE((*batch)[1].has_value());
  CHECK((*batch)[1].error().venue_code == "-2022");
  CHECK((*batch)[1].error().code == ErrorCode::rejected);
  CHECK(binance::parse_batch_orders(response(200, R"([{"orderId":1}])")).error().code == ErrorCode::protocol_error);
  CHECK(binance::parse_batch_orders(response(503, "")).error().code == ErrorCode::unknown_outcome);
}

TEST_CASE("listen key") {
  const auto key = binance::parse_listen_key(
      response(200, R"({"listenKey":"pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1"})"));
  REQUIRE(key.has_value());
  CHECK(*key == "pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1");
  CHECK(binance::parse_listen_key(response(200, "{}")).error().code == ErrorCode::protocol_error);
}
