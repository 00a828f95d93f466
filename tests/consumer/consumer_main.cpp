// The consumer tests' program: includes the umbrella header and uses the library.
#include <cts/cts.hpp>

#include <fmt/format.h>

int main() {
  const cts::Decimal qty = cts::Decimal::parse("0.00001000").value();
  cts::Instrument instrument;
  instrument.base = "BTC";
  instrument.quote = "USDT";
  fmt::print("cts consumer ok: {} {}\n", qty, instrument.unified_symbol());
  return 0;
}
