#pragma once
/// \file
/// The order lifecycle vocabulary: statuses, event kinds, their names, and the status
/// classes (open, in flight, terminal) used by trackers and reconciliation.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/core/result.hpp"

namespace cts::order {

/// Where an order is in its life. Values are stable (they are journaled).
enum class OrderStatus : std::uint8_t {
  initialized = 0,       ///< Created locally, not sent.
  denied = 1,            ///< Refused locally before sending (risk check). Terminal.
  submitted = 2,         ///< Sent; the venue has not answered yet.
  accepted = 3,          ///< Working at the venue.
  rejected = 4,          ///< Refused by the venue. Terminal.
  canceled = 5,          ///< Canceled (a late fill may still arrive). Terminal.
  expired = 6,           ///< Expired by time in force. Terminal.
  triggered = 7,         ///< A stop-limit or take-profit-limit whose trigger fired.
  pending_update = 8,    ///< A modify request is in flight.
  pending_cancel = 9,    ///< A cancel request is in flight.
  partially_filled = 10, ///< 0 < filled < quantity.
  filled = 11,           ///< filled ≥ quantity. Terminal.
};

/// Number of OrderStatus values.
inline constexpr std::size_t kOrderStatusCount = 12;

/// What can happen to an order. Values are stable (they are journaled).
enum class OrderEventKind : std::uint8_t {
  denied = 0,           ///< A local risk check refused the order.
  submitted = 1,        ///< The request was sent.
  accepted = 2,         ///< The venue acknowledged the order (may carry its venue id).
  rejected = 3,         ///< The venue refused the order.
  canceled = 4,         ///< The venue canceled the order.
  expired = 5,          ///< The venue expired the order.
  triggered = 6,        ///< The trigger price was reached (triggerable types only).
  pending_update = 7,   ///< A modify request was sent.
  pending_cancel = 8,   ///< A cancel request was sent.
  updated = 9,          ///< The venue applied a modification (quantity/price/venue id).
  modify_rejected = 10, ///< The venue refused a modify request.
  cancel_rejected = 11, ///< The venue refused a cancel request.
  filled = 12,          ///< An execution (carries a Fill).
  outcome_unknown = 13, ///< A request was sent but its reply never came (timeout, 5xx, reset).
};

/// Number of OrderEventKind values.
inline constexpr std::size_t kOrderEventKindCount = 14;

namespace detail {
inline constexpr std::array<std::string_view, kOrderStatusCount> kStatusNames{
    "INITIALIZED", "DENIED",    "SUBMITTED",      "ACCEPTED",       "REJECTED",         "CANCELED",
    "EXPIRED",     "TRIGGERED", "PENDING_UPDATE", "PENDING_CANCEL", "PARTIALLY_FILLED", "FILLED"};
inline constexpr std::array<std::string_view, kOrderEventKindCount> kEventNames{
    "denied",         "submitted", "accepted",        "rejected",        "canceled", "expired",        "triggered",
    "pending_update", "pending_cancel", "updated",    "modify_rejected", "cancel_rejected", "fill", "outcome_unknown"};

template <class Enum, std::size_t N>
Result<Enum> parse_name(const std::array<std::string_view, N>& names, std::string_view text, std::string_view what) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<Enum>(i);
  }
  return make_error(ErrorCode::invalid_argument, fmt::format("unknown {} \"{}\"", what, text.substr(0, 64)));
}
}  // namespace detail

/// The upper-case name, e.g. "PARTIALLY_FILLED".
constexpr std::string_view to_string(OrderStatus status) noexcept {
  const auto i = static_cast<std::size_t>(status);
  return i < kOrderStatusCount ? detail::kStatusNames[i] : std::string_view("INVALID");
}
/// The lower-case name, e.g. "pending_cancel" ("fill" for OrderEventKind::filled).
constexpr std::string_view to_string(OrderEventKind kind) noexcept {
  const auto i = static_cast<std::size_t>(kind);
  return i < kOrderEventKindCount ? detail::kEventNames[i] : std::string_view("invalid");
}
/// Parses a status name exactly as to_string gives it; invalid_argument otherwise.
inline Result<OrderStatus> parse_order_status(std::string_view text) {
  return detail::parse_name<OrderStatus>(detail::kStatusNames, text, "order status");
}
/// Parses an event name exactly as to_string gives it; invalid_argument otherwise.
inline Result<OrderEventKind> parse_order_event_kind(std::string_view text) {
  return detail::parse_name<OrderEventKind>(detail::kEventNames, text, "order event");
}

/// True for DENIED, REJECTED, CANCELED, EXPIRED and FILLED: the order is closed. (A
/// CANCELED order still accepts a late fill, which re-opens it; see the table.)
constexpr bool is_terminal(OrderStatus s) noexcept {
  return s == OrderStatus::denied || s == OrderStatus::rejected || s == OrderStatus::canceled ||
         s == OrderStatus::expired || s == OrderStatus::filled;
}
/// True for ACCEPTED, TRIGGERED, PENDING_UPDATE, PENDING_CANCEL, PARTIALLY_FILLED: the
/// order is working at the venue.
constexpr bool is_open(OrderStatus s) noexcept {
  return s == OrderStatus::accepted || s == OrderStatus::triggered || s == OrderStatus::pending_update ||
         s == OrderStatus::pending_cancel || s == OrderStatus::partially_filled;
}
/// True for SUBMITTED, PENDING_UPDATE, PENDING_CANCEL: a request awaits the venue's answer.
constexpr bool is_in_flight(OrderStatus s) noexcept {
  return s == OrderStatus::submitted || s == OrderStatus::pending_update || s == OrderStatus::pending_cancel;
}
/// True for the statuses a cancel may be sent from (PENDING_CANCEL excluded so that a
/// cancel is not sent twice).
constexpr bool is_cancellable(OrderStatus s) noexcept {
  return s == OrderStatus::accepted || s == OrderStatus::triggered || s == OrderStatus::pending_update ||
         s == OrderStatus::partially_filled;
}

}  // namespace cts::order

template <>
struct fmt::formatter<cts::order::OrderStatus> : fmt::formatter<std::string_view> {
  auto format(cts::order::OrderStatus v, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(cts::order::to_string(v), ctx);
  }
};
template <>
struct fmt::formatter<cts::order::OrderEventKind> : fmt::formatter<std::string_view> {
  auto format(cts::order::OrderEventKind v, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(cts::order::to_string(v), ctx);
  }
};
