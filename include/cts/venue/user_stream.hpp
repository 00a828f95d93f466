#pragma once
/// \file
/// venue::UserStreamProtocol: one venue's private WebSocket protocol for an account's
/// orders, balances and positions, sans-I/O — the frames that authenticate and
/// subscribe (signed when they are made, or naming the listen key the owner obtained
/// through Gateway::open_user_stream_key where the venue's capabilities say
/// PrivateStreamLogin::listen_key), and each received frame classified into unified
/// events. The engine's UserStream drives one through a WebSocket client and never
/// names a venue; each venue's folder provides its implementation, made by the registry.

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
  Decimal realized_pnl;            ///< Derivatives: the venue's realised PnL of last_fill; 0 otherwise.
};

/// The venue acknowledged the subscription: from now on events arrive (earlier ones
/// are not replayed).
struct UserSubscribed {
  std::optional<std::int64_t> subscription_id;  ///< The venue's id for it, when it gives one.
};

/// The venue accepted the authentication sent by subscriptions(): the frames of
/// UserStreamProtocol::after_authentication() may be sent now.
struct UserAuthenticated {};

/// The new balances of the assets that changed.
struct BalancesUpdate {
  std::int64_t event_time_ms = 0;  ///< The venue's event time.
  std::vector<Balance> balances;   ///< Free and locked amounts after the change.
};

/// Derivatives: the positions that changed, as the venue reports them after the change.
struct PositionsUpdate {
  std::int64_t event_time_ms = 0;   ///< The venue's event time.
  std::vector<Position> positions;  ///< Each changed leg: signed size, entry price, ...
};

/// The venue ended the subscription (the owner connects again to subscribe anew; where
/// the venue uses listen keys, the key expired and a new one is needed first).
struct UserStreamEnded {};

/// One event of the private stream.
using UserEvent =
    std::variant<UserSubscribed, UserAuthenticated, OrderUpdate, BalancesUpdate, PositionsUpdate, UserStreamEnded>;

/// The private-stream protocol of one account. subscriptions() is thread-safe (a
/// WebSocket client's io thread calls it); on_message() is called by one thread.
class UserStreamProtocol {
 public:
  virtual ~UserStreamProtocol() = default;
  /// The text frame the venue wants as a keep-alive instead of WebSocket ping frames
  /// (Bybit's `{"op":"ping"}`); empty (the default): protocol pings.
  [[nodiscard]] virtual std::string_view application_ping() const noexcept { return {}; }
  /// The frame to send back at once in answer to the received `text` (see
  /// MarketStream::answer()); empty (the default) for no answer. Thread-safe and cheap.
  [[nodiscard]] virtual std::string answer(std::string_view text) const {
    (void)text;
    return {};
  }
  /// Names the venue symbol the owner trades, before the first connection: a venue whose
  /// order topics are per symbol (Pionex's ORDER and FILL) subscribes those of it. The
  /// default ignores it (the venue streams the whole account).
  virtual void follow_symbol(std::string_view venue_symbol) { (void)venue_symbol; }
  /// The frames to send after every (re)connect — authentication and subscriptions —
  /// signed for the venue time `venue_now`. They carry the API key and a signature,
  /// never the secret: do not log them. Errors: the signer's.
  [[nodiscard]] virtual Result<std::vector<std::string>> subscriptions(SystemTime venue_now) const = 0;
  /// The frames to send once on_message() reported UserAuthenticated on this
  /// connection: the subscriptions of a venue that refuses them until its login reply
  /// has been sent (OKX answers 60011 to a private subscribe read before the login
  /// completed). The default: none (subscriptions() sends everything at once).
  [[nodiscard]] virtual std::vector<std::string> after_authentication() const { return {}; }
  /// The request target (path and query) of the next connection, from the configured
  /// private-stream URL's own target `url_target`: a venue whose stream is named by its
  /// listen key in the URL puts the key here (then it carries a credential: do not log
  /// it). The default: `url_target`. Thread-safe.
  [[nodiscard]] virtual std::string connection_target(std::string_view url_target) const {
    return std::string(url_target);
  }
  /// True when opening the connection (on connection_target()) is the subscription: the
  /// stream is live once connected while a key is held, with no reply to wait for. False
  /// (the default): live once the venue acknowledges the subscriptions() frames.
  [[nodiscard]] virtual bool subscribed_by_connecting() const noexcept { return false; }
  /// Listen-key venues: the key the next connection uses (a new one replaces the old;
  /// connect again to use it). Thread-safe against subscriptions() and
  /// connection_target(). Errors:
  /// invalid_argument for a key the venue cannot have issued; unsupported (the default)
  /// for a venue that takes no key.
  [[nodiscard]] virtual Result<void> set_stream_key(std::string key) {
    (void)key;
    return make_error(ErrorCode::unsupported, "the venue's private stream takes no listen key");
  }
  /// Consumes one text frame into its events (none for pongs and events of no use; a
  /// frame may carry several). Errors: the venue's for an error reply to our
  /// authentication or subscription (auth_failed, invalid_signature,
  /// timestamp_out_of_window, ...), protocol_error for a frame that does not parse.
  [[nodiscard]] virtual Result<std::vector<UserEvent>> on_message(std::string_view text) = 0;
};

}  // namespace cts::venue
