// Tests for cts/venue/okx/gateway.hpp, sans I/O: a scripted RequestSender records each
// request and answers with OKX's documented replies (tests/fixtures/okx) or variants of
// them. Expected values are the documents'.
#include <cts/venue/okx/gateway.hpp>

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <cts/venue/registry.hpp>

#include "support.hpp"

using cts::ErrorCode;
using cts::HttpMethod;
using cts::OrderType;
using cts::Side;
using cts::venue::NewOrder;
using cts::venue::OrderRef;
using cts::venue::OrderStatus;
using cts_test::okx_fixture;
using cts_test::okx_fixture_text;
using cts_test::response;
using cts_test::ScriptedSender;
namespace okx = cts::venue::okx;
using okx::InstType;
using namespace cts::literals;

namespace {

/// The documented order details with the order's id and state replaced.
cts::HttpResponse details_of(std::string_view order_id, std::string_view state) {
  std::string text = okx_fixture_text("order_details.json");
  text.replace(text.find("680800019749904384"), 18, order_id);
  text.replace(text.find("\"filled\""), 8, fmt::format("\"{}\"", state));
  return response(200, text);
}

NewOrder spot_limit() {
  NewOrder order;
  order.symbol = "BTC-USDT";
  order.side = Side::buy;
  order.type = OrderType::limit;
  order.quantity = "0.01"_d;
  order.price = "25000"_d;
  order.client_order_id = "oktswap6";
  return order;
}

}  // namespace

TEST_CASE("okx gateway: the registry offers okx spot and swap with their own capabilities and streams") {
  const cts::venue::Connector* spot = cts::venue::find_connector(cts::VenueId::okx).value();
  CHECK(spot->market == "spot");
  CHECK(static_cast<bool>(spot->make_market_stream));
  CHECK(static_cast<bool>(spot->make_user_stream));
  const cts::venue::Connector* swap = cts::venue::find_connector(cts::VenueId::okx, "swap").value();
  CHECK(static_cast<bool>(swap->make_market_stream));
  CHECK(static_cast<bool>(swap->make_user_stream));
  CHECK(swap->capabilities->hedge_positions);
  CHECK(swap->capabilities->one_way_positions);
  CHECK(swap->capabilities->batch_create_max == 20);
  CHECK_FALSE(swap->capabilities->cancel_all);
  CHECK(swap->capabilities->cancel_all_after);
  ScriptedSender sender;
  const auto gateway = swap->make_gateway(sender, {});
  CHECK(gateway->venue() == cts::VenueId::okx);
  CHECK(&gateway->capabilities() == swap->capabilities);
}

TEST_CASE("okx gateway: server time, instrument, ticker and depth") {
  ScriptedSender sender;
  sender.then(okx_fixture("public_time.json"))
      .then(okx_fixture("instruments_swap.json"))
      .then(okx_fixture("ticker_swap.json"))
      .then(okx_fixture("books.json"));
  okx::V5Gateway gateway(sender, InstType::swap);
  CHECK(gateway.server_time_ms().value() == 1597026383085);
  const cts::Instrument btc = gateway.instrument("BTC-USDT-SWAP").value();
  CHECK(btc.multiplier == "0.01"_d);
  CHECK(sender.sent[1].http.query == "instType=SWAP&instId=BTC-USDT-SWAP");
  const cts::venue::BookTicker best = gateway.book_ticker("BTC-USD-SWAP").value();
  CHECK(best.bid_price == "8888.88"_d);
  CHECK(best.ask_quantity == "11"_d);
  const cts::venue::BookSnapshot book = gateway.depth("BTC-USD-SWAP", 400).value();
  CHECK(book.bids[0].price == "41006.3"_d);
  CHECK(sender.sent[3].http.query == "instId=BTC-USD-SWAP&sz=400");

  CHECK(gateway.depth("BTC-USD-SWAP", 401).error().code == ErrorCode::invalid_argument);
  CHECK(sender.sent.size() == 4);  // nothing sent
}

TEST_CASE("okx gateway: an instrument the list lacks is invalid_argument, one not live is rejected") {
  ScriptedSender sender;
  sender.then(okx_fixture("instruments_swap.json"));
  std::string suspended = okx_fixture_text("instruments_spot.json");
  suspended.replace(suspended.find("\"live\""), 6, "\"suspend\"");
  sender.then(response(200, suspended));
  okx::V5Gateway swap(sender, InstType::swap);
  CHECK(swap.instrument("SOL-USDT-SWAP").error().code == ErrorCode::invalid_argument);
  okx::V5Gateway spot(sender, InstType::spot);
  CHECK(spot.instrument("BTC-USDT").error().code == ErrorCode::rejected);
}

TEST_CASE("okx gateway: create_order reports the acknowledged order as pending_new") {
  ScriptedSender sender;
  sender.then(okx_fixture("order.json"));
  okx::V5Gateway gateway(sender, InstType::spot);
  const cts::venue::OrderReport report = gateway.create_order(spot_limit()).value();
  CHECK(report.order_id == "312269865356374016");
  CHECK(report.client_order_id == "oktswap6");
  CHECK(report.status == OrderStatus::pending_new);
  CHECK(report.price == "25000"_d);
  CHECK(report.quantity == "0.01"_d);
  CHECK(report.time_ms == 1695190491421);
  REQUIRE(sender.sent.size() == 1);
  CHECK(sender.sent[0].http.method == HttpMethod::post);
  CHECK(sender.sent[0].http.path == "/api/v5/trade/order");
  CHECK(sender.sent[0].http.body.find("\"tdMode\":\"cash\"") != std::string::npos);
}

TEST_CASE("okx gateway: a swap gateway trades its configured margin mode") {
  ScriptedSender sender;
  sender.then(okx_fixture("order.json"));
  okx::V5Gateway gateway(sender, InstType::swap, okx::GatewayOptions{okx::TradeMode::isolated, false});
  NewOrder order = spot_limit();
  order.symbol = "BTC-USDT-SWAP";
  REQUIRE(gateway.create_order(order));
  CHECK(sender.sent[0].http.body.find("\"tdMode\":\"isolated\"") != std::string::npos);
  CHECK_THROWS_AS(okx::V5Gateway(sender, InstType::swap, okx::GatewayOptions{okx::TradeMode::cash, false}),
                  cts::Exception);
}

TEST_CASE("okx gateway: a refused order is the item's error") {
  ScriptedSender sender;
  sender.then(okx_fixture("order_rejected.json"));
  okx::V5Gateway gateway(sender, InstType::spot);
  const auto refused = gateway.create_order(spot_limit());
  CHECK(refused.error().code == ErrorCode::rejected);
  CHECK(refused.error().venue_code == "54109");
}

TEST_CASE("okx gateway: cancel_order asks for the order's state after the acknowledgement") {
  ScriptedSender sender;
  sender.then(okx_fixture("cancel_order.json")).then(details_of("12345689", "canceled"));
  okx::V5Gateway gateway(sender, InstType::spot);
  const cts::venue::OrderReport report = gateway.cancel_order(OrderRef{"BTC-USDT", std::nullopt, "oktswap6"}).value();
  CHECK(report.status == OrderStatus::canceled);
  CHECK(report.order_id == "12345689");
  REQUIRE(sender.sent.size() == 2);
  CHECK(sender.sent[1].http.path == "/api/v5/trade/order");
  CHECK(sender.sent[1].http.query == "instId=BTC-USDT&ordId=12345689");
}

TEST_CASE("okx gateway: a cancel still working at the query is pending_cancel") {
  ScriptedSender sender;
  sender.then(okx_fixture("cancel_order.json")).then(details_of("12345689", "live"));
  okx::V5Gateway gateway(sender, InstType::spot);
  const cts::venue::OrderReport report = gateway.cancel_order(OrderRef{"BTC-USDT", std::nullopt, "oktswap6"}).value();
  CHECK(report.status == OrderStatus::pending_cancel);
  CHECK(report.order_id == "12345689");
}

TEST_CASE("okx gateway: a cancel refused because the order already filled reports the fill") {
  std::string refused = okx_fixture_text("cancel_order.json");
  refused.replace(refused.find("\"code\":\"0\""), 10, "\"code\":\"1\"");
  refused.replace(refused.find("\"sCode\":\"0\""), 11, "\"sCode\":\"51400\"");
  ScriptedSender sender;
  sender.then(response(200, refused)).then(details_of("12345689", "filled"));
  okx::V5Gateway gateway(sender, InstType::spot);
  const cts::venue::OrderReport report =
      gateway.cancel_order(OrderRef{"BTC-USDT", std::string("12345689"), "oktswap6"}).value();
  CHECK(report.status == OrderStatus::filled);
  CHECK(report.executed_quantity == "0.00192834"_d);

  // And when the query does not find it either, the refusal stands.
  ScriptedSender unknown;
  unknown.then(response(200, refused))
      .then(response(200, R"({"code":"51603","msg":"Order does not exist","data":[]})"));
  okx::V5Gateway other(unknown, InstType::spot);
  const auto lost = other.cancel_order(OrderRef{"BTC-USDT", std::string("12345689"), ""});
  CHECK(lost.error().venue_code == "51400");
}

TEST_CASE("okx gateway: query_order of an unknown order is order_not_found") {
  ScriptedSender sender;
  sender.then(response(200, R"({"code":"51603","msg":"Order does not exist","data":[]})"));
  okx::V5Gateway gateway(sender, InstType::spot);
  CHECK(gateway.query_order(OrderRef{"BTC-USDT", std::nullopt, "nosuchorder"}).error().code ==
        ErrorCode::order_not_found);
  CHECK(sender.sent[0].http.query == "instId=BTC-USDT&clOrdId=nosuchorder");
}

TEST_CASE("okx gateway: open orders and fills") {
  ScriptedSender sender;
  sender.then(okx_fixture("orders_pending.json")).then(okx_fixture("fills.json")).then(okx_fixture("fills.json"));
  okx::V5Gateway gateway(sender, InstType::spot);
  const auto open = gateway.open_orders("BTC-USDT").value();
  REQUIRE(open.size() == 1);
  CHECK(open[0].order_id == "301835739059335168");
  CHECK(sender.sent[0].http.query == "instType=SPOT&instId=BTC-USDT&limit=100");

  const auto recent = gateway.recent_trades("BTC-USDT", 10).value();
  REQUIRE(recent.size() == 1);
  CHECK(recent[0].id == "744876980");
  CHECK(sender.sent[1].http.query == "instType=SPOT&instId=BTC-USDT&limit=10");

  const auto of_order = gateway.order_trades("BTC-USDT", "680800019749904384").value();
  REQUIRE(of_order.size() == 1);
  CHECK(sender.sent[2].http.query == "instType=SPOT&instId=BTC-USDT&ordId=680800019749904384&limit=100");

  CHECK(gateway.recent_trades("BTC-USDT", 0).error().code == ErrorCode::invalid_argument);
  CHECK(sender.sent.size() == 3);
}

TEST_CASE("okx gateway: balances, positions, amend and cancel-all-after") {
  ScriptedSender sender;
  sender.then(okx_fixture("balance.json"))
      .then(okx_fixture("positions_long_short.json"))
      .then(okx_fixture("amend_order.json"))
      .then(okx_fixture("cancel_all_after.json"));
  okx::V5Gateway gateway(sender, InstType::swap);
  CHECK(gateway.balances().value()[0].asset == "USDT");
  const auto positions = gateway.positions("BTC-USDT-SWAP").value();
  REQUIRE(positions.size() == 2);
  CHECK(positions[1].quantity == "-2"_d);
  cts::venue::OrderAmendment amendment;
  amendment.order = {"BTC-USDT-SWAP", std::string("12344"), ""};
  amendment.price = "30000"_d;
  CHECK(gateway.amend_order(amendment).value().order_id == "12344");
  CHECK(gateway.cancel_all_after(60).value().trigger_time == 1587971460);
  CHECK(sender.sent[3].http.body == R"({"timeOut":"60"})");

  okx::V5Gateway spot(sender, InstType::spot);
  CHECK(spot.positions("BTC-USDT").error().code == ErrorCode::unsupported);
  CHECK(sender.sent.size() == 4);
}

TEST_CASE("okx gateway: demo trading adds the header to every request") {
  ScriptedSender sender;
  sender.then(okx_fixture("public_time.json")).then(okx_fixture("balance.json"));
  okx::V5Gateway gateway(sender, InstType::spot, okx::GatewayOptions{okx::TradeMode::cross, true});
  REQUIRE(gateway.server_time_ms());
  REQUIRE(gateway.balances());
  for (const cts::venue::Request& request : sender.sent) {
    CHECK(request.http.header("x-simulated-trading").value() == "1");
  }
  ScriptedSender live;
  live.then(okx_fixture("public_time.json"));
  okx::V5Gateway production(live, InstType::spot);
  REQUIRE(production.server_time_ms());
  CHECK_FALSE(live.sent[0].http.header("x-simulated-trading").has_value());
}

TEST_CASE("okx gateway: after a credential refusal no signed request is sent") {
  ScriptedSender sender;
  sender.then(response(401, okx_fixture_text("error_invalid_access_key.json")));
  okx::V5Gateway gateway(sender, InstType::spot);
  CHECK(gateway.balances().error().code == ErrorCode::auth_failed);
  REQUIRE(gateway.credentials_refused());
  CHECK(gateway.credentials_refused()->venue_code == "50111");
  CHECK(gateway.create_order(spot_limit()).error().code == ErrorCode::auth_failed);
  CHECK(gateway.open_orders("BTC-USDT").error().code == ErrorCode::auth_failed);
  CHECK(sender.sent.size() == 1);
}

TEST_CASE("okx gateway: the seam's dead-man switch is cancel-all-after, the range checked before sending") {
  ScriptedSender sender;
  okx::V5Gateway gateway(sender, InstType::swap);
  cts::venue::Gateway& seam = gateway;
  cts_test::check_dead_man_range_refused(seam);
  CHECK(sender.sent.empty());

  sender.then(okx_fixture("cancel_all_after.json")).then(okx_fixture("cancel_all_after.json"));
  CHECK(seam.arm_dead_man_switch(std::chrono::seconds{10}).has_value());
  CHECK(sender.sent.back().endpoint == "POST /api/v5/trade/cancel-all-after");
  CHECK(sender.sent.back().http.body == R"({"timeOut":"10"})");
  CHECK(seam.arm_dead_man_switch(std::chrono::seconds{0}).has_value());
  CHECK(sender.sent.back().http.body == R"({"timeOut":"0"})");
  CHECK(sender.sent.size() == 2);
}
