// Tests for cts/venue/okx/market.hpp on OKX's documented replies (tests/fixtures/okx):
// server time, instruments (SPOT and SWAP, linear and inverse), the order book and the
// ticker. Expected values are the documents'.
#include <cts/venue/okx/market.hpp>

#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include "support.hpp"

using cts::ErrorCode;
using cts::InstrumentKind;
using cts::venue::InstrumentStatus;
using cts_test::okx_fixture;
using cts_test::okx_fixture_text;
using cts_test::response;
namespace okx = cts::venue::okx;
using okx::InstType;
using namespace cts::literals;

TEST_CASE("okx market: server time is data[0].ts") {
  CHECK(okx::parse_server_time(okx_fixture("public_time.json")).value() == 1597026383085);
  const auto empty = okx::parse_server_time(response(200, R"({"code":"0","msg":"","data":[]})"));
  CHECK(empty.error().code == ErrorCode::protocol_error);
  const auto missing = okx::parse_server_time(response(200, R"({"code":"0","msg":"","data":[{}]})"));
  CHECK(missing.error().code == ErrorCode::protocol_error);
  CHECK(missing.error().message.find("ts") != std::string::npos);
}

TEST_CASE("okx market: a SPOT instrument's rules") {
  const auto listings = okx::parse_instruments(okx_fixture("instruments_spot.json"), InstType::spot).value();
  REQUIRE(listings.size() == 1);
  const cts::venue::ListedInstrument& listed = listings[0].listed;
  CHECK(listed.instrument.venue_symbol == "BTC-USDT");
  CHECK(listed.instrument.base == "BTC");
  CHECK(listed.instrument.quote == "USDT");
  CHECK(listed.instrument.settle.empty());
  CHECK(listed.instrument.kind == InstrumentKind::spot);
  CHECK(listed.instrument.tick_size == "0.1"_d);
  CHECK(listed.instrument.step_size == "0.00000001"_d);
  CHECK(listed.instrument.min_quantity == "0.00001"_d);
  CHECK(listed.instrument.max_quantity == "9999999999"_d);
  CHECK(listed.instrument.multiplier == "1"_d);
  CHECK(listed.status == "live");
  CHECK(listed.state == InstrumentStatus::trading);
  CHECK(listings[0].inst_id_code == 0);  // this example predates instIdCode
  CHECK(listed.instrument.unified_symbol() == "BTC/USDT");
}

TEST_CASE("okx market: SWAP instruments carry contract value times multiplier and the instIdCode") {
  const auto listings = okx::parse_instruments(okx_fixture("instruments_swap.json"), InstType::swap).value();
  REQUIRE(listings.size() == 3);

  const cts::Instrument& inverse = listings[0].listed.instrument;
  CHECK(inverse.venue_symbol == "BTC-USD-SWAP");
  CHECK(inverse.kind == InstrumentKind::inverse_perpetual);
  CHECK(inverse.base == "BTC");
  CHECK(inverse.quote == "USD");
  CHECK(inverse.settle == "BTC");
  CHECK(inverse.multiplier == "100"_d);  // ctVal 100 (USD) · ctMult 1
  CHECK(inverse.step_size == "1"_d);
  CHECK(listings[0].inst_id_code == 10458);

  const cts::Instrument& eth = listings[1].listed.instrument;
  CHECK(eth.venue_symbol == "ETH-USDT-SWAP");
  CHECK(eth.kind == InstrumentKind::linear_perpetual);
  CHECK(eth.multiplier == "0.1"_d);
  CHECK(eth.tick_size == "0.01"_d);

  const cts::Instrument& btc = listings[2].listed.instrument;
  CHECK(btc.venue_symbol == "BTC-USDT-SWAP");
  CHECK(btc.kind == InstrumentKind::linear_perpetual);
  CHECK(btc.base == "BTC");
  CHECK(btc.quote == "USDT");
  CHECK(btc.settle == "USDT");
  CHECK(btc.multiplier == "0.01"_d);  // ctVal 0.01 (BTC) · ctMult 1
  CHECK(btc.tick_size == "0.1"_d);
  CHECK(btc.step_size == "0.01"_d);
  CHECK(btc.min_quantity == "0.01"_d);
  CHECK(btc.max_quantity == "100000000"_d);
  CHECK(listings[2].inst_id_code == 10459);
  CHECK(listings[2].listed.trading());
  CHECK(btc.unified_symbol() == "BTC/USDT:USDT");
}

TEST_CASE("okx market: an instIdCode not generated yet (null) reads as none; a negative one is refused") {
  // "Get instruments": instIdCode "is null when the value is not generated". The SPOT
  // example with the member added, as null and as a number and a string of digits.
  const std::string spot = okx_fixture_text("instruments_spot.json");
  const auto with_code = [&](std::string_view code) {
    std::string text = spot;
    const std::string anchor = R"("instId": "BTC-USDT",)";
    text.insert(text.find(anchor) + anchor.size(), " \"instIdCode\": " + std::string(code) + ",");
    return okx::parse_instruments(response(200, text), InstType::spot);
  };
  CHECK(with_code("null").value()[0].inst_id_code == 0);
  CHECK(with_code("1000000000").value()[0].inst_id_code == 1000000000);
  CHECK(with_code("\"211874\"").value()[0].inst_id_code == 211874);
  const auto negative = with_code("-5");
  CHECK(negative.error().code == ErrorCode::protocol_error);
  CHECK(negative.error().message.find("instIdCode") != std::string::npos);
}

TEST_CASE("okx market: instruments of the wrong type or without their rules are refused") {
  const auto wrong = okx::parse_instruments(okx_fixture("instruments_spot.json"), InstType::swap);
  CHECK(wrong.error().code == ErrorCode::protocol_error);
  CHECK(wrong.error().message.find("instType") != std::string::npos);
  const auto no_tick = okx::parse_instruments(
      response(200, R"({"code":"0","msg":"","data":[{"instId":"BTC-USDT","instType":"SPOT","state":"live",)"
                    R"("lotSz":"0.1","minSz":"0.1","baseCcy":"BTC","quoteCcy":"USDT"}]})"),
      InstType::spot);
  CHECK(no_tick.error().code == ErrorCode::protocol_error);
  CHECK(no_tick.error().message.find("tickSz") != std::string::npos);
  const auto no_contract = okx::parse_instruments(
      response(200, R"({"code":"0","msg":"","data":[{"instId":"BTC-USDT-SWAP","instType":"SWAP","state":"live",)"
                    R"("tickSz":"0.1","lotSz":"0.01","minSz":"0.01","instFamily":"BTC-USDT","settleCcy":"USDT",)"
                    R"("ctType":"linear","ctVal":"","ctMult":"1"}]})"),
      InstType::swap);
  CHECK(no_contract.error().code == ErrorCode::protocol_error);
  CHECK(no_contract.error().message.find("ctVal") != std::string::npos);
}

TEST_CASE("okx market: instrument states") {
  CHECK(okx::instrument_status("live") == InstrumentStatus::trading);
  CHECK(okx::instrument_status("suspend") == InstrumentStatus::halted);
  CHECK(okx::instrument_status("preopen") == InstrumentStatus::pre_trading);
  CHECK(okx::instrument_status("test") == InstrumentStatus::closed);
  CHECK(okx::instrument_status("Trading") == InstrumentStatus::unknown);
}

TEST_CASE("okx market: the order book reads the first two of each four-entry level") {
  const cts::venue::BookSnapshot book = okx::parse_order_book(okx_fixture("books.json")).value();
  REQUIRE(book.asks.size() == 1);
  REQUIRE(book.bids.size() == 1);
  CHECK(book.asks[0].price == "41006.8"_d);
  CHECK(book.asks[0].quantity == "0.60038921"_d);
  CHECK(book.bids[0].price == "41006.3"_d);
  CHECK(book.bids[0].quantity == "0.30178218"_d);
  CHECK(book.event_time_ms == 1629966436396);
  CHECK(book.last_update_id == 0);

  const auto two = okx::parse_order_book(
      response(200, R"({"code":"0","msg":"","data":[{"asks":[],"bids":[],"ts":"1"},{"asks":[],"bids":[],"ts":"2"}]})"));
  CHECK(two.error().code == ErrorCode::protocol_error);
  const auto no_bids = okx::parse_order_book(response(200, R"({"code":"0","msg":"","data":[{"asks":[],"ts":"1"}]})"));
  CHECK(no_bids.error().code == ErrorCode::protocol_error);
}

TEST_CASE("okx market: the ticker") {
  const cts::venue::Ticker ticker = okx::parse_ticker(okx_fixture("ticker_swap.json")).value();
  CHECK(ticker.symbol == "BTC-USD-SWAP");
  CHECK(ticker.last_price == "9999.99"_d);
  CHECK(ticker.ask_price == "9999.99"_d);
  CHECK(ticker.ask_quantity == "11"_d);
  CHECK(ticker.bid_price == "8888.88"_d);
  CHECK(ticker.bid_quantity == "5"_d);
  CHECK(ticker.volume_24h == "2222"_d);
  CHECK(ticker.turnover_24h == "2222"_d);
  CHECK(ticker.time_ms == 1597026383085);

  // No quote on a side: OKX writes "".
  const cts::venue::Ticker one_sided =
      okx::parse_ticker(
          response(
              200,
              R"({"code":"0","msg":"","data":[{"instId":"X-USDT","last":"1","bidPx":"","bidSz":"","askPx":"2","askSz":"3","ts":"5"}]})"))
          .value();
  CHECK(one_sided.bid_price.is_zero());
  CHECK(one_sided.ask_price == "2"_d);
}
