// Compiled and linked with fmt alone (tests/core/compile_checks.cmake): <cts/core.hpp>
// needs no other dependency, and a Decimal literal is evaluated at compile time.
#include <cts/core.hpp>

#ifdef SIMDJSON_VERSION
#error "<cts/core.hpp> must not include simdjson"
#endif

using namespace cts::literals;

// 0.01 is 10^16 units of 10^-18; 1E-8 is 10^10 units.
static_assert(("0.01"_d).raw() == 10'000'000'000'000'000);
static_assert(("-1E-8"_d).raw() == -10'000'000'000);
static_assert(("64231.57000000"_d).decimals() == 2);

int main() {
  const cts::Decimal price = cts::Decimal::parse("64231.57").value();
  fmt::print("{}\n", price.mul("0.0015"_d, cts::Rounding::half_even));
  return 0;
}
