#pragma once
/// \file
/// Client order ids: a generator unique across restarts and across processes on one
/// machine, a fixed-capacity id type (no allocation), and per-venue rules for length
/// and character set.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <unistd.h>

#include "cts/core/clock.hpp"
#include "cts/core/error.hpp"
#include "cts/core/inline_id.hpp"
#include "cts/core/result.hpp"
#include "cts/core/venue_id.hpp"

namespace cts {

/// Tag of ClientOrderId.
struct ClientOrderIdTag {
  static constexpr std::string_view kWhat = "client order id";  ///< Name used in error messages.
};

/// A client order id held inline (at most 64 bytes, the longest any supported venue
/// accepts): cheap to copy, hash and compare, so trackers key on it without allocating.
/// The empty id means "none".
using ClientOrderId = InlineId<64, ClientOrderIdTag>;

/// A venue's rules for client order ids.
struct ClientOrderIdRules {
  VenueId venue = VenueId::binance_spot;  ///< The venue.
  std::string_view field;                 ///< The venue's parameter name.
  std::size_t max_length = 0;             ///< Longest accepted id, prefix included.
  std::string_view required_prefix;       ///< A prefix the venue demands ("t-" for Gate).
  std::string_view extra_chars;           ///< Allowed besides [A-Za-z0-9].
};

/// The rules of `venue`. Sources: Binance newClientOrderId `^[.A-Z:/a-z0-9_-]{1,36}$`;
/// Bybit orderLinkId ≤ 36 of letters, digits, '-' and '_'; OKX clOrdId ≤ 32
/// alphanumeric; Kraken cl_ord_id free text ≤ 18 (or a UUID); Coinbase client_order_id
/// (UUID recommended, we keep ≤ 36 of [A-Za-z0-9-]); HTX client-order-id ≤ 64; Gate
/// `text` must start with "t-" and have ≤ 28 bytes after it; BingX clientOrderID
/// 1..40; Pionex clientOrderId `^[a-zA-Z0-9-]+$` ≤ 64 (openapi.yaml
/// NewOrderRequest); OrangeX label ≤ 64. Where a venue documents only a
/// length, we still restrict to letters, digits, '-' and '_'.
constexpr ClientOrderIdRules client_order_id_rules(VenueId venue) noexcept {
  switch (venue) {
    case VenueId::binance_spot: return {venue, "newClientOrderId", 36, "", ".:/_-"};
    case VenueId::binance_usdm: return {venue, "newClientOrderId", 36, "", ".:/_-"};
    case VenueId::bybit: return {venue, "orderLinkId", 36, "", "_-"};
    case VenueId::okx: return {venue, "clOrdId", 32, "", ""};
    case VenueId::kraken: return {venue, "cl_ord_id", 18, "", ""};
    case VenueId::coinbase: return {venue, "client_order_id", 36, "", "-"};
    case VenueId::htx: return {venue, "client-order-id", 64, "", "_-"};
    case VenueId::gate: return {venue, "text", 30, "t-", "_-."};
    case VenueId::bingx: return {venue, "clientOrderID", 40, "", "_-"};
    case VenueId::pionex: return {venue, "clientOrderId", 64, "", "-"};
    case VenueId::orangex: return {venue, "label", 64, "", "_-"};
  }
  return {venue, "clientOrderId", 32, "", ""};
}

/// Checks `id` against `venue`'s rules. invalid_argument naming the rule otherwise.
inline Result<void> validate_client_order_id(VenueId venue, std::string_view id) {
  const ClientOrderIdRules rules = client_order_id_rules(venue);
  if (id.empty() || id.size() > rules.max_length) {
    return make_error(ErrorCode::invalid_argument, fmt::format("{} {} must have 1..{} characters, got {}", venue,
                                                               rules.field, rules.max_length, id.size()));
  }
  if (id.substr(0, rules.required_prefix.size()) != rules.required_prefix) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("{} {} must start with \"{}\"", venue, rules.field, rules.required_prefix));
  }
  for (std::size_t i = rules.required_prefix.size(); i < id.size(); ++i) {
    const char c = id[i];
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (!alnum && rules.extra_chars.find(c) == std::string_view::npos) {
      return make_error(ErrorCode::invalid_argument,
                        fmt::format("{} {} may not contain '{}' (position {})", venue, rules.field, c, i));
    }
  }
  return {};
}

/// Makes client order ids that never repeat: `[prefix][start:7][instance:4][counter]`,
/// all in base62 ([0-9A-Za-z]). `start` is the generator's creation time in
/// milliseconds since 2020-01-01 (a restarted process starts at a later millisecond),
/// `instance` distinguishes processes alive at the same time (default: the process id),
/// and `counter` counts ids from 1. Without a prefix the ids have 12..18 characters,
/// which every venue's rules accept. Thread-safe: next() may be called concurrently.
///
/// Assumption: the wall clock does not step back across a restart by more than the
/// previous run lasted (an NTP step of that size breaks the "later millisecond").
class ClientOrderIdGenerator {
 public:
  /// A generator for `instance` (0 .. 62^4-1) created at `now`, with an optional prefix
  /// (letters and digits; validated against the venue when formatting).
  ClientOrderIdGenerator(SystemTime now, std::uint32_t instance, std::string_view prefix = {});

  /// A generator for this process: instance = process id.
  static ClientOrderIdGenerator for_this_process(SystemTime now, std::string_view prefix = {});

  /// Moves the generator; ids continue where the source stopped. The source must not
  /// be used concurrently during the move, and not at all after it.
  ClientOrderIdGenerator(ClientOrderIdGenerator&& other) noexcept
      : stem_(std::move(other.stem_)), counter_(other.counter_.load(std::memory_order_relaxed)) {}
  ClientOrderIdGenerator(const ClientOrderIdGenerator&) = delete;
  ClientOrderIdGenerator& operator=(const ClientOrderIdGenerator&) = delete;
  ClientOrderIdGenerator& operator=(ClientOrderIdGenerator&&) = delete;

  /// The next id. Throws cts::Exception(out_of_range) after 62^7-1 ids (3.5·10^12).
  ClientOrderId next();

  /// The next id, shaped for `venue` (its required prefix added, e.g. Gate's "t-") and
  /// checked against its rules; invalid_argument when the prefix makes it too long or
  /// uses a forbidden character.
  Result<ClientOrderId> next_for(VenueId venue);

 private:
  std::string stem_;  // prefix + start + instance
  std::atomic<std::uint64_t> counter_{0};
};

namespace detail {
inline constexpr char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Appends `value` in base62 with exactly `width` digits (width 0: as many as needed).
inline void append_base62(std::string& out, std::uint64_t value, std::size_t width) {
  char digits[16];
  std::size_t n = 0;
  do {
    digits[n++] = kBase62[value % 62];
    value /= 62;
  } while (value != 0 && n < sizeof(digits));
  while (n < width) digits[n++] = '0';
  while (n > 0) out.push_back(digits[--n]);
}

inline constexpr std::int64_t kIdEpochMillis = 1'577'836'800'000;  // 2020-01-01T00:00:00Z
inline constexpr std::uint64_t kBase62Pow4 = 62ULL * 62 * 62 * 62;
inline constexpr std::uint64_t kBase62Pow7 = kBase62Pow4 * 62 * 62 * 62;
}  // namespace detail

inline ClientOrderIdGenerator::ClientOrderIdGenerator(SystemTime now, std::uint32_t instance, std::string_view prefix) {
  const std::int64_t millis = to_unix_millis(now) - detail::kIdEpochMillis;
  if (millis < 0 || static_cast<std::uint64_t>(millis) >= detail::kBase62Pow7) {
    throw Exception(make_error(ErrorCode::invalid_argument, "client order id generator: clock before 2020 or after 2130"));
  }
  if (instance >= detail::kBase62Pow4) {
    throw Exception(make_error(ErrorCode::invalid_argument, fmt::format("client order id instance {} exceeds 62^4-1", instance)));
  }
  stem_.assign(prefix);
  detail::append_base62(stem_, static_cast<std::uint64_t>(millis), 7);
  detail::append_base62(stem_, instance, 4);
}

inline ClientOrderIdGenerator ClientOrderIdGenerator::for_this_process(SystemTime now, std::string_view prefix) {
  return ClientOrderIdGenerator(now, static_cast<std::uint32_t>(::getpid()) % static_cast<std::uint32_t>(detail::kBase62Pow4),
                                prefix);
}

inline ClientOrderId ClientOrderIdGenerator::next() {
  const std::uint64_t n = counter_.fetch_add(1, std::memory_order_relaxed) + 1;
  if (n >= detail::kBase62Pow7) throw Exception(make_error(ErrorCode::out_of_range, "client order id counter exhausted"));
  std::string text = stem_;
  detail::append_base62(text, n, 0);
  return ClientOrderId::from(text).value();
}

inline Result<ClientOrderId> ClientOrderIdGenerator::next_for(VenueId venue) {
  const ClientOrderIdRules rules = client_order_id_rules(venue);
  const ClientOrderId plain = next();
  std::string text(rules.required_prefix);
  text += plain.view();
  if (Result<void> ok = validate_client_order_id(venue, text); !ok) return ok.error();
  return ClientOrderId::from(text);
}

}  // namespace cts
