// Tests for cts/core/json_string.hpp. Expected literals written by hand from RFC 8259 §7
// (and, for go_html_safe, from what Go's encoding/json.Marshal prints for the same input).
#include <cts/core/json_string.hpp>

#include <string>

#include <doctest/doctest.h>

using namespace cts;

TEST_CASE("RFC 8259: quote, backslash and control characters are escaped, nothing else") {
  CHECK(json_string("") == R"("")");
  CHECK(json_string("BTCUSDT") == R"("BTCUSDT")");
  CHECK(json_string("a\"b\\c") == R"("a\"b\\c")");
  CHECK(json_string("line\nbreak\r\ttab") == R"("line\u000abreak\u000d\u0009tab")");
  CHECK(json_string(std::string("\x00\x01\x1f\x20", 4)) == R"("\u0000\u0001\u001f ")");
  CHECK(json_string("/<&>'\x7f") == "\"/<&>'\x7f\"");  // solidus, HTML characters and DEL stay as they are
}

TEST_CASE("RFC 8259: UTF-8 is copied, invalid bytes become U+FFFD") {
  CHECK(json_string("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80") == "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"");  // é € 😀
  CHECK(json_string("\xE2\x80\xA8") == "\"\xE2\x80\xA8\"");  // U+2028 needs no escape in JSON
  CHECK(json_string("a\xFF"
                    "b") == R"("a\ufffdb")");                                 // not a lead byte
  CHECK(json_string("\x80") == R"("\ufffd")");                                // lone continuation byte
  CHECK(json_string("\xC3") == R"("\ufffd")");                                // truncated sequence
  CHECK(json_string("\xC0\xAF") == R"("\ufffd\ufffd")");                      // overlong '/'
  CHECK(json_string("\xED\xA0\x80") == R"("\ufffd\ufffd\ufffd")");            // UTF-16 surrogate D800
  CHECK(json_string("\xF4\x90\x80\x80") == R"("\ufffd\ufffd\ufffd\ufffd")");  // above U+10FFFF
}

TEST_CASE("append_json_string appends to what is there") {
  std::string out = R"({"k":)";
  append_json_string(out, "v\"");
  out += '}';
  CHECK(out == R"({"k":"v\""})");
}

TEST_CASE("go_html_safe escapes as Go's encoding/json does") {
  // json.Marshal("a\"b\\c\n<&>\x01\u2028\u2029\r\t\xff") in Go.
  CHECK(json_string("a\"b\\c\n<&>\x01\xE2\x80\xA8\xE2\x80\xA9\r\t\xFF", JsonEscaping::go_html_safe) ==
        R"("a\"b\\c\n\u003c\u0026\u003e\u0001\u2028\u2029\r\t\ufffd")");
  CHECK(json_string("\xC3\xA9", JsonEscaping::go_html_safe) == "\"\xC3\xA9\"");
}
