// Tests for cts/engine/quoting.hpp, against hand-computed quotes.
#include <cts/engine/quoting.hpp>

#include <cstdint>
#include <random>
#include <utility>

#include <doctest/doctest.h>

#include "support/test_instruments.hpp"

using namespace cts;
using namespace cts::engine;
using namespace cts::literals;

namespace {
Instrument btcusdt() { return cts::testing::btcusdt_spot(); }
QuotingParams params() {
  QuotingParams p;
  p.half_spread_fraction = "0.001"_d;
  p.order_quantity = "0.005"_d;
  p.max_position = "0.01"_d;
  p.skew_fraction_per_unit = "0.001"_d;
  return p;
}
}  // namespace

TEST_CASE("flat inventory quotes symmetrically around the mid") {
  const Quote q = compute_quote(btcusdt(), params(), "60000"_d, Decimal{}).value();
  REQUIRE(q.bid);
  REQUIRE(q.ask);
  CHECK(q.bid->price == "59940"_d);  // 60000 − 60
  CHECK(q.ask->price == "60060"_d);
  CHECK(q.bid->quantity == "0.005"_d);
  CHECK(q.ask->quantity == "0.005"_d);
}

TEST_CASE("quotes round away from the mid to the tick") {
  // half spread 60.000005: bid 59940.004995 -> 59940.00, ask 60060.005005 -> 60060.01
  const Quote q = compute_quote(btcusdt(), params(), "60000.005"_d, Decimal{}).value();
  CHECK(q.bid->price == "59940"_d);
  CHECK(q.ask->price == "60060.01"_d);
}

TEST_CASE("long inventory skews both quotes down and trims the bid") {
  // reservation = 60000 · (1 − 0.001·0.008) = 59999.52; bid 59939.52, ask 60059.52
  const Quote q = compute_quote(btcusdt(), params(), "60000"_d, "0.008"_d).value();
  CHECK(q.bid->price == "59939.52"_d);
  CHECK(q.ask->price == "60059.52"_d);
  CHECK(q.bid->quantity == "0.002"_d);   // room to the limit
  CHECK(q.ask->quantity == "0.005"_d);
  const Quote at_limit = compute_quote(btcusdt(), params(), "60000"_d, "0.01"_d).value();
  CHECK(!at_limit.bid);
  CHECK(at_limit.ask);
  const Quote short_limit = compute_quote(btcusdt(), params(), "60000"_d, "-0.01"_d).value();
  CHECK(short_limit.bid);
  CHECK(!short_limit.ask);
}

TEST_CASE("a tiny spread still leaves the ask above the bid") {
  QuotingParams p = params();
  p.half_spread_fraction = Decimal{};
  const Quote q = compute_quote(btcusdt(), p, "100.005"_d, Decimal{}).value();
  CHECK(q.bid->price == "100"_d);
  CHECK(q.ask->price == "100.01"_d);
  const Quote exact = compute_quote(btcusdt(), p, "100"_d, Decimal{}).value();
  CHECK(exact.ask->price - exact.bid->price == "0.01"_d);
}

TEST_CASE("bad inputs are typed errors") {
  CHECK(compute_quote(btcusdt(), params(), Decimal{}, Decimal{}).error().code == ErrorCode::invalid_argument);
  Instrument no_tick = btcusdt();
  no_tick.tick_size = Decimal{};
  CHECK(compute_quote(no_tick, params(), "1"_d, Decimal{}).error().code == ErrorCode::invalid_argument);
}

TEST_CASE("keep_passive lowers a bid at or above the best ask to one tick below it") {
  Quote q{QuoteLevel{"60240"_d, "0.001"_d}, QuoteLevel{"60360"_d, "0.001"_d}};  // skewed up past the book
  REQUIRE(keep_passive(q, btcusdt(), "59999.99"_d, "60000.01"_d));
  REQUIRE(q.bid);
  CHECK(q.bid->price == "60000"_d);
  CHECK(q.ask->price == "60360"_d);  // already passive: unchanged
}

TEST_CASE("keep_passive raises an ask at or below the best bid to one tick above it") {
  Quote q{std::nullopt, QuoteLevel{"100.00"_d, "0.001"_d}};
  REQUIRE(keep_passive(q, btcusdt(), "100.00"_d, "100.50"_d));
  REQUIRE(q.ask);
  CHECK(q.ask->price == "100.01"_d);
}

TEST_CASE("keep_passive drops both sides on a crossed, locked or one-sided book") {
  for (const auto& [bid, ask] : {std::pair{"100"_d, "100"_d}, std::pair{"101"_d, "100"_d},
                                 std::pair{Decimal{}, "100"_d}, std::pair{"100"_d, Decimal{}}}) {
    Quote q{QuoteLevel{"90"_d, "0.001"_d}, QuoteLevel{"110"_d, "0.001"_d}};
    REQUIRE(keep_passive(q, btcusdt(), bid, ask));
    CHECK_FALSE(q.bid);
    CHECK_FALSE(q.ask);
  }
}

TEST_CASE("keep_passive refuses an instrument without a tick and leaves the quote alone") {
  Instrument no_tick = btcusdt();
  no_tick.tick_size = Decimal{};
  Quote q{QuoteLevel{"200"_d, "0.001"_d}, std::nullopt};
  const Result<void> r = keep_passive(q, no_tick, "99"_d, "100"_d);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::invalid_argument);
  CHECK(q.bid->price == "200"_d);
}

namespace {
// Exact fixed-point arithmetic for the property below, independent of Decimal:
// prices in units of 1e-17 (tick 0.01 = 1e15 units).
using Wide = __int128;
constexpr Wide kTickUnits = 1'000'000'000'000'000;  // 0.01 in 1e-17
Wide floor_div(Wide a, Wide b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }
Wide ceil_div(Wide a, Wide b) { return -floor_div(-a, b); }
Decimal ticks_to_price(std::int64_t ticks) { return Decimal::from_int(ticks).div("100"_d, Rounding::half_even); }
}  // namespace

TEST_CASE("quotes never cross the book: a property over random books and inventories") {
  std::mt19937_64 random(20261205);
  const Instrument instrument = btcusdt();
  int clamped_bids = 0;
  int clamped_asks = 0;
  for (int round = 0; round < 5000; ++round) {
    const std::int64_t best_bid_ticks = std::uniform_int_distribution<std::int64_t>(1, 10'000'000)(random);
    const std::int64_t best_ask_ticks = best_bid_ticks + std::uniform_int_distribution<std::int64_t>(1, 40)(random);
    const std::int64_t half_spread_e5 = std::uniform_int_distribution<std::int64_t>(0, 100)(random);        // 0..0.001
    const std::int64_t skew_e4 = std::uniform_int_distribution<std::int64_t>(0, 5000)(random);              // 0..0.5
    const std::int64_t position_e5 = std::uniform_int_distribution<std::int64_t>(-90'000, 90'000)(random);  // ±0.9
    QuotingParams p;
    p.half_spread_fraction = Decimal::from_int(half_spread_e5).div("100000"_d, Rounding::half_even);
    p.order_quantity = "0.001"_d;
    p.max_position = "1"_d;
    p.skew_fraction_per_unit = Decimal::from_int(skew_e4).div("10000"_d, Rounding::half_even);
    const Decimal position = Decimal::from_int(position_e5).div("100000"_d, Rounding::half_even);
    const Decimal best_bid = ticks_to_price(best_bid_ticks);
    const Decimal best_ask = ticks_to_price(best_ask_ticks);
    const Decimal mid = (best_bid + best_ask).div(Decimal::from_int(2), Rounding::half_even);

    // Expected, by hand: reservation = mid·(1 − skew·position), bid floored and ask
    // ceiled to the tick, ask at least a tick above the bid, then clamped.
    const Wide mid_e8 = static_cast<Wide>(best_bid_ticks + best_ask_ticks) * 500'000;
    const Wide reservation_e17 = mid_e8 * (Wide{1'000'000'000} - static_cast<Wide>(skew_e4) * position_e5);
    const Wide half_spread_e17 = mid_e8 * half_spread_e5 * 10'000;
    Wide bid = floor_div(reservation_e17 - half_spread_e17, kTickUnits);
    Wide ask = ceil_div(reservation_e17 + half_spread_e17, kTickUnits);
    if (ask <= bid) ask = bid + 1;
    if (bid >= best_ask_ticks) {
      bid = best_ask_ticks - 1;
      ++clamped_bids;
    }
    if (ask <= best_bid_ticks) {
      ask = best_bid_ticks + 1;
      ++clamped_asks;
    }

    Quote q = compute_quote(instrument, p, mid, position).value();
    REQUIRE(keep_passive(q, instrument, best_bid, best_ask));
    INFO("book " << best_bid << " / " << best_ask << ", position " << position << ", skew " << p.skew_fraction_per_unit
                 << ", half spread " << p.half_spread_fraction);
    REQUIRE(q.ask);
    CHECK(q.ask->price == ticks_to_price(static_cast<std::int64_t>(ask)));
    CHECK(q.ask->price > best_bid);
    if (bid > 0) {
      REQUIRE(q.bid);
      CHECK(q.bid->price == ticks_to_price(static_cast<std::int64_t>(bid)));
      CHECK(q.bid->price < best_ask);
      CHECK(q.bid->price < q.ask->price);
    } else {
      CHECK_FALSE(q.bid);
    }
  }
  // The random inventories reach beyond the book on both sides often enough to matter.
  CHECK(clamped_bids > 100);
  CHECK(clamped_asks > 100);
}

TEST_CASE("a quote quantity that rounds to no order is refused before trading, naming the step and minimum") {
  QuotingParams p = params();
  CHECK(check_quote_quantity(btcusdt(), p));  // 0.005 BTC
  // OKX's BTC-USDT-SWAP as its instruments list it: lotSz 0.01, minSz 0.01 contracts of ctVal 0.01 BTC.
  Instrument swap = btcusdt();
  swap.venue_symbol = "BTC-USDT-SWAP";
  swap.kind = InstrumentKind::linear_perpetual;
  swap.step_size = "0.01"_d;
  swap.min_quantity = "0.01"_d;
  swap.multiplier = "0.01"_d;
  p.order_quantity = "0.001"_d;
  const Result<void> refused = check_quote_quantity(swap, p);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::invalid_argument);
  CHECK(refused.error().message ==
        "quote.quantity 0.001 makes no order on BTC-USDT-SWAP: its step is 0.01 and its minimum 0.01 "
        "(contracts of 0.01 BTC)");
  p.order_quantity = "0.1"_d;  // 0.001 BTC in contracts
  CHECK(check_quote_quantity(swap, p));
  // A step-aligned quantity below the minimum makes no order either.
  swap.min_quantity = "0.2"_d;
  CHECK_FALSE(check_quote_quantity(swap, p));
}
