#include "cts/venue/pionex/stream_protocols.hpp"

#include <utility>
#include <variant>

#include "cts/venue/pionex/streams.hpp"

namespace cts::venue::pionex {

namespace {

/// Most working orders the private stream remembers; beyond, it forgets them all (their
/// fills then come by REST, as for orders it never saw).
constexpr std::size_t kMaxRememberedOrders = 10'000;

}  // namespace

std::string PublicMarketStream::answer(std::string_view text) const { return answer_ping(text); }

std::vector<std::string> PublicMarketStream::subscriptions() const {
  return {subscribe_frame("DEPTH", symbol_, kStreamDepth)};
}

Result<MarketChange> PublicMarketStream::on_message(std::string_view text) {
  Result<StreamFrame> frame = parse_stream_frame(text);
  if (!frame) return frame.error();
  auto* depth = std::get_if<DepthFrame>(&*frame);
  if (depth == nullptr || depth->symbol != symbol_) return MarketChange::none;
  if (Result<void> loaded = book_.load(depth->book); !loaded) return loaded.error();
  if (book_.crossed()) {
    reset();
    return MarketChange::gap;
  }
  synced_ = true;
  return MarketChange::book;
}

Result<MarketChange> PublicMarketStream::on_snapshot(const BookSnapshot& /*snapshot*/) {
  return make_error(ErrorCode::unsupported, "pionex sends whole books in the stream");
}

Result<std::unique_ptr<UserStreamProtocol>> PrivateUserStream::make(const sign::Signer& signer) {
  const auto* pionex = dynamic_cast<const sign::PionexSigner*>(&signer);
  if (pionex == nullptr) return make_error(ErrorCode::invalid_argument, "the Pionex private stream needs a Pionex signer");
  return std::unique_ptr<UserStreamProtocol>(std::make_unique<PrivateUserStream>(*pionex));
}

std::string PrivateUserStream::answer(std::string_view text) const { return answer_ping(text); }

std::string PrivateUserStream::connection_target(std::string_view url_target) const {
  const std::string_view path = url_target.substr(0, url_target.find('?'));
  return std::string(path) + "?" + signer_.ws_auth_query(to_unix_millis(clock_()));
}

Result<std::vector<std::string>> PrivateUserStream::subscriptions(SystemTime /*venue_now*/) const {
  std::vector<std::string> frames;
  if (!symbol_.empty()) {
    frames.push_back(subscribe_frame("ORDER", symbol_));
    frames.push_back(subscribe_frame("FILL", symbol_));
  }
  frames.push_back(subscribe_frame("BALANCE", {}));
  return frames;
}

Result<std::vector<UserEvent>> PrivateUserStream::on_message(std::string_view text) {
  Result<StreamFrame> frame = parse_stream_frame(text);
  if (!frame) return frame.error();
  std::vector<UserEvent> events;
  if (auto* order = std::get_if<OrderFrame>(&*frame)) {
    if (is_final(order->order.status)) {
      working_.erase(order->order.order_id);
    } else {
      if (working_.size() >= kMaxRememberedOrders) working_.clear();
      working_[order->order.order_id] = order->order;
    }
    events.emplace_back(OrderUpdate{std::move(order->order), std::nullopt, order->timestamp, false, {}});
  } else if (auto* fill = std::get_if<FillFrame>(&*frame)) {
    auto known = working_.find(fill->fill.order_id);
    if (known != working_.end()) {
      Fill last{fill->fill.id, fill->fill.price, fill->fill.quantity, fill->fill.commission,
                fill->fill.commission_asset};
      events.emplace_back(OrderUpdate{known->second, std::move(last), fill->timestamp, false, {}});
    }
  } else if (auto* balance = std::get_if<BalanceFrame>(&*frame)) {
    events.emplace_back(BalancesUpdate{balance->timestamp, std::move(balance->balances)});
  }
  return events;
}

}  // namespace cts::venue::pionex
