#include "cts/venue/bybit/stream_protocols.hpp"

#include <array>
#include <span>
#include <utility>
#include <variant>

#include <fmt/format.h>

#include "cts/venue/bybit/streams.hpp"

namespace cts::venue::bybit {

namespace {

constexpr std::string_view kBookRequestId = "cts-book";
constexpr std::string_view kPrivateRequestId = "cts-private";

}  // namespace

PublicMarketStream::PublicMarketStream(std::string symbol, Category category, int depth)
    : symbol_(std::move(symbol)), category_(category), topic_(orderbook_topic(depth, symbol_)) {}

std::string PublicMarketStream::path() const { return fmt::format("/v5/public/{}", to_string(category_)); }

std::vector<std::string> PublicMarketStream::subscriptions() const {
  const std::array<std::string, 1> topics{topic_};
  return {subscribe_frame(topics, kBookRequestId)};
}

Result<MarketChange> PublicMarketStream::on_message(std::string_view text) {
  Result<StreamEvent> parsed = parse_stream_event(text);
  if (!parsed) return parsed.error();
  if (auto* update = std::get_if<BookUpdate>(&*parsed)) {
    if (update->symbol != symbol_) return MarketChange::none;
    Result<BookSyncStatus> status = sync_.on_update(*update);
    if (!status) return status.error();
    switch (*status) {
      case BookSyncStatus::applied: return MarketChange::book;
      case BookSyncStatus::ignored_stale: return MarketChange::none;
      case BookSyncStatus::resync_needed: return MarketChange::gap;
    }
    return MarketChange::none;
  }
  if (auto* reply = std::get_if<OpReply>(&*parsed)) {
    if (reply->op != "subscribe" || reply->req_id != kBookRequestId) return MarketChange::none;
    if (!reply->success) {
      return make_error(ErrorCode::invalid_argument, fmt::format("bybit refused the subscription: {}", reply->message));
    }
    return MarketChange::subscribed;
  }
  return MarketChange::none;
}

Result<MarketChange> PublicMarketStream::on_snapshot(const BookSnapshot& /*snapshot*/) {
  return make_error(ErrorCode::unsupported, "bybit sends its order book snapshots in the stream");
}

Result<std::unique_ptr<UserStreamProtocol>> PrivateUserStream::make(const sign::Signer& signer, Category category) {
  const auto* bybit = dynamic_cast<const sign::BybitSigner*>(&signer);
  if (bybit == nullptr) {
    return make_error(ErrorCode::invalid_argument, "the Bybit private stream needs a Bybit signer");
  }
  return std::unique_ptr<UserStreamProtocol>(std::make_unique<PrivateUserStream>(*bybit, category));
}

Result<std::vector<std::string>> PrivateUserStream::subscriptions(SystemTime venue_now) const {
  const std::array<std::string, 3> topics{"order", "wallet", "position"};
  const std::size_t count = category_ == Category::linear ? 3 : 2;
  return std::vector<std::string>{signer_.ws_auth_frame(to_unix_millis(venue_now) + kAuthExpiryMs),
                                  subscribe_frame(std::span(topics.data(), count), kPrivateRequestId)};
}

Result<std::vector<UserEvent>> PrivateUserStream::on_message(std::string_view text) {
  Result<StreamEvent> parsed = parse_stream_event(text);
  if (!parsed) return parsed.error();
  std::vector<UserEvent> events;
  if (auto* reply = std::get_if<OpReply>(&*parsed)) {
    if (reply->op == "auth" && !reply->success) {
      return make_error(ErrorCode::auth_failed, fmt::format("bybit refused the stream's auth: {}", reply->message));
    }
    if (reply->op == "subscribe" && reply->req_id == kPrivateRequestId) {
      if (!reply->success) {
        return make_error(ErrorCode::invalid_argument,
                          fmt::format("bybit refused the private subscription: {}", reply->message));
      }
      events.emplace_back(UserSubscribed{});
    }
  } else if (auto* orders = std::get_if<OrdersUpdate>(&*parsed)) {
    for (OrderReport& order : orders->orders) {
      OrderUpdate update;
      update.event_time_ms = order.time_ms;
      update.order = std::move(order);
      events.emplace_back(std::move(update));
    }
  } else if (auto* wallet = std::get_if<WalletUpdate>(&*parsed)) {
    events.emplace_back(BalancesUpdate{0, std::move(wallet->balances)});
  } else if (auto* positions = std::get_if<PositionsUpdate>(&*parsed); positions && category_ == Category::linear) {
    cts::venue::PositionsUpdate update;
    update.event_time_ms = positions->time_ms;
    for (StreamPosition& entry : positions->positions) {
      if (entry.category == to_string(Category::linear)) update.positions.push_back(std::move(entry.position));
    }
    if (!update.positions.empty()) events.emplace_back(std::move(update));
  }
  return events;
}

}  // namespace cts::venue::bybit
