// Tests for cts/sim/bingx_streams.hpp: the simulator's BingX swap WebSocket side, driven
// without sockets and read back by cts's own bingx::PublicMarketStream, so the frames are
// what a BingX client parses: every frame GZIP in a binary frame, `Ping` every 5 s, the
// subscription reply and 80015 of BingX's docs v3 ("WebSocket Rules", "Partial Order Book
// Depth"), depth pushes every 200 ms. Books follow from the orders each test rests.
#include <cts/sim/bingx_streams.hpp>

#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <cts/venue/bingx/streams.hpp>

using namespace cts;
using namespace cts::literals;
namespace bingx = cts::venue::bingx;

namespace {

constexpr std::int64_t kNowMs = 1'700'000'000'000;

// BingX's markets behind a BingX front and its WebSocket side; a maker rests orders.
struct Venue {
  sim::MatchingEngine engine;
  sim::BingxFront front;
  sim::BingxStreams streams;
  sim::AccountId maker;

  Venue() : front(engine), streams(engine, front) {
    for (const sim::MarketSpec& m : sim::default_bingx_markets()) engine.add_symbol(m.instrument, m.filters);
    maker = engine.create_account();
    engine.deposit(maker, "USDT", "10000000"_d);
    engine.deposit(maker, "BTC", "100"_d);
  }
  void rest(Side side, Decimal price, Decimal quantity, InstrumentKind kind = InstrumentKind::linear_perpetual,
            std::optional<sim::AccountId> account = std::nullopt) {
    sim::OrderRequest order;
    order.account = account.value_or(maker);
    order.symbol = sim::market_key(kind, "BTC-USDT");
    order.side = side;
    order.price = price;
    order.quantity = quantity;
    REQUIRE(engine.place(order, kNowMs));
  }
  // The frames for `connection` in `out`, each checked to be a binary GZIP frame.
  static std::vector<std::string> frames_of(const std::vector<sim::WsOutput>& out, std::uint64_t connection) {
    std::vector<std::string> frames;
    for (const sim::WsOutput& o : out) {
      if (o.connection != connection || o.drop) continue;
      CHECK(o.binary);
      CHECK(static_cast<unsigned char>(o.text[0]) == 0x1f);
      frames.push_back(o.text);
    }
    return frames;
  }
};

}  // namespace

TEST_CASE("bingx streams: the registry's market stream subscribes and keeps the book from the pushes") {
  Venue venue;
  venue.rest(Side::buy, "59990"_d, "1"_d);
  venue.rest(Side::sell, "60010"_d, "2"_d);
  venue.rest(Side::sell, "60020"_d, "3"_d);
  bingx::PublicMarketStream stream("BTC-USDT");
  REQUIRE(venue.streams.open(7, stream.path(), kNowMs));
  std::vector<sim::WsOutput> out;
  venue.streams.message(7, stream.subscriptions().at(0), kNowMs, out);
  auto frames = Venue::frames_of(out, 7);
  REQUIRE(frames.size() == 1);
  CHECK(stream.on_message(frames[0]).value() == venue::MarketChange::subscribed);

  out.clear();
  venue.streams.tick(kNowMs + 200, out);  // a depth push is due, no Ping yet
  frames = Venue::frames_of(out, 7);
  REQUIRE(frames.size() == 1);
  CHECK(stream.on_message(frames[0]).value() == venue::MarketChange::book);
  CHECK(stream.book().best_bid()->price == "59990"_d);
  CHECK(stream.book().best_ask()->price == "60010"_d);
  CHECK(stream.book().best_ask()->quantity == "2"_d);
  CHECK(stream.book().depth(Side::sell) == 2);

  venue.rest(Side::buy, "60000"_d, "0.5"_d);
  out.clear();
  venue.streams.tick(kNowMs + 5000, out);  // depth and the 5 s Ping
  frames = Venue::frames_of(out, 7);
  REQUIRE(frames.size() == 2);
  CHECK(bingx::inflate_frame(frames[0]).value() == "Ping");
  CHECK(stream.on_message(frames[0]).value() == venue::MarketChange::none);
  const std::string pong = stream.answer(frames[0]);
  CHECK(stream.on_message(frames[1]).value() == venue::MarketChange::book);
  CHECK(stream.book().best_bid()->price == "60000"_d);
  // The client's Pong (the stream's answer to the Ping) is read and needs no answer.
  REQUIRE(pong == "Pong");
  out.clear();
  venue.streams.message(7, pong, kNowMs + 5001, out);
  CHECK(out.empty());
  // The Ping was answered: the next one comes and the connection stays.
  out.clear();
  venue.streams.tick(kNowMs + 10000, out);
  frames = Venue::frames_of(out, 7);
  REQUIRE(frames.size() == 2);
  CHECK(bingx::inflate_frame(frames[0]).value() == "Ping");
  CHECK(venue.streams.connections() == std::vector<std::uint64_t>{7});
}

TEST_CASE("bingx streams: the registry's spot market stream reads the spot book on /market every 300 ms") {
  Venue venue;
  venue.rest(Side::buy, "59990.5"_d, "1"_d, InstrumentKind::spot);
  venue.rest(Side::sell, "60010.25"_d, "2"_d, InstrumentKind::spot);
  venue.rest(Side::sell, "61000"_d, "9"_d);  // the perpetual's book: not in the spot stream
  bingx::PublicMarketStream stream("BTC-USDT", bingx::StreamMarket::spot);
  REQUIRE(venue.streams.open(8, stream.path(), kNowMs));
  std::vector<sim::WsOutput> out;
  venue.streams.message(8, stream.subscriptions().at(0), kNowMs, out);
  auto frames = Venue::frames_of(out, 8);
  REQUIRE(frames.size() == 1);
  CHECK(bingx::inflate_frame(frames[0]).value().find(R"("msg":"SUCCESS")") != std::string::npos);
  CHECK(stream.on_message(frames[0]).value() == venue::MarketChange::subscribed);
  out.clear();
  venue.streams.tick(kNowMs + 200, out);
  CHECK(Venue::frames_of(out, 8).empty());  // spot pushes every 300 ms
  venue.streams.tick(kNowMs + 300, out);
  frames = Venue::frames_of(out, 8);
  REQUIRE(frames.size() == 1);
  CHECK(stream.on_message(frames[0]).value() == venue::MarketChange::book);
  CHECK(stream.book().best_bid()->price == "59990.5"_d);
  CHECK(stream.book().best_ask()->price == "60010.25"_d);
  CHECK(stream.book().depth(Side::sell) == 1);
  // A swap data type on /market names no spot book: refused.
  out.clear();
  venue.streams.message(8, bingx::subscribe_frame("x", "BTC-USDT@depth20@500ms"), kNowMs, out);
  frames = Venue::frames_of(out, 8);
  REQUIRE(frames.size() == 1);
  CHECK(bingx::inflate_frame(frames[0]).value().find(R"("code":100400)") != std::string::npos);
}

TEST_CASE("bingx streams: a connection that does not answer a Ping with Pong is closed when the next is due") {
  Venue venue;
  REQUIRE(venue.streams.open(3, "/swap-market", kNowMs));
  std::vector<sim::WsOutput> out;
  venue.streams.tick(kNowMs + 5000, out);
  REQUIRE(Venue::frames_of(out, 3).size() == 1);
  CHECK(bingx::inflate_frame(Venue::frames_of(out, 3)[0]).value() == "Ping");
  // Anything but Pong does not answer it (a subscription, the client's own "Ping").
  venue.streams.message(3, bingx::subscribe_frame("x", "BTC-USDT@depth5@500ms"), kNowMs + 6000, out);
  venue.streams.message(3, "Ping", kNowMs + 6001, out);
  out.clear();
  venue.streams.tick(kNowMs + 9999, out);  // the next Ping is not due yet
  CHECK(venue.streams.connections() == std::vector<std::uint64_t>{3});
  out.clear();
  venue.streams.tick(kNowMs + 10000, out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].connection == 3);
  CHECK(out[0].drop);
  CHECK(venue.streams.connections().empty());
  CHECK(venue.streams.stats().unanswered_pings == 1);
  out.clear();
  venue.streams.message(3, "Pong", kNowMs + 10001, out);  // too late: the connection is gone
  CHECK(out.empty());
}

TEST_CASE("bingx streams: unknown data types, symbols and paths are refused") {
  Venue venue;
  REQUIRE(venue.streams.open(1, "/swap-market", kNowMs));
  CHECK_FALSE(venue.streams.open(2, "/cswap-market", kNowMs));
  CHECK_FALSE(venue.streams.open(3, "/swap-market?listenKey=nope", kNowMs));
  CHECK_FALSE(venue.streams.open(4, "/market?listenKey=nope", kNowMs));
  std::vector<sim::WsOutput> out;
  venue.streams.message(1, bingx::subscribe_frame("a", "DOGE-USDT@depth20@500ms"), kNowMs, out);
  venue.streams.message(1, bingx::subscribe_frame("b", "BTC-USDT@depth7@500ms"), kNowMs, out);
  venue.streams.message(1, "{", kNowMs, out);
  const auto frames = Venue::frames_of(out, 1);
  REQUIRE(frames.size() == 3);
  bingx::PublicMarketStream stream("DOGE-USDT");
  std::string reply = bingx::inflate_frame(frames[0]).value();
  CHECK(reply.find(R"("code":80015)") != std::string::npos);
  const auto parsed = bingx::parse_stream_message(frames[1]).value();
  CHECK(parsed.kind == bingx::StreamMessage::Kind::reply);
  CHECK(parsed.code == 80015);
  CHECK(bingx::parse_stream_message(frames[2]).value().code == 100400);
  CHECK(venue.streams.stats().errors == 3);
}

TEST_CASE("bingx streams: trades on each fill and the book ticker on each change of the top, swap and spot") {
  for (const InstrumentKind kind : {InstrumentKind::linear_perpetual, InstrumentKind::spot}) {
    const bool spot = kind == InstrumentKind::spot;
    CAPTURE(spot);
    Venue venue;
    const sim::AccountId taker = venue.engine.create_account();
    venue.engine.deposit(taker, "USDT", "1000000"_d);
    venue.rest(Side::buy, "59990"_d, "1"_d, kind);
    venue.rest(Side::sell, "60010"_d, "2"_d, kind);
    bingx::PublicMarketStream stream("BTC-USDT", spot ? bingx::StreamMarket::spot : bingx::StreamMarket::swap,
                                     {.book_ticker = true, .trades = true});
    REQUIRE(venue.streams.open(5, stream.path(), kNowMs));
    std::vector<sim::WsOutput> out;
    venue.streams.tick(kNowMs, out);  // the first look at the tops: no subscriber yet
    CHECK(Venue::frames_of(out, 5).empty());
    for (const std::string& frame : stream.subscriptions()) venue.streams.message(5, frame, kNowMs, out);
    // Three replies and the current top at once after the book-ticker subscription.
    auto frames = Venue::frames_of(out, 5);
    REQUIRE(frames.size() == 4);
    CHECK(stream.on_message(frames[0]).value() == venue::MarketChange::subscribed);
    CHECK(stream.on_message(frames[1]).value() == venue::MarketChange::none);
    CHECK(stream.on_message(frames[2]).value() == venue::MarketChange::ticker);
    CHECK(stream.ticker()->bid_price == "59990"_d);
    CHECK(stream.ticker()->ask_price == "60010"_d);
    CHECK(stream.ticker()->ask_quantity == "2"_d);
    CHECK(stream.on_message(frames[3]).value() == venue::MarketChange::none);

    // Nothing changed: no push before the depth is due.
    out.clear();
    venue.streams.tick(kNowMs + 10, out);
    CHECK(Venue::frames_of(out, 5).empty());

    // A taker buys 0.5 at 60010: one trade, and the top's ask quantity falls to 1.5.
    venue.rest(Side::buy, "60010"_d, "0.5"_d, kind, taker);
    out.clear();
    venue.streams.tick(kNowMs + 20, out);
    frames = Venue::frames_of(out, 5);
    REQUIRE(frames.size() == 2);
    const std::string trade = bingx::inflate_frame(frames[0]).value();
    CHECK(trade.find(R"("dataType":"BTC-USDT@trade")") != std::string::npos);
    CHECK(trade.find(spot ? R"("data":{)" : R"("data":[)") != std::string::npos);
    CHECK(stream.on_message(frames[0]).value() == venue::MarketChange::none);
    REQUIRE(stream.last_trade().has_value());
    CHECK(stream.last_trade()->price == "60010"_d);
    CHECK(stream.last_trade()->quantity == "0.5"_d);
    CHECK_FALSE(stream.last_trade()->buyer_is_maker);  // the buyer took
    CHECK(stream.last_trade()->id.empty() == !spot);     // spot names its trade id, the swap does not
    CHECK(stream.on_message(frames[1]).value() == venue::MarketChange::ticker);
    CHECK(stream.ticker()->ask_price == "60010"_d);
    CHECK(stream.ticker()->ask_quantity == "1.5"_d);
    CHECK(stream.ticker()->update_id == static_cast<std::uint64_t>(kNowMs + 20));

    // The other market's fills are not this connection's.
    const InstrumentKind other = spot ? InstrumentKind::linear_perpetual : InstrumentKind::spot;
    venue.rest(Side::sell, "61000"_d, "1"_d, other);
    venue.rest(Side::buy, "61000"_d, "1"_d, other, taker);
    out.clear();
    venue.streams.tick(kNowMs + 30, out);
    CHECK(Venue::frames_of(out, 5).empty());
  }
}
