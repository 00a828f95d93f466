#pragma once
/// \file
/// Instruments the tests share, with Binance's published BTCUSDT filters (spot and
/// USDⓈ-M perpetual).

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

/// BTCUSDT USDⓈ-M perpetual (Binance futures): tick 0.1, step 0.001, settled in USDT.
inline Instrument btcusdt_perpetual() {
  Instrument i;
  i.venue_symbol = "BTCUSDT";
  i.base = "BTC";
  i.quote = "USDT";
  i.settle = "USDT";
  i.kind = InstrumentKind::linear_perpetual;
  i.tick_size = Decimal::parse("0.1").value();
  i.step_size = Decimal::parse("0.001").value();
  return i;
}

}  // namespace cts::testing
