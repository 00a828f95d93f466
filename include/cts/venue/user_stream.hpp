#pragma once
/// \file
/// venue::UserStreamProtocol: one venue's private WebSocket protocol for an account's
/// orders and balances, sans-I/O — the frames that authenticate and subscribe (signed
/// when they are made), and each received frame classified into unified events. The
/// engine's UserStream drives one through a WebSocket client and never names a venue;
/// each venue's folder provides its implementation, made by the registry.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue {

/// An order event: the order's state after it and the execution it reported, if any.
struct OrderUpdate {
  OrderReport order;               ///< The order after this event (its fills list empty).
  std::optional<Fill> last_fill;   ///< The execution this event reports.
  std::int64_t event_time_ms = 0;  ///< The venue's event time.
  bool amended = false;            ///< The event is an amendment or replacement of the order.
};

/// The venue acknowledged the subscription: from now on events arrive (earlier ones
/// are not replayed).
struct UserSubscribed {
  std::optional<std::int64_t> subscription_id;  ///< The venue's id for it, when it gives one.
};

/// The new balances of the assets that changed.
struct BalancesUpdate {
  std::int64_t event_time_ms = 0;  ///< The venue's event time.
  std::vector<Balance> balances;   ///< Free and locked amounts after the change.
};

/// The venue ended the subscription (the owner connects again to subscribe anew).
struct UserStreamEnded {};

/// One event of the private stream.
using UserEvent = std::variant<UserSubscribed, OrderUpdate, BalancesUpdate, UserStreamEnded>;

/// The private-stream protocol of one account. subscriptions() is thread-safe (a
/// WebSocket client's io thread calls it); on_message() is called by one thread.
class UserStreamProtocol {
 public:
  virtual ~UserStreamProtocol() = default;
  /// The text frame the venue wants as a keep-alive instead of WebSocket ping frames
  /// (Bybit's `{"op":"ping"}`); empty (the default): protocol pings.
  [[nodiscard]] virtual std::string_view application_ping() const noexcept { return {}; }
  /// The frames to send after every (re)connect — authentication and subscriptions —
  /// signed for the venue time `venue_now`. They carry the API key and a signature,
  /// never the secret: do not log them. Errors: the signer's.
  [[nodiscard]] virtual Result<std::vector<std::string>> subscriptions(SystemTime venue_now) const = 0;
  /// Consumes one text frame into its events (none for pongs and events of no use; a
  /// frame may carry several). Errors: the venue's for an error reply to our
  /// authentication or subscription (auth_failed, invalid_signature,
  /// timestamp_out_of_window, ...), protocol_error for a frame that does not parse.
  [[nodiscard]] virtual Result<std::vector<UserEvent>> on_message(std::string_view text) = 0;
};

}  // namespace cts::venue
