// Tests for cts/sim/binance_streams.hpp with a manual clock: Binance's market-stream
// frames and replies (web-socket-streams.md), the diff-depth stream rebuilding the
// engine's book through the documented local-book procedure (cts::venue::binance::
// BookSync after a REST snapshot), trade / bookTicker payloads, the WebSocket API user
// data stream (web-socket-api.md userDataStream.subscribe.signature; user-data-stream.md
// executionReport / outboundAccountPosition) and the ws_drop fault. Every frame the
// simulator produces is also fed to the cts connector's parsers.
#include <cts/sim/binance_streams.hpp>

#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cts/sign/encoding.hpp>
#include <cts/sign/hmac.hpp>
#include <cts/sim/binance_front.hpp>
#include <cts/sim/market_flow.hpp>
#include <cts/sim/simulator.hpp>
#include <cts/venue/binance/book_sync.hpp>
#include <cts/venue/binance/rest_parsers.hpp>
#include <cts/venue/binance/stream_frames.hpp>
#include <cts/venue/binance/streams.hpp>

using namespace cts;
using namespace cts::sim;
using namespace cts::literals;
namespace vb = cts::venue::binance;

namespace {

constexpr std::string_view kKey = "ws-key";
constexpr std::string_view kSecret = "ws-secret";
constexpr std::int64_t kT0 = 1'700'000'000'000;

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

struct Exchange {
  MatchingEngine engine;
  BinanceFront front{engine};
  AccountId account = 0;
  AccountId other = 0;
  std::unique_ptr<BinanceStreams> streams;
  std::vector<WsOutput> out;

  explicit Exchange(StreamsConfig config = {}) {
    for (const Instrument& in : default_instruments()) engine.add_symbol(in);
    account = engine.create_account();
    other = engine.create_account();
    for (AccountId a : {account, other}) {
      engine.deposit(a, "USDT", "100000"_d);
      engine.deposit(a, "BTC", "10"_d);
    }
    streams = std::make_unique<BinanceStreams>(engine, front, kT0, std::move(config));
    front.add_credential(std::string(kKey), kSecret, account);
  }
  // Sends `text` on `connection` and returns the texts sent back on it.
  std::vector<std::string> send(std::uint64_t connection, std::string_view text, std::int64_t now = kT0) {
    out.clear();
    streams->message(connection, text, now, out);
    return texts(connection);
  }
  std::vector<std::string> tick(std::uint64_t connection, std::int64_t now) {
    out.clear();
    streams->tick(now, out);
    return texts(connection);
  }
  std::vector<std::string> texts(std::uint64_t connection) const {
    std::vector<std::string> r;
    for (const WsOutput& o : out) {
      if (o.connection == connection && !o.drop) r.push_back(o.text);
    }
    return r;
  }
  PlaceOutcome limit(AccountId who, Side side, Decimal quantity, Decimal price, std::int64_t now,
                     TimeInForce tif = TimeInForce::gtc, std::string client_id = {}) {
    OrderRequest r;
    r.account = who;
    r.symbol = "BTCUSDT";
    r.side = side;
    r.type = SimOrderType::limit;
    r.time_in_force = tif;
    r.quantity = quantity;
    r.price = price;
    r.client_order_id = std::move(client_id);
    auto placed = engine.place(r, now);
    REQUIRE(placed);
    return *placed;
  }
};

std::string subscribe_frame(std::string_view request_id, std::int64_t timestamp, std::string_view secret = kSecret,
                            std::string_view key = kKey) {
  const sign::HmacSha256 mac(secret);
  const std::string signature = sign::hex_lower(mac.digest(vb::user_data_subscribe_payload(key, timestamp)));
  return vb::user_data_subscribe_frame(request_id, key, timestamp, signature).value();
}

vb::OrderUpdate order_update(const std::string& frame) {
  auto event = vb::parse_stream_event(frame);
  REQUIRE_MESSAGE(event, frame);
  REQUIRE(std::holds_alternative<vb::OrderUpdate>(*event));
  return std::get<vb::OrderUpdate>(*event);
}

vb::AccountPosition position(const std::string& frame) {
  auto event = vb::parse_stream_event(frame);
  REQUIRE_MESSAGE(event, frame);
  REQUIRE(std::holds_alternative<vb::AccountPosition>(*event));
  return std::get<vb::AccountPosition>(*event);
}

Decimal balance_in(const vb::AccountPosition& p, std::string_view asset, bool locked) {
  for (const auto& b : p.balances) {
    if (b.asset == asset) return locked ? b.locked : b.free;
  }
  FAIL("asset missing from outboundAccountPosition: " << asset);
  return {};
}

}  // namespace

TEST_CASE("market streams: URLs, SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS / properties, Binance's errors") {
  Exchange x;
  auto& s = *x.streams;
  CHECK(s.open(1, "/ws", kT0));
  CHECK(s.open(2, "/ws/btcusdt@trade", kT0));
  CHECK(s.open(3, "/stream?streams=btcusdt@depth@100ms/ethusdt@bookTicker", kT0));
  CHECK_FALSE(s.open(4, "/api/v3/depth", kT0));
  CHECK_FALSE(s.open(5, "/ws/btcusdt@kline_1m", kT0));
  CHECK_FALSE(s.open(6, "/ws/BTCUSDT@trade", kT0));

  const std::vector<std::string> streams{vb::trade_stream("BTCUSDT"), vb::depth_stream("BTCUSDT")};
  auto reply = x.send(1, vb::subscribe_frame(streams, 1));
  REQUIRE(reply.size() == 1);
  CHECK(reply[0] == R"({"result":null,"id":1})");
  auto ack = vb::parse_stream_event(reply[0]);
  REQUIRE(ack);
  CHECK(std::get<vb::SubscriptionAck>(*ack).id == "1");
  CHECK(x.send(1, R"({"method":"LIST_SUBSCRIPTIONS","id":3})")[0] ==
        R"({"result":["btcusdt@trade","btcusdt@depth@100ms"],"id":3})");
  CHECK(x.send(1, vb::unsubscribe_frame(std::vector<std::string>{"btcusdt@trade"}, 312))[0] == R"({"result":null,"id":312})");
  CHECK(x.send(1, R"({"method":"LIST_SUBSCRIPTIONS","id":"abc"})")[0] == R"({"result":["btcusdt@depth@100ms"],"id":"abc"})");
  CHECK(x.send(3, R"({"method":"LIST_SUBSCRIPTIONS","id":null})")[0] ==
        R"({"result":["btcusdt@depth@100ms","ethusdt@bookTicker"],"id":null})");

  // Properties: raw connections start with combined false, /stream ones with true.
  CHECK(x.send(1, R"({"method":"GET_PROPERTY","params":["combined"],"id":2})")[0] == R"({"result":false,"id":2})");
  CHECK(x.send(3, R"({"method":"GET_PROPERTY","params":["combined"],"id":2})")[0] == R"({"result":true,"id":2})");
  CHECK(x.send(1, R"({"method":"SET_PROPERTY","params":["combined",true],"id":5})")[0] == R"({"result":null,"id":5})");
  CHECK(x.send(1, R"({"method":"GET_PROPERTY","params":["combined"],"id":6})")[0] == R"({"result":true,"id":6})");

  // Bad frames: Binance's documented error shapes; the subscriptions do not change.
  CHECK(x.send(1, R"({"method":"SET_PROPERTY","params":["speed",true],"id":7})")[0] == R"({"code":0,"msg":"Unknown property","id":7})");
  CHECK(x.send(1, R"({"method":"SET_PROPERTY","params":["combined","yes"],"id":8})")[0] ==
        R"({"code":1,"msg":"Invalid value type: expected Boolean","id":8})");
  CHECK(x.send(1, R"({"method":"SUBSCRIBE","params":["btcusdt@trade"]})")[0] ==
        R"({"code":2,"msg":"Invalid request: request ID must be an unsigned integer"})");
  CHECK(x.send(1, R"({"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":1.5})")[0] ==
        R"({"code":2,"msg":"Invalid request: request ID must be an unsigned integer"})");
  CHECK(x.send(1, R"({"params":["btcusdt@trade"],"id":9})")[0] == R"({"code":2,"msg":"Invalid request: missing field `method`","id":9})");
  CHECK(x.send(1, R"({"method":"SUBSCRIB","params":["btcusdt@trade"],"id":10})")[0] ==
        R"({"code":2,"msg":"Invalid request: unknown variant `SUBSCRIB`, expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`","id":10})");
  const auto bad_stream = x.send(1, R"({"method":"SUBSCRIBE","params":["btcusdt@trade",7],"id":11})");
  CHECK(contains(bad_stream[0], R"("code":2)"));
  const auto invalid_json = x.send(1, R"({"method":"SUBSCRIBE",)");
  CHECK(invalid_json[0].starts_with(R"({"code":3,"msg":"Invalid JSON: )"));
  CHECK(vb::parse_stream_event(bad_stream[0]).error().venue_code == "2");
  CHECK(x.send(1, R"({"method":"LIST_SUBSCRIPTIONS","id":12})")[0] == R"({"result":["btcusdt@depth@100ms"],"id":12})");
  CHECK(s.stats().errors == 8);
}

TEST_CASE("diff depth: REST snapshot + diffs rebuild the engine's book exactly (seeded market flow)") {
  for (const std::uint64_t seed : {1ULL, 7ULL, 42ULL}) {
    CAPTURE(seed);
    Exchange x;
    BinanceFront front(x.engine);
    MarketFlowConfig flow_config;
    flow_config.seed = seed;
    flow_config.interval = std::chrono::milliseconds(40);
    flow_config.taker_ppm = 600'000;
    flow_config.start_price["BTCUSDT"] = "60000"_d;
    flow_config.start_price["ETHUSDT"] = "3000"_d;
    MarketFlow flow(x.engine, flow_config, kT0);
    auto& s = *x.streams;
    REQUIRE(s.open(1, "/ws/btcusdt@depth@100ms", kT0));
    REQUIRE(s.open(2, "/stream?streams=btcusdt@depth", kT0));

    vb::BookSync fast(vb::Market::spot), slow(vb::Market::spot);
    std::uint64_t last_fast_u = 0, last_slow_u = 0;
    int applied = 0, compared = 0;
    SplitMix64 dice(seed);
    for (int step = 1; step <= 400; ++step) {
      const std::int64_t now = kT0 + step * 35;
      flow.advance_to(now);
      if (dice.chance(300'000)) {  // our own orders resting inside and outside the ladder, and cancels
        const Side side = dice.below(2) == 0 ? Side::buy : Side::sell;
        const Decimal offset = "0.01"_d * static_cast<std::int64_t>(dice.below(200));
        const Decimal price = side == Side::buy ? "59990"_d - offset : "60010"_d + offset;
        OrderRequest r{x.account, "BTCUSDT", side, SimOrderType::limit, TimeInForce::gtc, "0.001"_d, std::nullopt, price, {}};
        (void)x.engine.place(r, now);
        if (dice.chance(400'000)) x.engine.cancel_all(x.account, "BTCUSDT", now);
      }
      x.out.clear();
      s.tick(now, x.out);
      for (const WsOutput& o : x.out) {
        cts::venue::DepthDiff diff;
        REQUIRE(vb::parse_depth_diff(o.text, diff));
        CHECK(diff.symbol == "BTCUSDT");
        std::uint64_t& last = o.connection == 1 ? last_fast_u : last_slow_u;
        if (last != 0) CHECK(diff.first_update_id == last + 1);  // U/u consecutive
        CHECK(diff.first_update_id <= diff.final_update_id);
        last = diff.final_update_id;
        if (o.connection == 2) CHECK(o.text.starts_with(R"({"stream":"btcusdt@depth","data":{"e":"depthUpdate","E":)"));
        vb::BookSync& sync = o.connection == 1 ? fast : slow;
        auto status = sync.on_diff(diff);
        REQUIRE(status);
        CHECK(*status != vb::SyncStatus::resync_needed);
        if (*status == vb::SyncStatus::applied) ++applied;
      }
      if (step == 10 || step == 37) {  // snapshots taken mid-stream, as a client would
        for (vb::BookSync* sync : {&fast, &slow}) {
          HttpRequest depth;
          depth.path = "/api/v3/depth";
          depth.query = "symbol=BTCUSDT&limit=5000";
          auto snapshot = vb::parse_order_book(front.handle(depth, from_unix_millis(now)).response);
          REQUIRE(snapshot);
          if (sync->synced()) continue;
          auto status = sync->on_snapshot(*snapshot);
          REQUIRE(status);
          CHECK(*status == vb::SyncStatus::applied);
        }
      }
      // Right after a diff the local book equals the engine's book.
      const bool fast_due = !x.out.empty() && fast.synced() && fast.book().last_update_id() == static_cast<std::uint64_t>(x.engine.last_update_id("BTCUSDT"));
      if (fast_due) {
        const auto [bids, asks] = x.engine.depth("BTCUSDT", 5000);
        REQUIRE(fast.book().depth(Side::buy) == bids.size());
        REQUIRE(fast.book().depth(Side::sell) == asks.size());
        for (std::size_t i = 0; i < bids.size(); ++i) {
          CHECK(fast.book().level(Side::buy, i).price == bids[i].price);
          CHECK(fast.book().level(Side::buy, i).quantity == bids[i].quantity);
        }
        for (std::size_t i = 0; i < asks.size(); ++i) {
          CHECK(fast.book().level(Side::sell, i).price == asks[i].price);
          CHECK(fast.book().level(Side::sell, i).quantity == asks[i].quantity);
        }
        ++compared;
      }
    }
    CHECK(fast.synced());
    CHECK(slow.synced());
    CHECK(applied > 50);
    CHECK(compared > 20);
  }
}

TEST_CASE("trade and bookTicker events, raw and combined, as Binance documents them") {
  Exchange x;
  auto& s = *x.streams;
  REQUIRE(s.open(1, "/ws/btcusdt@trade", kT0));
  REQUIRE(s.open(2, "/stream?streams=btcusdt@bookTicker/btcusdt@trade", kT0));
  x.limit(x.other, Side::sell, "0.5"_d, "60000"_d, kT0 + 1);
  auto raw = x.tick(1, kT0 + 5);
  CHECK(raw.empty());
  auto combined = x.tick(2, kT0 + 6);
  CHECK(combined.empty());  // nothing changed since the last tick
  x.limit(x.other, Side::buy, "0.2"_d, "59000"_d, kT0 + 7);
  combined = x.tick(2, kT0 + 8);
  REQUIRE(combined.size() == 1);
  CHECK(combined[0] == R"({"stream":"btcusdt@bookTicker","data":{"u":3,"s":"BTCUSDT","b":"59000.00000000","B":"0.20000000","a":"60000.00000000","A":"0.50000000"}})");
  auto ticker = vb::parse_stream_event(combined[0]);
  REQUIRE(ticker);
  CHECK(std::get<cts::venue::BookTicker>(*ticker).update_id == 3);
  CHECK(std::get<cts::venue::BookTicker>(*ticker).ask_quantity == "0.5"_d);

  x.limit(x.account, Side::buy, "0.1"_d, "60000"_d, kT0 + 20);  // takes 0.1 from the resting sell
  x.out.clear();
  s.tick(kT0 + 30, x.out);
  raw = x.texts(1);
  REQUIRE(raw.size() == 1);
  CHECK(raw[0] == R"({"e":"trade","E":1700000000030,"s":"BTCUSDT","t":1,"p":"60000.00000000","q":"0.10000000","T":1700000000020,"m":false,"M":true})");
  auto trade = vb::parse_stream_event(raw[0]);
  REQUIRE(trade);
  CHECK(std::get<vb::TradeEvent>(*trade).trade.quantity == "0.1"_d);
  combined = x.texts(2);
  REQUIRE(combined.size() == 2);
  CHECK(combined[0] == R"({"stream":"btcusdt@trade","data":)" + raw[0] + "}");
  CHECK(contains(combined[1], R"("u":4,"s":"BTCUSDT","b":"59000.00000000","B":"0.20000000","a":"60000.00000000","A":"0.40000000")"));
}

TEST_CASE("WebSocket API: signature, key and timestamp errors and bad frames change nothing") {
  Exchange x;
  auto& s = *x.streams;
  REQUIRE(s.open(9, "/ws-api/v3", kT0));
  const std::string limits = R"("rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000,"count":)";

  auto wrong_secret = x.send(9, subscribe_frame("r1", kT0, "not-the-secret"));
  REQUIRE(wrong_secret.size() == 1);
  CHECK(wrong_secret[0] == R"({"id":"r1","status":400,"error":{"code":-1022,"msg":"Signature for this request is not valid."},)" + limits + "4}]}");
  auto mapped = vb::parse_stream_event(wrong_secret[0]);
  REQUIRE_FALSE(mapped);
  CHECK(mapped.error().code == ErrorCode::invalid_signature);

  CHECK(contains(x.send(9, subscribe_frame("r2", kT0 - 5001))[0],
                 R"("error":{"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."})"));
  CHECK(contains(x.send(9, subscribe_frame("r3", kT0 + 1000))[0],
                 R"("error":{"code":-1021,"msg":"Timestamp for this request was 1000ms ahead of the server's time."})"));
  CHECK(contains(x.send(9, subscribe_frame("r4", kT0, kSecret, "unknown-key"))[0],
                 R"({"id":"r4","status":401,"error":{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."})"));
  CHECK(contains(x.send(9, R"({"id":5,"method":"userDataStream.subscribe.signature","params":{"timestamp":1,"signature":"ab"}})")[0],
                 R"({"id":5,"status":401,"error":{"code":-2014,"msg":"API-key format invalid."})"));
  CHECK(contains(x.send(9, R"({"id":6,"method":"userDataStream.subscribe.signature","params":{"apiKey":"ws-key","signature":"ab"}})")[0],
                 R"("error":{"code":-1102,"msg":"Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed."})"));
  CHECK(contains(x.send(9, R"({"id":7,"method":"userDataStream.subscribe.signature",)")[0],
                 R"({"id":null,"status":400,"error":{"code":-1135,"msg":"Invalid JSON Request"})"));
  CHECK(contains(x.send(9, R"({"id":8,"method":"userDataStream.subscribe.signature","params":[1]})")[0],
                 R"({"id":8,"status":400,"error":{"code":-1135,"msg":"Invalid 'params' in JSON request; expected an object."})"));
  CHECK(contains(x.send(9, R"({"id":9,"method":"order.teleport","params":{}})")[0],
                 R"({"id":9,"status":400,"error":{"code":-1020,"msg":"This operation is not supported."})"));
  CHECK(x.send(9, R"({"id":10,"method":"ping"})")[0] == R"({"id":10,"status":200,"result":{},)" + limits + "15}]}");

  // None of that subscribed: the account's order reaches nobody.
  x.limit(x.account, Side::buy, "0.1"_d, "50000"_d, kT0 + 1);
  CHECK(x.tick(9, kT0 + 2).empty());
  // A good subscription is acknowledged with subscriptionId 0 (the connector reads it).
  auto good = x.send(9, subscribe_frame("r11", kT0));
  REQUIRE(good.size() == 1);
  CHECK(contains(good[0], R"({"id":"r11","status":200,"result":{"subscriptionId":0},"rateLimits":)"));
  auto ack = vb::parse_stream_event(good[0]);
  REQUIRE(ack);
  CHECK(std::get<vb::SubscriptionAck>(*ack).subscription_id == 0);
  CHECK(x.send(9, vb::user_data_unsubscribe_frame("r12", 0))[0].starts_with(R"({"id":"r12","status":200,"result":{},)"));
  x.limit(x.account, Side::buy, "0.1"_d, "50000"_d, kT0 + 3);
  CHECK(x.tick(9, kT0 + 4).empty());
}

TEST_CASE("user data stream: executionReport and outboundAccountPosition for rest, fills, cancel and IOC expiry") {
  Exchange x;
  auto& s = *x.streams;
  REQUIRE(s.open(9, "/ws-api/v3", kT0));
  REQUIRE(x.send(9, subscribe_frame("sub", kT0)).size() == 1);

  SUBCASE("a resting limit order: NEW, then the funds it locked") {
    const auto placed = x.limit(x.account, Side::buy, "0.5"_d, "20000"_d, kT0 + 10, TimeInForce::gtc, "rest-1");
    auto frames = x.tick(9, kT0 + 12);
    REQUIRE(frames.size() == 2);
    const std::string& report = frames[0];
    CHECK(report.starts_with(R"({"subscriptionId":0,"event":{"e":"executionReport","E":1700000000012,"s":"BTCUSDT","c":"rest-1","S":"BUY","o":"LIMIT","f":"GTC","q":"0.50000000","p":"20000.00000000","P":"0.00000000","F":"0.00000000","g":-1,"C":"","x":"NEW","X":"NEW","r":"NONE","i":)"));
    CHECK(contains(report, R"("l":"0.00000000","z":"0.00000000","L":"0.00000000","n":"0","N":null,"T":1700000000010,"t":-1,)"));
    CHECK(contains(report, R"("w":true,"m":false,"M":false,"O":1700000000010,"Z":"0.00000000","Y":"0.00000000","Q":"0.00000000","W":1700000000010,"V":"EXPIRE_MAKER"}})"));
    const auto update = order_update(report);
    CHECK(update.execution == vb::ExecutionType::new_);
    CHECK(update.order.order_id == std::to_string(placed.order.id));
    CHECK(update.order.client_order_id == "rest-1");
    const auto p = position(frames[1]);
    CHECK(frames[1].starts_with(R"({"subscriptionId":0,"event":{"e":"outboundAccountPosition","E":1700000000012,"u":1700000000010,"B":[)"));
    CHECK(balance_in(p, "USDT", false) == "90000"_d);  // 100000 − 0.5 · 20000
    CHECK(balance_in(p, "USDT", true) == "10000"_d);
    CHECK(balance_in(p, "BTC", false) == "10"_d);
  }

  SUBCASE("a partial fill, then the full fill, as maker") {
    x.limit(x.account, Side::sell, "1"_d, "30000"_d, kT0 + 10, TimeInForce::gtc, "sell-1");
    (void)x.tick(9, kT0 + 11);
    x.limit(x.other, Side::buy, "0.4"_d, "30000"_d, kT0 + 20);
    auto frames = x.tick(9, kT0 + 21);
    REQUIRE(frames.size() == 2);
    auto first = order_update(frames[0]);
    CHECK(first.execution == vb::ExecutionType::trade);
    CHECK(contains(frames[0], R"("x":"TRADE","X":"PARTIALLY_FILLED")"));
    CHECK(contains(frames[0], R"("l":"0.40000000","z":"0.40000000","L":"30000.00000000","n":"12.00000000","N":"USDT","T":1700000000020,"t":1,)"));
    CHECK(contains(frames[0], R"("w":true,"m":true,)"));
    CHECK(contains(frames[0], R"("Z":"12000.00000000","Y":"12000.00000000")"));
    REQUIRE(first.last_fill);
    CHECK(first.last_fill->quantity == "0.4"_d);
    CHECK(first.maker);
    x.limit(x.other, Side::buy, "0.6"_d, "30000"_d, kT0 + 30);
    frames = x.tick(9, kT0 + 31);
    REQUIRE(frames.size() == 2);
    CHECK(contains(frames[0], R"("x":"TRADE","X":"FILLED")"));
    CHECK(contains(frames[0], R"("l":"0.60000000","z":"1.00000000","L":"30000.00000000","n":"18.00000000","N":"USDT",)"));
    CHECK(contains(frames[0], R"("w":false,"m":true,)"));
    const auto p = position(frames[1]);
    // 30000 received minus 0.1 % (30) in fees; the 1 BTC left the account.
    CHECK(balance_in(p, "USDT", false) == "129970"_d);
    CHECK(balance_in(p, "BTC", false) == "9"_d);
    CHECK(balance_in(p, "BTC", true) == "0"_d);
    CHECK(balance_in(p, "USDT", false) == x.engine.balance(x.account, "USDT").free);
  }

  SUBCASE("a cancel: CANCELED with the order's own client id in C") {
    const auto placed = x.limit(x.account, Side::buy, "0.5"_d, "20000"_d, kT0 + 10, TimeInForce::gtc, "keep-1");
    (void)x.tick(9, kT0 + 11);
    REQUIRE(x.engine.cancel(x.account, "BTCUSDT", placed.order.id, {}, kT0 + 20));
    auto frames = x.tick(9, kT0 + 21);
    REQUIRE(frames.size() == 2);
    CHECK(contains(frames[0], R"("c":"sim-cancel-)"));
    CHECK(contains(frames[0], R"("C":"keep-1","x":"CANCELED","X":"CANCELED")"));
    const auto update = order_update(frames[0]);
    CHECK(update.execution == vb::ExecutionType::canceled);
    CHECK(update.order.client_order_id == "keep-1");
    const auto p = position(frames[1]);
    CHECK(balance_in(p, "USDT", false) == "100000"_d);
    CHECK(balance_in(p, "USDT", true) == "0"_d);
  }

  SUBCASE("an IOC that fills partly: NEW, TRADE, EXPIRED") {
    x.limit(x.other, Side::sell, "0.1"_d, "30000"_d, kT0 + 5);
    x.limit(x.account, Side::buy, "0.3"_d, "30000"_d, kT0 + 10, TimeInForce::ioc, "ioc-1");
    auto frames = x.tick(9, kT0 + 11);
    std::vector<std::string> reports;
    std::vector<std::string> positions;
    for (const auto& f : frames) (contains(f, "executionReport") ? reports : positions).push_back(f);
    REQUIRE(reports.size() == 3);
    CHECK(contains(reports[0], R"("f":"IOC","q":"0.30000000","p":"30000.00000000")"));
    CHECK(contains(reports[0], R"("x":"NEW","X":"NEW")"));
    CHECK(contains(reports[1], R"("x":"TRADE","X":"PARTIALLY_FILLED")"));
    CHECK(contains(reports[1], R"("l":"0.10000000","z":"0.10000000","L":"30000.00000000","n":"0.00010000","N":"BTC",)"));
    CHECK(contains(reports[1], R"("w":false,"m":false,)"));
    CHECK(contains(reports[2], R"("x":"EXPIRED","X":"EXPIRED")"));
    CHECK(contains(reports[2], R"("l":"0.00000000","z":"0.10000000",)"));
    for (const auto& r : reports) (void)order_update(r);
    REQUIRE(positions.size() == 3);
    const auto last = position(positions.back());
    CHECK(balance_in(last, "USDT", false) == "97000"_d);  // paid 0.1 · 30000, the rest released
    CHECK(balance_in(last, "USDT", true) == "0"_d);
    CHECK(balance_in(last, "BTC", false) == "10.0999"_d);  // 0.1 minus the 0.1 % fee in BTC
    CHECK(balance_in(last, "BTC", false) == x.engine.balance(x.account, "BTC").free);
  }
}

TEST_CASE("the ws_drop fault drops connections deterministically instead of sending") {
  auto spec = FaultConfig::parse("seed=3,ws_drop=0.25,ws_drop_every=3");
  REQUIRE(spec);
  CHECK(spec->ws_drop_ppm == 250'000);
  CHECK(spec->ws_drop_every == 3);
  CHECK_FALSE(spec->none());
  CHECK_FALSE(FaultConfig::parse("ws_drop=2"));
  CHECK_FALSE(FaultConfig::parse("ws_drop_every=x"));

  StreamsConfig config;
  config.faults = FaultConfig::parse("ws_drop_every=3").value();
  Exchange x(config);
  auto& s = *x.streams;
  REQUIRE(s.open(1, "/ws", kT0));
  CHECK(x.send(1, R"({"method":"LIST_SUBSCRIPTIONS","id":1})").size() == 1);
  CHECK(x.send(1, R"({"method":"LIST_SUBSCRIPTIONS","id":2})").size() == 1);
  x.out.clear();
  s.message(1, R"({"method":"LIST_SUBSCRIPTIONS","id":3})", kT0, x.out);
  REQUIRE(x.out.size() == 1);
  CHECK(x.out[0].drop);
  CHECK(s.connections().empty());
  CHECK(s.stats().drops == 1);

  // Probability: the same seed drops the same messages.
  const auto run = [](std::uint64_t seed) {
    StreamsConfig c;
    c.faults = FaultConfig::parse(fmt::format("seed={},ws_drop=0.2", seed)).value();
    Exchange e(c);
    std::vector<int> dropped_at;
    for (int i = 0; i < 50; ++i) {
      REQUIRE(e.streams->open(100 + i, "/ws", kT0));
      e.out.clear();
      e.streams->message(100 + i, R"({"method":"LIST_SUBSCRIPTIONS","id":1})", kT0, e.out);
      if (e.out.at(0).drop) dropped_at.push_back(i);
    }
    return dropped_at;
  };
  const auto a = run(5), b = run(5);
  CHECK(a == b);
  CHECK(a.size() > 2);
  CHECK(a.size() < 25);
}
