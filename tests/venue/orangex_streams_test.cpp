// Tests for cts/venue/orangex/streams.hpp: the book channel joined to the REST snapshot
// as the official SDK's websocket_client.py builds its book (tests/fixtures/orangex,
// README there). Expected values are the fixtures'.
#include <cts/venue/orangex/streams.hpp>

#include <string>
#include <variant>

#include <doctest/doctest.h>

#include "cts/venue/orangex/replies.hpp"
#include "support.hpp"

using cts::ErrorCode;
using cts::Side;
using cts::venue::MarketChange;
namespace orangex = cts::venue::orangex;
using namespace cts::literals;

namespace {

std::string text(std::string_view name) { return cts_test::fixture_text("orangex", name); }

/// The change `result` holds; fails the test on an error.
MarketChange change(const cts::Result<MarketChange>& result) {
  REQUIRE(result);
  return *result;
}

/// order_book.json as the snapshot (version 88123).
cts::venue::BookSnapshot snapshot() {
  auto book = orangex::parse_order_book(cts_test::response(200, text("order_book.json")), 3);
  REQUIRE(book);
  return *book;
}

/// ws_book_event.json with its change_id replaced by `change_id`.
std::string event_with(std::uint64_t change_id) {
  std::string frame = text("ws_book_event.json");
  const auto at = frame.find("88124");
  REQUIRE(at != std::string::npos);
  return frame.replace(at, 5, std::to_string(change_id));
}

}  // namespace

TEST_CASE("orangex stream: the subscribe call names the book channel") {
  orangex::PublicMarketStream stream("BTC-USDT-PERPETUAL");
  const auto calls = stream.subscriptions();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0] == R"({"jsonrpc":"2.0","id":1,"method":"/public/subscribe","params":{"channels":["book.BTC-USDT-PERPETUAL.raw"]}})");
  CHECK(stream.path() == "/ws/api/v1");
  CHECK(stream.application_ping() == "PING");
}

TEST_CASE("orangex stream: frames are classified") {
  const auto pong = orangex::parse_stream_frame("PONG");
  REQUIRE(pong);
  CHECK(std::holds_alternative<orangex::Pong>(*pong));
  const auto event = orangex::parse_stream_frame(text("ws_book_event.json"));
  REQUIRE(event);
  const auto& book = std::get<orangex::BookEvent>(*event);
  CHECK(book.instrument == "BTC-USDT-PERPETUAL");
  CHECK(book.change_id == 88124);
  CHECK(book.time_ms == 1700000000500);
  REQUIRE(book.bids.size() == 2);
  CHECK(book.bids[0].price == "59999.5"_d);
  CHECK(book.bids[0].quantity == "0.9"_d);
  CHECK(book.bids[1].price == "59998"_d);
  CHECK(book.bids[1].quantity.is_zero());
  REQUIRE(book.asks.size() == 2);
  CHECK(book.asks[0].price == "60000"_d);
  CHECK(book.asks[0].quantity == "0.4"_d);
  CHECK(book.asks[1].quantity.is_zero());
  const auto garbage = orangex::parse_stream_frame("{\"jsonrpc\":\"2.0\"}");
  REQUIRE_FALSE(garbage);
  CHECK(garbage.error().code == ErrorCode::protocol_error);
}

TEST_CASE("orangex stream: a buffered event applies on the snapshot it follows") {
  orangex::PublicMarketStream stream("BTC-USDT-PERPETUAL");
  REQUIRE(change(stream.on_message(text("ws_subscribe.json"))) == MarketChange::subscribed);
  REQUIRE(change(stream.on_message(text("ws_book_event.json"))) == MarketChange::waiting);
  CHECK_FALSE(stream.synced());
  REQUIRE(change(stream.on_snapshot(snapshot())) == MarketChange::book);
  CHECK(stream.synced());
  const auto& book = stream.book();
  CHECK(book.last_update_id() == 88124);
  // Snapshot bids 59999.5 x 0.7, 59998 x 2; the event sets 59999.5 to 0.9 and deletes 59998.
  REQUIRE(book.depth(Side::buy) == 1);
  CHECK(book.level(Side::buy, 0) == cts::venue::PriceLevel{"59999.5"_d, "0.9"_d});
  // Snapshot asks 60000.5 x 1.2, 60001 x 0.35; the event adds 60000 x 0.4 and removes 60001.
  REQUIRE(book.depth(Side::sell) == 2);
  CHECK(book.level(Side::sell, 0) == cts::venue::PriceLevel{"60000"_d, "0.4"_d});
  CHECK(book.level(Side::sell, 1) == cts::venue::PriceLevel{"60000.5"_d, "1.2"_d});
  // The next change_id applies; an old one is ignored; a skipped one is a gap.
  CHECK(change(stream.on_message(event_with(88125))) == MarketChange::book);
  CHECK(change(stream.on_message(event_with(88124))) == MarketChange::none);
  CHECK(change(stream.on_message(event_with(88127))) == MarketChange::gap);
  CHECK_FALSE(stream.synced());
}

TEST_CASE("orangex stream: a snapshot older than the first event is not taken") {
  orangex::PublicMarketStream stream("BTC-USDT-PERPETUAL");
  REQUIRE(change(stream.on_message(event_with(88200))) == MarketChange::waiting);
  CHECK(change(stream.on_snapshot(snapshot())) == MarketChange::waiting);
  CHECK_FALSE(stream.synced());
}

TEST_CASE("orangex stream: an event of another instrument is not read") {
  orangex::PublicMarketStream stream("ETH-USDT-PERPETUAL");
  CHECK(change(stream.on_message(text("ws_book_event.json"))) == MarketChange::none);
}
