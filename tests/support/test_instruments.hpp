#pragma once
/// \file
/// Instruments the tests share, with Binance spot's published BTCUSDT filters.

#include <cts/core/instrument.hpp>

namespace cts::testing {

/// BTCUSDT spot: tick 0.01, step 0.00001, min notional 5 (min quantity 0, no maximum).
inline Instrument btcusdt_spot() {
  Instrument i;
  i.venue_symbol = "BTCUSDT";
  i.base = "BTC";
  i.quote = "USDT";
  i.kind = InstrumentKind::spot;
  i.tick_size = Decimal::parse("0.01").value();
  i.step_size = Decimal::parse("0.00001").value();
  i.min_notional = Decimal::from_int(5);
  return i;
}

}  // namespace cts::testing
