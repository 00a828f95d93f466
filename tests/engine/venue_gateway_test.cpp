// Integration of the venue seam: one scenario, written once against venue::Gateway, run
// for every simulator front (Binance spot, Bybit v5 spot and linear) through the
// registry and the connection factory (engine::VenueConnection) over loopback HTTP. The
// expected values are computed by hand from the simulator's settings: the account holds
// 100000 USDT and 10 BTC; fees are 0.1 % maker and taker. Spot BTCUSDT: tick 0.01, step
// 0.00001, min notional 5, fees in the asset received, a buy locks price·quantity USDT.
// Linear BTCUSDT: tick 0.1, step 0.001, min notional 5, fees in USDT, leverage 10, an
// order's margin is not in the wallet's `locked` (that is spot's; Bybit reports order
// margin as totalOrderIM), the mark price is the book's mid.
#include <cts/engine/connection.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <cts/core/clock.hpp>
#include <cts/sim/simulator.hpp>
#include <cts/venue/registry.hpp>

using namespace cts;
using namespace cts::literals;

namespace {

/// One simulator front, the connector that speaks to it, and what the scenario must see.
struct VenueCase {
  std::string_view name;                 ///< For the report.
  sim::SimVenue front;                   ///< The simulator's REST front.
  VenueId venue;                         ///< The registry entry...
  std::string_view market;               ///< ... and its market.
  InstrumentKind kind;                   ///< The simulator's book.
  venue::OrderStatus acknowledged;       ///< What create_order reports for an order that rests.
  std::string_view tick;                 ///< The instrument's tick ...
  std::string_view step;                 ///< ... and step.
  std::string_view usdt_free_resting;    ///< USDT free while a buy of 0.01 at 28000 rests ...
  std::string_view usdt_locked_resting;  ///< ... and locked.
  std::string_view fee;                  ///< The taker fee of a buy of 0.1 at 30000 ...
  std::string_view fee_asset;            ///< ... in this asset.
  std::string_view usdt_after;           ///< USDT after that buy ...
  std::string_view btc_after;            ///< ... and BTC.
};

/// Binance answers a create with the order's state; Bybit acknowledges it (pending_new).
/// Spot: resting 0.01 × 28000 = 280 locked, 100000 − 280 = 99720 free; the fill pays
/// 0.1 × 30000 = 3000 USDT and receives 0.1 BTC less 0.1 % = 0.0001 BTC: 97000 USDT,
/// 10.0999 BTC. Linear: nothing locked in the wallet; the fill's fee is 0.1 % of 3000 =
/// 3 USDT and the position holds the rest: 99997 USDT, BTC untouched.
constexpr VenueCase kCases[] = {
    {"binance spot", sim::SimVenue::binance, VenueId::binance_spot, "spot", InstrumentKind::spot,
     venue::OrderStatus::new_, "0.01", "0.00001", "99720", "280", "0.0001", "BTC", "97000", "10.0999"},
    {"bybit spot", sim::SimVenue::bybit, VenueId::bybit, "spot", InstrumentKind::spot, venue::OrderStatus::pending_new,
     "0.01", "0.00001", "99720", "280", "0.0001", "BTC", "97000", "10.0999"},
    {"bybit linear", sim::SimVenue::bybit, VenueId::bybit, "linear", InstrumentKind::linear_perpetual,
     venue::OrderStatus::pending_new, "0.1", "0.001", "100000", "0", "3", "USDT", "99997", "10"},
};

Decimal dec(std::string_view text) { return Decimal::parse(text).value(); }

std::int64_t now_ms() { return to_unix_millis(RealClock{}.system_now()); }

/// A resting order of another, funded account in the book of `kind`.
void rest(sim::Simulator& simulator, InstrumentKind kind, Side side, Decimal quantity, Decimal price) {
  simulator.with_engine([&](sim::MatchingEngine& engine) {
    const sim::AccountId other = engine.create_account();
    engine.deposit(other, "BTC", "100"_d);
    engine.deposit(other, "USDT", "10000000"_d);
    sim::OrderRequest order;
    order.account = other;
    order.symbol = sim::market_key(kind, "BTCUSDT");
    order.side = side;
    order.quantity = quantity;
    order.price = price;
    REQUIRE(engine.place(order, now_ms()));
  });
}

std::unique_ptr<engine::VenueConnection> connect(const VenueCase& c, const sim::Simulator& simulator,
                                                 std::string api_key, std::string secret) {
  engine::ConnectionOptions options;
  options.base_url = simulator.base_url();
  options.credentials = sign::Credentials{std::move(api_key), sign::Secret(std::move(secret)), {}};
  auto connection =
      engine::VenueConnection::open(*venue::find_connector(c.venue, c.market).value(), std::move(options));
  REQUIRE(connection.has_value());
  return std::move(*connection);
}

venue::NewOrder limit_buy(std::string client_id, Decimal quantity, Decimal price) {
  venue::NewOrder order;
  order.symbol = "BTCUSDT";
  order.side = Side::buy;
  order.type = OrderType::limit;
  order.time_in_force = TimeInForce::gtc;
  order.quantity = quantity;
  order.price = price;
  order.client_order_id = std::move(client_id);
  return order;
}

venue::Balance balance_of(const std::vector<venue::Balance>& balances, std::string_view asset) {
  for (const venue::Balance& balance : balances) {
    if (balance.asset == asset) return balance;
  }
  FAIL("no balance of " << asset);
  return {};
}

void run_scenario(const VenueCase& c) {
  sim::SimulatorOptions options;
  options.venue = c.front;
  options.market_flow = false;
  sim::Simulator simulator(options);
  const auto connection = connect(c, simulator, options.api_key, options.api_secret);
  venue::Gateway& gateway = connection->gateway();
  CHECK(gateway.venue() == c.venue);

  // The venue's clock is this machine's (same host), give or take a minute.
  const auto server_time = gateway.server_time_ms();
  REQUIRE(server_time.has_value());
  CHECK(std::abs(*server_time - now_ms()) < 60'000);

  const auto btc = gateway.instrument("BTCUSDT");
  REQUIRE(btc.has_value());
  CHECK(btc->venue_symbol == "BTCUSDT");
  CHECK(btc->tick_size == dec(c.tick));
  CHECK(btc->step_size == dec(c.step));
  CHECK(btc->min_notional == "5"_d);
  CHECK(gateway.instrument("NOPEUSDT").error().code == ErrorCode::invalid_argument);

  // Another account rests a bid of 0.3 at 29000 and an ask of 0.5 at 30000.
  rest(simulator, c.kind, Side::buy, "0.3"_d, "29000"_d);
  rest(simulator, c.kind, Side::sell, "0.5"_d, "30000"_d);
  const auto book = gateway.depth("BTCUSDT", 5);
  REQUIRE(book.has_value());
  REQUIRE(book->bids.size() == 1);
  REQUIRE(book->asks.size() == 1);
  CHECK(book->bids[0] == venue::PriceLevel{"29000"_d, "0.3"_d});
  CHECK(book->asks[0] == venue::PriceLevel{"30000"_d, "0.5"_d});
  const auto best = gateway.book_ticker("BTCUSDT");
  REQUIRE(best.has_value());
  CHECK(best->bid_price == "29000"_d);
  CHECK(best->bid_quantity == "0.3"_d);
  CHECK(best->ask_price == "30000"_d);
  CHECK(best->ask_quantity == "0.5"_d);

  // A resting buy of 0.01 at 28000 locks 0.01 × 28000 = 280 USDT.
  const auto created = gateway.create_order(limit_buy("gw-rest-1", "0.01"_d, "28000"_d));
  REQUIRE(created.has_value());
  CHECK(created->status == c.acknowledged);
  CHECK(created->client_order_id == "gw-rest-1");
  CHECK_FALSE(created->order_id.empty());
  const auto queried = gateway.query_order({"BTCUSDT", std::nullopt, "gw-rest-1"});
  REQUIRE(queried.has_value());
  CHECK(queried->status == venue::OrderStatus::new_);
  CHECK(queried->order_id == created->order_id);
  CHECK(queried->side == Side::buy);
  CHECK(queried->price == "28000"_d);
  CHECK(queried->quantity == "0.01"_d);
  CHECK(queried->executed_quantity == "0"_d);
  const auto open = gateway.open_orders("BTCUSDT");
  REQUIRE(open.has_value());
  REQUIRE(open->size() == 1);
  CHECK((*open)[0].client_order_id == "gw-rest-1");
  const auto locked = gateway.balances();
  REQUIRE(locked.has_value());
  CHECK(balance_of(*locked, "USDT") == venue::Balance{"USDT", dec(c.usdt_free_resting), dec(c.usdt_locked_resting)});

  const auto cancelled = gateway.cancel_order({"BTCUSDT", std::nullopt, "gw-rest-1"});
  REQUIRE(cancelled.has_value());
  CHECK(cancelled->status == venue::OrderStatus::canceled);
  CHECK(cancelled->order_id == created->order_id);
  CHECK(gateway.open_orders("BTCUSDT")->empty());

  // A buy of 0.1 at 30000 takes 0.1 of the ask at the maker's 30000 (quote 3000).
  const auto taken = gateway.create_order(limit_buy("gw-take-1", "0.1"_d, "30000"_d));
  REQUIRE(taken.has_value());
  const auto filled = gateway.query_order({"BTCUSDT", std::nullopt, "gw-take-1"});
  REQUIRE(filled.has_value());
  CHECK(filled->status == venue::OrderStatus::filled);
  CHECK(filled->order_id == taken->order_id);
  CHECK(filled->executed_quantity == "0.1"_d);
  CHECK(filled->cumulative_quote == "3000"_d);
  const auto trades = gateway.order_trades("BTCUSDT", taken->order_id);
  REQUIRE(trades.has_value());
  REQUIRE(trades->size() == 1);
  const venue::AccountTrade& fill = (*trades)[0];
  CHECK(fill.order_id == taken->order_id);
  CHECK(fill.side == Side::buy);
  CHECK(fill.price == "30000"_d);
  CHECK(fill.quantity == "0.1"_d);
  CHECK(fill.commission == dec(c.fee));
  CHECK(fill.commission_asset == c.fee_asset);
  CHECK_FALSE(fill.maker);
  const auto recent = gateway.recent_trades("BTCUSDT", 10);
  REQUIRE(recent.has_value());
  REQUIRE(recent->size() == 1);  // the account's only execution
  CHECK((*recent)[0].id == fill.id);
  CHECK((*recent)[0].price == "30000"_d);
  CHECK((*recent)[0].quantity == "0.1"_d);
  CHECK((*recent)[0].commission == dec(c.fee));

  const auto moved = gateway.balances();
  REQUIRE(moved.has_value());
  CHECK(balance_of(*moved, "USDT") == venue::Balance{"USDT", dec(c.usdt_after), "0"_d});
  CHECK(balance_of(*moved, "BTC") == venue::Balance{"BTC", dec(c.btc_after), "0"_d});

  const auto positions = gateway.positions("BTCUSDT");
  if (c.kind == InstrumentKind::spot) {
    CHECK(positions.error().code == ErrorCode::unsupported);
  } else {
    // One-way long 0.1 entered at 30000; the book is now bid 29000, ask 30000 (0.4 left):
    // mark = mid 29500, unrealised (29500 − 30000) × 0.1 = −50, leverage 10.
    REQUIRE(positions.has_value());
    REQUIRE(positions->size() == 1);
    const venue::Position& held = (*positions)[0];
    CHECK(held.symbol == "BTCUSDT");
    CHECK(held.side == venue::PositionSide::both);
    CHECK(held.quantity == "0.1"_d);
    CHECK(held.entry_price == "30000"_d);
    CHECK(held.mark_price == "29500"_d);
    CHECK(held.unrealized_pnl == "-50"_d);
    CHECK(held.leverage == std::optional<Decimal>("10"_d));
  }

  // Two resting buys, both cancelled by one cancel-all.
  REQUIRE(gateway.create_order(limit_buy("gw-all-1", "0.01"_d, "27000"_d)).has_value());
  REQUIRE(gateway.create_order(limit_buy("gw-all-2", "0.01"_d, "26000"_d)).has_value());
  const auto swept = gateway.cancel_open_orders("BTCUSDT");
  REQUIRE(swept.has_value());
  REQUIRE(swept->size() == 2);
  std::vector<std::string> swept_ids{(*swept)[0].client_order_id, (*swept)[1].client_order_id};
  std::sort(swept_ids.begin(), swept_ids.end());
  CHECK(swept_ids == std::vector<std::string>{"gw-all-1", "gw-all-2"});
  for (const venue::OrderReport& report : *swept) {
    CHECK(report.symbol == "BTCUSDT");
    CHECK(report.status == venue::OrderStatus::canceled);
  }
  CHECK(gateway.open_orders("BTCUSDT")->empty());
  CHECK(gateway.cancel_open_orders("BTCUSDT").error().code == ErrorCode::order_not_found);
  const auto after = gateway.balances();
  REQUIRE(after.has_value());
  CHECK(balance_of(*after, "USDT") == venue::Balance{"USDT", dec(c.usdt_after), "0"_d});
  CHECK(gateway.credentials_refused() == std::nullopt);

  // A key the venue does not know: refused once, latched, nothing more sent.
  const auto stranger = connect(c, simulator, "not-a-key", "not-a-secret");
  venue::Gateway& refused = stranger->gateway();
  const auto denied = refused.balances();
  REQUIRE_FALSE(denied);
  CHECK(denied.error().code == ErrorCode::auth_failed);
  CHECK_FALSE(denied.error().venue_code.empty());
  REQUIRE(refused.credentials_refused().has_value());
  const std::uint64_t sent = stranger->channel().stats().requests_sent.load();
  CHECK(sent == 1);
  CHECK(refused.create_order(limit_buy("gw-no-1", "0.01"_d, "28000"_d)).error().code == ErrorCode::auth_failed);
  CHECK(refused.open_orders("BTCUSDT").error().code == ErrorCode::auth_failed);
  CHECK(refused.recent_trades("BTCUSDT", 10).error().code == ErrorCode::auth_failed);
  CHECK(refused.query_order({"BTCUSDT", std::nullopt, "gw-no-1"}).error().code == ErrorCode::auth_failed);
  CHECK(stranger->channel().stats().requests_sent.load() == sent);
  CHECK(simulator.stats().auth_rejected == 1);
}

}  // namespace

TEST_CASE("venue gateway: one scenario through the registry for every simulator front") {
  for (const VenueCase& c : kCases) {
    SUBCASE(std::string(c.name).c_str()) { run_scenario(c); }
  }
}
