// Tests for cts/sim/pionex_streams.hpp: the simulator's Pionex WebSocket side, driven
// without sockets and read back by cts's own Pionex stream protocols
// (cts/venue/pionex/stream_protocols.hpp), so the frames are what a Pionex client parses.
// Facts from pionex-open-api websocketapi.yaml: the private stream's signed URL, the
// topics, and the heartbeat (a PING every 15 s, closed after 3 unanswered). Books follow
// from the orders each test rests.
#include <cts/sim/pionex_streams.hpp>

#include <string>
#include <variant>
#include <vector>

#include <doctest/doctest.h>

#include <cts/sign/pionex.hpp>
#include <cts/venue/pionex/stream_protocols.hpp>
#include <cts/venue/pionex/streams.hpp>

#include "streams_driver.hpp"

using namespace cts;
using namespace cts::literals;
namespace pionex = cts::venue::pionex;

namespace {

constexpr std::string_view kKey = "pionex-streams-key";
constexpr std::string_view kSecret = "pionex-streams-secret";
constexpr std::int64_t kNowMs = test::kStreamsNowMs;

SystemTime streams_now() { return from_unix_millis(kNowMs); }

/// Pionex's markets behind a Pionex front; our account holds 100000 USDT, the maker
/// 1000000 USDT and 100 BTC.
struct Venue : test::StreamsDriver<Venue> {
  sim::MatchingEngine engine;
  sim::PionexFront front;
  sim::PionexStreams streams;
  sim::AccountId account;
  sim::AccountId maker;
  sign::PionexSigner signer{std::string(kKey), sign::Secret(std::string(kSecret))};

  Venue() : front(engine), streams(engine, front) {
    for (const sim::MarketSpec& m : sim::default_pionex_markets()) engine.add_symbol(m.instrument, m.filters);
    account = engine.create_account();
    maker = engine.create_account();
    engine.deposit(account, "USDT", "100000"_d);
    engine.deposit(maker, "USDT", "1000000"_d);
    engine.deposit(maker, "BTC", "100"_d);
    streams.add_credential(std::string(kKey), kSecret, account);
  }
};

}  // namespace

TEST_CASE("pionex streams: the private stream opens only with a good signed URL") {
  Venue venue;
  pionex::PrivateUserStream protocol(venue.signer, &streams_now);
  CHECK(venue.streams.open(1, protocol.connection_target("/ws"), kNowMs));
  CHECK(venue.streams.open(2, "/wsPub", kNowMs));
  CHECK_FALSE(venue.streams.open(3, "/ws", kNowMs));  // no authentication
  CHECK_FALSE(venue.streams.open(4, protocol.connection_target("/ws"), kNowMs + 21'000));  // 21 s late
  const sign::PionexSigner wrong{std::string(kKey), sign::Secret("other-secret")};
  pionex::PrivateUserStream forged(wrong, &streams_now);
  CHECK_FALSE(venue.streams.open(5, forged.connection_target("/ws"), kNowMs));
  CHECK_FALSE(venue.streams.open(6, "/ws/v5/public", kNowMs));
}

TEST_CASE("pionex streams: DEPTH at subscription and after a change, read by the market protocol") {
  Venue venue;
  venue.rest(venue.maker, "BTC_USDT", Side::buy, "0.5"_d, "59990"_d);
  venue.rest(venue.maker, "BTC_USDT", Side::sell, "0.25"_d, "60010"_d);
  REQUIRE(venue.streams.open(1, "/wsPub", kNowMs));
  pionex::PublicMarketStream market("BTC_USDT");
  const auto first = venue.send(1, market.subscriptions().at(0));
  REQUIRE(first.size() == 1);
  CHECK(market.on_message(first[0]).value() == venue::MarketChange::book);
  CHECK(market.book().best_bid()->price == "59990"_d);
  CHECK(market.book().best_ask()->quantity == "0.25"_d);
  (void)venue.tick();  // the resting orders' changes were already sent
  venue.rest(venue.maker, "BTC_USDT", Side::buy, "1"_d, "59995"_d);
  const auto changed = venue.tick();
  REQUIRE(changed.size() == 1);
  CHECK(market.on_message(changed[0]).value() == venue::MarketChange::book);
  CHECK(market.book().best_bid()->price == "59995"_d);
  const auto bad = venue.send(1, R"({"op":"SUBSCRIBE","topic":"DEPTH","symbol":"DOGE_USDT"})");
  REQUIRE(bad.size() == 1);
  CHECK(market.on_message(bad[0]).error().venue_code == "MARKET_INVALID_SYMBOL");
}

TEST_CASE("pionex streams: ORDER, FILL and BALANCE of the account, read by the user protocol") {
  Venue venue;
  pionex::PrivateUserStream protocol(venue.signer, &streams_now);
  protocol.follow_symbol("BTC_USDT");
  REQUIRE(venue.streams.open(1, protocol.connection_target("/ws"), kNowMs));
  const std::vector<std::string> subscriptions = protocol.subscriptions(streams_now()).value();
  for (const std::string& frame : subscriptions) CHECK(venue.send(1, frame).empty());
  (void)venue.tick();
  venue.rest(venue.maker, "BTC_USDT", Side::sell, "0.01"_d, "60000"_d);
  sim::OrderRequest buy;
  buy.account = venue.account;
  buy.symbol = "BTC_USDT";
  buy.side = Side::buy;
  buy.quantity = "0.004"_d;
  buy.price = "60000"_d;
  buy.client_order_id = "cts-s1";
  REQUIRE(venue.engine.place(buy, kNowMs));
  std::vector<venue::OrderUpdate> updates;
  std::vector<venue::BalancesUpdate> balances;
  for (const std::string& frame : venue.tick()) {
    std::vector<venue::UserEvent> events = protocol.on_message(frame).value();
    for (venue::UserEvent& event : events) {
      if (auto* update = std::get_if<venue::OrderUpdate>(&event)) updates.push_back(*update);
      if (auto* moved = std::get_if<venue::BalancesUpdate>(&event)) balances.push_back(*moved);
    }
  }
  REQUIRE_FALSE(updates.empty());
  CHECK(updates.back().order.client_order_id == "cts-s1");
  CHECK(updates.back().order.status == venue::OrderStatus::filled);
  CHECK(updates.back().order.executed_quantity == "0.004"_d);
  REQUIRE_FALSE(balances.empty());
  bool saw_btc = false;
  for (const venue::Balance& b : balances.back().balances) {
    if (b.asset != "BTC") continue;
    saw_btc = true;
    CHECK(b.free == "0.003996"_d);  // 0.004 less the 0.1 % fee
  }
  CHECK(saw_btc);
}

TEST_CASE("pionex streams: a PING every 15 s; answered, the connection stays; 3 unanswered close it") {
  Venue venue;
  REQUIRE(venue.streams.open(1, "/wsPub", kNowMs));
  REQUIRE(venue.streams.open(2, "/wsPub", kNowMs));
  pionex::PublicMarketStream market("BTC_USDT");
  for (int round = 1; round <= 3; ++round) {
    const auto pings = venue.tick(kNowMs + round * sim::PionexStreams::kPingIntervalMs);
    REQUIRE(pings.size() == 2);
    const std::string pong = market.answer(pings[0]);
    CHECK(pong == fmt::format(R"({{"op":"PONG","timestamp":{}}})", kNowMs + round * sim::PionexStreams::kPingIntervalMs));
    CHECK(venue.send(1, pong).empty());  // connection 1 answers; connection 2 never does
  }
  (void)venue.tick(kNowMs + 4 * sim::PionexStreams::kPingIntervalMs);
  CHECK(venue.streams.connections() == std::vector<std::uint64_t>{1});
}
