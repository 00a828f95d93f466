#pragma once
// The BTCUSDT instrument the matching-engine tests trade: tick 0.01, step 0.001,
// quantity 0.001..100, minimum notional 5 USDT.
#include <cts/core/instrument.hpp>

namespace cts::test {

inline Instrument btcusdt() {
  using namespace cts::literals;
  Instrument in;
  in.venue_symbol = "BTCUSDT";
  in.base = "BTC";
  in.quote = "USDT";
  in.tick_size = "0.01"_d;
  in.step_size = "0.001"_d;
  in.min_quantity = "0.001"_d;
  in.max_quantity = "100"_d;
  in.min_notional = "5"_d;
  return in;
}

}  // namespace cts::test
