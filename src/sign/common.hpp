// Internal helpers shared by the venue schemes (not installed; src/ only).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cts/core/clock.hpp"
#include "cts/core/error.hpp"
#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/sign/binance.hpp"
#include "cts/sign/encoding.hpp"
#include "cts/sign/hmac.hpp"
#include "cts/sign/params.hpp"

namespace cts::sign::detail {

/// Percent-encodes, in place, every byte that may not appear raw in an encoded query or
/// form body (controls, space, non-ASCII, and " # < > [ \ ] ^ ` { | }), leaving
/// unreserved characters, sub-delimiters, ':' '@' '/' '?' and existing %XX escapes
/// alone. Idempotent; allocation-free when nothing needs encoding (the common case).
void encode_unsafe_bytes(std::string& params);

/// A timestamp's text in a fixed buffer (no allocation).
struct TimestampText {
  std::array<char, 32> chars{};  ///< The text, then unused bytes.
  std::size_t size = 0;          ///< Bytes of text in `chars`.
  /// The text; lives as long as this object.
  [[nodiscard]] std::string_view view() const noexcept { return {chars.data(), size}; }
};

/// `2020-12-08T09:08:57.715Z` (OKX REST), 24 chars for the years 0 to 9999.
TimestampText iso8601_millis(SystemTime t);
/// `2017-05-11T15:19:30` (HTX), 19 chars, UTC, no zone suffix.
std::string iso8601_seconds_no_zone(SystemTime t);
/// Seconds since the Unix epoch (floor).
std::int64_t unix_seconds(SystemTime t);
/// Decimal digits of `value`.
std::string decimal(std::int64_t value);
/// `bytes` random bytes from the OS CSPRNG, lowercase hex. Throws cts::Exception on failure.
std::string random_hex(std::size_t bytes);

/// invalid_argument "<venue>: <what>".
inline Error bad_request(std::string_view venue, std::string_view what) {
  return make_error(ErrorCode::invalid_argument, fmt::format("{}: {}", venue, what));
}

/// Throws cts::Exception(invalid_argument) when a required credential is empty.
void require_credential(std::string_view venue, std::string_view what, bool present);

/// True when `name` is a parameter of the query or the body.
inline bool has_param(std::string_view query, std::string_view body, std::string_view name) noexcept {
  return find_param(query, name).has_value() || find_param(body, name).has_value();
}

/// Lowercase hex of a digest into a fixed buffer.
template <std::size_t N>
std::array<char, 2 * N> hex_of(const std::array<std::uint8_t, N>& digest) noexcept {
  std::array<char, 2 * N> out;
  hex_lower_to(digest, out.data());
  return out;
}
/// Padded base64 of a digest into a fixed buffer.
template <std::size_t N>
std::array<char, base64_size(N)> base64_of(const std::array<std::uint8_t, N>& digest) noexcept {
  std::array<char, base64_size(N)> out;
  base64_encode_to(digest, out.data());
  return out;
}
/// The chars of a fixed buffer as a view.
template <std::size_t N>
std::string_view view(const std::array<char, N>& chars) noexcept {
  return {chars.data(), N};
}

/// What the "parameter" schemes (Binance, BingX) append to a request, before appending it.
struct ParamsPlan {
  /// The string the parameters go into: the body when there is one, else the query.
  std::string* target = nullptr;
  /// `recvWindow` and `timestamp` as they are to be appended (with a leading '&' unless
  /// the target is empty), then room for the signature parameter; no allocation.
  std::array<char, BinanceHmacSigner::kAppendedBytes> suffix;
  /// Bytes of `suffix` holding `recvWindow` and `timestamp` (0 when the request carries
  /// its own timestamp).
  std::size_t suffix_size = 0;
  /// The parameters to append; lives as long as this object.
  [[nodiscard]] std::string_view suffix_text() const noexcept { return {suffix.data(), suffix_size}; }
};

/// The first steps of the "parameter" schemes (Binance, BingX): refuse a request that
/// already carries `signature`, percent-encode unsafe bytes, and write `recvWindow` and
/// `timestamp` (ms) into `plan` unless the request carries a timestamp. The request is
/// unchanged but for the encoding; nothing is appended yet. (`plan` is filled in place:
/// returned by value, its byte-wise written buffer would be copied back in 16-byte loads
/// that stall on the stores.)
Result<void> plan_params(HttpRequest& request, std::int64_t now_ms, std::optional<std::int64_t> recv_window_ms,
                         std::string_view venue, ParamsPlan& plan);

/// plan_params(), then the plan's parameters appended to its target. Returns the string
/// the signature parameter goes into (the body when there is one, else the query).
Result<std::string*> prepare_params(HttpRequest& request, std::int64_t now_ms,
                                    std::optional<std::int64_t> recv_window_ms, std::string_view venue);

/// The "parameter" family of schemes (Binance, BingX): percent-encode unsafe bytes,
/// append `recvWindow` and `timestamp` (ms) unless the request carries a timestamp,
/// append `signature=hex(HMAC-SHA256(query + body))` last (to the body when there is
/// one, else to the query), and set the API-key header. Errors: invalid_argument when a
/// `signature` parameter is already present (request unchanged).
Result<void> sign_params_hmac(HttpRequest& request, const HmacSha256& mac, std::int64_t now_ms,
                              std::optional<std::int64_t> recv_window_ms, std::string_view venue,
                              std::string_view key_header, std::string_view api_key);

}  // namespace cts::sign::detail
