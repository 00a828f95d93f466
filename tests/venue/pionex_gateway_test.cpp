// Tests for cts/venue/pionex/gateway.hpp, sans I/O: a scripted RequestSender records each
// request and answers with the replies of tests/fixtures/pionex or variants of them.
#include <cts/venue/pionex/gateway.hpp>

#include <string>

#include <doctest/doctest.h>

#include <cts/venue/registry.hpp>

#include "support.hpp"

using cts::ErrorCode;
using cts::HttpMethod;
using cts::venue::NewOrder;
using cts::venue::OrderRef;
using cts::venue::OrderStatus;
using cts_test::pionex_fixture;
using cts_test::pionex_fixture_text;
using cts_test::response;
using cts_test::ScriptedSender;
namespace pionex = cts::venue::pionex;
using namespace cts::literals;

namespace {

/// order.json with its status and filled size replaced.
cts::HttpResponse order_in(std::string_view status, std::string_view filled) {
  std::string text = pionex_fixture_text("order.json");
  text.replace(text.find("\"OPEN\""), 6, fmt::format("\"{}\"", status));
  text.replace(text.find("\"0.0040\""), 8, fmt::format("\"{}\"", filled));
  return response(200, text);
}

const std::string kNotFound =
    R"({"result":false,"code":"TRADE_ORDER_NOT_FOUND","message":"order not found","timestamp":1566691672311})";

}  // namespace

TEST_CASE("pionex gateway: the registry offers pionex spot") {
  const cts::venue::Connector* spot = cts::venue::find_connector(cts::VenueId::pionex).value();
  CHECK(spot->market == "spot");
  CHECK(spot->default_symbol == "BTC_USDT");
  CHECK(spot->capabilities->cancel_all);
  CHECK_FALSE(spot->capabilities->websocket_order_entry);
  CHECK_FALSE(static_cast<bool>(spot->make_ws_orders));
  ScriptedSender sender;
  const auto gateway = spot->make_gateway(sender, {});
  CHECK(gateway->venue() == cts::VenueId::pionex);
  CHECK(&gateway->capabilities() == spot->capabilities);
}

TEST_CASE("pionex gateway: instrument, server time from the envelope, ticker and depth") {
  ScriptedSender sender;
  sender.then(pionex_fixture("symbols.json"))
      .then(pionex_fixture("depth.json"))
      .then(pionex_fixture("book_tickers.json"))
      .then(pionex_fixture("depth.json"));
  pionex::SpotGateway gateway(sender);
  const cts::Instrument btc = gateway.instrument("BTC_USDT").value();
  CHECK(btc.tick_size == "0.01"_d);
  CHECK(gateway.server_time_ms().value() == 1566691672311);
  CHECK(sender.sent[1].http.query == "symbol=BTC_USDT&limit=1");
  const auto best = gateway.book_ticker("BTC_USDT").value();
  CHECK(best.ask_price == "27979.32"_d);
  CHECK(gateway.depth("BTC_USDT", 20).value().bids.size() == 2);
  CHECK(gateway.depth("BTC_USDT", 1001).error().code == ErrorCode::invalid_argument);
  CHECK(sender.sent.size() == 4);
}

TEST_CASE("pionex gateway: create acknowledges pending_new with the venue's order id") {
  ScriptedSender sender;
  sender.then(pionex_fixture("new_order.json"));
  pionex::SpotGateway gateway(sender);
  const auto report = gateway.create_order(cts_test::pionex_limit_buy()).value();
  CHECK(report.order_id == "123456789");
  CHECK(report.client_order_id == "cts-1a2b3");
  CHECK(report.status == OrderStatus::pending_new);
  CHECK(report.quantity == "0.01"_d);
  CHECK(sender.sent[0].http.method == HttpMethod::post);
}

TEST_CASE("pionex gateway: cancel by client id resolves the order id, cancels and reports the final state") {
  ScriptedSender sender;
  sender.then(order_in("OPEN", "0.0040"))
      .then(response(200, R"({"result":true,"timestamp":1566691672400})"))
      .then(order_in("CLOSED", "0.0040"));
  pionex::SpotGateway gateway(sender);
  const auto report = gateway.cancel_order(OrderRef{"BTC_USDT", std::nullopt, "cts-1a2b3"}).value();
  CHECK(report.status == OrderStatus::canceled);
  CHECK(report.executed_quantity == "0.004"_d);
  REQUIRE(sender.sent.size() == 3);
  CHECK(sender.sent[0].http.path == "/api/v1/trade/orderByClientOrderId");
  CHECK(sender.sent[1].http.method == HttpMethod::delete_);
  CHECK(sender.sent[1].http.body == R"({"symbol":"BTC_USDT","orderId":123456789})");
  CHECK(sender.sent[2].http.query == "orderId=123456789");
}

TEST_CASE("pionex gateway: a refused cancel of a filled order answers the fill; of an unknown one the refusal") {
  ScriptedSender sender;
  sender.then(response(200, kNotFound)).then(order_in("CLOSED", "0.0100"));
  pionex::SpotGateway gateway(sender);
  CHECK(gateway.cancel_order(OrderRef{"BTC_USDT", "123456789", ""}).value().status == OrderStatus::filled);
  sender.then(response(200, kNotFound)).then(response(200, kNotFound));
  CHECK(gateway.cancel_order(OrderRef{"BTC_USDT", "123456789", ""}).error().code == ErrorCode::order_not_found);
}

TEST_CASE("pionex gateway: an order of another symbol is not found") {
  ScriptedSender sender;
  sender.then(pionex_fixture("order.json"));
  pionex::SpotGateway gateway(sender);
  CHECK(gateway.query_order(OrderRef{"ETH_USDT", "123456789", ""}).error().code == ErrorCode::order_not_found);
}

TEST_CASE("pionex gateway: cancel-all lists, cancels and reports what was open") {
  ScriptedSender sender;
  sender.then(pionex_fixture("open_orders.json")).then(response(200, R"({"result":true,"timestamp":7})"));
  pionex::SpotGateway gateway(sender);
  const auto cancelled = gateway.cancel_open_orders("BTC_USDT").value();
  REQUIRE(cancelled.size() == 2);
  CHECK(cancelled[0].status == OrderStatus::pending_cancel);
  CHECK(sender.sent[1].http.path == "/api/v1/trade/allOrders");
  sender.then(response(200, R"({"result":true,"data":{"orders":[]}})"));
  CHECK(gateway.cancel_open_orders("BTC_USDT").error().code == ErrorCode::order_not_found);
  CHECK(sender.sent.size() == 3);  // nothing open: no cancel sent
}

TEST_CASE("pionex gateway: fills come back oldest first; recent trades page back by endTime") {
  ScriptedSender sender;
  sender.then(pionex_fixture("fills.json"));
  pionex::SpotGateway gateway(sender);
  const auto recent = gateway.recent_trades("BTC_USDT", 1000).value();
  REQUIRE(recent.size() == 2);
  CHECK(recent[0].id == "8812301");
  CHECK(recent[1].id == "8812345");
  CHECK(sender.sent[0].http.query == "symbol=BTC_USDT");  // a short page is the last
  CHECK(gateway.recent_trades("BTC_USDT", 1001).error().code == ErrorCode::invalid_argument);

  sender.then(pionex_fixture("fills.json"));
  const auto of_order = gateway.order_trades("BTC_USDT", "123456789").value();
  CHECK(of_order.size() == 2);
  CHECK(sender.sent.back().http.query == "orderId=123456789");
}

TEST_CASE("pionex gateway: a credential refusal is latched: no further signed request is sent") {
  ScriptedSender sender;
  sender.then(response(401, R"({"result":false,"code":"INVALID_SIGNATURE","message":"Invalid signature"})"));
  pionex::SpotGateway gateway(sender);
  CHECK(gateway.balances().error().code == ErrorCode::invalid_signature);
  CHECK(gateway.open_orders("BTC_USDT").error().code == ErrorCode::invalid_signature);
  CHECK(gateway.create_order(cts_test::pionex_limit_buy()).error().code == ErrorCode::invalid_signature);
  CHECK(sender.sent.size() == 1);
  CHECK(gateway.credentials_refused().has_value());
}

TEST_CASE("pionex gateway: no dead-man switch: the seam's default answers unsupported and sends nothing") {
  ScriptedSender sender;
  const auto gateway = cts::venue::find_connector(cts::VenueId::pionex).value()->make_gateway(sender, {});
  CHECK(gateway->arm_dead_man_switch(std::chrono::seconds{60}).error().code == ErrorCode::unsupported);
  CHECK(gateway->arm_dead_man_switch(std::chrono::seconds{0}).error().code == ErrorCode::unsupported);
  CHECK(sender.sent.empty());
}
