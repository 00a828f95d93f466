// Tests for cts/sim/orangex_front.hpp and orangex_streams.hpp: the connector's
// orangex::PerpetualGateway (requests built by cts::venue::orangex, the token signed by
// cts::sign::OrangexSigner) against the front, in process, and raw calls for what the
// builders refuse to send. Expected values: error codes as the front's header lists them
// (Deribit's: 13004 invalid_credentials, 13009 unauthorized, 10004 order_not_found, 10009
// not_enough_funds, 11044 not_open_order, 10028 too_many_requests with HTTP 429, -32601
// method not found), BTC-USDT-PERPETUAL's rules (tick 0.1, step 0.001), amounts computed
// by hand in the comments (fee 0.1 % of price·amount).
#include <cts/sim/orangex_front.hpp>
#include <cts/sim/orangex_streams.hpp>

#include <string>
#include <variant>

#include <doctest/doctest.h>

#include <cts/sign/orangex.hpp>
#include <cts/venue/orangex/gateway.hpp>
#include <cts/venue/orangex/streams.hpp>
#include <cts/venue/orangex/user_stream.hpp>
#include <cts/venue/orangex/ws_orders.hpp>

#include "sim/raw_request.hpp"

using namespace cts;
using namespace cts::literals;
namespace orangex = cts::venue::orangex;

namespace {

constexpr std::int64_t kNowMs = 1'700'000'000'000;
const std::string kMarket = sim::market_key(InstrumentKind::linear_perpetual, "BTC-USDT-PERPETUAL");
constexpr std::string_view kSymbol = "BTC-USDT-PERPETUAL";

// The front over one account (100000 USDT) and a counterparty (10000000 USDT).
struct Venue {
  sim::MatchingEngine engine;
  sim::OrangexFront front;
  sim::AccountId account;
  sim::AccountId other;
  explicit Venue(sim::OrangexFrontConfig config = {}) : front(engine, std::move(config)) {
    for (const sim::MarketSpec& m : sim::default_orangex_markets()) engine.add_symbol(m.instrument, m.filters);
    account = engine.create_account();
    other = engine.create_account();
    engine.deposit(account, "USDT", "100000"_d);
    engine.deposit(other, "USDT", "10000000"_d);
    front.add_credential("ox-client", "ox-secret", account);
  }
  // A resting sell of the counterparty.
  void offer(Decimal price, Decimal amount) {
    sim::OrderRequest ask;
    ask.account = other;
    ask.symbol = kMarket;
    ask.side = Side::sell;
    ask.price = price;
    ask.quantity = amount;
    REQUIRE(engine.place(ask, kNowMs));
  }
};

// Sends through the front at `now`, signing private calls with the signer.
class FrontSender final : public venue::RequestSender {
 public:
  FrontSender(sim::OrangexFront& front, const sign::OrangexSigner& signer) : front_(front), signer_(signer) {}
  Result<HttpResponse> execute(const venue::Request& request) override {
    HttpRequest http = request.http;
    if (request.security == venue::Security::signed_) {
      if (auto ok = signer_.sign(http, {from_unix_millis(now_ms), {}, {}}); !ok) return ok.error();
    }
    ++sent;
    return front_.handle(http, from_unix_millis(now_ms)).response;
  }
  std::int64_t now_ms = kNowMs;
  int sent = 0;

 private:
  sim::OrangexFront& front_;
  const sign::OrangexSigner& signer_;
};

// A WebSocket reply as the parsers take it.
HttpResponse ws_reply(std::string text) {
  HttpResponse r;
  r.status = 200;
  r.body = std::move(text);
  return r;
}

venue::NewOrder buy(Decimal price, Decimal amount, std::string label) {
  venue::NewOrder order;
  order.symbol = std::string(kSymbol);
  order.side = Side::buy;
  order.price = price;
  order.quantity = amount;
  order.client_order_id = std::move(label);
  return order;
}

}  // namespace

TEST_CASE("orangex front: the connector logs in, trades, and reads its order, fills, balance and position") {
  Venue venue;
  const sign::OrangexSigner signer("ox-client", sign::Secret("ox-secret"));
  FrontSender sender(venue.front, signer);
  orangex::PerpetualGateway gateway(sender, &signer);

  const auto instrument = gateway.instrument(kSymbol);
  REQUIRE(instrument);
  CHECK(instrument->tick_size == "0.1"_d);
  CHECK(instrument->step_size == "0.001"_d);
  CHECK(instrument->kind == InstrumentKind::linear_perpetual);

  venue.offer("60000"_d, "0.5"_d);
  const auto best = gateway.book_ticker(kSymbol);
  REQUIRE(best);
  CHECK(best->ask_price == "60000"_d);
  CHECK(best->ask_quantity == "0.5"_d);

  // 0.01 at 60000 takes the offer: 600 USDT, fee 0.6.
  const auto taken = gateway.create_order(buy("60000"_d, "0.01"_d, "cts-1"));
  REQUIRE(taken);
  CHECK(taken->status == venue::OrderStatus::filled);
  CHECK(taken->executed_quantity == "0.01"_d);
  CHECK(taken->average_price == "60000"_d);
  CHECK(taken->client_order_id == "cts-1");
  REQUIRE(taken->fills.size() == 1);
  CHECK(taken->fills[0].commission == "0.6"_d);
  CHECK(taken->fills[0].commission_asset == "USDT");

  // A resting bid, found by label, then cancelled.
  const auto resting = gateway.create_order(buy("59000"_d, "0.02"_d, "cts-2"));
  REQUIRE(resting);
  CHECK(resting->status == venue::OrderStatus::new_);
  const auto by_label = gateway.query_order({std::string(kSymbol), std::nullopt, "cts-2"});
  REQUIRE(by_label);
  CHECK(by_label->order_id == resting->order_id);
  const auto open = gateway.open_orders(kSymbol);
  REQUIRE(open);
  CHECK(open->size() == 1);
  const auto cancelled = gateway.cancel_order({std::string(kSymbol), resting->order_id, "cts-2"});
  REQUIRE(cancelled);
  CHECK(cancelled->status == venue::OrderStatus::canceled);
  // Cancelling it again: 11044, answered by its final state.
  const auto again = gateway.cancel_order({std::string(kSymbol), resting->order_id, "cts-2"});
  REQUIRE(again);
  CHECK(again->status == venue::OrderStatus::canceled);

  const auto trades = gateway.order_trades(kSymbol, taken->order_id);
  REQUIRE(trades);
  REQUIRE(trades->size() == 1);
  CHECK(trades->at(0).quantity == "0.01"_d);
  CHECK_FALSE(trades->at(0).maker);
  const auto recent = gateway.recent_trades(kSymbol, 10);
  REQUIRE(recent);
  CHECK(recent->size() == 1);

  const auto positions = gateway.positions(kSymbol);
  REQUIRE(positions);
  REQUIRE(positions->size() == 1);
  CHECK(positions->at(0).quantity == "0.01"_d);
  CHECK(positions->at(0).entry_price == "60000"_d);

  const auto balances = gateway.balances();
  REQUIRE(balances);
  REQUIRE(balances->size() == 1);
  CHECK(balances->at(0).asset == "USDT");
  // Free + locked: 100000 less the fee (0.6); margin is held, not spent.
  CHECK(balances->at(0).free + balances->at(0).locked == "99999.4"_d);

  const auto none = gateway.query_order({std::string(kSymbol), std::string("999999"), ""});
  REQUIRE(!none);
  CHECK(none.error().code == ErrorCode::order_not_found);
  CHECK(venue.front.stats().auth_rejected == 0);
}

TEST_CASE("orangex front: an expired token is refused with 13009 and the gateway logs in again") {
  sim::OrangexFrontConfig config;
  config.token_lifetime_s = 100;
  Venue venue(config);
  const sign::OrangexSigner signer("ox-client", sign::Secret("ox-secret"));
  FrontSender sender(venue.front, signer);
  // The gateway's clock does not move: only the venue's token expires.
  orangex::PerpetualGateway gateway(sender, &signer, orangex::GatewayOptions{[] { return std::chrono::steady_clock::time_point{}; }});
  REQUIRE(gateway.open_orders(kSymbol));
  sender.now_ms += 101'000;
  const int before = sender.sent;
  REQUIRE(gateway.open_orders(kSymbol));
  // The refused call, get_time, auth, the call again.
  CHECK(sender.sent - before == 4);
  CHECK(venue.front.stats().auth_rejected == 1);
}

TEST_CASE("orangex front: bad credentials, a stale timestamp, the rate limit and unknown methods") {
  Venue venue(sim::OrangexFrontConfig{2, 900, {}});
  const sign::OrangexSigner wrong("ox-client", sign::Secret("not-the-secret"));
  const auto refused = orangex::parse_auth(
      venue.front.handle(orangex::auth_request(1, wrong.auth_params({from_unix_millis(kNowMs), {}, "n1"})).http,
                         from_unix_millis(kNowMs)).response,
      1);
  REQUIRE(!refused);
  CHECK(refused.error().code == ErrorCode::auth_failed);
  CHECK(refused.error().venue_code == "13004");

  const sign::OrangexSigner signer("ox-client", sign::Secret("ox-secret"));
  const auto stale = orangex::parse_auth(
      venue.front.handle(orangex::auth_request(2, signer.auth_params({from_unix_millis(kNowMs - 61'000), {}, "n2"})).http,
                         from_unix_millis(kNowMs)).response,
      2);
  REQUIRE(!stale);
  CHECK(stale.error().venue_code == "13004");

  // No token: 13009.
  const auto anonymous = orangex::parse_orders(
      venue.front.handle(orangex::open_orders_request(3, kSymbol)->http, from_unix_millis(kNowMs)).response, 3);
  REQUIRE(!anonymous);
  CHECK(anonymous.error().venue_code == "13009");

  // Two private calls a second, then 10028 with HTTP 429.
  FrontSender sender(venue.front, signer);
  orangex::PerpetualGateway gateway(sender, &signer);
  REQUIRE(gateway.open_orders(kSymbol));
  REQUIRE(gateway.open_orders(kSymbol));
  const auto limited = gateway.open_orders(kSymbol);
  REQUIRE(!limited);
  CHECK(limited.error().code == ErrorCode::rate_limited);

  const auto unknown = venue.front.handle(
      test::raw_request(HttpMethod::post, "/api/v1/public/nothing",
                        R"({"jsonrpc":"2.0","id":9,"method":"/public/nothing","params":{}})")
          .http,
      from_unix_millis(kNowMs));
  CHECK(unknown.response.status == 404);
  CHECK(unknown.response.body.find(R"("code":-32601)") != std::string::npos);
  const auto garbage = venue.front.handle(test::raw_request(HttpMethod::post, "/api/v1/public/auth", "{").http,
                                          from_unix_millis(kNowMs));
  CHECK(garbage.response.body.find(R"("code":-32600)") != std::string::npos);
}

TEST_CASE("orangex front: the SDK's GET of the order book") {
  Venue venue;
  venue.offer("60000.5"_d, "1.2"_d);
  const auto reply = venue.front.handle(
      test::raw_request(HttpMethod::get, "/api/v1/public/get_order_book",
                        "instrument_name=BTC-USDT-PERPETUAL&depth=20")
          .http,
      from_unix_millis(kNowMs));
  CHECK(reply.response.status == 200);
  CHECK(reply.response.body.find(R"("asks":[[60000.5,1.2]])") != std::string::npos);
  CHECK(reply.response.body.find(R"("id":null)") != std::string::npos);
}

TEST_CASE("orangex streams: PING is answered PONG; calls run on the connection's session") {
  Venue venue;
  sim::OrangexStreams streams(venue.engine, venue.front);
  CHECK_FALSE(streams.open(1, "/ws/v5/public", kNowMs));
  REQUIRE(streams.open(2, "/ws/api/v1", kNowMs));
  std::vector<sim::WsOutput> out;
  streams.message(2, "PING", kNowMs, out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].text == "PONG");
  out.clear();
  streams.message(2, orangex::open_orders_request(1, kSymbol)->http.body, kNowMs, out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].text.find(R"("code":13009)") != std::string::npos);
  const sign::OrangexSigner signer("ox-client", sign::Secret("ox-secret"));
  out.clear();
  streams.message(2, orangex::auth_request(2, signer.auth_params({from_unix_millis(kNowMs), {}, "n"})).http.body, kNowMs,
                  out);
  REQUIRE(out.size() == 1);
  REQUIRE(orangex::parse_auth(ws_reply(out[0].text), 2));
  out.clear();
  streams.message(2, orangex::open_orders_request(3, kSymbol)->http.body, kNowMs, out);
  REQUIRE(out.size() == 1);
  CHECK(orangex::parse_orders(ws_reply(out[0].text), 3).value().empty());
}

TEST_CASE("orangex streams: the book channel's pushes build the connector's book on the REST snapshot") {
  Venue venue;
  sim::OrangexStreams streams(venue.engine, venue.front);
  REQUIRE(streams.open(1, "/ws/api/v1", kNowMs));
  orangex::PublicMarketStream stream(std::string{kSymbol});
  std::vector<sim::WsOutput> out;
  streams.message(1, stream.subscriptions().at(0), kNowMs, out);
  REQUIRE(out.size() == 1);
  CHECK(stream.on_message(out[0].text).value() == venue::MarketChange::subscribed);
  out.clear();
  venue.offer("30000"_d, "0.5"_d);
  streams.tick(kNowMs, out);
  REQUIRE(out.size() == 1);
  CHECK(stream.on_message(out[0].text).value() == venue::MarketChange::waiting);
  out.clear();
  streams.message(1, orangex::order_book_request(7, kSymbol, 20)->http.body, kNowMs, out);
  REQUIRE(out.size() == 1);
  const auto snapshot = orangex::parse_order_book(ws_reply(out[0].text), 7);
  REQUIRE(snapshot);
  CHECK(snapshot->last_update_id == 1);  // the one book event pushed
  CHECK(stream.on_snapshot(*snapshot).value() == venue::MarketChange::book);
  out.clear();
  venue.offer("30001"_d, "0.25"_d);
  venue.offer("30000"_d, "0.5"_d);
  streams.tick(kNowMs, out);
  REQUIRE(out.size() == 1);
  CHECK(stream.on_message(out[0].text).value() == venue::MarketChange::book);
  // Asks: 30000 x (0.5 + 0.5), 30001 x 0.25.
  REQUIRE(stream.book().depth(Side::sell) == 2);
  CHECK(stream.book().level(Side::sell, 0) == venue::PriceLevel{"30000"_d, "1"_d});
  CHECK(stream.book().level(Side::sell, 1) == venue::PriceLevel{"30001"_d, "0.25"_d});
  CHECK(stream.book().last_update_id() == 2);
}

TEST_CASE("orangex streams: the private channels feed the connector's user stream after /public/auth") {
  Venue venue;
  sim::OrangexStreams streams(venue.engine, venue.front);
  REQUIRE(streams.open(1, "/ws/api/v1", kNowMs));
  const sign::OrangexSigner signer("ox-client", sign::Secret("ox-secret"));
  orangex::PrivateUserStream stream(signer);
  stream.follow_symbol(kSymbol);
  std::vector<sim::WsOutput> out;
  // Subscribing before the login is refused.
  streams.message(1, stream.after_authentication().at(0), kNowMs, out);
  REQUIRE(out.size() == 1);
  const auto refused = stream.on_message(out[0].text);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().venue_code == "13009");
  out.clear();
  streams.message(1, stream.subscriptions(from_unix_millis(kNowMs)).value().at(0), kNowMs, out);
  REQUIRE(out.size() == 1);
  auto authenticated = stream.on_message(out[0].text).value();
  REQUIRE(authenticated.size() == 1);
  CHECK(std::holds_alternative<venue::UserAuthenticated>(authenticated[0]));
  out.clear();
  streams.message(1, stream.after_authentication().at(0), kNowMs, out);
  REQUIRE(out.size() == 1);
  auto subscribed = stream.on_message(out[0].text).value();
  REQUIRE(subscribed.size() == 1);
  CHECK(std::holds_alternative<venue::UserSubscribed>(subscribed[0]));

  // A resting buy of 0.01 at 30000, then the counterparty's sell of 0.004 fills part of it.
  out.clear();
  streams.message(1, orangex::new_order_request(5, buy("30000"_d, "0.01"_d, "cts-ws-1"))->http.body, kNowMs, out);
  REQUIRE(out.size() == 1);  // the call's reply
  out.clear();
  streams.tick(kNowMs, out);
  std::vector<venue::UserEvent> events;
  for (const sim::WsOutput& frame : out) {
    auto read = stream.on_message(frame.text);
    REQUIRE(read);
    for (venue::UserEvent& event : *read) events.push_back(std::move(event));
  }
  venue.offer("30000"_d, "0.004"_d);
  out.clear();
  streams.tick(kNowMs + 1, out);
  for (const sim::WsOutput& frame : out) {
    auto read = stream.on_message(frame.text);
    REQUIRE(read);
    for (venue::UserEvent& event : *read) events.push_back(std::move(event));
  }
  std::vector<venue::OrderUpdate> updates;
  std::vector<venue::BalancesUpdate> balances;
  for (venue::UserEvent& event : events) {
    if (auto* update = std::get_if<venue::OrderUpdate>(&event)) updates.push_back(*update);
    if (auto* balance = std::get_if<venue::BalancesUpdate>(&event)) balances.push_back(*balance);
  }
  // Accepted (open, nothing filled); the fill joined to that state; then partly filled.
  REQUIRE(updates.size() == 3);
  CHECK(updates[0].order.client_order_id == "cts-ws-1");
  CHECK(updates[0].order.status == venue::OrderStatus::new_);
  CHECK_FALSE(updates[0].last_fill);
  REQUIRE(updates[1].last_fill);
  CHECK(updates[1].order.client_order_id == "cts-ws-1");
  CHECK(updates[1].last_fill->price == "30000"_d);
  CHECK(updates[1].last_fill->quantity == "0.004"_d);
  CHECK(updates[1].last_fill->commission_asset == "USDT");
  CHECK(updates[2].order.status == venue::OrderStatus::partially_filled);
  CHECK(updates[2].order.executed_quantity == "0.004"_d);
  // The account summary after each change, as REST reads it.
  REQUIRE_FALSE(balances.empty());
  REQUIRE(balances.back().balances.size() == 1);
  CHECK(balances.back().balances[0].asset == "USDT");
  out.clear();
  streams.message(1, orangex::account_summary_request(9, "USDT")->http.body, kNowMs + 1, out);
  REQUIRE(out.size() == 1);
  const auto summary = orangex::parse_account_summary(ws_reply(out[0].text), 9);
  REQUIRE(summary);
  CHECK(balances.back().balances[0] == *summary);
}

TEST_CASE("orangex front: lost_order_replies drops the replies to executed order calls, never to reads") {
  sim::OrangexFrontConfig config;
  config.faults = sim::FaultConfig::parse("lost_order_replies=2").value();
  Venue venue(config);
  const sign::OrangexSigner signer("ox-client", sign::Secret("ox-secret"));
  FrontSender sender(venue.front, signer);
  orangex::PerpetualGateway gateway(sender, &signer);
  // The login and the reads are answered; the first two order calls are executed unanswered.
  REQUIRE(gateway.open_orders(kSymbol));
  const auto send_order = [&](std::int64_t id, std::string label) {
    auto request = orangex::new_order_request(id, buy("59000"_d, "0.01"_d, std::move(label)));
    REQUIRE(request);
    REQUIRE(signer.sign(request->http, {from_unix_millis(kNowMs), {}, {}}));
    return venue.front.handle(request->http, from_unix_millis(kNowMs));
  };
  CHECK(send_order(50, "cts-lost-1").action == net::ReplyAction::drop);
  CHECK(send_order(51, "cts-lost-2").action == net::ReplyAction::drop);
  CHECK(send_order(52, "cts-kept-3").action == net::ReplyAction::respond);
  CHECK(venue.front.stats().faults == 2);
  // All three orders were placed: the lost replies' orders are found by their labels.
  const auto open = gateway.open_orders(kSymbol);
  REQUIRE(open);
  CHECK(open->size() == 3);
  venue::OrderRef lost;
  lost.symbol = std::string(kSymbol);
  lost.client_order_id = "cts-lost-1";
  const auto found = gateway.query_order(lost);
  REQUIRE(found);
  CHECK(found->status == venue::OrderStatus::new_);
}

TEST_CASE("orangex streams: the connector's WebSocket order entry logs in, buys, is refused and cancels") {
  Venue venue;
  venue.offer("60000"_d, "0.004"_d);
  sim::OrangexStreams streams(venue.engine, venue.front);
  REQUIRE(streams.open(1, "/ws/api/v1", kNowMs));
  const sign::OrangexSigner signer("ox-client", sign::Secret("ox-secret"));
  orangex::PrivateStreamOrders orders(signer);
  std::vector<sim::WsOutput> out;
  // One frame to the side, its one answer back through the protocol.
  const auto exchange = [&](const std::string& frame) {
    out.clear();
    streams.message(1, frame, kNowMs, out);
    REQUIRE(out.size() == 1);
    auto event = orders.on_message(out[0].text);
    REQUIRE(event);
    return *event;
  };
  // Before the login a private call is refused 13009.
  const auto early = orders.create_order(buy("60000"_d, "0.01"_d, "cts-early"), "0", from_unix_millis(kNowMs));
  REQUIRE(early);
  const auto unauthorized = exchange(early->frame);
  REQUIRE(std::holds_alternative<venue::WsOrderReply>(unauthorized));
  CHECK(std::get<venue::WsOrderReply>(unauthorized).outcome.error().code == ErrorCode::auth_failed);

  orders.on_connected();
  const auto login = orders.login(from_unix_millis(kNowMs));
  REQUIRE(login);
  REQUIRE(login->size() == 1);
  CHECK(std::holds_alternative<venue::WsOrderLoggedIn>(exchange(login->front())));

  // 0.01 at 60000 takes the 0.004 offered and rests 0.006.
  const auto placed = orders.create_order(buy("60000"_d, "0.01"_d, "cts-ws-1"), "1", from_unix_millis(kNowMs));
  REQUIRE(placed);
  const auto bought = exchange(placed->frame);
  REQUIRE(std::holds_alternative<venue::WsOrderReply>(bought));
  const auto& report = std::get<venue::WsOrderReply>(bought);
  CHECK(report.id == "1");
  REQUIRE(report.outcome);
  CHECK(report.outcome->client_order_id == "cts-ws-1");
  CHECK(report.outcome->status == venue::OrderStatus::partially_filled);
  CHECK(report.outcome->executed_quantity == "0.004"_d);
  REQUIRE(report.outcome->fills.size() == 1);
  CHECK(report.outcome->fills[0].price == "60000"_d);

  // A label already open is refused, as over REST.
  const auto again = orders.create_order(buy("59000"_d, "0.01"_d, "cts-ws-1"), "2", from_unix_millis(kNowMs));
  REQUIRE(again);
  const auto duplicate = exchange(again->frame);
  CHECK(std::get<venue::WsOrderReply>(duplicate).outcome.error().code == ErrorCode::duplicate_client_order_id);

  const venue::OrderRef ref{std::string(kSymbol), report.outcome->order_id, "cts-ws-1"};
  const auto cancel = orders.cancel_order(ref, "3", from_unix_millis(kNowMs));
  REQUIRE(cancel);
  const auto cancelled = exchange(cancel->frame);
  const auto& cancel_report = std::get<venue::WsOrderReply>(cancelled);
  CHECK(cancel_report.id == "3");
  REQUIRE(cancel_report.outcome);
  CHECK(cancel_report.outcome->status == venue::OrderStatus::canceled);
  CHECK(cancel_report.outcome->executed_quantity == "0.004"_d);
  // Cancelled again: 11044 not_open_order, the order final.
  const auto twice = orders.cancel_order(ref, "4", from_unix_millis(kNowMs));
  REQUIRE(twice);
  CHECK(std::get<venue::WsOrderReply>(exchange(twice->frame)).outcome.error().code == ErrorCode::rejected);
}

TEST_CASE("orangex streams: lost_order_replies executes a WebSocket order call and drops its connection") {
  sim::OrangexFrontConfig config;
  config.faults = sim::FaultConfig::parse("lost_order_replies=1").value();
  Venue venue(config);
  sim::OrangexStreams streams(venue.engine, venue.front);
  REQUIRE(streams.open(1, "/ws/api/v1", kNowMs));
  const sign::OrangexSigner signer("ox-client", sign::Secret("ox-secret"));
  orangex::PrivateStreamOrders orders(signer);
  std::vector<sim::WsOutput> out;
  streams.message(1, orders.login(from_unix_millis(kNowMs)).value().front(), kNowMs, out);
  REQUIRE(out.size() == 1);
  REQUIRE(orders.on_message(out[0].text));
  out.clear();
  // A read is answered; the order call executes and its connection ends unanswered.
  streams.message(1, orangex::open_orders_request(90, kSymbol)->http.body, kNowMs, out);
  REQUIRE(out.size() == 1);
  out.clear();
  streams.message(1, orders.create_order(buy("59000"_d, "0.01"_d, "cts-lost-ws"), "1", from_unix_millis(kNowMs))->frame,
                  kNowMs, out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].drop);
  CHECK(out[0].text.empty());
  CHECK(streams.stats().lost_replies == 1);
  CHECK(venue.front.stats().faults == 1);
  CHECK(streams.connections().empty());
  // The order is at the venue, found by its label.
  FrontSender sender(venue.front, signer);
  orangex::PerpetualGateway gateway(sender, &signer);
  venue::OrderRef lost;
  lost.symbol = std::string(kSymbol);
  lost.client_order_id = "cts-lost-ws";
  const auto found = gateway.query_order(lost);
  REQUIRE(found);
  CHECK(found->status == venue::OrderStatus::new_);
}
