// Tests for the simulator's Bybit trade WebSocket `/v5/trade` (cts/sim/bybit_streams.hpp,
// BybitFront::ws_order), driven without sockets: frames built by cts's Bybit builders
// (cts/venue/bybit/trade_stream.hpp, BybitSigner::ws_auth_frame) and replies read by
// parse_trade_reply, so both are what a Bybit client sends and parses. Codes and reply
// members from websocket/trade/guideline.mdx (0, 10001, 10002, 10004, 10404, 20001, 20006;
// data = the REST result, retExtInfo.list per batch item, header X-Bapi-Limit*); the
// order codes are the REST front's (110001 unknown order, 110072 duplicate orderLinkId,
// 10006 rate limit). Expected orders and limits follow from what each test sends.
#include <cts/sim/bybit_streams.hpp>

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <cts/sign/bybit.hpp>
#include <cts/sign/secret.hpp>
#include <cts/sim/simulator.hpp>
#include <cts/venue/bybit/requests.hpp>
#include <cts/venue/bybit/streams.hpp>
#include <cts/venue/bybit/trade_stream.hpp>

#include "streams_driver.hpp"

using namespace cts;
using namespace cts::literals;
namespace bybit = cts::venue::bybit;

namespace {

constexpr std::string_view kKey = "trade-key";
constexpr std::string_view kSecret = "trade-secret";
constexpr std::int64_t kNowMs = test::kStreamsNowMs;

const sign::BybitSigner& signer() {
  static const sign::BybitSigner instance{std::string(kKey), sign::Secret{std::string(kSecret)}};
  return instance;
}

struct Venue : test::StreamsDriver<Venue> {
  sim::MatchingEngine engine;
  sim::BybitFront front;
  sim::BybitStreams streams;
  sim::AccountId account;

  explicit Venue(sim::BybitFrontConfig config = {}) : front(engine, config), streams(engine, front) {
    engine.add_symbol(sim::default_instruments()[0]);
    const sim::LinearMarket linear = sim::default_linear_markets()[0];
    engine.add_symbol(linear.instrument, linear.filters);
    account = engine.create_account();
    engine.deposit(account, "USDT", "100000"_d);
    streams.add_credential(std::string(kKey), kSecret, account);
    front.add_credential(std::string(kKey), kSecret, account);
  }

  // Opens connection `id` on /v5/trade and authenticates it.
  void open_trade(std::uint64_t id) {
    REQUIRE(streams.open(id, "/v5/trade", kNowMs));
    const auto replies = send(id, signer().ws_auth_frame(kNowMs + 10'000));
    REQUIRE(replies.size() == 1);
    REQUIRE(replies[0] == fmt::format(R"({{"retCode":0,"retMsg":"OK","op":"auth","connId":"cts-sim-{}"}})", id));
  }

  // Sends `frame` on `id` and parses the reply, the first frame sent back (the pushes of
  // what it changed follow it; they are in `pushed`).
  bybit::TradeReply request(std::uint64_t id, const std::string& frame, std::int64_t now_ms = kNowMs) {
    auto replies = send(id, frame, now_ms);
    REQUIRE_FALSE(replies.empty());
    auto reply = bybit::parse_trade_reply(replies[0]);
    REQUIRE_MESSAGE(reply.has_value(), replies[0]);
    pushed.assign(replies.begin() + 1, replies.end());
    return std::move(*reply);
  }
  std::vector<std::string> pushed;  ///< The frames after the last request()'s reply.

  // The only open spot order of the account.
  sim::Order only_open_order() {
    const auto open = engine.open_orders(account, "BTCUSDT");
    REQUIRE(open.size() == 1);
    return open.front();
  }
};

venue::NewOrder spot_buy(std::string link, Decimal price) {
  venue::NewOrder o;
  o.symbol = "BTCUSDT";
  o.side = Side::buy;
  o.type = OrderType::limit;
  o.quantity = "0.5"_d;
  o.price = price;
  o.client_order_id = std::move(link);
  return o;
}

}  // namespace

TEST_CASE("bybit trade stream: the path opens; ping is answered pong; auth as on /v5/private, with guideline.mdx's codes") {
  Venue v;
  REQUIRE(v.streams.open(1, "/v5/trade?max_active_time=1m", kNowMs));
  CHECK(v.send(1, R"({"op":"ping"})") ==
        std::vector<std::string>{R"({"retCode":0,"retMsg":"OK","op":"pong","data":["1700000000000"],"connId":"cts-sim-1"})"});

  // Orders before auth are refused and change nothing.
  const auto early = v.request(1, bybit::order_create_frame(bybit::Category::spot, spot_buy("e-1", "20000"_d), "r-0", kNowMs).value());
  REQUIRE(early.error.has_value());
  CHECK(early.error->venue_code == "10003");
  CHECK(v.engine.open_orders(v.account, "BTCUSDT").empty());

  // 10004 for a wrong signature, 10003 for an unknown key, 10001 for an expiry passed.
  const sign::BybitSigner wrong_secret(std::string(kKey), sign::Secret("other"));
  CHECK(v.request(1, wrong_secret.ws_auth_frame(kNowMs + 10'000)).error->venue_code == "10004");
  const sign::BybitSigner unknown("no-such-key", sign::Secret(std::string(kSecret)));
  CHECK(v.request(1, unknown.ws_auth_frame(kNowMs + 10'000)).error->venue_code == "10003");
  CHECK(v.request(1, signer().ws_auth_frame(kNowMs - 1)).error->venue_code == "10001");
  CHECK(v.send(1, signer().ws_auth_frame(kNowMs + 10'000)) ==
        std::vector<std::string>{R"({"retCode":0,"retMsg":"OK","op":"auth","connId":"cts-sim-1"})"});
  CHECK(v.request(1, signer().ws_auth_frame(kNowMs + 10'000)).error->venue_code == "20001");
}

TEST_CASE("bybit trade stream: create, amend and cancel run as the REST endpoints, with the limit header") {
  Venue v;
  v.open_trade(1);
  const auto created =
      v.request(1, bybit::order_create_frame(bybit::Category::spot, spot_buy("t-1", "20000"_d), "r-1", kNowMs).value());
  CHECK(created.op == "order.create");
  CHECK(created.req_id == "r-1");
  CHECK(created.conn_id == "cts-sim-1");
  REQUIRE_FALSE(created.error.has_value());
  REQUIRE(created.ack.has_value());
  const sim::Order placed = v.only_open_order();
  CHECK(created.ack->order_id == std::to_string(placed.id));
  CHECK(created.ack->client_order_id == "t-1");
  CHECK(placed.price == "20000"_d);
  CHECK(placed.quantity == "0.5"_d);
  // The spot order window: 20 a second (BybitLimitConfig), one used.
  REQUIRE(created.limits.has_value());
  CHECK(created.limits->limit == 20);
  CHECK(created.limits->remaining == 19);

  const venue::OrderRef ref{"BTCUSDT", std::nullopt, "t-1"};
  const auto amended = v.request(
      1, bybit::order_amend_frame(bybit::Category::spot, {ref, std::nullopt, "20001"_d, std::nullopt}, "r-2", kNowMs)
             .value());
  REQUIRE_FALSE(amended.error.has_value());
  CHECK(amended.ack->order_id == std::to_string(placed.id));
  CHECK(v.only_open_order().price == "20001"_d);

  const auto cancelled = v.request(1, bybit::order_cancel_frame(bybit::Category::spot, ref, "r-3", kNowMs).value());
  REQUIRE_FALSE(cancelled.error.has_value());
  CHECK(cancelled.ack->order_id == std::to_string(placed.id));
  CHECK(v.engine.open_orders(v.account, "BTCUSDT").empty());
  const sim::Order* after = v.engine.find_order(v.account, "BTCUSDT", placed.id, {});
  REQUIRE(after != nullptr);
  CHECK(after->status == sim::OrderStatus::canceled);
}

TEST_CASE("bybit trade stream: an order placed over /v5/trade is pushed on /v5/private at once, with its orderLinkId") {
  Venue v;
  v.open_trade(1);
  REQUIRE(v.streams.open(2, "/v5/private", kNowMs));
  REQUIRE(v.send(2, signer().ws_auth_frame(kNowMs + 10'000)).size() == 1);
  REQUIRE(v.send(2, bybit::subscribe_frame(std::vector<std::string>{"order"}, "s")).size() == 1);
  (void)v.tick();
  REQUIRE_FALSE(
      v.request(1, bybit::order_create_frame(bybit::Category::spot, spot_buy("push-1", "20000"_d), "r-1", kNowMs).value())
          .error.has_value());
  // Right after the reply, as after a REST request: the order frame on the private stream.
  REQUIRE(v.pushed.size() == 1);
  CHECK(v.out[1].connection == 2);
  CHECK(v.tick().empty());
  auto event = bybit::parse_stream_event(v.pushed[0]);
  REQUIRE(event.has_value());
  const auto* orders = std::get_if<bybit::OrdersUpdate>(&*event);
  REQUIRE(orders != nullptr);
  REQUIRE(orders->orders.size() == 1);
  CHECK(orders->orders[0].client_order_id == "push-1");
  CHECK(orders->orders[0].status == venue::OrderStatus::new_);
}

TEST_CASE("bybit trade stream: batch ops answer per item in data.list and retExtInfo.list") {
  Venue v;
  v.open_trade(1);
  // The second item repeats the first's orderLinkId: 110072, as over REST.
  const std::vector<venue::NewOrder> orders{spot_buy("b-1", "20000"_d), spot_buy("b-1", "20001"_d),
                                            spot_buy("b-2", "20002"_d)};
  const auto created =
      v.request(1, bybit::order_create_batch_frame(bybit::Category::spot, orders, "rb-1", kNowMs).value());
  CHECK(created.op == "order.create-batch");
  REQUIRE_FALSE(created.error.has_value());
  REQUIRE(created.items.size() == 3);
  REQUIRE(created.items[0].has_value());
  CHECK(created.items[0]->client_order_id == "b-1");
  CHECK(created.items[1].error().venue_code == "110072");
  CHECK(created.items[1].error().code == ErrorCode::duplicate_client_order_id);
  REQUIRE(created.items[2].has_value());
  CHECK(v.engine.open_orders(v.account, "BTCUSDT").size() == 2);
  // The spot batch window: 20 orders a second, each item counted.
  CHECK(created.limits->limit == 20);
  CHECK(created.limits->remaining == 17);

  const std::vector<venue::OrderAmendment> amendments{
      {{"BTCUSDT", std::nullopt, "b-2"}, std::nullopt, "20003"_d, std::nullopt}};
  const auto amended =
      v.request(1, bybit::order_amend_batch_frame(bybit::Category::spot, amendments, "rb-2", kNowMs).value());
  REQUIRE(amended.items.size() == 1);
  CHECK(amended.items[0].has_value());

  const std::vector<venue::OrderRef> refs{{"BTCUSDT", std::nullopt, "b-1"}, {"BTCUSDT", std::string("999999"), ""}};
  const auto cancelled =
      v.request(1, bybit::order_cancel_batch_frame(bybit::Category::spot, refs, "rb-3", kNowMs).value());
  REQUIRE(cancelled.items.size() == 2);
  REQUIRE(cancelled.items[0].has_value());
  CHECK(cancelled.items[0]->client_order_id == "b-1");
  CHECK(cancelled.items[1].error().venue_code == "110001");
  const sim::Order left = v.only_open_order();
  CHECK(left.price == "20003"_d);
}

TEST_CASE("bybit trade stream: refusals answer guideline.mdx's and the REST front's codes and change nothing") {
  Venue v;
  v.open_trade(1);
  const auto code_of = [&](const std::string& frame) {
    const auto reply = v.request(1, frame);
    return reply.error ? reply.error->venue_code : std::string("0");
  };
  const venue::NewOrder order = spot_buy("x-1", "20000"_d);
  // Unknown order: 110001 (cancel-order.mdx's error, as over REST).
  CHECK(code_of(bybit::order_cancel_frame(bybit::Category::spot, {"BTCUSDT", std::string("424242"), ""}, "u-1", kNowMs)
                    .value()) == "110001");
  // A timestamp outside [now − 5000, now + 1000): 10002; no header: 10001.
  CHECK(code_of(bybit::order_create_frame(bybit::Category::spot, order, "t-1", kNowMs - 5001).value()) == "10002");
  CHECK(code_of(bybit::order_create_frame(bybit::Category::spot, order, "t-2", kNowMs + 1000).value()) == "10002");
  CHECK(code_of(R"({"reqId":"h-1","op":"order.create","args":[{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"1","price":"1"}]})") ==
        "10001");
  // Unknown op and category: 10404.
  CHECK(code_of(R"({"reqId":"o-1","op":"order.replace","header":{"X-BAPI-TIMESTAMP":"1700000000000"},"args":[{}]})") ==
        "10404");
  CHECK(code_of(R"({"reqId":"o-2","op":"order.create","header":{"X-BAPI-TIMESTAMP":"1700000000000"},"args":[{"category":"inverse","symbol":"BTCUSD","side":"Buy","orderType":"Limit","qty":"1","price":"1"}]})") ==
        "10404");
  // Malformed frames and arguments: 10001.
  CHECK(code_of(R"({"reqId":"m-1","op":"order.create","header":{"X-BAPI-TIMESTAMP":"1700000000000"},"args":[]})") ==
        "10001");
  CHECK(code_of(R"({"reqId":"m-2","op":"order.create","header":{"X-BAPI-TIMESTAMP":1700000000000},"args":[{}]})") ==
        "10001");
  const auto garbage = v.send(1, "{not json");
  REQUIRE(garbage.size() == 1);
  CHECK(garbage[0] == R"({"retCode":10001,"retMsg":"Params Error: not a JSON object","op":"","connId":"cts-sim-1"})");
  CHECK(v.engine.open_orders(v.account, "BTCUSDT").empty());

  // A repeated reqId: 20006, and the order is not placed twice.
  CHECK(code_of(bybit::order_create_frame(bybit::Category::spot, order, "d-1", kNowMs).value()) == "0");
  CHECK(code_of(bybit::order_create_frame(bybit::Category::spot, spot_buy("x-2", "20000"_d), "d-1", kNowMs).value()) ==
        "20006");
  CHECK(v.engine.open_orders(v.account, "BTCUSDT").size() == 1);
}

TEST_CASE("bybit trade stream: the order window is shared with REST; spent, it answers 10006 until the next second") {
  sim::BybitFrontConfig config;
  config.limits.order_per_second = 2;
  Venue v(config);
  v.open_trade(1);
  // One create over REST, signed as a client signs it...
  auto rest = bybit::create_order(bybit::Category::spot, spot_buy("w-1", "20000"_d));
  REQUIRE(rest.has_value());
  REQUIRE(signer().sign(rest->http,
                        sign::SigningContext{.now = from_unix_millis(kNowMs), .nonce = {}, .nonce_text = {}}));
  const HttpResponse over_rest = v.front.handle(rest->http, from_unix_millis(kNowMs)).response;
  CHECK(over_rest.header("X-Bapi-Limit-Status") == "1");
  // ...then one over the WebSocket takes the last of the 2, and the next is refused.
  const auto second =
      v.request(1, bybit::order_create_frame(bybit::Category::spot, spot_buy("w-2", "20000"_d), "r-1", kNowMs).value());
  REQUIRE_FALSE(second.error.has_value());
  CHECK(second.limits->remaining == 0);
  const auto third = v.request(
      1, bybit::order_create_frame(bybit::Category::spot, spot_buy("w-3", "20000"_d), "r-2", kNowMs + 10).value(),
      kNowMs + 10);
  REQUIRE(third.error.has_value());
  CHECK(third.error->venue_code == "10006");
  CHECK(third.error->code == ErrorCode::rate_limited);
  CHECK(third.limits->remaining == 0);
  CHECK(v.engine.open_orders(v.account, "BTCUSDT").size() == 2);
  const auto next_second = v.request(
      1, bybit::order_create_frame(bybit::Category::spot, spot_buy("w-3", "20000"_d), "r-3", kNowMs + 1000).value(),
      kNowMs + 1000);
  CHECK_FALSE(next_second.error.has_value());
}

TEST_CASE("bybit trade stream: the ws_lost_replies fault executes the next N order ops without answering them") {
  Venue v;
  v.open_trade(1);
  v.streams.set_faults(sim::FaultConfig::parse("ws_lost_replies=2").value());
  const venue::OrderRef lost_1{"BTCUSDT", std::nullopt, "lost-1"};
  CHECK(v.send(1, bybit::order_create_frame(bybit::Category::spot, spot_buy("lost-1", "20000"_d), "r-1", kNowMs)
                      .value())
            .empty());  // no reply, the connection kept
  CHECK(v.send(1, bybit::order_cancel_frame(bybit::Category::spot, lost_1, "r-2", kNowMs).value()).empty());
  CHECK(v.streams.stats().lost_replies == 2);
  // Both executed all the same: lost-1 placed, then cancelled.
  const sim::Order* placed = v.engine.find_order(v.account, "BTCUSDT", std::nullopt, "lost-1");
  REQUIRE(placed != nullptr);
  CHECK(placed->status == sim::OrderStatus::canceled);
  // Only the first two: the next op is answered on the same connection.
  const auto kept =
      v.request(1, bybit::order_create_frame(bybit::Category::spot, spot_buy("kept-3", "20000"_d), "r-3", kNowMs).value());
  REQUIRE(kept.ack.has_value());
  CHECK(kept.ack->client_order_id == "kept-3");
  CHECK(v.streams.stats().lost_replies == 2);
}
