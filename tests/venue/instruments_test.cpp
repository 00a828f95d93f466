// Tests for cts/venue/binance/instruments.hpp: exchangeInfo → cts::Instrument with the
// filter values of the documentation examples.
#include <cts/venue/binance/instruments.hpp>

#include <doctest/doctest.h>

#include "support.hpp"

using cts::ErrorCode;
using cts::InstrumentKind;
using cts::venue::binance::Market;
using cts::venue::binance::parse_instruments;
using cts_test::binance_fixture;
using cts_test::response;
using namespace cts::literals;

TEST_CASE("spot exchangeInfo: filters become tick, step, limits and min notional") {
  const auto listed = parse_instruments(binance_fixture("spot_exchange_info.json"), Market::spot);
  REQUIRE(listed.has_value());
  REQUIRE(listed->size() == 1);
  const auto& entry = (*listed)[0];
  CHECK(entry.trading());
  const cts::Instrument& i = entry.instrument;
  CHECK(i.venue_symbol == "ETHBTC");
  CHECK(i.base == "ETH");
  CHECK(i.quote == "BTC");
  CHECK(i.kind == InstrumentKind::spot);
  CHECK(i.tick_size == "0.000001"_d);
  CHECK(i.step_size == "0.001"_d);
  CHECK(i.min_quantity == "0.001"_d);
  CHECK(i.max_quantity == "100000"_d);
  CHECK(i.min_notional == "10"_d);
  CHECK(i.unified_symbol() == "ETH/BTC");
}

TEST_CASE("USD-M exchangeInfo: perpetual settled in the margin asset, MIN_NOTIONAL.notional") {
  const auto listed = parse_instruments(binance_fixture("usdm_exchange_info.json"), Market::usdm);
  REQUIRE(listed.has_value());
  REQUIRE(listed->size() == 1);
  const cts::Instrument& i = (*listed)[0].instrument;
  CHECK(i.venue_symbol == "BLZUSDT");
  CHECK(i.kind == InstrumentKind::linear_perpetual);
  CHECK(i.settle == "USDT");
  CHECK(i.tick_size == "0.0001"_d);
  CHECK(i.step_size == "1"_d);
  CHECK(i.min_quantity == "1"_d);
  CHECK(i.max_quantity == "10000000"_d);
  CHECK(i.min_notional == "5"_d);
  CHECK(i.unified_symbol() == "BLZ/USDT:USDT");
}

TEST_CASE("USD-M dated contract: expiry from deliveryDate (UTC)") {
  // 1640937600000 ms = 2021-12-31T08:00:00Z (BTCUSDT_211231 in Binance's listings).
  const std::string body =
      R"({"symbols":[{"symbol":"BTCUSDT_211231","status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT",)"
      R"("marginAsset":"USDT","contractType":"CURRENT_QUARTER","deliveryDate":1640937600000,"filters":[)"
      R"({"filterType":"PRICE_FILTER","tickSize":"0.1"},{"filterType":"LOT_SIZE","stepSize":"0.001","minQty":"0.001","maxQty":"500"}]}]})";
  const auto listed = parse_instruments(response(200, body), Market::usdm);
  REQUIRE(listed.has_value());
  const cts::Instrument& i = (*listed)[0].instrument;
  CHECK(i.kind == InstrumentKind::linear_future);
  CHECK(i.expiry == "211231");
  CHECK(i.unified_symbol() == "BTC/USDT:USDT-211231");
}

TEST_CASE("exchangeInfo: missing filters and fields are protocol errors naming them") {
  auto error_of = [](std::string body, Market market) {
    auto r = parse_instruments(response(200, std::move(body)), market);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::protocol_error);
    return r.error().message;
  };
  CHECK(error_of(R"({"timezone":"UTC"})", Market::spot).find("symbols") != std::string::npos);
  CHECK(error_of(R"({"symbols":[{"symbol":"A","status":"TRADING","baseAsset":"A","quoteAsset":"B","filters":[]}]})",
                 Market::spot)
            .find("tickSize") != std::string::npos);
  CHECK(error_of(R"({"symbols":[{"symbol":"A","status":"TRADING","baseAsset":"A","quoteAsset":"B","filters":[)"
                 R"({"filterType":"PRICE_FILTER","tickSize":"0.1"},{"filterType":"LOT_SIZE","stepSize":"1"}]}]})",
                 Market::usdm)
            .find("contractType") != std::string::npos);
  CHECK(error_of(R"({"symbols":[{"symbol":"A","status":"TRADING","quoteAsset":"B","filters":[]}]})", Market::spot)
            .find("baseAsset") != std::string::npos);
  CHECK(error_of(R"({"symbols":[{"symbol":"A","status":"TRADING","baseAsset":"A","quoteAsset":"B","filters":[)"
                 R"({"filterType":"PRICE_FILTER","tickSize":"0.1.2"}]}]})",
                 Market::spot)
            .find("tickSize") != std::string::npos);
}

TEST_CASE("Binance status words map to the unified instrument status") {
  using cts::venue::InstrumentStatus;
  using cts::venue::binance::instrument_status;
  CHECK(instrument_status("TRADING") == InstrumentStatus::trading);
  CHECK(instrument_status("PRE_TRADING") == InstrumentStatus::pre_trading);
  CHECK(instrument_status("PENDING_TRADING") == InstrumentStatus::pre_trading);
  CHECK(instrument_status("BREAK") == InstrumentStatus::halted);
  CHECK(instrument_status("HALT") == InstrumentStatus::halted);
  CHECK(instrument_status("SETTLING") == InstrumentStatus::settling);
  CHECK(instrument_status("DELIVERING") == InstrumentStatus::settling);
  CHECK(instrument_status("DELIVERED") == InstrumentStatus::closed);
  CHECK(instrument_status("END_OF_DAY") == InstrumentStatus::closed);
  CHECK(instrument_status("Trading") == InstrumentStatus::unknown);  // Bybit's spelling is not Binance's
}
