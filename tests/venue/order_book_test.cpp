// Tests for cts/venue/order_book.hpp: snapshot load, level updates and removals, best
// levels, crossed detection, and that bad input changes nothing.
#include <cts/venue/order_book.hpp>

#include <vector>

#include <doctest/doctest.h>

using cts::ErrorCode;
using cts::Side;
using cts::venue::BookSnapshot;
using cts::venue::OrderBook;
using cts::venue::PriceLevel;
using namespace cts::literals;

namespace {
BookSnapshot snapshot() {
  BookSnapshot s;
  s.last_update_id = 100;
  s.bids = {{"10.0"_d, "1"_d}, {"9.5"_d, "2"_d}, {"9.0"_d, "3"_d}};
  s.asks = {{"10.5"_d, "1"_d}, {"11.0"_d, "2"_d}};
  return s;
}
}  // namespace

TEST_CASE("OrderBook: load keeps levels best first") {
  OrderBook book;
  REQUIRE(book.load(snapshot()).has_value());
  CHECK(book.last_update_id() == 100);
  CHECK(book.depth(Side::buy) == 3);
  CHECK(book.depth(Side::sell) == 2);
  CHECK(book.best_bid() == PriceLevel{"10.0"_d, "1"_d});
  CHECK(book.best_ask() == PriceLevel{"10.5"_d, "1"_d});
  CHECK(book.level(Side::buy, 2) == PriceLevel{"9.0"_d, "3"_d});
  CHECK(book.level(Side::sell, 1) == PriceLevel{"11.0"_d, "2"_d});
  CHECK_FALSE(book.crossed());
}

TEST_CASE("OrderBook: apply inserts, updates and removes levels") {
  OrderBook book;
  REQUIRE(book.load(snapshot()).has_value());
  const std::vector<PriceLevel> bids{{"10.2"_d, "4"_d}, {"9.5"_d, "0"_d}, {"9.0"_d, "7"_d}, {"8.0"_d, "0"_d}};
  const std::vector<PriceLevel> asks{{"10.5"_d, "0"_d}, {"10.7"_d, "5"_d}};
  REQUIRE(book.apply(bids, asks, 105).has_value());
  CHECK(book.last_update_id() == 105);
  REQUIRE(book.depth(Side::buy) == 3);
  CHECK(book.level(Side::buy, 0) == PriceLevel{"10.2"_d, "4"_d});
  CHECK(book.level(Side::buy, 1) == PriceLevel{"10.0"_d, "1"_d});
  CHECK(book.level(Side::buy, 2) == PriceLevel{"9.0"_d, "7"_d});
  REQUIRE(book.depth(Side::sell) == 2);
  CHECK(book.best_ask() == PriceLevel{"10.7"_d, "5"_d});
  CHECK(book.level(Side::sell, 1) == PriceLevel{"11.0"_d, "2"_d});
}

TEST_CASE("OrderBook: crossed when the best bid reaches the best ask") {
  OrderBook book;
  REQUIRE(book.load(snapshot()).has_value());
  const std::vector<PriceLevel> bids{{"10.5"_d, "1"_d}};
  REQUIRE(book.apply(bids, {}, 101).has_value());
  CHECK(book.crossed());
}

TEST_CASE("OrderBook: invalid input is refused and changes nothing") {
  OrderBook book;
  REQUIRE(book.load(snapshot()).has_value());
  const std::vector<PriceLevel> negative{{"10.1"_d, -"1"_d}};
  auto r = book.apply(negative, {}, 200);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == ErrorCode::protocol_error);
  const std::vector<PriceLevel> zero_price{{"0"_d, "1"_d}};
  CHECK_FALSE(book.apply({}, zero_price, 200).has_value());
  CHECK(book.last_update_id() == 100);
  CHECK(book.depth(Side::buy) == 3);

  BookSnapshot unsorted = snapshot();
  std::swap(unsorted.bids[0], unsorted.bids[1]);
  unsorted.last_update_id = 300;
  CHECK(book.load(unsorted).error().code == ErrorCode::protocol_error);
  CHECK(book.last_update_id() == 100);
  CHECK(book.best_bid() == PriceLevel{"10.0"_d, "1"_d});
}

TEST_CASE("OrderBook: zero-quantity snapshot levels are skipped, clear empties") {
  BookSnapshot s = snapshot();
  s.bids[1].quantity = "0"_d;
  OrderBook book;
  REQUIRE(book.load(s).has_value());
  CHECK(book.depth(Side::buy) == 2);
  book.clear();
  CHECK(book.depth(Side::buy) == 0);
  CHECK_FALSE(book.best_ask().has_value());
  CHECK_FALSE(book.crossed());
}
