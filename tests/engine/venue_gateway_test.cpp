// Integration of the venue seam: one scenario, written once against venue::Gateway, run
// for every simulator front (Binance spot, Bybit v5 spot) through the registry and the
// connection factory (engine::VenueConnection) over loopback HTTP. The expected values
// are computed by hand in the comments from the simulator's settings: BTCUSDT tick 0.01,
// step 0.00001, min notional 5; the account holds 100000 USDT and 10 BTC; fees 0.1 %
// maker and taker, charged in the asset received.
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

/// One simulator front and the connector that speaks to it.
struct VenueCase {
  std::string_view name;            ///< For the report.
  sim::SimVenue front;              ///< The simulator's REST front.
  VenueId venue;                    ///< The registry entry...
  std::string_view market;          ///< ... and its market.
  venue::OrderStatus acknowledged;  ///< What create_order reports for an order that rests.
};

/// Binance answers a create with the order's state; Bybit acknowledges it (pending_new).
constexpr VenueCase kCases[] = {
    {"binance spot", sim::SimVenue::binance, VenueId::binance_spot, "spot", venue::OrderStatus::new_},
    {"bybit spot", sim::SimVenue::bybit, VenueId::bybit, "spot", venue::OrderStatus::pending_new},
};

std::int64_t now_ms() { return to_unix_millis(RealClock{}.system_now()); }

/// A resting order of another, funded account.
void rest(sim::Simulator& simulator, Side side, Decimal quantity, Decimal price) {
  simulator.with_engine([&](sim::MatchingEngine& engine) {
    const sim::AccountId other = engine.create_account();
    engine.deposit(other, "BTC", "100"_d);
    engine.deposit(other, "USDT", "10000000"_d);
    sim::OrderRequest order;
    order.account = other;
    order.symbol = "BTCUSDT";
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
  CHECK(btc->tick_size == "0.01"_d);
  CHECK(btc->step_size == "0.00001"_d);
  CHECK(btc->min_notional == "5"_d);
  CHECK(gateway.instrument("NOPEUSDT").error().code == ErrorCode::invalid_argument);

  // Another account rests a bid of 0.3 at 29000 and an ask of 0.5 at 30000.
  rest(simulator, Side::buy, "0.3"_d, "29000"_d);
  rest(simulator, Side::sell, "0.5"_d, "30000"_d);
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
  CHECK(balance_of(*locked, "USDT") == venue::Balance{"USDT", "99720"_d, "280"_d});  // 100000 − 280

  const auto cancelled = gateway.cancel_order({"BTCUSDT", std::nullopt, "gw-rest-1"});
  REQUIRE(cancelled.has_value());
  CHECK(cancelled->status == venue::OrderStatus::canceled);
  CHECK(cancelled->order_id == created->order_id);
  CHECK(gateway.open_orders("BTCUSDT")->empty());

  // A buy of 0.1 at 30000 takes 0.1 of the ask at the maker's 30000: 3000 USDT paid, a
  // taker fee of 0.1 % of the 0.1 BTC received = 0.0001 BTC.
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
  CHECK(fill.commission == "0.0001"_d);
  CHECK(fill.commission_asset == "BTC");
  CHECK_FALSE(fill.maker);
  const auto recent = gateway.recent_trades("BTCUSDT", 10);
  REQUIRE(recent.has_value());
  REQUIRE(recent->size() == 1);  // the account's only execution
  CHECK((*recent)[0].id == fill.id);
  CHECK((*recent)[0].price == "30000"_d);
  CHECK((*recent)[0].quantity == "0.1"_d);
  CHECK((*recent)[0].commission == "0.0001"_d);

  // USDT 100000 − 3000 = 97000; BTC 10 + 0.1 − 0.0001 = 10.0999.
  const auto moved = gateway.balances();
  REQUIRE(moved.has_value());
  CHECK(balance_of(*moved, "USDT") == venue::Balance{"USDT", "97000"_d, "0"_d});
  CHECK(balance_of(*moved, "BTC") == venue::Balance{"BTC", "10.0999"_d, "0"_d});

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
  CHECK(balance_of(*after, "USDT") == venue::Balance{"USDT", "97000"_d, "0"_d});
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
  CHECK(stranger->channel().stats().requests_sent.load() == sent);
  CHECK(simulator.stats().auth_rejected == 1);
}

}  // namespace

TEST_CASE("venue gateway: one scenario through the registry for every simulator front") {
  for (const VenueCase& c : kCases) {
    SUBCASE(std::string(c.name).c_str()) { run_scenario(c); }
  }
}
