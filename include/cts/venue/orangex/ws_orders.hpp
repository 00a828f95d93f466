#pragma once
/// \file
/// OrangeX's venue::WsOrderProtocol: order entry as JSON-RPC calls on the WebSocket
/// (`/ws/api/v1`, the private stream's URL), the same calls the REST gateway POSTs.
///
/// The connection logs in with `/public/auth` grant_type client_signature, the frame of
/// auth_frame() (requests.hpp) the private stream sends, signed at the venue's clock;
/// orders wait for its result. A create is `/private/buy` or `/private/sell` (label: the
/// client order id), a cancel `/private/cancel` {order_id}, each the body of the REST
/// builder (new_order_request(), cancel_request()) under a JSON-RPC id of this protocol's
/// own (an integer, ascending over the protocol's life; the caller's request id is kept
/// beside it). A reply is matched by its `id` and read by the REST parsers
/// (parse_order_reply(), parse_order(): rpc.hpp's envelope, errors.hpp's map for a
/// mutation), so an answer reads as the REST gateway's: a create's report is the order
/// with the fills it took; a cancel's the cancelled order. Unlike REST, an order already
/// final (10010, 11044) is not queried here: the refusal is the answer. The venue charges
/// the calls to the REST limits: rate_endpoint is the method, as the rate policy names it.
///
/// A cancel that knows only the client order id is unsupported here (the REST gateway
/// finds the venue's id by label first): the official SDK shows no cancel by label.
///
/// Sources: the official SDK (OrangeX-Global/orangex-api-python, websocket_client.py)
/// shows the JSON-RPC envelope on the WebSocket, `/public/auth` sent on the connection
/// first and the `PING` heartbeat; it sends grant_type client_credentials there.
/// Assumed (Deribit's API, whose dialect OrangeX speaks; docs/venues.md): the
/// client_signature grant over the WebSocket, the trading methods over the WebSocket and
/// their replies being the REST ones.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/result.hpp"
#include "cts/sign/orangex.hpp"
#include "cts/venue/registry.hpp"
#include "cts/venue/ws_order_entry.hpp"

namespace cts::venue::orangex {

/// See the file comment. Thread-compatible, like every WsOrderProtocol.
class PrivateStreamOrders final : public WsOrderProtocol {
 public:
  /// How many requests are remembered for their replies: a request older than the last
  /// kMaxTracked built (never sent, or never answered) is forgotten, and its reply, should
  /// it come, is ignored.
  static constexpr std::size_t kMaxTracked = 64;

  /// Logging in with `signer`, which must outlive the protocol.
  explicit PrivateStreamOrders(const sign::OrangexSigner& signer) : signer_(signer) {}

  /// The registry's factory (Connector::make_ws_orders). Errors: unsupported when
  /// `signer` is not OrangeX's (orders then go over REST).
  static Result<std::unique_ptr<WsOrderProtocol>> make(const sign::Signer& signer, Gateway& gateway,
                                                       const GatewaySettings& settings);

  /// `PING` (the SDK's heartbeat, answered `PONG`).
  [[nodiscard]] std::string_view application_ping() const noexcept override;
  /// Forgets the login and the requests in flight (their replies cannot come any more).
  void on_connected() override;
  /// The `/public/auth` frame signed for `venue_now` (never log it). Never fails.
  [[nodiscard]] Result<std::vector<std::string>> login(SystemTime venue_now) override;
  [[nodiscard]] bool awaiting_login() const noexcept override { return awaiting_login_; }
  /// `/private/buy` or `/private/sell` for request `id`. Errors: new_order_request()'s
  /// (invalid_argument for a malformed order, unsupported for an order type other than
  /// limit and market).
  [[nodiscard]] Result<WsOrderRequest> create_order(const NewOrder& order, std::string_view id,
                                                    SystemTime venue_now) override;
  /// `/private/cancel` for request `id`. Errors: unsupported when `ref` has no venue
  /// order id (REST finds it by label); cancel_request()'s otherwise.
  [[nodiscard]] Result<WsOrderRequest> cancel_order(const OrderRef& ref, std::string_view id,
                                                    SystemTime venue_now) override;
  /// The login's reply: WsOrderLoggedIn, or its error mapped (13004 auth_failed, ...). The
  /// reply to a create or cancel in flight: WsOrderReply with the caller's id (see the
  /// file comment). `PONG`, notifications and replies to no request in flight:
  /// WsOrderIgnored. Errors: protocol_error for a frame that is not OrangeX's.
  [[nodiscard]] Result<WsOrderEvent> on_message(std::string_view text) override;

 private:
  // What a request in flight asked, to read its reply.
  struct Pending {
    std::string id;  // the caller's
    bool create = true;
  };
  // Registers the call `call_id` of request `id` built as `request`.
  Result<WsOrderRequest> track(std::int64_t call_id, std::string_view id, Result<Request> request, bool create);

  const sign::OrangexSigner& signer_;
  bool awaiting_login_ = false;
  std::int64_t next_call_id_ = 1;
  std::int64_t login_call_id_ = 0;                  // the last login's call id (0: none)
  std::map<std::int64_t, Pending> in_flight_;       // JSON-RPC id → request
  std::deque<std::int64_t> built_;                  // the last kMaxTracked call ids built, oldest first
};

}  // namespace cts::venue::orangex
