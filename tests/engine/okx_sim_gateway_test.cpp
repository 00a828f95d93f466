// The registry's OKX connectors (okx spot, okx swap: okx::V5Gateway) through
// engine::VenueConnection (the HTTP client, the OKX rate policy, the signer with the
// passphrase, RestChannel) against the simulator's OKX front over loopback HTTP. Expected
// values computed by hand from the simulator's settings: the account holds 100000 USDT
// and 10 BTC, fees are 0.1 % maker and taker; BTC-USDT as OKX lists it (tickSz 0.1,
// lotSz 0.00000001), BTC-USDT-SWAP in contracts of ctVal 0.01 BTC at leverage 10 (value
// = contracts·0.01·price, margin = value / 10), the mark price the book's mid.
#include <cts/engine/connection.hpp>

#include <doctest/doctest.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <cts/core/clock.hpp>
#include <cts/sim/simulator.hpp>
#include <cts/venue/okx/gateway.hpp>
#include <cts/venue/registry.hpp>

using namespace cts;
using namespace cts::literals;

namespace {

std::unique_ptr<engine::VenueConnection> okx_connect(const sim::Simulator& simulator, std::string_view market,
                                                     std::string passphrase) {
  engine::ConnectionOptions options;
  options.base_url = simulator.base_url();
  options.credentials = sign::Credentials{simulator.options().api_key, sign::Secret(simulator.options().api_secret),
                                          sign::Secret(std::move(passphrase))};
  auto connection =
      engine::VenueConnection::open(*venue::find_connector(VenueId::okx, market).value(), std::move(options));
  REQUIRE(connection.has_value());
  return std::move(*connection);
}

// Another funded account rests a limit order in the simulator's `market`.
void okx_sim_rest(sim::Simulator& simulator, const std::string& market, Side side, Decimal quantity, Decimal price) {
  simulator.with_engine([&](sim::MatchingEngine& engine) {
    const sim::AccountId other = engine.create_account();
    engine.deposit(other, "BTC", "100"_d);
    engine.deposit(other, "USDT", "10000000"_d);
    sim::OrderRequest order;
    order.account = other;
    order.symbol = market;
    order.side = side;
    order.quantity = quantity;
    order.price = price;
    REQUIRE(engine.place(order, to_unix_millis(RealClock{}.system_now())));
  });
}

venue::NewOrder okx_new_order(std::string symbol, Side side, Decimal quantity, std::optional<Decimal> price,
                              std::string client_id) {
  venue::NewOrder order;
  order.symbol = std::move(symbol);
  order.side = side;
  order.type = price ? OrderType::limit : OrderType::market;
  order.quantity = quantity;
  order.price = price;
  order.client_order_id = std::move(client_id);
  return order;
}

venue::OrderRef okx_order_ref(std::string symbol, std::optional<std::string> order_id, std::string client_id = {}) {
  return venue::OrderRef{std::move(symbol), std::move(order_id), std::move(client_id)};
}

std::optional<venue::Balance> okx_find_balance(const std::vector<venue::Balance>& balances, std::string_view asset) {
  for (const venue::Balance& balance : balances) {
    if (balance.asset == asset) return balance;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("okx connectors through the registry trade SPOT and SWAP on the simulator's OKX front") {
  sim::SimulatorOptions options;
  options.venue = sim::SimVenue::okx;
  options.market_flow = false;
  sim::Simulator simulator(options);

  // SPOT, BTC-USDT.
  const auto spot_connection = okx_connect(simulator, "spot", options.api_passphrase);
  venue::Gateway& spot = spot_connection->gateway();
  CHECK(spot.venue() == VenueId::okx);
  const auto server_time = spot.server_time_ms();
  REQUIRE(server_time.has_value());
  CHECK(std::abs(*server_time - to_unix_millis(RealClock{}.system_now())) < 60'000);
  const auto btc = spot.instrument("BTC-USDT");
  REQUIRE(btc.has_value());
  CHECK(btc->tick_size == "0.1"_d);
  CHECK(btc->step_size == "0.00000001"_d);
  CHECK(spot.instrument("DOGE-USDT").error().code == ErrorCode::invalid_argument);
  okx_sim_rest(simulator, "BTC-USDT", Side::buy, "0.3"_d, "59000"_d);
  okx_sim_rest(simulator, "BTC-USDT", Side::sell, "0.5"_d, "60000"_d);
  const auto book = spot.depth("BTC-USDT", 5);
  REQUIRE(book.has_value());
  CHECK(book->bids.at(0) == venue::PriceLevel{"59000"_d, "0.3"_d});
  CHECK(book->asks.at(0) == venue::PriceLevel{"60000"_d, "0.5"_d});
  const auto best = spot.book_ticker("BTC-USDT");
  REQUIRE(best.has_value());
  CHECK(best->bid_price == "59000"_d);
  CHECK(best->ask_price == "60000"_d);

  // A resting buy of 0.01 at 58000 locks 580 USDT; cancelled, it frees them.
  const auto created = spot.create_order(okx_new_order("BTC-USDT", Side::buy, "0.01"_d, "58000"_d, "gwrest1"));
  REQUIRE(created.has_value());
  CHECK(created->status == venue::OrderStatus::pending_new);
  const auto queried = spot.query_order(okx_order_ref("BTC-USDT", {}, "gwrest1"));
  REQUIRE(queried.has_value());
  CHECK(queried->status == venue::OrderStatus::new_);
  CHECK(queried->order_id == created->order_id);
  CHECK(queried->price == "58000"_d);
  CHECK(queried->quantity == "0.01"_d);
  const auto open = spot.open_orders("BTC-USDT");
  REQUIRE(open.has_value());
  REQUIRE(open->size() == 1);
  CHECK((*open)[0].client_order_id == "gwrest1");
  const auto resting = spot.balances();
  REQUIRE(resting.has_value());
  CHECK(okx_find_balance(*resting, "USDT") == venue::Balance{"USDT", "99420"_d, "580"_d});
  const auto cancelled = spot.cancel_order(okx_order_ref("BTC-USDT", {}, "gwrest1"));
  REQUIRE(cancelled.has_value());
  CHECK(cancelled->status == venue::OrderStatus::canceled);
  CHECK(spot.open_orders("BTC-USDT")->empty());

  // A buy of 0.1 at 60000 takes 0.1 of the ask: 6000 USDT, 0.1 BTC less 0.0001 of fee.
  const auto taken = spot.create_order(okx_new_order("BTC-USDT", Side::buy, "0.1"_d, "60000"_d, "gwtake1"));
  REQUIRE(taken.has_value());
  const auto filled = spot.query_order(okx_order_ref("BTC-USDT", taken->order_id));
  REQUIRE(filled.has_value());
  CHECK(filled->status == venue::OrderStatus::filled);
  CHECK(filled->executed_quantity == "0.1"_d);
  CHECK(filled->average_price == "60000"_d);
  const auto trades = spot.order_trades("BTC-USDT", taken->order_id);
  REQUIRE(trades.has_value());
  REQUIRE(trades->size() == 1);
  CHECK((*trades)[0].price == "60000"_d);
  CHECK((*trades)[0].quantity == "0.1"_d);
  CHECK((*trades)[0].commission == "0.0001"_d);
  CHECK((*trades)[0].commission_asset == "BTC");
  CHECK_FALSE((*trades)[0].maker);
  CHECK(spot.recent_trades("BTC-USDT", 10)->size() == 1);
  const auto moved = spot.balances();
  REQUIRE(moved.has_value());
  CHECK(okx_find_balance(*moved, "USDT") == venue::Balance{"USDT", "94000"_d, "0"_d});
  CHECK(okx_find_balance(*moved, "BTC") == venue::Balance{"BTC", "10.0999"_d, "0"_d});
  CHECK(spot.positions("BTC-USDT").error().code == ErrorCode::unsupported);

  // SWAP, BTC-USDT-SWAP: contracts of 0.01 BTC, cross margin at leverage 10.
  const auto swap_connection = okx_connect(simulator, "swap", options.api_passphrase);
  venue::Gateway& swap = swap_connection->gateway();
  const auto perp = swap.instrument("BTC-USDT-SWAP");
  REQUIRE(perp.has_value());
  CHECK(perp->kind == InstrumentKind::linear_perpetual);
  CHECK(perp->multiplier == "0.01"_d);
  const std::string swap_market = sim::market_key(InstrumentKind::linear_perpetual, "BTC-USDT-SWAP");
  okx_sim_rest(simulator, swap_market, Side::sell, "10"_d, "60000"_d);
  okx_sim_rest(simulator, swap_market, Side::buy, "10"_d, "59000"_d);
  // Sell 4 contracts at market into the bid at 59000: a short of 4 × 0.01 BTC, value
  // 2360, fee 2.36, margin 236; mark = mid 59500, unrealised (59500 − 59000) × −4 × 0.01
  // = −20, notional 4 × 0.01 × 59500 = 2380 (short).
  const auto sold = swap.create_order(okx_new_order("BTC-USDT-SWAP", Side::sell, "4"_d, std::nullopt, "gwswap1"));
  REQUIRE(sold.has_value());
  const auto sold_state = swap.query_order(okx_order_ref("BTC-USDT-SWAP", sold->order_id));
  REQUIRE(sold_state.has_value());
  CHECK(sold_state->status == venue::OrderStatus::filled);
  CHECK(sold_state->executed_quantity == "4"_d);
  const auto positions = swap.positions("BTC-USDT-SWAP");
  REQUIRE(positions.has_value());
  REQUIRE(positions->size() == 1);
  const venue::Position& held = (*positions)[0];
  CHECK(held.symbol == "BTC-USDT-SWAP");
  CHECK(held.side == venue::PositionSide::both);
  CHECK(held.quantity == "-4"_d);
  CHECK(held.entry_price == "59000"_d);
  CHECK(held.mark_price == "59500"_d);
  CHECK(held.unrealized_pnl == "-20"_d);
  CHECK(held.notional == "-2380"_d);
  CHECK(held.leverage == std::optional<Decimal>("10"_d));
  // 94000 − 2.36 = 93997.64 in cash, of which the position's 236 is frozen.
  const auto margined = swap.balances();
  REQUIRE(margined.has_value());
  CHECK(okx_find_balance(*margined, "USDT") == venue::Balance{"USDT", "93761.64"_d, "236"_d});
  // A resting bid of 1 contract at 55000, amended to 56000 (beyond the seam), then
  // cancelled.
  const auto bid = swap.create_order(okx_new_order("BTC-USDT-SWAP", Side::buy, "1"_d, "55000"_d, "gwswap2"));
  REQUIRE(bid.has_value());
  auto* v5 = dynamic_cast<venue::okx::V5Gateway*>(&swap);
  REQUIRE(v5 != nullptr);
  const auto amended =
      v5->amend_order({okx_order_ref("BTC-USDT-SWAP", bid->order_id), std::nullopt, "56000"_d, std::nullopt});
  REQUIRE(amended.has_value());
  CHECK(swap.query_order(okx_order_ref("BTC-USDT-SWAP", bid->order_id))->price == "56000"_d);
  const auto bid_cancelled = swap.cancel_order(okx_order_ref("BTC-USDT-SWAP", bid->order_id));
  REQUIRE(bid_cancelled.has_value());
  CHECK(bid_cancelled->status == venue::OrderStatus::canceled);
  CHECK(swap.open_orders("BTC-USDT-SWAP")->empty());
  CHECK(swap.credentials_refused() == std::nullopt);

  // A wrong passphrase: 50105, latched after the one request.
  const auto stranger = okx_connect(simulator, "swap", "not-the-passphrase");
  const auto denied = stranger->gateway().balances();
  REQUIRE_FALSE(denied.has_value());
  CHECK(denied.error().code == ErrorCode::auth_failed);
  CHECK(denied.error().venue_code == "50105");
  REQUIRE(stranger->gateway().credentials_refused().has_value());
  CHECK(stranger->gateway().open_orders("BTC-USDT-SWAP").error().code == ErrorCode::auth_failed);
  CHECK(stranger->channel().stats().requests_sent.load() == 1);
  CHECK(simulator.stats().auth_rejected == 1);
}
