#include "cts/venue/bybit/ws_orders.hpp"

#include <utility>
#include <variant>

#include <fmt/format.h>

#include "cts/venue/bybit/streams.hpp"
#include "cts/venue/bybit/trade_stream.hpp"
#include "cts/venue/cancel_outcome.hpp"

namespace cts::venue::bybit {

namespace {

/// Bybit's "repeat auth" (guideline.mdx): the connection is authenticated already.
constexpr long kRepeatAuth = 20001;

}  // namespace

Result<std::unique_ptr<WsOrderProtocol>> TradeStreamOrders::make(const sign::Signer& signer, Category category,
                                                                 const GatewaySettings& settings) {
  if (settings.demo) {
    return make_error(ErrorCode::unsupported, "bybit demo trading has no trade WebSocket: orders go over REST");
  }
  const auto* bybit = dynamic_cast<const sign::BybitSigner*>(&signer);
  if (bybit == nullptr) return make_error(ErrorCode::invalid_argument, "the Bybit trade stream needs a Bybit signer");
  return std::unique_ptr<WsOrderProtocol>(std::make_unique<TradeStreamOrders>(*bybit, category));
}

std::string_view TradeStreamOrders::application_ping() const noexcept { return kPingFrame; }

void TradeStreamOrders::on_connected() {
  awaiting_login_ = false;
  login_tag_.clear();
  in_flight_.clear();
  sent_order_.clear();
}

Result<std::vector<std::string>> TradeStreamOrders::login(SystemTime venue_now) {
  awaiting_login_ = true;
  login_tag_ = fmt::format("{:x}-", to_unix_millis(venue_now));
  return std::vector<std::string>{signer_.ws_auth_frame(to_unix_millis(venue_now) + kAuthExpiryMs)};
}

Result<std::string> TradeStreamOrders::req_id(std::string_view id) const {
  if (id.empty()) return make_error(ErrorCode::invalid_argument, "a trade-stream request needs an id");
  if (in_flight_.contains(id)) {
    return make_error(ErrorCode::invalid_argument, fmt::format("request id {} is already in flight", id));
  }
  std::string text = login_tag_ + std::string(id);
  if (auto r = detail::check_req_id(text); !r) return r.error();
  return text;
}

Result<WsOrderRequest> TradeStreamOrders::track(std::string_view id, Result<std::string> frame,
                                                std::string_view rate_endpoint, Pending pending) {
  if (!frame) return frame.error();
  in_flight_.emplace(std::string(id), std::move(pending));
  // A request built and never sent (rebuilt after a wait), or never answered on a live
  // connection, is forgotten once kMaxTracked newer ones were built.
  sent_order_.emplace_back(id);
  while (sent_order_.size() > kMaxTracked) {
    in_flight_.erase(sent_order_.front());
    sent_order_.pop_front();
  }
  return WsOrderRequest{std::string(id), std::move(*frame), rate_endpoint, 1};
}

Result<WsOrderRequest> TradeStreamOrders::create_order(const NewOrder& order, std::string_view id,
                                                       SystemTime venue_now) {
  Result<std::string> sent_id = req_id(id);
  if (!sent_id) return sent_id.error();
  const std::string_view endpoint =
      category_ == Category::spot ? "POST /v5/order/create (spot)" : "POST /v5/order/create (linear)";
  Result<std::string> frame = order_create_frame(category_, order, *sent_id, to_unix_millis(venue_now));
  return track(id, std::move(frame), endpoint, Pending{true, order, {}});
}

Result<WsOrderRequest> TradeStreamOrders::cancel_order(const OrderRef& ref, std::string_view id,
                                                       SystemTime venue_now) {
  Result<std::string> sent_id = req_id(id);
  if (!sent_id) return sent_id.error();
  Result<std::string> frame = order_cancel_frame(category_, ref, *sent_id, to_unix_millis(venue_now));
  return track(id, std::move(frame), "POST /v5/order/cancel", Pending{false, {}, ref});
}

Result<WsOrderEvent> TradeStreamOrders::on_message(std::string_view text) {
  Result<TradeReply> reply = parse_trade_reply(text);
  if (!reply) {
    // The private stream's auth reply ({"success":..,"op":"auth"}): the URL is /v5/private.
    const Result<StreamEvent> other = parse_stream_event(text);
    const auto* op = other ? std::get_if<OpReply>(&*other) : nullptr;
    if (op != nullptr && op->op == "auth") {
      return make_error(ErrorCode::unsupported,
                        "bybit answered in the private stream's format: orders go to the trade stream /v5/trade "
                        "(set ws_order_url to it)");
    }
    return reply.error();
  }
  if (reply->op == "auth") {
    if (reply->error && reply->error->venue_code != std::to_string(kRepeatAuth)) {
      const ErrorCode code =
          reply->error->code == ErrorCode::invalid_signature ? ErrorCode::invalid_signature : ErrorCode::auth_failed;
      return make_error(code, fmt::format("bybit refused the trade stream's auth: {}", reply->error->message),
                        reply->error->venue_code);
    }
    awaiting_login_ = false;
    return WsOrderEvent{WsOrderLoggedIn{}};
  }
  if (reply->op != "order.create" && reply->op != "order.cancel") return WsOrderEvent{WsOrderIgnored{}};
  if (reply->req_id.empty()) {
    return make_error(ErrorCode::protocol_error, fmt::format("bybit {} reply without a reqId", reply->op));
  }
  if (!reply->req_id.starts_with(login_tag_)) return WsOrderEvent{WsOrderIgnored{}};
  const auto found = in_flight_.find(std::string_view(reply->req_id).substr(login_tag_.size()));
  if (found == in_flight_.end()) return WsOrderEvent{WsOrderIgnored{}};
  Pending pending = std::move(found->second);
  WsOrderReply answer{found->first, make_error(ErrorCode::protocol_error, ""), std::nullopt};
  in_flight_.erase(found);
  if (reply->error) {
    answer.outcome = std::move(*reply->error);
  } else if (!reply->ack) {
    answer.outcome = make_error(ErrorCode::protocol_error, fmt::format("bybit {} reply without data", reply->op));
  } else if (pending.create) {
    answer.outcome = acknowledged_order(pending.order, std::move(*reply->ack));
  } else {
    // The cancel is accepted; its state is told by the order stream or a query.
    const OrderRef acknowledged = acknowledged_ref(pending.ref, *reply->ack);
    answer.outcome = accepted_cancel_report(pending.ref, acknowledged, *reply->ack,
                                            make_error(ErrorCode::unsupported, "not queried over the trade stream"));
  }
  return WsOrderEvent{std::move(answer)};
}

}  // namespace cts::venue::bybit
