// OrangeX's order entry over the WebSocket: the REST calls' bodies as frames, their
// replies read by the REST parsers.
#include "cts/venue/orangex/ws_orders.hpp"

#include <utility>
#include <variant>


#include "cts/venue/orangex/replies.hpp"
#include "cts/venue/orangex/requests.hpp"
#include "cts/venue/orangex/streams.hpp"

namespace cts::venue::orangex {

Result<std::unique_ptr<WsOrderProtocol>> PrivateStreamOrders::make(const sign::Signer& signer, Gateway& /*gateway*/,
                                                                   const GatewaySettings& /*settings*/) {
  const auto* orangex = dynamic_cast<const sign::OrangexSigner*>(&signer);
  if (orangex == nullptr) {
    return make_error(ErrorCode::unsupported, "orangex WebSocket order entry needs an OrangeX signer");
  }
  return std::unique_ptr<WsOrderProtocol>(std::make_unique<PrivateStreamOrders>(*orangex));
}

std::string_view PrivateStreamOrders::application_ping() const noexcept { return kPingFrame; }

void PrivateStreamOrders::on_connected() {
  awaiting_login_ = false;
  login_call_id_ = 0;
  in_flight_.clear();
  built_.clear();
}

Result<std::vector<std::string>> PrivateStreamOrders::login(SystemTime venue_now) {
  awaiting_login_ = true;
  login_call_id_ = next_call_id_++;
  return std::vector<std::string>{auth_frame(login_call_id_, signer_, venue_now)};
}

Result<WsOrderRequest> PrivateStreamOrders::track(std::int64_t call_id, std::string_view id, Result<Request> request,
                                                  bool create) {
  if (!request) return request.error();
  in_flight_.insert_or_assign(call_id, Pending{std::string(id), create});
  built_.push_back(call_id);
  while (built_.size() > kMaxTracked) {
    in_flight_.erase(built_.front());
    built_.pop_front();
  }
  return WsOrderRequest{std::string(id), std::move(request->http.body), request->endpoint, 1};
}

Result<WsOrderRequest> PrivateStreamOrders::create_order(const NewOrder& order, std::string_view id,
                                                         SystemTime /*venue_now*/) {
  const std::int64_t call_id = next_call_id_++;
  return track(call_id, id, new_order_request(call_id, order), true);
}

Result<WsOrderRequest> PrivateStreamOrders::cancel_order(const OrderRef& ref, std::string_view id,
                                                         SystemTime /*venue_now*/) {
  if (!ref.order_id) {
    return make_error(ErrorCode::unsupported,
                      "orangex ws: a cancel by client order id goes over REST (it finds the order id by label)");
  }
  const std::int64_t call_id = next_call_id_++;
  return track(call_id, id, cancel_request(call_id, ref), false);
}

Result<WsOrderEvent> PrivateStreamOrders::on_message(std::string_view text) {
  Result<StreamFrame> frame = parse_stream_frame(text);
  if (!frame) return frame.error();
  const auto* reply = std::get_if<CallReply>(&*frame);
  if (reply == nullptr || !reply->id) return WsOrderEvent{WsOrderIgnored{}};
  if (login_call_id_ != 0 && *reply->id == login_call_id_) {
    if (reply->error) return *reply->error;
    awaiting_login_ = false;
    return WsOrderEvent{WsOrderLoggedIn{}};
  }
  const auto found = in_flight_.find(*reply->id);
  if (found == in_flight_.end()) return WsOrderEvent{WsOrderIgnored{}};
  const std::int64_t call_id = found->first;
  Pending pending = std::move(found->second);
  in_flight_.erase(found);
  const HttpResponse response{200, {}, std::string(text)};
  Result<OrderReport> outcome = pending.create ? parse_order_reply(response, call_id, Operation::mutation)
                                               : parse_order(response, call_id, Operation::mutation);
  return WsOrderEvent{WsOrderReply{std::move(pending.id), std::move(outcome), std::nullopt}};
}

}  // namespace cts::venue::orangex
