// Tests of the simulator's Binance WebSocket API trading methods with a manual clock
// (BinanceStreams over BinanceFront, web-socket-api.md): order.place, order.status,
// openOrders.status, order.cancel and order.cancelReplace executed by the REST front's
// code, Binance's errors (-1022, -2011, -2013, -1003 / -1015 with status 429, 418), the
// request weight and order counts shared with REST, and session.logon with an Ed25519
// key (then requests without signature, userDataStream.subscribe). Requests are built
// and replies read by the cts connector (venue/binance/ws_api.hpp, spot_ws_orders.hpp).
#include <cts/sim/binance_streams.hpp>

#include <string>
#include <variant>
#include <vector>

#include <doctest/doctest.h>

#include <cts/sign/binance.hpp>
#include <cts/sign/ed25519.hpp>
#include <cts/sim/binance_front.hpp>
#include <cts/sim/simulator.hpp>
#include <cts/venue/binance/spot_streams.hpp>
#include <cts/venue/binance/spot_ws_orders.hpp>
#include <cts/venue/binance/streams.hpp>
#include <cts/venue/binance/ws_api.hpp>

using namespace cts;
using namespace cts::sim;
using namespace cts::literals;
namespace vb = cts::venue::binance;
namespace ws_api = cts::venue::binance::ws_api;

namespace {

constexpr std::string_view kKey = "api-key";
constexpr std::string_view kSecret = "api-secret";
constexpr std::int64_t kT0 = 1'700'000'000'000;
constexpr std::uint64_t kConnection = 7;
// RFC 8032 TEST 1 as PKCS#8: the Ed25519 key the account registers by its public key.
constexpr std::string_view kEd25519Pem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
    "-----END PRIVATE KEY-----\n";

SystemTime at(std::int64_t ms) { return from_unix_millis(ms); }

struct Api {
  MatchingEngine engine;
  BinanceFront front{engine};
  AccountId account = 0;
  std::unique_ptr<BinanceStreams> streams;
  std::vector<WsOutput> out;
  sign::BinanceHmacSigner hmac{VenueId::binance_spot, std::string(kKey), sign::Secret(kSecret)};
  sign::BinanceEd25519Signer ed25519{VenueId::binance_spot, "ed-key", sign::Ed25519Key::from_pem(kEd25519Pem).value()};

  Api() {
    for (const Instrument& in : default_instruments()) engine.add_symbol(in);
    account = engine.create_account();
    engine.deposit(account, "USDT", "100000"_d);
    engine.deposit(account, "BTC", "10"_d);
    front.add_credential(std::string(kKey), kSecret, account);
    front.add_ed25519_credential("ed-key", ed25519_public_key(), account);
    streams = std::make_unique<BinanceStreams>(engine, front, kT0);
    REQUIRE(streams->open(kConnection, "/ws-api/v3", kT0));
  }
  static std::array<std::uint8_t, 32> ed25519_public_key() {
    return sign::Ed25519Key::from_pem(kEd25519Pem).value().public_key();
  }
  // Sends `frame` and returns the one reply, read by the connector.
  ws_api::Reply send(const std::string& frame, std::int64_t now = kT0) {
    out.clear();
    streams->message(kConnection, frame, now, out);
    REQUIRE(out.size() == 1);
    auto reply = ws_api::parse_reply(out.front().text);
    REQUIRE_MESSAGE(reply, out.front().text);
    return std::move(*reply);
  }
  std::string signed_call(Result<ws_api::Call> call, std::string_view id, std::int64_t now = kT0) {
    REQUIRE(call);
    return ws_api::signed_frame(id, std::move(*call), hmac, at(now)).value();
  }
};

venue::NewOrder limit_buy(std::string client_id, std::string_view price = "50000") {
  venue::NewOrder order;
  order.symbol = "BTCUSDT";
  order.side = Side::buy;
  order.type = OrderType::limit;
  order.quantity = "0.1"_d;
  order.price = Decimal::parse(price).value();
  order.client_order_id = std::move(client_id);
  return order;
}

std::int64_t count_of(const ws_api::Reply& reply, std::string_view type, std::string_view interval) {
  for (const auto& usage : reply.rate_limits) {
    if (usage.type == type && usage.interval == interval) return usage.count;
  }
  FAIL("no rateLimits entry " << type << " " << interval);
  return -1;
}

}  // namespace

TEST_CASE("order.place, order.status, openOrders.status and order.cancel execute as REST does") {
  Api x;
  const auto placed_reply = x.send(x.signed_call(ws_api::place_order(limit_buy("ws-1")), "p1"));
  CHECK(placed_reply.id == "p1");
  const auto placed = ws_api::order_outcome(placed_reply, venue::Operation::mutation);
  REQUIRE_MESSAGE(placed, placed_reply.error);
  CHECK(placed->status == venue::OrderStatus::new_);
  CHECK(placed->client_order_id == "ws-1");
  CHECK(placed->price == "50000"_d);
  CHECK(x.engine.open_orders(x.account, "BTCUSDT").size() == 1);
  // Connecting cost 2, the order 1; the order counts as REST's do.
  CHECK(count_of(placed_reply, "REQUEST_WEIGHT", "MINUTE") == 3);
  CHECK(count_of(placed_reply, "ORDERS", "SECOND") == 1);
  CHECK(count_of(placed_reply, "ORDERS", "DAY") == 1);

  const auto status_reply = x.send(x.signed_call(ws_api::order_status({"BTCUSDT", std::nullopt, "ws-1"}), "s1"));
  const auto status = ws_api::order_outcome(status_reply, venue::Operation::read);
  REQUIRE(status);
  CHECK(status->order_id == placed->order_id);
  CHECK(count_of(status_reply, "REQUEST_WEIGHT", "MINUTE") == 7);  // order.status weighs 4

  const auto open = ws_api::orders_outcome(x.send(x.signed_call(ws_api::open_orders_status("BTCUSDT"), "o1")));
  REQUIRE(open);
  REQUIRE(open->size() == 1);
  CHECK(open->front().client_order_id == "ws-1");

  const auto cancelled = ws_api::order_outcome(
      x.send(x.signed_call(ws_api::cancel_order({"BTCUSDT", placed->order_id, ""}), "c1")), venue::Operation::mutation);
  REQUIRE(cancelled);
  CHECK(cancelled->status == venue::OrderStatus::canceled);
  CHECK(x.engine.open_orders(x.account, "BTCUSDT").empty());

  const auto again = ws_api::order_outcome(
      x.send(x.signed_call(ws_api::cancel_order({"BTCUSDT", std::nullopt, "nope"}), "c2")), venue::Operation::mutation);
  CHECK(again.error().code == ErrorCode::order_not_found);
  CHECK(again.error().venue_code == "-2011");
  const auto unknown = ws_api::order_outcome(
      x.send(x.signed_call(ws_api::order_status({"BTCUSDT", std::nullopt, "nope"}), "s2")), venue::Operation::read);
  CHECK(unknown.error().code == ErrorCode::order_not_found);
  CHECK(unknown.error().venue_code == "-2013");

  // The REST front's own checks: an unknown symbol, a bad side.
  venue::NewOrder bad = limit_buy("ws-2");
  bad.symbol = "DOGEUSDT";
  const auto invalid = x.send(x.signed_call(ws_api::place_order(bad), "p2"));
  CHECK(invalid.status == 400);
  CHECK(ws_api::order_outcome(invalid, venue::Operation::mutation).error().venue_code == "-1121");
}

TEST_CASE("a bad signature, an unknown key or a stale timestamp is refused and executes nothing") {
  Api x;
  const sign::BinanceHmacSigner wrong(VenueId::binance_spot, std::string(kKey), sign::Secret("other-secret"));
  auto call = ws_api::place_order(limit_buy("ws-1"));
  REQUIRE(call);
  const auto refused = x.send(ws_api::signed_frame("p1", *call, wrong, at(kT0)).value());
  CHECK(refused.status == 400);
  const auto error = ws_api::order_outcome(refused, venue::Operation::mutation);
  CHECK(error.error().code == ErrorCode::invalid_signature);
  CHECK(error.error().venue_code == "-1022");
  const sign::BinanceHmacSigner stranger(VenueId::binance_spot, "who", sign::Secret(kSecret));
  const auto unknown_key = x.send(ws_api::signed_frame("p2", *call, stranger, at(kT0)).value());
  CHECK(unknown_key.status == 401);
  CHECK(ws_api::order_outcome(unknown_key, venue::Operation::mutation).error().code == ErrorCode::auth_failed);
  const auto stale = x.send(ws_api::signed_frame("p3", *call, x.hmac, at(kT0 - 6000)).value());
  CHECK(ws_api::order_outcome(stale, venue::Operation::mutation).error().code == ErrorCode::timestamp_out_of_window);
  // Without a session, a request without apiKey and signature is refused.
  const auto unsigned_request = x.send(ws_api::session_frame("p4", *call, at(kT0)).value());
  CHECK(ws_api::order_outcome(unsigned_request, venue::Operation::mutation).error().venue_code == "-2014");
  CHECK(x.engine.open_orders(x.account, "BTCUSDT").empty());
}

TEST_CASE("request weight is REST's window: 429 -1003 once spent, then 418 banned") {
  Api x;
  x.front.config().limits.request_weight_per_minute = 10;
  x.front.config().limits.violations_before_ban = 1;
  // A REST request counts in the same window as the WebSocket API's.
  HttpRequest time{HttpMethod::get, "/api/v3/time", "", "", {}};
  CHECK(x.front.handle(time, at(kT0)).response.status == 200);
  const auto ping = x.send(R"({"id":1,"method":"ping"})");
  CHECK(ping.status == 200);
  CHECK(count_of(ping, "REQUEST_WEIGHT", "MINUTE") == 4);  // connect 2 + REST 1 + ping 1
  ws_api::Reply last;
  int sent = 0;
  do {
    last = x.send(x.signed_call(ws_api::order_status({"BTCUSDT", std::nullopt, "x"}), "s"));
    ++sent;
  } while (last.status != 429 && sent < 10);
  CHECK(sent == 2);  // 4 + 4 = 8, then 12 > 10
  const auto limited = ws_api::order_outcome(last, venue::Operation::read);
  CHECK(limited.error().code == ErrorCode::rate_limited);
  CHECK(limited.error().venue_code == "-1003");
  CHECK(last.error.find(R"("retryAfter":)") != std::string::npos);
  const auto banned = x.send(R"({"id":2,"method":"ping"})");
  CHECK(banned.status == 418);
  CHECK(x.front.handle(time, at(kT0)).response.status == 418);  // REST is banned too
}

TEST_CASE("order counts are REST's: the third order in 10 s is refused with 429 -1015") {
  Api x;
  x.front.config().limits.orders_per_10s = 2;
  for (const char* id : {"a", "b"}) {
    const auto ok = x.send(x.signed_call(ws_api::place_order(limit_buy(id)), id));
    REQUIRE_MESSAGE(ok.status == 200, ok.error);
  }
  const auto third = x.send(x.signed_call(ws_api::place_order(limit_buy("c")), "c"));
  CHECK(third.status == 429);
  const auto error = ws_api::order_outcome(third, venue::Operation::mutation);
  CHECK(error.error().code == ErrorCode::rate_limited);
  CHECK(error.error().venue_code == "-1015");
  CHECK(count_of(third, "ORDERS", "SECOND") == 3);
  CHECK(x.engine.open_orders(x.account, "BTCUSDT").size() == 2);
}

TEST_CASE("order.cancelReplace: both halves, STOP_ON_FAILURE and ALLOW_FAILURE") {
  Api x;
  REQUIRE(x.send(x.signed_call(ws_api::place_order(limit_buy("old")), "p")).status == 200);
  const auto replaced = ws_api::cancel_replace_outcome(
      x.send(x.signed_call(ws_api::cancel_replace({"BTCUSDT", std::nullopt, "old"}, limit_buy("new", "49000")), "r1")));
  REQUIRE(replaced);
  REQUIRE(replaced->cancel);
  CHECK(replaced->cancel->status == venue::OrderStatus::canceled);
  REQUIRE(replaced->placed);
  REQUIRE(*replaced->placed);
  CHECK((*replaced->placed)->client_order_id == "new");
  CHECK((*replaced->placed)->price == "49000"_d);

  const auto stopped_reply =
      x.send(x.signed_call(ws_api::cancel_replace({"BTCUSDT", std::nullopt, "gone"}, limit_buy("n2")), "r2"));
  CHECK(stopped_reply.status == 400);
  const auto stopped = ws_api::cancel_replace_outcome(stopped_reply);
  REQUIRE(stopped);
  CHECK(stopped->cancel.error().venue_code == "-2011");
  CHECK(!stopped->placed);

  const auto allowed_reply = x.send(x.signed_call(
      ws_api::cancel_replace({"BTCUSDT", std::nullopt, "gone"}, limit_buy("n3"), ws_api::CancelReplaceMode::allow_failure),
      "r3"));
  CHECK(allowed_reply.status == 409);
  const auto allowed = ws_api::cancel_replace_outcome(allowed_reply);
  REQUIRE(allowed);
  CHECK(!allowed->cancel);
  REQUIRE(allowed->placed);
  REQUIRE(*allowed->placed);
  CHECK((*allowed->placed)->client_order_id == "n3");
  CHECK(x.engine.open_orders(x.account, "BTCUSDT").size() == 2);  // "new" and "n3"
}

TEST_CASE("session.logon with an Ed25519 key: then no signature, and userDataStream.subscribe") {
  Api x;
  vb::SpotWsOrders orders(x.ed25519);
  orders.on_connected();
  const auto logon = orders.login(at(kT0));
  REQUIRE(logon);
  x.out.clear();
  x.streams->message(kConnection, logon->front(), kT0, x.out);
  REQUIRE(x.out.size() == 1);
  const auto logged_in = orders.on_message(x.out.front().text);
  REQUIRE_MESSAGE(logged_in, x.out.front().text);
  CHECK(std::holds_alternative<venue::WsOrderLoggedIn>(*logged_in));

  const auto status = ws_api::session_outcome(x.send(ws_api::session_status("st").value()));
  REQUIRE(status);
  CHECK(status->api_key == "ed-key");
  CHECK(status->authorized_since == kT0);
  CHECK(status->user_data_stream == false);

  const auto subscribed = x.send(ws_api::user_data_subscribe("u").value());
  REQUIRE_MESSAGE(subscribed.status == 200, subscribed.error);
  const auto request = orders.create_order(limit_buy("ed-1"), "p1", at(kT0));
  REQUIRE(request);
  CHECK(request->frame.find("signature") == std::string::npos);
  x.out.clear();
  x.streams->message(kConnection, request->frame, kT0, x.out);
  REQUIRE(x.out.size() == 1);
  const auto reply = orders.on_message(x.out.front().text);
  REQUIRE(reply);
  const auto& placed = std::get<venue::WsOrderReply>(*reply);
  REQUIRE_MESSAGE(placed.outcome, x.out.front().text);
  CHECK(placed.outcome->client_order_id == "ed-1");
  // The order's executionReport reaches the session's subscription.
  x.out.clear();
  x.streams->tick(kT0 + 1, x.out);
  REQUIRE(!x.out.empty());
  auto event = vb::parse_stream_event(x.out.front().text);
  REQUIRE_MESSAGE(event, x.out.front().text);
  CHECK(std::get<vb::OrderUpdate>(*event).order.client_order_id == "ed-1");

  const auto logout = ws_api::session_outcome(x.send(ws_api::session_logout("lo").value()));
  REQUIRE(logout);
  CHECK(!logout->api_key);
  auto call = ws_api::cancel_order({"BTCUSDT", std::nullopt, "ed-1"});
  REQUIRE(call);
  CHECK(x.send(ws_api::session_frame("c", *call, at(kT0)).value()).status == 401);  // -2014: no key any more
}

TEST_CASE("session.logon refuses an HMAC key and a bad Ed25519 signature; userDataStream.subscribe needs a session") {
  Api x;
  const auto no_session = x.send(ws_api::user_data_subscribe("u").value());
  CHECK(no_session.status == 400);
  CHECK(ws_api::reply_error(no_session, venue::Operation::read).venue_code == "-1002");
  const auto hmac_logon =
      x.send(ws_api::signed_frame("l1", ws_api::Call{"session.logon", {}, {}, 2, 0, venue::Operation::read}, x.hmac, at(kT0))
                 .value());
  CHECK(ws_api::reply_error(hmac_logon, venue::Operation::read).venue_code == "-1002");
  const sign::BinanceEd25519Signer other_key(
      VenueId::binance_spot, "ed-key",
      sign::Ed25519Key::from_seed(std::vector<std::uint8_t>(32, 7)).value());
  const auto forged = x.send(ws_api::session_logon("l2", other_key, at(kT0)).value());
  const auto error = ws_api::session_outcome(forged);
  CHECK(error.error().code == ErrorCode::invalid_signature);
  CHECK(!ws_api::session_outcome(x.send(ws_api::session_status("st").value()))->api_key);
}

TEST_CASE("the Ed25519 user data stream: SpotUserStream logs on, subscribes, then reads the account's events") {
  Api x;
  auto made = vb::SpotUserStream::make(x.ed25519);
  REQUIRE(made);
  auto& user = **made;
  const auto first = user.subscriptions(at(kT0));
  REQUIRE(first);
  REQUIRE(first->size() == 1);
  const auto deliver = [&](const std::string& frame) {
    x.out.clear();
    x.streams->message(kConnection, frame, kT0, x.out);
    REQUIRE(x.out.size() == 1);
    auto events = user.on_message(x.out.front().text);
    REQUIRE_MESSAGE(events, x.out.front().text);
    return std::move(*events);
  };
  const auto logged_on = deliver(first->front());
  REQUIRE(logged_on.size() == 1);
  CHECK(std::holds_alternative<venue::UserAuthenticated>(logged_on.front()));
  const auto then = user.after_authentication();
  REQUIRE(then.size() == 1);
  const auto subscribed = deliver(then.front());
  REQUIRE(subscribed.size() == 1);
  CHECK(std::get<venue::UserSubscribed>(subscribed.front()).subscription_id == 0);

  OrderRequest order;
  order.account = x.account;
  order.symbol = "BTCUSDT";
  order.side = Side::buy;
  order.type = SimOrderType::limit;
  order.quantity = "0.1"_d;
  order.price = "50000"_d;
  order.client_order_id = "uds-ed";
  REQUIRE(x.engine.place(order, kT0 + 1));
  x.out.clear();
  x.streams->tick(kT0 + 2, x.out);
  REQUIRE(x.out.size() == 2);
  const auto update = user.on_message(x.out[0].text);
  REQUIRE(update);
  REQUIRE(update->size() == 1);
  CHECK(std::get<venue::OrderUpdate>(update->front()).order.client_order_id == "uds-ed");
  const auto balances = user.on_message(x.out[1].text);
  REQUIRE(balances);
  CHECK(std::holds_alternative<venue::BalancesUpdate>(balances->front()));

  // A key the venue does not know: the logon's refusal is the stream's error.
  const sign::BinanceEd25519Signer stranger(VenueId::binance_spot, "nobody", sign::Ed25519Key::from_pem(kEd25519Pem).value());
  auto refused_stream = vb::SpotUserStream::make(stranger);
  REQUIRE(refused_stream);
  x.out.clear();
  x.streams->message(kConnection, (*refused_stream)->subscriptions(at(kT0))->front(), kT0, x.out);
  REQUIRE(x.out.size() == 1);
  const auto refused = (*refused_stream)->on_message(x.out.front().text);
  REQUIRE(!refused);
  CHECK(refused.error().code == ErrorCode::auth_failed);
}

TEST_CASE("the ws_lost_replies fault executes the next order request without answering it") {
  Api x;
  FaultConfig faults = FaultConfig::parse("ws_lost_replies=1").value();
  x.streams->set_faults(faults);
  x.out.clear();
  x.streams->message(kConnection, x.signed_call(ws_api::place_order(limit_buy("lost")), "p1"), kT0, x.out);
  CHECK(x.out.empty());
  CHECK(x.streams->stats().lost_replies == 1);
  CHECK(x.engine.open_orders(x.account, "BTCUSDT").size() == 1);  // executed all the same
  // Pings are not order requests, and the next order is answered.
  CHECK(x.send(R"({"id":1,"method":"ping"})").status == 200);
  CHECK(x.send(x.signed_call(ws_api::place_order(limit_buy("answered")), "p2")).status == 200);
}
