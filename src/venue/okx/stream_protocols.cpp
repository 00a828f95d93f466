#include "cts/venue/okx/stream_protocols.hpp"

#include <array>
#include <span>
#include <utility>
#include <variant>

#include <fmt/format.h>

#include "cts/venue/okx/errors.hpp"
#include "cts/venue/okx/streams.hpp"

namespace cts::venue::okx {

namespace {

/// The error an `error` event reports.
Error event_error(const EventReply& reply) {
  return code_error(static_cast<long>(reply.code), reply.message, Operation::read);
}

}  // namespace

std::vector<std::string> PublicMarketStream::subscriptions() const {
  const std::array<ChannelArg, 2> args{ChannelArg{"books", inst_id_, {}}, ChannelArg{"bbo-tbt", inst_id_, {}}};
  return {subscribe_frame(std::span(args.data(), best_bid_ask_ ? 2 : 1))};
}

Result<MarketChange> PublicMarketStream::on_message(std::string_view text) {
  Result<StreamEvent> parsed = parse_stream_event(text);
  if (!parsed) return parsed.error();
  if (auto* update = std::get_if<BookUpdate>(&*parsed)) {
    if (update->inst_id != inst_id_) return MarketChange::none;
    if (update->channel == "books") {
      Result<BookSyncStatus> status = sync_.on_update(*update);
      if (!status) return status.error();
      return *status == BookSyncStatus::applied ? MarketChange::book : MarketChange::gap;
    }
    if (update->channel != "bbo-tbt" || update->book.bids.empty() || update->book.asks.empty()) {
      return MarketChange::none;
    }
    BookTicker& top = ticker_.emplace();
    top.symbol = inst_id_;
    top.update_id = update->book.last_update_id;
    top.bid_price = update->book.bids.front().price;
    top.bid_quantity = update->book.bids.front().quantity;
    top.ask_price = update->book.asks.front().price;
    top.ask_quantity = update->book.asks.front().quantity;
    return MarketChange::ticker;
  }
  if (auto* reply = std::get_if<EventReply>(&*parsed)) {
    if (reply->event == "error") return event_error(*reply);
    if (reply->event == "subscribe" && reply->channel == "books") return MarketChange::subscribed;
  }
  return MarketChange::none;
}

Result<MarketChange> PublicMarketStream::on_snapshot(const BookSnapshot& /*snapshot*/) {
  return make_error(ErrorCode::unsupported, "okx sends its order book snapshots in the stream");
}

Result<std::unique_ptr<UserStreamProtocol>> PrivateUserStream::make(const sign::Signer& signer, InstType type) {
  const auto* okx = dynamic_cast<const sign::OkxSigner*>(&signer);
  if (okx == nullptr) return make_error(ErrorCode::invalid_argument, "the OKX private stream needs an OKX signer");
  return std::unique_ptr<UserStreamProtocol>(std::make_unique<PrivateUserStream>(*okx, type));
}

Result<std::vector<std::string>> PrivateUserStream::subscriptions(SystemTime venue_now) const {
  const std::int64_t seconds = to_unix_millis(venue_now) / 1000;
  return std::vector<std::string>{signer_.ws_login_frame(seconds)};
}

std::vector<std::string> PrivateUserStream::after_authentication() const {
  const std::string_view type = to_string(type_);
  const std::array<ChannelArg, 3> args{ChannelArg{"orders", {}, type}, ChannelArg{"account", {}, {}},
                                       ChannelArg{"positions", {}, type}};
  const std::size_t count = type_ == InstType::swap ? 3 : 2;
  return {subscribe_frame(std::span(args.data(), count))};
}

Result<std::vector<UserEvent>> PrivateUserStream::on_message(std::string_view text) {
  Result<StreamEvent> parsed = parse_stream_event(text);
  if (!parsed) return parsed.error();
  std::vector<UserEvent> events;
  if (auto* reply = std::get_if<EventReply>(&*parsed)) {
    if (reply->event == "error") return event_error(*reply);
    if (reply->event == "login" && reply->code == 0) events.emplace_back(UserAuthenticated{});
    if (reply->event == "subscribe" && reply->channel == "orders") events.emplace_back(UserSubscribed{});
  } else if (auto* orders = std::get_if<OrdersUpdate>(&*parsed)) {
    for (OrderUpdate& update : orders->orders) events.emplace_back(std::move(update));
  } else if (auto* balances = std::get_if<BalancesUpdate>(&*parsed)) {
    events.emplace_back(std::move(*balances));
  } else if (auto* positions = std::get_if<PositionsUpdate>(&*parsed);
             positions != nullptr && type_ == InstType::swap && !positions->positions.empty()) {
    events.emplace_back(std::move(*positions));
  }
  return events;
}

}  // namespace cts::venue::okx
