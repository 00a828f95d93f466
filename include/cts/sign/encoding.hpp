#pragma once
/// \file
/// Table-driven byte encodings used by request signers: hex (lower/upper), base64,
/// base64url (unpadded, as JWS uses) and RFC 3986 percent-encoding.
///
/// Every encoder has an allocating form returning std::string and a non-allocating
/// `*_to` form writing into a caller buffer sized with the matching `*_size` function
/// (the hot path of a signer uses the latter). Decoders reject malformed input with
/// invalid_argument and never read out of bounds.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include <fmt/format.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "cts/core/detail/text.hpp"
#include "cts/core/error.hpp"
#include "cts/core/result.hpp"

namespace cts::sign {

namespace detail {
inline constexpr std::string_view kHexLower = "0123456789abcdef";
inline constexpr std::string_view kHexUpper = "0123456789ABCDEF";
inline constexpr std::string_view kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
inline constexpr std::string_view kBase64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
inline constexpr std::uint8_t kInvalid = 0xff;

/// Reverse table of a 64-symbol alphabet: value of each symbol, kInvalid otherwise.
constexpr std::array<std::uint8_t, 256> reverse_table(std::string_view alphabet) {
  std::array<std::uint8_t, 256> table{};
  for (auto& v : table) v = kInvalid;
  for (std::size_t i = 0; i < alphabet.size(); ++i)
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<std::uint8_t>(i);
  return table;
}
inline constexpr auto kBase64Reverse = reverse_table(kBase64);
inline constexpr auto kBase64UrlReverse = reverse_table(kBase64Url);

/// RFC 3986 "unreserved": ALPHA / DIGIT / "-" / "." / "_" / "~".
constexpr std::array<bool, 256> unreserved_table() {
  std::array<bool, 256> table{};
  for (int c = 'A'; c <= 'Z'; ++c) table[static_cast<std::size_t>(c)] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[static_cast<std::size_t>(c)] = true;
  for (int c = '0'; c <= '9'; ++c) table[static_cast<std::size_t>(c)] = true;
  for (char c : std::string_view("-._~")) table[static_cast<unsigned char>(c)] = true;
  return table;
}
inline constexpr auto kUnreserved = unreserved_table();

/// The two hex digits (in `digits`' case) of every byte value: byte b's are at 2b, 2b + 1.
constexpr std::array<char, 512> hex_pairs(std::string_view digits) {
  std::array<char, 512> pairs{};
  for (std::size_t b = 0; b < 256; ++b) {
    pairs[2 * b] = digits[b >> 4];
    pairs[2 * b + 1] = digits[b & 0x0f];
  }
  return pairs;
}
inline constexpr auto kHexLowerPairs = hex_pairs(kHexLower);
inline constexpr auto kHexUpperPairs = hex_pairs(kHexUpper);

/// Hex of `in` in the case of `pairs` (kHexLowerPairs or kHexUpperPairs): with SSE2, 16
/// bytes at a time (nibbles split, interleaved and turned into digits in registers: a
/// SHA-256 digest in about 20 instructions); the rest one two-byte copy per byte (the
/// nibble-per-character form is vectorised by compilers into stack spills that cost a
/// signature more than its hex digits are worth).
inline char* hex_to(std::span<const std::uint8_t> in, char* out, const std::array<char, 512>& pairs) noexcept {
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i low_nibble = _mm_set1_epi8(0x0f);
  const __m128i nine = _mm_set1_epi8(9);
  const __m128i zero = _mm_set1_epi8('0');
  // From '0' + 10 to the letter for 10 ('a' or 'A', the second digit of byte 10's pair).
  const __m128i letters = _mm_set1_epi8(static_cast<char>(pairs[2 * 10 + 1] - '0' - 10));
  const auto digits = [&](__m128i nibbles) {
    const __m128i above_nine = _mm_cmpgt_epi8(nibbles, nine);
    return _mm_add_epi8(_mm_add_epi8(nibbles, zero), _mm_and_si128(above_nine, letters));
  };
  for (; i + 16 <= in.size(); i += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in.data() + i));
    const __m128i high = _mm_and_si128(_mm_srli_epi16(bytes, 4), low_nibble);
    const __m128i low = _mm_and_si128(bytes, low_nibble);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), digits(_mm_unpacklo_epi8(high, low)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16), digits(_mm_unpackhi_epi8(high, low)));
    out += 32;
  }
#endif
  for (; i < in.size(); ++i) {
    std::memcpy(out, pairs.data() + 2 * std::size_t{in[i]}, 2);
    out += 2;
  }
  return out;
}

inline char* base64_to(std::span<const std::uint8_t> in, char* out, std::string_view alphabet, bool pad) noexcept {
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8) | in[i + 2];
    *out++ = alphabet[(v >> 18) & 63];
    *out++ = alphabet[(v >> 12) & 63];
    *out++ = alphabet[(v >> 6) & 63];
    *out++ = alphabet[v & 63];
  }
  const std::size_t rest = in.size() - i;
  if (rest == 1) {
    const std::uint32_t v = std::uint32_t{in[i]} << 16;
    *out++ = alphabet[(v >> 18) & 63];
    *out++ = alphabet[(v >> 12) & 63];
    if (pad) {
      *out++ = '=';
      *out++ = '=';
    }
  } else if (rest == 2) {
    const std::uint32_t v = (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8);
    *out++ = alphabet[(v >> 18) & 63];
    *out++ = alphabet[(v >> 12) & 63];
    *out++ = alphabet[(v >> 6) & 63];
    if (pad) *out++ = '=';
  }
  return out;
}

inline Result<std::string> base64_decode(std::string_view in, const std::array<std::uint8_t, 256>& table, bool padded,
                                         std::string_view name) {
  const auto fail = [&](std::string_view why) {
    return make_error(ErrorCode::invalid_argument, fmt::format("invalid {} ({}; {} characters)", name, why, in.size()));
  };
  std::size_t len = in.size();
  if (padded) {
    if (len % 4 != 0) return fail("length is not a multiple of 4");
    if (len > 0 && in[len - 1] == '=') --len;
    if (len > 0 && in[len - 1] == '=') --len;
  }
  if (len % 4 == 1) return fail("impossible length");
  std::string out;
  out.reserve(len / 4 * 3 + 2);
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < len; ++i) {
    const std::uint8_t v = table[static_cast<unsigned char>(in[i])];
    if (v == kInvalid) return fail("character outside the alphabet");
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  // Canonical form: the bits left over after the last full byte must be zero.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return fail("non-zero trailing bits");
  return out;
}
}  // namespace detail

/// Characters in the hex encoding of `n` bytes.
constexpr std::size_t hex_size(std::size_t n) noexcept { return 2 * n; }
/// Characters in the padded base64 encoding of `n` bytes.
constexpr std::size_t base64_size(std::size_t n) noexcept { return (n + 2) / 3 * 4; }
/// Characters in the unpadded base64url encoding of `n` bytes.
constexpr std::size_t base64url_size(std::size_t n) noexcept { return n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1); }

/// Writes lowercase hex of `in` to `out` (hex_size(in.size()) chars); returns the end.
inline char* hex_lower_to(std::span<const std::uint8_t> in, char* out) noexcept {
  return detail::hex_to(in, out, detail::kHexLowerPairs);
}
/// Writes uppercase hex of `in` to `out` (hex_size(in.size()) chars); returns the end.
inline char* hex_upper_to(std::span<const std::uint8_t> in, char* out) noexcept {
  return detail::hex_to(in, out, detail::kHexUpperPairs);
}
/// Writes padded base64 (RFC 4648 §4) of `in` to `out` (base64_size chars); returns the end.
inline char* base64_encode_to(std::span<const std::uint8_t> in, char* out) noexcept {
  return detail::base64_to(in, out, detail::kBase64, true);
}
/// Writes unpadded base64url (RFC 4648 §5, as JWS uses) to `out` (base64url_size chars).
inline char* base64url_encode_to(std::span<const std::uint8_t> in, char* out) noexcept {
  return detail::base64_to(in, out, detail::kBase64Url, false);
}

/// Lowercase hex of `in`.
inline std::string hex_lower(std::span<const std::uint8_t> in) {
  std::string out(hex_size(in.size()), '\0');
  hex_lower_to(in, out.data());
  return out;
}
/// Uppercase hex of `in`.
inline std::string hex_upper(std::span<const std::uint8_t> in) {
  std::string out(hex_size(in.size()), '\0');
  hex_upper_to(in, out.data());
  return out;
}
/// Padded base64 of `in` (RFC 4648 §4).
inline std::string base64_encode(std::span<const std::uint8_t> in) {
  std::string out(base64_size(in.size()), '\0');
  base64_encode_to(in, out.data());
  return out;
}
/// Unpadded base64url of `in` (RFC 4648 §5 without '=').
inline std::string base64url_encode(std::span<const std::uint8_t> in) {
  std::string out(base64url_size(in.size()), '\0');
  base64url_encode_to(in, out.data());
  return out;
}

/// The bytes of a string as a span, for the encoders above.
inline std::span<const std::uint8_t> bytes(std::string_view s) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

/// Decodes padded base64 (RFC 4648 §4). Errors: invalid_argument for a length that is
/// not a multiple of 4, a character outside the alphabet (whitespace included), or
/// non-canonical trailing bits. The message never quotes the input (it may be a secret).
inline Result<std::string> base64_decode(std::string_view in) {
  return detail::base64_decode(in, detail::kBase64Reverse, true, "base64");
}
/// Decodes unpadded base64url (RFC 4648 §5). Same errors as base64_decode().
inline Result<std::string> base64url_decode(std::string_view in) {
  return detail::base64_decode(in, detail::kBase64UrlReverse, false, "base64url");
}

/// Decodes lower- or uppercase hex. Errors: invalid_argument on odd length or a non-hex character.
inline Result<std::string> hex_decode(std::string_view in) {
  if (in.size() % 2 != 0) return make_error(ErrorCode::invalid_argument, "invalid hex (odd length)");
  std::string out(in.size() / 2, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = cts::detail::hex_value(in[2 * i]);
    const int lo = cts::detail::hex_value(in[2 * i + 1]);
    if (hi < 0 || lo < 0) return make_error(ErrorCode::invalid_argument, "invalid hex (non-hex character)");
    out[i] = static_cast<char>((hi << 4) | lo);
  }
  return out;
}

/// True for the RFC 3986 unreserved characters (ALPHA, DIGIT, "-", ".", "_", "~").
constexpr bool is_unreserved(char c) noexcept { return detail::kUnreserved[static_cast<unsigned char>(c)]; }

/// Characters in the percent-encoding of `in`.
constexpr std::size_t percent_encoded_size(std::string_view in) noexcept {
  std::size_t n = 0;
  for (char c : in) n += is_unreserved(c) ? 1 : 3;
  return n;
}
/// Writes the RFC 3986 percent-encoding of `in` to `out` (percent_encoded_size chars):
/// unreserved characters are kept, every other byte becomes %XX with uppercase hex
/// (space is %20, never '+'). Returns the end.
inline char* percent_encode_to(std::string_view in, char* out) noexcept {
  for (char c : in) {
    if (is_unreserved(c)) {
      *out++ = c;
    } else {
      const auto b = static_cast<unsigned char>(c);
      *out++ = '%';
      *out++ = detail::kHexUpper[b >> 4];
      *out++ = detail::kHexUpper[b & 0x0f];
    }
  }
  return out;
}
/// Appends the percent-encoding of `in` to `out` (allocates only when `out` grows).
inline void percent_encode_append(std::string& out, std::string_view in) {
  const std::size_t old = out.size();
  out.resize(old + percent_encoded_size(in));
  percent_encode_to(in, out.data() + old);
}
/// The RFC 3986 percent-encoding of `in` (see percent_encode_to()).
inline std::string percent_encode(std::string_view in) {
  std::string out;
  percent_encode_append(out, in);
  return out;
}
/// Decodes %XX escapes (either case); other bytes, '+' included, are kept as they are.
/// Errors: invalid_argument for a '%' not followed by two hex digits.
inline Result<std::string> percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    const int hi = i + 1 < in.size() ? cts::detail::hex_value(in[i + 1]) : -1;
    const int lo = i + 2 < in.size() ? cts::detail::hex_value(in[i + 2]) : -1;
    if (hi < 0 || lo < 0) return make_error(ErrorCode::invalid_argument, "invalid percent-encoding (bad % escape)");
    out.push_back(static_cast<char>((hi << 4) | lo));
    i += 2;
  }
  return out;
}

}  // namespace cts::sign
