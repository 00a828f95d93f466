// Tests for cts/venue/orangex/rpc.hpp, errors.hpp and replies.hpp on the recorded
// payloads of tests/fixtures/orangex (their sources in its README). Expected values are
// the ones written in the files.
#include <cts/venue/orangex/replies.hpp>

#include <string>

#include <doctest/doctest.h>

#include "support.hpp"

using cts::ErrorCode;
using cts::venue::Operation;
using cts::venue::OrderStatus;
using cts_test::response;
namespace orangex = cts::venue::orangex;
using namespace cts::literals;

namespace {

cts::HttpResponse fixture(std::string_view name) { return response(200, cts_test::fixture_text("orangex", name)); }

}  // namespace

TEST_CASE("orangex auth: the token, its refresh token and lifetime (the SDK's members)") {
  const auto token = orangex::parse_auth(fixture("auth.json"), 2);
  REQUIRE(token);
  CHECK(token->access_token.reveal() == "5d0d1a4e2cb7a0b1c9f34e8a7d6c5b4a");
  CHECK(token->refresh_token.reveal() == "9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d");
  CHECK(token->expires_in_s == 3600);
}

TEST_CASE("orangex replies answer their own call only") {
  const auto other = orangex::parse_auth(fixture("auth.json"), 3);
  REQUIRE(!other);
  CHECK(other.error().code == ErrorCode::protocol_error);
  CHECK(other.error().message.find("id 2") != std::string::npos);
}

TEST_CASE("orangex errors keep the venue's code and map it") {
  const auto refused = orangex::parse_order(fixture("error_unauthorized.json"), 5, Operation::mutation);
  REQUIRE(!refused);
  CHECK(refused.error().code == ErrorCode::auth_failed);
  CHECK(refused.error().venue_code == "13009");
  CHECK(refused.error().message == "orangex 13009: unauthorized");
  // An error with HTTP 400 (Deribit answers errors so) is still the venue's error.
  const auto bad = orangex::parse_orders(response(400, R"({"jsonrpc":"2.0","id":1,"error":{"code":10004,"message":"order_not_found"}})"), 1);
  REQUIRE(!bad);
  CHECK(bad.error().code == ErrorCode::order_not_found);
  CHECK(orangex::map_code(10009, "not_enough_funds", Operation::mutation) == ErrorCode::insufficient_funds);
  CHECK(orangex::map_code(10028, "too_many_requests", Operation::read) == ErrorCode::rate_limited);
  CHECK(orangex::map_code(11050, "bad_request: duplicate label", Operation::mutation) ==
        ErrorCode::duplicate_client_order_id);
  CHECK(orangex::map_code(-32602, "Invalid params", Operation::mutation) == ErrorCode::invalid_argument);
  CHECK(orangex::map_code(-32601, "Method not found", Operation::read) == ErrorCode::unsupported);
  CHECK(orangex::map_code(99999, "?", Operation::mutation) == ErrorCode::unknown_outcome);
  CHECK(orangex::map_code(99999, "?", Operation::read) == ErrorCode::rejected);
  // A 5xx without a JSON-RPC body: unknown outcome for a mutation.
  const auto lost = orangex::parse_order(response(503, "Service Unavailable"), 1, Operation::mutation);
  REQUIRE(!lost);
  CHECK(lost.error().code == ErrorCode::unknown_outcome);
}

TEST_CASE("orangex order book: version, timestamp and levels, as strings or numbers") {
  for (const char* name : {"order_book.json", "order_book_numbers.json"}) {
    CAPTURE(name);
    const auto book = orangex::parse_order_book(fixture(name), 3);
    REQUIRE(book);
    CHECK(book->last_update_id == 88123);
    CHECK(book->event_time_ms == 1700000000456);
    REQUIRE(book->asks.size() == 2);
    REQUIRE(book->bids.size() == 2);
    CHECK(book->asks[0].price == "60000.5"_d);
    CHECK(book->asks[0].quantity == "1.2"_d);
    CHECK(book->asks[1].quantity == "0.35"_d);
    CHECK(book->bids[0].price == "59999.5"_d);
    CHECK(book->bids[1].quantity == "2"_d);
  }
}

TEST_CASE("orangex server time, instrument and ticker") {
  CHECK(orangex::parse_server_time(fixture("get_time.json"), 1).value() == 1700000000123);
  const auto listed = orangex::parse_instrument(fixture("instrument.json"), 4);
  REQUIRE(listed);
  CHECK(listed->trading());
  CHECK(listed->instrument.venue_symbol == "BTC-USDT-PERPETUAL");
  CHECK(listed->instrument.kind == cts::InstrumentKind::linear_perpetual);
  CHECK(listed->instrument.base == "BTC");
  CHECK(listed->instrument.settle == "USDT");
  CHECK(listed->instrument.tick_size == "0.5"_d);
  CHECK(listed->instrument.step_size == "0.001"_d);
  CHECK(listed->instrument.min_quantity == "0.001"_d);
  const auto ticker = orangex::parse_ticker(fixture("ticker.json"), 6);
  REQUIRE(ticker);
  CHECK(ticker->bid_price == "59999.5"_d);
  CHECK(ticker->ask_quantity == "1.2"_d);
  CHECK(ticker->mark_price == "60000.1"_d);
  CHECK(ticker->index_price == "59990.25"_d);
}

TEST_CASE("orangex buy reply: the order and the fills it took") {
  const auto report = orangex::parse_order_reply(fixture("buy.json"), 9, Operation::mutation);
  REQUIRE(report);
  CHECK(report->order_id == "3000012345");
  CHECK(report->client_order_id == "cts-ox-1");
  CHECK(report->status == OrderStatus::partially_filled);
  CHECK(report->side == cts::Side::buy);
  CHECK(report->price == "60000.5"_d);
  CHECK(report->quantity == "0.01"_d);
  CHECK(report->executed_quantity == "0.004"_d);
  CHECK(report->cumulative_quote == "240.002"_d);
  CHECK(report->time_ms == 1700000001002);
  REQUIRE(report->fills.size() == 1);
  CHECK(report->fills[0].trade_id == "BTC-USDT-PERPETUAL-4477");
  CHECK(report->fills[0].commission == "0.12"_d);
  CHECK(report->fills[0].commission_asset == "USDT");
}

TEST_CASE("orangex cancel, open orders, user trades, account summary and position") {
  const auto cancelled = orangex::parse_order(fixture("cancel.json"), 11, Operation::mutation);
  REQUIRE(cancelled);
  CHECK(cancelled->status == OrderStatus::canceled);
  const auto open = orangex::parse_orders(fixture("open_orders.json"), 12);
  REQUIRE(open);
  REQUIRE(open->size() == 1);
  CHECK(open->at(0).time_in_force == cts::TimeInForce::post_only);
  CHECK(open->at(0).reduce_only);
  CHECK(open->at(0).side == cts::Side::sell);
  CHECK(open->at(0).client_order_id.empty());
  const auto trades = orangex::parse_user_trades(fixture("user_trades_by_instrument.json"), 13);
  REQUIRE(trades);
  REQUIRE(trades->size() == 2);
  CHECK(trades->at(0).id == "t-2");
  CHECK(trades->at(0).maker);
  CHECK(trades->at(0).realized_pnl == "0.03"_d);
  CHECK(trades->at(0).quote_quantity == "180.03"_d);
  CHECK_FALSE(trades->at(1).maker);
  const auto balance = orangex::parse_account_summary(fixture("account_summary.json"), 14);
  REQUIRE(balance);
  CHECK(balance->asset == "USDT");
  CHECK(balance->free == "900.25"_d);
  CHECK(balance->locked == "100.25"_d);
  const auto position = orangex::parse_position(fixture("position.json"), 15);
  REQUIRE(position);
  CHECK(position->quantity == "-0.012"_d);
  CHECK(position->entry_price == "60005.5"_d);
  CHECK(position->liquidation_price == cts::Decimal{});
  CHECK(position->leverage == "10"_d);
  CHECK(position->notional == "-720"_d);
}

TEST_CASE("orangex malformed replies are typed errors") {
  const auto check_protocol = [](std::string body) {
    CAPTURE(body);
    const auto order = orangex::parse_order(response(200, body), 1, Operation::read);
    REQUIRE(!order);
    CHECK(order.error().code == ErrorCode::protocol_error);
  };
  check_protocol("");
  check_protocol("{");
  check_protocol(R"({"jsonrpc":"2.0","id":1})");
  check_protocol(R"({"jsonrpc":"2.0","id":1,"result":{"order_id":"1"}})");
  check_protocol(R"({"jsonrpc":"2.0","id":1,"result":{"order_id":"1","instrument_name":"X","direction":"up","order_state":"open","amount":1}})");
  check_protocol(R"({"jsonrpc":"2.0","id":1,"result":{"order_id":"1","instrument_name":"X","direction":"buy","order_state":"dreaming","amount":1}})");
  check_protocol(R"({"jsonrpc":"2.0","id":1,"result":{"order_id":"1","instrument_name":"X","direction":"buy","order_state":"open","amount":0.0000000000000000001}})");
  check_protocol(R"({"jsonrpc":"2.0","id":1,"result":{"order_id":"1","instrument_name":"X","direction":"buy","order_state":"open","amount":"0.1"}} x)");
  const auto book = orangex::parse_order_book(response(200, R"({"jsonrpc":"2.0","id":1,"result":{"version":1,"bids":[["1"]],"asks":[]}})"), 1);
  REQUIRE(!book);
  CHECK(book.error().code == ErrorCode::protocol_error);
}
