// Tests for cts/venue/binance/usdm_gateway.hpp, sans I/O: a scripted RequestSender
// records each request and answers with the replies printed in Binance's USD-M futures
// documentation (tests/fixtures/binance/usdm_*.json). Expected values are the
// documentation's, or computed by hand in the comments.
#include <cts/venue/binance/usdm_gateway.hpp>

#include <string>

#include <doctest/doctest.h>

#include <cts/rate/venue_policies.hpp>

#include "support.hpp"

using cts::ErrorCode;
using cts_test::binance_fixture;
using cts_test::binance_fixture_text;
using cts_test::response;
using cts_test::ScriptedSender;
namespace binance = cts::venue::binance;
namespace venue = cts::venue;
using namespace cts::literals;

TEST_CASE("usdm gateway: capabilities, time, and every request priced by the USD-M policy") {
  ScriptedSender sender;
  binance::UsdmGateway gateway(sender);
  CHECK(gateway.venue() == cts::VenueId::binance_usdm);
  CHECK(gateway.capabilities().has_positions());
  CHECK(gateway.capabilities().batch_create_max == 5);
  sender.then(response(200, R"({"serverTime":1499827319559})"));
  CHECK(gateway.server_time_ms().value() == 1499827319559);
  REQUIRE(sender.sent.size() == 1);
  CHECK(sender.sent[0].http.path == "/fapi/v1/time");
  const auto& policy = cts::rate::policy_for(cts::VenueId::binance_usdm);
  CHECK(policy.cost(sender.sent[0].endpoint, sender.sent[0].cost_param).has_value());
}

TEST_CASE("usdm gateway: depth asks the smallest documented limit that covers the one wanted") {
  ScriptedSender sender;
  binance::UsdmGateway gateway(sender);
  sender.then(binance_fixture("usdm_depth.json"));
  const venue::BookSnapshot book = gateway.depth("BTCUSDT", 30).value();
  REQUIRE(sender.sent.size() == 1);
  CHECK(sender.sent[0].http.path == "/fapi/v1/depth");
  CHECK(sender.sent[0].http.query == "symbol=BTCUSDT&limit=50");
  CHECK(book.last_update_id == 1027024);
  CHECK(book.bids[0].price == "4.00000000"_d);
  CHECK(book.asks[0].quantity == "12.00000000"_d);
  CHECK(gateway.depth("BTCUSDT", 0).error().code == ErrorCode::invalid_argument);
  CHECK(gateway.depth("BTCUSDT", 1001).error().code == ErrorCode::invalid_argument);
  CHECK(sender.sent.size() == 1);  // nothing sent for a refused limit
}

TEST_CASE("usdm gateway: balances from /fapi/v3/balance, positions from /fapi/v2/positionRisk") {
  ScriptedSender sender;
  binance::UsdmGateway gateway(sender);
  sender.then(binance_fixture("usdm_balance.json"));
  const auto balances = gateway.balances().value();
  REQUIRE(balances.size() == 1);
  CHECK(balances[0].asset == "USDT");
  CHECK(balances[0].free == "23.72469206"_d);         // availableBalance
  CHECK(balances[0].locked == "122583.62668697"_d);   // 122607.35137903 − 23.72469206
  CHECK(sender.sent[0].http.path == "/fapi/v3/balance");

  sender.then(binance_fixture("usdm_position_risk_v2.json"));
  const auto positions = gateway.positions("BTCUSDT").value();
  REQUIRE(positions.size() == 1);
  CHECK(positions[0].symbol == "BTCUSDT");
  CHECK(positions[0].quantity.is_zero());
  CHECK(positions[0].mark_price == "6679.50671178"_d);
  CHECK(positions[0].side == venue::PositionSide::both);
  CHECK(sender.sent[1].http.path == "/fapi/v2/positionRisk");
  CHECK(sender.sent[1].http.query.starts_with("symbol=BTCUSDT"));
}

TEST_CASE("usdm gateway: cancel-all lists the open orders first and reports them cancelled; nothing open is order_not_found") {
  ScriptedSender sender;
  binance::UsdmGateway gateway(sender);
  sender.then(response(200, "[" + binance_fixture_text("usdm_order.json") + "]"))
      .then(response(200, R"({"code":200,"msg":"The operation of cancel all open order is done."})"));
  const auto cancelled = gateway.cancel_open_orders("BTCUSDT").value();
  REQUIRE(sender.sent.size() == 2);
  CHECK(sender.sent[0].http.path == "/fapi/v1/openOrders");
  CHECK(sender.sent[1].http.path == "/fapi/v1/allOpenOrders");
  CHECK(sender.sent[1].http.method == cts::HttpMethod::delete_);
  REQUIRE(cancelled.size() == 1);
  CHECK(cancelled[0].order_id == "22542179");
  CHECK(cancelled[0].client_order_id == "testOrder");
  CHECK(cancelled[0].status == venue::OrderStatus::canceled);

  sender.then(response(200, "[]"));
  const auto none = gateway.cancel_open_orders("BTCUSDT");
  REQUIRE_FALSE(none);
  CHECK(none.error().code == ErrorCode::order_not_found);
  CHECK(sender.sent.size() == 3);  // the listing only
}

TEST_CASE("usdm gateway: a refused key is latched; later signed calls send nothing") {
  ScriptedSender sender;
  binance::UsdmGateway gateway(sender);
  sender.then(response(401, R"({"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."})"));
  const auto refused = gateway.open_orders("BTCUSDT");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::auth_failed);
  REQUIRE(gateway.credentials_refused());
  CHECK(gateway.credentials_refused()->venue_code == "-2015");
  CHECK(gateway.balances().error().code == ErrorCode::auth_failed);
  CHECK(gateway.positions("BTCUSDT").error().code == ErrorCode::auth_failed);
  CHECK(gateway.recent_trades("BTCUSDT", 10).error().code == ErrorCode::auth_failed);
  CHECK(sender.sent.size() == 1);
}

TEST_CASE("usdm gateway: recent trades from /fapi/v1/userTrades, limits checked before sending") {
  ScriptedSender sender;
  binance::UsdmGateway gateway(sender);
  sender.then(binance_fixture("usdm_user_trades.json"));
  const auto trades = gateway.recent_trades("BTCUSDT", 1000).value();
  REQUIRE(trades.size() == 1);
  CHECK(trades[0].id == "698759");
  CHECK(trades[0].price == "7819.01"_d);
  CHECK(trades[0].realized_pnl == "-0.91539999"_d);
  CHECK(sender.sent[0].http.query == "symbol=BTCUSDT&limit=1000");
  CHECK(gateway.recent_trades("BTCUSDT", 0).error().code == ErrorCode::invalid_argument);
  CHECK(sender.sent.size() == 1);
}

TEST_CASE("usdm gateway: the listen key is opened, extended and closed with the API key only") {
  ScriptedSender sender;
  binance::UsdmGateway gateway(sender);
  CHECK(gateway.capabilities().private_stream_login == venue::PrivateStreamLogin::listen_key);
  CHECK(gateway.capabilities().listen_key_validity == std::chrono::minutes{60});
  const auto& policy = cts::rate::policy_for(cts::VenueId::binance_usdm);

  sender.then(binance_fixture("usdm_listen_key.json"));
  CHECK(gateway.open_user_stream_key().value() == "pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1");
  sender.then(response(200, "{}"));
  CHECK(gateway.extend_user_stream_key("pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1"));
  sender.then(response(200, "{}"));
  CHECK(gateway.close_user_stream_key("pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1"));
  REQUIRE(sender.sent.size() == 3);
  const cts::HttpMethod methods[] = {cts::HttpMethod::post, cts::HttpMethod::put, cts::HttpMethod::delete_};
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    CHECK(sender.sent[i].http.method == methods[i]);
    CHECK(sender.sent[i].http.path == "/fapi/v1/listenKey");
    CHECK(sender.sent[i].http.query.empty());  // USD-M keeps one key per account: no parameter names it
    CHECK(sender.sent[i].security == venue::Security::api_key);
    CHECK(policy.cost(sender.sent[i].endpoint, sender.sent[i].cost_param).has_value());
  }
  // Nothing to extend or close without a key: nothing sent.
  CHECK(gateway.extend_user_stream_key("").error().code == ErrorCode::invalid_argument);
  CHECK(gateway.close_user_stream_key("").error().code == ErrorCode::invalid_argument);
  CHECK(sender.sent.size() == 3);
  // An empty key in the reply is not a key.
  sender.then(response(200, R"({"listenKey":""})"));
  CHECK(gateway.open_user_stream_key().error().code == ErrorCode::protocol_error);
}

TEST_CASE("usdm gateway: a key the venue forgot is rejected, not a credential error; a refused API key is") {
  ScriptedSender sender;
  binance::UsdmGateway gateway(sender);
  sender.then(response(400, R"({"code":-1125,"msg":"This listenKey does not exist."})"));
  const auto forgotten = gateway.extend_user_stream_key("gone");
  REQUIRE_FALSE(forgotten);
  CHECK(forgotten.error().code == ErrorCode::rejected);
  CHECK(forgotten.error().venue_code == "-1125");
  CHECK_FALSE(gateway.credentials_refused());

  sender.then(response(401, R"({"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."})"));
  CHECK(gateway.open_user_stream_key().error().code == ErrorCode::auth_failed);
  REQUIRE(gateway.credentials_refused());
  const std::size_t sent = sender.sent.size();
  CHECK(gateway.extend_user_stream_key("k").error().code == ErrorCode::auth_failed);  // latched: not sent
  CHECK(sender.sent.size() == sent);
}
