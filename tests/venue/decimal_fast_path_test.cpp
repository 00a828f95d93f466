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

TEST_CASE("fast decimal paths: Binance's 8-decimal shape at every integer width") {
  // Values worked out by hand: raw = integer * 10^18 + fraction * 10^10.
  struct Case {
    const char* text;
    Decimal::Raw raw;
  };
  constexpr Decimal::Raw kOne = 1'000'000'000'000'000'000;
  for (const Case& c : {Case{"0.00000000", 0}, Case{"0.00000001", 10'000'000'000}, Case{"1.00000000", kOne},
                        Case{"9.99999999", 9 * kOne + 999'999'990'000'000'000},
                        Case{"00.00000001", 10'000'000'000}, Case{"0000007.50000000", 7 * kOne + 500'000'000'000'000'000},
                        Case{"64231.57000000", 64231 * kOne + 570'000'000'000'000'000},
                        Case{"9999999.99999999", 9'999'999 * kOne + 999'999'990'000'000'000}}) {
    Decimal out = Decimal::from_int(-42);
    const std::string buffer = padded(c.text);
    REQUIRE_MESSAGE(parse_padded_plain_decimal(std::string_view(buffer.data(), std::string_view(c.text).size()), out),
                    c.text);
    CHECK_MESSAGE(out == Decimal::from_raw(c.raw), c.text);
    check_against_reference(c.text);
  }
}

TEST_CASE("fast decimal paths: one wrong byte anywhere in the 8-decimal shape") {
  // Every position of every width, replaced by each character that is not a digit:
  // the fast path must decline or agree with Decimal::parse (signs, exponents, a second
  // point, a space, a quote, bytes next to the digits in ASCII).
  for (int integer_digits = 1; integer_digits <= 8; ++integer_digits) {
    const std::string base = std::string("12345678").substr(0, static_cast<std::size_t>(integer_digits)) + ".87654321";
    for (std::size_t position = 0; position < base.size(); ++position) {
      for (char bad : std::string_view("-+eE. \"/:\x7f\x80")) {
        std::string text = base;
        text[position] = bad;
        check_against_reference(text);
      }
    }
    check_against_reference(base);
    check_against_reference("-" + base);
    check_against_reference(base + "0");
    check_against_reference(base.substr(0, base.size() - 1));
  }
}

TEST_CASE("fast decimal paths agree with Decimal::parse on random 8-decimal prices") {
  std::mt19937_64 random(8);
  for (int i = 0; i < 50000; ++i) {
    std::string text;
    const int integer_digits = 1 + static_cast<int>(random() % 8);
    for (int k = 0; k < integer_digits; ++k) text += static_cast<char>('0' + random() % 10);
    text += '.';
    for (int k = 0; k < 8; ++k) text += static_cast<char>('0' + random() % 10);
    if (random() % 8 == 0) text[random() % text.size()] = "./:-+eE \"0"[random() % 10];
    check_against_reference(text);
  }
}
