#pragma once
/// \file
/// OKX v5's venue::WsOrderProtocol: order entry on the private stream (`/ws/v5/private`,
/// the URL the private stream uses) after the same signed `login` op, creates and
/// cancels as the `order` and `cancel-order` ops of ws_orders.hpp, the instrument named by
/// the instIdCode the connection's V5Gateway read with the instrument (the session reads
/// it at open). Replies map as the REST ones: a create's acknowledgement is the report
/// V5Gateway::create_order gives (acknowledged_order: pending_new), a cancel's is the
/// pending_cancel report of an accepted cancel (the order's final state comes from the
/// private stream or the next sync; REST's cancel queries it at once), refusals carry
/// the item's sCode mapped by errors.hpp. Keep-alive: the text `ping`.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cts/core/result.hpp"
#include "cts/sign/okx.hpp"
#include "cts/venue/okx/gateway.hpp"
#include "cts/venue/okx/streams.hpp"
#include "cts/venue/okx/ws_orders.hpp"
#include "cts/venue/registry.hpp"
#include "cts/venue/ws_order_entry.hpp"

namespace cts::venue::okx {

/// See the file comment. Not thread-safe (one caller, as WsOrderProtocol says).
class WsOrderEntry final : public WsOrderProtocol {
 public:
  /// Logging in with `signer`, naming instruments by the codes `gateway` has read and
  /// trading its tdMode; both must outlive the protocol.
  WsOrderEntry(const sign::OkxSigner& signer, const V5Gateway& gateway) : signer_(signer), gateway_(gateway) {}

  /// The registry's factory (Connector::make_ws_orders): `signer` must be an OKX signer
  /// and `gateway` the connector's V5Gateway (`settings` are the gateway's already: its
  /// tdMode; demo trading is a URL of its own on the WebSocket). Errors: unsupported
  /// for any other signer or gateway.
  static Result<std::unique_ptr<WsOrderProtocol>> make(const sign::Signer& signer, Gateway& gateway,
                                                       const GatewaySettings& settings);

  [[nodiscard]] std::string_view application_ping() const noexcept override { return kPingFrame; }
  /// Forgets the previous connection's login and requests (their replies cannot come
  /// on a new connection).
  void on_connected() override;
  /// The `login` frame for `venue_now` in Unix seconds (it carries the API key, the
  /// passphrase and the signature: never log it).
  [[nodiscard]] Result<std::vector<std::string>> login(SystemTime venue_now) override;
  [[nodiscard]] bool awaiting_login() const noexcept override { return awaiting_login_; }
  /// The `order` frame. Errors: unsupported when no instIdCode is known for the symbol
  /// (the gateway has not read it: REST carries the order); ws_place_order()'s otherwise
  /// (invalid_argument: id, order fields).
  [[nodiscard]] Result<WsOrderRequest> create_order(const NewOrder& order, std::string_view id,
                                                    SystemTime venue_now) override;
  /// The `cancel-order` frame (ordId when the reference has one, else clOrdId). Errors as
  /// create_order.
  [[nodiscard]] Result<WsOrderRequest> cancel_order(const OrderRef& ref, std::string_view id,
                                                    SystemTime venue_now) override;
  /// `pong`, notices and other events → WsOrderIgnored; the login reply with code 0 →
  /// WsOrderLoggedIn; an `error` event → its code mapped (60005, 60009, 60024
  /// auth_failed; 60007 invalid_signature; 60004 timestamp_out_of_window; ...); a reply to
  /// a request of this connection → WsOrderReply with the report (see the file comment) or
  /// the refusal, and a reply that does not match its request (another op, another item
  /// count) or matches none → WsOrderReply with protocol_error. Errors: protocol_error for
  /// a frame that is neither a reply nor an event.
  [[nodiscard]] Result<WsOrderEvent> on_message(std::string_view text) override;

 private:
  /// Records `frame` as the request `request` under its id (a frame built again under
  /// the same id replaces it) and wraps it.
  Result<WsOrderRequest> record(Result<WsOrderFrame> frame, std::variant<NewOrder, OrderRef> request);
  /// unsupported when no code is known for `symbol`.
  [[nodiscard]] Result<void> check_code(std::string_view symbol) const;

  const sign::OkxSigner& signer_;
  const V5Gateway& gateway_;
  bool awaiting_login_ = false;
  // The requests built on this connection and not yet answered, by id.
  std::map<std::string, std::variant<NewOrder, OrderRef>, std::less<>> requests_;
};

}  // namespace cts::venue::okx
