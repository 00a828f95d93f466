// Tests for cts/sim/bingx_front.hpp, sans I/O: the registry's bingx::SwapGateway and
// bingx::SpotGateway (requests
// built by cts::venue::bingx, signed by cts::sign::BingxSigner, replies read by its
// parsers) over a BingxFront. Expected values: error codes and messages from BingX's docs
// v3 common error codes (100001 signature, 100413 API key, 100421 timestamp, 100410 rate
// limit, 80016 order does not exist, 101215 post-only, 109400 one-way positionSide);
// BTC-USDT's rules as the docs' contracts example lists them (pricePrecision 1,
// quantityPrecision 4, tradeMinQuantity 0.0001, tradeMinUSDT 2); amounts computed by hand
// in the comments (fee 0.1 % of price·quantity, the engine's default).
#include <cts/sim/bingx_front.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cts/sign/bingx.hpp>
#include <cts/sim/bingx_streams.hpp>
#include <cts/sign/secret.hpp>
#include <cts/venue/bingx/gateway.hpp>
#include <cts/venue/bingx/rate_limit.hpp>
#include <cts/venue/bingx/requests.hpp>
#include <cts/venue/bingx/spot_gateway.hpp>
#include <cts/venue/bingx/spot_replies.hpp>
#include <cts/venue/bingx/spot_requests.hpp>
#include <cts/venue/bingx/spot_user_stream.hpp>
#include <cts/venue/bingx/user_stream.hpp>

#include "sim/open_client_ids.hpp"

using namespace cts;
using namespace cts::literals;
namespace bingx = cts::venue::bingx;

namespace {

constexpr std::string_view kKey = "bingx-key";
constexpr std::string_view kSecret = "bingx-secret";
constexpr std::int64_t kNowMs = 1'700'000'000'000;
const std::string kMarket = sim::market_key(InstrumentKind::linear_perpetual, "BTC-USDT");
const std::string kSpotMarket = sim::market_key(InstrumentKind::spot, "BTC-USDT");

// BingX's markets behind a BingX front; our account holds 100000 USDT, the counterparty
// 10000000 USDT. The sender signs as `secret` at `now_ms` and the front receives then.
struct BingxVenue final : venue::RequestSender {
  sim::MatchingEngine engine;
  sim::BingxFront front;
  sim::AccountId account;
  sim::AccountId other;
  std::string secret{kSecret};
  std::int64_t now_ms = kNowMs;
  std::int64_t signed_offset_ms = 0;
  HttpResponse last;
  net::ReplyAction last_action = net::ReplyAction::respond;  // drop: the client would not have heard `last`

  explicit BingxVenue(sim::BingxFrontConfig config = {}) : front(engine, std::move(config)) {
    for (const sim::MarketSpec& m : sim::default_bingx_markets()) engine.add_symbol(m.instrument, m.filters);
    account = engine.create_account();
    other = engine.create_account();
    engine.deposit(account, "USDT", "100000"_d);
    engine.deposit(other, "USDT", "10000000"_d);
    engine.deposit(other, "BTC", "100"_d);
    front.add_credential(std::string(kKey), kSecret, account);
  }

  Result<HttpResponse> execute(const venue::Request& request) override {
    HttpRequest http = request.http;
    if (request.security == venue::Security::signed_) {
      const sign::BingxSigner signer{std::string(kKey), sign::Secret{secret}};
      REQUIRE(signer.sign(http, sign::SigningContext{.now = from_unix_millis(now_ms + signed_offset_ms),
                                                     .nonce = {},
                                                     .nonce_text = {}}));
    } else if (request.security == venue::Security::api_key) {
      http.set_header("X-BX-APIKEY", kKey);
    }
    net::ServerReply reply = front.handle(http, from_unix_millis(now_ms));
    last_action = reply.action;
    last = std::move(reply.response);
    return last;
  }

  // The counterparty rests `quantity` at `price` on `side` in `market`.
  void rest(Side side, Decimal price, Decimal quantity, const std::string& market = kMarket) {
    sim::OrderRequest order;
    order.account = other;
    order.symbol = market;
    order.side = side;
    order.price = price;
    order.quantity = quantity;
    REQUIRE(engine.place(order, now_ms));
  }
};

venue::NewOrder limit_order(Side side, Decimal price, Decimal quantity, std::string client_id) {
  venue::NewOrder order;
  order.symbol = "BTC-USDT";
  order.side = side;
  order.type = OrderType::limit;
  order.price = price;
  order.quantity = quantity;
  order.client_order_id = std::move(client_id);
  return order;
}

// Arms `gateway`'s cancelAllAfter for 10 s, refreshes it 9 s later and checks that our
// order `ref` outlives the first deadline; then lets the second run out: our orders on
// `market` are cancelled with no request needed, the counterparty's stay.
template <class MarketGateway>
void check_switch_countdown(BingxVenue& venue, MarketGateway& gateway, const venue::OrderRef& ref,
                            const std::string& market) {
  const std::int64_t armed_ms = venue.now_ms;
  const auto armed = gateway.cancel_all_after(10).value();
  CHECK(armed.status == bingx::CancelAllAfterStatus::activated);
  CHECK(armed.trigger_time_s == armed_ms / 1000 + 10);

  // Refreshed 9 s later: the first deadline (10 s) passes with the order still working.
  venue.now_ms += 9'000;
  CHECK(gateway.cancel_all_after(10).value().trigger_time_s == (armed_ms + 9'000) / 1000 + 10);
  venue.now_ms += 9'000;  // 18 s: past the first deadline, before the second (19 s)
  venue.front.advance(from_unix_millis(venue.now_ms));
  CHECK(gateway.query_order(ref).value().status == venue::OrderStatus::new_);

  // No refresh: past the second deadline the switch cancels, with no request needed.
  venue.now_ms += 1'500;
  venue.front.advance(from_unix_millis(venue.now_ms));
  CHECK(venue.engine.open_orders(venue.account, market).empty());
  CHECK(gateway.query_order(ref).value().status == venue::OrderStatus::canceled);
  CHECK(venue.engine.open_orders(venue.other, market).size() == 1);
}

// Cancel order `order_id` of BTC-USDT and buy 0.01 at `price` as `client_id` instead.
bingx::CancelReplace replace_with(std::optional<std::string> order_id, Decimal price, std::string client_id) {
  bingx::CancelReplace replace;
  replace.cancel = venue::OrderRef{"BTC-USDT", std::move(order_id), ""};
  replace.replacement = limit_order(Side::buy, price, "0.01"_d, std::move(client_id));
  return replace;
}

}  // namespace

TEST_CASE("bingx front: market data through the gateway") {
  BingxVenue venue;
  bingx::SwapGateway gateway(venue);
  CHECK(gateway.server_time_ms().value() == kNowMs);
  const Instrument btc = gateway.instrument("BTC-USDT").value();
  CHECK(btc.tick_size == "0.1"_d);
  CHECK(btc.step_size == "0.0001"_d);
  CHECK(btc.min_quantity == "0.0001"_d);
  CHECK(btc.min_notional == "2"_d);
  CHECK(btc.kind == InstrumentKind::linear_perpetual);
  CHECK(gateway.instrument("DOGE-USDT").error().code == ErrorCode::invalid_argument);
  CHECK(venue.last.body.find("80015") != std::string::npos);

  venue.rest(Side::buy, "59990"_d, "1"_d);
  venue.rest(Side::buy, "59980"_d, "2"_d);
  venue.rest(Side::sell, "60010"_d, "3"_d);
  venue.rest(Side::sell, "60020"_d, "4"_d);
  const auto book = gateway.depth("BTC-USDT", 5).value();
  REQUIRE(book.bids.size() == 2);
  REQUIRE(book.asks.size() == 2);
  CHECK(book.bids[0].price == "59990"_d);
  CHECK(book.asks[0].price == "60010"_d);  // served highest first, read in book order
  CHECK(book.asks[1].quantity == "4"_d);
  const auto best = gateway.book_ticker("BTC-USDT").value();
  CHECK(best.bid_price == "59990"_d);
  CHECK(best.ask_quantity == "3"_d);
}

TEST_CASE("bingx front: orders, client ids in lower case, cancels and queries") {
  BingxVenue venue;
  bingx::SwapGateway gateway(venue);
  const auto created = gateway.create_order(limit_order(Side::buy, "50000"_d, "0.01"_d, "ctsAb1")).value();
  CHECK(created.status == venue::OrderStatus::pending_new);
  CHECK(created.client_order_id == "ctsAb1");
  // BingX stores the wire form in lower case: "cts_ab1".
  CHECK(venue.last.body.find(R"("clientOrderId":"cts_ab1")") != std::string::npos);

  const auto queried = gateway.query_order(venue::OrderRef{"BTC-USDT", std::nullopt, "ctsAb1"}).value();
  CHECK(queried.order_id == created.order_id);
  CHECK(queried.client_order_id == "ctsAb1");
  CHECK(queried.status == venue::OrderStatus::new_);
  CHECK(queried.price == "50000"_d);
  CHECK(queried.quantity == "0.01"_d);

  // Another id differing only in case is another order (its wire form differs).
  CHECK(gateway.create_order(limit_order(Side::buy, "50000"_d, "0.01"_d, "ctsaB1")).has_value());
  CHECK(gateway.create_order(limit_order(Side::buy, "50000"_d, "0.01"_d, "ctsAb1")).error().code ==
        ErrorCode::duplicate_client_order_id);
  CHECK(gateway.open_orders("BTC-USDT").value().size() == 2);

  const auto cancelled = gateway.cancel_order(venue::OrderRef{"BTC-USDT", created.order_id, ""}).value();
  CHECK(cancelled.status == venue::OrderStatus::canceled);
  // A second cancel: 80016, answered by the order's final state.
  const auto again = gateway.cancel_order(venue::OrderRef{"BTC-USDT", created.order_id, ""}).value();
  CHECK(again.status == venue::OrderStatus::canceled);
  CHECK(gateway.query_order(venue::OrderRef{"BTC-USDT", "999999", ""}).error().code == ErrorCode::order_not_found);

  CHECK(gateway.cancel_open_orders("BTC-USDT").value().size() == 1);
  CHECK(gateway.cancel_open_orders("BTC-USDT").error().code == ErrorCode::order_not_found);

  venue.rest(Side::sell, "60000"_d, "1"_d);
  venue::NewOrder post_only = limit_order(Side::buy, "60000"_d, "0.01"_d, "po1");
  post_only.time_in_force = TimeInForce::post_only;
  CHECK(gateway.create_order(post_only).error().code == ErrorCode::rejected);
  CHECK(venue.last.body.find("101215") != std::string::npos);
  venue::NewOrder hedge = limit_order(Side::buy, "50000"_d, "0.01"_d, "h1");
  hedge.position_side = venue::PositionSide::long_;
  CHECK(gateway.create_order(hedge).error().code == ErrorCode::invalid_argument);
  CHECK(venue.last.body.find("109400") != std::string::npos);
}

TEST_CASE("bingx front: a fill moves the position, the balance and the fill history") {
  BingxVenue venue;
  bingx::SwapGateway gateway(venue);
  venue.rest(Side::sell, "60000"_d, "1"_d);
  venue::NewOrder buy;
  buy.symbol = "BTC-USDT";
  buy.side = Side::buy;
  buy.type = OrderType::market;
  buy.quantity = "0.01"_d;
  buy.client_order_id = "m1";
  const auto created = gateway.create_order(buy).value();
  const auto filled = gateway.query_order(venue::OrderRef{"BTC-USDT", created.order_id, ""}).value();
  CHECK(filled.status == venue::OrderStatus::filled);
  CHECK(filled.executed_quantity == "0.01"_d);
  CHECK(filled.average_price == "60000"_d);

  const auto positions = gateway.positions("BTC-USDT").value();
  REQUIRE(positions.size() == 1);
  CHECK(positions[0].quantity == "0.01"_d);
  CHECK(positions[0].entry_price == "60000"_d);
  CHECK(positions[0].side == venue::PositionSide::both);

  const auto fills = gateway.recent_trades("BTC-USDT", 100).value();
  REQUIRE(fills.size() == 1);
  CHECK(fills[0].order_id == created.order_id);
  CHECK(fills[0].price == "60000"_d);
  CHECK(fills[0].quantity == "0.01"_d);
  CHECK(fills[0].commission == "0.6"_d);  // 0.1 % of 600
  CHECK(fills[0].commission_asset == "USDT");
  CHECK_FALSE(fills[0].maker);
  CHECK(fills[0].time_ms == kNowMs);  // whole seconds: kNowMs is one
  CHECK(gateway.order_trades("BTC-USDT", created.order_id).value().size() == 1);

  const auto balances = gateway.balances().value();
  REQUIRE(balances.size() == 1);
  CHECK(balances[0].asset == "USDT");
  // Cash 100000 − 0.6 fee; 60 of position margin (600 at leverage 10) in use.
  CHECK(balances[0].free + balances[0].locked == "99999.4"_d);
  CHECK(balances[0].locked == "60"_d);
}

TEST_CASE("bingx front: authentication and its refusals") {
  BingxVenue venue;
  {
    bingx::SwapGateway gateway(venue);
    venue.signed_offset_ms = -6000;  // outside the default 5000 ms window
    CHECK(gateway.balances().error().code == ErrorCode::timestamp_out_of_window);
    CHECK(venue.last.body.find("100421") != std::string::npos);
    venue.signed_offset_ms = 0;
    CHECK(gateway.balances().has_value());
  }
  venue.secret = "wrong-secret";
  bingx::SwapGateway gateway(venue);
  CHECK(gateway.balances().error().code == ErrorCode::invalid_signature);
  CHECK(venue.last.body.find("100001") != std::string::npos);
  CHECK(gateway.credentials_refused().has_value());
  CHECK(venue.front.stats().auth_rejected == 1);

  HttpRequest unsigned_request{HttpMethod::get, "/openApi/swap/v3/user/balance", "timestamp=1", "", {}};
  const auto no_key = venue.front.handle(unsigned_request, from_unix_millis(kNowMs)).response;
  CHECK(no_key.body.find("100413") != std::string::npos);
  HttpRequest unknown{HttpMethod::get, "/openApi/swap/v9/nothing", "", "", {}};
  CHECK(venue.front.handle(unknown, from_unix_millis(kNowMs)).response.status == 404);
}

TEST_CASE("bingx front: the per-endpoint rate limit answers 429 with 100410") {
  sim::BingxFrontConfig config;
  config.limits.account_per_second = 2;
  BingxVenue venue(config);
  bingx::SwapGateway gateway(venue);
  CHECK(gateway.balances().has_value());
  CHECK(gateway.balances().has_value());
  CHECK(gateway.balances().error().code == ErrorCode::rate_limited);
  CHECK(venue.last.status == 429);
  CHECK(bingx::throttle_signal(venue.last)->code == "100410");
  CHECK(gateway.positions("BTC-USDT").has_value());  // another endpoint's window
  venue.now_ms += 1000;
  CHECK(gateway.balances().has_value());  // the next second
}

TEST_CASE("bingx front: listen keys live an hour, extended and closed") {
  BingxVenue venue;
  bingx::SwapGateway gateway(venue);
  const std::string key = gateway.open_user_stream_key().value();
  CHECK(key.size() == 64);
  CHECK(venue.front.listen_key_account(key, kNowMs) == venue.account);
  CHECK_FALSE(venue.front.listen_key_account(key, kNowMs + 3'600'000).has_value());
  venue.now_ms += 1'800'000;
  CHECK(gateway.extend_user_stream_key(key));
  CHECK(venue.front.listen_key_account(key, kNowMs + 3'600'000).has_value());
  CHECK(gateway.close_user_stream_key(key));
  CHECK(gateway.close_user_stream_key(key).error().code == ErrorCode::rejected);
  CHECK_FALSE(venue.front.listen_key_account(key, venue.now_ms).has_value());
}

TEST_CASE("bingx front: faults answer 500 100500, an unknown outcome for a mutation") {
  sim::BingxFrontConfig config;
  config.faults.error_after_ppm = 1'000'000;
  BingxVenue venue(config);
  bingx::SwapGateway gateway(venue);
  CHECK(gateway.create_order(limit_order(Side::buy, "50000"_d, "0.01"_d, "f1")).error().code ==
        ErrorCode::unknown_outcome);
  CHECK(venue.last.status == 500);
  venue.front.config().faults = {};
  venue.front.reset_faults();
  // It executed: the query by client id finds it.
  CHECK(gateway.query_order(venue::OrderRef{"BTC-USDT", std::nullopt, "f1"}).value().status ==
        venue::OrderStatus::new_);
}

TEST_CASE("bingx front: lost_order_replies drops the replies to the next N executed creates and cancels, swap and spot") {
  sim::BingxFrontConfig config;
  config.faults = sim::FaultConfig::parse("lost_order_replies=5").value();
  BingxVenue venue(config);
  bingx::SwapGateway swap(venue);
  bingx::SpotGateway spot(venue);
  const auto lost = [&](const auto& answer) {
    CHECK(answer.has_value());  // the venue's answer, which the client never hears
    return venue.last_action == net::ReplyAction::drop;
  };
  CHECK(swap.open_orders("BTC-USDT").has_value());
  CHECK(venue.last_action == net::ReplyAction::respond);
  CHECK(lost(swap.create_order(limit_order(Side::buy, "50000"_d, "0.01"_d, "lost1"))));
  CHECK(lost(swap.create_order(limit_order(Side::buy, "50000"_d, "0.01"_d, "lost2"))));
  CHECK(lost(swap.cancel_order(venue::OrderRef{"BTC-USDT", std::nullopt, "lost1"})));
  CHECK(lost(spot.create_order(limit_order(Side::buy, "50000"_d, "0.01"_d, "lost3"))));
  CHECK(lost(spot.cancel_order(venue::OrderRef{"BTC-USDT", std::nullopt, "lost3"})));
  CHECK_FALSE(lost(spot.create_order(limit_order(Side::buy, "50000"_d, "0.01"_d, "kept4"))));
  CHECK_FALSE(lost(swap.create_order(limit_order(Side::buy, "50000"_d, "0.01"_d, "kept5"))));
  CHECK(venue.front.stats().faults == 5);
  // Every lost reply's request was executed: lost1 and lost3 placed and cancelled, lost2 rests.
  CHECK(cts::test::open_client_ids(venue.engine, venue.account, kMarket) == std::vector<std::string>{"kept5", "lost2"});
  CHECK(cts::test::open_client_ids(venue.engine, venue.account, kSpotMarket) == std::vector<std::string>{"kept4"});
}

TEST_CASE("bingx front: the account stream pushes what the gateway's orders did, read by the registry's protocol") {
  BingxVenue venue;
  bingx::SwapGateway gateway(venue);
  sim::BingxStreams streams(venue.engine, venue.front);
  const std::string key = gateway.open_user_stream_key().value();
  bingx::SwapUserStream user;
  REQUIRE(user.set_stream_key(key));
  REQUIRE(streams.open(1, user.connection_target("/swap-market"), kNowMs));
  std::vector<sim::WsOutput> out;
  const auto heard = [&](std::int64_t now_ms) {
    out.clear();
    streams.tick(now_ms, out);
    std::vector<venue::UserEvent> events;
    for (const sim::WsOutput& o : out) {
      REQUIRE(o.binary);
      auto parsed = user.on_message(o.text);
      REQUIRE(parsed);
      if (!user.answer(o.text).empty()) continue;  // a Ping
      events.insert(events.end(), parsed->begin(), parsed->end());
    }
    return events;
  };

  // The counterparty's resting order is not ours to hear; our buy takes 0.01 of it.
  venue.rest(Side::sell, "60000"_d, "1"_d);
  CHECK(heard(kNowMs).empty());
  const auto placed = gateway.create_order(limit_order(Side::buy, "60000"_d, "0.01"_d, "cts1Abc")).value();
  const std::vector<venue::UserEvent> events = heard(kNowMs);
  std::optional<venue::OrderUpdate> last_order;
  std::optional<venue::PositionsUpdate> positions;
  std::optional<venue::BalancesUpdate> balances;
  for (const venue::UserEvent& event : events) {
    if (const auto* o = std::get_if<venue::OrderUpdate>(&event)) last_order = *o;
    if (const auto* p = std::get_if<venue::PositionsUpdate>(&event)) positions = *p;
    if (const auto* b = std::get_if<venue::BalancesUpdate>(&event)) balances = *b;
  }
  REQUIRE(last_order);
  CHECK(last_order->order.client_order_id == "cts1Abc");  // back from BingX's lower case
  CHECK(last_order->order.order_id == placed.order_id);
  CHECK(last_order->order.status == venue::OrderStatus::filled);
  CHECK(last_order->order.executed_quantity == "0.01"_d);
  CHECK(last_order->order.average_price == "60000"_d);
  CHECK_FALSE(last_order->last_fill);  // the fills are REST's (fillHistory, with trade ids)
  REQUIRE(positions);
  REQUIRE(positions->positions.size() == 1);
  CHECK(positions->positions[0].symbol == "BTC-USDT");
  CHECK(positions->positions[0].quantity == "0.01"_d);
  CHECK(positions->positions[0].entry_price == "60000"_d);
  REQUIRE(balances);
  REQUIRE(balances->balances.size() == 1);
  CHECK(balances->balances[0].asset == "USDT");
  // 100000 less the taker fee 0.1 % of 60000 · 0.01 = 0.6.
  CHECK(balances->balances[0].free == "99999.4"_d);

  // An hour later the key has died: the connection hears listenKeyExpired.
  const std::vector<venue::UserEvent> later = heard(kNowMs + 3'600'000);
  REQUIRE(later.size() == 1);
  CHECK(std::holds_alternative<venue::UserStreamEnded>(later[0]));
  CHECK(heard(kNowMs + 3'600'001).empty());
}

TEST_CASE("bingx front: cancelAllAfter cancels the account's orders once it runs out, not while refreshed") {
  BingxVenue venue;
  bingx::SwapGateway gateway(venue);
  venue.rest(Side::sell, "60000"_d, "1"_d);  // the counterparty's order, on another account
  const auto ours = gateway.create_order(limit_order(Side::buy, "50000"_d, "0.01"_d, "dm1")).value();
  const venue::OrderRef ref{"BTC-USDT", ours.order_id, ""};

  check_switch_countdown(venue, gateway, ref, kMarket);

  // It fired once and is disarmed: a later order stays.
  const auto later = gateway.create_order(limit_order(Side::buy, "50000"_d, "0.01"_d, "dm2")).value();
  venue.now_ms += 60'000;
  venue.front.advance(from_unix_millis(venue.now_ms));
  CHECK(gateway.query_order(venue::OrderRef{"BTC-USDT", later.order_id, ""}).value().status ==
        venue::OrderStatus::new_);

  // Armed then closed: nothing is cancelled.
  CHECK(gateway.cancel_all_after(10).has_value());
  CHECK(gateway.cancel_all_after(0).value().status == bingx::CancelAllAfterStatus::closed);
  venue.now_ms += 30'000;
  venue.front.advance(from_unix_millis(venue.now_ms));
  CHECK(venue.engine.open_orders(venue.account, kMarket).size() == 1);
}

TEST_CASE("bingx front: cancelReplace through the gateway, in its modes and restrictions") {
  sim::BingxFrontConfig config;
  config.limits.trade_per_second = 100;  // every request below at one instant
  BingxVenue venue(config);
  bingx::SwapGateway gateway(venue);
  const auto first = gateway.create_order(limit_order(Side::buy, "50000"_d, "0.01"_d, "crA")).value();

  // Cancelled and replaced in one request.
  const auto done = gateway.cancel_replace(replace_with(first.order_id, "50100"_d, "crB")).value();
  CHECK(done.cancelled.value().order_id == first.order_id);
  CHECK(done.cancelled.value().status == venue::OrderStatus::canceled);
  const venue::OrderReport second = done.replacement.value();
  CHECK(second.status == venue::OrderStatus::pending_new);
  CHECK(second.order_id != first.order_id);
  const auto working = gateway.open_orders("BTC-USDT").value();
  REQUIRE(working.size() == 1);
  CHECK(working[0].order_id == second.order_id);
  CHECK(working[0].client_order_id == "crB");
  CHECK(working[0].price == "50100"_d);

  // STOP_ON_FAILURE: the first order is no longer working, so nothing is placed.
  const auto stopped = gateway.cancel_replace(replace_with(first.order_id, "50200"_d, "crC")).value();
  CHECK(stopped.cancelled.error().code == ErrorCode::rejected);
  CHECK(stopped.replacement.error().code == ErrorCode::rejected);
  CHECK(gateway.open_orders("BTC-USDT").value().size() == 1);
  CHECK(gateway.query_order(venue::OrderRef{"BTC-USDT", std::nullopt, "crC"}).error().code ==
        ErrorCode::order_not_found);

  // ALLOW_FAILURE: placed whatever the cancel did.
  bingx::CancelReplace allowed = replace_with(first.order_id, "50300"_d, "crD");
  allowed.mode = bingx::CancelReplaceMode::allow_failure;
  const auto anyway = gateway.cancel_replace(allowed).value();
  CHECK_FALSE(anyway.cancelled.has_value());
  CHECK(anyway.replacement.has_value());
  CHECK(gateway.open_orders("BTC-USDT").value().size() == 2);

  // A NEW order outside ONLY_PARTIALLY_FILLED is not cancelled.
  bingx::CancelReplace restricted = replace_with(second.order_id, "50400"_d, "crE");
  restricted.restriction = bingx::CancelRestriction::only_partially_filled;
  const auto kept = gateway.cancel_replace(restricted).value();
  CHECK(kept.cancelled.error().code == ErrorCode::rejected);
  CHECK(kept.replacement.error().code == ErrorCode::rejected);
  CHECK(gateway.query_order(venue::OrderRef{"BTC-USDT", second.order_id, ""}).value().status ==
        venue::OrderStatus::new_);

  // A malformed request is refused whole: the order it names stays.
  venue::Request bad = bingx::cancel_replace(replace_with(second.order_id, "50500"_d, "crF")).value();
  bad.http.query.replace(0, std::string("cancelReplaceMode=STOP_ON_FAILURE").size(), "cancelReplaceMode=SOMETIMES");
  CHECK(bingx::parse_cancel_replace(venue.execute(bad).value()).error().venue_code == "80014");
  CHECK(gateway.query_order(venue::OrderRef{"BTC-USDT", second.order_id, ""}).value().status ==
        venue::OrderStatus::new_);

  // The cancel happens, the new order is refused (its client id was used): not undone.
  const auto half = gateway.cancel_replace(replace_with(second.order_id, "50600"_d, "crA")).value();
  CHECK(half.cancelled.value().status == venue::OrderStatus::canceled);
  CHECK(half.replacement.error().message.find("clientOrderID cannot be repeated") != std::string::npos);
  CHECK(gateway.open_orders("BTC-USDT").value().size() == 1);
}

// Spot (docs v3 spot pages): BTC-USDT's rules as the docs' symbols example lists them
// (tickSize 0.01, stepSize 0.00001, minNotional 5); the account holds 100000 USDT and no
// BTC.

TEST_CASE("bingx front spot: symbols, depth and book ticker through the spot gateway") {
  BingxVenue venue;
  bingx::SpotGateway gateway(venue);
  CHECK(gateway.server_time_ms().value() == kNowMs);
  const Instrument btc = gateway.instrument("BTC-USDT").value();
  CHECK(btc.kind == InstrumentKind::spot);
  CHECK(btc.tick_size == "0.01"_d);
  CHECK(btc.step_size == "0.00001"_d);
  CHECK(btc.min_notional == "5"_d);
  CHECK(gateway.instrument("ETH-USDT").error().code == ErrorCode::invalid_argument);  // a perpetual only

  venue.rest(Side::buy, "59990.5"_d, "1"_d, kSpotMarket);
  venue.rest(Side::sell, "60010.25"_d, "3"_d, kSpotMarket);
  venue.rest(Side::sell, "60020"_d, "4"_d, kSpotMarket);
  venue.rest(Side::sell, "61000"_d, "9"_d);  // the perpetual's book is another
  const auto book = gateway.depth("BTC-USDT", 5).value();
  REQUIRE(book.bids.size() == 1);
  REQUIRE(book.asks.size() == 2);
  CHECK(book.bids[0].price == "59990.5"_d);
  CHECK(book.asks[0].price == "60010.25"_d);  // served highest first, read in book order
  CHECK(book.asks[1].quantity == "4"_d);
  const auto best = gateway.book_ticker("BTC-USDT").value();
  CHECK(best.bid_price == "59990.5"_d);
  CHECK(best.ask_quantity == "3"_d);
}

TEST_CASE("bingx front spot: orders, cancels, queries, trades and balances") {
  BingxVenue venue;
  bingx::SpotGateway gateway(venue);
  const auto created = gateway.create_order(limit_order(Side::buy, "50000"_d, "0.01"_d, "ctsAb1")).value();
  CHECK(created.status == venue::OrderStatus::pending_new);
  CHECK(venue.last.body.find(R"("status":"PENDING")") != std::string::npos);
  CHECK(venue.last.body.find(R"("clientOrderID":"cts_ab1")") != std::string::npos);
  const auto queried = gateway.query_order(venue::OrderRef{"BTC-USDT", std::nullopt, "ctsAb1"}).value();
  CHECK(queried.order_id == created.order_id);
  CHECK(queried.client_order_id == "ctsAb1");
  CHECK(queried.status == venue::OrderStatus::new_);
  CHECK(queried.price == "50000"_d);
  // 0.01 × 50000 = 500 USDT held by the order.
  auto usdt = gateway.balances().value();
  const auto usdt_of = [](const std::vector<venue::Balance>& balances, std::string_view asset) {
    for (const venue::Balance& b : balances) {
      if (b.asset == asset) return b;
    }
    return venue::Balance{};
  };
  CHECK(usdt_of(usdt, "USDT").free == "99500"_d);
  CHECK(usdt_of(usdt, "USDT").locked == "500"_d);
  CHECK(gateway.open_orders("BTC-USDT").value().size() == 1);
  CHECK(gateway.create_order(limit_order(Side::buy, "50000"_d, "0.01"_d, "ctsAb1")).error().code ==
        ErrorCode::duplicate_client_order_id);

  const auto cancelled = gateway.cancel_order(venue::OrderRef{"BTC-USDT", created.order_id, ""}).value();
  CHECK(cancelled.status == venue::OrderStatus::canceled);
  // A second cancel: 100400 "FILLED or CANCELLED already", answered by the final state.
  const auto again = gateway.cancel_order(venue::OrderRef{"BTC-USDT", created.order_id, ""}).value();
  CHECK(again.status == venue::OrderStatus::canceled);
  CHECK(venue.last.body.find(R"("status":"CANCELED")") != std::string::npos);
  CHECK(gateway.query_order(venue::OrderRef{"BTC-USDT", "999999", ""}).error().code == ErrorCode::order_not_found);
  CHECK(gateway.cancel_open_orders("BTC-USDT").error().code == ErrorCode::order_not_found);

  // A market buy of 0.01 at 60000: 600 USDT paid, 0.01 BTC less the 0.1 % fee received.
  venue.rest(Side::sell, "60000"_d, "1"_d, kSpotMarket);
  venue::NewOrder buy;
  buy.symbol = "BTC-USDT";
  buy.side = Side::buy;
  buy.type = OrderType::market;
  buy.quantity = "0.01"_d;
  buy.client_order_id = "m1";
  const auto bought = gateway.create_order(buy).value();
  const auto filled = gateway.query_order(venue::OrderRef{"BTC-USDT", bought.order_id, ""}).value();
  CHECK(filled.status == venue::OrderStatus::filled);
  CHECK(filled.executed_quantity == "0.01"_d);
  CHECK(filled.average_price == "60000"_d);
  const auto trades = gateway.order_trades("BTC-USDT", bought.order_id).value();
  REQUIRE(trades.size() == 1);
  CHECK(trades[0].price == "60000"_d);
  CHECK(trades[0].quantity == "0.01"_d);
  CHECK(trades[0].commission == "0.00001"_d);
  CHECK(trades[0].commission_asset == "BTC");
  CHECK(trades[0].side == Side::buy);
  CHECK_FALSE(trades[0].maker);
  usdt = gateway.balances().value();
  CHECK(usdt_of(usdt, "USDT").free == "99400"_d);
  CHECK(usdt_of(usdt, "BTC").free == "0.00999"_d);

  venue.rest(Side::sell, "60000"_d, "1"_d, kSpotMarket);
  venue::NewOrder post_only = limit_order(Side::buy, "60000"_d, "0.01"_d, "po1");
  post_only.time_in_force = TimeInForce::post_only;
  CHECK(gateway.create_order(post_only).error().code == ErrorCode::rejected);
  CHECK(gateway.create_order(limit_order(Side::buy, "50000"_d, "5"_d, "big")).error().code ==
        ErrorCode::insufficient_funds);  // 250000 USDT wanted, 99400 held
  CHECK(venue.last.body.find("100202") != std::string::npos);
  CHECK(gateway.create_order(limit_order(Side::buy, "50000"_d, "0.00001"_d, "tiny")).error().code ==
        ErrorCode::invalid_argument);  // 0.5 USDT: below minNotional 5
}

TEST_CASE("bingx front spot: the /market account stream pushes execution reports with their fills") {
  BingxVenue venue;
  bingx::SpotGateway gateway(venue);
  sim::BingxStreams streams(venue.engine, venue.front);
  const std::string key = gateway.open_user_stream_key().value();
  bingx::SpotUserStream user;
  REQUIRE(user.set_stream_key(key));
  REQUIRE(streams.open(1, user.connection_target("/market"), kNowMs));
  std::vector<sim::WsOutput> out;
  const auto events_of = [&](const std::vector<sim::WsOutput>& frames) {
    std::vector<venue::UserEvent> events;
    for (const sim::WsOutput& o : frames) {
      REQUIRE(o.binary);
      auto parsed = user.on_message(o.text);
      REQUIRE(parsed);
      events.insert(events.end(), parsed->begin(), parsed->end());
    }
    return events;
  };
  const std::vector<std::string> frames = user.subscriptions(SystemTime{}).value();
  for (const std::string& frame : frames) streams.message(1, frame, kNowMs, out);
  auto events = events_of(out);
  REQUIRE(events.size() == 1);
  CHECK(std::holds_alternative<venue::UserSubscribed>(events[0]));

  venue.rest(Side::sell, "60000"_d, "1"_d, kSpotMarket);
  venue::NewOrder buy = limit_order(Side::buy, "60000"_d, "0.01"_d, "ctsQ1");
  const auto created = gateway.create_order(buy).value();
  out.clear();
  streams.tick(kNowMs, out);
  events = events_of(out);
  std::optional<venue::OrderUpdate> traded;
  std::optional<venue::BalancesUpdate> balances;
  for (const venue::UserEvent& event : events) {
    if (const auto* update = std::get_if<venue::OrderUpdate>(&event); update && update->last_fill) traded = *update;
    if (const auto* update = std::get_if<venue::BalancesUpdate>(&event)) balances = *update;
  }
  REQUIRE(traded);
  CHECK(traded->order.order_id == created.order_id);
  CHECK(traded->order.client_order_id == "ctsQ1");
  CHECK(traded->order.status == venue::OrderStatus::filled);
  CHECK(traded->last_fill->quantity == "0.01"_d);
  CHECK(traded->last_fill->price == "60000"_d);
  CHECK(traded->last_fill->commission == "0.00001"_d);
  CHECK(traded->last_fill->commission_asset == "BTC");
  REQUIRE(balances);
  CHECK(balances->balances.size() == 2);

  // A swap connection hears none of it.
  bingx::SwapUserStream swap_user;
  REQUIRE(swap_user.set_stream_key(key));
  REQUIRE(streams.open(2, swap_user.connection_target("/swap-market"), kNowMs));
  REQUIRE(gateway.create_order(limit_order(Side::buy, "50000"_d, "0.01"_d, "rest1")).has_value());
  out.clear();
  streams.tick(kNowMs, out);
  for (const sim::WsOutput& o : out) CHECK(o.connection == 1);
}

TEST_CASE("bingx front spot: cancelAllAfter cancels the account's spot orders once it runs out, not while refreshed") {
  BingxVenue venue;
  bingx::SpotGateway spot(venue);
  bingx::SwapGateway swap(venue);
  venue.rest(Side::sell, "60000"_d, "1"_d, kSpotMarket);  // the counterparty's order, on another account
  const auto ours = spot.create_order(limit_order(Side::buy, "50000"_d, "0.01"_d, "sdm1")).value();
  const venue::OrderRef ref{"BTC-USDT", ours.order_id, ""};
  REQUIRE(swap.create_order(limit_order(Side::buy, "50000"_d, "0.01"_d, "wdm1")).has_value());

  check_switch_countdown(venue, spot, ref, kSpotMarket);
  CHECK(venue.engine.open_orders(venue.account, kMarket).size() == 1);  // the swap order stays

  // The swap's switch is another: firing it leaves spot orders alone.
  const auto later = spot.create_order(limit_order(Side::buy, "50000"_d, "0.01"_d, "sdm2")).value();
  REQUIRE(swap.cancel_all_after(10));
  venue.now_ms += 11'000;
  venue.front.advance(from_unix_millis(venue.now_ms));
  CHECK(venue.engine.open_orders(venue.account, kMarket).empty());
  CHECK(spot.query_order(venue::OrderRef{"BTC-USDT", later.order_id, ""}).value().status == venue::OrderStatus::new_);

  // Armed then closed through the seam, as the engine does: nothing is cancelled.
  venue::Gateway& seam = spot;
  REQUIRE(seam.arm_dead_man_switch(std::chrono::seconds{10}));
  CHECK(venue.last.body.find(fmt::format(R"("triggerTime":{},"status":"ACTIVATED")", venue.now_ms / 1000 + 10)) !=
        std::string::npos);
  REQUIRE(seam.arm_dead_man_switch(std::chrono::seconds{0}));
  CHECK(venue.last.body.find(R"("status":"CLOSED")") != std::string::npos);
  venue.now_ms += 30'000;
  venue.front.advance(from_unix_millis(venue.now_ms));
  CHECK(venue.engine.open_orders(venue.account, kSpotMarket).size() == 1);

  // Bad input and a bad signature are refused and arm nothing.
  venue::Request too_short = bingx::spot_cancel_all_after(10).value();
  too_short.http.query = "type=ACTIVATE&timeOut=9";
  CHECK(venue.execute(too_short).value().body.find(R"("code":80014)") != std::string::npos);
  too_short.http.query = "type=SOMETIMES&timeOut=10";
  CHECK(venue.execute(too_short).value().body.find(R"("code":80014)") != std::string::npos);
  venue.secret = "not-the-secret";
  CHECK(spot.cancel_all_after(10).error().code == ErrorCode::invalid_signature);
  CHECK(venue.last.body.find("100001") != std::string::npos);
  venue.now_ms += 30'000;
  venue.front.advance(from_unix_millis(venue.now_ms));
  CHECK(venue.engine.open_orders(venue.account, kSpotMarket).size() == 1);
}

TEST_CASE("bingx front spot: cancelReplace through the spot gateway, in its modes and restrictions") {
  BingxVenue venue;
  bingx::SpotGateway gateway(venue);
  const auto first = gateway.create_order(limit_order(Side::buy, "50000"_d, "0.01"_d, "srA")).value();

  // Cancelled and replaced in one request.
  const auto done = gateway.cancel_replace(replace_with(first.order_id, "50100"_d, "srB")).value();
  CHECK(done.cancelled.value().order_id == first.order_id);
  CHECK(done.cancelled.value().status == venue::OrderStatus::canceled);
  const venue::OrderReport second = done.replacement.value();
  CHECK(second.status == venue::OrderStatus::pending_new);
  CHECK(second.client_order_id == "srB");
  const auto working = gateway.open_orders("BTC-USDT").value();
  REQUIRE(working.size() == 1);
  CHECK(working[0].order_id == second.order_id);
  CHECK(working[0].client_order_id == "srB");
  CHECK(working[0].price == "50100"_d);
  // 0.01 × 50100 = 501 USDT held by the new order only.
  const std::vector<venue::Balance> balances = gateway.balances().value();
  for (const venue::Balance& b : balances) {
    if (b.asset == "USDT") CHECK(b.locked == "501"_d);
  }

  // STOP_ON_FAILURE: the first order is no longer open, so nothing is placed.
  const auto stopped = gateway.cancel_replace(replace_with(first.order_id, "50200"_d, "srC")).value();
  CHECK(stopped.cancelled.error().code == ErrorCode::order_not_found);
  CHECK(stopped.cancelled.error().venue_code == "100400");
  CHECK(stopped.replacement.error().code == ErrorCode::rejected);
  CHECK(gateway.open_orders("BTC-USDT").value().size() == 1);
  CHECK(gateway.query_order(venue::OrderRef{"BTC-USDT", std::nullopt, "srC"}).error().code ==
        ErrorCode::order_not_found);

  // ALLOW_FAILURE: placed whatever the cancel did; an unknown order is the docs' 100400
  // " order not exist".
  bingx::CancelReplace allowed = replace_with("999999", "50300"_d, "srD");
  allowed.mode = bingx::CancelReplaceMode::allow_failure;
  const auto anyway = gateway.cancel_replace(allowed).value();
  CHECK(anyway.cancelled.error().code == ErrorCode::order_not_found);
  CHECK(venue.last.body.find(R"("cancelResult":{"code":100400,"msg":" order not exist","result":false})") !=
        std::string::npos);
  CHECK(anyway.replacement.has_value());
  CHECK(gateway.open_orders("BTC-USDT").value().size() == 2);

  // A resting order is PENDING: outside the restriction NEW it is not cancelled, inside
  // PENDING it is.
  bingx::CancelReplace restricted = replace_with(second.order_id, "50400"_d, "srE");
  restricted.restriction = bingx::CancelRestriction::only_new;
  const auto kept = gateway.cancel_replace(restricted).value();
  CHECK(kept.cancelled.error().code == ErrorCode::rejected);
  CHECK(kept.replacement.error().code == ErrorCode::rejected);
  CHECK(gateway.query_order(venue::OrderRef{"BTC-USDT", second.order_id, ""}).value().status ==
        venue::OrderStatus::new_);
  restricted.restriction = bingx::CancelRestriction::only_pending;
  CHECK(gateway.cancel_replace(restricted).value().cancelled.value().status == venue::OrderStatus::canceled);

  // A malformed request, or one with a bad signature, is refused whole: nothing changes.
  const auto before = gateway.open_orders("BTC-USDT").value().size();
  venue::Request bad = bingx::spot_cancel_replace(replace_with("1", "50500"_d, "srF")).value();
  bad.http.query.replace(bad.http.query.find("cancelOrderId=1&"), 16, "cancelOrderId=1x&");
  CHECK(bingx::parse_spot_cancel_replace(venue.execute(bad).value()).error().venue_code == "80014");
  bad = bingx::spot_cancel_replace(replace_with("1", "50500"_d, "srF")).value();
  const std::string mode = "cancelReplaceMode=STOP_ON_FAILURE";
  bad.http.query.replace(bad.http.query.find(mode), mode.size(), "cancelReplaceMode=SOMETIMES");
  CHECK(bingx::parse_spot_cancel_replace(venue.execute(bad).value()).error().venue_code == "80014");
  venue.secret = "not-the-secret";
  CHECK(gateway.cancel_replace(replace_with(second.order_id, "50500"_d, "srG")).error().code ==
        ErrorCode::invalid_signature);
  venue.secret = std::string(kSecret);
  bingx::SpotGateway fresh(venue);  // the refused signature latched the first gateway
  CHECK(fresh.open_orders("BTC-USDT").value().size() == before);
}
