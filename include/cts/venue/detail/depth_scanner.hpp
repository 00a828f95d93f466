#pragma once
/// \file
/// Internal: a dedicated scanner for the exact shape of a Binance depth snapshot (and,
/// with the same machinery, of a Bybit v5 order book reply: DepthScanner::scan_bybit),
///
///     {"lastUpdateId":N,"bids":[["P","Q"],...],"asks":[["P","Q"],...]}
///
/// with JSON whitespace wherever JSON allows it. It validates everything it accepts and
/// declines (returns false) anything else: other keys or key order, escapes, an id that
/// is not a plain integer of at most 19 digits without leading zeros, decimals that are
/// not 1-8 digits with an optional point and 1-8 decimals (signs, exponents, longer
/// forms), levels without exactly two string entries, trailing content, truncation. The
/// caller then runs the generic simdjson parser, which gives the same snapshot for every
/// document the scanner accepts and diagnoses the rest.
///
/// How: one pass finds every quote (quote_index.hpp); each level is then four quote
/// positions read from memory, so levels do not wait on one another. The gaps between
/// strings must be the expected structural characters ("," and "],[" are checked with
/// one compare each; gaps with whitespace the slow way). A level whose two strings both
/// have Binance's 8-decimal form is converted in one SSE2 pass; other forms 8 digits per
/// 64-bit word (json.hpp's helpers). Words are loaded only inside the text.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "cts/core/decimal.hpp"
#include "cts/venue/detail/json.hpp"
#include "cts/venue/detail/quote_index.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::detail {

/// True for the four JSON whitespace bytes.
constexpr bool is_json_whitespace(char c) noexcept { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

/// True when the `size` bytes at `text` are printable ASCII other than '\\': string
/// contents simdjson reads as they are (no escape, valid UTF-8, no control character).
[[gnu::noinline]] inline bool is_printable_ascii(const char* text, std::size_t size) noexcept {
  for (const char* const last = text + size; text != last; ++text) {
    if (*text < 0x20 || *text > 0x7E || *text == '\\') return false;
  }
  return true;
}

/// True when [first, last) is exactly the characters of `pattern` in order, with JSON
/// whitespace before, between and after them.
constexpr bool gap_matches(const char* first, const char* last, std::string_view pattern) noexcept {
  for (const char expected : pattern) {
    while (first != last && is_json_whitespace(*first)) ++first;
    if (first == last || *first != expected) return false;
    ++first;
  }
  while (first != last && is_json_whitespace(*first)) ++first;
  return first == last;
}

/// The 8 bytes at `p` (first byte lowest), with zero bytes in place of any at or past
/// `end`. Precondition: p < end.
[[gnu::always_inline]] inline std::uint64_t load_le64_before(const char* p, const char* end) noexcept {
  if (end - p >= 8) [[likely]] {
    return load_le64(p);
  }
  std::uint64_t chunk = 0;
  std::memcpy(&chunk, p, static_cast<std::size_t>(end - p));
  if constexpr (std::endian::native == std::endian::big) chunk = __builtin_bswap64(chunk);
  return chunk;
}

/// The 4 bytes at `p`, first byte lowest.
[[gnu::always_inline]] inline std::uint32_t load_le32(const char* p) noexcept {
  std::uint32_t word;
  std::memcpy(&word, p, 4);
  if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap32(word);
  return word;
}

/// The bytes `"],[` (first lowest): a level's closing quote and the way to the next
/// level's opening quote, in a depth array without whitespace.
inline constexpr std::uint32_t kNextLevel = 0x22u | (0x5Du << 8) | (0x2Cu << 16) | (0x5Bu << 24);

/// The value of the string contents [text, text + size) when they are 1 to 8 digits,
/// optionally followed by a point and 1 to 8 digits ("64231.57000000", "0.015", "7");
/// false otherwise (including for forms Decimal::parse accepts, which the caller leaves
/// to it). Reads whole words, never at or past `end`.
[[gnu::always_inline]] inline bool parse_short_decimal(const char* text, std::size_t size, const char* end,
                                                       Decimal& out) noexcept {
  static constexpr std::uint64_t kScaleOfFraction[9] = {
      1000000000000000000ULL, 100000000000000000ULL, 10000000000000000ULL, 1000000000000000ULL, 100000000000000ULL,
      10000000000000ULL,      1000000000000ULL,      100000000000ULL,      10000000000ULL};
  using Wide = unsigned __int128;
  constexpr std::uint64_t kOne = 1'000'000'000'000'000'000ULL;
  // Binance's own form, 1 to 7 integer digits and exactly 8 decimals: the point's place
  // follows from the size and both words lie inside the string.
  if (size - 10 <= 6 && text[size - 9] == '.') [[likely]] {
    const int point = static_cast<int>(size) - 9;
    const std::uint64_t head = load_le64(text);
    const std::uint64_t tail = load_le64(text + point + 1);
    if (leading_digit_count(head) < point || !cts::detail::all_eight_digits(tail)) return false;
    out =
        Decimal::from_raw(static_cast<Decimal::Raw>(static_cast<Wide>(leading_digits_value(head, point)) * kOne +
                                                    static_cast<Wide>(eight_digits_value(tail) * kScaleOfFraction[8])));
    return true;
  }
  if (size == 0 || size > 17) return false;
  const std::uint64_t head = load_le64_before(text, end);
  const int integer_digits = leading_digit_count(head);
  if (integer_digits == 0) return false;
  const std::uint64_t integer = leading_digits_value(head, integer_digits);
  if (static_cast<std::size_t>(integer_digits) == size) {
    out = Decimal::from_raw(static_cast<Decimal::Raw>(static_cast<Wide>(integer) * kOne));
    return true;
  }
  const std::size_t fraction_digits = size - static_cast<std::size_t>(integer_digits) - 1;
  if (text[integer_digits] != '.' || fraction_digits == 0 || fraction_digits > 8) return false;
  const std::uint64_t tail = load_le64_before(text + integer_digits + 1, end);
  if (static_cast<std::size_t>(leading_digit_count(tail)) < fraction_digits) return false;
  const std::uint64_t fraction = leading_digits_value(tail, static_cast<int>(fraction_digits));
  out = Decimal::from_raw(static_cast<Decimal::Raw>(static_cast<Wide>(integer) * kOne +
                                                    static_cast<Wide>(fraction * kScaleOfFraction[fraction_digits])));
  return true;
}

/// True when string contents of `size` bytes could be Binance's own decimal form, 1 to 7
/// integer digits, a point, exactly 8 decimals (the point is then at size - 9).
[[gnu::always_inline]] inline bool has_binance_form(const char* text, std::size_t size) noexcept {
  return size - 10 <= 6 && text[size - 9] == '.';
}

#if defined(__SSE2__)
namespace depth_scanner_tables {
// For a string whose point is at index `point` (1..7), the 16 bytes loaded from
// text + point - 7 are: 7 - point bytes before the string, the integer digits, the point
// (byte 7), the 8 decimals. kKeep[point] clears the bytes before the string and the
// point; kFill[point] writes '0' there, leaving 16 digits worth 10 × integer, then the
// decimals.
struct Masks {
  alignas(16) unsigned char keep[8][16];
  alignas(16) unsigned char fill[8][16];
};
inline constexpr Masks kMasks = [] {
  Masks masks{};
  for (int point = 1; point <= 7; ++point) {
    for (int i = 0; i < 16; ++i) {
      const bool replaced = i < 7 - point || i == 7;
      masks.keep[point][i] = replaced ? 0x00 : 0xFF;
      masks.fill[point][i] = replaced ? '0' : 0x00;
    }
  }
  return masks;
}();

// Sliding windows for short_form_digits(): the 16 bytes at leading + 16 - n are 0xFF in
// bytes 0..n-1 and 0 after; those at trailing + 16 - n are 0 in bytes 0..n-1 and 0xFF after.
struct Windows {
  alignas(16) unsigned char leading[32];
  alignas(16) unsigned char trailing[32];
};
inline constexpr Windows kWindows = [] {
  Windows windows{};
  for (int i = 0; i < 32; ++i) {
    windows.leading[i] = i < 16 ? 0xFF : 0x00;
    windows.trailing[i] = i < 16 ? 0x00 : 0xFF;
  }
  return windows;
}();
}  // namespace depth_scanner_tables

/// The 16 digit bytes minus '0' of a Binance-form string (see depth_scanner_tables).
[[gnu::always_inline]] inline __m128i binance_form_digits(const char* text, int point) noexcept {
  using depth_scanner_tables::kMasks;
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + point - 7));
  const __m128i keep = _mm_load_si128(reinterpret_cast<const __m128i*>(kMasks.keep[point]));
  const __m128i fill = _mm_load_si128(reinterpret_cast<const __m128i*>(kMasks.fill[point]));
  return _mm_sub_epi8(_mm_or_si128(_mm_and_si128(bytes, keep), fill), _mm_set1_epi8('0'));
}

/// The shape of a string of 1 to 7 integer digits, then optionally a point and 1 to 8
/// decimals, from one 16-byte load: `point` is the index of its first '.', or its size
/// when it has none, `fraction` the count of bytes after the point. False when the sizes
/// do not fit that form (its bytes are checked by short_form_digits()) or when fewer than
/// 16 bytes from `text` lie before `end`.
[[gnu::always_inline]] inline bool short_form_shape(const char* text, std::size_t size, const char* end, int& point,
                                                    int& fraction) noexcept {
  if (size - 1 >= 16 || end - text < 16) return false;
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text));
  const unsigned points =
      static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('.')))) | (1u << size);
  point = __builtin_ctz(points);
  const int length = static_cast<int>(size);
  fraction = point < length ? length - point - 1 : 0;
  return static_cast<unsigned>(point - 1) < 7u && (point == length || static_cast<unsigned>(fraction - 1) < 8u);
}

/// The 16 digit bytes minus '0' of a string whose shape short_form_shape() gave, in the
/// layout of binance_form_digits(): the 16 bytes from text + point - 7 with those before
/// the string, the point (or the closing quote) at byte 7 and those after the decimals
/// cleared, leaving 10 × integer in bytes 0..7 and the decimals, padded with zeros, in
/// bytes 8..15. A byte of the string that is not a digit is above 9 here.
[[gnu::always_inline]] inline __m128i short_form_digits(const char* text, int point, int fraction) noexcept {
  using depth_scanner_tables::kWindows;
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + point - 7));
  const __m128i before = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kWindows.leading + 9 + point));
  const __m128i after = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kWindows.trailing + 8 - fraction));
  const __m128i point_byte = _mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0);
  const __m128i cleared = _mm_or_si128(_mm_or_si128(before, after), point_byte);
  return _mm_andnot_si128(cleared, _mm_sub_epi8(bytes, _mm_set1_epi8('0')));
}

/// The values of two strings laid out as binance_form_digits() lays them out (16 digit
/// values each: 10 × integer, then 8 decimals), with SSE2: checked to be digits and
/// combined pairwise into 2-, 4- then 8-digit lanes. False, leaving the outputs alone,
/// when a byte is not a digit.
[[gnu::always_inline]] inline bool digit_pair_values(__m128i a, __m128i b, Decimal& first_out,
                                                     Decimal& second_out) noexcept {
  const __m128i nine = _mm_set1_epi8(9);
  const __m128i largest = _mm_max_epu8(_mm_max_epu8(a, b), nine);
  if (_mm_movemask_epi8(_mm_cmpeq_epi8(largest, nine)) != 0xFFFF) return false;
  // Byte pairs → 10 × first + second, in 16-bit lanes.
  const __m128i low_byte = _mm_set1_epi16(0x00FF);
  const __m128i ten = _mm_set1_epi16(10);
  const __m128i a2 = _mm_add_epi16(_mm_mullo_epi16(_mm_and_si128(a, low_byte), ten), _mm_srli_epi16(a, 8));
  const __m128i b2 = _mm_add_epi16(_mm_mullo_epi16(_mm_and_si128(b, low_byte), ten), _mm_srli_epi16(b, 8));
  // → 4-digit groups in 32-bit lanes, packed to 16 bits (both strings in one register).
  const __m128i hundred_one = _mm_set1_epi32(100 | (1 << 16));
  const __m128i groups4 = _mm_packs_epi32(_mm_madd_epi16(a2, hundred_one), _mm_madd_epi16(b2, hundred_one));
  // → 8-digit groups: [10 × integer of a, decimals of a, 10 × integer of b, decimals of b].
  const __m128i groups8 = _mm_madd_epi16(groups4, _mm_set1_epi32(10000 | (1 << 16)));
  // → per 64-bit lane: integer × 10^8 + decimals, i.e. the value in units of 10^-8.
  const __m128i units = _mm_add_epi64(_mm_mul_epu32(groups8, _mm_set1_epi64x(10'000'000)), _mm_srli_epi64(groups8, 32));
  const auto first_units = static_cast<std::uint64_t>(_mm_cvtsi128_si64(units));
  const auto second_units = static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(units, units)));
  using Wide = unsigned __int128;
  constexpr std::uint64_t kUnitsToRaw = 10'000'000'000ULL;  // 10^-8 → 10^-18
  first_out = Decimal::from_raw(static_cast<Decimal::Raw>(static_cast<Wide>(first_units) * kUnitsToRaw));
  second_out = Decimal::from_raw(static_cast<Decimal::Raw>(static_cast<Wide>(second_units) * kUnitsToRaw));
  return true;
}

/// Converts two strings of Binance's form (has_binance_form() true for both) at once
/// (digit_pair_values()). Both strings must have at least 6 readable bytes before them
/// (a depth reply's strings always do). False, leaving the outputs alone, when a byte is
/// not a digit.
[[gnu::always_inline]] inline bool parse_binance_form_pair(const char* first, std::size_t first_size,
                                                           const char* second, std::size_t second_size,
                                                           Decimal& first_out, Decimal& second_out) noexcept {
  return digit_pair_values(binance_form_digits(first, static_cast<int>(first_size) - 9),
                           binance_form_digits(second, static_cast<int>(second_size) - 9), first_out, second_out);
}

/// Converts two strings of 1 to 7 integer digits with 0 to 8 decimals each, whatever
/// their forms, without a branch on the forms (short_form_shape(), short_form_digits(),
/// digit_pair_values()). Both strings must have at least 6 readable bytes before them.
/// False, leaving the outputs alone, for other sizes, a byte that is not a digit, or
/// either string closer than 16 bytes to `end`.
[[gnu::always_inline]] inline bool parse_short_form_pair(const char* first, std::size_t first_size, const char* second,
                                                         std::size_t second_size, const char* end, Decimal& first_out,
                                                         Decimal& second_out) noexcept {
  int first_point = 0;
  int first_fraction = 0;
  int second_point = 0;
  int second_fraction = 0;
  if (!short_form_shape(first, first_size, end, first_point, first_fraction) ||
      !short_form_shape(second, second_size, end, second_point, second_fraction)) {
    return false;
  }
  return digit_pair_values(short_form_digits(first, first_point, first_fraction),
                           short_form_digits(second, second_point, second_fraction), first_out, second_out);
}
#endif

/// Converts a level's two strings (contents at `price`/`quantity`, of the given sizes);
/// false when either is not of the forms parse_short_decimal() takes.
[[gnu::always_inline]] inline bool parse_level_strings(const char* price, std::size_t price_size, const char* quantity,
                                                       std::size_t quantity_size, const char* end,
                                                       PriceLevel& out) noexcept {
#if defined(__SSE2__)
  if (has_binance_form(price, price_size) && has_binance_form(quantity, quantity_size)) [[likely]] {
    return parse_binance_form_pair(price, price_size, quantity, quantity_size, out.price, out.quantity);
  }
#endif
  return parse_short_decimal(price, price_size, end, out.price) &&
         parse_short_decimal(quantity, quantity_size, end, out.quantity);
}

/// parse_level_strings() for levels whose strings change form from level to level (OKX
/// writes the shortest form: "64231.6", "8477", "0.015"): any pair of 1-7 integer digits
/// with 0-8 decimals in one branch-free SSE2 pass, other forms as parse_level_strings().
/// Both strings must have at least 6 readable bytes before them.
[[gnu::always_inline]] inline bool parse_level_strings_any_form(const char* price, std::size_t price_size,
                                                                const char* quantity, std::size_t quantity_size,
                                                                const char* end, PriceLevel& out) noexcept {
#if defined(__SSE2__)
  if (parse_short_form_pair(price, price_size, quantity, quantity_size, end, out.price, out.quantity)) [[likely]] {
    return true;
  }
#endif
  return parse_short_decimal(price, price_size, end, out.price) &&
         parse_short_decimal(quantity, quantity_size, end, out.quantity);
}

/// The value of a JSON number in [first, last) when it is a plain unsigned integer of at
/// most 19 digits without leading zeros (what simdjson's get_uint64 accepts, short of
/// 20-digit values, which are left to it).
constexpr bool parse_plain_uint(const char* first, const char* last, std::uint64_t& out) noexcept {
  const auto size = last - first;
  if (size <= 0 || size > 19 || (size > 1 && *first == '0')) return false;
  std::uint64_t value = 0;
  for (; first != last; ++first) {
    if (*first < '0' || *first > '9') return false;
    value = value * 10 + static_cast<std::uint64_t>(*first - '0');
  }
  out = value;
  return true;
}

/// Scans a Binance depth snapshot of the exact shape above into `out` (event_time_ms 0,
/// vectors' capacity reused). Returns false when the text is not of that shape; `out`
/// may then hold partial data and the caller must parse the text another way.
class DepthScanner {
 public:
  /// Scans `body`; true when it was of the handled shape and `out` now holds it.
  bool scan(std::string_view body, BookSnapshot& out) {
    // The shortest level, ["1","1"], takes 9 bytes and 4 quotes, plus 4 key quotes.
    if (!quotes_.build(body, body.size() / 2 + 4)) return false;
    const char* const text = body.data();
    const char* const end = text + body.size();
    const std::uint32_t* const quote = quotes_.positions();
    const std::size_t count = quotes_.count();
    // quote[count] is the sentinel, the text's size: the last gap runs to the end.
    auto gap_after = [&](std::size_t closing) { return text + quote[closing] + 1; };
    auto string_is = [&](std::size_t opening, std::string_view expected) {
      return quote[opening + 1] - quote[opening] - 1 == expected.size() &&
             std::memcmp(text + quote[opening] + 1, expected.data(), expected.size()) == 0;
    };
    if (count < 4 || !gap_matches(text, text + quote[0], "{") || !string_is(0, "lastUpdateId")) return false;
    // :N,
    const char* p = gap_after(1);
    const char* const key_end = text + quote[2];
    while (p != key_end && is_json_whitespace(*p)) ++p;
    if (p == key_end || *p != ':') return false;
    ++p;
    while (p != key_end && is_json_whitespace(*p)) ++p;
    const char* const number = p;
    while (p != key_end && *p >= '0' && *p <= '9') ++p;
    if (!parse_plain_uint(number, p, out.last_update_id) || !gap_matches(p, key_end, ",")) return false;
    if (!string_is(2, "bids")) return false;
    out.event_time_ms = 0;
    std::size_t next = 4;  // the quote opening the first bid, or the "asks" key
    if (!side(text, end, gap_after(3), next, out.bids, ',')) return false;
    if (next + 2 > count || !string_is(next, "asks")) return false;
    const char* const after_asks = gap_after(next + 1);
    next += 2;
    return side(text, end, after_asks, next, out.asks, '}') && next == count;
  }

  /// Scans a Bybit v5 order book reply of the exact documented shape (market/orderbook.mdx)
  ///
  ///     {"retCode":0,"retMsg":"OK","result":{"s":"SYM","a":[["P","Q"],...],
  ///      "b":[["P","Q"],...],"ts":N,"u":N,"seq":N,"cts":N},"retExtInfo":{},"time":N}
  ///
  /// into `out` (asks, bids, u → last_update_id, seq → sequence, ts → event_time_ms), with
  /// the same rules for whitespace, numbers and decimals as scan(). Returns false for any
  /// other shape (another member order, an error reply, a symbol with an escape).
  bool scan_bybit(std::string_view body, BookSnapshot& out) {
    if (!quotes_.build(body, body.size() / 2 + 16)) return false;
    const char* const text = body.data();
    const std::size_t count = quotes_.count();
    const std::uint32_t* const quote = quotes_.positions();
    // Keys and fixed strings: "retCode" :0, "retMsg" : "OK" , "result" :{ "s" : "SYM" , "a"
    if (count < 14 || !gap_matches(text, text + quote[0], "{") || !string_is(text, 0, "retCode") ||
        !gap_matches(text + quote[1] + 1, text + quote[2], ":0,") || !string_is(text, 2, "retMsg") ||
        !gap_matches(text + quote[3] + 1, text + quote[4], ":") || !string_is(text, 4, "OK") ||
        !gap_matches(text + quote[5] + 1, text + quote[6], ",") || !string_is(text, 6, "result") ||
        !gap_matches(text + quote[7] + 1, text + quote[8], ":{") || !string_is(text, 8, "s") ||
        !gap_matches(text + quote[9] + 1, text + quote[10], ":") ||
        !is_printable_ascii(text + quote[10] + 1, quote[11] - quote[10] - 1) ||
        !gap_matches(text + quote[11] + 1, text + quote[12], ",") || !string_is(text, 12, "a")) {
      return false;
    }
    std::size_t next = 14;
    if (!side(text, text + body.size(), text + quote[13] + 1, next, out.asks, ',')) return false;
    if (next + 2 > count || !string_is(text, next, "b")) return false;
    const char* const after_bids_key = text + quote[next + 1] + 1;
    next += 2;
    if (!side(text, text + body.size(), after_bids_key, next, out.bids, ',')) return false;
    std::uint64_t ts = 0;
    std::uint64_t cross_time = 0;
    std::uint64_t time = 0;
    if (!number_member(text, next, "ts", ts, ",") || !number_member(text, next, "u", out.last_update_id, ",") ||
        !number_member(text, next, "seq", out.sequence, ",") || !number_member(text, next, "cts", cross_time, "},") ||
        next + 2 > count || !string_is(text, next, "retExtInfo") ||
        !gap_matches(text + quote[next + 1] + 1, text + quote[next + 2], ":{},")) {
      return false;
    }
    next += 2;
    if (!number_member(text, next, "time", time, "}") || next != count || ts > INT64_MAX) return false;
    out.event_time_ms = static_cast<std::int64_t>(ts);
    return true;
  }

 private:
  // True when the string opened by quote `opening` is exactly `expected`.
  bool string_is(const char* text, std::size_t opening, std::string_view expected) const {
    const std::uint32_t* const quote = quotes_.positions();
    return quote[opening + 1] - quote[opening] - 1 == expected.size() &&
           std::memcmp(text + quote[opening] + 1, expected.data(), expected.size()) == 0;
  }

  // Reads `"name":N` at quote `k` (a plain unsigned integer, whitespace allowed), the gap
  // after the number matching `after` up to the next quote (the sentinel at the end);
  // advances `k` past the key.
  bool number_member(const char* text, std::size_t& k, std::string_view name, std::uint64_t& out,
                     std::string_view after) const {
    const std::uint32_t* const quote = quotes_.positions();
    if (k + 2 > quotes_.count() || !string_is(text, k, name)) return false;
    const char* p = text + quote[k + 1] + 1;
    const char* const gap_end = text + quote[k + 2];
    while (p != gap_end && is_json_whitespace(*p)) ++p;
    if (p == gap_end || *p != ':') return false;
    ++p;
    while (p != gap_end && is_json_whitespace(*p)) ++p;
    const char* const number = p;
    while (p != gap_end && *p >= '0' && *p <= '9') ++p;
    if (!parse_plain_uint(number, p, out) || !gap_matches(p, gap_end, after)) return false;
    k += 2;
    return true;
  }

  // Reads one side, `:[` then levels then `]` and `closing` (the character after the
  // array: ',' for bids, '}' for asks); `gap` starts right after the key's closing
  // quote, `next` indexes the quote after the key on entry and the first quote after
  // the side on success.
  bool side(const char* text, const char* end, const char* gap, std::size_t& next, std::vector<PriceLevel>& levels,
            char closing) const {
    const std::uint32_t* const quote = quotes_.positions();
    const std::size_t count = quotes_.count();
    levels.clear();
    const char* const gap_end = text + quote[next];
    const char empty_then[4] = {':', '[', ']', closing};
    if (gap_matches(gap, gap_end, std::string_view(empty_then, 4))) return true;
    if (!gap_matches(gap, gap_end, ":[[")) return false;
    levels.reserve((count - next) / 4);
    const char end_then[3] = {']', ']', closing};
    std::size_t k = next;
    for (;;) {
      if (k + 4 > count) return false;  // quote[k + 4] is at most the sentinel
      const std::uint32_t price_open = quote[k];
      const std::uint32_t price_close = quote[k + 1];
      const std::uint32_t quantity_open = quote[k + 2];
      const std::uint32_t quantity_close = quote[k + 3];
      const std::uint32_t following = quote[k + 4];
      // Filled in place: a level built on the stack and then copied is written as 64-bit
      // halves and read back as 128-bit ones, which stalls on store forwarding.
      PriceLevel& level = levels.emplace_back();
      if (!parse_level_strings(text + price_open + 1, price_close - price_open - 1, text + quantity_open + 1,
                               quantity_close - quantity_open - 1, end, level)) {
        return false;
      }
      // ","  between the two strings.
      if (quantity_open != price_close + 2 || text[price_close + 1] != ',') [[unlikely]] {
        if (!gap_matches(text + price_close + 1, text + quantity_open, ",")) return false;
      }
      k += 4;
      // "],[" to the next level; anything else (whitespace, the end of the array) is
      // classified the slow way.
      if (following == quantity_close + 4 && load_le32(text + quantity_close) == kNextLevel) [[likely]] {
        continue;
      }
      const char* const from = text + quantity_close + 1;
      const char* const to = text + following;
      if (gap_matches(from, to, "],[")) continue;
      if (!gap_matches(from, to, std::string_view(end_then, 3))) return false;
      next = k;
      return true;
    }
  }

  QuoteIndex quotes_;
};

/// The calling thread's DepthScanner (its quote index is reused from reply to reply).
inline DepthScanner& thread_depth_scanner() {
  thread_local DepthScanner scanner;
  return scanner;
}

}  // namespace cts::venue::detail
