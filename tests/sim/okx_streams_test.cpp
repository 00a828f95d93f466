// Tests for cts/sim/okx_streams.hpp: the simulator's OKX v5 WebSocket side, driven
// without sockets and read back by cts's own OKX stream protocols
// (cts/venue/okx/stream_protocols.hpp), so the frames are what an OKX client parses.
// Books follow from the orders each test places (worked out in the comments); the
// expected checksums are CRC-32 values of the documented checksum text computed
// independently (Python's zlib.crc32, read as a signed 32-bit integer); reply shapes
// and error codes are those of OKX's WebSocket documentation ("Login", "Subscribe",
// "Order book channel", error codes 60004..60024). The order entry cases build their
// frames with cts's okx::ws_* builders and read the replies with okx::parse_ws_order_reply;
// their codes are those of OKX's "WS / Place order" pages and error code tables (60011,
// 60013, 50036, 51001, 51016, 51008, 51400, 50011).
#include <cts/sim/okx_streams.hpp>

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <cts/sign/okx.hpp>
#include <cts/sim/simulator.hpp>
#include <cts/venue/okx/requests.hpp>
#include <cts/venue/okx/market.hpp>
#include <cts/venue/okx/stream_protocols.hpp>
#include <cts/venue/okx/ws_orders.hpp>

#include "streams_driver.hpp"

using namespace cts;
using namespace cts::literals;
namespace okx = cts::venue::okx;

namespace {

constexpr std::string_view kKey = "okx-streams-key";
constexpr std::string_view kSecret = "okx-streams-secret";
constexpr std::string_view kPassphrase = "okx-streams-passphrase";
constexpr std::int64_t kNowMs = test::kStreamsNowMs;

/// A GTC limit order of `quantity` at `price` on `inst_id`, clOrdId `client`.
venue::NewOrder limit_order(std::string inst_id, Side side, Decimal quantity, Decimal price, std::string client) {
  venue::NewOrder order;
  order.symbol = std::move(inst_id);
  order.side = side;
  order.quantity = quantity;
  order.price = price;
  order.client_order_id = std::move(client);
  return order;
}

/// OKX's markets (BTC-USDT: tick 0.1; BTC-USDT-SWAP: contracts of 0.01 BTC) behind an
/// OKX front; our account holds 100000 USDT, the maker 1000000 USDT and 100 BTC.
struct Venue : test::StreamsDriver<Venue> {
  sim::MatchingEngine engine;
  sim::OkxFront front;
  sim::OkxStreams streams;
  sim::AccountId account;
  sim::AccountId maker;

  Venue() : front(engine), streams(engine, front) {
    for (const sim::MarketSpec& m : sim::default_okx_markets()) engine.add_symbol(m.instrument, m.filters);
    account = engine.create_account();
    maker = engine.create_account();
    engine.deposit(account, "USDT", "100000"_d);
    engine.deposit(maker, "USDT", "1000000"_d);
    engine.deposit(maker, "BTC", "100"_d);
    front.add_credential(std::string(kKey), kSecret, std::string(kPassphrase), account);
    streams.add_credential(std::string(kKey), kSecret, std::string(kPassphrase), account);
  }
  /// Places a GTC limit order for our account through the REST front (so that its
  /// clOrdId is the client's), signed as cts's gateway signs it; REQUIREs OKX's "0".
  void place(std::string inst_id, Side side, Decimal quantity, Decimal price, std::string client_order_id) {
    const venue::NewOrder order = limit_order(std::move(inst_id), side, quantity, price, std::move(client_order_id));
    const okx::InstType type = order.symbol.ends_with("-SWAP") ? okx::InstType::swap : okx::InstType::spot;
    auto request = okx::place_order(type, order);
    REQUIRE(request);
    const sign::OkxSigner signer{std::string(kKey), sign::Secret{kSecret}, sign::Secret{kPassphrase}};
    REQUIRE(signer.sign(request->http, sign::SigningContext{.now = from_unix_millis(kNowMs), .nonce = {},
                                                            .nonce_text = {}}));
    const HttpResponse reply = front.handle(request->http, from_unix_millis(kNowMs)).response;
    REQUIRE_MESSAGE(reply.body.find(R"("code":"0")") != std::string::npos, reply.body);
  }
  /// The book every test starts from: bids 60000 x 1 and 59999.5 x 0.25, asks 60001 x 2
  /// and 60002.5 x 0.5.
  void seed_book() {
    rest(maker, "BTC-USDT", Side::buy, "1"_d, "60000"_d);
    rest(maker, "BTC-USDT", Side::buy, "0.25"_d, "59999.5"_d);
    rest(maker, "BTC-USDT", Side::sell, "2"_d, "60001"_d);
    rest(maker, "BTC-USDT", Side::sell, "0.5"_d, "60002.5"_d);
  }
};

/// The client's book equals the engine's, level by level.
void check_same_book(const venue::OrderBook& book, const sim::MatchingEngine& engine) {
  const auto [bids, asks] = engine.depth("BTC-USDT", 400);
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
}

}  // namespace

TEST_CASE("okx streams: the two documented paths open, others are refused; ping is answered pong") {
  Venue v;
  CHECK(v.streams.open(1, "/ws/v5/public", kNowMs));
  CHECK(v.streams.open(2, "/ws/v5/private?brokerId=1", kNowMs));
  CHECK_FALSE(v.streams.open(3, "/ws/v5/business", kNowMs));
  CHECK_FALSE(v.streams.open(4, "/v5/public/spot", kNowMs));
  CHECK(v.send(1, "ping") == std::vector<std::string>{"pong"});
  CHECK(v.send(2, "ping") == std::vector<std::string>{"pong"});
  CHECK(v.streams.connections() == std::vector<std::uint64_t>{1, 2});
}

TEST_CASE("okx streams: a malformed frame gets error 60012 quoting it, and changes nothing") {
  Venue v;
  v.seed_book();
  REQUIRE(v.streams.open(1, "/ws/v5/public", kNowMs));
  CHECK(v.send(1, "not json") ==
        std::vector<std::string>{R"({"event":"error","code":"60012","msg":"Invalid request: not json","connId":"00000001"})"});
  // OKX's documented example of a bad request ("argss"): the same code, the frame quoted.
  const auto typo = v.send(1, R"({"op": "subscribe", "argss":[{ "channel" : "books", "instId" : "BTC-USDT"}]})");
  REQUIRE(typo.size() == 1);
  CHECK(typo[0].starts_with(R"({"event":"error","code":"60012","msg":"Invalid request: {\"op\": \"subscribe\", \"argss\")"));
  CHECK(v.send(1, R"({"op":"subscribe","args":["books"]})")[0].find(R"("code":"60012")") != std::string::npos);
  CHECK(v.send(1, R"({"op":"subscribe","args":[{"instId":"BTC-USDT"}]})")[0].find(R"("code":"60012")") !=
        std::string::npos);
  CHECK(v.send(1, R"({"op":"order","args":[{"instId":"BTC-USDT"}]})")[0].find(R"("code":"60012")") !=
        std::string::npos);
  CHECK(v.streams.stats().errors == 5);
  v.rest(v.maker, "BTC-USDT", Side::buy, "1"_d, "59000"_d);
  CHECK(v.tick().empty());  // nothing was subscribed
}

TEST_CASE("okx streams: unknown channels and instruments are refused with 60018") {
  Venue v;
  REQUIRE(v.streams.open(1, "/ws/v5/public", kNowMs));
  CHECK(v.send(1, R"({"op":"subscribe","args":[{"channel":"books","instId":"DOGE-USDT"}]})") ==
        std::vector<std::string>{
            R"({"event":"error","code":"60018","msg":"Wrong URL or channel:books,instId:DOGE-USDT doesn't exist","connId":"00000001"})"});
  CHECK(v.send(1, R"({"op":"subscribe","args":[{"channel":"orders","instType":"SPOT"}]})")[0].find(
            R"("code":"60018")") != std::string::npos);
}

TEST_CASE("okx streams: OKX's checksum is CRC-32 of the first 25 bids and asks interleaved, a short side ending early") {
  // Bids 100, 99, ..., 71 (30 levels of 1), asks 200, 201, 202 (3 levels of 2): the text
  // is "100:1:200:2:99:1:201:2:98:1:202:2:97:1:96:1:...:76:1" (25 bids, 3 asks).
  std::vector<sim::Level> bids;
  for (int i = 0; i < 30; ++i) bids.push_back({Decimal::from_int(100 - i), "1"_d});
  const std::vector<sim::Level> asks{{"200"_d, "2"_d}, {"201"_d, "2"_d}, {"202"_d, "2"_d}};
  CHECK(sim::okx_book_checksum(bids, asks) == -247126573);
  CHECK(sim::okx_book_checksum({}, {}) == 0);  // CRC-32 of no bytes
}

TEST_CASE("okx streams: a books snapshot then updates keep a client's book equal to the engine's, seqIds chained") {
  Venue v;
  v.seed_book();
  REQUIRE(v.streams.open(1, "/ws/v5/public", kNowMs));
  (void)v.tick();  // what happened before the subscription is in its snapshot
  okx::PublicMarketStream client("BTC-USDT");
  const std::vector<std::string> frames = v.send(1, client.subscriptions()[0]);
  REQUIRE(frames.size() == 2);  // the reply, then the snapshot
  CHECK(frames[0] == R"({"event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"},"connId":"00000001"})");
  // "60000:1:60001:2:59999.5:0.25:60002.5:0.5" → CRC-32 -1567377480.
  CHECK(frames[1] ==
        R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"snapshot","data":[{"asks":[["60001","2","0","0"],["60002.5","0.5","0","0"]],"bids":[["60000","1","0","0"],["59999.5","0.25","0","0"]],"ts":"1700000000000","checksum":-1567377480,"prevSeqId":-1,"seqId":1}]})");
  CHECK(client.on_message(frames[0]).value() == venue::MarketChange::subscribed);
  REQUIRE(client.on_message(frames[1]).value() == venue::MarketChange::book);
  check_same_book(client.book(), v.engine);

  // A better bid 60000.5 x 0.1, then a buyer takes 0.5 of the 2 at 60001.
  v.rest(v.maker, "BTC-USDT", Side::buy, "0.1"_d, "60000.5"_d);
  v.rest(v.account, "BTC-USDT", Side::buy, "0.5"_d, "60001"_d);
  const auto update = v.tick();
  REQUIRE(update.size() == 1);
  // "60000.5:0.1:60001:1.5:60000:1:60002.5:0.5:59999.5:0.25" → CRC-32 1867695232.
  CHECK(update[0] ==
        R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[["60001","1.5","0","0"]],"bids":[["60000.5","0.1","0","0"]],"ts":"1700000000000","checksum":1867695232,"prevSeqId":1,"seqId":2}]})");
  REQUIRE(client.on_message(update[0]).value() == venue::MarketChange::book);
  check_same_book(client.book(), v.engine);

  // The whole ask at 60001 goes and the bid at 59999.5 is cancelled: both are sent with size 0.
  v.engine.deposit(v.account, "USDT", "100000"_d);
  v.rest(v.account, "BTC-USDT", Side::buy, "1.5"_d, "60001"_d);
  const auto second_bid = v.engine.open_orders(v.maker, "BTC-USDT");
  REQUIRE(v.engine.cancel(v.maker, "BTC-USDT", second_bid[1].id, "", kNowMs));
  const auto removal = v.tick();
  REQUIRE(removal.size() == 1);
  CHECK(removal[0].find(R"("asks":[["60001","0","0","0"]],"bids":[["59999.5","0","0","0"]])") != std::string::npos);
  CHECK(removal[0].find(R"("prevSeqId":2,"seqId":3)") != std::string::npos);
  REQUIRE(client.on_message(removal[0]).value() == venue::MarketChange::book);
  check_same_book(client.book(), v.engine);
  CHECK(client.synced());

  // A tick without changes sends nothing.
  CHECK(v.tick().empty());
}

TEST_CASE("okx streams: a second subscriber gets what the first holds, and both follow the same updates") {
  Venue v;
  v.seed_book();
  REQUIRE(v.streams.open(1, "/ws/v5/public", kNowMs));
  REQUIRE(v.streams.open(2, "/ws/v5/public", kNowMs));
  okx::PublicMarketStream first("BTC-USDT");
  okx::PublicMarketStream second("BTC-USDT");
  const auto a = v.send(1, first.subscriptions()[0]);
  REQUIRE(a.size() == 2);
  REQUIRE(first.on_message(a[1]).value() == venue::MarketChange::book);
  // A change not yet ticked: the second snapshot is what the first holds (seqId 1), and
  // the next update brings both to the engine's book.
  v.rest(v.maker, "BTC-USDT", Side::sell, "3"_d, "60003"_d);
  const auto b = v.send(2, second.subscriptions()[0]);
  REQUIRE(b.size() == 2);
  CHECK(b[1] == a[1]);
  REQUIRE(second.on_message(b[1]).value() == venue::MarketChange::book);
  const auto update = v.tick();
  REQUIRE(update.size() == 2);
  CHECK(update[0] == update[1]);
  REQUIRE(first.on_message(update[0]).value() == venue::MarketChange::book);
  REQUIRE(second.on_message(update[1]).value() == venue::MarketChange::book);
  check_same_book(first.book(), v.engine);
  check_same_book(second.book(), v.engine);
}

TEST_CASE("okx streams: bbo-tbt sends the top at once and each tick it changes, with the book's seqId") {
  Venue v;
  v.seed_book();
  REQUIRE(v.streams.open(1, "/ws/v5/public", kNowMs));
  okx::PublicMarketStream client("BTC-USDT", /*best_bid_ask=*/true);
  const auto frames = v.send(1, client.subscriptions()[0]);
  REQUIRE(frames.size() == 4);  // books reply and snapshot, bbo-tbt reply and top
  CHECK(frames[2] == R"({"event":"subscribe","arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"connId":"00000001"})");
  CHECK(frames[3] ==
        R"({"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"data":[{"asks":[["60001","2","0","0"]],"bids":[["60000","1","0","0"]],"ts":"1700000000000","seqId":1}]})");
  for (const std::string& frame : frames) REQUIRE(client.on_message(frame));
  REQUIRE(client.ticker());
  CHECK(client.ticker()->ask_price == "60001"_d);
  CHECK(client.ticker()->bid_quantity == "1"_d);

  v.rest(v.maker, "BTC-USDT", Side::buy, "0.5"_d, "59000"_d);  // below the top: books only
  const auto deep = v.tick();
  REQUIRE(deep.size() == 1);
  CHECK(deep[0].find(R"("channel":"books")") != std::string::npos);
  REQUIRE(client.on_message(deep[0]).value() == venue::MarketChange::book);
  v.rest(v.maker, "BTC-USDT", Side::buy, "0.5"_d, "60000.5"_d);  // a new best bid: books and bbo-tbt
  const auto top = v.tick();
  REQUIRE(top.size() == 2);
  CHECK(top[1] ==
        R"({"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"data":[{"asks":[["60001","2","0","0"]],"bids":[["60000.5","0.5","0","0"]],"ts":"1700000000000","seqId":3}]})");
  CHECK(client.on_message(top[0]).value() == venue::MarketChange::book);
  CHECK(client.on_message(top[1]).value() == venue::MarketChange::ticker);
  CHECK(client.ticker()->bid_price == "60000.5"_d);
  CHECK(client.ticker()->update_id == 3);
  check_same_book(client.book(), v.engine);
}

TEST_CASE("okx streams: trades carry the taker's side") {
  Venue v;
  v.seed_book();
  REQUIRE(v.streams.open(1, "/ws/v5/public", kNowMs));
  const auto ack = v.send(1, R"({"op":"subscribe","args":[{"channel":"trades","instId":"BTC-USDT"}]})");
  CHECK(ack == std::vector<std::string>{
                   R"({"event":"subscribe","arg":{"channel":"trades","instId":"BTC-USDT"},"connId":"00000001"})"});
  v.rest(v.account, "BTC-USDT", Side::buy, "0.5"_d, "60001"_d);
  const auto frames = v.tick();
  REQUIRE(frames.size() == 1);
  const auto parsed = okx::parse_stream_event(frames[0]);
  REQUIRE(parsed);
  const auto& trades = std::get<okx::TradesUpdate>(*parsed);
  CHECK(trades.inst_id == "BTC-USDT");
  REQUIRE(trades.trades.size() == 1);
  CHECK(trades.trades[0].price == "60001"_d);
  CHECK(trades.trades[0].quantity == "0.5"_d);
  CHECK_FALSE(trades.trades[0].buyer_is_maker);  // a buy taker
}

TEST_CASE("okx streams: login is checked member by member with OKX's codes") {
  Venue v;
  REQUIRE(v.streams.open(1, "/ws/v5/private", kNowMs));
  REQUIRE(v.streams.open(2, "/ws/v5/public", kNowMs));
  const std::int64_t now_s = kNowMs / 1000;
  const sign::OkxSigner good(std::string(kKey), sign::Secret{kSecret}, sign::Secret{kPassphrase});
  const auto code_of = [&](std::uint64_t connection, const std::string& frame) {
    const auto replies = v.send(connection, frame);
    REQUIRE(replies.size() == 1);
    const auto parsed = okx::parse_stream_event(replies[0]);
    REQUIRE(parsed);
    const auto& reply = std::get<okx::EventReply>(*parsed);
    return std::pair{reply.event, reply.code};
  };
  const sign::OkxSigner unknown("other-key", sign::Secret{kSecret}, sign::Secret{kPassphrase});
  CHECK(code_of(1, unknown.ws_login_frame(now_s)) == std::pair{std::string("error"), std::int64_t{60005}});
  const sign::OkxSigner wrong_passphrase(std::string(kKey), sign::Secret{kSecret}, sign::Secret("other"));
  CHECK(code_of(1, wrong_passphrase.ws_login_frame(now_s)) == std::pair{std::string("error"), std::int64_t{60024}});
  const sign::OkxSigner wrong_secret(std::string(kKey), sign::Secret("other"), sign::Secret{kPassphrase});
  CHECK(code_of(1, wrong_secret.ws_login_frame(now_s)) == std::pair{std::string("error"), std::int64_t{60007}});
  // 30 s either side of now is accepted ("Login": the request expires 30 s after its timestamp).
  CHECK(code_of(1, good.ws_login_frame(now_s - 31)) == std::pair{std::string("error"), std::int64_t{60004}});
  CHECK(code_of(1, good.ws_login_frame(now_s + 31)) == std::pair{std::string("error"), std::int64_t{60004}});
  CHECK(code_of(1, R"({"op":"login","args":[{"apiKey":"okx-streams-key","passphrase":"x","sign":"y"}]})") ==
        std::pair{std::string("error"), std::int64_t{60012}});
  CHECK(code_of(2, good.ws_login_frame(now_s)) == std::pair{std::string("error"), std::int64_t{60009}});
  // Nothing above logged the connection in: private channels are refused.
  CHECK(code_of(1, R"({"op":"subscribe","args":[{"channel":"account"}]})") ==
        std::pair{std::string("error"), std::int64_t{60011}});
  CHECK(v.send(1, good.ws_login_frame(now_s - 30)) ==
        std::vector<std::string>{R"({"event":"login","code":"0","msg":"","connId":"00000001"})"});
  CHECK(code_of(1, good.ws_login_frame(now_s)) == std::pair{std::string("error"), std::int64_t{60009}});
}

TEST_CASE("okx streams: a connection silent for 30 s is closed; a ping keeps it open") {
  Venue v;
  REQUIRE(v.streams.open(1, "/ws/v5/public", kNowMs));
  REQUIRE(v.streams.open(2, "/ws/v5/public", kNowMs));
  CHECK(v.send(2, "ping", kNowMs + 20'000) == std::vector<std::string>{"pong"});
  CHECK(v.tick(kNowMs + 30'000).empty());  // 30 s is still allowed
  (void)v.tick(kNowMs + 30'001);
  REQUIRE(v.out.size() == 1);
  CHECK(v.out[0].connection == 1);
  CHECK(v.out[0].drop);
  CHECK(v.streams.connections() == std::vector<std::uint64_t>{2});
}

TEST_CASE("okx streams: ws_drop_every drops a connection instead of its Nth frame") {
  Venue v;
  v.seed_book();
  sim::FaultConfig faults;
  faults.ws_drop_every = 3;
  v.streams.set_faults(faults);
  REQUIRE(v.streams.open(1, "/ws/v5/public", kNowMs));
  CHECK(v.send(1, "ping") == std::vector<std::string>{"pong"});
  (void)v.send(1, R"({"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]})");
  REQUIRE(v.out.size() == 2);  // the reply, then the drop instead of the snapshot
  CHECK(v.out[1].drop);
  CHECK(v.streams.stats().drops == 1);
  CHECK(v.streams.connections().empty());
  CHECK(v.send(1, "ping").empty());
}

namespace {

/// The events `client` reads from `frames`, in order.
std::vector<venue::UserEvent> read_all(okx::PrivateUserStream& client, const std::vector<std::string>& frames) {
  std::vector<venue::UserEvent> events;
  for (const std::string& frame : frames) {
    auto read = client.on_message(frame);
    REQUIRE_MESSAGE(read, frame);
    for (venue::UserEvent& event : *read) events.push_back(std::move(event));
  }
  return events;
}

/// The one OrderUpdate among `events`.
const venue::OrderUpdate& only_order(const std::vector<venue::UserEvent>& events) {
  const venue::OrderUpdate* found = nullptr;
  for (const venue::UserEvent& event : events) {
    if (const auto* update = std::get_if<venue::OrderUpdate>(&event)) {
      REQUIRE(found == nullptr);
      found = update;
    }
  }
  REQUIRE(found != nullptr);
  return *found;
}

/// Opens `connection` on the private stream, logs `client` in and subscribes its SPOT
/// channels (REQUIREs the login reply and the three subscription replies), then ticks
/// away what happened before.
void connect_spot_client(Venue& v, okx::PrivateUserStream& client, std::uint64_t connection) {
  REQUIRE(v.streams.open(connection, "/ws/v5/private", kNowMs));
  const auto login = client.subscriptions(from_unix_millis(kNowMs));
  REQUIRE(login);
  REQUIRE(v.send(connection, login->front()).size() == 1);
  REQUIRE(v.send(connection, client.after_authentication().front()).size() == 3);
  (void)v.tick();
}

/// The balance of `asset` in the one BalancesUpdate among `events`.
venue::Balance balance_in(const std::vector<venue::UserEvent>& events, std::string_view asset) {
  for (const venue::UserEvent& event : events) {
    if (const auto* update = std::get_if<venue::BalancesUpdate>(&event)) {
      for (const venue::Balance& b : update->balances) {
        if (b.asset == asset) return b;
      }
    }
  }
  FAIL("no balance of " << asset);
  return {};
}

}  // namespace

TEST_CASE("okx streams: the client logs in, subscribes after the login reply, and hears its subscriptions") {
  Venue v;
  REQUIRE(v.streams.open(7, "/ws/v5/private", kNowMs));
  const sign::OkxSigner signer(std::string(kKey), sign::Secret{kSecret}, sign::Secret{kPassphrase});
  okx::PrivateUserStream client(signer, okx::InstType::spot);
  const auto login = client.subscriptions(from_unix_millis(kNowMs));
  REQUIRE(login);
  REQUIRE(login->size() == 1);
  const auto logged_in = v.send(7, login->front());
  CHECK(logged_in == std::vector<std::string>{R"({"event":"login","code":"0","msg":"","connId":"00000007"})"});
  const auto authenticated = read_all(client, logged_in);
  REQUIRE(authenticated.size() == 1);
  CHECK(std::holds_alternative<venue::UserAuthenticated>(authenticated[0]));
  const std::vector<std::string> subscribe = client.after_authentication();
  REQUIRE(subscribe.size() == 1);
  const auto replies = v.send(7, subscribe[0]);
  REQUIRE(replies.size() == 3);
  CHECK(replies[0] == R"({"event":"subscribe","arg":{"channel":"orders","instType":"SPOT"},"connId":"00000007"})");
  CHECK(replies[1] == R"({"event":"subscribe","arg":{"channel":"account"},"connId":"00000007"})");
  const auto events = read_all(client, replies);
  REQUIRE(events.size() == 2);
  CHECK(std::holds_alternative<venue::UserSubscribed>(events[0]));
  // The account channel's first push: every balance of the account.
  CHECK(balance_in(events, "USDT").free == "100000"_d);
}

TEST_CASE("okx streams: frames are read in order: a subscribe right behind a good login is accepted") {
  Venue v;
  REQUIRE(v.streams.open(1, "/ws/v5/private", kNowMs));
  const sign::OkxSigner signer(std::string(kKey), sign::Secret{kSecret}, sign::Secret{kPassphrase});
  (void)v.send(1, signer.ws_login_frame(kNowMs / 1000));
  CHECK(v.send(1, R"({"op":"subscribe","args":[{"channel":"orders","instType":"ANY"}]})") ==
        std::vector<std::string>{
            R"({"event":"subscribe","arg":{"channel":"orders","instType":"ANY"},"connId":"00000001"})"});
}

TEST_CASE("okx streams: orders and account pushes follow a resting order, its fills and its cancel") {
  Venue v;
  v.seed_book();
  const sign::OkxSigner signer(std::string(kKey), sign::Secret{kSecret}, sign::Secret{kPassphrase});
  okx::PrivateUserStream client(signer, okx::InstType::spot);
  connect_spot_client(v, client, 1);  // the seeding orders were the maker's: nothing for this account

  // A buy of 0.5 at 60000.5 with clOrdId "bid1", placed over REST, rests as the best bid:
  // live, 30000.25 USDT frozen.
  v.place("BTC-USDT", Side::buy, "0.5"_d, "60000.5"_d, "bid1");
  const std::vector<sim::Order> open = v.engine.open_orders(v.account, "BTC-USDT");
  REQUIRE(open.size() == 1);
  const sim::Order& placed = open[0];
  auto frames = v.tick();
  REQUIRE(frames.size() == 2);  // orders, account
  CHECK(frames[0].starts_with(R"({"arg":{"channel":"orders","instType":"SPOT"},"data":[{"accFillSz":"0",)"));
  auto events = read_all(client, frames);
  {
    const venue::OrderUpdate& live = only_order(events);
    CHECK(live.order.client_order_id == "bid1");
    CHECK(live.order.order_id == std::to_string(placed.id));
    CHECK(live.order.status == venue::OrderStatus::new_);
    CHECK(live.order.price == "60000.5"_d);
    CHECK(live.order.quantity == "0.5"_d);
    CHECK_FALSE(live.last_fill);
    CHECK(balance_in(events, "USDT").locked == "30000.25"_d);  // 0.5 × 60000.5
  }

  // A seller takes 0.2: partially_filled, a maker fill of 0.2 at 60000.5 whose fee is
  // 0.1 % of the 0.2 BTC received (0.0002 BTC, written -0.0002).
  const auto sold = v.engine.place(
      sim::OrderRequest{v.maker, "BTC-USDT", Side::sell, sim::SimOrderType::limit, TimeInForce::ioc, "0.2"_d, {},
                        "60000.5"_d, "", false},
      kNowMs);
  REQUIRE(sold);
  frames = v.tick();
  std::vector<std::string> private_frames;
  for (const std::string& frame : frames) {
    if (frame.find(R"("channel":"orders")") != std::string::npos ||
        frame.find(R"("channel":"account")") != std::string::npos) {
      private_frames.push_back(frame);
    }
  }
  REQUIRE(private_frames.size() == 2);
  CHECK(private_frames[0].find(R"("fillFee":"-0.0002","fillFeeCcy":"BTC")") != std::string::npos);
  CHECK(private_frames[0].find(R"("execType":"M")") != std::string::npos);
  events = read_all(client, private_frames);
  {
    const venue::OrderUpdate& partial = only_order(events);
    CHECK(partial.order.status == venue::OrderStatus::partially_filled);
    CHECK(partial.order.executed_quantity == "0.2"_d);
    CHECK(partial.order.average_price == "60000.5"_d);
    REQUIRE(partial.last_fill);
    CHECK(partial.last_fill->price == "60000.5"_d);
    CHECK(partial.last_fill->quantity == "0.2"_d);
    CHECK(partial.last_fill->commission == "0.0002"_d);
    CHECK(partial.last_fill->commission_asset == "BTC");
    CHECK(partial.last_fill->trade_id == std::to_string(sold->fills[0].trade_id));
    // 0.2 BTC received less the 0.0002 fee; 0.3 × 60000.5 still frozen.
    CHECK(balance_in(events, "BTC").free == "0.1998"_d);
    CHECK(balance_in(events, "USDT").locked == "18000.15"_d);
  }

  // The rest is cancelled: canceled with what filled, the order's fee so far.
  REQUIRE(v.engine.cancel(v.account, "BTC-USDT", placed.id, "", kNowMs));
  frames = v.tick();
  std::erase_if(frames, [](const std::string& f) { return f.find(R"("channel":"books")") != std::string::npos; });
  REQUIRE(frames.size() == 2);
  CHECK(frames[0].find(R"("fee":"-0.0002","feeCcy":"BTC")") != std::string::npos);
  events = read_all(client, frames);
  const venue::OrderUpdate& canceled = only_order(events);
  CHECK(canceled.order.status == venue::OrderStatus::canceled);
  CHECK(canceled.order.executed_quantity == "0.2"_d);
  CHECK_FALSE(canceled.last_fill);
  CHECK(balance_in(events, "USDT").locked == "0"_d);
}

TEST_CASE("okx streams: another account's orders are not pushed, nor orders of an instType not subscribed") {
  Venue v;
  v.seed_book();
  REQUIRE(v.streams.open(1, "/ws/v5/private", kNowMs));
  const sign::OkxSigner signer(std::string(kKey), sign::Secret{kSecret}, sign::Secret{kPassphrase});
  (void)v.send(1, signer.ws_login_frame(kNowMs / 1000));
  CHECK(v.send(1, R"({"op":"subscribe","args":[{"channel":"orders","instType":"SWAP"}]})").size() == 1);
  v.rest(v.maker, "BTC-USDT", Side::buy, "1"_d, "59000"_d);
  v.rest(v.account, "BTC-USDT", Side::buy, "0.1"_d, "59000"_d);  // spot: the SWAP subscriber hears nothing
  CHECK(v.tick().empty());
}

TEST_CASE("okx streams: a SWAP fill reaches the swap stream as an order, a position in contracts and the account") {
  Venue v;
  const std::string swap = sim::market_key(InstrumentKind::linear_perpetual, "BTC-USDT-SWAP");
  v.rest(v.maker, swap, Side::sell, "2"_d, "60000"_d);  // 2 contracts of 0.01 BTC
  REQUIRE(v.streams.open(1, "/ws/v5/private", kNowMs));
  const sign::OkxSigner signer(std::string(kKey), sign::Secret{kSecret}, sign::Secret{kPassphrase});
  okx::PrivateUserStream client(signer, okx::InstType::swap);
  const auto login = client.subscriptions(from_unix_millis(kNowMs));
  REQUIRE(login);
  REQUIRE(v.send(1, login->front()).size() == 1);
  const auto subscribed = v.send(1, client.after_authentication().front());
  // orders, account and positions replies; the account's and the positions' first pushes.
  REQUIRE(subscribed.size() == 5);
  CHECK(subscribed[4] == R"({"arg":{"channel":"positions","instType":"SWAP"},"data":[]})");  // no position yet
  (void)read_all(client, subscribed);
  (void)v.tick();

  // We buy 1 contract at 60000 over REST: filled at once as the taker. Fee 0.1 % of
  // 1 × 0.01 × 60000 = 0.6 USDT; the position is long 1 contract at 60000.
  v.place("BTC-USDT-SWAP", Side::buy, "1"_d, "60000"_d, "swap1");
  const auto frames = v.tick();
  const auto events = read_all(client, frames);
  const venue::PositionsUpdate* positions = nullptr;
  for (const venue::UserEvent& event : events) {
    if (const auto* p = std::get_if<venue::PositionsUpdate>(&event)) positions = p;
  }
  REQUIRE(positions != nullptr);
  REQUIRE(positions->positions.size() == 1);
  CHECK(positions->positions[0].symbol == "BTC-USDT-SWAP");
  CHECK(positions->positions[0].quantity == "1"_d);
  CHECK(positions->positions[0].entry_price == "60000"_d);
  CHECK(positions->positions[0].side == venue::PositionSide::both);
  // OKX sends a position before the order that moved it within a tick (as the REST front
  // would already report it).
  CHECK(frames.front().find(R"("channel":"positions")") != std::string::npos);
  // Two pushes for the order, as OKX sends them: live, then filled with its fill.
  std::vector<const venue::OrderUpdate*> updates;
  for (const venue::UserEvent& event : events) {
    if (const auto* update = std::get_if<venue::OrderUpdate>(&event)) updates.push_back(update);
  }
  REQUIRE(updates.size() == 2);
  CHECK(updates[0]->order.status == venue::OrderStatus::new_);
  const venue::OrderUpdate& filled = *updates[1];
  CHECK(filled.order.client_order_id == "swap1");
  CHECK(filled.order.status == venue::OrderStatus::filled);
  CHECK(filled.order.position_side == venue::PositionSide::both);
  REQUIRE(filled.last_fill);
  CHECK(filled.last_fill->quantity == "1"_d);
  CHECK(filled.last_fill->commission == "0.6"_d);
  CHECK(filled.last_fill->commission_asset == "USDT");
  CHECK(std::any_of(frames.begin(), frames.end(),
                    [](const std::string& f) { return f.find(R"("execType":"T")") != std::string::npos; }));
  // USDT cash: 100000 − 0.6 fee; frozen: the position's initial margin 1 × 0.01 × 60000 / 10 = 60.
  CHECK(balance_in(events, "USDT").locked == "60"_d);
  CHECK(balance_in(events, "USDT").free == "99939.4"_d);
}

TEST_CASE("okx streams: unsubscribe is answered per argument and stops the channel's pushes") {
  Venue v;
  v.seed_book();
  REQUIRE(v.streams.open(1, "/ws/v5/public", kNowMs));
  REQUIRE(v.send(1, R"({"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"},{"channel":"trades","instId":"BTC-USDT"}]})")
              .size() == 3);  // two replies, the books snapshot
  CHECK(v.send(1, R"({"op":"unsubscribe","args":[{"channel":"books","instId":"BTC-USDT"}]})") ==
        std::vector<std::string>{
            R"({"event":"unsubscribe","arg":{"channel":"books","instId":"BTC-USDT"},"connId":"00000001"})"});
  v.rest(v.account, "BTC-USDT", Side::buy, "0.5"_d, "60001"_d);  // changes the book and trades
  const auto frames = v.tick();
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].starts_with(R"({"arg":{"channel":"trades","instId":"BTC-USDT"})"));
}

namespace {

// instIdCode of each market: CRC-32 of the instId with the top bit cleared, computed
// independently (Python: zlib.crc32(b"BTC-USDT") & 0x7fffffff).
constexpr std::int64_t kBtcUsdtCode = 61289663;
constexpr std::int64_t kEthUsdtCode = 1671810405;
constexpr std::int64_t kBtcUsdtSwapCode = 1475691380;

/// The instIdCodes the REST front lists in /api/v5/public/instruments (SPOT, then SWAP),
/// loaded as a client loads them.
okx::InstIdCodes listed_codes(Venue& v) {
  std::vector<okx::Listing> listings;
  for (const okx::InstType type : {okx::InstType::spot, okx::InstType::swap}) {
    const auto request = okx::instruments(type);
    REQUIRE(request);
    auto listed = okx::parse_instruments(v.front.handle(request->http, from_unix_millis(kNowMs)).response, type);
    REQUIRE(listed);
    listings.insert(listings.end(), listed->begin(), listed->end());
  }
  return okx::InstIdCodes::from_listings(listings);
}

/// Opens `connection` on the private stream and logs it in (REQUIREs the login event).
void log_in(Venue& v, std::uint64_t connection) {
  REQUIRE(v.streams.open(connection, "/ws/v5/private", kNowMs));
  const sign::OkxSigner signer(std::string(kKey), sign::Secret{kSecret}, sign::Secret{kPassphrase});
  const auto replies = v.send(connection, signer.ws_login_frame(kNowMs / 1000));
  REQUIRE(replies.size() == 1);
  REQUIRE(replies[0].starts_with(R"({"event":"login","code":"0")"));
}

/// Sends `frame` on `connection` at `now_ms` and parses its one reply.
okx::WsOrderReply order_reply(Venue& v, std::uint64_t connection, const Result<okx::WsOrderFrame>& frame,
                              std::int64_t now_ms = kNowMs) {
  REQUIRE(frame);
  const auto replies = v.send(connection, frame->text, now_ms);
  REQUIRE(replies.size() == 1);
  auto reply = okx::parse_ws_order_reply(replies[0]);
  REQUIRE_MESSAGE(reply, replies[0]);
  CHECK(reply->id == frame->id);
  CHECK(reply->op == frame->op);
  return std::move(*reply);
}

}  // namespace

TEST_CASE("okx ws orders: the REST front lists each instrument's instIdCode") {
  Venue v;
  const okx::InstIdCodes codes = listed_codes(v);
  CHECK(codes.size() == 3);
  CHECK(codes.find("BTC-USDT") == kBtcUsdtCode);
  CHECK(codes.find("ETH-USDT") == kEthUsdtCode);
  CHECK(codes.find("BTC-USDT-SWAP") == kBtcUsdtSwapCode);
}

TEST_CASE("okx ws orders: place, amend and cancel over the private WebSocket, replies in OKX's shape") {
  Venue v;
  v.seed_book();  // the maker's orders are ordIds 1 to 4
  const okx::InstIdCodes codes = listed_codes(v);
  log_in(v, 1);

  // A buy of 0.01 at 59000, clOrdId "ws1": ordId 5, 590 USDT frozen.
  const auto place = okx::ws_place_order("1512", okx::InstType::spot,
                                         limit_order("BTC-USDT", Side::buy, "0.01"_d, "59000"_d, "ws1"), codes);
  REQUIRE(place);
  CHECK(place->text.find(R"("instIdCode":61289663)") != std::string::npos);
  CHECK(v.send(1, place->text) ==
        std::vector<std::string>{
            R"({"id":"1512","op":"order","data":[{"clOrdId":"ws1","ordId":"5","tag":"","ts":"1700000000000","sCode":"0","sMsg":""}],"code":"0","msg":"","inTime":"1700000000000000","outTime":"1700000000000000"})"});
  std::vector<sim::Order> open = v.engine.open_orders(v.account, "BTC-USDT");
  REQUIRE(open.size() == 1);
  CHECK(open[0].id == 5);
  CHECK(open[0].price == "59000"_d);
  CHECK(v.engine.balances(v.account).at("USDT").locked == "590"_d);

  // Amended by ordId to 59500: 595 frozen.
  venue::OrderAmendment amendment;
  amendment.order = venue::OrderRef{"BTC-USDT", "5", ""};
  amendment.price = "59500"_d;
  const okx::WsOrderReply amended =
      order_reply(v, 1, okx::ws_amend_order("1513", okx::InstType::spot, amendment, codes));
  CHECK_FALSE(amended.error);
  CHECK(amended.in_time_us == 1'700'000'000'000'000);
  REQUIRE(amended.items.size() == 1);
  CHECK_FALSE(amended.items[0].error);
  CHECK(amended.items[0].ack.order_id == "5");
  CHECK(amended.items[0].ack.client_order_id == "ws1");
  open = v.engine.open_orders(v.account, "BTC-USDT");
  REQUIRE(open.size() == 1);
  CHECK(open[0].price == "59500"_d);
  CHECK(v.engine.balances(v.account).at("USDT").locked == "595"_d);

  // Cancelled by clOrdId: nothing frozen.
  const okx::WsOrderReply cancelled = order_reply(
      v, 1, okx::ws_cancel_order("1514", okx::InstType::spot, venue::OrderRef{"BTC-USDT", std::nullopt, "ws1"}, codes));
  const auto ack = okx::ws_order_ack(cancelled);
  REQUIRE(ack);
  CHECK(ack->order_id == "5");
  CHECK(ack->time_ms == kNowMs);
  CHECK(v.engine.open_orders(v.account, "BTC-USDT").empty());
  CHECK(v.engine.balances(v.account).at("USDT").locked == "0"_d);
  CHECK(v.engine.balances(v.account).at("USDT").free == "100000"_d);
}

TEST_CASE("okx ws orders: refusals answer OKX's codes and change nothing") {
  Venue v;
  v.seed_book();
  const okx::InstIdCodes codes = listed_codes(v);
  const auto nothing_changed = [&] {
    CHECK(v.engine.open_orders(v.account, "BTC-USDT").empty());
    CHECK(v.engine.balances(v.account).at("USDT").free == "100000"_d);
    CHECK(v.engine.balances(v.account).at("USDT").locked == "0"_d);
  };
  const venue::NewOrder order = limit_order("BTC-USDT", Side::buy, "0.01"_d, "59000"_d, "r1");

  // Not logged in: 60011, data empty.
  REQUIRE(v.streams.open(1, "/ws/v5/private", kNowMs));
  const auto before_login = v.send(1, okx::ws_place_order("7", okx::InstType::spot, order, codes)->text);
  CHECK(before_login ==
        std::vector<std::string>{
            R"({"id":"7","op":"order","data":[],"code":"60011","msg":"Please log in","inTime":"1700000000000000","outTime":"1700000000000000"})"});
  const auto refused = okx::parse_ws_order_reply(before_login[0]);
  REQUIRE(refused);
  REQUIRE(refused->error);
  CHECK(refused->error->venue_code == "60011");
  nothing_changed();

  log_in(v, 2);
  // An instIdCode the venue does not list: the item fails with 51001.
  okx::InstIdCodes wrong;
  REQUIRE(wrong.set("BTC-USDT", 12345));
  const okx::WsOrderReply unknown = order_reply(v, 2, okx::ws_place_order("8", okx::InstType::spot, order, wrong));
  CHECK_FALSE(unknown.error);
  REQUIRE(unknown.items.size() == 1);
  REQUIRE(unknown.items[0].error);
  CHECK(unknown.items[0].error->venue_code == "51001");
  CHECK(unknown.items[0].ack.client_order_id == "r1");
  nothing_changed();

  // expTime already passed: 50036.
  const okx::WsOrderReply expired = order_reply(
      v, 2, okx::ws_place_order("9", okx::InstType::spot, order, codes, okx::WsOrderOptions{kNowMs - 1}));
  REQUIRE(expired.error);
  CHECK(expired.error->venue_code == "50036");
  CHECK(expired.items.empty());
  nothing_changed();
  // expTime still ahead: runs.
  const okx::WsOrderReply in_time = order_reply(
      v, 2, okx::ws_place_order("10", okx::InstType::spot, order, codes, okx::WsOrderOptions{kNowMs + 1}));
  REQUIRE(okx::ws_order_ack(in_time));
  REQUIRE(v.engine.open_orders(v.account, "BTC-USDT").size() == 1);

  // The same clOrdId again (over the WebSocket, or one placed over REST): 51016.
  const okx::WsOrderReply duplicate = order_reply(v, 2, okx::ws_place_order("11", okx::InstType::spot, order, codes));
  REQUIRE(duplicate.items.size() == 1);
  REQUIRE(duplicate.items[0].error);
  CHECK(duplicate.items[0].error->venue_code == "51016");
  v.place("BTC-USDT", Side::buy, "0.01"_d, "58000"_d, "rest1");
  const okx::WsOrderReply duplicate_of_rest = order_reply(
      v, 2,
      okx::ws_place_order("12", okx::InstType::spot, limit_order("BTC-USDT", Side::buy, "0.01"_d, "57000"_d, "rest1"),
                          codes));
  REQUIRE(duplicate_of_rest.items.size() == 1);
  REQUIRE(duplicate_of_rest.items[0].error);
  CHECK(duplicate_of_rest.items[0].error->venue_code == "51016");
  CHECK(v.engine.open_orders(v.account, "BTC-USDT").size() == 2);

  // Malformed requests: args empty or two orders for a single op → 60013 with empty data;
  // an order without instIdCode → 50014; no id → the 60012 error event.
  for (const std::string_view frame :
       {R"({"id":"13","op":"order","args":[]})",
        R"({"id":"13","op":"cancel-order","args":[{"instIdCode":61289663,"ordId":"5"},{"instIdCode":61289663,"ordId":"6"}]})",
        R"({"id":"13","op":"order","args":"x"})"}) {
    const auto replies = v.send(2, frame);
    REQUIRE(replies.size() == 1);
    CHECK(replies[0].starts_with(R"({"id":"13","op":)"));
    CHECK(replies[0].find(R"("data":[],"code":"60013","msg":"Invalid args")") != std::string::npos);
  }
  const auto no_code = v.send(
      2, R"({"id":"14","op":"order","args":[{"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"limit","px":"1","sz":"1"}]})");
  REQUIRE(no_code.size() == 1);
  CHECK(no_code[0].find(R"("data":[],"code":"50014","msg":"Parameter instIdCode can not be empty.")") !=
        std::string::npos);
  const auto no_id = v.send(2, R"({"op":"order","args":[{"instIdCode":61289663}]})");
  REQUIRE(no_id.size() == 1);
  CHECK(no_id[0].starts_with(R"({"event":"error","code":"60012")"));
  CHECK(v.send(2, R"({"id":"not-alphanumeric","op":"order","args":[]})")[0].starts_with(
      R"({"event":"error","code":"60012")"));
  CHECK(v.engine.open_orders(v.account, "BTC-USDT").size() == 2);
}

TEST_CASE("okx ws orders: a batch answers per item, code 2 when some fail") {
  Venue v;
  v.seed_book();
  const okx::InstIdCodes codes = listed_codes(v);
  log_in(v, 1);
  // 0.01 at 59000 is covered (590 USDT); 10 at 59000 needs 590000 of the 100000: 51008.
  const std::vector<venue::NewOrder> orders{limit_order("BTC-USDT", Side::buy, "0.01"_d, "59000"_d, "b1"),
                                            limit_order("BTC-USDT", Side::buy, "10"_d, "59000"_d, "b2")};
  const okx::WsOrderReply placed =
      order_reply(v, 1, okx::ws_place_batch("1513", okx::InstType::spot, orders, okx::TradeMode::cash, codes));
  CHECK_FALSE(placed.error);
  REQUIRE(placed.items.size() == 2);
  CHECK_FALSE(placed.items[0].error);
  CHECK(placed.items[0].ack.order_id == "5");
  CHECK(placed.items[0].ack.client_order_id == "b1");
  REQUIRE(placed.items[1].error);
  CHECK(placed.items[1].error->venue_code == "51008");
  CHECK(placed.items[1].error->code == ErrorCode::insufficient_funds);
  CHECK(placed.items[1].ack.client_order_id == "b2");
  CHECK(v.engine.open_orders(v.account, "BTC-USDT").size() == 1);
  CHECK(v.engine.balances(v.account).at("USDT").locked == "590"_d);

  // Cancelling ordId 5 and an unknown 99: the second fails with 51400; code "2".
  const std::vector<venue::OrderRef> refs{{"BTC-USDT", "5", ""}, {"BTC-USDT", "99", ""}};
  const auto frame = okx::ws_cancel_batch("1515", okx::InstType::spot, refs, codes);
  REQUIRE(frame);
  const auto replies = v.send(1, frame->text);
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].find(R"("code":"2","msg":"Bulk operation partially succeeded")") != std::string::npos);
  const auto cancelled = okx::parse_ws_order_reply(replies[0]);
  REQUIRE(cancelled);
  const auto outcomes = okx::ws_batch_outcomes(*cancelled);
  REQUIRE(outcomes);
  REQUIRE(outcomes->size() == 2);
  CHECK_FALSE((*outcomes)[0].error);
  REQUIRE((*outcomes)[1].error);
  CHECK((*outcomes)[1].error->venue_code == "51400");
  CHECK(v.engine.open_orders(v.account, "BTC-USDT").empty());
}

TEST_CASE("okx ws orders: the place window is shared with REST, per instrument") {
  Venue v;
  v.seed_book();
  v.front.config().limits.place_per_window = 1;
  const okx::InstIdCodes codes = listed_codes(v);
  log_in(v, 1);
  v.place("BTC-USDT", Side::buy, "0.01"_d, "59000"_d, "rest1");  // spends BTC-USDT's window over REST

  const okx::WsOrderReply limited = order_reply(
      v, 1,
      okx::ws_place_order("1", okx::InstType::spot, limit_order("BTC-USDT", Side::buy, "0.01"_d, "58000"_d, "ws1"),
                          codes));
  REQUIRE(limited.error);
  CHECK(limited.error->venue_code == "50011");
  CHECK(limited.error->code == ErrorCode::rate_limited);
  CHECK(limited.items.empty());
  CHECK(v.engine.open_orders(v.account, "BTC-USDT").size() == 1);
  // A batch of one order counts as a place too.
  const std::vector<venue::NewOrder> one{limit_order("BTC-USDT", Side::buy, "0.01"_d, "58000"_d, "ws2")};
  const okx::WsOrderReply batch_limited =
      order_reply(v, 1, okx::ws_place_batch("2", okx::InstType::spot, one, okx::TradeMode::cash, codes));
  REQUIRE(batch_limited.error);
  CHECK(batch_limited.error->venue_code == "50011");

  // ETH-USDT has its own window; BTC-USDT's next one opens 2 s later.
  CHECK(okx::ws_order_ack(order_reply(
      v, 1,
      okx::ws_place_order("3", okx::InstType::spot, limit_order("ETH-USDT", Side::buy, "0.01"_d, "1000"_d, "ws3"),
                          codes))));
  CHECK(okx::ws_order_ack(order_reply(
      v, 1,
      okx::ws_place_order("4", okx::InstType::spot, limit_order("BTC-USDT", Side::buy, "0.01"_d, "58000"_d, "ws4"),
                          codes),
      kNowMs + 2000)));
  CHECK(v.engine.open_orders(v.account, "BTC-USDT").size() == 2);
}

TEST_CASE("okx ws orders: an order placed over the WebSocket is pushed on the orders channel, its fill too") {
  Venue v;
  v.seed_book();
  const okx::InstIdCodes codes = listed_codes(v);
  const sign::OkxSigner signer(std::string(kKey), sign::Secret{kSecret}, sign::Secret{kPassphrase});
  okx::PrivateUserStream client(signer, okx::InstType::spot);
  connect_spot_client(v, client, 1);

  // A buy of 0.5 at 60001 takes 0.5 of the 2 offered there: filled at once.
  REQUIRE(okx::ws_order_ack(order_reply(
      v, 1,
      okx::ws_place_order("21", okx::InstType::spot, limit_order("BTC-USDT", Side::buy, "0.5"_d, "60001"_d, "take1"),
                          codes))));
  const auto events = read_all(client, v.tick());
  const venue::OrderUpdate* filled = nullptr;
  for (const venue::UserEvent& event : events) {
    if (const auto* update = std::get_if<venue::OrderUpdate>(&event)) filled = update;
  }
  REQUIRE(filled != nullptr);
  CHECK(filled->order.client_order_id == "take1");
  CHECK(filled->order.order_id == "5");
  CHECK(filled->order.status == venue::OrderStatus::filled);
  REQUIRE(filled->last_fill);
  CHECK(filled->last_fill->price == "60001"_d);
  CHECK(filled->last_fill->quantity == "0.5"_d);
}

TEST_CASE("okx ws orders: the ws_lost_replies fault executes the next N order requests without answering them") {
  const sim::FaultConfig parsed = sim::FaultConfig::parse("ws_lost_replies=1").value();
  CHECK(parsed.ws_lost_replies == 1);
  CHECK_FALSE(parsed.none());
  CHECK_FALSE(sim::FaultConfig::parse("ws_lost_replies=x"));

  Venue v;
  const okx::InstIdCodes codes = listed_codes(v);
  log_in(v, 1);
  v.streams.set_faults(parsed);
  const auto lost = okx::ws_place_order("21", okx::InstType::spot,
                                        limit_order("BTC-USDT", Side::buy, "0.01"_d, "59000"_d, "lost1"), codes);
  REQUIRE(lost);
  CHECK(v.send(1, lost->text).empty());  // no reply, the connection kept
  CHECK(v.streams.stats().lost_replies == 1);
  REQUIRE(v.engine.open_orders(v.account, "BTC-USDT").size() == 1);  // executed all the same
  CHECK(v.engine.open_orders(v.account, "BTC-USDT")[0].client_order_id == "lost1");

  // Only the first: the next request is answered on the same connection.
  const okx::WsOrderReply next = order_reply(
      v, 1, okx::ws_cancel_order("22", okx::InstType::spot, venue::OrderRef{"BTC-USDT", std::nullopt, "lost1"}, codes));
  CHECK(okx::ws_order_ack(next));
  CHECK(v.engine.open_orders(v.account, "BTC-USDT").empty());
  CHECK(v.streams.stats().lost_replies == 1);
}
