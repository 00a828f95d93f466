// Tests for cts/venue/bybit/trade_stream.hpp: the order-entry frames of Bybit's trade
// WebSocket against websocket/trade/guideline.mdx, and its replies.
#include <cts/venue/bybit/trade_stream.hpp>

#include <string>

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
  cts::venue::NewOrder o;
  o.symbol = "ETHUSDT";
  o.side = cts::Side::buy;
  o.type = cts::OrderType::limit;
  o.quantity = "0.2"_d;
  o.price = "2800"_d;
  o.time_in_force = cts::TimeInForce::post_only;
  o.client_order_id = "ws-1";
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
