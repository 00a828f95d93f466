#include "cts/venue/binance/spot_streams.hpp"

#include <algorithm>
#include <utility>
#include <variant>

#include <fmt/format.h>

#include "cts/venue/binance/stream_frames.hpp"
#include "cts/venue/binance/streams.hpp"

namespace cts::venue::binance {

namespace {

MarketChange change_of(SyncStatus status) {
  switch (status) {
    case SyncStatus::applied: return MarketChange::book;
    case SyncStatus::stale_event: return MarketChange::none;
    case SyncStatus::resync_needed: return MarketChange::gap;
    case SyncStatus::buffered:
    case SyncStatus::snapshot_stale: return MarketChange::waiting;
  }
  return MarketChange::none;
}

}  // namespace

SpotMarketStream::SpotMarketStream(std::string symbol, SpotMarketStreamOptions options)
    : symbol_(std::move(symbol)),
      options_(options),
      streams_{depth_stream(symbol_, options_.fast_depth), book_ticker_stream(symbol_)},
      sync_(Market::spot) {}

std::vector<std::string> SpotMarketStream::subscriptions() const {
  return {subscribe_frame(streams_, options_.subscribe_id)};
}

Result<MarketChange> SpotMarketStream::on_message(std::string_view text) {
  Result<StreamEvent> parsed = parse_stream_event(text);
  if (!parsed) return parsed.error();
  if (auto* diff = std::get_if<DepthDiff>(&*parsed)) {
    if (diff->symbol != symbol_) return MarketChange::none;
    Result<SyncStatus> status = sync_.on_diff(*diff);
    if (!status) return status.error();
    return change_of(*status);
  }
  if (auto* ticker = std::get_if<BookTicker>(&*parsed)) {
    if (ticker->symbol != symbol_) return MarketChange::none;
    if (ticker_ && ticker->update_id < ticker_->update_id) return MarketChange::none;
    ticker_ = std::move(*ticker);
    return MarketChange::ticker;
  }
  if (auto* ack = std::get_if<SubscriptionAck>(&*parsed)) {
    return ack->id == std::to_string(options_.subscribe_id) ? MarketChange::subscribed : MarketChange::none;
  }
  return MarketChange::none;  // trades and other events
}

Result<MarketChange> SpotMarketStream::on_snapshot(const BookSnapshot& snapshot) {
  Result<SyncStatus> status = sync_.on_snapshot(snapshot);
  if (!status) return status.error();
  return change_of(*status);
}

void SpotMarketStream::reset() {
  sync_.reset();
  ticker_.reset();
}

SpotUserStream::SpotUserStream(const sign::BinanceHmacSigner& signer, std::string request_id_prefix)
    : signer_(signer), request_id_prefix_(std::move(request_id_prefix)) {}

Result<std::unique_ptr<UserStreamProtocol>> SpotUserStream::make(const sign::Signer& signer) {
  const auto* hmac = dynamic_cast<const sign::BinanceHmacSigner*>(&signer);
  if (hmac == nullptr) {
    return make_error(ErrorCode::unsupported,
                      "the Binance user data stream needs an HMAC key (WebSocket API parameter signing); fills are "
                      "found by REST");
  }
  return std::unique_ptr<UserStreamProtocol>(std::make_unique<SpotUserStream>(*hmac));
}

Result<std::vector<std::string>> SpotUserStream::subscriptions(SystemTime venue_now) const {
  const std::int64_t timestamp_ms = to_unix_millis(venue_now);
  // The timestamp is given, so the signer adds only the API key (and no recvWindow):
  // the signed text is exactly "apiKey=<key>&timestamp=<ms>".
  std::vector<std::pair<std::string, std::string>> params{{"timestamp", std::to_string(timestamp_ms)}};
  sign::SigningContext context;
  context.now = venue_now;
  Result<std::string> signature = signer_.sign_ws_params(params, context);
  if (!signature) return signature.error();
  const auto key = std::find_if(params.begin(), params.end(), [](const auto& p) { return p.first == "apiKey"; });
  if (key == params.end()) return make_error(ErrorCode::internal, "the signer added no apiKey parameter");
  const std::string request_id = fmt::format("{}-{}", request_id_prefix_, next_request_.fetch_add(1));
  Result<std::string> frame = user_data_subscribe_frame(request_id, key->second, timestamp_ms, *signature);
  if (!frame) return frame.error();
  return std::vector<std::string>{std::move(*frame)};
}

Result<std::vector<UserEvent>> SpotUserStream::on_message(std::string_view text) {
  Result<StreamEvent> parsed = parse_stream_event(text);
  if (!parsed) return parsed.error();
  std::vector<UserEvent> events;
  if (auto* ack = std::get_if<SubscriptionAck>(&*parsed)) {
    if (ack->subscription_id) events.emplace_back(UserSubscribed{ack->subscription_id});
  } else if (auto* update = std::get_if<binance::OrderUpdate>(&*parsed)) {
    venue::OrderUpdate unified;
    unified.order = std::move(update->order);
    unified.last_fill = std::move(update->last_fill);
    unified.event_time_ms = update->event_time_ms;
    unified.amended = update->execution == ExecutionType::replaced || update->execution == ExecutionType::amendment;
    events.emplace_back(std::move(unified));
  } else if (auto* position = std::get_if<AccountPosition>(&*parsed)) {
    events.emplace_back(BalancesUpdate{position->event_time_ms, std::move(position->balances)});
  } else if (std::holds_alternative<StreamTerminated>(*parsed)) {
    events.emplace_back(UserStreamEnded{});
  }
  return events;
}

}  // namespace cts::venue::binance
