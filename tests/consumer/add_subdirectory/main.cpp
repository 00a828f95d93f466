// The source-tree consumer's program: uses the header-only core and one compiled
// component (cts::sign), as a project that adds cts with add_subdirectory would.
#include <cts/core.hpp>
#include <cts/sign/encoding.hpp>
#include <cts/sign/hmac.hpp>

#include <fmt/format.h>

int main() {
  const cts::Decimal qty = cts::Decimal::parse("0.00001000").value();
  cts::Instrument instrument;
  instrument.base = "BTC";
  instrument.quote = "USDT";
  // RFC 4231 test case 2: HMAC-SHA256 of "what do ya want for nothing?" keyed by "Jefe".
  const cts::sign::HmacSha256 mac("Jefe");
  const std::string digest = cts::sign::hex_lower(mac.digest("what do ya want for nothing?"));
  if (digest != "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843") {
    fmt::print("cts consumer: HMAC-SHA256 mismatch: {}\n", digest);
    return 1;
  }
  fmt::print("cts consumer ok: {} {}\n", qty, instrument.unified_symbol());
  return 0;
}
