// Tests for the decimal fast paths of cts/venue/detail/json.hpp (parse_plain_decimal,
// parse_padded_plain_decimal): on every input they must agree exactly with the core's
// Decimal::parse (the independent reference), or decline so the caller falls back to it.
#include <cts/venue/detail/json.hpp>

#include <random>
#include <string>

#include <doctest/doctest.h>

using cts::Decimal;
using cts::venue::detail::parse_padded_plain_decimal;
using cts::venue::detail::parse_plain_decimal;

namespace {
// `text` followed by a closing quote and padding, as inside a simdjson document.
std::string padded(const std::string& text) { return text + "\"],[\"9" + std::string(64, '7'); }

void check_against_reference(const std::string& text) {
  const auto reference = Decimal::parse(text);
  const auto plain = parse_plain_decimal(text);
  if (plain) {
    REQUIRE_MESSAGE(reference.has_value(), text);
    CHECK_MESSAGE(*plain == *reference, text);
  }
  const std::string buffer = padded(text);
  Decimal fast = Decimal::from_int(-42);
  if (parse_padded_plain_decimal(std::string_view(buffer.data(), text.size()), fast)) {
    REQUIRE_MESSAGE(reference.has_value(), text);
    CHECK_MESSAGE(fast == *reference, text);
  } else {
    CHECK_MESSAGE(fast == Decimal::from_int(-42), text);
  }
}
}  // namespace

TEST_CASE("fast decimal paths: Binance's usual forms") {
  for (const char* text : {"64231.57000000", "0.00001000", "1.23450000", "3021.10", "0.00000123", "1000.5", "27.81340000",
                           "0.015", "0", "7", "12345678", "1234567.12345678", "99999999.9", "0.000000000000000001",
                           "18446744073709551615.5", "9999999999999999999.999999999999999999"}) {
    check_against_reference(text);
  }
  Decimal out;
  const std::string buffer = padded("64231.57000000");
  REQUIRE(parse_padded_plain_decimal(std::string_view(buffer.data(), 14), out));
  CHECK(out == Decimal::parse("64231.57").value());
}

TEST_CASE("fast decimal paths decline what they do not handle") {
  for (const char* text : {"", ".5", "5.", "-1", "+1", "1e5", "1.2.3", "12a.5", "1.5x", " 1", "0x10",
                           "1.0000000000000000001", "123456789012345678901"}) {
    check_against_reference(text);
    Decimal out = Decimal::from_int(3);
    const std::string buffer = padded(text);
    const bool taken = parse_padded_plain_decimal(std::string_view(buffer.data(), std::string_view(text).size()), out);
    if (!Decimal::parse(text).has_value()) CHECK_FALSE_MESSAGE(taken, text);
  }
}

TEST_CASE("fast decimal paths agree with Decimal::parse on random plain numbers") {
  std::mt19937_64 random(20261122);
  const char digits[] = "0123456789";
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    const int integer_digits = 1 + static_cast<int>(random() % 21);
    for (int k = 0; k < integer_digits; ++k) text += digits[random() % 10];
    const int fraction_digits = static_cast<int>(random() % 21);
    if (fraction_digits > 0 || random() % 4 == 0) {
      text += '.';
      for (int k = 0; k < fraction_digits; ++k) text += digits[random() % 10];
    }
    if (random() % 16 == 0) text[random() % text.size()] = static_cast<char>("./:-e "[random() % 6]);
    check_against_reference(text);
  }
}
