// Tests for cts/engine/user_stream.hpp: the signed subscribe request, replies and
// user-data events (hand-written as Binance documents them, see stream_harness.hpp)
// applied to an executor trading on the embedded simulator over loopback.
#include <cts/engine/user_stream.hpp>

#include <doctest/doctest.h>

#include <cts/venue/okx/stream_protocols.hpp>

#include "stream_harness.hpp"

using namespace cts;
using namespace cts::engine;
using namespace cts::literals;
using namespace cts_test;
using namespace std::chrono_literals;

namespace {

// The example credentials of binance-spot-api-docs web-socket-api.md ("SIGNED request
// example (HMAC)").
constexpr std::string_view kDocKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
constexpr std::string_view kDocSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

/// Connects `stream` and acknowledges its subscription.
void make_live(UserStream& stream, SteadyTime now) {
  REQUIRE(stream.on_event(ws_opened(1), now));
  REQUIRE(stream.on_event(ws_message(R"({"id":"cts-uds-1","status":200,"result":{"subscriptionId":0}})"), now));
  REQUIRE(stream.live());
}

std::uint64_t venue_order_id(const order::Order& order) { return std::stoull(order.venue_order_id().str()); }

}  // namespace

TEST_CASE("user stream: every connect gets a freshly signed userDataStream.subscribe.signature request") {
  sim::Simulator simulator(still_market());
  StreamHarness h(simulator, "uds-frame");
  const sign::BinanceHmacSigner signer(VenueId::binance_spot, std::string(kDocKey), sign::Secret(kDocSecret),
                                       std::int64_t{5000});
  std::int64_t wall_ms = 1645423376532;
  UserStreamOptions options;
  options.wall_clock = [&] { return from_unix_millis(wall_ms); };
  options.server_time_offset = [] { return std::chrono::milliseconds{5}; };
  UserStream stream(binance_user_stream(signer), *h.executor, options);

  // Signed text "apiKey=<key>&timestamp=1645423376537" (sorted, no recvWindow since the
  // timestamp is ours); HMAC-SHA256 computed independently (Python hmac module).
  const std::vector<std::string> first = stream.subscriptions();
  REQUIRE(first.size() == 1);
  CHECK(first[0] ==
        fmt::format(R"({{"id":"cts-uds-1","method":"userDataStream.subscribe.signature","params":{{"apiKey":"{}",)"
                    R"("timestamp":1645423376537,"signature":"fef5f7ade50d98f492ae115b0ad6ff9381eefcdeefc0f83974a1eaccb5cb37b9"}}}})",
                    kDocKey));
  CHECK(first[0].find(kDocSecret) == std::string::npos);

  wall_ms += 60'000;  // a reconnect a minute later: new id, new timestamp, new signature
  const std::vector<std::string> second = stream.subscriptions();
  REQUIRE(second.size() == 1);
  CHECK(second[0].find(R"("id":"cts-uds-2")") != std::string::npos);
  CHECK(second[0].find(R"("timestamp":1645423436537)") != std::string::npos);
  CHECK(second[0].find("fef5f7ade50d98f4") == std::string::npos);
}

TEST_CASE("user stream: Binance's protocol refuses a signer without WebSocket API signing, saying why") {
  sim::Simulator simulator(still_market());
  StreamHarness h(simulator, "uds-signer");
  struct OtherSigner final : sign::Signer {
    VenueId venue() const noexcept override { return VenueId::binance_spot; }
    sign::SignatureSlot signature_slot() const noexcept override { return {}; }
    Result<void> sign(HttpRequest&, const sign::SigningContext&) const override { return {}; }
  } other;
  const auto made = venue::binance::SpotUserStream::make(other);
  REQUIRE_FALSE(made);
  CHECK(made.error().code == ErrorCode::unsupported);
  CHECK(made.error().message.find("HMAC") != std::string::npos);
}

TEST_CASE("user stream: an error reply to the subscription surfaces as an auth failure") {
  sim::Simulator simulator(still_market());
  StreamHarness h(simulator, "uds-auth");
  UserStream stream(binance_user_stream(*h.signer), *h.executor);
  const SteadyTime now = RealClock{}.steady_now();
  REQUIRE(stream.on_event(ws_opened(1), now));
  // web-socket-api.md error format; -2015 "Invalid API-key, IP, or permissions for action."
  const Result<void> denied = stream.on_event(
      ws_message(R"({"id":"cts-uds-1","status":401,"error":{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}})"),
      now);
  REQUIRE_FALSE(denied);
  CHECK(denied.error().code == ErrorCode::auth_failed);
  CHECK(stream.stats().auth_failures == 1);
  CHECK(stream.stats().subscribe_errors == 1);
  REQUIRE(stream.last_error());
  CHECK(stream.last_error()->code == ErrorCode::auth_failed);
  CHECK_FALSE(stream.live());
  // -1022 "Signature for this request is not valid." is an auth failure too.
  const Result<void> bad_signature = stream.on_event(
      ws_message(R"({"id":"cts-uds-2","status":400,"error":{"code":-1022,"msg":"Signature for this request is not valid."}})"),
      now);
  REQUIRE_FALSE(bad_signature);
  CHECK(bad_signature.error().code == ErrorCode::invalid_signature);
  CHECK(stream.stats().auth_failures == 2);
  // Garbage is a protocol error, not an auth failure.
  CHECK_FALSE(stream.on_event(ws_message("{not json"), now));
  CHECK(stream.stats().parse_errors == 1);
  CHECK(stream.stats().auth_failures == 2);
}

TEST_CASE("user stream: every (re)subscription asks for a REST reconciliation, done only once live") {
  sim::Simulator simulator(still_market());
  StreamHarness h(simulator, "uds-reconcile");
  UserStream stream(binance_user_stream(*h.signer), *h.executor);
  const SteadyTime now = RealClock{}.steady_now();
  CHECK(stream.needs_reconcile());
  REQUIRE(stream.on_event(ws_opened(1), now));
  CHECK_FALSE(stream.reconciled());  // not subscribed yet: a sync now would not cover the gap
  REQUIRE(stream.on_event(ws_message(R"({"id":"cts-uds-1","status":200,"result":{"subscriptionId":0}})"), now));
  CHECK(stream.live());
  CHECK(stream.subscription_id() == 0);
  CHECK(stream.needs_reconcile());
  REQUIRE(h.executor->sync(now));
  CHECK(stream.reconciled());
  CHECK_FALSE(stream.needs_reconcile());

  REQUIRE(stream.on_event(ws_disconnected(1), now));
  CHECK_FALSE(stream.live());
  CHECK(stream.needs_reconcile());
  REQUIRE(stream.on_event(ws_opened(2), now));
  CHECK(stream.stats().reconnects == 1);
  REQUIRE(stream.on_event(ws_message(R"({"id":"cts-uds-2","status":200,"result":{"subscriptionId":1}})", 2), now));
  CHECK(stream.subscription_id() == 1);
  CHECK(stream.needs_reconcile());
  CHECK(stream.reconciled());

  // The venue ends the stream (user-data-stream.md "Event Stream Terminated").
  REQUIRE(stream.on_event(ws_message(R"({"subscriptionId":1,"event":{"e":"eventStreamTerminated","E":1728973001334}})", 2), now));
  CHECK(stream.terminated());
  CHECK_FALSE(stream.live());
  CHECK(stream.needs_reconcile());
}

TEST_CASE("user stream: a venue that subscribes only after its login reply gets the subscribe frame then, once") {
  sim::Simulator simulator(still_market());
  StreamHarness h(simulator, "uds-login-step");
  const sign::OkxSigner signer("okx-test-key", sign::Secret("okx-test-secret"), sign::Secret("okx-test-passphrase"));
  UserStream stream(std::make_unique<venue::okx::PrivateUserStream>(signer, venue::okx::InstType::spot), *h.executor);
  const SteadyTime now = RealClock{}.steady_now();
  const std::string subscribe =
      R"({"op":"subscribe","args":[{"channel":"orders","instType":"SPOT"},{"channel":"account"}]})";

  const std::vector<std::string> on_connect = stream.subscriptions();
  REQUIRE(on_connect.size() == 1);
  CHECK(on_connect[0].find(R"({"op":"login")") == 0);
  REQUIRE(stream.on_event(ws_opened(1), now));
  CHECK(stream.take_frames_to_send().empty());  // nothing before OKX's login reply
  REQUIRE(stream.on_event(ws_message(R"({"event":"login","code":"0","msg":"","connId":"a4d3ae55"})"), now));
  CHECK(stream.take_frames_to_send() == std::vector<std::string>{subscribe});
  CHECK(stream.take_frames_to_send().empty());  // handed over once
  CHECK_FALSE(stream.live());
  REQUIRE(stream.on_event(
      ws_message(R"({"event":"subscribe","arg":{"channel":"orders","instType":"SPOT"},"connId":"a4d3ae55"})"), now));
  CHECK(stream.live());

  // A login reply whose frames were not taken before the connection dropped: the next
  // connection logs in again, so nothing stale is sent on it.
  REQUIRE(stream.on_event(ws_message(R"({"event":"login","code":"0","msg":"","connId":"a4d3ae55"})"), now));
  REQUIRE(stream.on_event(ws_disconnected(1), now));
  REQUIRE(stream.on_event(ws_opened(2), now));
  CHECK(stream.take_frames_to_send().empty());
}

TEST_CASE("user stream: NEW accepts an order whose create reply was lost") {
  sim::Simulator simulator(still_market());
  StreamHarness h(simulator, "uds-new");
  const SteadyTime now = RealClock{}.steady_now();
  UserStream stream(binance_user_stream(*h.signer), *h.executor);
  make_live(stream, now);
  sim::FaultConfig faults;
  faults.drop_after_ppm = 1'000'000;
  simulator.set_faults(faults);
  const ClientOrderId id =
      h.executor->submit_limit(Side::buy, "0.001"_d, "9000"_d, TimeInForce::gtc, "10000"_d, now).value();
  simulator.set_faults(sim::FaultConfig{});
  REQUIRE(h.account.orders().find(id)->outcome_unknown());
  const auto at_venue = simulator.with_engine([&](sim::MatchingEngine& engine) {
    return engine.all_orders(simulator.account(), "BTCUSDT");
  });
  REQUIRE(at_venue.size() == 1);

  Execution x;
  x.client_id = id.str();
  x.quantity = "0.00100000";
  x.price = "9000.00000000";
  x.order_id = at_venue[0].id;
  REQUIRE(stream.on_event(ws_message(execution_report(x)), now));
  const order::Order* order = h.account.orders().find(id);
  CHECK(order->status() == order::OrderStatus::accepted);
  CHECK_FALSE(order->outcome_unknown());
  CHECK(venue_order_id(*order) == at_venue[0].id);
  CHECK(h.executor->stats().stream_updates == 1);
  // The same report again changes nothing.
  REQUIRE(stream.on_event(ws_message(execution_report(x)), now));
  CHECK(h.account.orders().find(id)->status() == order::OrderStatus::accepted);
}

TEST_CASE("user stream: partial and full TRADE reports apply each fill once, also when REST sync sees them") {
  sim::Simulator simulator(still_market());
  StreamHarness h(simulator, "uds-trades");
  const SteadyTime now = RealClock{}.steady_now();
  UserStream stream(binance_user_stream(*h.signer), *h.executor);
  make_live(stream, now);
  const ClientOrderId id =
      h.executor->submit_limit(Side::buy, "0.003"_d, "9000"_d, TimeInForce::gtc, "10000"_d, now).value();
  const std::uint64_t order_id = venue_order_id(*h.account.orders().find(id));

  counterparty(simulator, Side::sell, "0.001"_d, "9000"_d);
  counterparty(simulator, Side::sell, "0.002"_d, "9000"_d);
  const std::vector<sim::Fill> fills = venue_fills(simulator);
  REQUIRE(fills.size() == 2);
  // Maker fee 0.1 % of the received base asset, as the simulator charged it.
  Execution x;
  x.client_id = id.str();
  x.quantity = "0.00300000";
  x.price = "9000.00000000";
  x.order_id = order_id;
  x.execution = "TRADE";
  x.status = "PARTIALLY_FILLED";
  x.last_quantity = "0.00100000";
  x.cumulative = "0.00100000";
  x.last_price = "9000.00000000";
  x.commission = fills[0].commission.to_string();
  x.commission_asset = "BTC";
  x.trade_id = fills[0].trade_id;
  x.cumulative_quote = "9.00000000";
  REQUIRE(stream.on_event(ws_message(execution_report(x)), now));
  const order::Order* order = h.account.orders().find(id);
  CHECK(order->status() == order::OrderStatus::partially_filled);
  CHECK(order->filled() == "0.001"_d);
  CHECK(h.executor->stats().fills == 1);

  // REST reconciliation now sees both fills: only the second is new.
  REQUIRE(h.executor->sync(now));
  order = h.account.orders().find(id);
  CHECK(order->status() == order::OrderStatus::filled);
  CHECK(order->filled() == "0.003"_d);
  CHECK(h.executor->stats().fills == 2);

  // The stream's report of the second fill arrives afterwards: a duplicate, applied zero times.
  x.status = "FILLED";
  x.last_quantity = "0.00200000";
  x.cumulative = "0.00300000";
  x.commission = fills[1].commission.to_string();
  x.trade_id = fills[1].trade_id;
  x.cumulative_quote = "27.00000000";
  REQUIRE(stream.on_event(ws_message(execution_report(x)), now));
  order = h.account.orders().find(id);
  CHECK(order->filled() == "0.003"_d);
  CHECK(h.executor->stats().fills == 2);
  CHECK(h.executor->stats().orders_filled == 1);
  // And the first one replayed (a reconnect's overlap) as well.
  x.status = "PARTIALLY_FILLED";
  x.last_quantity = "0.00100000";
  x.cumulative = "0.00100000";
  x.commission = fills[0].commission.to_string();
  x.trade_id = fills[0].trade_id;
  REQUIRE(stream.on_event(ws_message(execution_report(x)), now));
  CHECK(h.account.orders().find(id)->filled() == "0.003"_d);
  CHECK(h.executor->stats().fills == 2);
  // Position: 0.003 bought minus the base-asset fees, as the venue's balance moved.
  const Decimal fees = fills[0].commission + fills[1].commission;
  CHECK(h.executor->position() == "0.003"_d - fees);
  const auto btc = simulator.with_engine([&](sim::MatchingEngine& e) { return e.balance(simulator.account(), "BTC"); });
  CHECK(btc.free + btc.locked == "10"_d + h.executor->position());
}

TEST_CASE("user stream: CANCELED closes the order; reports for orders not ours are ignored") {
  sim::Simulator simulator(still_market());
  StreamHarness h(simulator, "uds-cancel");
  const SteadyTime now = RealClock{}.steady_now();
  UserStream stream(binance_user_stream(*h.signer), *h.executor);
  make_live(stream, now);
  const ClientOrderId id =
      h.executor->submit_limit(Side::buy, "0.001"_d, "9000"_d, TimeInForce::gtc, "10000"_d, now).value();
  const std::uint64_t order_id = venue_order_id(*h.account.orders().find(id));
  // Cancelled outside the engine (another tool of the same account).
  REQUIRE(simulator.with_engine([&](sim::MatchingEngine& engine) {
    return engine.cancel(simulator.account(), "BTCUSDT", order_id, "", to_unix_millis(RealClock{}.system_now()));
  }));

  // An order of another client (a manual order) and our id on another symbol: ignored.
  Execution foreign;
  foreign.client_id = "web_8d5c4d1e0f9b4f2e";
  foreign.quantity = "1.00000000";
  foreign.price = "9500.00000000";
  foreign.order_id = order_id + 1000;
  REQUIRE(stream.on_event(ws_message(execution_report(foreign)), now));
  Execution other_symbol = foreign;
  other_symbol.symbol = "ETHUSDT";
  other_symbol.client_id = id.str();
  REQUIRE(stream.on_event(ws_message(execution_report(other_symbol)), now));
  CHECK(h.executor->stats().stream_ignored == 2);
  CHECK(h.account.orders().find(id)->status() == order::OrderStatus::accepted);

  // Spot cancels: "c" is the cancel request's id and "C" the cancelled order's own id.
  Execution x;
  x.client_id = "cancelFromWeb123";
  x.original_client_id = id.str();
  x.quantity = "0.00100000";
  x.price = "9000.00000000";
  x.order_id = order_id;
  x.execution = "CANCELED";
  x.status = "CANCELED";
  REQUIRE(stream.on_event(ws_message(execution_report(x)), now));
  CHECK(h.account.orders().find(id)->status() == order::OrderStatus::canceled);
  CHECK(h.executor->stats().orders_canceled == 1);
  CHECK(h.executor->open_orders().empty());
  // The REST sync afterwards agrees and changes nothing.
  REQUIRE(h.executor->sync(now));
  CHECK(h.executor->stats().orders_canceled == 1);
}

TEST_CASE("user stream: outboundAccountPosition keeps free and locked per asset, newest event wins") {
  sim::Simulator simulator(still_market());
  StreamHarness h(simulator, "uds-balances");
  const SteadyTime now = RealClock{}.steady_now();
  UserStream stream(binance_user_stream(*h.signer), *h.executor);
  make_live(stream, now);
  // user-data-stream.md "Account Update" example, then a newer and an older update.
  REQUIRE(stream.on_event(
      ws_message(R"({"subscriptionId":0,"event":{"e":"outboundAccountPosition","E":1564034571105,"u":1564034571073,)"
                 R"("B":[{"a":"ETH","f":"10000.000000","l":"0.000000"}]}})"),
      now));
  REQUIRE(stream.on_event(
      ws_message(R"({"subscriptionId":0,"event":{"e":"outboundAccountPosition","E":1564034572000,"u":1564034571990,)"
                 R"("B":[{"a":"ETH","f":"9990.5","l":"9.5"},{"a":"USDT","f":"12.25","l":"0"}]}})"),
      now));
  REQUIRE(stream.on_event(
      ws_message(R"({"subscriptionId":0,"event":{"e":"outboundAccountPosition","E":1564034571500,"u":1564034571400,)"
                 R"("B":[{"a":"ETH","f":"1","l":"1"}]}})"),
      now));
  REQUIRE(stream.balances().size() == 2);
  CHECK(stream.balances().at("ETH").free == "9990.5"_d);
  CHECK(stream.balances().at("ETH").locked == "9.5"_d);
  CHECK(stream.balances().at("ETH").event_time_ms == 1564034572000);
  CHECK(stream.balances().at("USDT").free == "12.25"_d);
  CHECK(stream.stats().account_updates == 3);
}
