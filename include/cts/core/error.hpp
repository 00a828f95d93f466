#pragma once
/// \file
/// The unified error taxonomy shared by every cts component, and the exception type
/// used for misuse and configuration errors.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace cts {

/// What went wrong, independent of the venue. Values are stable (they are journaled).
enum class ErrorCode : std::uint8_t {
  invalid_argument = 0,       ///< Malformed or out-of-domain input from the caller.
  out_of_range = 1,           ///< A number does not fit the type, or would lose digits.
  division_by_zero = 2,       ///< Arithmetic division by zero.
  insufficient_funds = 3,     ///< The venue or a check found too little balance.
  rate_limited = 4,           ///< A rate limit refused the request (local or venue).
  auth_failed = 5,            ///< Unknown, disabled or unauthorised API key.
  invalid_signature = 6,      ///< The venue rejected the request signature.
  timestamp_out_of_window = 7,///< The request timestamp fell outside the venue's window.
  order_not_found = 8,        ///< The order is unknown to the venue or to the tracker.
  duplicate_client_order_id = 9, ///< The client order id is already in use.
  invalid_transition = 10,    ///< An event does not apply to the order's current state.
  duplicate_fill = 11,        ///< A fill with this trade id was already applied.
  network = 12,               ///< The request was not sent (connect/TLS/DNS failure).
  timeout = 13,               ///< A deadline passed before the operation completed.
  venue_unavailable = 14,     ///< The venue answered 5xx/maintenance before executing.
  protocol_error = 15,        ///< A reply or frame did not match the venue's protocol.
  unknown_outcome = 16,       ///< Sent, but whether it executed is unknown.
  cancelled = 17,             ///< The caller cancelled the operation.
  queue_full = 18,            ///< A bounded queue refused more work (backpressure).
  unsupported = 19,           ///< The venue or component does not offer the operation.
  rejected = 20,              ///< The venue refused the request for a business reason.
  internal = 21,              ///< A bug or broken invariant inside cts.
};

/// Number of ErrorCode values; every value in [0, kErrorCodeCount) is valid.
inline constexpr std::size_t kErrorCodeCount = 22;

/// Returns the snake_case name of `code`, e.g. "invalid_signature". Never fails.
constexpr std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::invalid_argument: return "invalid_argument";
    case ErrorCode::out_of_range: return "out_of_range";
    case ErrorCode::division_by_zero: return "division_by_zero";
    case ErrorCode::insufficient_funds: return "insufficient_funds";
    case ErrorCode::rate_limited: return "rate_limited";
    case ErrorCode::auth_failed: return "auth_failed";
    case ErrorCode::invalid_signature: return "invalid_signature";
    case ErrorCode::timestamp_out_of_window: return "timestamp_out_of_window";
    case ErrorCode::order_not_found: return "order_not_found";
    case ErrorCode::duplicate_client_order_id: return "duplicate_client_order_id";
    case ErrorCode::invalid_transition: return "invalid_transition";
    case ErrorCode::duplicate_fill: return "duplicate_fill";
    case ErrorCode::network: return "network";
    case ErrorCode::timeout: return "timeout";
    case ErrorCode::venue_unavailable: return "venue_unavailable";
    case ErrorCode::protocol_error: return "protocol_error";
    case ErrorCode::unknown_outcome: return "unknown_outcome";
    case ErrorCode::cancelled: return "cancelled";
    case ErrorCode::queue_full: return "queue_full";
    case ErrorCode::unsupported: return "unsupported";
    case ErrorCode::rejected: return "rejected";
    case ErrorCode::internal: return "internal";
  }
  return "invalid_error_code";
}

/// True when a request that failed with `code` may have executed at the venue, so it
/// must not be retried blindly: the caller has to ask the venue first.
constexpr bool outcome_may_be_unknown(ErrorCode code) noexcept {
  return code == ErrorCode::unknown_outcome || code == ErrorCode::timeout;
}

/// An error value: the unified code, a human-readable message, and the venue's raw
/// error code when the venue gave one (e.g. "-1021" for Binance, "51008" for OKX).
/// Messages never contain secrets.
struct Error {
  ErrorCode code = ErrorCode::internal;  ///< Unified category.
  std::string message;                   ///< What happened, for people.
  std::string venue_code;                ///< The venue's own code, empty if none.

  /// "code: message" plus " (venue code X)" when a venue code is present.
  [[nodiscard]] std::string to_string() const {
    if (venue_code.empty()) return fmt::format("{}: {}", cts::to_string(code), message);
    return fmt::format("{}: {} (venue code {})", cts::to_string(code), message, venue_code);
  }

  friend bool operator==(const Error&, const Error&) = default;
};

/// True for the errors by which a venue refuses the API credentials themselves (a wrong
/// key, a key without the permission, an IP not allowed, a bad signature): every signed
/// request would be refused alike.
constexpr bool is_credential_error(ErrorCode code) noexcept {
  return code == ErrorCode::auth_failed || code == ErrorCode::invalid_signature;
}

/// Builds an Error; a shorthand that reads well at return sites.
inline Error make_error(ErrorCode code, std::string message, std::string venue_code = {}) {
  return Error{code, std::move(message), std::move(venue_code)};
}

/// The exception thrown for misuse (e.g. reading the value of a failed Result) and by
/// the throwing conveniences (e.g. Decimal's operators on overflow). Carries the Error.
class Exception : public std::runtime_error {
 public:
  /// Wraps `error`; what() returns error.to_string().
  explicit Exception(Error error) : std::runtime_error(error.to_string()), error_(std::move(error)) {}
  /// The wrapped error.
  [[nodiscard]] const Error& error() const noexcept { return error_; }

 private:
  Error error_;
};

}  // namespace cts

template <>
struct fmt::formatter<cts::ErrorCode> : fmt::formatter<std::string_view> {
  auto format(cts::ErrorCode code, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(cts::to_string(code), ctx);
  }
};

template <>
struct fmt::formatter<cts::Error> : fmt::formatter<std::string_view> {
  auto format(const cts::Error& error, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(error.to_string(), ctx);
  }
};
