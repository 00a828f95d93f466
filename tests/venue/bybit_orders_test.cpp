// Tests for cts/venue/bybit/orders.hpp on the replies printed in Bybit's v5
// documentation (tests/fixtures/bybit): acknowledgements, batches with per-item codes,
// order lists and executions. Expected values are the documentation's.
#include <cts/venue/bybit/orders.hpp>

#include <string>
#include <tuple>

#include <doctest/doctest.h>

#include "support.hpp"

using cts::ErrorCode;
using cts::venue::OrderStatus;
using cts::venue::PositionSide;
using cts_test::bybit_fixture;
using cts_test::bybit_fixture_text;
using cts_test::response;
namespace bybit = cts::venue::bybit;
using namespace cts::literals;

TEST_CASE("bybit create, amend and cancel replies are acknowledgements with the venue's ids") {
  const auto created = bybit::parse_order_ack(bybit_fixture("order_create.json"));
  REQUIRE(created.has_value());
  CHECK(created->order_id == "1321003749386327552");
  CHECK(created->client_order_id == "spot-test-postonly");
  CHECK(created->time_ms == 1672211918471);

  const auto amended = bybit::parse_order_ack(bybit_fixture("order_amend.json"));
  REQUIRE(amended.has_value());
  CHECK(amended->order_id == "c6f055d9-7f21-4079-913d-e6523a9cfffa");
  CHECK(amended->client_order_id == "linear-004");

  const auto canceled = bybit::parse_order_ack(bybit_fixture("order_cancel.json"));
  REQUIRE(canceled.has_value());
  CHECK(canceled->order_id == "c6f055d9-7f21-4079-913d-e6523a9cfffa");
}

TEST_CASE("bybit cancel-all lists the cancelled orders") {
  const auto acks = bybit::parse_cancel_all(bybit_fixture("order_cancel_all.json"));
  REQUIRE(acks.has_value());
  REQUIRE(acks->size() == 2);
  CHECK((*acks)[0].order_id == "1616024329462743808");
  CHECK((*acks)[0].client_order_id == "1616024329462743809");
  CHECK((*acks)[1].order_id == "1616024287544869632");
}

TEST_CASE("bybit batch create and amend: one acknowledgement per item") {
  const auto created = bybit::parse_batch(bybit_fixture("batch_create.json"));
  REQUIRE(created.has_value());
  REQUIRE(created->size() == 2);
  REQUIRE((*created)[0].has_value());
  CHECK((*created)[0]->symbol == "BTCUSDT");
  CHECK((*created)[0]->order_id == "1666800494330512128");
  CHECK((*created)[0]->client_order_id == "spot-btc-03");
  CHECK((*created)[0]->time_ms == 1713434102752);
  REQUIRE((*created)[1].has_value());
  CHECK((*created)[1]->symbol == "ATOMUSDT");

  const auto amended = bybit::parse_batch(bybit_fixture("batch_amend.json"));
  REQUIRE(amended.has_value());
  REQUIRE(amended->size() == 2);
  CHECK((*amended)[1]->order_id == "fa6a595f-1a57-483f-b9d3-30e9c8235a52");
  CHECK((*amended)[1]->client_order_id.empty());
}

TEST_CASE("bybit batch cancel: a failed item carries its retExtInfo code, the others succeed") {
  const auto canceled = bybit::parse_batch(bybit_fixture("batch_cancel.json"));
  REQUIRE(canceled.has_value());
  REQUIRE(canceled->size() == 2);
  REQUIRE((*canceled)[0].has_value());
  CHECK((*canceled)[0]->order_id == "1666800494330512128");
  REQUIRE_FALSE((*canceled)[1].has_value());
  const cts::Error& error = (*canceled)[1].error();
  CHECK(error.code == ErrorCode::order_not_found);
  CHECK(error.venue_code == "170213");
  CHECK(error.message.find("Order does not exist.") != std::string::npos);
}

TEST_CASE("bybit batch: lists of different lengths or no retExtInfo are protocol errors") {
  std::string text = bybit_fixture_text("batch_cancel.json");
  const auto ext = text.find(R"("retExtInfo")");
  REQUIRE(ext != std::string::npos);
  const auto no_ext = bybit::parse_batch(response(200, text.substr(0, ext) + R"("retExtInfo": {}, "time": 1})"));
  REQUIRE_FALSE(no_ext.has_value());
  CHECK(no_ext.error().code == ErrorCode::protocol_error);
  const auto short_ext = bybit::parse_batch(
      response(200, text.substr(0, ext) + R"("retExtInfo": {"list": [{"code": 0, "msg": "OK"}]}, "time": 1})"));
  REQUIRE_FALSE(short_ext.has_value());
  CHECK(short_ext.error().code == ErrorCode::protocol_error);
}

TEST_CASE("bybit realtime orders: a linear hedge-mode limit order with its string id") {
  const auto page = bybit::parse_orders(bybit_fixture("orders_realtime.json"));
  REQUIRE(page.has_value());
  REQUIRE(page->items.size() == 1);
  CHECK(page->next_page_cursor == "page_args%3Dfd4300ae-7847-404e-b947-b46980a4d140%26symbol%3D6%26");
  const auto& o = page->items[0];
  CHECK(o.order_id == "fd4300ae-7847-404e-b947-b46980a4d140");
  CHECK(o.client_order_id == "test-000005");
  CHECK(o.symbol == "ETHUSDT");
  CHECK(o.side == cts::Side::buy);
  CHECK(o.type == cts::OrderType::limit);
  CHECK(o.time_in_force == cts::TimeInForce::gtc);
  CHECK(o.status == OrderStatus::new_);
  CHECK(o.price == "1600.00"_d);
  CHECK(o.quantity == "0.10"_d);
  CHECK(o.executed_quantity.is_zero());
  CHECK(o.average_price.is_zero());
  CHECK(o.trigger_price.is_zero());
  CHECK(o.position_side == PositionSide::long_);  // positionIdx 1
  CHECK_FALSE(o.reduce_only);
  CHECK(o.time_ms == 1684738540561);  // updatedTime
}

TEST_CASE("bybit order history: a cancelled post-only order") {
  const auto page = bybit::parse_orders(bybit_fixture("orders_history.json"));
  REQUIRE(page.has_value());
  REQUIRE(page->items.size() == 1);
  const auto& o = page->items[0];
  CHECK(o.order_id == "14bad3a1-6454-43d8-bcf2-5345896cf74d");
  CHECK(o.status == OrderStatus::canceled);
  CHECK(o.time_in_force == cts::TimeInForce::post_only);
  CHECK(o.price == "26864.40"_d);
  CHECK(o.quantity == "0.003"_d);
  CHECK(page->next_page_cursor == "page_token%3D39380%26");
}

TEST_CASE("bybit orders: bad input is a typed error") {
  const std::string text = bybit_fixture_text("orders_realtime.json");
  auto with = [&](std::string_view from, std::string_view to) {
    std::string changed = text;
    const auto at = changed.find(from);
    REQUIRE(at != std::string::npos);
    changed.replace(at, from.size(), to);
    return bybit::parse_orders(response(200, changed));
  };
  for (auto [from, to, field] :
       {std::tuple{R"("orderStatus": "New")", R"("orderStatus": "Open")", "orderStatus"},
        std::tuple{R"("qty": "0.10")", R"("qty": "ten")", "qty"},
        std::tuple{R"("positionIdx": 1)", R"("positionIdx": 7)", "positionIdx"},
        std::tuple{R"("orderId": "fd4300ae-7847-404e-b947-b46980a4d140")", R"("orderId": "")", "orderId"},
        std::tuple{R"("side": "Buy")", R"("sid": "Buy")", "side"}}) {
    INFO(from);
    const auto r = with(from, to);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::protocol_error);
    CHECK(r.error().message.find(field) != std::string::npos);
  }
}

TEST_CASE("bybit executions: a trade with its fee, maker flag and string ids") {
  const auto page = bybit::parse_executions(bybit_fixture("executions.json"));
  REQUIRE(page.has_value());
  REQUIRE(page->items.size() == 1);
  CHECK(page->next_page_cursor == "132766%3A2%2C132766%3A2");
  const auto& t = page->items[0];
  CHECK(t.symbol == "ETHPERP");
  CHECK(t.id == "e0cbe81d-0f18-5866-9415-cf319b5dab3b");
  CHECK(t.order_id == "8c065341-7b52-4ca9-ac2c-37e31ac55c94");
  CHECK(t.side == cts::Side::buy);
  CHECK(t.price == "1190.15"_d);
  CHECK(t.quantity == "0.1"_d);
  CHECK(t.quote_quantity == "119.015"_d);
  CHECK(t.commission == "0.071409"_d);
  CHECK(t.commission_asset.empty());
  CHECK_FALSE(t.maker);
  CHECK(t.time_ms == 1672282722429);

  std::string funding = bybit_fixture_text("executions.json");
  const auto at = funding.find(R"("execType": "Trade")");
  REQUIRE(at != std::string::npos);
  funding.replace(at, 19, R"("execType": "Funding")");
  const auto without = bybit::parse_executions(response(200, funding));
  REQUIRE(without.has_value());
  CHECK(without->items.empty());
}
