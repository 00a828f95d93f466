// Tests for cts/core/decimal.hpp: parsing, formatting, arithmetic against independent
// references (__int128 for sums, Python-computed vectors for products, quotients and
// rounding), and every error path.
#include <cts/core/decimal.hpp>

#include <doctest/doctest.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <unordered_set>

using cts::Decimal;
using cts::ErrorCode;
using cts::Rounding;
using namespace cts::literals;

namespace {

Decimal dec(std::string_view text) { return Decimal::parse(text).value(); }

ErrorCode parse_error(std::string_view text) {
  auto r = Decimal::parse(text);
  REQUIRE_MESSAGE(!r.has_value(), "expected a parse error for \"" << std::string(text) << "\"");
  return r.error().code;
}

Rounding mode_named(const std::string& name) {
  for (Rounding m : {Rounding::toward_zero, Rounding::away_from_zero, Rounding::floor, Rounding::ceiling,
                     Rounding::half_up, Rounding::half_down, Rounding::half_even}) {
    if (cts::to_string(m) == name) return m;
  }
  FAIL("unknown rounding mode " << name);
  return Rounding::toward_zero;
}

}  // namespace

TEST_CASE("parse: exchange strings are exact") {
  CHECK(dec("0.00001000").raw() == 10'000'000'000'000);
  CHECK(dec("1E-8").raw() == 10'000'000'000);
  CHECK(dec("1e-8") == dec("0.00000001"));
  CHECK(dec("-12.5").raw() == -12'500'000'000'000'000'000);
  CHECK(dec("100").raw() == static_cast<Decimal::Raw>(100) * Decimal::kOne);
  CHECK(dec("+7") == Decimal::from_int(7));
  CHECK(dec("0") == Decimal{});
  CHECK(dec("-0") == Decimal{});
  CHECK(dec("0000.1") == dec("0.1"));
  CHECK(dec("1.5E+3") == Decimal::from_int(1500));
  CHECK(dec("123.456E-2") == dec("1.23456"));
  CHECK(dec("0.000000000001").raw() == 1'000'000);  // a 1e-12 price
  CHECK(dec("0.000000000000000001") == Decimal::epsilon());
  CHECK(dec("1.000000000000000000000000000000000000000000000000") == Decimal::from_int(1));
  CHECK(dec("100E-20") == Decimal::epsilon());
}

TEST_CASE("parse: digit-count boundaries of the eight-digit fast path") {
  CHECK(dec("9999999999999999999").to_string() == "9999999999999999999");
  CHECK(dec("12345678901234567890").to_string() == "12345678901234567890");
  CHECK(dec("1234567890.123456789").to_string() == "1234567890.123456789");
  CHECK(dec("1234567890.1234567891").to_string() == "1234567890.1234567891");
  CHECK(dec("12345678.12345678").to_string() == "12345678.12345678");
  CHECK(dec("-0.000000000000000001") == -Decimal::epsilon());
  CHECK(dec("0.123456789012345678").raw() == 123'456'789'012'345'678);
  CHECK(parse_error("12345678.1234567x") == ErrorCode::invalid_argument);
  CHECK(parse_error("1234567x.5") == ErrorCode::invalid_argument);
  CHECK(parse_error("0.1234567890123456789") == ErrorCode::out_of_range);
}

TEST_CASE("parse: the documented range holds") {
  // 10^15 with 8 decimals; 18 significant digits; the extremes.
  CHECK(dec("999999999999999.99999999").to_string() == "999999999999999.99999999");
  CHECK(dec("123456789.123456789").to_string() == "123456789.123456789");
  CHECK(dec("170141183460469231731.687303715884105727") == Decimal::max());
  CHECK(dec("-170141183460469231731.687303715884105727") == Decimal::lowest());
  CHECK(parse_error("170141183460469231731.687303715884105728") == ErrorCode::out_of_range);
  CHECK(parse_error("1E21") == ErrorCode::out_of_range);
  CHECK(parse_error("1E99999") == ErrorCode::out_of_range);
  CHECK(parse_error("1E9999999") == ErrorCode::out_of_range);
  CHECK(parse_error("0.0000000000000000001") == ErrorCode::out_of_range);
  CHECK(parse_error("1E-19") == ErrorCode::out_of_range);
  CHECK(parse_error("1234567890123456789012345678901234567890") == ErrorCode::out_of_range);
  CHECK(dec("0E99999") == Decimal{});
}

TEST_CASE("parse: malformed text names the character and position") {
  for (std::string_view bad : {"", "-", "+", ".", ".5", "1.", "1.e5", "1e", "1e+", "abc", " 1", "1 ", "1,5", "0x10",
                               "nan", "inf", "--1", "1.2.3", "1e5.5", "١"}) {
    CHECK_MESSAGE(parse_error(bad) == ErrorCode::invalid_argument, std::string(bad));
  }
  auto r = Decimal::parse("12x4");
  REQUIRE(!r);
  CHECK(r.error().message.find("position 2") != std::string::npos);
  CHECK(r.error().message.find("'x'") != std::string::npos);
  auto empty = Decimal::parse("");
  CHECK(empty.error().message.find("empty") != std::string::npos);
}

TEST_CASE("format: canonical and fixed precision") {
  CHECK(dec("0.00001000").to_string() == "0.00001");
  CHECK(dec("0.00001000").to_string(8, Rounding::half_even) == "0.00001000");
  CHECK(dec("-12.5").to_string() == "-12.5");
  CHECK(dec("100").to_string() == "100");
  CHECK(dec("100").to_string(2, Rounding::half_even) == "100.00");
  CHECK(Decimal{}.to_string() == "0");
  CHECK(Decimal{}.to_string(3, Rounding::half_even) == "0.000");
  CHECK(dec("1.005").to_string(2, Rounding::half_even) == "1.00");
  CHECK(dec("1.015").to_string(2, Rounding::half_even) == "1.02");
  CHECK(dec("1.005").to_string(2, Rounding::half_up) == "1.01");
  CHECK(dec("-1.005").to_string(2, Rounding::floor) == "-1.01");
  CHECK(dec("-0.001").to_string(2, Rounding::toward_zero) == "0.00");
  CHECK(dec("64231.57").to_string(0, Rounding::toward_zero) == "64231");
  CHECK(Decimal::max().to_string() == "170141183460469231731.687303715884105727");
  CHECK(Decimal::lowest().to_string() == "-170141183460469231731.687303715884105727");
  CHECK_THROWS_AS((void)dec("1").to_string(19, Rounding::half_even), cts::Exception);
  CHECK_THROWS_AS((void)Decimal::max().to_string(0, Rounding::ceiling), cts::Exception);
  CHECK(fmt::format("{}", dec("0.1000")) == "0.1");
  CHECK(fmt::format("{:.4}", dec("0.1")) == "0.1000");
  char tiny[3];
  CHECK(dec("1234").to_chars(tiny, tiny + sizeof(tiny)) == nullptr);
}

TEST_CASE("format: decimals() counts canonical fraction digits") {
  CHECK(dec("1E-8").decimals() == 8);
  CHECK(dec("5").decimals() == 0);
  CHECK(dec("-0.25").decimals() == 2);
  CHECK(Decimal::epsilon().decimals() == 18);
}

TEST_CASE("property: parse -> format round trip on 200,000 random decimal strings") {
  std::mt19937_64 rng(12345);
  std::uniform_int_distribution<int> int_digits(0, 20);
  std::uniform_int_distribution<int> frac_digits(0, 18);
  std::uniform_int_distribution<int> digit(0, 9);
  std::string text;
  for (int n = 0; n < 200'000; ++n) {
    text.clear();
    const bool negative = (rng() & 1) != 0;
    const int ints = int_digits(rng);
    const int fracs = frac_digits(rng);
    // Canonical form: no leading zeros, no trailing fraction zeros, "0" for zero.
    std::string int_part;
    for (int i = 0; i < ints; ++i) int_part.push_back(static_cast<char>('0' + (i == 0 ? 1 + digit(rng) % 9 : digit(rng))));
    if (int_part.empty()) int_part = "0";
    std::string frac_part;
    for (int i = 0; i < fracs; ++i) frac_part.push_back(static_cast<char>('0' + digit(rng)));
    while (!frac_part.empty() && frac_part.back() == '0') frac_part.pop_back();
    const bool zero = int_part == "0" && frac_part.empty();
    if (negative && !zero) text.push_back('-');
    text += int_part;
    if (!frac_part.empty()) text += "." + frac_part;
    const auto parsed = Decimal::parse(text);
    REQUIRE_MESSAGE(parsed.has_value(), text);
    const std::string back = parsed->to_string();
    if (back != text) FAIL("round trip of " << text << " gave " << back);
    // The raw integer is exactly the digits scaled by 10^18 (independent check).
    const std::string padded = frac_part + std::string(18 - frac_part.size(), '0');
    const std::string all_digits = int_part + padded;
    unsigned __int128 expected = 0;
    for (char c : all_digits) expected = expected * 10 + static_cast<unsigned>(c - '0');
    const Decimal::Raw signed_expected = (negative && !zero) ? -static_cast<Decimal::Raw>(expected) : static_cast<Decimal::Raw>(expected);
    if (parsed->raw() != signed_expected) FAIL("raw mismatch for " << text);
  }
}

TEST_CASE("property: addition and subtraction match __int128 with overflow detection") {
  std::mt19937_64 rng(777);
  for (int n = 0; n < 200'000; ++n) {
    const auto a = static_cast<Decimal::Raw>((static_cast<unsigned __int128>(rng()) << 64) | rng()) >> (rng() % 100);
    const auto b = static_cast<Decimal::Raw>((static_cast<unsigned __int128>(rng()) << 64) | rng()) >> (rng() % 100);
    if (a == std::numeric_limits<Decimal::Raw>::min() || b == std::numeric_limits<Decimal::Raw>::min()) continue;
    Decimal::Raw sum = 0;
    const bool overflow = __builtin_add_overflow(a, b, &sum) || sum == std::numeric_limits<Decimal::Raw>::min();
    const auto r = Decimal::from_raw(a).checked_add(Decimal::from_raw(b));
    REQUIRE(r.has_value() == !overflow);
    if (!overflow) REQUIRE(r->raw() == sum);
    else REQUIRE(r.error().code == ErrorCode::out_of_range);
    Decimal::Raw diff = 0;
    const bool overflow2 = __builtin_sub_overflow(a, b, &diff) || diff == std::numeric_limits<Decimal::Raw>::min();
    const auto d = Decimal::from_raw(a).checked_sub(Decimal::from_raw(b));
    REQUIRE(d.has_value() == !overflow2);
    if (!overflow2) REQUIRE(d->raw() == diff);
  }
}

TEST_CASE("known answers: multiplication, division and rounding (Python exact integers)") {
  std::ifstream file(CTS_TEST_DATA_DIR "/core/data/decimal_vectors.txt");
  REQUIRE(file.good());
  std::string line;
  int count = 0;
  while (std::getline(file, line)) {
    std::istringstream fields(line);
    std::string op, a, b, mode, expected;
    fields >> op >> a >> b >> mode >> expected;
    const Decimal x = dec(a), y = dec(b);
    const Rounding m = mode_named(mode);
    cts::Result<Decimal> got = op == "mul" ? x.checked_mul(y, m) : op == "div" ? x.checked_div(y, m) : x.checked_round_to(y, m);
    if (expected.rfind("error:", 0) == 0) {
      REQUIRE_MESSAGE(!got.has_value(), line);
      CHECK_MESSAGE(cts::to_string(got.error().code) == expected.substr(6), line);
    } else {
      REQUIRE_MESSAGE(got.has_value(), line << " -> " << got.error().to_string());
      CHECK_MESSAGE(got->to_string() == expected, line << " -> " << got->to_string());
    }
    ++count;
  }
  CHECK(count > 12000);
}

TEST_CASE("arithmetic: hand-computed cases and identities") {
  CHECK(dec("64231.57").mul(dec("0.0015"), Rounding::half_even) == dec("96.347355"));
  CHECK(dec("1").div(dec("3"), Rounding::half_even).to_string() == "0.333333333333333333");
  CHECK(dec("2").div(dec("3"), Rounding::half_even).to_string() == "0.666666666666666667");
  CHECK(dec("2").div(dec("3"), Rounding::toward_zero).to_string() == "0.666666666666666666");
  CHECK(dec("-2").div(dec("3"), Rounding::floor).to_string() == "-0.666666666666666667");
  CHECK(dec("-2").div(dec("3"), Rounding::ceiling).to_string() == "-0.666666666666666666");
  CHECK(dec("10").div(dec("4"), Rounding::toward_zero) == dec("2.5"));
  CHECK(dec("0.1") + dec("0.2") == dec("0.3"));
  CHECK(dec("0.3") - dec("0.1") - dec("0.2") == Decimal{});
  CHECK(dec("1.5") * 4 == Decimal::from_int(6));
  CHECK(3 * dec("-0.5") == dec("-1.5"));
  CHECK(-dec("2") == dec("-2"));
  CHECK(dec("-2").abs() == dec("2"));
  CHECK(Decimal::lowest().abs() == Decimal::max());
  CHECK(dec("2").sign() == 1);
  CHECK(dec("-2").sign() == -1);
  CHECK(Decimal{}.sign() == 0);
  CHECK(dec("3.14").is_integer() == false);
  CHECK(dec("3").is_integer());
  Decimal acc = dec("1");
  acc += dec("0.5");
  acc -= dec("0.25");
  CHECK(acc == dec("1.25"));
  CHECK("0.01"_d == dec("0.01"));
  static_assert("1.5"_d.raw() == 1'500'000'000'000'000'000);
  static_assert("-1E-8"_d.raw() == -10'000'000'000);
}

TEST_CASE("errors: overflow and division by zero are errors, never UB") {
  CHECK(Decimal::max().checked_add(Decimal::epsilon()).error().code == ErrorCode::out_of_range);
  CHECK(Decimal::lowest().checked_sub(Decimal::epsilon()).error().code == ErrorCode::out_of_range);
  CHECK(Decimal::max().checked_mul(dec("1.000000000000000001"), Rounding::toward_zero).error().code == ErrorCode::out_of_range);
  CHECK(Decimal::max().checked_mul(2).error().code == ErrorCode::out_of_range);
  CHECK(dec("1").checked_div(Decimal{}, Rounding::half_even).error().code == ErrorCode::division_by_zero);
  CHECK(Decimal::max().checked_div(dec("0.1"), Rounding::half_even).error().code == ErrorCode::out_of_range);
  CHECK_THROWS_AS(Decimal::max() + Decimal::epsilon(), cts::Exception);
  CHECK_THROWS_AS((void)dec("1").div(Decimal{}, Rounding::half_even), cts::Exception);
  Decimal unchanged = Decimal::max();
  CHECK_THROWS_AS(unchanged += Decimal::epsilon(), cts::Exception);
  CHECK(unchanged == Decimal::max());
  CHECK(dec("1").checked_round(19, Rounding::half_even).error().code == ErrorCode::invalid_argument);
  CHECK(dec("1").checked_round(-1, Rounding::half_even).error().code == ErrorCode::invalid_argument);
  CHECK(dec("1").checked_round_to(Decimal{}, Rounding::half_even).error().code == ErrorCode::invalid_argument);
  CHECK(dec("1").checked_round_to(dec("-1"), Rounding::half_even).error().code == ErrorCode::invalid_argument);
  CHECK(Decimal::max().checked_round(0, Rounding::ceiling).error().code == ErrorCode::out_of_range);
}

TEST_CASE("rounding: to decimals and to increments") {
  CHECK(dec("2.5").round(0, Rounding::half_even) == dec("2"));
  CHECK(dec("3.5").round(0, Rounding::half_even) == dec("4"));
  CHECK(dec("-2.5").round(0, Rounding::half_up) == dec("-3"));
  CHECK(dec("-2.5").round(0, Rounding::half_down) == dec("-2"));
  CHECK(dec("64231.574").checked_round_to(dec("0.01"), Rounding::floor).value() == dec("64231.57"));
  CHECK(dec("64231.571").checked_round_to(dec("0.01"), Rounding::ceiling).value() == dec("64231.58"));
  CHECK(dec("0.123456").checked_round_to(dec("0.0005"), Rounding::half_even).value() == dec("0.1235"));
  CHECK(dec("7").checked_round_to(dec("5"), Rounding::half_up).value() == dec("5"));
  CHECK(dec("7.5").checked_round_to(dec("5"), Rounding::half_up).value() == dec("10"));
  CHECK(dec("0.3").is_multiple_of(dec("0.1")));
  CHECK(!dec("0.35").is_multiple_of(dec("0.1")));
  CHECK(!dec("1").is_multiple_of(Decimal{}));
}

TEST_CASE("comparison and hashing follow the value, not the text") {
  CHECK(dec("1.5") == dec("1.50000"));
  CHECK(dec("-1") < dec("0.000000000000000001"));
  CHECK(dec("2") > dec("1.999999999999999999"));
  std::unordered_set<Decimal> set{dec("1.5"), dec("1.50"), dec("2")};
  CHECK(set.size() == 2);
  CHECK(std::hash<Decimal>{}(dec("0.1")) != std::hash<Decimal>{}(dec("0.2")));
}

TEST_CASE("to_double is for display only but close") {
  CHECK(dec("64231.57").to_double() == doctest::Approx(64231.57));
  CHECK(dec("-0.5").to_double() == doctest::Approx(-0.5));
}
