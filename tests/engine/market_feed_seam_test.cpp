// Tests for cts/engine/market_feed.hpp over the venue seam: the feed drives any
// venue::MarketStream. A scripted stream stands for a venue that sends its book
// snapshots in the stream (as Bybit does): the feed never asks REST for a snapshot,
// counts the streamed rebuilds, and asks for a new connection after a gap.
#include <cts/engine/market_feed.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>

#include <cts/venue/binance/capabilities.hpp>

#include "stream_harness.hpp"

using namespace cts;
using namespace cts::engine;
using namespace cts::literals;
using namespace std::chrono_literals;
using cts_test::ws_disconnected;
using cts_test::ws_message;
using cts_test::ws_opened;

namespace {

/// A venue whose frames are the words "subscribed", "snapshot <bid> <ask>", "delta
/// <bid>" and "gap"; snapshots come in the stream.
class ScriptedStream final : public venue::MarketStream {
 public:
  std::string path() const override { return "/scripted"; }
  std::vector<std::string> subscriptions() const override { return {"subscribe"}; }
  Result<venue::MarketChange> on_message(std::string_view text) override {
    if (text == "subscribed") return venue::MarketChange::subscribed;
    if (text == "gap") {
      book_.clear();
      synced_ = false;
      return venue::MarketChange::gap;
    }
    if (text.starts_with("snapshot ")) {
      const std::string_view prices = text.substr(9);
      const std::size_t space = prices.find(' ');
      venue::BookSnapshot snapshot;
      snapshot.last_update_id = ++update_id_;
      snapshot.bids.push_back({Decimal::parse(prices.substr(0, space)).value(), "1"_d});
      snapshot.asks.push_back({Decimal::parse(prices.substr(space + 1)).value(), "1"_d});
      if (Result<void> loaded = book_.load(snapshot); !loaded) return loaded.error();
      synced_ = true;
      return venue::MarketChange::book;
    }
    if (text.starts_with("delta ")) {
      if (!synced_) return venue::MarketChange::waiting;
      const venue::PriceLevel bid{Decimal::parse(text.substr(6)).value(), "2"_d};
      if (Result<void> applied = book_.apply(std::span(&bid, 1), {}, ++update_id_); !applied) return applied.error();
      return venue::MarketChange::book;
    }
    return make_error(ErrorCode::protocol_error, "unknown frame");
  }
  bool rest_snapshots() const noexcept override { return false; }
  Result<venue::MarketChange> on_snapshot(const venue::BookSnapshot&) override {
    return make_error(ErrorCode::unsupported, "snapshots come in the stream");
  }
  void reset() override {
    book_.clear();
    synced_ = false;
  }
  bool synced() const noexcept override { return synced_; }
  const venue::OrderBook& book() const noexcept override { return book_; }
  const std::optional<venue::BookTicker>& ticker() const noexcept override { return ticker_; }

 private:
  venue::OrderBook book_;
  std::optional<venue::BookTicker> ticker_;
  std::uint64_t update_id_ = 0;
  bool synced_ = false;
};

/// A gateway that answers nothing and counts the snapshots asked of it.
class CountingGateway final : public venue::Gateway {
 public:
  VenueId venue() const noexcept override { return VenueId::binance_spot; }
  const venue::VenueCapabilities& capabilities() const noexcept override {
    return venue::binance::kSpotCapabilities;
  }
  Result<std::int64_t> server_time_ms() override { return none(); }
  Result<Instrument> instrument(std::string_view) override { return none(); }
  Result<venue::BookTicker> book_ticker(std::string_view) override { return none(); }
  Result<venue::BookSnapshot> depth(std::string_view, std::size_t) override {
    ++depth_requests;
    return none();
  }
  Result<venue::OrderReport> create_order(const venue::NewOrder&) override { return none(); }
  Result<venue::OrderReport> cancel_order(const venue::OrderRef&) override { return none(); }
  Result<venue::OrderReport> query_order(const venue::OrderRef&) override { return none(); }
  Result<std::vector<venue::OrderReport>> open_orders(std::string_view) override { return none(); }
  Result<std::vector<venue::AccountTrade>> order_trades(std::string_view, std::string_view) override {
    return none();
  }
  Result<std::vector<venue::AccountTrade>> recent_trades(std::string_view, std::size_t) override { return none(); }
  Result<std::vector<venue::Balance>> balances() override { return none(); }

  int depth_requests = 0;

 private:
  static Error none() { return make_error(ErrorCode::venue_unavailable, "not reachable in this test"); }
};

}  // namespace

TEST_CASE("market feed over a venue that streams its snapshots: no REST snapshot, a gap asks for a new connection") {
  CountingGateway gateway;
  MarketFeedOptions options;
  options.max_age = 1h;
  MarketFeed feed(gateway, "BTCUSDT", std::make_unique<ScriptedStream>(), options);
  CHECK(feed.path() == "/scripted");
  CHECK(feed.subscriptions() == std::vector<std::string>{"subscribe"});
  const SteadyTime now = RealClock{}.steady_now();
  REQUIRE(feed.on_event(ws_opened(1), now));
  REQUIRE(feed.on_event(ws_message("subscribed"), now));
  REQUIRE(feed.on_event(ws_message("delta 99"), now));  // before the snapshot: kept waiting, no REST
  CHECK_FALSE(feed.synced());
  CHECK_FALSE(feed.top(now));
  REQUIRE(feed.refresh(now));
  CHECK(gateway.depth_requests == 0);

  REQUIRE(feed.on_event(ws_message("snapshot 100 101"), now));
  REQUIRE(feed.synced());
  CHECK(feed.stats().resyncs == 1);
  REQUIRE(feed.on_event(ws_message("delta 100.5"), now));
  const std::optional<venue::BookTicker> top = feed.top(now);
  REQUIRE(top);
  CHECK(top->bid_price == "100.5"_d);  // the delta's better bid
  CHECK(top->bid_quantity == "2"_d);
  CHECK(top->ask_price == "101"_d);
  CHECK_FALSE(feed.take_reconnect_request());

  REQUIRE(feed.on_event(ws_message("gap"), now));
  CHECK_FALSE(feed.top(now));
  CHECK(feed.stats().gaps == 1);
  CHECK(feed.take_reconnect_request());
  CHECK_FALSE(feed.take_reconnect_request());  // asked once
  REQUIRE(feed.refresh(now));
  CHECK(gateway.depth_requests == 0);

  // The new connection's subscription brings a new snapshot.
  REQUIRE(feed.on_event(ws_disconnected(1), now));
  REQUIRE(feed.on_event(ws_opened(2), now));
  REQUIRE(feed.on_event(ws_message("snapshot 102 103", 2), now));
  CHECK(feed.synced());
  CHECK(feed.stats().resyncs == 2);
  CHECK(feed.stats().reconnects == 1);
  CHECK(feed.top(now)->bid_price == "102"_d);
  CHECK(gateway.depth_requests == 0);
}

TEST_CASE("market feed over the seam: a frame the stream cannot parse is counted and changes nothing") {
  CountingGateway gateway;
  MarketFeed feed(gateway, "BTCUSDT", std::make_unique<ScriptedStream>());
  const SteadyTime now = RealClock{}.steady_now();
  REQUIRE(feed.on_event(ws_opened(1), now));
  REQUIRE(feed.on_event(ws_message("snapshot 100 101"), now));
  const Result<void> bad = feed.on_event(ws_message("garbage"), now);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ErrorCode::protocol_error);
  CHECK(feed.stats().parse_errors == 1);
  CHECK(feed.synced());
  CHECK(feed.top(now)->bid_price == "100"_d);
}
