// Tests for cts/venue/pionex/{market,orders,account,errors}.hpp on the replies of
// tests/fixtures/pionex (the specification's examples, and replies written after its
// schemas: see the README there). Expected values are the files'.
#include <cts/venue/pionex/account.hpp>
#include <cts/venue/pionex/market.hpp>
#include <cts/venue/pionex/orders.hpp>

#include <string>

#include <doctest/doctest.h>

#include "support.hpp"

using cts::ErrorCode;
using cts::venue::OrderStatus;
using cts::venue::Operation;
using cts_test::pionex_fixture;
using cts_test::pionex_fixture_text;
using cts_test::response;
namespace pionex = cts::venue::pionex;
using namespace cts::literals;

TEST_CASE("pionex replies: the specification's failure example is the venue's error, its code kept") {
  const auto failed = pionex::parse_balances(pionex_fixture("error_invalid_symbol.json"));
  CHECK(failed.error().code == ErrorCode::invalid_argument);
  CHECK(failed.error().venue_code == "TRADE_INVAILD_SYMBOL");
  CHECK(failed.error().message == "pionex TRADE_INVAILD_SYMBOL: Invalid symbol");
  // The same reply with an HTTP 400 keeps the venue's code.
  CHECK(pionex::parse_order(response(400, pionex_fixture_text("error_invalid_symbol.json"))).error().venue_code ==
        "TRADE_INVAILD_SYMBOL");
  // A status without an envelope: the status' error.
  CHECK(pionex::parse_balances(response(429, "")).error().code == ErrorCode::rate_limited);
  // A 429 is the rate limit whatever its body names (never an unknown outcome).
  CHECK(pionex::parse_new_order(response(429, R"({"result":false,"code":"SOMETHING","message":"slow down"})"))
            .error()
            .code == ErrorCode::rate_limited);
  CHECK(pionex::parse_new_order(response(502, "<html>")).error().code == ErrorCode::unknown_outcome);
  CHECK(pionex::parse_balances(response(502, "<html>")).error().code == ErrorCode::venue_unavailable);
}

TEST_CASE("pionex replies: every documented code maps to its unified category") {
  using pionex::map_code;
  for (const char* code : {"APIKEY_LOST", "SIGNATURE_LOST", "IP_NOT_WHITELISTED", "INVALID_APIKEY", "APIKEY_EXPIRED",
                           "PERMISSION_DENIED"}) {
    CAPTURE(code);
    CHECK(map_code(code, Operation::read) == ErrorCode::auth_failed);
  }
  CHECK(map_code("INVALID_SIGNATURE", Operation::mutation) == ErrorCode::invalid_signature);
  CHECK(map_code("INVALID_TIMESTAMP", Operation::mutation) == ErrorCode::timestamp_out_of_window);
  for (const char* code : {"TRADE_INVALID_SYMBOL", "TRADE_PARAMETER_ERROR", "MARKET_INVALID_SYMBOL",
                           "MARKET_PARAMETER_ERROR", "MARKET_INVALID_TIME"}) {
    CAPTURE(code);
    CHECK(map_code(code, Operation::mutation) == ErrorCode::invalid_argument);
  }
  CHECK(map_code("TRADE_OPERATION_DENIED", Operation::mutation) == ErrorCode::rejected);
  CHECK(map_code("TRADE_ORDER_NOT_FOUND", Operation::read) == ErrorCode::order_not_found);
  CHECK(map_code("TRADE_SOMETHING_NEW", Operation::mutation) == ErrorCode::rejected);
  CHECK(map_code("SERVER_BUSY", Operation::mutation) == ErrorCode::unknown_outcome);
  CHECK(map_code("SERVER_BUSY", Operation::read) == ErrorCode::protocol_error);
}

TEST_CASE("pionex replies: a malformed envelope is a protocol_error") {
  CHECK(pionex::parse_balances(response(200, "{")).error().code == ErrorCode::protocol_error);
  CHECK(pionex::parse_balances(response(200, R"({"data":{"balances":[]}})")).error().code ==
        ErrorCode::protocol_error);  // no result
  CHECK(pionex::parse_balances(response(200, R"({"result":true})")).error().code == ErrorCode::protocol_error);
  CHECK(pionex::parse_balances(response(200, R"({"result":false})")).error().code == ErrorCode::protocol_error);
  CHECK(pionex::parse_balances(response(200, R"({"result":"yes","data":{"balances":[]}})")).error().code ==
        ErrorCode::protocol_error);
  // Unknown members anywhere are skipped.
  const auto extra = pionex::parse_balances(
      response(200, R"({"result":true,"x":[1],"data":{"y":{},"balances":[{"coin":"BTC","free":"1","frozen":"0","z":2}]}})"));
  REQUIRE(extra);
  CHECK(extra->at(0).free == "1"_d);
}

TEST_CASE("pionex replies: balances (the specification's example)") {
  const auto balances = pionex::parse_balances(pionex_fixture("balances.json")).value();
  REQUIRE(balances.size() == 2);
  CHECK(balances[0].asset == "BTC");
  CHECK(balances[0].free == "0.9"_d);
  CHECK(balances[0].locked == "0"_d);
  CHECK(balances[1].asset == "USDT");
  CHECK(balances[1].free == "100"_d);
  CHECK(balances[1].locked == "900"_d);
  const auto bad = pionex::parse_balances(response(200, R"({"result":true,"data":{"balances":[{"coin":"BTC","free":0.9,"frozen":"0"}]}})"));
  CHECK(bad.error().code == ErrorCode::protocol_error);  // a bare number is no exact decimal
  CHECK(bad.error().message.find("free") != std::string::npos);
}

TEST_CASE("pionex replies: symbols with their precisions as steps") {
  const auto listed = pionex::parse_symbols(pionex_fixture("symbols.json")).value();
  REQUIRE(listed.size() == 1);
  const cts::Instrument& btc = listed[0].instrument;
  CHECK(btc.venue_symbol == "BTC_USDT");
  CHECK(btc.base == "BTC");
  CHECK(btc.quote == "USDT");
  CHECK(btc.kind == cts::InstrumentKind::spot);
  CHECK(btc.step_size == "0.000001"_d);  // basePrecision 6
  CHECK(btc.tick_size == "0.01"_d);      // quotePrecision 2
  CHECK(btc.min_quantity == "0.000001"_d);
  CHECK(btc.max_quantity == "1000"_d);
  CHECK(btc.min_notional == "10"_d);
  CHECK(listed[0].trading());
  std::string disabled = pionex_fixture_text("symbols.json");
  disabled.replace(disabled.find("\"enable\": true"), 14, "\"enable\": false");
  CHECK(pionex::parse_symbols(response(200, disabled)).value()[0].state == cts::venue::InstrumentStatus::halted);
  std::string wide = pionex_fixture_text("symbols.json");
  wide.replace(wide.find("\"basePrecision\": 6"), 18, "\"basePrecision\": 19");
  CHECK(pionex::parse_symbols(response(200, wide)).error().code == ErrorCode::protocol_error);
}

TEST_CASE("pionex replies: depth, trades, tickers and book tickers") {
  const auto book = pionex::parse_order_book(pionex_fixture("depth.json")).value();
  REQUIRE(book.bids.size() == 2);
  REQUIRE(book.asks.size() == 2);
  CHECK(book.bids[0].price == "27964.01"_d);
  CHECK(book.bids[1].quantity == "0.9111"_d);
  CHECK(book.asks[0].price == "27979.32"_d);
  CHECK(book.asks[1].quantity == "1.0294"_d);
  CHECK(book.event_time_ms == 1566691672311);
  CHECK(book.last_update_id == 0);

  const auto trades = pionex::parse_market_trades(pionex_fixture("trades.json")).value();
  REQUIRE(trades.size() == 2);
  CHECK(trades[0].id == "600848671");
  CHECK(trades[0].price == "7962.62"_d);
  CHECK(trades[0].quantity == "0.0122"_d);
  CHECK(trades[0].time_ms == 1566691672311);  // a string in MarketTrade
  CHECK_FALSE(trades[0].buyer_is_maker);      // the taker bought
  CHECK(trades[1].buyer_is_maker);

  const auto tickers = pionex::parse_tickers(pionex_fixture("tickers.json")).value();
  REQUIRE(tickers.size() == 1);
  CHECK(tickers[0].symbol == "BTC_USDT");
  CHECK(tickers[0].last_price == "7962.62"_d);
  CHECK(tickers[0].volume_24h == "1204.5321"_d);
  CHECK(tickers[0].turnover_24h == "9573410.77"_d);
  CHECK(tickers[0].time_ms == 1566691672311);

  const auto best = pionex::parse_book_tickers(pionex_fixture("book_tickers.json")).value();
  REQUIRE(best.size() == 1);
  CHECK(best[0].bid_price == "27964.01"_d);
  CHECK(best[0].bid_quantity == "0.0675"_d);
  CHECK(best[0].ask_price == "27979.32"_d);
  CHECK(best[0].ask_quantity == "0.0731"_d);

  CHECK(pionex::parse_reply_time(pionex_fixture("depth.json")).value() == 1566691672311);
  CHECK(pionex::parse_order_book(response(200, R"({"result":true,"data":{"bids":[]}})")).error().code ==
        ErrorCode::protocol_error);
}

TEST_CASE("pionex replies: the new-order acknowledgement (the specification's success example)") {
  const auto ack = pionex::parse_new_order(pionex_fixture("new_order.json")).value();
  CHECK(ack.order_id == "123456789");
  CHECK(ack.client_order_id.empty());
  CHECK(ack.time_ms == 1566691672311);
  CHECK(pionex::parse_new_order(response(200, R"({"result":true,"data":{}})")).error().code ==
        ErrorCode::protocol_error);
  CHECK(pionex::parse_cancel(response(200, R"({"result":true,"timestamp":1566691672311})")).value() == 1566691672311);
  const auto missing = pionex::parse_cancel(
      response(200, R"({"result":false,"code":"TRADE_ORDER_NOT_FOUND","message":"order not found"})"));
  CHECK(missing.error().code == ErrorCode::order_not_found);
}

TEST_CASE("pionex replies: an order and its status from OPEN/CLOSED and what filled") {
  const auto order = pionex::parse_order(pionex_fixture("order.json")).value();
  CHECK(order.order_id == "123456789");
  CHECK(order.symbol == "BTC_USDT");
  CHECK(order.client_order_id == "cts-1a2b3");
  CHECK(order.side == cts::Side::buy);
  CHECK(order.type == cts::OrderType::limit);
  CHECK(order.time_in_force == cts::TimeInForce::gtc);
  CHECK(order.price == "27964.01"_d);
  CHECK(order.quantity == "0.01"_d);
  CHECK(order.executed_quantity == "0.004"_d);
  CHECK(order.cumulative_quote == "111.85604"_d);
  CHECK(order.status == OrderStatus::partially_filled);
  CHECK(order.time_ms == 1566691672311);

  const auto with = [](std::string_view status, std::string_view filled, bool ioc) {
    std::string text = pionex_fixture_text("order.json");
    text.replace(text.find("\"OPEN\""), 6, fmt::format("\"{}\"", status));
    text.replace(text.find("\"0.0040\""), 8, fmt::format("\"{}\"", filled));
    if (ioc) text.replace(text.find("\"IOC\": false"), 12, "\"IOC\": true");
    return pionex::parse_order(response(200, text)).value().status;
  };
  CHECK(with("OPEN", "0", false) == OrderStatus::new_);
  CHECK(with("CLOSED", "0.0100", false) == OrderStatus::filled);
  CHECK(with("CLOSED", "0.0040", false) == OrderStatus::canceled);
  CHECK(with("CLOSED", "0", false) == OrderStatus::canceled);
  CHECK(with("CLOSED", "0.0040", true) == OrderStatus::expired);

  std::string unknown = pionex_fixture_text("order.json");
  unknown.replace(unknown.find("\"OPEN\""), 6, "\"SUBMITTED\"");
  CHECK(pionex::parse_order(response(200, unknown)).error().code == ErrorCode::protocol_error);
  std::string text_id = pionex_fixture_text("order.json");
  text_id.replace(text_id.find("123456789"), 9, "\"123456789\"");
  CHECK(pionex::parse_order(response(200, text_id)).error().code == ErrorCode::protocol_error);
}

TEST_CASE("pionex replies: open orders and fills") {
  const auto orders = pionex::parse_orders(pionex_fixture("open_orders.json")).value();
  REQUIRE(orders.size() == 2);
  CHECK(orders[0].status == OrderStatus::new_);
  CHECK(orders[1].order_id == "123456790");
  CHECK(orders[1].side == cts::Side::sell);
  CHECK(orders[1].status == OrderStatus::partially_filled);
  CHECK(orders[1].client_order_id.empty());

  const auto fills = pionex::parse_fills(pionex_fixture("fills.json")).value();
  REQUIRE(fills.size() == 2);
  CHECK(fills[0].id == "8812345");
  CHECK(fills[0].order_id == "123456790");
  CHECK(fills[0].symbol == "BTC_USDT");
  CHECK(fills[0].side == cts::Side::sell);
  CHECK(fills[0].maker);
  CHECK(fills[0].price == "27979.32"_d);
  CHECK(fills[0].quantity == "0.005"_d);
  CHECK(fills[0].commission == "0.1398966"_d);
  CHECK(fills[0].commission_asset == "USDT");
  CHECK(fills[0].time_ms == 1566691672200);
  CHECK_FALSE(fills[1].maker);
  std::string bad_role = pionex_fixture_text("fills.json");
  bad_role.replace(bad_role.find("\"MAKER\""), 7, "\"OTHER\"");
  CHECK(pionex::parse_fills(response(200, bad_role)).error().code == ErrorCode::protocol_error);
}
