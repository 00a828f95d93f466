// Tests for cts/venue/okx/account.hpp on OKX's documented replies (tests/fixtures/okx):
// the trading account's balance and positions in long/short and net mode. Expected
// values are the documents'.
#include <cts/venue/okx/account.hpp>

#include <string>

#include <doctest/doctest.h>

#include "support.hpp"

using cts::ErrorCode;
using cts::venue::MarginMode;
using cts::venue::PositionSide;
using cts_test::okx_fixture;
using cts_test::okx_fixture_text;
using cts_test::response;
namespace okx = cts::venue::okx;
using namespace cts::literals;

TEST_CASE("okx account: balance details give availBal free and frozenBal locked") {
  const auto balances = okx::parse_balance(okx_fixture("balance.json")).value();
  REQUIRE(balances.size() == 1);
  CHECK(balances[0].asset == "USDT");
  CHECK(balances[0].free == "4834.317093622894"_d);
  CHECK(balances[0].locked == "158.573"_d);

  const auto no_ccy =
      okx::parse_balance(response(200, R"({"code":"0","msg":"","data":[{"details":[{"availBal":"1"}]}]})"));
  CHECK(no_ccy.error().code == ErrorCode::protocol_error);
  CHECK(no_ccy.error().message.find("ccy") != std::string::npos);
}

TEST_CASE("okx account: a long position of a dated future") {
  const auto positions = okx::parse_positions(okx_fixture("positions_futures.json")).value();
  REQUIRE(positions.size() == 1);
  const cts::venue::Position& p = positions[0];
  CHECK(p.symbol == "ETH-USD-210430");
  CHECK(p.side == PositionSide::long_);
  CHECK(p.quantity == "1"_d);
  CHECK(p.entry_price == "2566.31"_d);
  CHECK(p.mark_price == "2353.849"_d);
  CHECK(p.liquidation_price == "2352.8496681818233"_d);
  CHECK(p.unrealized_pnl == "-0.0000009932766034"_d);
  CHECK(p.notional == "2276.2546609009605"_d);
  REQUIRE(p.leverage);
  CHECK(*p.leverage == "10"_d);
  REQUIRE(p.margin_mode);
  CHECK(*p.margin_mode == MarginMode::isolated);
  CHECK(p.update_time_ms == 1619507761462);
}

TEST_CASE("okx account: long/short mode negates the short leg") {
  const auto positions = okx::parse_positions(okx_fixture("positions_long_short.json")).value();
  REQUIRE(positions.size() == 2);
  CHECK(positions[0].side == PositionSide::long_);
  CHECK(positions[0].quantity == "5"_d);
  CHECK(positions[0].notional == "150000"_d);
  CHECK(positions[1].side == PositionSide::short_);
  CHECK(positions[1].quantity == "-2"_d);
  CHECK(positions[1].notional == "-62000"_d);
  CHECK(positions[1].entry_price == "31000"_d);
  CHECK(positions[1].liquidation_price == "36000"_d);
}

TEST_CASE("okx account: net mode keeps pos's sign") {
  // The documented long/short reply turned into net mode ("net: positive pos means long
  // position and negative pos means short position").
  std::string text = okx_fixture_text("positions_long_short.json");
  text.replace(text.find("\"posSide\": \"short\""), 18, "\"posSide\": \"net\"");
  text.replace(text.find("\"pos\": \"2.00\""), 13, "\"pos\": \"-2.00\"");
  const auto positions = okx::parse_positions(response(200, text)).value();
  REQUIRE(positions.size() == 2);
  CHECK(positions[1].side == PositionSide::both);
  CHECK(positions[1].quantity == "-2"_d);
  CHECK(positions[1].notional == "-62000"_d);

  // A long/short leg never has a negative pos.
  std::string bad = okx_fixture_text("positions_long_short.json");
  bad.replace(bad.find("\"pos\": \"5.00\""), 13, "\"pos\": \"-5.00\"");
  CHECK(okx::parse_positions(response(200, bad)).error().code == ErrorCode::protocol_error);
}
