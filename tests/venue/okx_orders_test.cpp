// Tests for cts/venue/okx/orders.hpp on OKX's documented replies (tests/fixtures/okx):
// the per-item acknowledgements of place, amend, cancel and their batch forms, a
// rejected order, Cancel All After, order lists and details, and fills. Expected values
// are the documents'.
#include <cts/venue/okx/orders.hpp>

#include <string>

#include <doctest/doctest.h>

#include "support.hpp"

using cts::ErrorCode;
using cts::OrderType;
using cts::Side;
using cts::TimeInForce;
using cts::venue::OrderStatus;
using cts::venue::PositionSide;
using cts_test::okx_fixture;
using cts_test::okx_fixture_text;
using cts_test::response;
namespace okx = cts::venue::okx;
using namespace cts::literals;

TEST_CASE("okx orders: place, amend and cancel acknowledge one item") {
  const cts::venue::OrderAck placed = okx::parse_order_ack(okx_fixture("order.json")).value();
  CHECK(placed.order_id == "312269865356374016");
  CHECK(placed.client_order_id == "oktswap6");
  CHECK(placed.time_ms == 1695190491421);

  const cts::venue::OrderAck amended = okx::parse_order_ack(okx_fixture("amend_order.json")).value();
  CHECK(amended.order_id == "12344");
  CHECK(amended.client_order_id.empty());

  const cts::venue::OrderAck cancelled = okx::parse_order_ack(okx_fixture("cancel_order.json")).value();
  CHECK(cancelled.order_id == "12345689");
  CHECK(cancelled.client_order_id == "oktswap6");
}

TEST_CASE("okx orders: a refused item is the item's error, its sCode kept") {
  const auto rejected = okx::parse_order_ack(okx_fixture("order_rejected.json"));
  REQUIRE_FALSE(rejected);
  CHECK(rejected.error().code == ErrorCode::rejected);
  CHECK(rejected.error().venue_code == "54109");
  CHECK(rejected.error().message.starts_with("okx 54109: You haven't activated trading"));

  // The same envelope with the documented code of a duplicate clOrdId (51016) and of a
  // balance too small (51008).
  std::string duplicate = okx_fixture_text("order_rejected.json");
  duplicate.replace(duplicate.find("54109"), 5, "51016");
  CHECK(okx::parse_order_ack(response(200, duplicate)).error().code == ErrorCode::duplicate_client_order_id);
  std::string poor = okx_fixture_text("order_rejected.json");
  poor.replace(poor.find("54109"), 5, "51008");
  CHECK(okx::parse_order_ack(response(200, poor)).error().code == ErrorCode::insufficient_funds);

  // Code 1 without items: the envelope's own error.
  const auto bare = okx::parse_order_ack(response(200, R"({"code":"1","msg":"Operation failed.","data":[]})"));
  CHECK(bare.error().code == ErrorCode::rejected);
  CHECK(bare.error().venue_code == "1");
  // An item without sCode is not an acknowledgement.
  const auto no_code =
      okx::parse_order_ack(response(200, R"({"code":"0","msg":"","data":[{"ordId":"1","clOrdId":""}]})"));
  CHECK(no_code.error().code == ErrorCode::protocol_error);
  CHECK(no_code.error().message.find("sCode") != std::string::npos);
  // Two items where one was asked for.
  CHECK(okx::parse_order_ack(okx_fixture("batch_orders.json")).error().code == ErrorCode::protocol_error);
}

TEST_CASE("okx orders: batch replies give one outcome per item") {
  for (const char* name : {"batch_orders.json", "amend_batch_orders.json", "cancel_batch_orders.json"}) {
    CAPTURE(name);
    const auto items = okx::parse_batch(okx_fixture(name)).value();
    REQUIRE(items.size() == 2);
    CHECK(items[0].ack.order_id == "12345689");
    CHECK(items[0].ack.client_order_id == "oktswap6");
    CHECK(items[1].ack.order_id == "12344");
    CHECK(items[1].ack.client_order_id == "oktswap7");
    CHECK_FALSE(items[0].error);
    CHECK_FALSE(items[1].error);
  }
  // Code 2 ("Bulk operation partially succeeded"): the documented cancel reply with its
  // second item refused by 51400 (already filled, cancelled or unknown).
  std::string partial = okx_fixture_text("cancel_batch_orders.json");
  partial.replace(partial.find("\"code\":\"0\""), 10, "\"code\":\"2\"");
  const std::size_t second = partial.find("oktswap7");
  partial.replace(partial.find("\"sCode\":\"0\"", second), 11, "\"sCode\":\"51400\"");
  const auto items = okx::parse_batch(response(200, partial)).value();
  REQUIRE(items.size() == 2);
  CHECK_FALSE(items[0].error);
  REQUIRE(items[1].error);
  CHECK(items[1].error->code == ErrorCode::rejected);
  CHECK(items[1].error->venue_code == "51400");
  CHECK(items[1].ack.order_id == "12344");
}

TEST_CASE("okx orders: cancel-all-after answers its trigger time") {
  const okx::CancelAllAfterAck ack = okx::parse_cancel_all_after(okx_fixture("cancel_all_after.json")).value();
  CHECK(ack.trigger_time == 1587971460);
  CHECK(ack.time == 1587971400);
}

TEST_CASE("okx orders: a pending order") {
  const auto page = okx::parse_orders(okx_fixture("orders_pending.json")).value();
  REQUIRE(page.items.size() == 1);
  const cts::venue::OrderReport& order = page.items[0];
  CHECK(order.symbol == "BTC-USDT");
  CHECK(order.order_id == "301835739059335168");
  CHECK(order.client_order_id.empty());
  CHECK(order.status == OrderStatus::new_);
  CHECK(order.side == Side::buy);
  CHECK(order.type == OrderType::limit);
  CHECK(order.time_in_force == TimeInForce::gtc);
  CHECK(order.price == "59200"_d);
  CHECK(order.quantity == "1"_d);
  CHECK(order.executed_quantity.is_zero());
  CHECK(order.average_price.is_zero());  // avgPx ""
  CHECK(order.position_side == PositionSide::both);
  CHECK_FALSE(order.reduce_only);
  CHECK(order.time_ms == 1618235248028);
  CHECK(page.after == "301835739059335168");
}

TEST_CASE("okx orders: details and history of a filled market buy sized in quote") {
  for (const char* name : {"order_details.json", "orders_history.json"}) {
    CAPTURE(name);
    const auto page = okx::parse_orders(okx_fixture(name)).value();
    REQUIRE(page.items.size() == 1);
    const cts::venue::OrderReport& order = page.items[0];
    CHECK(order.order_id == "680800019749904384");
    CHECK(order.status == OrderStatus::filled);
    CHECK(order.type == OrderType::market);
    CHECK(order.price.is_zero());  // px ""
    CHECK(order.executed_quantity == "0.00192834"_d);
    CHECK(order.quantity == "0.00192834"_d);  // sz 100 is USDT (tgtCcy quote_ccy)
    CHECK(order.average_price == "51858"_d);
    CHECK(order.position_side == PositionSide::both);  // "net" in details, "" in history
    CHECK(order.time_ms == 1708587373362);
  }
}

TEST_CASE("okx orders: unknown words are protocol errors naming the field") {
  std::string text = okx_fixture_text("orders_pending.json");
  text.replace(text.find("\"live\""), 6, "\"dormant\"");
  const auto bad_state = okx::parse_orders(response(200, text));
  CHECK(bad_state.error().code == ErrorCode::protocol_error);
  CHECK(bad_state.error().message.find("state") != std::string::npos);
  CHECK(okx::parse_order_state("mmp_canceled") == OrderStatus::canceled);
  CHECK(okx::parse_order_type("optimal_limit_ioc")->type == OrderType::market);
  CHECK(okx::parse_order_type("post_only")->time_in_force == TimeInForce::post_only);
  CHECK_FALSE(okx::parse_order_type("conditional"));
}

TEST_CASE("okx orders: order details of an unknown order is order_not_found") {
  const auto missing = okx::parse_orders(response(200, R"({"code":"51603","msg":"Order does not exist","data":[]})"));
  CHECK(missing.error().code == ErrorCode::order_not_found);
  CHECK(missing.error().venue_code == "51603");
}

TEST_CASE("okx orders: fills") {
  const auto page = okx::parse_fills(okx_fixture("fills.json")).value();
  REQUIRE(page.items.size() == 1);
  const cts::venue::AccountTrade& fill = page.items[0];
  CHECK(fill.symbol == "BTC-USDT");
  CHECK(fill.id == "744876980");
  CHECK(fill.order_id == "680800019749904384");
  CHECK(fill.side == Side::buy);
  CHECK(fill.price == "51858"_d);
  CHECK(fill.quantity == "0.00192834"_d);
  CHECK(fill.commission == "0.00000192834"_d);  // fee "-0.00000192834": charged
  CHECK(fill.commission_asset == "BTC");
  CHECK_FALSE(fill.maker);  // execType T
  CHECK(fill.realized_pnl.is_zero());
  CHECK(fill.time_ms == 1708587373361);
  CHECK(page.after == "680800019754098688");  // billId

  std::string maker = okx_fixture_text("fills.json");
  maker.replace(maker.find("\"execType\": \"T\""), 15, "\"execType\": \"M\"");
  CHECK(okx::parse_fills(response(200, maker)).value().items[0].maker);
}
