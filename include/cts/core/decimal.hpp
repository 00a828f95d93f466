#pragma once
/// \file
/// cts::Decimal: the exact fixed-point number used for every price, quantity, fee and
/// PnL in cts. Binary floating point never holds money.

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/core/result.hpp"

namespace cts {

/// How an operation that cannot be exact chooses between the two nearest candidates.
enum class Rounding : std::uint8_t {
  toward_zero,     ///< Truncate (a.k.a. down).
  away_from_zero,  ///< Round the magnitude up (a.k.a. up).
  floor,           ///< Toward negative infinity.
  ceiling,         ///< Toward positive infinity.
  half_up,         ///< Nearest; ties away from zero.
  half_down,       ///< Nearest; ties toward zero.
  half_even,       ///< Nearest; ties to the even neighbour (banker's rounding).
};

/// Returns the name of `mode`, e.g. "half_even".
constexpr std::string_view to_string(Rounding mode) noexcept {
  switch (mode) {
    case Rounding::toward_zero: return "toward_zero";
    case Rounding::away_from_zero: return "away_from_zero";
    case Rounding::floor: return "floor";
    case Rounding::ceiling: return "ceiling";
    case Rounding::half_up: return "half_up";
    case Rounding::half_down: return "half_down";
    case Rounding::half_even: return "half_even";
  }
  return "invalid_rounding";
}

/// A signed decimal number with exactly 18 digits after the point, stored as a 128-bit
/// integer count of 10^-18 units.
///
/// Range: |x| ≤ 170141183460469231731.687303715884105727 (≈ 1.7·10^20), which holds a
/// quantity of 10^15 with 18 decimals, a price of 10^-12 with 6 more significant digits,
/// and a notional of 10^20. Every value is exact; comparison and hashing are on the
/// integer, so 1.5 == 1.50. Operations that could lose digits either take an explicit
/// Rounding or fail with ErrorCode::out_of_range; none rounds silently.
///
/// Errors: the checked_* functions and parse() return Result; the operators and the
/// non-checked named functions throw cts::Exception with the same Error.
class Decimal {
 public:
  using Raw = __int128;

  /// Digits after the decimal point.
  static constexpr int kScale = 18;
  /// Raw value of 1.
  static constexpr Raw kOne = static_cast<Raw>(1'000'000'000'000'000'000LL);
  /// Longest text to_chars() can produce (sign, 21 integer digits, point, 18 decimals).
  static constexpr std::size_t kMaxChars = 41;

  /// Zero.
  constexpr Decimal() noexcept = default;

  /// The decimal whose raw value (count of 10^-18) is `raw`. |raw| must not be the
  /// most negative 128-bit value; that one value is clamped to -max().
  static constexpr Decimal from_raw(Raw raw) noexcept {
    Decimal d;
    d.raw_ = raw == std::numeric_limits<Raw>::min() ? -std::numeric_limits<Raw>::max() : raw;
    return d;
  }

  /// The integer `value` exactly (every int64 fits).
  static constexpr Decimal from_int(std::int64_t value) noexcept { return from_raw(static_cast<Raw>(value) * kOne); }

  /// The largest representable value.
  static constexpr Decimal max() noexcept { return from_raw(std::numeric_limits<Raw>::max()); }
  /// The smallest (most negative) representable value, -max().
  static constexpr Decimal lowest() noexcept { return from_raw(-std::numeric_limits<Raw>::max()); }
  /// The smallest positive value, 10^-18.
  static constexpr Decimal epsilon() noexcept { return from_raw(1); }

  /// Parses `[+-]digits[.digits][(e|E)[+-]digits]` exactly ("0.00001000", "1E-8",
  /// "-12.5", "100"). Errors: invalid_argument for malformed text (the message names the
  /// offending character and its 0-based position); out_of_range when the value exceeds
  /// the range or has non-zero digits beyond the 18th decimal.
  static Result<Decimal> parse(std::string_view text);

  /// The raw integer (count of 10^-18 units).
  [[nodiscard]] constexpr Raw raw() const noexcept { return raw_; }

  /// True for 0.
  [[nodiscard]] constexpr bool is_zero() const noexcept { return raw_ == 0; }
  /// True for values below 0.
  [[nodiscard]] constexpr bool is_negative() const noexcept { return raw_ < 0; }
  /// True for values above 0.
  [[nodiscard]] constexpr bool is_positive() const noexcept { return raw_ > 0; }
  /// -1, 0 or 1.
  [[nodiscard]] constexpr int sign() const noexcept { return (raw_ > 0) - (raw_ < 0); }
  /// The absolute value (always representable: the range is symmetric).
  [[nodiscard]] constexpr Decimal abs() const noexcept { return from_raw(raw_ < 0 ? -raw_ : raw_); }
  /// Number of digits after the point in the canonical text (0 for integers, 8 for 1E-8).
  [[nodiscard]] constexpr int decimals() const noexcept;
  /// True when the value has no fractional part.
  [[nodiscard]] constexpr bool is_integer() const noexcept { return raw_ % kOne == 0; }

  /// Sum; out_of_range on overflow.
  [[nodiscard]] Result<Decimal> checked_add(Decimal other) const;
  /// Difference; out_of_range on overflow.
  [[nodiscard]] Result<Decimal> checked_sub(Decimal other) const;
  /// Product rounded to 18 decimals with `mode`; out_of_range on overflow.
  [[nodiscard]] Result<Decimal> checked_mul(Decimal other, Rounding mode) const;
  /// Quotient rounded to 18 decimals with `mode`; division_by_zero, or out_of_range on
  /// overflow.
  [[nodiscard]] Result<Decimal> checked_div(Decimal other, Rounding mode) const;
  /// Product with an int64 factor (exact); out_of_range on overflow.
  [[nodiscard]] Result<Decimal> checked_mul(std::int64_t factor) const;

  /// Like checked_mul(other, mode) but throws cts::Exception on error.
  [[nodiscard]] Decimal mul(Decimal other, Rounding mode) const { return checked_mul(other, mode).value(); }
  /// Like checked_div(other, mode) but throws cts::Exception on error.
  [[nodiscard]] Decimal div(Decimal other, Rounding mode) const { return checked_div(other, mode).value(); }

  /// This value rounded to `decimals` digits after the point (0..18) with `mode`.
  /// Errors: invalid_argument for decimals outside 0..18; out_of_range on overflow.
  [[nodiscard]] Result<Decimal> checked_round(int decimals, Rounding mode) const;
  /// Like checked_round but throws cts::Exception on error.
  [[nodiscard]] Decimal round(int decimals, Rounding mode) const { return checked_round(decimals, mode).value(); }
  /// This value rounded to a multiple of `increment` (> 0), e.g. a tick or step size.
  /// Errors: invalid_argument when increment ≤ 0; out_of_range on overflow.
  [[nodiscard]] Result<Decimal> checked_round_to(Decimal increment, Rounding mode) const;
  /// True when this value is an exact multiple of `increment` (> 0; false otherwise).
  [[nodiscard]] constexpr bool is_multiple_of(Decimal increment) const noexcept {
    return increment.raw_ > 0 && raw_ % increment.raw_ == 0;
  }

  /// Writes the canonical text (no exponent, no trailing zeros after the point, no point
  /// for integers, "-" only for negatives) into [first, last). Returns the end of the
  /// written text, or nullptr if the buffer is shorter than needed (kMaxChars suffices).
  constexpr char* to_chars(char* first, char* last) const noexcept;
  /// Writes the text with exactly `decimals` digits (0..18) after the point, rounding
  /// with `mode` when the value has more. Returns nullptr if the buffer is too short,
  /// decimals is outside 0..18, or rounding overflows.
  constexpr char* to_chars(char* first, char* last, int decimals, Rounding mode) const noexcept;

  /// The canonical text ("0.00001", "-12.5", "100").
  [[nodiscard]] std::string to_string() const;
  /// The text with exactly `decimals` (0..18) digits after the point, rounding with
  /// `mode` if needed ("0.00001000" for 1E-5 at 8). Throws cts::Exception(invalid_argument)
  /// for decimals outside 0..18.
  [[nodiscard]] std::string to_string(int decimals, Rounding mode) const;

  /// The nearest double, for display and statistics only: never feed it back into money.
  [[nodiscard]] constexpr double to_double() const noexcept {
    return static_cast<double>(raw_ / kOne) + static_cast<double>(raw_ % kOne) / 1e18;
  }

  /// Exact sum; throws cts::Exception(out_of_range) on overflow.
  friend Decimal operator+(Decimal a, Decimal b) { return a.checked_add(b).value(); }
  /// Exact difference; throws cts::Exception(out_of_range) on overflow.
  friend Decimal operator-(Decimal a, Decimal b) { return a.checked_sub(b).value(); }
  /// Negation (always exact).
  friend constexpr Decimal operator-(Decimal a) noexcept { return from_raw(-a.raw_); }
  /// Exact product with an integer; throws cts::Exception(out_of_range) on overflow.
  friend Decimal operator*(Decimal a, std::int64_t k) { return a.checked_mul(k).value(); }
  /// Exact product with an integer; throws cts::Exception(out_of_range) on overflow.
  friend Decimal operator*(std::int64_t k, Decimal a) { return a.checked_mul(k).value(); }
  /// In-place exact sum; throws on overflow and then leaves *this unchanged.
  Decimal& operator+=(Decimal other) { return *this = *this + other; }
  /// In-place exact difference; throws on overflow and then leaves *this unchanged.
  Decimal& operator-=(Decimal other) { return *this = *this - other; }

  /// Numeric equality.
  friend constexpr bool operator==(Decimal, Decimal) noexcept = default;
  /// Numeric ordering.
  friend constexpr std::strong_ordering operator<=>(Decimal a, Decimal b) noexcept { return a.raw_ <=> b.raw_; }

 private:
  Raw raw_ = 0;
};

namespace literals {

/// `"0.01"_d`: a Decimal checked at compile time; malformed text does not compile.
consteval Decimal operator""_d(const char* text, std::size_t length);

}  // namespace literals

}  // namespace cts

template <>
struct std::hash<cts::Decimal> {
  std::size_t operator()(cts::Decimal d) const noexcept {
    const auto bits = static_cast<unsigned __int128>(d.raw());
    const auto lo = static_cast<std::uint64_t>(bits), hi = static_cast<std::uint64_t>(bits >> 64);
    std::uint64_t h = lo * 0x9E3779B97F4A7C15ULL ^ (hi + 0xC2B2AE3D27D4EB4FULL + (lo << 6) + (lo >> 2));
    h ^= h >> 29;
    return static_cast<std::size_t>(h * 0xBF58476D1CE4E5B9ULL);
  }
};

/// `{}` prints the canonical text; `{:.N}` prints exactly N decimals, rounding half-even.
template <>
struct fmt::formatter<cts::Decimal> {
  int precision = -1;

  constexpr auto parse(format_parse_context& ctx) {
    auto it = ctx.begin();
    if (it != ctx.end() && *it == '.') {
      ++it;
      precision = 0;
      while (it != ctx.end() && *it >= '0' && *it <= '9') precision = precision * 10 + (*it++ - '0');
      if (precision > cts::Decimal::kScale) throw format_error("cts::Decimal precision must be at most 18");
    }
    if (it != ctx.end() && *it != '}') throw format_error("invalid format for cts::Decimal");
    return it;
  }

  auto format(cts::Decimal d, format_context& ctx) const {
    char buf[cts::Decimal::kMaxChars];
    char* end = precision < 0 ? d.to_chars(buf, buf + sizeof(buf))
                              : d.to_chars(buf, buf + sizeof(buf), precision, cts::Rounding::half_even);
    if (end == nullptr) throw format_error("cts::Decimal does not fit the requested precision");
    return std::copy(buf, end, ctx.out());
  }
};

#include "cts/core/decimal-inl.hpp"
