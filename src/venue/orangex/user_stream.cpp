// OrangeX's private stream: the WebSocket login, the user channels, and their events.
#include "cts/venue/orangex/user_stream.hpp"

#include <utility>
#include <variant>

#include "cts/venue/orangex/requests.hpp"

namespace cts::venue::orangex {

namespace {

/// Most working orders the private stream remembers; beyond, it forgets them all (their
/// fills then come by REST, as for orders it never saw).
constexpr std::size_t kMaxRememberedOrders = 10'000;

}  // namespace

Result<std::unique_ptr<UserStreamProtocol>> PrivateUserStream::make(const sign::Signer& signer) {
  const auto* orangex = dynamic_cast<const sign::OrangexSigner*>(&signer);
  if (orangex == nullptr) {
    return make_error(ErrorCode::invalid_argument, "the OrangeX private stream needs an OrangeX signer");
  }
  return std::unique_ptr<UserStreamProtocol>(std::make_unique<PrivateUserStream>(*orangex));
}

Result<std::vector<std::string>> PrivateUserStream::subscriptions(SystemTime venue_now) const {
  return std::vector<std::string>{auth_frame(kStreamAuthCallId, signer_, venue_now)};
}

std::vector<std::string> PrivateUserStream::after_authentication() const {
  std::vector<std::string> channels;
  if (!symbol_.empty()) {
    channels.push_back(user_orders_channel(symbol_));
    channels.push_back(user_trades_channel(symbol_));
  }
  channels.push_back(user_portfolio_channel(currency_));
  return {subscribe_frame(kStreamSubscribeCallId, "/private/subscribe", channels)};
}

Result<std::vector<UserEvent>> PrivateUserStream::on_message(std::string_view text) {
  Result<StreamFrame> frame = parse_stream_frame(text);
  if (!frame) return frame.error();
  std::vector<UserEvent> events;
  if (const auto* reply = std::get_if<CallReply>(&*frame)) {
    if (reply->error) return *reply->error;
    if (reply->id == kStreamAuthCallId) events.emplace_back(UserAuthenticated{});
    if (reply->id == kStreamSubscribeCallId) events.emplace_back(UserSubscribed{});
  } else if (auto* orders = std::get_if<OrdersEvent>(&*frame)) {
    for (OrderReport& order : orders->orders) {
      if (is_final(order.status)) {
        working_.erase(order.order_id);
      } else {
        if (working_.size() >= kMaxRememberedOrders) working_.clear();
        working_[order.order_id] = order;
      }
      const std::int64_t time_ms = order.time_ms;
      events.emplace_back(OrderUpdate{std::move(order), std::nullopt, time_ms, false, {}});
    }
  } else if (const auto* trades = std::get_if<TradesEvent>(&*frame)) {
    for (const AccountTrade& trade : trades->trades) {
      auto known = working_.find(trade.order_id);
      if (known == working_.end()) continue;
      Fill last{trade.id, trade.price, trade.quantity, trade.commission, trade.commission_asset};
      events.emplace_back(OrderUpdate{known->second, std::move(last), trade.time_ms, false, trade.realized_pnl});
    }
  } else if (auto* portfolio = std::get_if<PortfolioEvent>(&*frame)) {
    events.emplace_back(BalancesUpdate{0, {std::move(portfolio->balance)}});
  }
  return events;
}

}  // namespace cts::venue::orangex
