#pragma once
/// \file
/// Inline definitions for decimal.hpp: the parser and the writer (constexpr, so that
/// `"0.01"_d` is checked at compile time), the arithmetic and the rounding.

#include <array>
#include <bit>
#include <cstring>
#include <string>
#include <string_view>

#include "cts/core/decimal.hpp"
#include "cts/core/detail/wide_math.hpp"

namespace cts {

namespace detail {

inline constexpr auto kPow10 = [] {
  std::array<u128, 39> table{};
  u128 v = 1;
  for (auto& entry : table) {
    entry = v;
    v *= 10;
  }
  return table;
}();

inline constexpr u128 kMaxRawMagnitude = static_cast<u128>(std::numeric_limits<i128>::max());

/// Applies `mode` to a magnitude quotient q with remainder r of divisor d.
constexpr u128 apply_rounding(u128 q, u128 r, u128 d, bool negative, Rounding mode) noexcept {
  if (r == 0) return q;
  const u128 other = d - r;  // distance to the next multiple
  bool up = false;
  switch (mode) {
    case Rounding::toward_zero: up = false; break;
    case Rounding::away_from_zero: up = true; break;
    case Rounding::floor: up = negative; break;
    case Rounding::ceiling: up = !negative; break;
    case Rounding::half_up: up = r >= other; break;
    case Rounding::half_down: up = r > other; break;
    case Rounding::half_even: up = r > other || (r == other && (q & 1) != 0); break;
  }
  return up ? q + 1 : q;
}

inline Error decimal_overflow(std::string_view what) {
  return make_error(ErrorCode::out_of_range, std::string("decimal overflow in ") + std::string(what));
}

struct ParseFailure {
  ErrorCode code = ErrorCode::invalid_argument;
  std::size_t position = 0;
  const char* what = "";
};

struct ParseOutcome {
  i128 raw = 0;
  bool ok = false;
  ParseFailure failure;
};

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

/// True when the 8 bytes of `chunk` (little-endian) are all ASCII digits.
constexpr bool all_eight_digits(u64 chunk) noexcept {
  return (((chunk & 0xF0F0F0F0F0F0F0F0ULL) | (((chunk + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4)) ==
          0x3333333333333333ULL);
}

/// The value of 8 ASCII digits loaded little-endian (first digit in the low byte),
/// combined pairwise in three multiply steps.
constexpr u64 eight_digits_value(u64 chunk) noexcept {
  chunk -= 0x3030303030303030ULL;
  chunk = (chunk * 10) + (chunk >> 8);  // pairs of digits in every other byte
  chunk = (((chunk & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
           (((chunk >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >>
          32;
  return chunk;
}

/// Accumulates the run of digits starting at `i` into `acc`, eight at a time when it
/// can; stops at the first non-digit or when `budget` digits were taken. Returns the
/// number of digits taken.
constexpr std::size_t take_digits(std::string_view s, std::size_t& i, u64& acc, std::size_t budget) noexcept {
  const std::size_t start = i;
  const std::size_t n = s.size();
  if (!std::is_constant_evaluated()) {
    while (n - i >= 8 && (i - start) + 8 <= budget) {
      u64 chunk = 0;
      std::memcpy(&chunk, s.data() + i, 8);
      if constexpr (std::endian::native == std::endian::big) chunk = __builtin_bswap64(chunk);
      if (!all_eight_digits(chunk)) break;
      acc = acc * 100'000'000ULL + eight_digits_value(chunk);
      i += 8;
    }
  }
  while (i < n && is_digit(s[i]) && (i - start) < budget) acc = acc * 10 + static_cast<u64>(s[i++] - '0');
  return i - start;
}

/// Fast path for the common exchange form `[-]digits[.digits]` with at most 19 digits
/// and 18 decimals: one 64-bit accumulator, one widening multiply. Returns false (and
/// leaves `out` alone) when the text needs the general parser.
constexpr bool parse_decimal_short(std::string_view s, ParseOutcome& out) noexcept {
  std::size_t i = 0;
  const std::size_t n = s.size();
  const bool negative = n != 0 && s[0] == '-';
  if (negative) ++i;
  if (i == n || !is_digit(s[i])) return false;
  // At most 19 digits keep the accumulator below 10^19 < 2^64.
  u64 acc = 0;
  const std::size_t int_digits = take_digits(s, i, acc, 19);
  std::size_t frac_digits = 0;
  if (i < n) {
    if (s[i] != '.' || i + 1 == n) return false;
    ++i;
    frac_digits = take_digits(s, i, acc, 19 - int_digits);
    if (i != n || frac_digits == 0 || frac_digits > 18) return false;
  }
  const u128 magnitude = static_cast<u128>(acc) * kPow10[18 - frac_digits];
  out.raw = negative ? -static_cast<i128>(magnitude) : static_cast<i128>(magnitude);
  out.ok = true;
  return true;
}

/// The parser proper, free of allocation so that it runs in constant evaluation.
constexpr ParseOutcome parse_decimal(std::string_view s) noexcept {
  ParseOutcome out;
  if (parse_decimal_short(s, out)) return out;
  std::size_t i = 0;
  const std::size_t n = s.size();
  auto fail = [&](ErrorCode code, std::size_t pos, const char* what) {
    out.failure = ParseFailure{code, pos, what};
    return out;
  };
  if (n == 0) return fail(ErrorCode::invalid_argument, 0, "empty text");
  bool negative = false;
  if (s[0] == '-' || s[0] == '+') {
    negative = s[0] == '-';
    ++i;
  }
  // Mantissa digits, leading zeros dropped; zero digits are deferred so that trailing
  // zeros ("1.00000000000000000000000000") never overflow the accumulator.
  u128 mantissa = 0;
  int significant = 0;     // digits accumulated into mantissa
  int deferred_zeros = 0;  // zero digits seen after the last non-zero digit
  int exponent = 0;        // value = mantissa * 10^(deferred_zeros + exponent)
  bool any_digit = false;
  auto take_digit = [&](char c) -> bool {
    any_digit = true;
    const int d = c - '0';
    if (d == 0) {
      if (significant > 0) ++deferred_zeros;
      return true;
    }
    const int grow = deferred_zeros + 1;
    if (significant + grow > 39) return false;
    u128 scaled = 0;
    if (__builtin_mul_overflow(mantissa, kPow10[static_cast<std::size_t>(grow)], &scaled) ||
        __builtin_add_overflow(scaled, static_cast<u128>(d), &mantissa)) {
      return false;
    }
    significant += grow;
    deferred_zeros = 0;
    return true;
  };
  const std::size_t int_start = i;
  while (i < n && is_digit(s[i])) {
    if (!take_digit(s[i])) return fail(ErrorCode::out_of_range, i, "too many significant digits");
    ++i;
  }
  if (i == int_start) {
    if (i < n) return fail(ErrorCode::invalid_argument, i, "expected a digit");
    return fail(ErrorCode::invalid_argument, i, "expected a digit after the sign");
  }
  if (i < n && s[i] == '.') {
    ++i;
    const std::size_t frac_start = i;
    while (i < n && is_digit(s[i])) {
      if (!take_digit(s[i])) return fail(ErrorCode::out_of_range, i, "too many significant digits");
      --exponent;
      ++i;
    }
    if (i == frac_start) return fail(ErrorCode::invalid_argument, i, "expected a digit after the decimal point");
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < n && (s[i] == '-' || s[i] == '+')) {
      exp_negative = s[i] == '-';
      ++i;
    }
    const std::size_t exp_start = i;
    int exp_value = 0;
    while (i < n && is_digit(s[i])) {
      if (exp_value > 100000) return fail(ErrorCode::out_of_range, i, "exponent too large");
      exp_value = exp_value * 10 + (s[i] - '0');
      ++i;
    }
    if (i == exp_start) return fail(ErrorCode::invalid_argument, i, "expected a digit in the exponent");
    exponent += exp_negative ? -exp_value : exp_value;
  }
  if (i != n) return fail(ErrorCode::invalid_argument, i, "unexpected character");
  (void)any_digit;
  if (mantissa == 0) {
    out.ok = true;
    return out;
  }
  // raw = mantissa * 10^(deferred_zeros + exponent + 18)
  const int shift = deferred_zeros + exponent + Decimal::kScale;
  u128 magnitude = 0;
  if (shift >= 0) {
    if (shift > 38 || significant + shift > 39)
      return fail(ErrorCode::out_of_range, n, "value exceeds the decimal range");
    const u128 factor = kPow10[static_cast<std::size_t>(shift)];
    if (mantissa > kMaxRawMagnitude / factor)
      return fail(ErrorCode::out_of_range, n, "value exceeds the decimal range");
    magnitude = mantissa * factor;
  } else {
    // Non-zero digits beyond the 18th decimal would be lost: refuse.
    return fail(ErrorCode::out_of_range, n, "more than 18 decimal places");
  }
  if (magnitude > kMaxRawMagnitude) return fail(ErrorCode::out_of_range, n, "value exceeds the decimal range");
  out.raw = negative ? -static_cast<i128>(magnitude) : static_cast<i128>(magnitude);
  out.ok = true;
  return out;
}

inline constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/// Writes the decimal digits of `v` ending at `end` (backwards); returns the start.
constexpr char* write_u128_backward(char* end, u128 v) noexcept {
  while (v >> 64 != 0) {
    const u128 q = v / 100;
    const auto r = static_cast<unsigned>(v - q * 100);
    end -= 2;
    end[0] = kDigitPairs[2 * r];
    end[1] = kDigitPairs[2 * r + 1];
    v = q;
  }
  auto w = static_cast<u64>(v);
  while (w >= 100) {
    const auto r = static_cast<unsigned>(w % 100);
    w /= 100;
    end -= 2;
    end[0] = kDigitPairs[2 * r];
    end[1] = kDigitPairs[2 * r + 1];
  }
  if (w >= 10) {
    end -= 2;
    end[0] = kDigitPairs[2 * w];
    end[1] = kDigitPairs[2 * w + 1];
  } else {
    *--end = static_cast<char>('0' + w);
  }
  return end;
}

/// Writes exactly 18 digits of `frac` (< 10^18), zero padded, at `out`: two halves of 9
/// digits whose divisions do not wait on each other.
constexpr void write_fraction18(char* out, u64 frac) noexcept {
  auto high = static_cast<std::uint32_t>(frac / 1'000'000'000);
  auto low = static_cast<std::uint32_t>(frac % 1'000'000'000);
  for (int pos = 7; pos >= 1; pos -= 2) {
    const std::uint32_t h = high % 100;
    const std::uint32_t l = low % 100;
    high /= 100;
    low /= 100;
    out[pos] = kDigitPairs[2 * h];
    out[pos + 1] = kDigitPairs[2 * h + 1];
    out[9 + pos] = kDigitPairs[2 * l];
    out[9 + pos + 1] = kDigitPairs[2 * l + 1];
  }
  out[0] = static_cast<char>('0' + high);
  out[9] = static_cast<char>('0' + low);
}

constexpr std::size_t copy_chars(char* dst, const char* src, std::size_t count) noexcept {
  for (std::size_t k = 0; k < count; ++k) dst[k] = src[k];
  return count;
}

/// The digits after the point that `frac` (a fraction in units of 10^-18, below 10^18)
/// needs without trailing zeros: 18 less its trailing zeros, found 16, 8, 4, 2 and 1 at a
/// time (five steps instead of one per zero); 0 for 0.
constexpr int significant_decimals(u64 frac) noexcept {
  if (frac == 0) return 0;
  int digits = Decimal::kScale;
  constexpr struct {
    u64 power;
    int zeros;
  } kSteps[] = {{10'000'000'000'000'000ULL, 16}, {100'000'000ULL, 8}, {10'000ULL, 4}, {100ULL, 2}, {10ULL, 1}};
  for (const auto& step : kSteps) {
    if (frac % step.power == 0) {
      frac /= step.power;
      digits -= step.zeros;
    }
  }
  return digits;
}

/// Splits a magnitude in units of 10^-18 into its integer part and its fraction without
/// a 128-bit division: as 2^64 = 18 × 10^18 + 446744073709551616, the high word `hi`
/// contributes 18 × hi to the integer part and hi × 446744073709551616 to what is left,
/// whose high word is then about 41 times smaller; once it is 0, one 64-bit division
/// (a multiplication) ends it. Exact for every u128.
constexpr void split_units(u128 magnitude, u128& integer, u64& fraction) noexcept {
  constexpr u64 kOnes = 18;
  constexpr u64 kRest = 446'744'073'709'551'616ULL;
  static_assert((static_cast<u128>(1) << 64) == static_cast<u128>(kOnes) * Decimal::kOne + kRest);
  u128 ones = 0;
  while ((magnitude >> 64) != 0) {
    const auto high = static_cast<u64>(magnitude >> 64);
    ones += static_cast<u128>(high) * kOnes;
    magnitude = static_cast<u128>(high) * kRest + static_cast<u64>(magnitude);
  }
  const auto low = static_cast<u64>(magnitude);
  integer = ones + low / static_cast<u64>(Decimal::kOne);
  fraction = low % static_cast<u64>(Decimal::kOne);
}

/// What write_decimal() takes as `keep` for the canonical text (no trailing zeros).
inline constexpr int kShortestDecimals = -1;

/// Shared writer: magnitude split into integer and fraction; `keep` fraction digits, or
/// kShortestDecimals for as many as the value needs.
constexpr char* write_decimal(char* first, char* last, bool negative, u128 magnitude, int keep) noexcept {
  u128 int_part = 0;
  u64 frac = 0;
  split_units(magnitude, int_part, frac);
  if (keep == kShortestDecimals) keep = significant_decimals(frac);
  char int_buf[40] = {};
  char* int_end = int_buf + sizeof(int_buf);
  char* int_begin = write_u128_backward(int_end, int_part);
  const auto int_len = static_cast<std::size_t>(int_end - int_begin);
  const std::size_t need = (negative ? 1U : 0U) + int_len + (keep > 0 ? 1U + static_cast<std::size_t>(keep) : 0U);
  if (static_cast<std::size_t>(last - first) < need) return nullptr;
  char* p = first;
  if (negative) *p++ = '-';
  p += copy_chars(p, int_begin, int_len);
  if (keep > 0) {
    *p++ = '.';
    char frac_buf[18] = {};
    write_fraction18(frac_buf, frac);
    p += copy_chars(p, frac_buf, static_cast<std::size_t>(keep));
  }
  return p;
}

}  // namespace detail

inline Result<Decimal> Decimal::parse(std::string_view text) {
  const detail::ParseOutcome outcome = detail::parse_decimal(text);
  if (outcome.ok) return from_raw(outcome.raw);
  constexpr std::size_t kQuoted = 64;
  std::string shown(text.substr(0, kQuoted));
  if (text.size() > kQuoted) shown += "...";
  std::string message = std::string("cannot parse decimal \"") + shown + "\": " + outcome.failure.what;
  if (outcome.failure.position < text.size()) {
    message +=
        " at position " + std::to_string(outcome.failure.position) + " ('" + text[outcome.failure.position] + "')";
  }
  return make_error(outcome.failure.code, std::move(message));
}

constexpr int Decimal::decimals() const noexcept {
  return detail::significant_decimals(static_cast<detail::u64>((raw_ < 0 ? -raw_ : raw_) % kOne));
}

inline Result<Decimal> Decimal::checked_add(Decimal other) const {
  Raw sum = 0;
  if (__builtin_add_overflow(raw_, other.raw_, &sum) || sum == std::numeric_limits<Raw>::min()) {
    return detail::decimal_overflow("addition");
  }
  return from_raw(sum);
}

inline Result<Decimal> Decimal::checked_sub(Decimal other) const {
  Raw diff = 0;
  if (__builtin_sub_overflow(raw_, other.raw_, &diff) || diff == std::numeric_limits<Raw>::min()) {
    return detail::decimal_overflow("subtraction");
  }
  return from_raw(diff);
}

inline Result<Decimal> Decimal::checked_mul(std::int64_t factor) const {
  Raw product = 0;
  if (__builtin_mul_overflow(raw_, static_cast<Raw>(factor), &product) || product == std::numeric_limits<Raw>::min()) {
    return detail::decimal_overflow("multiplication");
  }
  return from_raw(product);
}

inline Result<Decimal> Decimal::checked_mul(Decimal other, Rounding mode) const {
  const bool negative = (raw_ < 0) != (other.raw_ < 0);
  const auto a = static_cast<detail::u128>(raw_ < 0 ? -raw_ : raw_);
  const auto b = static_cast<detail::u128>(other.raw_ < 0 ? -other.raw_ : other.raw_);
  const auto one = static_cast<detail::u128>(kOne);
  detail::u128 magnitude = 0;
  if ((a >> 64) == 0 && (b >> 64) == 0) {
    // Both factors below 2^64 (|x| < 18.4): the product fits 128 bits.
    const detail::u128 product = a * b;
    magnitude = detail::apply_rounding(product / one, product % one, one, negative, mode);
  } else {
    const detail::DivResult qr = detail::div_256_by_128(detail::mul_128x128(a, b), one);
    if (qr.overflow) return detail::decimal_overflow("multiplication");
    magnitude = detail::apply_rounding(qr.quotient, qr.remainder, one, negative, mode);
  }
  if (magnitude > detail::kMaxRawMagnitude) return detail::decimal_overflow("multiplication");
  const auto signed_magnitude = static_cast<Raw>(magnitude);
  return from_raw(negative ? -signed_magnitude : signed_magnitude);
}

inline Result<Decimal> Decimal::checked_div(Decimal other, Rounding mode) const {
  if (other.raw_ == 0) return make_error(ErrorCode::division_by_zero, "decimal division by zero");
  const bool negative = (raw_ < 0) != (other.raw_ < 0);
  const auto a = static_cast<detail::u128>(raw_ < 0 ? -raw_ : raw_);
  const auto b = static_cast<detail::u128>(other.raw_ < 0 ? -other.raw_ : other.raw_);
  const detail::DivResult qr = detail::div_256_by_128(detail::mul_128x128(a, static_cast<detail::u128>(kOne)), b);
  if (qr.overflow) return detail::decimal_overflow("division");
  const detail::u128 magnitude = detail::apply_rounding(qr.quotient, qr.remainder, b, negative, mode);
  if (magnitude > detail::kMaxRawMagnitude) return detail::decimal_overflow("division");
  const auto signed_magnitude = static_cast<Raw>(magnitude);
  return from_raw(negative ? -signed_magnitude : signed_magnitude);
}

inline Result<Decimal> Decimal::checked_round(int decimals, Rounding mode) const {
  if (decimals < 0 || decimals > kScale) {
    return make_error(ErrorCode::invalid_argument, "decimal places must be in 0..18, got " + std::to_string(decimals));
  }
  return checked_round_to(from_raw(static_cast<Raw>(detail::kPow10[static_cast<std::size_t>(kScale - decimals)])),
                          mode);
}

inline Result<Decimal> Decimal::checked_round_to(Decimal increment, Rounding mode) const {
  if (increment.raw_ <= 0) return make_error(ErrorCode::invalid_argument, "rounding increment must be positive");
  const bool negative = raw_ < 0;
  const auto magnitude = static_cast<detail::u128>(negative ? -raw_ : raw_);
  const auto step = static_cast<detail::u128>(increment.raw_);
  const detail::u128 units = detail::apply_rounding(magnitude / step, magnitude % step, step, negative, mode);
  if (units != 0 && units > detail::kMaxRawMagnitude / step) return detail::decimal_overflow("rounding");
  const auto result = static_cast<Raw>(units * step);
  return from_raw(negative ? -result : result);
}

constexpr char* Decimal::to_chars(char* first, char* last) const noexcept {
  const bool negative = raw_ < 0;
  const auto magnitude = static_cast<detail::u128>(negative ? -raw_ : raw_);
  return detail::write_decimal(first, last, negative, magnitude, detail::kShortestDecimals);
}

constexpr char* Decimal::to_chars(char* first, char* last, int decimals, Rounding mode) const noexcept {
  if (decimals < 0 || decimals > kScale) return nullptr;
  const detail::u128 unit = detail::kPow10[static_cast<std::size_t>(kScale - decimals)];
  const bool negative = raw_ < 0;
  auto magnitude = static_cast<detail::u128>(negative ? -raw_ : raw_);
  if (magnitude % unit != 0) {
    const detail::u128 units = detail::apply_rounding(magnitude / unit, magnitude % unit, unit, negative, mode);
    if (units > detail::kMaxRawMagnitude / unit) return nullptr;
    magnitude = units * unit;
  }
  return detail::write_decimal(first, last, negative && magnitude != 0, magnitude, decimals);
}

inline std::string Decimal::to_string() const {
  char buf[kMaxChars];
  char* end = to_chars(buf, buf + sizeof(buf));
  return {buf, end};
}

inline std::string Decimal::to_string(int decimals, Rounding mode) const {
  char buf[kMaxChars];
  char* end = to_chars(buf, buf + sizeof(buf), decimals, mode);
  if (end == nullptr) {
    if (decimals < 0 || decimals > kScale) {
      throw Exception(
          make_error(ErrorCode::invalid_argument, "decimal places must be in 0..18, got " + std::to_string(decimals)));
    }
    throw Exception(detail::decimal_overflow("formatting"));
  }
  return {buf, end};
}

namespace literals {

namespace detail_literal {
/// Called only when a literal does not parse: makes the constant evaluation fail.
inline void invalid_decimal_literal() {}
}  // namespace detail_literal

consteval Decimal operator""_d(const char* text, std::size_t length) {
  const detail::ParseOutcome outcome = detail::parse_decimal(std::string_view(text, length));
  if (!outcome.ok) detail_literal::invalid_decimal_literal();
  return Decimal::from_raw(outcome.raw);
}

}  // namespace literals

}  // namespace cts
