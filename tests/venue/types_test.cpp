// Tests for cts/venue/types.hpp: status names and finality.
#include <cts/venue/types.hpp>

#include <doctest/doctest.h>

using cts::venue::OrderStatus;

TEST_CASE("order status names and final states") {
  CHECK(cts::venue::to_string(OrderStatus::new_) == "new");
  CHECK(fmt::format("{}", OrderStatus::partially_filled) == "partially_filled");
  CHECK(cts::venue::is_final(OrderStatus::filled));
  CHECK(cts::venue::is_final(OrderStatus::canceled));
  CHECK(cts::venue::is_final(OrderStatus::rejected));
  CHECK(cts::venue::is_final(OrderStatus::expired));
  CHECK(cts::venue::is_final(OrderStatus::expired_in_match));
  CHECK_FALSE(cts::venue::is_final(OrderStatus::new_));
  CHECK_FALSE(cts::venue::is_final(OrderStatus::partially_filled));
  CHECK_FALSE(cts::venue::is_final(OrderStatus::pending_cancel));
  CHECK_FALSE(cts::venue::is_final(OrderStatus::pending_new));
}

TEST_CASE("a listed instrument trades only in the unified status trading") {
  cts::venue::ListedInstrument listed;
  CHECK_FALSE(listed.trading());  // unknown until the venue module says
  listed.state = cts::venue::InstrumentStatus::trading;
  CHECK(listed.trading());
  for (auto other : {cts::venue::InstrumentStatus::pre_trading, cts::venue::InstrumentStatus::halted,
                     cts::venue::InstrumentStatus::settling, cts::venue::InstrumentStatus::closed}) {
    listed.state = other;
    CHECK_FALSE(listed.trading());
  }
  CHECK(cts::venue::to_string(cts::venue::InstrumentStatus::pre_trading) == "pre_trading");
}
