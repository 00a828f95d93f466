#pragma once
/// \file
/// Internal: typed field readers over simdjson on-demand values. Every reader records
/// the first failure as a protocol_error naming the payload and the field, so parsers
/// read straight into their output and check once at the end.

#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "cts/core/decimal.hpp"
#include "cts/core/error.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::detail {

namespace od = simdjson::ondemand;

/// The core's eight-digits-at-a-time helpers (cts/core/decimal.hpp).
using cts::detail::eight_digits_value;

/// The exact value of `text` when it has the plain form exchanges send ("64231.57000000":
/// at most 19 digits, an optional point, at most 18 decimals), else nullopt so the caller
/// falls back to Decimal::parse, which handles and diagnoses everything else. This is
/// Decimal::parse's own fast path, without building a Result.
[[gnu::always_inline]] inline std::optional<Decimal> parse_plain_decimal(std::string_view text) noexcept {
  cts::detail::ParseOutcome outcome;
  if (!cts::detail::parse_decimal_short(text, outcome)) return std::nullopt;
  return Decimal::from_raw(outcome.raw);
}

/// The 8 bytes at `p`, first byte lowest.
[[gnu::always_inline]] inline std::uint64_t load_le64(const char* p) noexcept {
  std::uint64_t chunk;
  std::memcpy(&chunk, p, 8);
  if constexpr (std::endian::native == std::endian::big) chunk = __builtin_bswap64(chunk);
  return chunk;
}

/// How many of the 8 bytes of `chunk` (first byte lowest) are ASCII digits before the
/// first byte that is not. A byte that is not a digit may spill a carry into the bytes
/// after it, which only affects bytes past the answer.
[[gnu::always_inline]] constexpr int leading_digit_count(std::uint64_t chunk) noexcept {
  const std::uint64_t t = chunk ^ 0x3030303030303030ULL;  // digits become 0..9
  const std::uint64_t not_digit = ((t + 0x7676767676767676ULL) | t) & 0x8080808080808080ULL;
  return not_digit == 0 ? 8 : std::countr_zero(not_digit) >> 3;
}

/// The value of the first `count` (1..8) digit bytes of `chunk`.
[[gnu::always_inline]] constexpr std::uint64_t leading_digits_value(std::uint64_t chunk, int count) noexcept {
  if (count < 8) chunk = (chunk << (8 * (8 - count))) | (0x3030303030303030ULL >> (8 * count));
  return eight_digits_value(chunk);
}

/// parse_plain_decimal() for a token inside a simdjson document, whose input always has
/// SIMDJSON_PADDING readable bytes after its end: reads whole 8-byte words without
/// looking for the end first. Binance's "64231.57000000" (1 to 7 integer digits and
/// exactly 8 decimals) takes a branch of its own whose loads depend only on the length;
/// other forms of up to 7 integer and 8 fraction digits cost no data-dependent branch;
/// longer forms go the general way. Returns false, leaving `out` alone, for any text
/// Decimal::parse would refuse (and for some it accepts, which the caller then parses).
[[gnu::always_inline]] inline bool parse_padded_plain_decimal(std::string_view text, Decimal& out) noexcept {
  static constexpr std::uint64_t kScaleOfFraction[9] = {1000000000000000000ULL, 100000000000000000ULL, 10000000000000000ULL,
                                                        1000000000000000ULL,    100000000000000ULL,    10000000000000ULL,
                                                        1000000000000ULL,       100000000000ULL,       10000000000ULL};
  auto general = [](std::string_view t, Decimal& d) {
    const auto value = parse_plain_decimal(t);
    if (value) d = *value;
    return value.has_value();
  };
  const char* const begin = text.data();
  using Wide = unsigned __int128;  // one 64×64→128 multiply instead of a 128×128 one
  constexpr std::uint64_t kOne = 1'000'000'000'000'000'000ULL;
  // Binance's own shape, 1 to 7 integer digits and exactly 8 decimals: the point's place
  // follows from the length, so both words load at once and convert independently.
  if (text.size() - 10 <= 6 && begin[text.size() - 9] == '.') {
    const int point = static_cast<int>(text.size()) - 9;
    const std::uint64_t head = load_le64(begin);
    const std::uint64_t tail = load_le64(begin + point + 1);
    if (leading_digit_count(head) < point || !cts::detail::all_eight_digits(tail)) return false;
    out = Decimal::from_raw(static_cast<Decimal::Raw>(static_cast<Wide>(leading_digits_value(head, point)) * kOne +
                                                      eight_digits_value(tail) * kScaleOfFraction[8]));
    return true;
  }
  const int size = static_cast<int>(text.size());
  if (size == 0 || size > 16) return general(text, out);
  const std::uint64_t head = load_le64(begin);
  const int integer_digits = leading_digit_count(head);
  if (integer_digits == 0) return false;
  if (integer_digits == 8) return general(text, out);
  const std::uint64_t integer = leading_digits_value(head, integer_digits);
  if (integer_digits == size) {
    out = Decimal::from_raw(static_cast<Decimal::Raw>(static_cast<Wide>(integer) * kOne));
    return true;
  }
  const int fraction_digits = size - integer_digits - 1;
  if (begin[integer_digits] != '.' || fraction_digits == 0 || fraction_digits > 8) return general(text, out);
  const std::uint64_t tail = load_le64(begin + integer_digits + 1);
  if (leading_digit_count(tail) < fraction_digits) return false;
  const std::uint64_t fraction = leading_digits_value(tail, fraction_digits);
  out = Decimal::from_raw(
      static_cast<Decimal::Raw>(static_cast<Wide>(integer) * kOne + fraction * kScaleOfFraction[fraction_digits]));
  return true;
}

/// Collects the first error of one parse. `what` names the payload in messages
/// ("binance order", "binance depthUpdate"); it must outlive the reader.
class FieldReader {
 public:
  explicit FieldReader(std::string_view what) noexcept : what_(what) {}

  /// True while no error was recorded.
  [[nodiscard]] bool ok() const noexcept { return !error_.has_value(); }
  /// The recorded error (precondition: !ok()).
  [[nodiscard]] Error take_error() { return std::move(*error_); }

  /// Records "field <field>: <problem>" (the first failure wins); returns false.
  bool fail(std::string_view field, std::string_view problem) {
    if (!error_) {
      error_ = make_error(ErrorCode::protocol_error, fmt::format("{}: field \"{}\" {}", what_, field, problem));
    }
    return false;
  }
  /// Records a document-level failure (syntax, wrong root type); returns false.
  bool fail_document(simdjson::error_code code) {
    if (!error_) {
      error_ = make_error(ErrorCode::protocol_error,
                          fmt::format("{}: malformed JSON ({})", what_, simdjson::error_message(code)));
    }
    return false;
  }
  /// Records that required field `field` was absent; returns false.
  bool missing(std::string_view field) { return fail(field, "is missing"); }

  /// Reads a decimal sent as a JSON string ("0.001"), the way Binance sends every price
  /// and quantity; a bare JSON number is refused (it may have passed through a binary
  /// float on the way).
  bool decimal(od::value& value, Decimal& out, std::string_view field) {
    return decimal_token(value.raw_json_token(), out, field);
  }
  /// decimal() for `token`, the raw JSON text of a value (as raw_json_token() gives it:
  /// the value then any whitespace up to the next token) inside a padded document.
  [[gnu::always_inline]] bool decimal_token(std::string_view token, Decimal& out, std::string_view field) {
    while (!token.empty() && is_json_space(token.back())) token.remove_suffix(1);
    if (token.size() < 2 || token.front() != '"' || token.back() != '"') [[unlikely]] {
      return fail(field, "is not a decimal string");
    }
    token = token.substr(1, token.size() - 2);
    if (parse_padded_plain_decimal(token, out)) [[likely]] return true;
    return decimal_slow(token, out, field);
  }
  /// Decimal::parse for what parse_plain_decimal() leaves (signs, exponents, errors).
  [[gnu::noinline]] bool decimal_slow(std::string_view token, Decimal& out, std::string_view field) {
    auto parsed = Decimal::parse(token);
    if (!parsed) return fail(field, fmt::format("is not an exact decimal ({})", parsed.error().message));
    out = *parsed;
    return true;
  }
  /// Reads a decimal that may be JSON null (null leaves `out` unchanged).
  bool optional_decimal(od::value& value, Decimal& out, std::string_view field) {
    if (is_null(value)) return true;
    return decimal(value, out, field);
  }
  /// Reads a signed 64-bit integer (a JSON number; out-of-range numbers fail).
  bool int64(od::value& value, std::int64_t& out, std::string_view field) {
    auto r = value.get_int64();
    if (r.error()) return fail(field, fmt::format("is not a 64-bit integer ({})", simdjson::error_message(r.error())));
    out = r.value_unsafe();
    return true;
  }
  /// Reads a signed 64-bit integer sent as a JSON number or as a JSON string of digits
  /// (Binance's listenKeyExpired writes its event time "1736996475556").
  bool int64_or_text(od::value& value, std::int64_t& out, std::string_view field) {
    auto type = value.type();
    if (!type.error() && type.value_unsafe() == od::json_type::string) {
      auto r = value.get_int64_in_string();
      if (r.error()) return fail(field, "is not a 64-bit integer in a string");
      out = r.value_unsafe();
      return true;
    }
    return int64(value, out, field);
  }
  /// Reads an unsigned 64-bit integer.
  bool uint64(od::value& value, std::uint64_t& out, std::string_view field) {
    auto r = value.get_uint64();
    if (r.error()) {
      return fail(field, fmt::format("is not an unsigned 64-bit integer ({})", simdjson::error_message(r.error())));
    }
    out = r.value_unsafe();
    return true;
  }
  /// Reads a JSON integer (an optional minus, then 1 to 20 decimal digits) as its text,
  /// without converting it; the view lives until the next parse with the same JsonReader.
  bool integer_text(od::value& value, std::string_view& out, std::string_view field) {
    std::string_view token = value.raw_json_token();
    while (!token.empty() && is_json_space(token.back())) token.remove_suffix(1);
    const std::string_view digits = !token.empty() && token.front() == '-' ? token.substr(1) : token;
    if (digits.empty() || digits.size() > 20) return fail(field, "is not an integer");
    for (const char c : digits) {
      if (c < '0' || c > '9') return fail(field, "is not an integer");
    }
    out = token;
    return true;
  }
  /// Reads an id the venue sends as a JSON integer (Binance's orderId 28) as its exact
  /// text ("28"): only unsigned decimal digits are accepted, so the text is the venue's
  /// and never a reformatted or rounded number.
  bool integer_id(od::value& value, std::string& out, std::string_view field) {
    std::string_view text;
    if (!integer_text(value, text, field)) return false;
    if (text.front() == '-') return fail(field, "is not an id (negative)");
    out.assign(text);
    return true;
  }
  /// Reads an id the venue sends as a JSON string ("1321003749386327552", a UUID); an
  /// empty string is refused.
  bool string_id(od::value& value, std::string& out, std::string_view field) {
    if (!string(value, out, field)) return false;
    if (out.empty()) return fail(field, "is empty");
    return true;
  }
  /// Reads an int that fits in `int`.
  bool int32(od::value& value, int& out, std::string_view field) {
    std::int64_t wide = 0;
    if (!int64(value, wide, field)) return false;
    if (wide < INT32_MIN || wide > INT32_MAX) return fail(field, "is out of range");
    out = static_cast<int>(wide);
    return true;
  }
  /// Reads a string; the view lives until the next parse with the same JsonReader.
  bool string(od::value& value, std::string_view& out, std::string_view field) {
    auto r = value.get_string();
    if (r.error()) return fail(field, "is not a string");
    out = r.value_unsafe();
    return true;
  }
  /// Reads a string into `out` (reusing its capacity).
  bool string(od::value& value, std::string& out, std::string_view field) {
    std::string_view view;
    if (!string(value, view, field)) return false;
    out.assign(view);
    return true;
  }
  /// Reads a string that may be JSON null (null clears `out`).
  bool optional_string(od::value& value, std::string& out, std::string_view field) {
    if (is_null(value)) {
      out.clear();
      return true;
    }
    return string(value, out, field);
  }
  /// Reads a string view that may be JSON null (null gives an empty view).
  bool optional_string(od::value& value, std::string_view& out, std::string_view field) {
    if (is_null(value)) {
      out = {};
      return true;
    }
    return string(value, out, field);
  }
  /// Reads a boolean.
  bool boolean(od::value& value, bool& out, std::string_view field) {
    auto r = value.get_bool();
    if (r.error()) return fail(field, "is not a boolean");
    out = r.value_unsafe();
    return true;
  }
  /// Reads an enum through `parse` (string_view -> std::optional<E>), naming the bad value.
  template <class E, class Parse>
  bool enumeration(od::value& value, E& out, std::string_view field, Parse parse) {
    std::string_view text;
    if (!string(value, text, field)) return false;
    std::optional<E> parsed = parse(text);
    if (!parsed) return fail(field, fmt::format("has unknown value \"{}\"", text.substr(0, 32)));
    out = *parsed;
    return true;
  }

  /// Records a simdjson error met while iterating (truncated or malformed input).
  bool check(simdjson::error_code code) { return code == simdjson::SUCCESS ? true : fail_document(code); }

 private:
  static constexpr bool is_json_space(char c) noexcept { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
  static bool is_null(od::value& value) {
    auto r = value.is_null();
    return !r.error() && r.value_unsafe();
  }

  std::string_view what_;
  std::optional<Error> error_;
};

/// Bit set of seen required fields; `require` names the first one missing.
class Seen {
 public:
  /// Marks field number `bit` as seen.
  void mark(unsigned bit) noexcept { bits_ |= 1u << bit; }
  /// True when field number `bit` was seen.
  [[nodiscard]] bool has(unsigned bit) const noexcept { return (bits_ >> bit) & 1u; }
  /// Checks that every field in `names` (bit i for names[i]) was seen.
  template <std::size_t N>
  bool require(FieldReader& fields, const std::string_view (&names)[N]) const {
    for (std::size_t i = 0; i < N; ++i) {
      if (!names[i].empty() && !has(static_cast<unsigned>(i))) return fields.missing(names[i]);
    }
    return fields.ok();
  }

 private:
  unsigned bits_ = 0;
};

/// Calls `on_field(key, value)` for every member of `object`; stops at the first
/// iteration error or when `on_field` returns false. Returns reader.ok().
template <class OnField>
bool for_each_field(od::object& object, FieldReader& reader, OnField&& on_field) {
  for (auto member : object) {
    od::field field;
    if (!reader.check(std::move(member).get(field))) return false;
    std::string_view key;
    if (!reader.check(field.unescaped_key().get(key))) return false;
    od::value value = field.value();
    if (!on_field(key, value)) return false;
  }
  return reader.ok();
}

/// What find_field() found.
enum class Lookup : std::uint8_t {
  found,   ///< The field is there; its value was read.
  absent,  ///< The object has no such field.
  failed,  ///< The JSON is malformed; the error is in the reader and the document must not be read further.
};

/// Looks `key` up in `object` in any order (simdjson's find_field_unordered) into
/// `value`. A lookup that runs into malformed JSON leaves simdjson's iterator unusable:
/// it is reported as failed (recorded in `reader`), never confused with an absent field.
inline Lookup find_field(od::object& object, std::string_view key, od::value& value, FieldReader& reader) {
  const simdjson::error_code code = object.find_field_unordered(key).get(value);
  if (code == simdjson::SUCCESS) return Lookup::found;
  if (code == simdjson::NO_SUCH_FIELD) return Lookup::absent;
  reader.fail_document(code);
  return Lookup::failed;
}

/// Calls `on_element(value, index)` for every element of `array`; same stopping rules.
template <class OnElement>
bool for_each_element(od::array& array, FieldReader& reader, OnElement&& on_element) {
  std::size_t index = 0;
  for (auto element : array) {
    od::value value;
    if (!reader.check(std::move(element).get(value))) return false;
    if (!on_element(value, index++)) return false;
  }
  return reader.ok();
}

/// Reads `value` as an object and visits its fields.
template <class OnField>
bool visit_object(od::value& value, FieldReader& reader, std::string_view field, OnField&& on_field) {
  od::object object;
  if (value.get_object().get(object)) return reader.fail(field, "is not an object");
  return for_each_field(object, reader, std::forward<OnField>(on_field));
}

/// Reads `value` as an array and visits its elements.
template <class OnElement>
bool visit_array(od::value& value, FieldReader& reader, std::string_view field, OnElement&& on_element) {
  od::array array;
  if (value.get_array().get(array)) return reader.fail(field, "is not an array");
  return for_each_element(array, reader, std::forward<OnElement>(on_element));
}

/// Reads `[["price","qty"], ...]` into `levels` (cleared first, capacity kept). Entries
/// after the second of a level are ignored. One flat loop with the decimal fast path
/// inlined: a 1000-level snapshot spends most of its time here.
inline bool price_levels(od::value& value, FieldReader& reader, std::string_view field,
                         std::vector<cts::venue::PriceLevel>& levels) {
  levels.clear();
  od::array array;
  if (value.get_array().get(array)) return reader.fail(field, "is not an array");
  for (auto element : array) {
    od::value level;
    if (!reader.check(std::move(element).get(level))) return false;
    od::array pair;
    if (level.get_array().get(pair)) return reader.fail(field, "has a level that is not an array");
    // Filled in place: copying a just-written level would stall on store forwarding.
    cts::venue::PriceLevel& out = levels.emplace_back();
    std::size_t n = 0;
    for (auto entry : pair) {
      od::value item;
      if (!reader.check(std::move(entry).get(item))) return false;
      if (n < 2 && !reader.decimal_token(item.raw_json_token(), n == 0 ? out.price : out.quantity, field)) return false;
      ++n;
    }
    if (n < 2) return reader.fail(field, "has a level with fewer than 2 entries");
  }
  return reader.ok();
}

/// Reads `object` from its start to its end without looking at the values, so that
/// the document position moves past it (used after reading a value nested in it).
inline bool finish_object(od::object& object, FieldReader& reader) {
  if (!reader.check(object.reset().error())) return false;
  for (auto member : object) {
    od::field field;
    if (!reader.check(std::move(member).get(field))) return false;
  }
  return true;
}

/// True when anything but whitespace follows the root value just read.
inline bool has_trailing_content(od::document& document) {
  return !document.current_location().error();
}

/// Runs `body(object)` over the root object of `document`, then checks that nothing but
/// whitespace follows it. Returns reader.ok().
template <class Body>
bool root_object(od::document& document, FieldReader& reader, Body&& body) {
  od::object object;
  if (auto code = document.get_object().get(object)) return reader.fail_document(code);
  if (!body(object)) return false;
  if (has_trailing_content(document)) return reader.fail_document(simdjson::TRAILING_CONTENT);
  return reader.ok();
}

/// Runs `body(array)` over the root array of `document`; same end check.
template <class Body>
bool root_array(od::document& document, FieldReader& reader, Body&& body) {
  od::array array;
  if (auto code = document.get_array().get(array)) return reader.fail_document(code);
  if (!body(array)) return false;
  if (has_trailing_content(document)) return reader.fail_document(simdjson::TRAILING_CONTENT);
  return reader.ok();
}

}  // namespace cts::venue::detail
