// End to end over loopback: a real net::WsClient on the simulator's market streams and
// WebSocket API feeding MarketFeed and UserStream, the executor trading through REST,
// and the simulator dropping every WebSocket connection mid-run.
#include <cts/engine/market_feed.hpp>
#include <cts/engine/user_stream.hpp>

#include <doctest/doctest.h>

#include <functional>

#include <cts/net/ws_client.hpp>

#include "stream_harness.hpp"

using namespace cts;
using namespace cts::engine;
using namespace cts::literals;
using namespace cts_test;
using namespace std::chrono_literals;

namespace {

/// The feed, the user stream and their clients, pumped by the test thread as the
/// session thread would.
struct Streams {
  Streams(sim::Simulator& simulator, StreamHarness& h)
      : harness(h),
        feed(h.gateway, "BTCUSDT", binance_market_stream(1000), feed_options()),
        user(binance_user_stream(*h.signer), *h.executor, user_options(h)),
        market(simulator.ws_url() + "/ws", client_options([this] { return feed.subscriptions(); }, 1)),
        api(simulator.ws_api_url(), client_options([this] { return user.subscriptions(); }, 2)) {
    market.start();
    api.start();
  }
  ~Streams() {
    market.stop();
    api.stop();
  }

  static MarketFeedOptions feed_options() {
    MarketFeedOptions o;
    o.max_age = 60s;  // a still market sends nothing for long stretches
    o.snapshot_interval = 50ms;
    return o;
  }
  static UserStreamOptions user_options(StreamHarness& h) {
    UserStreamOptions o;
    o.server_time_offset = [&channel = h.channel] { return channel.server_time_offset(); };
    return o;
  }
  static net::WsClientOptions client_options(std::function<std::vector<std::string>()> subscriptions,
                                             std::uint64_t seed) {
    net::WsClientOptions o;
    o.policy.backoff_base = 20ms;
    o.policy.backoff_cap = 200ms;
    o.seed = seed;
    o.subscriptions = std::move(subscriptions);
    return o;
  }

  /// One session-thread cycle: user data first (fills), then market data, then the
  /// reconciliation the user stream asks for.
  void pump() {
    const SteadyTime now = RealClock{}.steady_now();
    while (auto e = api.poll()) {
      if (!user.on_event(*e, now)) ++user_errors;
    }
    while (auto e = market.poll()) (void)feed.on_event(*e, now);
    (void)feed.refresh(now);
    if (user.live() && user.needs_reconcile() && harness.executor->sync(now)) {
      user.reconciled();
      ++reconciliations;
    }
  }
  /// Pumps until `done()` or 20 s.
  bool pump_until(const std::function<bool()>& done) {
    const SteadyTime deadline = RealClock{}.steady_now() + 20s;
    while (RealClock{}.steady_now() < deadline) {
      pump();
      if (done()) return true;
      if (auto e = api.wait(5ms)) {
        if (!user.on_event(*e, RealClock{}.steady_now())) ++user_errors;
      }
    }
    return false;
  }

  StreamHarness& harness;
  MarketFeed feed;
  UserStream user;
  net::WsClient market;
  net::WsClient api;
  std::uint64_t user_errors = 0;
  std::uint64_t reconciliations = 0;
};

void rest_level(sim::Simulator& simulator, Side side, Decimal price, Decimal quantity) {
  counterparty(simulator, side, quantity, price);
}

/// The feed's book equals the simulator's (every level, both sides).
bool book_matches(sim::Simulator& simulator, const MarketFeed& feed) {
  if (!feed.synced()) return false;
  const auto [bids, asks] =
      simulator.with_engine([](sim::MatchingEngine& engine) { return engine.depth("BTCUSDT", 5000); });
  const venue::OrderBook& book = feed.book();
  if (book.depth(Side::buy) != bids.size() || book.depth(Side::sell) != asks.size()) return false;
  for (std::size_t i = 0; i < bids.size(); ++i) {
    if (book.level(Side::buy, i).price != bids[i].price || book.level(Side::buy, i).quantity != bids[i].quantity) {
      return false;
    }
  }
  for (std::size_t i = 0; i < asks.size(); ++i) {
    if (book.level(Side::sell, i).price != asks[i].price || book.level(Side::sell, i).quantity != asks[i].quantity) {
      return false;
    }
  }
  return true;
}

}  // namespace

TEST_CASE("streams [threads]: book from the simulator's streams; fills from the user stream; a drop loses and doubles nothing") {
  sim::Simulator simulator(still_market());
  StreamHarness h(simulator, "streams-e2e");
  rest_level(simulator, Side::buy, "9990"_d, "1"_d);
  rest_level(simulator, Side::sell, "10010"_d, "1"_d);
  Streams s(simulator, h);

  // 1. Connected, subscribed, reconciled; the book is the venue's (snapshot on the
  // SUBSCRIBE reply), then follows its changes through the diffs.
  REQUIRE(s.pump_until([&] { return s.user.live() && !s.user.needs_reconcile(); }));
  CHECK(s.user.stats().auth_failures == 0);
  REQUIRE(s.pump_until([&] { return book_matches(simulator, s.feed); }));
  rest_level(simulator, Side::buy, "9980"_d, "2"_d);
  REQUIRE(s.pump_until([&] { return book_matches(simulator, s.feed) && s.feed.book().depth(Side::buy) == 2; }));
  CHECK(s.feed.top(RealClock{}.steady_now())->bid_price == "9990"_d);
  rest_level(simulator, Side::sell, "10005"_d, "0.5"_d);
  REQUIRE(s.pump_until([&] {
    const auto top = s.feed.top(RealClock{}.steady_now());
    return top && top->ask_price == "10005"_d && book_matches(simulator, s.feed);
  }));
  CHECK(s.feed.stats().diffs_applied >= 1);

  // 2. A REST order; its fill arrives through the user stream alone (no sync).
  const SteadyTime now = RealClock{}.steady_now();
  const ClientOrderId id =
      h.executor->submit_limit(Side::buy, "0.003"_d, "9995"_d, TimeInForce::gtc, "10000"_d, now).value();
  counterparty(simulator, Side::sell, "0.001"_d, "9995"_d);  // our bid is the best
  REQUIRE(s.pump_until([&] { return h.account.orders().find(id)->filled() == "0.001"_d; }));
  CHECK(h.executor->stats().stream_updates >= 2);  // NEW (already applied from the reply) and TRADE
  CHECK(h.executor->stats().fills == 1);
  const std::uint64_t reconciliations_before = s.reconciliations;

  // 3. The venue drops every WebSocket abruptly (TCP reset, no close frame); the rest of
  // the order fills, and the book changes, while the streams are down.
  simulator.drop_websockets();
  counterparty(simulator, Side::sell, "0.002"_d, "9995"_d);
  rest_level(simulator, Side::buy, "9970"_d, "3"_d);
  REQUIRE(s.pump_until([&] {
    return s.feed.stats().reconnects >= 1 && s.user.stats().reconnects >= 1 && s.user.live() &&
           !s.user.needs_reconcile() && h.account.orders().find(id)->filled() == "0.003"_d;
  }));
  CHECK(s.reconciliations > reconciliations_before);
  REQUIRE(s.pump_until([&] { return book_matches(simulator, s.feed); }));
  CHECK(s.feed.stats().resyncs >= 2);

  // Every fill once: the venue's fills, and nothing more.
  const std::vector<sim::Fill> fills = venue_fills(simulator);
  REQUIRE(fills.size() == 2);
  const order::Order* order = h.account.orders().find(id);
  CHECK(order->status() == order::OrderStatus::filled);
  CHECK(h.executor->stats().fills == 2);
  CHECK(order->fee("BTC") == fills[0].commission + fills[1].commission);
  const auto btc = simulator.with_engine([&](sim::MatchingEngine& e) { return e.balance(simulator.account(), "BTC"); });
  CHECK(btc.free + btc.locked == "10"_d + h.executor->position());
  CHECK(s.user_errors == 0);
}
