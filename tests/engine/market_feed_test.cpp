// Tests for cts/engine/market_feed.hpp: hand-written Binance market-stream frames (field
// names and layout as in binance-spot-api-docs web-socket-streams.md, "Diff. Depth
// Stream" and "Individual Symbol Book Ticker Streams") fed to the feed, with its REST
// snapshots served by the embedded simulator over loopback.
#include <cts/engine/market_feed.hpp>

#include <doctest/doctest.h>

#include <string>

#include <fmt/format.h>

#include <cts/venue/gateway.hpp>
#include <cts/engine/market_maker.hpp>
#include <cts/sim/simulator.hpp>

#include "stream_harness.hpp"

using namespace cts;
using namespace cts::engine;
using namespace cts::literals;
using namespace std::chrono_literals;

namespace {

sim::SimulatorOptions quiet_simulator() {
  sim::SimulatorOptions options;
  options.market_flow = false;
  return options;
}

/// A public-data gateway to the simulator (depth needs no key).
struct PublicGateway {
  explicit PublicGateway(sim::Simulator& simulator)
      : connection(cts_test::connect_to(simulator, false)), gateway(connection->gateway()) {}
  std::unique_ptr<VenueConnection> connection;
  venue::Gateway& gateway;
};

/// Rests a maker order on the simulator's BTCUSDT book (one book change).
void rest_maker(sim::Simulator& simulator, Side side, Decimal price, Decimal quantity) {
  simulator.with_engine([&](sim::MatchingEngine& engine) {
    const sim::AccountId maker = engine.create_account();
    engine.deposit(maker, "BTC", "100"_d);
    engine.deposit(maker, "USDT", "10000000"_d);
    sim::OrderRequest order;
    order.account = maker;
    order.symbol = "BTCUSDT";
    order.side = side;
    order.quantity = quantity;
    order.price = price;
    REQUIRE(engine.place(order, 1'700'000'000'000));
  });
}

std::uint64_t venue_update_id(sim::Simulator& simulator) {
  return static_cast<std::uint64_t>(
      simulator.with_engine([](sim::MatchingEngine& engine) { return engine.last_update_id("BTCUSDT"); }));
}

net::WsEvent opened(std::uint64_t connection) {
  net::WsEvent e;
  e.kind = net::WsEvent::Kind::opened;
  e.connection = connection;
  return e;
}
net::WsEvent message(std::string text, std::uint64_t connection = 1) {
  net::WsEvent e;
  e.kind = net::WsEvent::Kind::message;
  e.text = std::move(text);
  e.connection = connection;
  return e;
}
net::WsEvent disconnected(std::uint64_t connection = 1) {
  net::WsEvent e;
  e.kind = net::WsEvent::Kind::disconnected;
  e.connection = connection;
  e.error = make_error(ErrorCode::network, "connection reset");
  return e;
}

/// A depthUpdate as the spot diff-depth stream sends it.
std::string depth_update(std::uint64_t first, std::uint64_t last, std::string_view bids, std::string_view asks,
                         std::string_view symbol = "BTCUSDT") {
  return fmt::format(R"({{"e":"depthUpdate","E":1672515782136,"s":"{}","U":{},"u":{},"b":[{}],"a":[{}]}})", symbol,
                     first, last, bids, asks);
}

/// A bookTicker as the spot stream sends it (no "e" field).
std::string book_ticker(std::uint64_t update_id, std::string_view bid, std::string_view ask,
                        std::string_view symbol = "BTCUSDT") {
  return fmt::format(R"({{"u":{},"s":"{}","b":"{}","B":"1.50000000","a":"{}","A":"2.00000000"}})", update_id, symbol,
                     bid, ask);
}

/// A simulator with 1 BTC bid at 9990 and 1 BTC offered at 10010, and a feed on it.
struct FeedFixture {
  FeedFixture() : simulator(quiet_simulator()), rest(simulator), feed(rest.gateway, "BTCUSDT", cts_test::binance_market_stream(100), options()) {
    rest_maker(simulator, Side::buy, "9990"_d, "1"_d);
    rest_maker(simulator, Side::sell, "10010"_d, "1"_d);
  }
  static MarketFeedOptions options() {
    MarketFeedOptions o;
    o.max_age = 2s;
    return o;
  }
  /// Connects and synchronises the book on the venue's current id L with one diff
  /// (U = L, u = L + 1) adding a 2 BTC bid at 9995. Returns L + 1.
  std::uint64_t sync(SteadyTime now, std::uint64_t connection = 1) {
    REQUIRE(feed.on_event(opened(connection), now));
    const std::uint64_t l = venue_update_id(simulator);
    REQUIRE(feed.on_event(message(depth_update(l, l + 1, R"(["9995.00","2.00000"])", ""), connection), now));
    REQUIRE(feed.synced());
    return l + 1;
  }
  sim::Simulator simulator;
  PublicGateway rest;
  MarketFeed feed;
};

}  // namespace

TEST_CASE("market feed: one SUBSCRIBE for the 100 ms diff-depth and book-ticker streams, the same on every connect") {
  sim::Simulator simulator(quiet_simulator());
  PublicGateway rest(simulator);
  MarketFeed feed(rest.gateway, "BTCUSDT", cts_test::binance_market_stream());
  // web-socket-streams.md "Live Subscribing/Unsubscribing to streams": lower-case names.
  const std::string expected = R"({"method":"SUBSCRIBE","params":["btcusdt@depth@100ms","btcusdt@bookTicker"],"id":1})";
  REQUIRE(feed.subscriptions().size() == 1);
  CHECK(feed.subscriptions()[0] == expected);
  const SteadyTime now = RealClock{}.steady_now();
  REQUIRE(feed.on_event(opened(1), now));
  REQUIRE(feed.on_event(disconnected(1), now));
  REQUIRE(feed.on_event(opened(2), now));
  CHECK(feed.subscriptions() == std::vector<std::string>{expected});
  CHECK(feed.stats().reconnects == 1);
  CHECK(feed.stats().disconnects == 1);
}

TEST_CASE("market feed: the book is the REST snapshot plus the diffs after it") {
  FeedFixture f;
  const SteadyTime t0 = RealClock{}.steady_now();
  REQUIRE(f.feed.on_event(opened(1), t0));
  CHECK_FALSE(f.feed.top(t0));
  const std::uint64_t l = venue_update_id(f.simulator);
  // A diff older than the snapshot (dropped when replayed) and one that straddles it.
  REQUIRE(f.feed.on_event(message(depth_update(l - 1, l, R"(["9000.00","7.00000"])", "")), t0));
  CHECK(f.feed.stats().snapshots == 1);
  CHECK(f.feed.synced());  // the snapshot (id l) already covers that diff
  REQUIRE(f.feed.on_event(message(depth_update(l + 1, l + 1, R"(["9995.00","2.00000"])", "")), t0));
  CHECK(f.feed.stats().resyncs == 1);
  CHECK(f.feed.stats().diffs_applied == 1);

  const venue::OrderBook& book = f.feed.book();
  REQUIRE(book.depth(Side::buy) == 2);
  CHECK(book.level(Side::buy, 0).price == "9995"_d);
  CHECK(book.level(Side::buy, 0).quantity == "2"_d);
  CHECK(book.level(Side::buy, 1).price == "9990"_d);  // from the snapshot
  CHECK(book.level(Side::buy, 1).quantity == "1"_d);
  REQUIRE(book.depth(Side::sell) == 1);
  CHECK(book.level(Side::sell, 0).price == "10010"_d);
  CHECK(book.last_update_id() == l + 1);

  // The 10010 ask is removed (quantity 0) and a 10005 ask added.
  REQUIRE(f.feed.on_event(
      message(depth_update(l + 2, l + 3, "", R"(["10010.00","0.00000"],["10005.00","3.00000"])")), t0 + 10ms));
  const auto top = f.feed.top(t0 + 20ms);
  REQUIRE(top);
  CHECK(top->bid_price == "9995"_d);
  CHECK(top->bid_quantity == "2"_d);
  CHECK(top->ask_price == "10005"_d);
  CHECK(top->ask_quantity == "3"_d);
  CHECK(top->update_id == l + 3);
  CHECK(f.feed.stats().diffs_applied == 2);
  // A diff already covered by the book changes nothing.
  REQUIRE(f.feed.on_event(message(depth_update(l + 3, l + 3, R"(["9995.00","0"])", "")), t0 + 30ms));
  CHECK(f.feed.book().level(Side::buy, 0).price == "9995"_d);
}

TEST_CASE("market feed: a missed update (U > last u + 1) discards the book and takes a new snapshot") {
  FeedFixture f;
  const SteadyTime t0 = RealClock{}.steady_now();
  const std::uint64_t id = f.sync(t0);
  CHECK(f.feed.stats().snapshots == 1);
  // The venue moves on by six changes (asks 10020..10070)...
  for (int i = 0; i < 6; ++i) rest_maker(f.simulator, Side::sell, Decimal::from_int(10020 + 10 * i), "1"_d);
  const std::uint64_t venue_id = venue_update_id(f.simulator);
  REQUIRE(venue_id == id - 1 + 6);
  // ...and the stream skips id + 1.
  REQUIRE(f.feed.on_event(message(depth_update(id + 2, venue_id, "", R"(["10070.00","1.00000"])")), t0 + 1s));
  CHECK(f.feed.stats().gaps == 1);
  CHECK(f.feed.stats().snapshots == 2);
  REQUIRE(f.feed.synced());
  // The book is now the venue's own book (the injected 9995 bid is gone).
  const auto [bids, asks] =
      f.simulator.with_engine([](sim::MatchingEngine& engine) { return engine.depth("BTCUSDT", 100); });
  const venue::OrderBook& book = f.feed.book();
  REQUIRE(book.depth(Side::buy) == bids.size());
  REQUIRE(book.depth(Side::sell) == asks.size());
  for (std::size_t i = 0; i < bids.size(); ++i) {
    CHECK(book.level(Side::buy, i).price == bids[i].price);
    CHECK(book.level(Side::buy, i).quantity == bids[i].quantity);
  }
  for (std::size_t i = 0; i < asks.size(); ++i) {
    CHECK(book.level(Side::sell, i).price == asks[i].price);
    CHECK(book.level(Side::sell, i).quantity == asks[i].quantity);
  }
  CHECK(book.level(Side::buy, 0).price == "9990"_d);
  CHECK(asks.size() == 7);
  CHECK(f.feed.top(t0 + 1s)->bid_price == "9990"_d);
}

TEST_CASE("market feed: a snapshot older than the buffered diffs is fetched again, not used") {
  FeedFixture f;
  const SteadyTime t0 = RealClock{}.steady_now();
  REQUIRE(f.feed.on_event(opened(1), t0));
  const std::uint64_t l = venue_update_id(f.simulator);
  // The stream is ahead of REST: its first event starts at l + 2.
  REQUIRE(f.feed.on_event(message(depth_update(l + 2, l + 2, "", R"(["10030.00","1.00000"])")), t0));
  CHECK(f.feed.stats().snapshots == 1);
  CHECK_FALSE(f.feed.synced());
  // Not again before snapshot_interval...
  REQUIRE(f.feed.refresh(t0 + 100ms));
  CHECK(f.feed.stats().snapshots == 1);
  // ...and once REST has caught up (two changes: the 10020 ask, then the 10030 ask), it syncs.
  rest_maker(f.simulator, Side::sell, "10020"_d, "1"_d);
  rest_maker(f.simulator, Side::sell, "10030"_d, "1"_d);
  REQUIRE(f.feed.refresh(t0 + 300ms));
  CHECK(f.feed.stats().snapshots == 2);
  REQUIRE(f.feed.synced());
  CHECK(f.feed.book().last_update_id() == l + 2);
  CHECK(f.feed.book().depth(Side::sell) == 3);
}

TEST_CASE("market feed: a disconnect hides the top until a new snapshot joined the new connection") {
  FeedFixture f;
  const SteadyTime t0 = RealClock{}.steady_now();
  const std::uint64_t id = f.sync(t0);
  REQUIRE(f.feed.top(t0));
  REQUIRE(f.feed.on_event(disconnected(1), t0 + 10ms));
  CHECK_FALSE(f.feed.synced());
  CHECK_FALSE(f.feed.top(t0 + 10ms));
  CHECK(f.feed.stale(t0 + 10ms));
  // Messages still queued from the old connection cannot revive it.
  REQUIRE(f.feed.on_event(opened(2), t0 + 1s));
  CHECK(f.feed.stats().reconnects == 1);
  CHECK_FALSE(f.feed.top(t0 + 1s));
  REQUIRE(f.feed.on_event(message(book_ticker(id - 2, "9991.00", "10009.00"), 2), t0 + 1s));
  CHECK_FALSE(f.feed.top(t0 + 1s));  // a ticker alone is not a synchronised book
  // The new connection's first diff brings a new snapshot.
  const std::uint64_t l = venue_update_id(f.simulator);
  REQUIRE(f.feed.on_event(message(depth_update(l, l, "", ""), 2), t0 + 1s));
  CHECK(f.feed.stats().snapshots == 2);
  CHECK(f.feed.stats().resyncs == 2);
  const auto top = f.feed.top(t0 + 1s);
  REQUIRE(top);
  CHECK(top->bid_price == "9990"_d);  // the venue's book, without the 9995 bid of the old stream; the ticker is older
  CHECK(top->ask_price == "10010"_d);
}

TEST_CASE("market feed: the book-ticker stream gives the top when it is at least as new as the book") {
  FeedFixture f;
  const SteadyTime t0 = RealClock{}.steady_now();
  const std::uint64_t id = f.sync(t0);
  REQUIRE(f.feed.on_event(message(book_ticker(id + 1, "9996.00", "10008.00")), t0));
  auto top = f.feed.top(t0);
  REQUIRE(top);
  CHECK(top->bid_price == "9996"_d);
  CHECK(top->bid_quantity == "1.5"_d);
  CHECK(top->ask_price == "10008"_d);
  CHECK(top->ask_quantity == "2"_d);
  // Another symbol's ticker and an older ticker are ignored.
  REQUIRE(f.feed.on_event(message(book_ticker(id + 9, "1.00", "2.00", "ETHUSDT")), t0));
  REQUIRE(f.feed.on_event(message(book_ticker(id, "9000.00", "11000.00")), t0));
  CHECK(f.feed.top(t0)->bid_price == "9996"_d);
  CHECK(f.feed.stats().tickers == 1);
  // A newer book change wins over the older ticker.
  REQUIRE(f.feed.on_event(message(depth_update(id + 1, id + 2, R"(["9997.00","4.00000"])", "")), t0));
  top = f.feed.top(t0);
  REQUIRE(top);
  CHECK(top->bid_price == "9997"_d);
  CHECK(top->ask_price == "10010"_d);
}

TEST_CASE("market feed: data older than max_age is stale") {
  FeedFixture f;
  const SteadyTime t0 = RealClock{}.steady_now();
  f.sync(t0);
  CHECK(f.feed.top(t0 + 2s));
  CHECK_FALSE(f.feed.stale(t0 + 2s));
  CHECK_FALSE(f.feed.top(t0 + 2s + 1ms));
  CHECK(f.feed.stale(t0 + 2s + 1ms));
}

TEST_CASE("market feed: an unparsable frame or another symbol's diff changes nothing") {
  FeedFixture f;
  const SteadyTime t0 = RealClock{}.steady_now();
  const std::uint64_t id = f.sync(t0);
  const Result<void> bad = f.feed.on_event(message(R"({"e":"depthUpdate","s":"BTCUSDT","U":"x"})"), t0);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ErrorCode::protocol_error);
  CHECK(f.feed.stats().parse_errors == 1);
  REQUIRE(f.feed.on_event(message(depth_update(id + 5, id + 6, R"(["1.00","1"])", "", "ETHUSDT")), t0));
  CHECK(f.feed.synced());
  CHECK(f.feed.book().last_update_id() == id);
  CHECK(f.feed.stats().gaps == 0);
  // A subscription reply is not an error.
  REQUIRE(f.feed.on_event(message(R"({"result":null,"id":1})"), t0));
}

TEST_CASE("market maker: prices from the feed while it is fresh, from REST book_ticker when it is not") {
  sim::Simulator simulator(quiet_simulator());
  cts_test::StreamHarness h(simulator, "maker-feed");
  rest_maker(simulator, Side::buy, "9990"_d, "1"_d);
  rest_maker(simulator, Side::sell, "10010"_d, "1"_d);
  MarketFeedOptions options;
  options.max_age = 2s;
  MarketFeed feed(h.gateway, "BTCUSDT", cts_test::binance_market_stream(100), options);
  QuotingParams params;
  params.half_spread_fraction = "0.01"_d;
  params.order_quantity = "0.001"_d;
  params.max_position = "1"_d;
  params.skew_fraction_per_unit = "0"_d;
  MarketMaker maker(*h.executor, h.gateway, params, "0.001"_d, &feed);

  const SteadyTime t0 = RealClock{}.steady_now();
  REQUIRE(feed.on_event(opened(1), t0));
  const std::uint64_t l = venue_update_id(simulator);
  // The stream is one change ahead of REST: a 9995 bid the REST ticker does not show yet.
  REQUIRE(feed.on_event(message(depth_update(l, l + 1, R"(["9995.00","2.00000"])", "")), t0));
  REQUIRE(maker.step(t0));
  CHECK(maker.last_mid() == "10002.5"_d);  // (9995 + 10010) / 2, from the feed
  CHECK(maker.rest_fallbacks() == 0);
  // Stale feed: the step reads REST, whose book is 9990 / 10010.
  REQUIRE(maker.step(t0 + 3s));
  CHECK(maker.last_mid() == "10000"_d);
  CHECK(maker.rest_fallbacks() == 1);
  maker.pause();
}

TEST_CASE("market feed: the SUBSCRIBE reply brings the snapshot, so a quiet market is synchronised too") {
  FeedFixture f;
  const SteadyTime t0 = RealClock{}.steady_now();
  REQUIRE(f.feed.on_event(opened(1), t0));
  REQUIRE(f.feed.on_event(message(R"({"result":null,"id":2})"), t0));  // not our request
  CHECK(f.feed.stats().snapshots == 0);
  // web-socket-streams.md: the reply to SUBSCRIBE is {"result":null,"id":<our id>}.
  REQUIRE(f.feed.on_event(message(R"({"result":null,"id":1})"), t0));
  CHECK(f.feed.stats().snapshots == 1);
  REQUIRE(f.feed.synced());
  const std::uint64_t l = venue_update_id(f.simulator);
  CHECK(f.feed.book().last_update_id() == l);
  const auto top = f.feed.top(t0);
  REQUIRE(top);
  CHECK(top->bid_price == "9990"_d);
  CHECK(top->ask_price == "10010"_d);
  // The next diff continues from the snapshot; one that skips an id is a gap.
  REQUIRE(f.feed.on_event(message(depth_update(l + 1, l + 1, R"(["9995.00","1.00000"])", "")), t0));
  CHECK(f.feed.stats().diffs_applied == 1);
  REQUIRE(f.feed.on_event(message(depth_update(l + 3, l + 3, R"(["9996.00","1.00000"])", "")), t0 + 1s));
  CHECK(f.feed.stats().gaps == 1);
  CHECK_FALSE(f.feed.top(t0 + 1s));
}
