// Tests for cts/core/detail/text.hpp: the byte-level helpers every parser shares.
#include <cts/core/detail/text.hpp>

#include <doctest/doctest.h>

using namespace cts::detail;

TEST_CASE("hex digits in either case, nothing else") {
  CHECK(hex_value('0') == 0);
  CHECK(hex_value('9') == 9);
  CHECK(hex_value('a') == 10);
  CHECK(hex_value('F') == 15);
  for (const char c : {'g', 'G', '/', ':', '@', '`', ' ', '\0', '\xff'}) CHECK(hex_value(c) == -1);
}

TEST_CASE("digits and trimming") {
  CHECK(parse_digits("0") == 0);
  CHECK(parse_digits("1187") == 1187);
  CHECK(parse_digits("999999999999999999") == 999'999'999'999'999'999);
  for (const char* bad : {"", "-1", "+1", "1 ", "1.0", "1234567890123456789"}) CHECK(parse_digits(bad) == -1);
  CHECK(trim_spaces(" \t7\t ") == "7");
  CHECK(trim_spaces("\n7") == "\n7");  // only spaces and tabs
  CHECK(trim_spaces("   ").empty());
  // Other bytes to trim: a CRLF line's "\r" as well, inner ones kept.
  CHECK(trim_spaces(" key = a b \r", " \t\r") == "key = a b");
  CHECK(trim_spaces("\r\r", " \t\r").empty());
  CHECK(trim_spaces("x\r", " \t") == "x\r");
}
