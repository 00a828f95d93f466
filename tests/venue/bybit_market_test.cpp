// Tests for cts/venue/bybit/market.hpp on the replies printed in Bybit's v5
// documentation (tests/fixtures/bybit): expected values are the documentation's.
#include <cts/venue/bybit/market.hpp>

#include <string>

#include <doctest/doctest.h>

#include "support.hpp"

using cts::ErrorCode;
using cts::InstrumentKind;
using cts::venue::InstrumentStatus;
using cts::venue::bybit::Category;
using cts_test::bybit_fixture;
using cts_test::bybit_fixture_text;
using cts_test::response;
namespace bybit = cts::venue::bybit;
using namespace cts::literals;

TEST_CASE("bybit server time: timeNano to milliseconds") {
  const auto time = bybit::parse_server_time(bybit_fixture("market_time.json"));
  REQUIRE(time.has_value());
  CHECK(*time == 1688639403423);  // timeNano 1688639403423213947
}

TEST_CASE("bybit instruments: linear perpetual with price, lot and notional filters") {
  const auto page = bybit::parse_instruments(bybit_fixture("instruments_linear.json"), Category::linear);
  REQUIRE(page.has_value());
  REQUIRE(page->items.size() == 1);
  CHECK(page->next_page_cursor.empty());
  const auto& listed = page->items[0];
  CHECK(listed.status == "Trading");
  CHECK(listed.state == InstrumentStatus::trading);
  CHECK(listed.trading());
  const cts::Instrument& i = listed.instrument;
  CHECK(i.venue_symbol == "BTCUSDT");
  CHECK(i.base == "BTC");
  CHECK(i.quote == "USDT");
  CHECK(i.settle == "USDT");
  CHECK(i.kind == InstrumentKind::linear_perpetual);
  CHECK(i.tick_size == "0.10"_d);
  CHECK(i.step_size == "0.001"_d);
  CHECK(i.min_quantity == "0.001"_d);
  CHECK(i.max_quantity == "1190.000"_d);
  CHECK(i.min_notional == "5"_d);
  CHECK(i.unified_symbol() == "BTC/USDT:USDT");
}

TEST_CASE("bybit instruments: a pre-market perpetual is listed but not trading; the cursor is kept") {
  const auto page = bybit::parse_instruments(bybit_fixture("instruments_linear_prelaunch.json"), Category::linear);
  REQUIRE(page.has_value());
  REQUIRE(page->items.size() == 1);
  CHECK(page->next_page_cursor == "first%3DBIOUSDT%26last%3DBIOUSDT");
  CHECK(page->items[0].state == InstrumentStatus::pre_trading);
  CHECK_FALSE(page->items[0].trading());
  CHECK(page->items[0].instrument.tick_size == "0.0001"_d);
  CHECK(page->items[0].instrument.step_size == "1"_d);
}

TEST_CASE("bybit instruments: spot basePrecision is the step, minOrderAmt the min notional") {
  const auto page = bybit::parse_instruments(bybit_fixture("instruments_spot.json"), Category::spot);
  REQUIRE(page.has_value());
  REQUIRE(page->items.size() == 1);
  const cts::Instrument& i = page->items[0].instrument;
  CHECK(page->items[0].trading());
  CHECK(i.kind == InstrumentKind::spot);
  CHECK(i.settle.empty());
  CHECK(i.tick_size == "0.1"_d);
  CHECK(i.step_size == "0.000001"_d);
  CHECK(i.min_quantity == "0.000011"_d);
  CHECK(i.max_quantity == "83"_d);
  CHECK(i.min_notional == "5"_d);
  CHECK(i.unified_symbol() == "BTC/USDT");
}

TEST_CASE("bybit instruments: bad input is a protocol error naming the field") {
  std::string text = bybit_fixture_text("instruments_spot.json");
  const auto at = text.find(R"("tickSize": "0.1")");
  REQUIRE(at != std::string::npos);
  std::string bad_tick = text;
  bad_tick.replace(at, 17, R"("tickSize": "0.1x")");
  const auto parsed = bybit::parse_instruments(response(200, bad_tick), Category::spot);
  REQUIRE_FALSE(parsed.has_value());
  CHECK(parsed.error().code == ErrorCode::protocol_error);
  CHECK(parsed.error().message.find("tickSize") != std::string::npos);

  std::string no_filter = text;
  no_filter.replace(at, 17, R"("other": "0.1")");
  const auto missing = bybit::parse_instruments(response(200, no_filter), Category::spot);
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().message.find("tickSize") != std::string::npos);

  // A linear list parsed as linear needs a linear contract type.
  std::string inverse = bybit_fixture_text("instruments_linear.json");
  const auto type = inverse.find("LinearPerpetual");
  REQUIRE(type != std::string::npos);
  inverse.replace(type, 15, "InversePerpetual");
  const auto refused = bybit::parse_instruments(response(200, inverse), Category::linear);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message.find("contractType") != std::string::npos);

  for (const char* body : {"", "{", "[]", R"({"retCode":0,"retMsg":"OK"})", R"({"retCode":0,"result":{}})",
                           R"({"retCode":"0","result":{"list":[]}})"}) {
    INFO(body);
    const auto r = bybit::parse_instruments(response(200, body), Category::spot);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::protocol_error);
  }
}

TEST_CASE("bybit orderbook: levels, update id, sequence and time as documented") {
  const auto book = bybit::parse_order_book(bybit_fixture("orderbook.json"));
  REQUIRE(book.has_value());
  REQUIRE(book->bids.size() == 1);
  REQUIRE(book->asks.size() == 1);
  CHECK(book->bids[0].price == "65485.47"_d);
  CHECK(book->bids[0].quantity == "47.081829"_d);
  CHECK(book->asks[0].price == "65557.7"_d);
  CHECK(book->asks[0].quantity == "16.606555"_d);
  CHECK(book->last_update_id == 230704);
  CHECK(book->sequence == 1432604333);
  CHECK(book->event_time_ms == 1716863719031);

  std::string no_update = bybit_fixture_text("orderbook.json");
  const auto at = no_update.find(R"("u": 230704)");
  REQUIRE(at != std::string::npos);
  no_update.replace(at, 3, R"("x")");
  const auto missing = bybit::parse_order_book(response(200, no_update));
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().message.find("\"u\"") != std::string::npos);

  const auto float_price = bybit::parse_order_book(
      response(200, R"({"retCode":0,"retMsg":"OK","result":{"s":"X","b":[[65485.47,"1"]],"a":[],"u":1}})"));
  REQUIRE_FALSE(float_price.has_value());
  CHECK(float_price.error().code == ErrorCode::protocol_error);
}

TEST_CASE("bybit tickers: spot best bid and ask, last price, 24h volume") {
  const auto tickers = bybit::parse_tickers(bybit_fixture("tickers_spot.json"));
  REQUIRE(tickers.has_value());
  REQUIRE(tickers->size() == 1);
  const auto& t = (*tickers)[0];
  CHECK(t.symbol == "BTCUSDT");
  CHECK(t.bid_price == "20517.96"_d);
  CHECK(t.bid_quantity == "2"_d);
  CHECK(t.ask_price == "20527.77"_d);
  CHECK(t.ask_quantity == "1.862172"_d);
  CHECK(t.last_price == "20533.13"_d);
  CHECK(t.volume_24h == "11801.27771"_d);
  CHECK(t.turnover_24h == "243765620.65899866"_d);
  CHECK(t.mark_price.is_zero());
  CHECK(t.time_ms == 1673859087947);
}

TEST_CASE("bybit tickers: derivatives mark and index prices") {
  const auto tickers = bybit::parse_tickers(bybit_fixture("tickers_inverse.json"));
  REQUIRE(tickers.has_value());
  REQUIRE(tickers->size() == 1);
  const auto& t = (*tickers)[0];
  CHECK(t.symbol == "BTCUSD");
  CHECK(t.mark_price == "114898.43"_d);
  CHECK(t.index_price == "114890.92"_d);
  CHECK(t.bid_price == "103401.00"_d);
  CHECK(t.ask_quantity == "9854"_d);
}

TEST_CASE("bybit orderbook: the documented reply reads the same through the dedicated scanner and simdjson") {
  cts::HttpResponse response;
  response.status = 200;
  response.body = bybit_fixture_text("orderbook.json");
  cts::venue::BookSnapshot scanned;
  REQUIRE(cts::venue::detail::thread_depth_scanner().scan_bybit(response.body, scanned));
  // market/orderbook.mdx: a 65557.7 × 16.606555, b 65485.47 × 47.081829, u 230704,
  // seq 1432604333, ts 1716863719031.
  REQUIRE(scanned.asks.size() == 1);
  REQUIRE(scanned.bids.size() == 1);
  CHECK(scanned.asks[0].price == "65557.7"_d);
  CHECK(scanned.asks[0].quantity == "16.606555"_d);
  CHECK(scanned.bids[0].price == "65485.47"_d);
  CHECK(scanned.bids[0].quantity == "47.081829"_d);
  CHECK(scanned.last_update_id == 230704);
  CHECK(scanned.sequence == 1432604333);
  CHECK(scanned.event_time_ms == 1716863719031);
  const auto generic = bybit::detail::parse_order_book_on_demand(response, cts::venue::thread_json_reader());
  REQUIRE(generic);
  CHECK(generic->asks == scanned.asks);
  CHECK(generic->bids == scanned.bids);
  CHECK(generic->last_update_id == scanned.last_update_id);
  CHECK(generic->sequence == scanned.sequence);
  CHECK(generic->event_time_ms == scanned.event_time_ms);
}

TEST_CASE("bybit orderbook: other shapes go to simdjson, which reads or refuses them alike") {
  cts::venue::BookSnapshot scanned;
  auto& scanner = cts::venue::detail::thread_depth_scanner();
  // Bids first (not the documented order): declined by the scanner, read by simdjson.
  const std::string swapped =
      R"({"retCode":0,"retMsg":"OK","result":{"s":"BTCUSDT","b":[["1.5","2"]],"a":[["1.6","3"]],"ts":5,"u":7,"seq":9,"cts":4},"retExtInfo":{},"time":6})";
  CHECK_FALSE(scanner.scan_bybit(swapped, scanned));
  cts::HttpResponse response;
  response.status = 200;
  response.body = swapped;
  const auto parsed = bybit::parse_order_book(response);
  REQUIRE(parsed);
  CHECK(parsed->bids[0].price == "1.5"_d);
  CHECK(parsed->asks[0].quantity == "3"_d);
  CHECK(parsed->last_update_id == 7);
  // An error reply and a truncated reply are never the scanner's.
  CHECK_FALSE(scanner.scan_bybit(R"({"retCode":10001,"retMsg":"params error","result":{},"retExtInfo":{},"time":6})",
                                 scanned));
  const std::string truncated = swapped.substr(0, swapped.size() - 1);
  CHECK_FALSE(scanner.scan_bybit(truncated, scanned));
  response.body = truncated;
  const auto refused = bybit::parse_order_book(response);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::protocol_error);
  // An escape in the symbol: declined.
  CHECK_FALSE(scanner.scan_bybit(
      R"({"retCode":0,"retMsg":"OK","result":{"s":"BTC\"USDT","a":[],"b":[],"ts":5,"u":7,"seq":9,"cts":4},"retExtInfo":{},"time":6})",
      scanned));
  // A byte that is not UTF-8 in the symbol (found by the depth_scanner fuzz target):
  // declined, and refused by simdjson.
  const std::string not_utf8 =
      "{\"retCode\":0,\"retMsg\":\"OK\",\"result\":{\"s\":\"BTCU\xD3" "DT\",\"a\":[],\"b\":[],\"ts\":5,\"u\":7,"
      "\"seq\":9,\"cts\":4},\"retExtInfo\":{},\"time\":6}";
  CHECK_FALSE(scanner.scan_bybit(not_utf8, scanned));
  response.body = not_utf8;
  const auto invalid = bybit::parse_order_book(response);
  REQUIRE_FALSE(invalid);
  CHECK(invalid.error().code == ErrorCode::protocol_error);
}
