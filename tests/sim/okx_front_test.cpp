// Tests for cts/sim/okx_front.hpp: requests built by cts::venue::okx and signed by
// cts::sign::OkxSigner, replies read by the cts OKX parsers. Expected values: error codes,
// messages and HTTP statuses from OKX's v5 error-code page (50111 invalid key, 50113
// invalid sign, 50105 wrong passphrase, 50102 timestamp expired (requests more than 30 s
// away), 50011 rate limit with HTTP 429, 51008 insufficient balance, 51016 duplicated
// clOrdId, 51400/51503 cancel/amend of an order that is final or unknown, 51603 order
// does not exist); BTC-USDT and BTC-USDT-SWAP rules as OKX lists them (tickSz 0.1; SPOT
// lotSz 0.00000001, minSz 0.00001; SWAP ctVal 0.01 BTC, lotSz 0.01, minSz 0.01); amounts
// computed by hand in the comments (fees 0.1 % of price·size·ctVal, initial margin =
// value / leverage 10, mark = mid of the book). tests/engine/okx_sim_gateway_test.cpp
// drives the registry's okx::V5Gateway over loopback HTTP against a Simulator speaking
// OKX.
#include <cts/sim/okx_front.hpp>
#include <cts/sim/simulator.hpp>

#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <simdjson.h>

#include <cts/sign/okx.hpp>
#include <cts/sign/secret.hpp>
#include <cts/venue/okx/account.hpp>
#include <cts/venue/okx/market.hpp>
#include <cts/venue/okx/orders.hpp>
#include <cts/venue/okx/rate_limit.hpp>
#include <cts/venue/okx/requests.hpp>

#include "sim/open_client_ids.hpp"
#include "sim/raw_request.hpp"

using namespace cts;
using namespace cts::literals;
namespace okx = cts::venue::okx;
using okx::InstType;

namespace {

using cts::test::raw_request;

constexpr std::string_view kOkxKey = "okx-key";
constexpr std::string_view kOkxSecret = "okx-secret";
constexpr std::string_view kOkxPassphrase = "okx-passphrase";
constexpr std::int64_t kOkxNowMs = 1'700'000'000'000;
const SystemTime kOkxNow = from_unix_millis(kOkxNowMs);
const std::string kOkxSwapMarket = sim::market_key(InstrumentKind::linear_perpetual, "BTC-USDT-SWAP");

// OKX's markets behind an OKX front; our account holds 100000 USDT and 10 BTC, the
// counterparty 10000000 USDT and 1000 BTC.
struct OkxVenue {
  sim::MatchingEngine engine;
  sim::OkxFront front;
  sim::AccountId account;
  sim::AccountId other;
  explicit OkxVenue(sim::OkxFrontConfig config = {}) : front(engine, std::move(config)) {
    for (const sim::MarketSpec& m : sim::default_okx_markets()) engine.add_symbol(m.instrument, m.filters);
    account = engine.create_account();
    other = engine.create_account();
    engine.deposit(account, "USDT", "100000"_d);
    engine.deposit(account, "BTC", "10"_d);
    engine.deposit(other, "USDT", "10000000"_d);
    engine.deposit(other, "BTC", "1000"_d);
    front.add_credential(std::string(kOkxKey), kOkxSecret, std::string(kOkxPassphrase), account);
  }

  HttpResponse send_as(venue::Request request, std::string_view key, std::string_view secret,
                       std::string_view passphrase, SystemTime signed_at, SystemTime received_at) {
    const sign::OkxSigner signer{std::string(key), sign::Secret(std::string(secret)),
                                 sign::Secret(std::string(passphrase))};
    REQUIRE(signer.sign(request.http, sign::SigningContext{.now = signed_at, .nonce = {}, .nonce_text = {}}));
    return front.handle(request.http, received_at).response;
  }
  HttpResponse send(venue::Request request, SystemTime at = kOkxNow) {
    return send_as(std::move(request), kOkxKey, kOkxSecret, kOkxPassphrase, at, at);
  }
  HttpResponse send(const Result<venue::Request>& request, SystemTime at = kOkxNow) {
    REQUIRE(request.has_value());
    return send(*request, at);
  }

  // The counterparty rests a limit order in `market` (an engine market name).
  void rest(const std::string& market, Side side, Decimal quantity, Decimal price) {
    sim::OrderRequest r;
    r.account = other;
    r.symbol = market;
    r.side = side;
    r.quantity = quantity;
    r.price = price;
    REQUIRE(engine.place(r, kOkxNowMs));
  }
  [[nodiscard]] sim::Balance balance(std::string_view asset) const { return engine.balance(account, asset); }
};

venue::NewOrder okx_order(std::string symbol, Side side, Decimal quantity, std::optional<Decimal> price,
                          std::string client_id) {
  venue::NewOrder o;
  o.symbol = std::move(symbol);
  o.side = side;
  o.type = price ? OrderType::limit : OrderType::market;
  o.quantity = quantity;
  o.price = price;
  o.client_order_id = std::move(client_id);
  return o;
}

venue::Request okx_place(const venue::NewOrder& order) {
  const InstType type = order.symbol.ends_with("-SWAP") ? InstType::swap : InstType::spot;
  return okx::place_order(type, order).value();
}

// The text of the first member `name` of the reply's first data element (or of the
// envelope when `name` is "code" or "msg").
std::string okx_field(const HttpResponse& r, std::string_view name) {
  simdjson::dom::parser parser;
  const simdjson::dom::element doc = parser.parse(r.body);
  if (name == "code" || name == "msg") return std::string(std::string_view(doc[name]));
  simdjson::dom::element first = doc["data"].at(0);
  if (first[name].error() != simdjson::SUCCESS) {
    first = first["details"].at(0);  // a balance's first currency
  }
  return std::string(std::string_view(first[name]));
}

venue::OrderRef okx_ref(std::string symbol, std::optional<std::string> order_id, std::string client_id = {}) {
  return venue::OrderRef{std::move(symbol), std::move(order_id), std::move(client_id)};
}

}  // namespace

TEST_CASE("okx front: public endpoints answer in OKX's shapes") {
  OkxVenue v;
  const HttpResponse time = v.front.handle(okx::server_time().http, kOkxNow).response;
  CHECK(time.status == 200);
  CHECK(okx::parse_server_time(time).value() == kOkxNowMs);

  const auto spot = okx::parse_instruments(v.send(okx::instruments(InstType::spot, "BTC-USDT")), InstType::spot);
  REQUIRE(spot.has_value());
  REQUIRE(spot->size() == 1);
  const Instrument& btc = (*spot)[0].listed.instrument;
  CHECK((*spot)[0].listed.trading());
  CHECK(btc.venue_symbol == "BTC-USDT");
  CHECK(btc.base == "BTC");
  CHECK(btc.quote == "USDT");
  CHECK(btc.tick_size == "0.1"_d);
  CHECK(btc.step_size == "0.00000001"_d);
  CHECK(btc.min_quantity == "0.00001"_d);
  CHECK(btc.multiplier == "1"_d);
  const auto all_spot = okx::parse_instruments(v.send(okx::instruments(InstType::spot)), InstType::spot);
  REQUIRE(all_spot.has_value());
  CHECK(all_spot->size() == 2);  // BTC-USDT and ETH-USDT; the SWAP is not SPOT

  const auto swap = okx::parse_instruments(v.send(okx::instruments(InstType::swap, "BTC-USDT-SWAP")), InstType::swap);
  REQUIRE(swap.has_value());
  REQUIRE(swap->size() == 1);
  const Instrument& perp = (*swap)[0].listed.instrument;
  CHECK(perp.kind == InstrumentKind::linear_perpetual);
  CHECK(perp.base == "BTC");
  CHECK(perp.quote == "USDT");
  CHECK(perp.settle == "USDT");
  CHECK(perp.multiplier == "0.01"_d);  // ctVal 0.01 × ctMult 1
  CHECK(perp.tick_size == "0.1"_d);
  CHECK(perp.step_size == "0.01"_d);
  CHECK(perp.min_quantity == "0.01"_d);

  const HttpResponse unknown = v.send(okx::instruments(InstType::spot, "DOGE-USDT"));
  CHECK(okx::parse_instruments(unknown, InstType::spot).error().venue_code == "51001");

  v.rest("BTC-USDT", Side::buy, "0.3"_d, "59000"_d);
  v.rest("BTC-USDT", Side::sell, "0.5"_d, "60000"_d);
  const auto book = okx::parse_order_book(v.send(okx::order_book(InstType::spot, "BTC-USDT", 5)));
  REQUIRE(book.has_value());
  REQUIRE(book->bids.size() == 1);
  REQUIRE(book->asks.size() == 1);
  CHECK(book->bids[0] == venue::PriceLevel{"59000"_d, "0.3"_d});
  CHECK(book->asks[0] == venue::PriceLevel{"60000"_d, "0.5"_d});
  CHECK(book->event_time_ms == kOkxNowMs);
  const auto ticker = okx::parse_ticker(v.send(okx::ticker(InstType::spot, "BTC-USDT")));
  REQUIRE(ticker.has_value());
  CHECK(ticker->symbol == "BTC-USDT");
  CHECK(ticker->bid_price == "59000"_d);
  CHECK(ticker->bid_quantity == "0.3"_d);
  CHECK(ticker->ask_price == "60000"_d);
  CHECK(ticker->ask_quantity == "0.5"_d);
  CHECK(ticker->last_price == "0"_d);  // no trade yet: "" reads as 0

  const HttpResponse missing = v.front.handle(raw_request(HttpMethod::get, "/api/v5/nope", "").http, kOkxNow).response;
  CHECK(missing.status == 404);
  CHECK(okx::parse_server_time(missing).error().code == ErrorCode::invalid_argument);
}

TEST_CASE("okx front: authentication failures are OKX's codes and change nothing") {
  OkxVenue v;
  const venue::Request order = okx_place(okx_order("BTC-USDT", Side::buy, "0.01"_d, "50000"_d, "auth1"));
  const auto refused = [&](const HttpResponse& r, std::string_view code, ErrorCode kind) {
    CHECK(r.status == 401);
    CHECK(okx_field(r, "code") == code);
    const auto parsed = okx::parse_order_ack(r);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().venue_code == code);
    CHECK(parsed.error().code == kind);
  };
  refused(v.send_as(order, "other-key", kOkxSecret, kOkxPassphrase, kOkxNow, kOkxNow), "50111", ErrorCode::auth_failed);
  refused(v.send_as(order, kOkxKey, "other-secret", kOkxPassphrase, kOkxNow, kOkxNow), "50113",
          ErrorCode::invalid_signature);
  refused(v.send_as(order, kOkxKey, kOkxSecret, "other-passphrase", kOkxNow, kOkxNow), "50105", ErrorCode::auth_failed);
  // 31 s before the server's clock is outside OKX's 30 s; so is 31 s after.
  refused(v.send_as(order, kOkxKey, kOkxSecret, kOkxPassphrase, kOkxNow - std::chrono::seconds(31), kOkxNow), "50102",
          ErrorCode::timestamp_out_of_window);
  refused(v.send_as(order, kOkxKey, kOkxSecret, kOkxPassphrase, kOkxNow + std::chrono::seconds(31), kOkxNow), "50102",
          ErrorCode::timestamp_out_of_window);
  // A body changed after signing.
  venue::Request tampered = order;
  const sign::OkxSigner signer{std::string(kOkxKey), sign::Secret(std::string(kOkxSecret)),
                               sign::Secret(std::string(kOkxPassphrase))};
  REQUIRE(signer.sign(tampered.http, sign::SigningContext{.now = kOkxNow, .nonce = {}, .nonce_text = {}}));
  tampered.http.body.replace(tampered.http.body.find("50000"), 5, "50001");
  refused(v.front.handle(tampered.http, kOkxNow).response, "50113", ErrorCode::invalid_signature);
  // No headers at all.
  const HttpResponse bare = v.front.handle(order.http, kOkxNow).response;
  CHECK(bare.status == 401);
  CHECK(okx_field(bare, "code") == "50103");

  CHECK(v.engine.open_orders(v.account, "BTC-USDT").empty());
  CHECK(v.balance("USDT").free == "100000"_d);
  CHECK(v.front.stats().auth_rejected == 4);  // key, secret, passphrase, tampered body

  // 29 s away is inside the window.
  const HttpResponse late =
      v.send_as(order, kOkxKey, kOkxSecret, kOkxPassphrase, kOkxNow - std::chrono::seconds(29), kOkxNow);
  CHECK(okx::parse_order_ack(late).has_value());
}

TEST_CASE("okx front: SPOT place, query, amend and cancel") {
  OkxVenue v;
  // A resting buy of 0.01 at 58000 locks 580 USDT.
  const HttpResponse placed = v.send(okx_place(okx_order("BTC-USDT", Side::buy, "0.01"_d, "58000"_d, "okx1")));
  CHECK(okx_field(placed, "code") == "0");
  const auto ack = okx::parse_order_ack(placed);
  REQUIRE(ack.has_value());
  CHECK(ack->client_order_id == "okx1");
  CHECK(ack->time_ms == kOkxNowMs);
  REQUIRE_FALSE(ack->order_id.empty());
  CHECK(v.balance("USDT").locked == "580"_d);
  CHECK(v.balance("USDT").free == "99420"_d);

  const auto queried = okx::parse_orders(v.send(okx::order_details(InstType::spot, okx_ref("BTC-USDT", {}, "okx1"))));
  REQUIRE(queried.has_value());
  REQUIRE(queried->items.size() == 1);
  const venue::OrderReport& report = queried->items[0];
  CHECK(report.order_id == ack->order_id);
  CHECK(report.client_order_id == "okx1");
  CHECK(report.symbol == "BTC-USDT");
  CHECK(report.status == venue::OrderStatus::new_);
  CHECK(report.type == OrderType::limit);
  CHECK(report.time_in_force == TimeInForce::gtc);
  CHECK(report.price == "58000"_d);
  CHECK(report.quantity == "0.01"_d);
  CHECK(report.executed_quantity == "0"_d);

  // Amend the price to 58500: 0.01 × 58500 = 585 locked.
  venue::OrderAmendment amendment{okx_ref("BTC-USDT", ack->order_id), std::nullopt, "58500"_d, std::nullopt};
  const auto amended = okx::parse_order_ack(v.send(okx::amend_order(InstType::spot, amendment)));
  REQUIRE(amended.has_value());
  CHECK(amended->order_id == ack->order_id);
  CHECK(v.balance("USDT").locked == "585"_d);
  amendment.order = okx_ref("BTC-USDT", "999999");
  const auto amend_unknown = okx::parse_order_ack(v.send(okx::amend_order(InstType::spot, amendment)));
  CHECK(amend_unknown.error().venue_code == "51503");

  // Refusals: a clOrdId used before, more than the balance (10 × 58000 = 580000 USDT),
  // less than minSz 0.00001.
  const HttpResponse duplicate = v.send(okx_place(okx_order("BTC-USDT", Side::buy, "0.01"_d, "50000"_d, "okx1")));
  CHECK(okx_field(duplicate, "code") == "1");
  CHECK(okx_field(duplicate, "sCode") == "51016");
  CHECK(okx::parse_order_ack(duplicate).error().code == ErrorCode::duplicate_client_order_id);
  const auto poor =
      okx::parse_order_ack(v.send(okx_place(okx_order("BTC-USDT", Side::buy, "10"_d, "58000"_d, "okx2"))));
  CHECK(poor.error().venue_code == "51008");
  CHECK(poor.error().code == ErrorCode::insufficient_funds);
  const auto tiny =
      okx::parse_order_ack(v.send(okx_place(okx_order("BTC-USDT", Side::buy, "0.000001"_d, "58000"_d, "okx3"))));
  CHECK(tiny.error().venue_code == "51020");
  const auto missing_size =
      v.send(raw_request(HttpMethod::post, "/api/v5/trade/order",
                         R"({"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"limit","px":"1"})"));
  CHECK(okx_field(missing_size, "code") == "50014");
  const auto wrong_mode =
      v.send(raw_request(HttpMethod::post, "/api/v5/trade/order",
                         R"({"instId":"BTC-USDT","tdMode":"cross","side":"buy","ordType":"limit","px":"1","sz":"1"})"));
  CHECK(okx_field(wrong_mode, "code") == "51000");
  CHECK(v.engine.open_orders(v.account, "BTC-USDT").size() == 1);

  const auto cancelled =
      okx::parse_order_ack(v.send(okx::cancel_order(InstType::spot, okx_ref("BTC-USDT", ack->order_id))));
  REQUIRE(cancelled.has_value());
  CHECK(cancelled->order_id == ack->order_id);
  CHECK(cancelled->client_order_id == "okx1");
  CHECK(v.balance("USDT").free == "100000"_d);
  CHECK(v.balance("USDT").locked == "0"_d);
  const auto again =
      okx::parse_order_ack(v.send(okx::cancel_order(InstType::spot, okx_ref("BTC-USDT", ack->order_id))));
  CHECK(again.error().venue_code == "51400");
  const auto final_state =
      okx::parse_orders(v.send(okx::order_details(InstType::spot, okx_ref("BTC-USDT", ack->order_id))));
  REQUIRE(final_state.has_value());
  CHECK(final_state->items.at(0).status == venue::OrderStatus::canceled);
  const auto nothing = okx::parse_orders(v.send(okx::order_details(InstType::spot, okx_ref("BTC-USDT", {}, "nope"))));
  CHECK(nothing.error().venue_code == "51603");
  CHECK(nothing.error().code == ErrorCode::order_not_found);
}

TEST_CASE("okx front: SPOT fills, order lists and the balance") {
  OkxVenue v;
  v.rest("BTC-USDT", Side::sell, "0.5"_d, "60000"_d);
  // A market buy of 0.1 BTC (tgtCcy base_ccy, as cts sends it) takes 0.1 at 60000 =
  // 6000 USDT and receives 0.1 less the 0.1 % fee: 0.0999 BTC.
  const auto bought = okx::parse_order_ack(v.send(okx_place(okx_order("BTC-USDT", Side::buy, "0.1"_d, {}, "mkt1"))));
  REQUIRE(bought.has_value());
  CHECK(v.balance("USDT").free == "94000"_d);
  CHECK(v.balance("BTC").free == "10.0999"_d);
  const auto filled =
      okx::parse_orders(v.send(okx::order_details(InstType::spot, okx_ref("BTC-USDT", bought->order_id))));
  REQUIRE(filled.has_value());
  const venue::OrderReport& order = filled->items.at(0);
  CHECK(order.status == venue::OrderStatus::filled);
  CHECK(order.type == OrderType::market);
  CHECK(order.quantity == "0.1"_d);
  CHECK(order.executed_quantity == "0.1"_d);
  CHECK(order.average_price == "60000"_d);

  okx::ListQuery q;
  q.type = InstType::spot;
  q.inst_id = "BTC-USDT";
  const auto fills = okx::parse_fills(v.send(okx::fills(q)));
  REQUIRE(fills.has_value());
  REQUIRE(fills->items.size() == 1);
  const venue::AccountTrade& fill = fills->items[0];
  CHECK(fill.order_id == bought->order_id);
  CHECK(fill.side == Side::buy);
  CHECK(fill.price == "60000"_d);
  CHECK(fill.quantity == "0.1"_d);
  CHECK(fill.commission == "0.0001"_d);
  CHECK(fill.commission_asset == "BTC");
  CHECK_FALSE(fill.maker);
  CHECK(fill.time_ms == kOkxNowMs);
  CHECK_FALSE(fills->after.empty());
  q.after = fills->after;
  CHECK(okx::parse_fills(v.send(okx::fills(q)))->items.empty());  // nothing older

  // Two resting orders, then one cancelled: pending lists one, history two (newest first).
  const auto first =
      okx::parse_order_ack(v.send(okx_place(okx_order("BTC-USDT", Side::buy, "0.01"_d, "50000"_d, "rest1"))));
  const auto second =
      okx::parse_order_ack(v.send(okx_place(okx_order("BTC-USDT", Side::buy, "0.02"_d, "51000"_d, "rest2"))));
  REQUIRE(first.has_value());
  REQUIRE(second.has_value());
  REQUIRE(okx::parse_order_ack(v.send(okx::cancel_order(InstType::spot, okx_ref("BTC-USDT", {}, "rest1")))));
  q = {};
  q.type = InstType::spot;
  const auto pending = okx::parse_orders(v.send(okx::orders_pending(q)));
  REQUIRE(pending.has_value());
  REQUIRE(pending->items.size() == 1);
  CHECK(pending->items[0].client_order_id == "rest2");
  const auto history = okx::parse_orders(v.send(okx::orders_history(q)));
  REQUIRE(history.has_value());
  REQUIRE(history->items.size() == 2);
  CHECK(history->items[0].client_order_id == "rest1");
  CHECK(history->items[1].client_order_id == "mkt1");
  q.limit = 1;
  const auto page = okx::parse_orders(v.send(okx::orders_history(q)));
  REQUIRE(page.has_value());
  REQUIRE(page->items.size() == 1);
  q.after = page->after;
  const auto next = okx::parse_orders(v.send(okx::orders_history(q)));
  REQUIRE(next.has_value());
  CHECK(next->items.at(0).client_order_id == "mkt1");

  // rest2 locks 0.02 × 51000 = 1020 of the 94000 USDT.
  const auto balances = okx::parse_balance(v.send(okx::balance()));
  REQUIRE(balances.has_value());
  REQUIRE(balances->size() == 2);
  CHECK((*balances)[0] == venue::Balance{"BTC", "10.0999"_d, "0"_d});
  CHECK((*balances)[1] == venue::Balance{"USDT", "92980"_d, "1020"_d});
  const auto usdt_only = okx::parse_balance(v.send(okx::balance("USDT")));
  REQUIRE(usdt_only.has_value());
  CHECK(usdt_only->size() == 1);
}

TEST_CASE("okx front: order types, quote-sized market buys and header checks") {
  OkxVenue v;
  v.rest("BTC-USDT", Side::sell, "0.5"_d, "60000"_d);
  // A FOK buy of 1 at 60000 cannot fill (0.5 offered): accepted, then canceled unfilled.
  venue::NewOrder fok = okx_order("BTC-USDT", Side::buy, "1"_d, "60000"_d, "fok1");
  fok.time_in_force = TimeInForce::fok;
  const auto fok_ack = okx::parse_order_ack(v.send(okx_place(fok)));
  REQUIRE(fok_ack.has_value());
  const auto fok_state =
      okx::parse_orders(v.send(okx::order_details(InstType::spot, okx_ref("BTC-USDT", fok_ack->order_id))));
  REQUIRE(fok_state.has_value());
  CHECK(fok_state->items.at(0).status == venue::OrderStatus::canceled);
  CHECK(fok_state->items.at(0).time_in_force == TimeInForce::fok);
  CHECK(fok_state->items.at(0).executed_quantity == "0"_d);
  // A post-only buy at the ask would take: refused (the simulator's 51000).
  venue::NewOrder maker = okx_order("BTC-USDT", Side::buy, "0.01"_d, "60000"_d, "po1");
  maker.time_in_force = TimeInForce::post_only;
  CHECK(okx_field(v.send(okx_place(maker)), "code") == "51000");
  maker.price = "59000"_d;
  const auto maker_ack = okx::parse_order_ack(v.send(okx_place(maker)));
  REQUIRE(maker_ack.has_value());
  CHECK(okx_field(v.send(okx::order_details(InstType::spot, okx_ref("BTC-USDT", maker_ack->order_id))), "ordType") ==
        "post_only");

  // Without tgtCcy a SPOT market buy is sized in quote (OKX's default): 600 USDT buy 0.01
  // BTC at 60000; the order reports sz 600 and tgtCcy quote_ccy, which the parser reads
  // as the filled quantity.
  const auto by_quote = v.send(cts::test::raw_request(
      HttpMethod::post, "/api/v5/trade/order",
      R"({"instId":"BTC-USDT","tdMode":"cash","clOrdId":"quote1","side":"buy","ordType":"market","sz":"600"})"));
  const auto quote_ack = okx::parse_order_ack(by_quote);
  REQUIRE(quote_ack.has_value());
  const HttpResponse quote_state = v.send(okx::order_details(InstType::spot, okx_ref("BTC-USDT", quote_ack->order_id)));
  CHECK(okx_field(quote_state, "sz") == "600");
  CHECK(okx_field(quote_state, "tgtCcy") == "quote_ccy");
  CHECK(okx::parse_orders(quote_state)->items.at(0).quantity == "0.01"_d);
  CHECK(v.balance("BTC").free == "10.00999"_d);  // 10 + 0.01 − 0.00001 fee

  // Pending SWAP orders: none, though a SPOT one rests.
  okx::ListQuery q;
  q.type = InstType::swap;
  CHECK(okx::parse_orders(v.send(okx::orders_pending(q)))->items.empty());
  q.type = InstType::spot;
  CHECK(okx::parse_orders(v.send(okx::orders_pending(q)))->items.size() == 1);

  // A timestamp that is not ISO 8601 with milliseconds: 50112; no passphrase: 50104.
  venue::Request order = okx_place(okx_order("BTC-USDT", Side::buy, "0.01"_d, "50000"_d, "hdr1"));
  const sign::OkxSigner signer{std::string(kOkxKey), sign::Secret(std::string(kOkxSecret)),
                               sign::Secret(std::string(kOkxPassphrase))};
  REQUIRE(signer.sign(order.http, sign::SigningContext{.now = kOkxNow, .nonce = {}, .nonce_text = {}}));
  venue::Request seconds = order;
  seconds.http.set_header("OK-ACCESS-TIMESTAMP", "2023-11-14T22:13:20Z");
  const HttpResponse bad_time = v.front.handle(seconds.http, kOkxNow).response;
  CHECK(bad_time.status == 401);
  CHECK(okx_field(bad_time, "code") == "50112");
  venue::Request bare = order;
  bare.http.set_header("OK-ACCESS-PASSPHRASE", "");
  CHECK(okx_field(v.front.handle(bare.http, kOkxNow).response, "code") == "50104");
  CHECK(okx::parse_order_ack(v.front.handle(order.http, kOkxNow).response).has_value());
}

TEST_CASE("okx front: batch endpoints answer per item, code 2 for a partial failure") {
  OkxVenue v;
  const std::vector<venue::NewOrder> orders{okx_order("BTC-USDT", Side::buy, "0.01"_d, "50000"_d, "b1"),
                                            okx_order("BTC-USDT", Side::buy, "0.01"_d, "50100"_d, "b1"),
                                            okx_order("BTC-USDT", Side::buy, "0.01"_d, "50200"_d, "b2")};
  const HttpResponse placed = v.send(okx::place_batch(InstType::spot, orders, okx::TradeMode::cash));
  CHECK(okx_field(placed, "code") == "2");
  const auto items = okx::parse_batch(placed);
  REQUIRE(items.has_value());
  REQUIRE(items->size() == 3);
  CHECK_FALSE((*items)[0].error);
  CHECK((*items)[0].ack.client_order_id == "b1");
  REQUIRE((*items)[1].error);
  CHECK((*items)[1].error->venue_code == "51016");  // b1 again, inside the same batch
  CHECK_FALSE((*items)[2].error);
  CHECK(v.engine.open_orders(v.account, "BTC-USDT").size() == 2);

  const std::vector<venue::OrderAmendment> amendments{
      {okx_ref("BTC-USDT", {}, "b1"), "0.02"_d, std::nullopt, std::nullopt},
      {okx_ref("BTC-USDT", {}, "b2"), std::nullopt, "50300"_d, std::nullopt}};
  const HttpResponse amended = v.send(okx::amend_batch(InstType::spot, amendments));
  CHECK(okx_field(amended, "code") == "0");
  // b1: 0.02 × 50000 = 1000; b2: 0.01 × 50300 = 503.
  CHECK(v.balance("USDT").locked == "1503"_d);

  const std::vector<venue::OrderRef> refs{okx_ref("BTC-USDT", "424242"), okx_ref("BTC-USDT", "434343")};
  const HttpResponse none = v.send(okx::cancel_batch(InstType::spot, refs));
  CHECK(okx_field(none, "code") == "1");
  const auto none_items = okx::parse_batch(none);
  REQUIRE(none_items.has_value());
  REQUIRE(none_items->size() == 2);
  CHECK((*none_items)[0].error->venue_code == "51400");
  const std::vector<venue::OrderRef> both{okx_ref("BTC-USDT", {}, "b1"), okx_ref("BTC-USDT", {}, "b2")};
  CHECK(okx_field(v.send(okx::cancel_batch(InstType::spot, both)), "code") == "0");
  CHECK(v.engine.open_orders(v.account, "BTC-USDT").empty());

  std::string many = "[";
  for (int i = 0; i < 21; ++i) {
    many += fmt::format(R"({}{{"instId":"BTC-USDT","ordId":"{}"}})", i == 0 ? "" : ",", i + 1);
  }
  many += "]";
  CHECK(okx_field(v.send(raw_request(HttpMethod::post, "/api/v5/trade/cancel-batch-orders", many)), "code") == "51000");
}

TEST_CASE("okx front: SWAP sizes are contracts of 0.01 BTC") {
  OkxVenue v;
  v.rest(kOkxSwapMarket, Side::sell, "5"_d, "60000"_d);
  v.rest(kOkxSwapMarket, Side::buy, "3"_d, "59000"_d);
  // Buy 2 contracts at market: 2 × 0.01 BTC at 60000 = 1200 USDT of value, taker fee
  // 0.1 % = 1.2 USDT, initial margin at 10× = 120 USDT.
  const auto bought =
      okx::parse_order_ack(v.send(okx_place(okx_order("BTC-USDT-SWAP", Side::buy, "2"_d, {}, "swap1"))));
  REQUIRE(bought.has_value());
  CHECK(v.balance("USDT").free == "99998.8"_d);
  const auto filled =
      okx::parse_orders(v.send(okx::order_details(InstType::swap, okx_ref("BTC-USDT-SWAP", bought->order_id))));
  REQUIRE(filled.has_value());
  CHECK(filled->items.at(0).executed_quantity == "2"_d);
  CHECK(filled->items.at(0).average_price == "60000"_d);
  CHECK(okx_field(v.send(okx::order_details(InstType::swap, okx_ref("BTC-USDT-SWAP", bought->order_id))), "tdMode") ==
        "cross");

  // Mark = mid of 59000 and 60000 = 59500; upl = (59500 − 60000) × 2 × 0.01 = −10;
  // notional = 2 × 0.01 × 59500 = 1190.
  const auto held = okx::parse_positions(v.send(okx::positions(InstType::swap, "BTC-USDT-SWAP")));
  REQUIRE(held.has_value());
  REQUIRE(held->size() == 1);
  const venue::Position& position = (*held)[0];
  CHECK(position.symbol == "BTC-USDT-SWAP");
  CHECK(position.side == venue::PositionSide::both);
  CHECK(position.quantity == "2"_d);
  CHECK(position.entry_price == "60000"_d);
  CHECK(position.mark_price == "59500"_d);
  CHECK(position.unrealized_pnl == "-10"_d);
  CHECK(position.notional == "1190"_d);
  CHECK(position.leverage == "10"_d);
  CHECK(position.margin_mode == venue::MarginMode::cross);
  CHECK(okx_field(v.send(okx::positions(InstType::swap, "BTC-USDT-SWAP")), "imr") == "120");

  // USDT: cashBal 99998.8; frozenBal the position's 120; availBal 99878.8; eq 99988.8.
  const HttpResponse balance = v.send(okx::balance("USDT"));
  CHECK(okx_field(balance, "cashBal") == "99998.8");
  CHECK(okx_field(balance, "frozenBal") == "120");
  CHECK(okx_field(balance, "availBal") == "99878.8");
  CHECK(okx_field(balance, "upl") == "-10");
  CHECK(okx_field(balance, "eq") == "99988.8");

  // Sell 1 contract into the bid at 59000: realises (59000 − 60000) × 1 × 0.01 = −10 and
  // pays 59000 × 1 × 0.01 × 0.1 % = 0.59: 99998.8 − 10 − 0.59 = 99988.21.
  const auto sold = okx::parse_order_ack(v.send(okx_place(okx_order("BTC-USDT-SWAP", Side::sell, "1"_d, {}, "swap2"))));
  REQUIRE(sold.has_value());
  CHECK(v.balance("USDT").free == "99988.21"_d);
  okx::ListQuery q;
  q.type = InstType::swap;
  q.order_id = sold->order_id;
  const auto fills = okx::parse_fills(v.send(okx::fills(q)));
  REQUIRE(fills.has_value());
  REQUIRE(fills->items.size() == 1);
  CHECK(fills->items[0].quantity == "1"_d);
  CHECK(fills->items[0].price == "59000"_d);
  CHECK(fills->items[0].realized_pnl == "-10"_d);
  CHECK(fills->items[0].commission == "0.59"_d);
  CHECK(fills->items[0].commission_asset == "USDT");
  const auto after_sale = okx::parse_positions(v.send(okx::positions(InstType::swap)));
  REQUIRE(after_sale.has_value());
  REQUIRE(after_sale->size() == 1);
  CHECK((*after_sale)[0].quantity == "1"_d);
  CHECK((*after_sale)[0].unrealized_pnl == "-5"_d);  // (59500 − 60000) × 1 × 0.01

  // Reduce-only beyond the 1 contract held; a size off the 0.01 lot; SPOT tdMode on SWAP.
  venue::NewOrder reduce = okx_order("BTC-USDT-SWAP", Side::sell, "2"_d, "61000"_d, "swap3");
  reduce.reduce_only = true;
  CHECK(okx::parse_order_ack(v.send(okx_place(reduce))).error().venue_code == "51169");
  CHECK(okx::parse_order_ack(v.send(okx_place(okx_order("BTC-USDT-SWAP", Side::buy, "0.015"_d, "50000"_d, "swap4"))))
            .error()
            .venue_code == "51121");
  CHECK(okx_field(
            v.send(raw_request(
                HttpMethod::post, "/api/v5/trade/order",
                R"({"instId":"BTC-USDT-SWAP","tdMode":"cash","side":"buy","ordType":"limit","px":"50000","sz":"1"})")),
            "code") == "51000");
  // A limit buy of 3 contracts at 50000 holds 3 × 0.01 × 50000 / 10 = 150 of margin.
  REQUIRE(okx::parse_order_ack(v.send(okx_place(okx_order("BTC-USDT-SWAP", Side::buy, "3"_d, "50000"_d, "swap5")))));
  CHECK(v.engine.order_margin(v.account, "USDT") == "150"_d);
}

TEST_CASE("okx front: rate limits answer 429 with 50011, faults as OKX's errors") {
  sim::OkxFrontConfig config;
  config.limits.balance_per_window = 2;
  config.limits.place_per_window = 1;
  config.limits.batch_orders_per_window = 2;
  OkxVenue v(config);
  CHECK(okx::parse_balance(v.send(okx::balance())).has_value());
  CHECK(okx::parse_balance(v.send(okx::balance())).has_value());
  const HttpResponse third = v.send(okx::balance());
  CHECK(third.status == 429);
  CHECK(okx_field(third, "code") == "50011");
  CHECK(okx::throttle_signal(third).has_value());
  CHECK(okx::parse_balance(third).error().code == ErrorCode::rate_limited);
  // The next 2 s window starts afresh.
  CHECK(okx::parse_balance(v.send(okx::balance(), kOkxNow + std::chrono::seconds(2))).has_value());

  // Place counts per instrument.
  CHECK(okx::parse_order_ack(v.send(okx_place(okx_order("BTC-USDT", Side::buy, "0.01"_d, "50000"_d, "rl1")))));
  CHECK(v.send(okx_place(okx_order("BTC-USDT", Side::buy, "0.01"_d, "50000"_d, "rl2"))).status == 429);
  CHECK(okx::parse_order_ack(v.send(okx_place(okx_order("ETH-USDT", Side::buy, "0.01"_d, "2000"_d, "rl3")))));
  CHECK(v.engine.open_orders(v.account, "BTC-USDT").size() == 1);

  // A batch of 3 with 2 left: the first two run, the third fails with 50011.
  const std::vector<venue::NewOrder> orders{okx_order("BTC-USDT", Side::buy, "0.01"_d, "40000"_d, "rb1"),
                                            okx_order("BTC-USDT", Side::buy, "0.01"_d, "40100"_d, "rb2"),
                                            okx_order("BTC-USDT", Side::buy, "0.01"_d, "40200"_d, "rb3")};
  const HttpResponse batch = v.send(okx::place_batch(InstType::spot, orders, okx::TradeMode::cash));
  CHECK(okx_field(batch, "code") == "2");
  const auto items = okx::parse_batch(batch);
  REQUIRE(items.has_value());
  CHECK_FALSE((*items)[1].error);
  CHECK((*items)[2].error->venue_code == "50011");
  CHECK(v.front.stats().rate_limited == 3);

  // Faults: a burst answers 429 50011 to anything; a server error, before or after
  // executing, 503 50001, which a client reads as an unknown outcome of a mutation.
  v.front.config().faults.burst_429 = 1;
  v.front.reset_faults();
  const HttpResponse burst = v.front.handle(okx::server_time().http, kOkxNow).response;
  CHECK(burst.status == 429);
  CHECK(okx_field(burst, "code") == "50011");
  CHECK(okx::parse_server_time(v.front.handle(okx::server_time().http, kOkxNow).response).has_value());
  v.front.config().faults = sim::FaultConfig{};
  v.front.config().faults.error_before_ppm = 1'000'000;
  v.front.reset_faults();
  const HttpResponse unavailable = v.front.handle(okx::server_time().http, kOkxNow).response;
  CHECK(unavailable.status == 503);
  CHECK(okx_field(unavailable, "code") == "50001");
  v.front.config().faults = sim::FaultConfig{};
  v.front.config().faults.error_after_ppm = 1'000'000;
  v.front.reset_faults();
  const HttpResponse executed = v.send(okx_place(okx_order("ETH-USDT", Side::buy, "0.01"_d, "2000"_d, "fault1")),
                                      kOkxNow + std::chrono::seconds(4));
  CHECK(executed.status == 503);
  CHECK(okx_field(executed, "code") == "50001");
  CHECK(okx::parse_order_ack(executed).error().code == ErrorCode::unknown_outcome);
  CHECK(v.engine.find_order(v.account, "ETH-USDT", std::nullopt, "fault1") != nullptr);  // it did execute
}

TEST_CASE("okx front: lost_order_replies drops the replies to the next N executed creates and cancels, never to reads") {
  sim::OkxFrontConfig config;
  config.faults = sim::FaultConfig::parse("lost_order_replies=3").value();
  OkxVenue v(config);
  const sign::OkxSigner signer{std::string(kOkxKey), sign::Secret(std::string(kOkxSecret)),
                               sign::Secret(std::string(kOkxPassphrase))};
  const auto serve = [&](venue::Request request) {
    REQUIRE(signer.sign(request.http, sign::SigningContext{.now = kOkxNow, .nonce = {}, .nonce_text = {}}));
    return v.front.handle(request.http, kOkxNow);
  };
  const auto place = [&](std::string client_id) {
    return serve(okx_place(okx_order("BTC-USDT", Side::buy, "0.01"_d, "50000"_d, std::move(client_id))));
  };
  CHECK(serve(okx::balance().value()).action == net::ReplyAction::respond);
  CHECK(place("lost1").action == net::ReplyAction::drop);
  CHECK(place("lost2").action == net::ReplyAction::drop);
  CHECK(serve(okx::cancel_order(InstType::spot, okx_ref("BTC-USDT", std::nullopt, "lost1")).value()).action ==
        net::ReplyAction::drop);
  const net::ServerReply kept = place("kept3");
  CHECK(kept.action == net::ReplyAction::respond);
  CHECK(okx::parse_order_ack(kept.response));
  CHECK(v.front.stats().faults == 3);
  // Every lost reply's request was executed: lost1 placed and cancelled, lost2 rests.
  CHECK(cts::test::open_client_ids(v.engine, v.account, "BTC-USDT") == std::vector<std::string>{"kept3", "lost2"});
}

TEST_CASE("okx front: cancel-all-after cancels the account's orders when it expires") {
  OkxVenue v;
  REQUIRE(okx::parse_order_ack(v.send(okx_place(okx_order("BTC-USDT", Side::buy, "0.01"_d, "50000"_d, "dm1")))));
  const auto armed = okx::parse_cancel_all_after(v.send(okx::cancel_all_after(10)));
  REQUIRE(armed.has_value());
  CHECK(armed->trigger_time == kOkxNowMs + 10'000);
  CHECK(armed->time == kOkxNowMs);
  v.front.advance(kOkxNow + std::chrono::milliseconds(9'999));
  CHECK(v.engine.open_orders(v.account, "BTC-USDT").size() == 1);
  v.front.advance(kOkxNow + std::chrono::seconds(10));
  CHECK(v.engine.open_orders(v.account, "BTC-USDT").empty());
  const auto disarmed =
      okx::parse_cancel_all_after(v.send(okx::cancel_all_after(0), kOkxNow + std::chrono::seconds(11)));
  REQUIRE(disarmed.has_value());
  CHECK(disarmed->trigger_time == 0);
  CHECK(okx_field(v.send(raw_request(HttpMethod::post, "/api/v5/trade/cancel-all-after", R"({"timeOut":"5"})"),
                         kOkxNow + std::chrono::seconds(12)),
                  "code") == "51000");
}
