// Helpers shared by the venue tests: recorded payloads and canned responses.
#pragma once

#include <chrono>
#include <deque>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include <cts/core/http.hpp>
#include <cts/venue/gateway.hpp>

namespace cts_test {

/// The text of tests/fixtures/<venue>/<name>.
inline std::string fixture_text(std::string_view venue, std::string_view name) {
  const std::string path = std::string(CTS_TEST_DATA_DIR "/fixtures/") + std::string(venue) + "/" + std::string(name);
  std::ifstream file(path, std::ios::binary);
  REQUIRE_MESSAGE(file.good(), "cannot open fixture " << path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

/// Calls `check(variant)` for every one-byte edit of `text`: each byte deleted, replaced
/// by each of the 256 values, and preceded by each JSON-significant character (and by
/// whitespace, '\\', 0x01 and 'x'). For the scanners' agreement tests.
template <class Check>
void for_each_one_byte_edit(std::string_view text, Check check) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string deleted(text);
    deleted.erase(i, 1);
    check(std::string_view(deleted));
    for (int byte = 0; byte < 256; ++byte) {
      std::string replaced(text);
      replaced[i] = static_cast<char>(byte);
      check(std::string_view(replaced));
    }
    for (const char inserted : std::string_view("\"[]{},:.0123456789-eE \t\n\r\\\x01x")) {
      std::string grown(text);
      grown.insert(i, 1, inserted);
      check(std::string_view(grown));
    }
  }
}

/// The text of tests/fixtures/binance/<name>.
inline std::string binance_fixture_text(std::string_view name) { return fixture_text("binance", name); }

/// The text of tests/fixtures/bybit/<name>.
inline std::string bybit_fixture_text(std::string_view name) { return fixture_text("bybit", name); }

/// The text of tests/fixtures/okx/<name>.
inline std::string okx_fixture_text(std::string_view name) { return fixture_text("okx", name); }

/// The text of tests/fixtures/bingx/<name>.
inline std::string bingx_fixture_text(std::string_view name) { return fixture_text("bingx", name); }

/// The text of tests/fixtures/pionex/<name>.
inline std::string pionex_fixture_text(std::string_view name) { return fixture_text("pionex", name); }

/// A response with `status` and `body`.
inline cts::HttpResponse response(int status, std::string body) {
  cts::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

/// A 200 response whose body is the fixture `name`.
inline cts::HttpResponse binance_fixture(std::string_view name) { return response(200, binance_fixture_text(name)); }

/// A 200 response whose body is the Bybit fixture `name`.
inline cts::HttpResponse bybit_fixture(std::string_view name) { return response(200, bybit_fixture_text(name)); }

/// A 200 response whose body is the OKX fixture `name`.
inline cts::HttpResponse okx_fixture(std::string_view name) { return response(200, okx_fixture_text(name)); }

/// A 200 response whose body is the BingX fixture `name`.
inline cts::HttpResponse bingx_fixture(std::string_view name) { return response(200, bingx_fixture_text(name)); }

/// A 200 response whose body is the Pionex fixture `name`.
inline cts::HttpResponse pionex_fixture(std::string_view name) { return response(200, pionex_fixture_text(name)); }

/// Checks a BingX cancelAllAfter parser (the swap's or spot's: `parse` takes an
/// HttpResponse) on the replies both read alike: CLOSED; FAILED rejected with its note;
/// an unknown or missing status a protocol_error.
template <class Parse>
void check_bingx_cancel_all_after_replies(Parse parse) {
  const auto closed = parse(response(200, R"({"code":0,"msg":"","data":{"triggerTime":0,"status":"CLOSED","note":""}})"));
  REQUIRE(closed.has_value());
  CHECK(closed->status == decltype(closed->status)::closed);
  const auto failed =
      parse(response(200, R"({"code":0,"msg":"","data":{"triggerTime":0,"status":"FAILED","note":"still cancelling"}})"));
  CHECK(failed.error().code == cts::ErrorCode::rejected);
  CHECK(failed.error().message.find("still cancelling") != std::string::npos);
  CHECK(parse(response(200, R"({"code":0,"msg":"","data":{"status":"ARMED"}})")).error().code ==
        cts::ErrorCode::protocol_error);
  CHECK(parse(response(200, R"({"code":0,"msg":"","data":{}})")).error().code == cts::ErrorCode::protocol_error);
}

/// A GTC limit buy of 0.01 BTCUSDT at 20000 with client order id `client_id`: the order
/// the engine's channel tests send to a simulator (Binance or Bybit linear).
inline cts::venue::NewOrder btcusdt_limit_buy(std::string client_id) {
  cts::venue::NewOrder order;
  order.symbol = "BTCUSDT";
  order.side = cts::Side::buy;
  order.type = cts::OrderType::limit;
  order.time_in_force = cts::TimeInForce::gtc;
  order.quantity = cts::Decimal::parse("0.01").value();
  order.price = cts::Decimal::parse("20000").value();
  order.client_order_id = std::move(client_id);
  return order;
}

/// The Pionex order the request and gateway tests build: a LIMIT buy of 0.01 BTC_USDT
/// at 27964.01 (the DEPTH example's best bid), clientOrderId "cts-1a2b3".
inline cts::venue::NewOrder pionex_limit_buy() {
  cts::venue::NewOrder order;
  order.symbol = "BTC_USDT";
  order.side = cts::Side::buy;
  order.type = cts::OrderType::limit;
  order.quantity = cts::Decimal::parse("0.01").value();
  order.price = cts::Decimal::parse("27964.01").value();
  order.client_order_id = "cts-1a2b3";
  return order;
}

/// The OKX order the request tests build: a SPOT limit buy of 0.01 BTC-USDT at 25000.5,
/// clOrdId "cts1a2b3".
inline cts::venue::NewOrder okx_limit_buy() {
  cts::venue::NewOrder order;
  order.symbol = "BTC-USDT";
  order.side = cts::Side::buy;
  order.type = cts::OrderType::limit;
  order.quantity = cts::Decimal::parse("0.01").value();
  order.price = cts::Decimal::parse("25000.5").value();
  order.client_order_id = "cts1a2b3";
  return order;
}

/// The order of Bybit's trade-stream example (websocket/trade/guideline.mdx, order.create):
/// ETHUSDT Buy Limit 0.2 at 2800 PostOnly, orderLinkId "ws-1".
inline cts::venue::NewOrder bybit_eth_post_only() {
  cts::venue::NewOrder order;
  order.symbol = "ETHUSDT";
  order.side = cts::Side::buy;
  order.type = cts::OrderType::limit;
  order.quantity = cts::Decimal::parse("0.2").value();
  order.price = cts::Decimal::parse("2800").value();
  order.time_in_force = cts::TimeInForce::post_only;
  order.client_order_id = "ws-1";
  return order;
}

/// A venue::RequestSender for sans-I/O gateway tests: records every request and
/// answers with the scripted responses in order; with none left it answers an internal
/// error (and the test sees the extra request).
class ScriptedSender final : public cts::venue::RequestSender {
 public:
  cts::Result<cts::HttpResponse> execute(const cts::venue::Request& request) override {
    sent.push_back(request);
    if (replies.empty()) return cts::make_error(cts::ErrorCode::internal, "no scripted reply");
    cts::HttpResponse reply = std::move(replies.front());
    replies.pop_front();
    return reply;
  }
  /// Queues `reply` for the next request.
  ScriptedSender& then(cts::HttpResponse reply) {
    replies.push_back(std::move(reply));
    return *this;
  }

  std::vector<cts::venue::Request> sent;  ///< Every request, in order.
  std::deque<cts::HttpResponse> replies;  ///< What is still to be answered.
};

/// Checks that the dead-man switch of `gateway` refuses timeouts outside 0 and 10..120 s
/// (OKX's and BingX's range: 9, 121, negative, beyond an int) as invalid_argument.
inline void check_dead_man_range_refused(cts::venue::Gateway& gateway) {
  for (const long long seconds : {9LL, 121LL, -60LL, 1LL << 40}) {
    CAPTURE(seconds);
    CHECK(gateway.arm_dead_man_switch(std::chrono::seconds{seconds}).error().code == cts::ErrorCode::invalid_argument);
  }
}

}  // namespace cts_test
