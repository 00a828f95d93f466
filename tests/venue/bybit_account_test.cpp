// Tests for cts/venue/bybit/account.hpp on the replies printed in Bybit's v5
// documentation (tests/fixtures/bybit): positions and the unified wallet balance.
#include <cts/venue/bybit/account.hpp>

#include <string>

#include <doctest/doctest.h>

#include "support.hpp"

using cts::ErrorCode;
using cts::venue::PositionSide;
using cts_test::bybit_fixture;
using cts_test::bybit_fixture_text;
using cts_test::response;
namespace bybit = cts::venue::bybit;
using namespace cts::literals;

TEST_CASE("bybit positions: a one-way short with entry, mark, unrealised PnL and leverage") {
  const auto page = bybit::parse_positions(bybit_fixture("positions.json"));
  REQUIRE(page.has_value());
  REQUIRE(page->items.size() == 1);
  const auto& p = page->items[0];
  CHECK(p.symbol == "BTCUSD");
  CHECK(p.side == PositionSide::both);  // positionIdx 0: one-way mode
  CHECK(p.quantity == -"300"_d);        // side Sell, size 300
  CHECK(p.entry_price == "27464.50441675"_d);
  CHECK(p.mark_price == "28224.50"_d);
  CHECK(p.unrealized_pnl == -"0.00029413"_d);
  CHECK(p.liquidation_price.is_zero());  // liqPrice ""
  CHECK(p.notional == -"0.01092319"_d);  // positionValue, signed like the size
  REQUIRE(p.leverage.has_value());
  CHECK(*p.leverage == "10"_d);
  CHECK(p.update_time_ms == 1697673600012);
}

TEST_CASE("bybit positions: hedge legs, empty positions, fractional leverage, bad sides") {
  const std::string text = bybit_fixture_text("positions.json");
  auto with = [&](std::string_view from, std::string_view to) {
    std::string changed = text;
    const auto at = changed.find(from);
    REQUIRE(at != std::string::npos);
    changed.replace(at, from.size(), to);
    return changed;
  };
  const auto hedge = bybit::parse_positions(response(200, with(R"("positionIdx": 0)", R"("positionIdx": 2)")));
  REQUIRE(hedge.has_value());
  CHECK(hedge->items[0].side == PositionSide::short_);

  const auto empty = bybit::parse_positions(response(200, with(R"("side": "Sell")", R"("side": "")")));
  REQUIRE(empty.has_value());
  CHECK(empty->items[0].quantity == "300"_d);

  const auto fractional = bybit::parse_positions(response(200, with(R"("leverage": "10")", R"("leverage": "12.5")")));
  REQUIRE(fractional.has_value());
  CHECK(*fractional->items[0].leverage == "12.5"_d);

  const auto portfolio = bybit::parse_positions(response(200, with(R"("leverage": "10")", R"("leverage": "")")));
  REQUIRE(portfolio.has_value());
  CHECK_FALSE(portfolio->items[0].leverage.has_value());

  const auto bad_side = bybit::parse_positions(response(200, with(R"("side": "Sell")", R"("side": "Short")")));
  REQUIRE_FALSE(bad_side.has_value());
  CHECK(bad_side.error().code == ErrorCode::protocol_error);
  CHECK(bad_side.error().message.find("side") != std::string::npos);

  const auto bad_size = bybit::parse_positions(response(200, with(R"("size": "300")", R"("size": 300)")));
  REQUIRE_FALSE(bad_size.has_value());
  CHECK(bad_size.error().message.find("size") != std::string::npos);
}

TEST_CASE("bybit wallet balance: one balance per coin, locked kept apart") {
  const auto balances = bybit::parse_wallet_balance(bybit_fixture("wallet_balance.json"));
  REQUIRE(balances.has_value());
  REQUIRE(balances->size() == 1);
  CHECK((*balances)[0].asset == "BTC");
  CHECK((*balances)[0].free.is_zero());
  CHECK((*balances)[0].locked.is_zero());

  std::string text = bybit_fixture_text("wallet_balance.json");
  auto replace = [&](std::string_view from, std::string_view to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
  };
  replace(R"("walletBalance": "0")", R"("walletBalance": "1.5")");
  replace(R"("locked": "0")", R"("locked": "0.25")");
  const auto funded = bybit::parse_wallet_balance(response(200, text));
  REQUIRE(funded.has_value());
  CHECK((*funded)[0].free == "1.25"_d);
  CHECK((*funded)[0].locked == "0.25"_d);

  replace(R"("coin": "BTC")", R"("coins": "BTC")");
  const auto missing = bybit::parse_wallet_balance(response(200, text));
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().message.find("coin") != std::string::npos);
}
