// Tests for cts/sim/pionex_front.hpp: requests built by cts::venue::pionex and signed by
// cts::sign::PionexSigner, replies read by the cts Pionex parsers. Expected values: codes
// and statuses from pionex-open-api openapi.yaml (401 for authentication, INVALID_SIGNATURE,
// INVALID_TIMESTAMP beyond ±20 s, TRADE_ORDER_NOT_FOUND; 429 and a 60 s ban beyond 10
// weight a second); amounts computed by hand in the comments (fee 0.1 % of what is
// received).
#include <cts/sim/pionex_front.hpp>

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <cts/sign/pionex.hpp>
#include <cts/sign/secret.hpp>
#include <cts/venue/pionex/account.hpp>
#include <cts/venue/pionex/market.hpp>
#include <cts/venue/pionex/orders.hpp>
#include <cts/venue/pionex/requests.hpp>

#include "sim/open_client_ids.hpp"

using namespace cts;
using namespace cts::literals;
namespace pionex = cts::venue::pionex;

namespace {

constexpr std::string_view kKey = "pionex-key";
constexpr std::string_view kSecret = "pionex-secret";
constexpr std::int64_t kNowMs = 1'700'000'000'000;
const SystemTime kNow = from_unix_millis(kNowMs);

// Limits no test but the rate-limit one reaches (its requests all come at kNow).
sim::PionexFrontConfig roomy() {
  sim::PionexFrontConfig config;
  config.limits.ip_weight = config.limits.account_weight = 1000;
  return config;
}

// Pionex's markets behind a Pionex front; our account holds 100000 USDT and 10 BTC, the
// counterparty 10000000 USDT and 1000 BTC.
struct PionexVenue {
  sim::MatchingEngine engine;
  sim::PionexFront front;
  sim::AccountId account;
  sim::AccountId other;
  explicit PionexVenue(sim::PionexFrontConfig config = roomy()) : front(engine, std::move(config)) {
    for (const sim::MarketSpec& m : sim::default_pionex_markets()) engine.add_symbol(m.instrument, m.filters);
    account = engine.create_account();
    other = engine.create_account();
    engine.deposit(account, "USDT", "100000"_d);
    engine.deposit(account, "BTC", "10"_d);
    engine.deposit(other, "USDT", "10000000"_d);
    engine.deposit(other, "BTC", "1000"_d);
    front.add_credential(std::string(kKey), kSecret, account);
  }

  HttpResponse send_as(venue::Request request, std::string_view secret, SystemTime signed_at, SystemTime received_at) {
    if (request.security == venue::Security::signed_) {
      const sign::PionexSigner signer{std::string(kKey), sign::Secret(std::string(secret))};
      REQUIRE(signer.sign(request.http, sign::SigningContext{.now = signed_at, .nonce = {}, .nonce_text = {}}));
    }
    return front.handle(request.http, received_at).response;
  }
  HttpResponse send(const Result<venue::Request>& request, SystemTime at = kNow) {
    REQUIRE(request.has_value());
    return send_as(*request, kSecret, at, at);
  }
  void rest(Side side, Decimal quantity, Decimal price) {
    sim::OrderRequest r;
    r.account = other;
    r.symbol = "BTC_USDT";
    r.side = side;
    r.quantity = quantity;
    r.price = price;
    REQUIRE(engine.place(r, kNowMs));
  }
};

venue::NewOrder limit(Side side, Decimal quantity, Decimal price, std::string client_id) {
  venue::NewOrder o;
  o.symbol = "BTC_USDT";
  o.side = side;
  o.type = OrderType::limit;
  o.quantity = quantity;
  o.price = price;
  o.client_order_id = std::move(client_id);
  return o;
}

}  // namespace

TEST_CASE("pionex front: symbols, depth and book tickers read by the connector") {
  PionexVenue venue;
  venue.rest(Side::buy, "0.5"_d, "59990"_d);
  venue.rest(Side::sell, "0.25"_d, "60010.5"_d);
  const auto listed = pionex::parse_symbols(venue.send(pionex::symbols("BTC_USDT"))).value();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].instrument.tick_size == "0.01"_d);
  CHECK(listed[0].instrument.step_size == "0.000001"_d);
  CHECK(listed[0].instrument.min_notional == "10"_d);
  const auto book = pionex::parse_order_book(venue.send(pionex::order_book("BTC_USDT", 5))).value();
  REQUIRE(book.bids.size() == 1);
  CHECK(book.bids[0].price == "59990"_d);
  CHECK(book.asks[0].quantity == "0.25"_d);
  const auto best = pionex::parse_book_tickers(venue.send(pionex::book_tickers("BTC_USDT"))).value();
  CHECK(best.at(0).ask_price == "60010.5"_d);
  CHECK(pionex::parse_reply_time(venue.send(pionex::order_book("BTC_USDT", 1))).value() == kNowMs);
  const HttpResponse unknown = venue.send(pionex::order_book("DOGE_USDT", 5));
  CHECK(unknown.status == 400);
  CHECK(pionex::parse_order_book(unknown).error().venue_code == "MARKET_INVALID_SYMBOL");
}

TEST_CASE("pionex front: an order's life: placed, filled in part, queried, listed, cancelled") {
  PionexVenue venue;
  venue.rest(Side::sell, "0.004"_d, "60000"_d);
  const auto ack = pionex::parse_new_order(venue.send(pionex::new_order(limit(Side::buy, "0.01"_d, "60000"_d, "cts-a1"))))
                       .value();
  CHECK_FALSE(ack.order_id.empty());
  CHECK(ack.client_order_id == "cts-a1");
  auto state = pionex::parse_order(venue.send(pionex::get_order(ack.order_id))).value();
  CHECK(state.status == venue::OrderStatus::partially_filled);
  CHECK(state.executed_quantity == "0.004"_d);
  CHECK(state.cumulative_quote == "240"_d);  // 0.004 · 60000
  CHECK(state.client_order_id == "cts-a1");
  CHECK(pionex::parse_order(venue.send(pionex::get_order_by_client_id("cts-a1"))).value().order_id == ack.order_id);
  const auto open = pionex::parse_orders(venue.send(pionex::open_orders("BTC_USDT"))).value();
  REQUIRE(open.size() == 1);
  const auto fills = pionex::parse_fills(venue.send(pionex::fills("BTC_USDT"))).value();
  REQUIRE(fills.size() == 1);
  CHECK(fills[0].order_id == ack.order_id);
  CHECK(fills[0].quantity == "0.004"_d);
  CHECK(fills[0].commission == "0.000004"_d);  // 0.1 % of the 0.004 BTC received
  CHECK(fills[0].commission_asset == "BTC");
  CHECK_FALSE(fills[0].maker);
  CHECK(pionex::parse_fills(venue.send(pionex::fills_by_order_id(ack.order_id))).value().size() == 1);
  CHECK(pionex::parse_cancel(venue.send(pionex::cancel_order("BTC_USDT", ack.order_id))).has_value());
  state = pionex::parse_order(venue.send(pionex::get_order(ack.order_id))).value();
  CHECK(state.status == venue::OrderStatus::canceled);
  const auto again = pionex::parse_cancel(venue.send(pionex::cancel_order("BTC_USDT", ack.order_id)));
  CHECK(again.error().code == ErrorCode::order_not_found);
  const auto balances = pionex::parse_balances(venue.send(Result<venue::Request>(pionex::balances()))).value();
  bool saw_btc = false;
  for (const venue::Balance& b : balances) {
    if (b.asset != "BTC") continue;
    saw_btc = true;
    CHECK(b.free == "10.003996"_d);  // 10 + 0.004 − 0.000004
    CHECK(b.locked == "0"_d);
  }
  CHECK(saw_btc);
}

TEST_CASE("pionex front: cancel-all and the refusals the engine meets") {
  PionexVenue venue;
  (void)venue.send(pionex::new_order(limit(Side::buy, "0.01"_d, "50000"_d, "cts-b1")));
  (void)venue.send(pionex::new_order(limit(Side::buy, "0.01"_d, "50001"_d, "cts-b2")));
  CHECK(pionex::parse_cancel(venue.send(pionex::cancel_all_orders("BTC_USDT"))).has_value());
  CHECK(pionex::parse_orders(venue.send(pionex::open_orders("BTC_USDT"))).value().empty());
  const auto poor = pionex::parse_new_order(venue.send(pionex::new_order(limit(Side::buy, "10"_d, "50000"_d, "cts-b3"))));
  CHECK(poor.error().code == ErrorCode::rejected);
  CHECK(poor.error().venue_code == "TRADE_OPERATION_DENIED");
  const auto off_tick =
      pionex::parse_new_order(venue.send(pionex::new_order(limit(Side::buy, "0.01"_d, "50000.001"_d, "cts-b4"))));
  CHECK(off_tick.error().code == ErrorCode::invalid_argument);
  CHECK(pionex::parse_order(venue.send(pionex::get_order("999999"))).error().code == ErrorCode::order_not_found);
}

TEST_CASE("pionex front: authentication: key, signature and a timestamp within 20 s") {
  PionexVenue venue;
  const venue::Request request = pionex::balances();
  const HttpResponse bad_sign = venue.send_as(request, "wrong-secret", kNow, kNow);
  CHECK(bad_sign.status == 401);
  CHECK(pionex::parse_balances(bad_sign).error().code == ErrorCode::invalid_signature);
  const HttpResponse late = venue.send_as(request, kSecret, kNow - std::chrono::seconds(21), kNow);
  CHECK(pionex::parse_balances(late).error().code == ErrorCode::timestamp_out_of_window);
  CHECK(pionex::parse_balances(venue.send_as(request, kSecret, kNow - std::chrono::seconds(19), kNow)).has_value());
  venue::Request unsigned_request = request;
  unsigned_request.security = venue::Security::none;
  CHECK(pionex::parse_balances(venue.send_as(unsigned_request, kSecret, kNow, kNow)).error().venue_code ==
        "APIKEY_LOST");
  CHECK(venue.front.stats().auth_rejected == 1);
}

TEST_CASE("pionex front: beyond 10 weight a second, 429 and a 60 s ban that each request extends") {
  PionexVenue venue(sim::PionexFrontConfig{});
  // Open orders weigh 5: two fit the account's 10, the third does not.
  CHECK(venue.send(pionex::open_orders("BTC_USDT")).status == 200);
  CHECK(venue.send(pionex::open_orders("BTC_USDT")).status == 200);
  const HttpResponse third = venue.send(pionex::open_orders("BTC_USDT"), kNow + std::chrono::milliseconds(1));
  CHECK(third.status == 429);
  CHECK(pionex::parse_orders(third).error().code == ErrorCode::rate_limited);
  // The ban outlives the window: at +59 s still refused (extended by 10 s to +70 s).
  CHECK(venue.send(pionex::open_orders("BTC_USDT"), kNow + std::chrono::seconds(59)).status == 429);
  CHECK(venue.send(pionex::open_orders("BTC_USDT"), kNow + std::chrono::seconds(65)).status == 429);
  CHECK(venue.send(pionex::open_orders("BTC_USDT"), kNow + std::chrono::seconds(90)).status == 200);
}

TEST_CASE("pionex front: a burst fault answers 429 with Retry-After 1, a server error 503") {
  sim::PionexFrontConfig config = roomy();
  config.faults.burst_429 = 1;
  PionexVenue venue(config);
  const HttpResponse burst = venue.send(pionex::order_book("BTC_USDT", 5));
  CHECK(burst.status == 429);
  CHECK(burst.header("Retry-After").value() == "1");
  CHECK(venue.send(pionex::order_book("BTC_USDT", 5)).status == 200);
  venue.front.config().faults.burst_429 = 0;
  venue.front.config().faults.error_after_ppm = 1'000'000;
  venue.front.reset_faults();
  const HttpResponse failed = venue.send(pionex::new_order(limit(Side::buy, "0.01"_d, "50000"_d, "cts-c1")));
  CHECK(failed.status == 503);
  CHECK(pionex::parse_new_order(failed).error().code == ErrorCode::unknown_outcome);
}

TEST_CASE("pionex front: lost_order_replies drops the replies to the next N executed creates and cancels, never to reads") {
  sim::PionexFrontConfig config = roomy();
  config.faults = sim::FaultConfig::parse("lost_order_replies=3").value();
  PionexVenue venue(config);
  const sign::PionexSigner signer{std::string(kKey), sign::Secret(std::string(kSecret))};
  const auto serve = [&](Result<venue::Request> request) {
    REQUIRE(request.has_value());
    REQUIRE(signer.sign(request->http, sign::SigningContext{.now = kNow, .nonce = {}, .nonce_text = {}}));
    return venue.front.handle(request->http, kNow);
  };
  CHECK(serve(pionex::open_orders("BTC_USDT")).action == net::ReplyAction::respond);
  CHECK(serve(pionex::new_order(limit(Side::buy, "0.01"_d, "50000"_d, "lost-1"))).action == net::ReplyAction::drop);
  CHECK(serve(pionex::new_order(limit(Side::buy, "0.01"_d, "50000"_d, "lost-2"))).action == net::ReplyAction::drop);
  const sim::Order* lost_1 = venue.engine.find_order(venue.account, "BTC_USDT", std::nullopt, "lost-1");
  REQUIRE(lost_1 != nullptr);
  CHECK(serve(pionex::cancel_order("BTC_USDT", std::to_string(lost_1->id))).action == net::ReplyAction::drop);
  const net::ServerReply kept = serve(pionex::new_order(limit(Side::buy, "0.01"_d, "50000"_d, "kept-3")));
  CHECK(kept.action == net::ReplyAction::respond);
  CHECK(pionex::parse_new_order(kept.response));
  CHECK(venue.front.stats().faults == 3);
  // Every lost reply's request was executed: lost-1 placed and cancelled, lost-2 rests.
  CHECK(cts::test::open_client_ids(venue.engine, venue.account, "BTC_USDT") ==
        std::vector<std::string>{"kept-3", "lost-2"});
}
