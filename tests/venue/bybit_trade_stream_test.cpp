// Tests for cts/venue/bybit/trade_stream.hpp: the order-entry frames of Bybit's trade
// WebSocket against websocket/trade/guideline.mdx, and its replies.
#include <cts/venue/bybit/trade_stream.hpp>

#include <array>
#include <span>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "support.hpp"

using cts::ErrorCode;
using cts_test::bybit_fixture_text;
namespace bybit = cts::venue::bybit;
using namespace cts::literals;

TEST_CASE("bybit trade stream: order.create carries the REST body as its one argument") {
  // guideline.mdx: {"reqId":"test-005","header":{"X-BAPI-TIMESTAMP":"1711001595207","X-BAPI-RECV-WINDOW":"8000"},
  // "op":"order.create","args":[{"symbol":"ETHUSDT","side":"Buy","orderType":"Limit","qty":"0.2","price":"2800",
  // "category":"linear","timeInForce":"PostOnly"}]}; the builder also sends what create_order() always sends
  // (positionIdx, orderLinkId, reduceOnly).
  cts::venue::NewOrder o = cts_test::bybit_eth_post_only();
  const auto frame = bybit::order_create_frame(bybit::Category::linear, o, "test-005", 1711001595207, 8000);
  REQUIRE(frame.has_value());
  CHECK(
      *frame ==
      R"({"reqId":"test-005","header":{"X-BAPI-TIMESTAMP":"1711001595207","X-BAPI-RECV-WINDOW":"8000"},"op":"order.create","args":[{"category":"linear","symbol":"ETHUSDT","side":"Buy","orderType":"Limit","qty":"0.2","price":"2800","timeInForce":"PostOnly","positionIdx":0,"orderLinkId":"ws-1","reduceOnly":false}]})");

  cts::venue::OrderRef ref{"ETHUSDT", std::nullopt, "ws-1"};
  CHECK(
      *bybit::order_cancel_frame(bybit::Category::linear, ref, "", 1711001595207) ==
      R"({"header":{"X-BAPI-TIMESTAMP":"1711001595207","X-BAPI-RECV-WINDOW":"5000"},"op":"order.cancel","args":[{"category":"linear","symbol":"ETHUSDT","orderLinkId":"ws-1"}]})");
  cts::venue::OrderAmendment amendment{ref, std::nullopt, "2801"_d, std::nullopt};
  CHECK(
      bybit::order_amend_frame(bybit::Category::linear, amendment, "a-1", 1711001595207)
          ->find(
              R"("op":"order.amend","args":[{"category":"linear","symbol":"ETHUSDT","orderLinkId":"ws-1","price":"2801"}])") !=
      std::string::npos);

  CHECK(bybit::order_create_frame(bybit::Category::linear, o, std::string(37, 'r'), 1).error().code ==
        ErrorCode::invalid_argument);
  o.quantity = "0"_d;
  CHECK(bybit::order_create_frame(bybit::Category::linear, o, "x", 1).error().code == ErrorCode::invalid_argument);
}

TEST_CASE("bybit trade stream replies: the documented ack with its rate-limit header, and errors") {
  const auto reply = bybit::parse_trade_reply(bybit_fixture_text("ws_trade_create_reply.json"));
  REQUIRE(reply.has_value());
  CHECK(reply->op == "order.create");
  CHECK(reply->req_id == "test-005");
  CHECK(reply->conn_id == "cnt5leec0hvan15eukcg-2v");
  CHECK_FALSE(reply->error.has_value());
  REQUIRE(reply->ack.has_value());
  CHECK(reply->ack->order_id == "a4c1718e-fe53-4659-a118-1f6ecce04ad9");
  REQUIRE(reply->limits.has_value());
  CHECK(reply->limits->limit == 10);
  CHECK(reply->limits->remaining == 9);
  CHECK(reply->limits->reset_time_ms == 1711001595208);

  // guideline.mdx's auth reply.
  const auto auth =
      bybit::parse_trade_reply(R"({"retCode":0,"retMsg":"OK","op":"auth","connId":"cnt5leec0hvan15eukcg-2t"})");
  REQUIRE(auth.has_value());
  CHECK(auth->op == "auth");
  CHECK_FALSE(auth->error.has_value());
  CHECK_FALSE(auth->ack.has_value());

  // 10019: the trade service restarts and did not accept the request.
  const auto restarting =
      bybit::parse_trade_reply(R"({"reqId":"r","retCode":10019,"retMsg":"restarting","op":"order.create","data":{}})");
  REQUIRE(restarting.has_value());
  REQUIRE(restarting->error.has_value());
  CHECK(restarting->error->code == ErrorCode::venue_unavailable);
  CHECK(restarting->error->venue_code == "10019");
  const auto internal = bybit::parse_trade_reply(R"({"retCode":10016,"retMsg":"internal","op":"order.create"})");
  CHECK(internal->error->code == ErrorCode::unknown_outcome);

  for (const char* bad : {"", "{", R"({"retCode":0})", R"({"op":"order.create"})",
                          R"({"retCode":0,"op":"order.create","data":{"orderLinkId":"x"}})",
                          R"({"retCode":0,"op":"order.create","header":{"X-Bapi-Limit-Status":"many"}})"}) {
    INFO(bad);
    const auto r = bybit::parse_trade_reply(bad);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::protocol_error);
  }
}

TEST_CASE("bybit trade stream: the batch ops carry the REST batch body as their one argument") {
  // guideline.mdx's order.create-batch example: header X-BAPI-TIMESTAMP 1740453381256 and
  // X-BAPI-RECV-WINDOW 1000; args [{"category":"linear","request":[...]}] with SOLUSDT
  // Limit GTC Buy orders (qty 10 at 500 "-batch-000", 20 at 1000 "batch-001", 30 at 1500
  // "batch-002"). The items are written as create_order() writes one (positionIdx,
  // reduceOnly added); the example sends no reqId.
  std::vector<cts::venue::NewOrder> orders;
  const std::array<std::array<const char*, 3>, 3> rows{{{"10", "500", "-batch-000"},
                                                        {"20", "1000", "batch-001"},
                                                        {"30", "1500", "batch-002"}}};
  for (const auto& row : rows) {
    cts::venue::NewOrder& o = orders.emplace_back();
    o.symbol = "SOLUSDT";
    o.side = cts::Side::buy;
    o.type = cts::OrderType::limit;
    o.quantity = cts::Decimal::parse(row[0]).value();
    o.price = cts::Decimal::parse(row[1]).value();
    o.time_in_force = cts::TimeInForce::gtc;
    o.client_order_id = row[2];
  }
  const auto frame = bybit::order_create_batch_frame(bybit::Category::linear, orders, "", 1740453381256, 1000);
  REQUIRE(frame.has_value());
  CHECK(
      *frame ==
      R"({"header":{"X-BAPI-TIMESTAMP":"1740453381256","X-BAPI-RECV-WINDOW":"1000"},"op":"order.create-batch","args":[{"category":"linear","request":[)"
      R"({"symbol":"SOLUSDT","side":"Buy","orderType":"Limit","qty":"10","price":"500","timeInForce":"GTC","positionIdx":0,"orderLinkId":"-batch-000","reduceOnly":false},)"
      R"({"symbol":"SOLUSDT","side":"Buy","orderType":"Limit","qty":"20","price":"1000","timeInForce":"GTC","positionIdx":0,"orderLinkId":"batch-001","reduceOnly":false},)"
      R"({"symbol":"SOLUSDT","side":"Buy","orderType":"Limit","qty":"30","price":"1500","timeInForce":"GTC","positionIdx":0,"orderLinkId":"batch-002","reduceOnly":false}]}]})");

  const std::vector<cts::venue::OrderRef> refs{{"SOLUSDT", std::string("1001"), ""}, {"SOLUSDT", std::nullopt, "b-2"}};
  CHECK(
      *bybit::order_cancel_batch_frame(bybit::Category::spot, refs, "c-1", 1740453381256) ==
      R"({"reqId":"c-1","header":{"X-BAPI-TIMESTAMP":"1740453381256","X-BAPI-RECV-WINDOW":"5000"},"op":"order.cancel-batch","args":[{"category":"spot","request":[{"symbol":"SOLUSDT","orderId":"1001"},{"symbol":"SOLUSDT","orderLinkId":"b-2"}]}]})");
  const std::vector<cts::venue::OrderAmendment> amendments{{refs[0], "5"_d, std::nullopt, std::nullopt}};
  CHECK(
      *bybit::order_amend_batch_frame(bybit::Category::linear, amendments, "a-1", 1740453381256) ==
      R"({"reqId":"a-1","header":{"X-BAPI-TIMESTAMP":"1740453381256","X-BAPI-RECV-WINDOW":"5000"},"op":"order.amend-batch","args":[{"category":"linear","request":[{"symbol":"SOLUSDT","orderId":"1001","qty":"5"}]}]})");

  // 1 to 10 orders for spot, 1 to 20 for linear (guideline.mdx); a bad item refuses the whole frame.
  CHECK(bybit::order_create_batch_frame(bybit::Category::linear, std::span<const cts::venue::NewOrder>(), "x", 1)
            .error()
            .code == ErrorCode::invalid_argument);
  std::vector<cts::venue::NewOrder> eleven(11, orders[1]);
  CHECK(bybit::order_create_batch_frame(bybit::Category::spot, eleven, "x", 1).error().code ==
        ErrorCode::invalid_argument);
  CHECK(bybit::order_create_batch_frame(bybit::Category::linear, eleven, "x", 1).has_value());
  orders[2].quantity = "0"_d;
  CHECK(bybit::order_create_batch_frame(bybit::Category::linear, orders, "x", 1).error().code ==
        ErrorCode::invalid_argument);
}

TEST_CASE("bybit trade stream replies: a batch reply's items pair data.list with retExtInfo.list") {
  // guideline.mdx's order.create-batch reply: three SOLUSDT items, each refused with
  // 10001 "position idx not match position mode"; header X-Bapi-Limit 150, status 147.
  const auto reply = bybit::parse_trade_reply(bybit_fixture_text("ws_trade_create_batch_reply.json"));
  REQUIRE(reply.has_value());
  CHECK(reply->op == "order.create-batch");
  CHECK(reply->req_id.empty());
  CHECK(reply->conn_id == "cupviqn88smf24t2kpb0-536o");
  CHECK_FALSE(reply->error.has_value());
  CHECK_FALSE(reply->ack.has_value());
  REQUIRE(reply->items.size() == 3);
  for (const auto& item : reply->items) {
    REQUIRE_FALSE(item.has_value());
    CHECK(item.error().code == ErrorCode::invalid_argument);
    CHECK(item.error().venue_code == "10001");
    CHECK(item.error().message.find("position idx not match position mode") != std::string::npos);
  }
  REQUIRE(reply->limits.has_value());
  CHECK(reply->limits->limit == 150);
  CHECK(reply->limits->remaining == 147);

  // A mixed batch: the first item acknowledged, the second refused with 110001.
  const auto mixed = bybit::parse_trade_reply(
      R"({"reqId":"b1","retCode":0,"retMsg":"OK","op":"order.cancel-batch","data":{"list":[{"category":"spot","symbol":"BTCUSDT","orderId":"7","orderLinkId":"a"},{"category":"spot","symbol":"BTCUSDT","orderId":"","orderLinkId":"b"}]},"retExtInfo":{"list":[{"code":0,"msg":"OK"},{"code":110001,"msg":"Order does not exist"}]}})");
  REQUIRE(mixed.has_value());
  REQUIRE(mixed->items.size() == 2);
  REQUIRE(mixed->items[0].has_value());
  CHECK(mixed->items[0]->order_id == "7");
  CHECK(mixed->items[0]->client_order_id == "a");
  CHECK(mixed->items[1].error().code == ErrorCode::order_not_found);

  // The pong's data is the time, not an order; 10403 (IP limit) and 10429 are throttles;
  // 20006 (reqId repeated) refuses the request.
  const auto pong = bybit::parse_trade_reply(
      R"({"retCode":0,"retMsg":"OK","op":"pong","data":["1711002002529"],"connId":"cnt5leec0hvan15eukcg-2v"})");
  REQUIRE(pong.has_value());
  CHECK(pong->op == "pong");
  CHECK(bybit::parse_trade_reply(R"({"reqId":"r","retCode":10403,"retMsg":"ip","op":"order.create"})")->error->code ==
        ErrorCode::rate_limited);
  CHECK(bybit::parse_trade_reply(R"({"reqId":"r","retCode":10429,"retMsg":"","op":"order.create"})")->error->code ==
        ErrorCode::rate_limited);
  CHECK(bybit::parse_trade_reply(R"({"reqId":"r","retCode":20006,"retMsg":"dup","op":"order.create"})")->error->code ==
        ErrorCode::invalid_argument);

  for (const char* bad : {R"({"retCode":0,"op":"order.create-batch","data":{"list":[{"orderId":"1"}]}})",
                          R"({"retCode":0,"op":"order.create-batch","data":{"list":[{"orderId":"1"}]},"retExtInfo":{"list":[]}})",
                          R"({"retCode":0,"op":"order.cancel-batch","data":{}})"}) {
    INFO(bad);
    const auto r = bybit::parse_trade_reply(bad);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::protocol_error);
  }
}
