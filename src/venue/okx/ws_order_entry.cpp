#include "cts/venue/okx/ws_order_entry.hpp"

#include <utility>

#include <fmt/format.h>

#include "cts/venue/acknowledged_order.hpp"
#include "cts/venue/cancel_outcome.hpp"
#include "cts/venue/okx/errors.hpp"
#include "cts/venue/okx/streams.hpp"

namespace cts::venue::okx {

Result<std::unique_ptr<WsOrderProtocol>> WsOrderEntry::make(const sign::Signer& signer, Gateway& gateway,
                                                            const GatewaySettings& /*settings*/) {
  const auto* okx_signer = dynamic_cast<const sign::OkxSigner*>(&signer);
  if (okx_signer == nullptr) {
    return make_error(ErrorCode::unsupported, "okx WebSocket order entry needs an OKX signer");
  }
  const auto* okx_gateway = dynamic_cast<const V5Gateway*>(&gateway);
  if (okx_gateway == nullptr) {
    return make_error(ErrorCode::unsupported, "okx WebSocket order entry needs the OKX gateway of its connection");
  }
  return std::unique_ptr<WsOrderProtocol>(std::make_unique<WsOrderEntry>(*okx_signer, *okx_gateway));
}

void WsOrderEntry::on_connected() {
  awaiting_login_ = false;
  requests_.clear();
}

Result<std::vector<std::string>> WsOrderEntry::login(SystemTime venue_now) {
  awaiting_login_ = true;
  return std::vector<std::string>{signer_.ws_login_frame(to_unix_millis(venue_now) / 1000)};
}

Result<void> WsOrderEntry::check_code(std::string_view symbol) const {
  if (gateway_.inst_id_codes().find(symbol)) return {};
  return make_error(ErrorCode::unsupported,
                    fmt::format("okx ws: no instIdCode is known for {} (the gateway has not read the instrument, or "
                                "OKX lists none): the order goes over REST",
                                symbol));
}

Result<WsOrderRequest> WsOrderEntry::record(Result<WsOrderFrame> frame, std::variant<NewOrder, OrderRef> request) {
  if (!frame) return frame.error();
  requests_.insert_or_assign(frame->id, std::move(request));
  WsOrderRequest out;
  out.id = std::move(frame->id);
  out.frame = std::move(frame->text);
  out.rate_endpoint = frame->rate_endpoint;
  out.cost_times = 1;
  return out;
}

Result<WsOrderRequest> WsOrderEntry::create_order(const NewOrder& order, std::string_view id,
                                                  SystemTime /*venue_now*/) {
  if (Result<void> known = check_code(order.symbol); !known) return known.error();
  return record(ws_place_order(id, gateway_.inst_type(), order, gateway_.trade_mode(), gateway_.inst_id_codes()),
                order);
}

Result<WsOrderRequest> WsOrderEntry::cancel_order(const OrderRef& ref, std::string_view id, SystemTime /*venue_now*/) {
  if (Result<void> known = check_code(ref.symbol); !known) return known.error();
  return record(ws_cancel_order(id, gateway_.inst_type(), ref, gateway_.inst_id_codes()), ref);
}

Result<WsOrderEvent> WsOrderEntry::on_message(std::string_view text) {
  Result<WsOrderReply> reply = parse_ws_order_reply(text);
  if (!reply) {
    // Not a reply: the login's answer, an error or a notice.
    Result<StreamEvent> event = parse_stream_event(text);
    if (!event) return reply.error();
    const auto* answer = std::get_if<EventReply>(&*event);
    if (answer == nullptr) return WsOrderEvent{WsOrderIgnored{}};
    if (answer->event == "error") {
      return code_error(static_cast<long>(answer->code), answer->message, Operation::read);
    }
    if (answer->event == "login" && answer->code == 0) {
      awaiting_login_ = false;
      return WsOrderEvent{WsOrderLoggedIn{}};
    }
    return WsOrderEvent{WsOrderIgnored{}};
  }
  auto answer = [&](Result<OrderReport> outcome) {
    return WsOrderEvent{venue::WsOrderReply{reply->id, std::move(outcome), std::nullopt}};
  };
  const auto request = requests_.find(reply->id);
  if (request == requests_.end()) {
    return answer(make_error(ErrorCode::protocol_error,
                             fmt::format("okx ws: a reply to {} matches no request of this connection", reply->id)));
  }
  const std::variant<NewOrder, OrderRef> sent = std::move(request->second);
  requests_.erase(request);
  const WsOrderOp expected = std::holds_alternative<NewOrder>(sent) ? WsOrderOp::order : WsOrderOp::cancel_order;
  if (reply->op != expected) {
    return answer(
        make_error(ErrorCode::protocol_error, fmt::format("okx ws: request {} was {}, the reply is {}", reply->id,
                                                          to_string(expected), to_string(reply->op))));
  }
  Result<OrderAck> ack = ws_order_ack(*reply);
  if (!ack) return answer(ack.error());
  if (const auto* order = std::get_if<NewOrder>(&sent)) return answer(acknowledged_order(*order, std::move(*ack)));
  const OrderRef& ref = std::get<OrderRef>(sent);
  return answer(accepted_cancel_report(
      ref, acknowledged_ref(ref, *ack), *ack,
      make_error(ErrorCode::unsupported, "the order's state is not queried over the WebSocket")));
}

}  // namespace cts::venue::okx
