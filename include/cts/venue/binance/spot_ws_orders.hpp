#pragma once
/// \file
/// Binance spot's order entry over the WebSocket API (ws_api.hpp) on the venue seam:
/// SpotWsOrders implements venue::WsOrderProtocol. With an HMAC key every request is
/// signed on its own and login() sends nothing; with an Ed25519 key login() sends
/// session.logon, and once the venue accepts it requests carry their timestamp alone
/// (requests made before then are signed on their own with the Ed25519 key). Orders are
/// priced as their REST endpoints ("POST /api/v3/order", "DELETE /api/v3/order"): the
/// WebSocket API shares REST's request-weight and order-count limits.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/result.hpp"
#include "cts/sign/binance.hpp"
#include "cts/sign/signer.hpp"
#include "cts/venue/binance/ws_api.hpp"
#include "cts/venue/gateway.hpp"
#include "cts/venue/registry.hpp"
#include "cts/venue/ws_order_entry.hpp"

namespace cts::venue::binance {

/// See the file comment. Thread-compatible (one thread drives it), as WsOrderProtocol.
class SpotWsOrders final : public WsOrderProtocol {
 public:
  /// Signing every request with `signer` (which must outlive it).
  explicit SpotWsOrders(const sign::BinanceHmacSigner& signer);
  /// Logging each connection on with `signer` (which must outlive it); the logon
  /// requests' ids are "<logon_id_prefix>-<n>".
  explicit SpotWsOrders(const sign::BinanceEd25519Signer& signer, std::string logon_id_prefix = "cts-logon");

  /// The protocol for `signer` (Connector::make_ws_orders; the gateway and settings are
  /// not needed). Errors: unsupported for a key that is neither HMAC nor Ed25519 (orders
  /// then go over REST).
  static Result<std::unique_ptr<WsOrderProtocol>> make(const sign::Signer& signer, Gateway& gateway,
                                                       const GatewaySettings& settings);

  /// Forgets the previous connection's session.
  void on_connected() override;
  /// HMAC: none. Ed25519: one session.logon signed for `venue_now`, with a new id.
  [[nodiscard]] Result<std::vector<std::string>> login(SystemTime venue_now) override;
  /// True between login() with an Ed25519 key and the venue's reply.
  [[nodiscard]] bool awaiting_login() const noexcept override { return awaiting_login_; }
  /// order.place of `order` as request `id`, charged as "POST /api/v3/order". Errors:
  /// invalid_argument for a bad id or an order spot::new_order() refuses; the signer's.
  [[nodiscard]] Result<WsOrderRequest> create_order(const NewOrder& order, std::string_view id,
                                                    SystemTime venue_now) override;
  /// order.cancel of `ref` as request `id`, charged as "DELETE /api/v3/order". Errors:
  /// as create_order().
  [[nodiscard]] Result<WsOrderRequest> cancel_order(const OrderRef& ref, std::string_view id,
                                                    SystemTime venue_now) override;
  /// The logon reply → WsOrderLoggedIn, or its refusal as the error; an event → ignored;
  /// a refusal with a null id (the venue revoked the session: -2015) → the error; any
  /// other reply → WsOrderReply with the order or the mapped refusal (as the REST
  /// gateway's). Errors: protocol_error for a frame that does not parse.
  [[nodiscard]] Result<WsOrderEvent> on_message(std::string_view text) override;

 private:
  Result<WsOrderRequest> request(Result<ws_api::Call> call, std::string_view id, SystemTime venue_now);

  const sign::BinanceHmacSigner* hmac_ = nullptr;
  const sign::BinanceEd25519Signer* ed25519_ = nullptr;
  std::string logon_id_prefix_;
  std::string logon_id_;
  std::uint64_t logons_ = 0;
  bool awaiting_login_ = false;
  bool logged_in_ = false;
};

}  // namespace cts::venue::binance
