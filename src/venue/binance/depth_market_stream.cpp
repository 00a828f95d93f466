#include "cts/venue/binance/depth_market_stream.hpp"

#include <utility>
#include <variant>

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

std::vector<std::string> streams_of(std::string_view symbol, const MarketStreamOptions& options) {
  std::vector<std::string> streams{depth_stream(symbol, options.fast_depth), book_ticker_stream(symbol)};
  if (options.aggregate_trades) streams.push_back(agg_trade_stream(symbol));
  return streams;
}

}  // namespace

DepthMarketStream::DepthMarketStream(std::string symbol, Market market, MarketStreamOptions options, std::string path)
    : symbol_(std::move(symbol)),
      options_(options),
      path_(std::move(path)),
      streams_(streams_of(symbol_, options_)),
      sync_(market) {}

std::vector<std::string> DepthMarketStream::subscriptions() const {
  return {subscribe_frame(streams_, options_.subscribe_id)};
}

Result<MarketChange> DepthMarketStream::on_message(std::string_view text) {
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
  if (auto* trade = std::get_if<TradeEvent>(&*parsed)) {
    if (trade->symbol == symbol_ && (!last_trade_ || trade->trade.time_ms >= last_trade_->time_ms)) {
      last_trade_ = std::move(trade->trade);
    }
    return MarketChange::none;
  }
  return MarketChange::none;  // other events
}

Result<MarketChange> DepthMarketStream::on_snapshot(const BookSnapshot& snapshot) {
  Result<SyncStatus> status = sync_.on_snapshot(snapshot);
  if (!status) return status.error();
  return change_of(*status);
}

void DepthMarketStream::reset() {
  sync_.reset();
  ticker_.reset();
  last_trade_.reset();
}

}  // namespace cts::venue::binance
