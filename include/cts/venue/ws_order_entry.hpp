#pragma once
/// \file
/// Order entry over a venue's WebSocket, sans-I/O: the unified protocol an order
/// transport drives over one connection dedicated to orders (Binance's WebSocket API,
/// Bybit's trade stream, OKX's private stream). Each venue whose capabilities say
/// `websocket_order_entry` implements WsOrderProtocol in its own folder, on its own frame
/// builders and reply parsers, and its Connector names the factory
/// (Connector::make_ws_orders). The protocol builds frames and reads frames; the caller
/// owns the connection, the rate limiter (WsOrderRequest names the quota the venue
/// charges), the timeouts, and the fallback to REST.
///
/// The outcome rule is the REST one: a create or cancel whose reply does not arrive
/// (timeout, the connection dropped after the frame was written) has an unknown outcome
/// and is resolved by querying the client order id before anything is retried.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue {

/// One request to write on the order connection.
struct WsOrderRequest {
  /// The request id the reply carries: what correlates the two. Unique among the
  /// requests in flight on the connection (the caller passes it to the builder).
  std::string id;
  /// The text frame to write.
  std::string frame;
  /// The quota the venue charges the request to, as the venue's rate policy names its
  /// REST endpoints ("POST /api/v3/order"): venues share the order and weight limits
  /// between REST and WebSocket order entry. The caller prices it like a Request.
  std::string_view rate_endpoint;
  /// Units of `rate_endpoint` the request costs (a batch charged per order); as
  /// Request::cost_times.
  std::uint32_t cost_times = 1;
};

/// The venue accepted the connection's login: orders may be sent.
struct WsOrderLoggedIn {};

/// The reply to the request `id`: the unified result the REST gateway's call of the same
/// operation would give (the venue's codes mapped the same way, the raw code kept).
struct WsOrderReply {
  std::string id;               ///< The request's id.
  Result<OrderReport> outcome;  ///< The order as the venue reports it, or the venue's refusal.
  /// The venue's report of its rate-limit usage after the request, written as the REST
  /// response its rate policy reads (the reply's status, the usage headers; no body), for
  /// the caller to feed to the limiter as it feeds a REST response's; empty when the
  /// reply reports none. Binance: `rateLimits` as X-MBX-USED-WEIGHT-1M and
  /// X-MBX-ORDER-COUNT-10S/-1D, with the reply's status (429, 418).
  std::optional<HttpResponse> usage;
};

/// A frame that answers no request and changes nothing (a pong, a notice, a rate-limit
/// report the venue pushes).
struct WsOrderIgnored {};

/// What one received frame is.
using WsOrderEvent = std::variant<WsOrderLoggedIn, WsOrderReply, WsOrderIgnored>;

/// The sans-I/O order-entry protocol of one venue market. Thread-compatible: one thread
/// calls it. A protocol may keep per-connection state (reset by on_connected()).
class WsOrderProtocol {
 public:
  virtual ~WsOrderProtocol() = default;

  /// The application-level ping to send when the connection is quiet (OKX: "ping");
  /// empty when WebSocket ping frames are enough.
  [[nodiscard]] virtual std::string_view application_ping() const noexcept { return {}; }

  /// The URL of this market's order entry given the URL of its private stream
  /// (`private_stream_url`: what an engine is configured with when it names no order
  /// URL). The same URL by default: Binance's WebSocket API and OKX's private stream take
  /// orders. A venue that serves order entry on a path of its own returns that URL (Bybit:
  /// `/v5/trade` beside `/v5/private`), or empty when it cannot tell (orders then go over
  /// REST unless an order URL is configured).
  [[nodiscard]] virtual std::string order_url(std::string_view private_stream_url) const {
    return std::string(private_stream_url);
  }

  /// Called after every (re)connect, before anything is sent: forgets the previous
  /// connection's login.
  virtual void on_connected() {}

  /// The frames to write first on a new connection, signed for `venue_now` (the venue's
  /// clock): a login or logon. Empty when every request is signed on its own; then
  /// orders may be sent at once. Errors: unsupported for a key that cannot log in
  /// (nothing may be sent over this protocol: use REST); the signer's.
  [[nodiscard]] virtual Result<std::vector<std::string>> login(SystemTime venue_now) = 0;

  /// True when login() returned frames and the venue has not yet accepted them on this
  /// connection (orders wait for WsOrderLoggedIn).
  [[nodiscard]] virtual bool awaiting_login() const noexcept = 0;

  /// The frame that places `order` as request `id`, signed for `venue_now` where the
  /// venue signs each request. Errors: invalid_argument for an order the venue's
  /// builder refuses (nothing to send; the same checks as REST); unsupported for an
  /// order kind this transport does not carry (send it over REST).
  [[nodiscard]] virtual Result<WsOrderRequest> create_order(const NewOrder& order, std::string_view id,
                                                            SystemTime venue_now) = 0;

  /// The frame that cancels `ref` as request `id`. Errors: as create_order.
  [[nodiscard]] virtual Result<WsOrderRequest> cancel_order(const OrderRef& ref, std::string_view id,
                                                            SystemTime venue_now) = 0;

  /// Classifies one received text frame. A login refusal is returned as the error
  /// (auth_failed or invalid_signature with the venue's code: the connection cannot
  /// carry orders). Errors: protocol_error for a frame that is not the venue's (malformed
  /// JSON, a reply without an id); the venue's mapped error for a reply that refuses the
  /// request as a whole is a WsOrderReply with that error, not an error here.
  [[nodiscard]] virtual Result<WsOrderEvent> on_message(std::string_view text) = 0;
};

}  // namespace cts::venue
