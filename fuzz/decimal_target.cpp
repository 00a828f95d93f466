// Fuzz target "decimal": Decimal::parse and the venue parsers' fast decimal paths, and
// the arithmetic on whatever parses.
//
// The input is split at whitespace into at most 8 tokens (so a line of
// tests/core/data/decimal_vectors.txt is a seed). Properties, for each token:
//   - parse never fails silently: an error is invalid_argument or out_of_range;
//   - the canonical text parses back to the same value, and so does the text at the
//     value's own number of decimals;
//   - the fast paths (json.hpp's plain and padded forms, the depth scanner's short
//     form) agree with Decimal::parse whenever they accept a token;
// and for each pair of parsed values a, b: the checked operations fail only with
// out_of_range (or division_by_zero); (a + b) - b == a; a·b == b·a; floor(a/b) and
// ceiling(a/b) are at most one unit (10^-18) apart and bracket the other modes;
// rounding to a positive increment gives a multiple of it.
#include <array>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/decimal.hpp"
#include "cts/venue/detail/depth_scanner.hpp"
#include "cts/venue/detail/json.hpp"
#include "fuzz_target.hpp"

namespace {

using cts::Decimal;
using cts::ErrorCode;
using cts::Rounding;
using cts::fuzz::require;

constexpr std::array kModes = {Rounding::toward_zero, Rounding::away_from_zero, Rounding::floor,    Rounding::ceiling,
                               Rounding::half_up,     Rounding::half_down,      Rounding::half_even};

std::vector<std::string_view> tokens(std::string_view input) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < input.size() && out.size() < 8) {
    while (i < input.size() && (input[i] == ' ' || input[i] == '\n' || input[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < input.size() && input[i] != ' ' && input[i] != '\n' && input[i] != '\t') ++i;
    if (i > start) out.push_back(input.substr(start, i - start));
  }
  return out;
}

void check_fast_paths(std::string_view token, const cts::Result<Decimal>& parsed) {
  if (const auto plain = cts::venue::detail::parse_plain_decimal(token)) {
    require(parsed.has_value() && *parsed == *plain, "parse_plain_decimal agrees with Decimal::parse");
  }
  // The padded form reads whole words past the token: give it a padded copy.
  std::string padded(token);
  padded.append(64, '\0');
  Decimal padded_value;
  if (cts::venue::detail::parse_padded_plain_decimal(std::string_view(padded.data(), token.size()), padded_value)) {
    require(parsed.has_value() && *parsed == padded_value, "parse_padded_plain_decimal agrees with Decimal::parse");
  }
  // The depth scanner's reader must not look past `end`: the token is its own buffer.
  std::vector<char> exact(token.begin(), token.end());
  Decimal short_value;
  if (!exact.empty() &&
      cts::venue::detail::parse_short_decimal(exact.data(), exact.size(), exact.data() + exact.size(), short_value)) {
    require(parsed.has_value() && *parsed == short_value, "parse_short_decimal agrees with Decimal::parse");
  }
}

void check_round_trip(Decimal value) {
  const auto again = Decimal::parse(value.to_string());
  require(again.has_value() && *again == value, "the canonical text parses back to the value");
  const auto fixed = Decimal::parse(value.to_string(value.decimals(), Rounding::toward_zero));
  require(fixed.has_value() && *fixed == value, "the text at the value's own decimals parses back to the value");
  for (const Rounding mode : kModes) {
    const auto rounded = value.checked_round(2, mode);
    if (!rounded) {
      require(rounded.error().code == ErrorCode::out_of_range, "rounding fails only with out_of_range");
      continue;
    }
    require(rounded->decimals() <= 2, "rounding to 2 decimals leaves at most 2");
  }
}

void check_pair(Decimal a, Decimal b) {
  if (const auto sum = a.checked_add(b)) {
    const auto back = sum->checked_sub(b);
    require(back.has_value() && *back == a, "(a + b) - b == a");
  } else {
    require(sum.error().code == ErrorCode::out_of_range, "addition fails only with out_of_range");
  }
  for (const Rounding mode : kModes) {
    const auto ab = a.checked_mul(b, mode);
    const auto ba = b.checked_mul(a, mode);
    require(ab.has_value() == ba.has_value() && (!ab || *ab == *ba), "multiplication commutes");
    if (!ab) require(ab.error().code == ErrorCode::out_of_range, "multiplication fails only with out_of_range");
  }
  if (b.is_zero()) {
    const auto q = a.checked_div(b, Rounding::half_even);
    require(!q && q.error().code == ErrorCode::division_by_zero, "division by zero is division_by_zero");
  } else {
    const auto low = a.checked_div(b, Rounding::floor);
    const auto high = a.checked_div(b, Rounding::ceiling);
    if (low && high) {
      require(*low <= *high && high->raw() - low->raw() <= 1, "floor and ceiling of a/b are at most one unit apart");
      for (const Rounding mode : kModes) {
        const auto q = a.checked_div(b, mode);
        require(q.has_value() && *low <= *q && *q <= *high, "every rounding of a/b lies between floor and ceiling");
      }
    }
    for (const auto& q : {low, high}) {
      if (!q) require(q.error().code == ErrorCode::out_of_range, "division fails only with out_of_range");
    }
  }
  if (b.is_positive()) {
    for (const Rounding mode : kModes) {
      const auto rounded = a.checked_round_to(b, mode);
      if (rounded) {
        require(rounded->is_multiple_of(b), "rounding to an increment gives a multiple of it");
      } else {
        require(rounded.error().code == ErrorCode::out_of_range,
                "rounding to an increment fails only with out_of_range");
      }
    }
  }
}

}  // namespace

CTS_FUZZ_TARGET(decimal) {
  std::vector<Decimal> values;
  for (const std::string_view token : tokens(input)) {
    const auto parsed = Decimal::parse(token);
    if (!parsed) {
      const ErrorCode code = parsed.error().code;
      require(code == ErrorCode::invalid_argument || code == ErrorCode::out_of_range,
              "parse fails only with invalid_argument or out_of_range");
      require(!parsed.error().message.empty(), "a parse error says what is wrong");
    }
    check_fast_paths(token, parsed);
    if (!parsed) continue;
    check_round_trip(*parsed);
    values.push_back(*parsed);
  }
  for (std::size_t i = 0; i + 1 < values.size(); ++i) check_pair(values[i], values[i + 1]);
}
