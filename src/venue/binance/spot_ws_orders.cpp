#include "cts/venue/binance/spot_ws_orders.hpp"

#include <fmt/format.h>

namespace cts::venue::binance {

SpotWsOrders::SpotWsOrders(const sign::BinanceHmacSigner& signer) : hmac_(&signer) {}

SpotWsOrders::SpotWsOrders(const sign::BinanceEd25519Signer& signer, std::string logon_id_prefix)
    : ed25519_(&signer), logon_id_prefix_(std::move(logon_id_prefix)) {}

Result<std::unique_ptr<WsOrderProtocol>> SpotWsOrders::make(const sign::Signer& signer, Gateway& /*gateway*/,
                                                            const GatewaySettings& /*settings*/) {
  if (const auto* hmac = dynamic_cast<const sign::BinanceHmacSigner*>(&signer)) {
    return std::unique_ptr<WsOrderProtocol>(std::make_unique<SpotWsOrders>(*hmac));
  }
  if (const auto* ed25519 = dynamic_cast<const sign::BinanceEd25519Signer*>(&signer)) {
    return std::unique_ptr<WsOrderProtocol>(std::make_unique<SpotWsOrders>(*ed25519));
  }
  return make_error(ErrorCode::unsupported,
                    "Binance's WebSocket API takes HMAC or Ed25519 keys (RSA keys are not supported by cts); orders "
                    "go over REST");
}

void SpotWsOrders::on_connected() {
  awaiting_login_ = false;
  logged_in_ = false;
  logon_id_.clear();
}

Result<std::vector<std::string>> SpotWsOrders::login(SystemTime venue_now) {
  if (ed25519_ == nullptr) return std::vector<std::string>{};
  std::string id = fmt::format("{}-{}", logon_id_prefix_, ++logons_);
  Result<std::string> frame = ws_api::session_logon(id, *ed25519_, venue_now);
  if (!frame) return frame.error();
  logon_id_ = std::move(id);
  awaiting_login_ = true;
  logged_in_ = false;
  return std::vector<std::string>{std::move(*frame)};
}

Result<WsOrderRequest> SpotWsOrders::request(Result<ws_api::Call> call, std::string_view id, SystemTime venue_now) {
  if (!call) return call.error();
  const std::string_view endpoint = call->rate_endpoint;
  Result<std::string> frame = logged_in_   ? ws_api::session_frame(id, std::move(*call), venue_now, ed25519_->recv_window_ms())
                              : hmac_ != nullptr ? ws_api::signed_frame(id, std::move(*call), *hmac_, venue_now)
                                                 : ws_api::signed_frame(id, std::move(*call), *ed25519_, venue_now);
  if (!frame) return frame.error();
  return WsOrderRequest{std::string(id), std::move(*frame), endpoint, 1};
}

Result<WsOrderRequest> SpotWsOrders::create_order(const NewOrder& order, std::string_view id, SystemTime venue_now) {
  return request(ws_api::place_order(order), id, venue_now);
}

Result<WsOrderRequest> SpotWsOrders::cancel_order(const OrderRef& ref, std::string_view id, SystemTime venue_now) {
  return request(ws_api::cancel_order(ref), id, venue_now);
}

Result<WsOrderEvent> SpotWsOrders::on_message(std::string_view text) {
  Result<ws_api::Reply> reply = ws_api::parse_reply(text);
  if (!reply) return reply.error();
  if (reply->event) return WsOrderEvent{WsOrderIgnored{}};
  if (!logon_id_.empty() && reply->id == logon_id_) {
    awaiting_login_ = false;
    if (reply->status != 200) return ws_api::reply_error(*reply, Operation::read);
    logged_in_ = true;
    return WsOrderEvent{WsOrderLoggedIn{}};
  }
  if (reply->id.empty()) {
    if (reply->status != 200) return ws_api::reply_error(*reply, Operation::read);
    return WsOrderEvent{WsOrderIgnored{}};
  }
  WsOrderReply order_reply{std::move(reply->id), ws_api::order_outcome(*reply, Operation::mutation), std::nullopt};
  HttpResponse usage;
  usage.status = reply->status;
  if (ws_api::usage_headers(*reply, usage) > 0 || reply->status == 429 || reply->status == 418) {
    order_reply.usage = std::move(usage);
  }
  return WsOrderEvent{std::move(order_reply)};
}

}  // namespace cts::venue::binance
