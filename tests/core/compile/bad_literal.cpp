// Must not compile (tests/core/compile_checks.cmake): a malformed Decimal literal is a
// compile-time error.
#include <cts/core/decimal.hpp>

using namespace cts::literals;

int main() { return static_cast<int>(("1.2.3"_d).raw()); }
