#include "cts/engine/market_feed.hpp"

#include <string>
#include <variant>

#include "cts/venue/binance/stream_frames.hpp"
#include "cts/venue/binance/streams.hpp"

namespace cts::engine {

namespace binance = venue::binance;

MarketFeed::MarketFeed(venue::Gateway& gateway, std::string venue_symbol, MarketFeedOptions options)
    : gateway_(gateway),
      symbol_(std::move(venue_symbol)),
      options_(options),
      streams_{binance::depth_stream(symbol_, options_.fast_depth), binance::book_ticker_stream(symbol_)},
      sync_(binance::Market::spot) {}

std::vector<std::string> MarketFeed::subscriptions() const {
  return {binance::subscribe_frame(streams_, options_.subscribe_id)};
}

void MarketFeed::discard() {
  sync_.reset();
  ticker_.reset();
  ticker_at_.reset();
  book_at_.reset();
  snapshot_wanted_ = false;
}

Result<void> MarketFeed::on_event(const net::WsEvent& event, SteadyTime now) {
  switch (event.kind) {
    case net::WsEvent::Kind::opened:
      if (event.connection > 1) ++stats_.reconnects;
      connected_ = true;
      discard();
      return {};
    case net::WsEvent::Kind::message:
      ++stats_.messages;
      return on_message(event.text, now);
    case net::WsEvent::Kind::disconnected:
    case net::WsEvent::Kind::closed:
      if (connected_) ++stats_.disconnects;
      connected_ = false;
      discard();
      return {};
  }
  return {};
}

Result<void> MarketFeed::on_message(const std::string& text, SteadyTime now) {
  Result<binance::StreamEvent> parsed = binance::parse_stream_event(text);
  if (!parsed) {
    ++stats_.parse_errors;
    return parsed.error();
  }
  if (auto* diff = std::get_if<venue::DepthDiff>(&*parsed)) {
    if (diff->symbol != symbol_) return {};
    Result<binance::SyncStatus> status = sync_.on_diff(*diff);
    if (!status) {
      ++stats_.parse_errors;
      return status.error();
    }
    return after_sync_status(*status, now);
  }
  if (auto* ticker = std::get_if<venue::BookTicker>(&*parsed)) {
    if (ticker->symbol != symbol_) return {};
    if (ticker_ && ticker->update_id < ticker_->update_id) return {};
    ++stats_.tickers;
    ticker_ = std::move(*ticker);
    ticker_at_ = now;
    return {};
  }
  if (auto* ack = std::get_if<binance::SubscriptionAck>(&*parsed)) {
    // Our SUBSCRIBE is live: every later change arrives as a diff, so a snapshot taken
    // now joins the stream even if no diff came yet (a quiet market after a reconnect).
    if (ack->id == std::to_string(options_.subscribe_id) && !sync_.synced()) {
      snapshot_wanted_ = true;
      return fetch_snapshot(now);
    }
    return {};
  }
  return {};  // trades and other events: not ours to use
}

Result<void> MarketFeed::after_sync_status(binance::SyncStatus status, SteadyTime now) {
  switch (status) {
    case binance::SyncStatus::applied:
      ++stats_.diffs_applied;
      book_at_ = now;
      return {};
    case binance::SyncStatus::stale_event:
      return {};
    case binance::SyncStatus::resync_needed:
      ++stats_.gaps;
      book_at_.reset();
      snapshot_wanted_ = true;
      return fetch_snapshot(now);
    case binance::SyncStatus::buffered:
    case binance::SyncStatus::snapshot_stale:
      snapshot_wanted_ = true;
      return fetch_snapshot(now);
  }
  return {};
}

Result<void> MarketFeed::refresh(SteadyTime now) { return fetch_snapshot(now); }

Result<void> MarketFeed::fetch_snapshot(SteadyTime now) {
  if (!snapshot_wanted_ || sync_.synced()) return {};
  if (last_snapshot_request_ && now - *last_snapshot_request_ < options_.snapshot_interval) return {};
  last_snapshot_request_ = now;
  Result<venue::BookSnapshot> snapshot = gateway_.depth(symbol_, options_.snapshot_limit);
  if (!snapshot) {
    ++stats_.snapshot_errors;
    return snapshot.error();
  }
  ++stats_.snapshots;
  Result<binance::SyncStatus> status = sync_.on_snapshot(*snapshot);
  if (!status) {
    ++stats_.snapshot_errors;
    return status.error();
  }
  switch (*status) {
    case binance::SyncStatus::applied:
      ++stats_.resyncs;
      snapshot_wanted_ = false;
      book_at_ = now;
      return {};
    case binance::SyncStatus::resync_needed:
      ++stats_.gaps;
      return {};
    default:
      return {};  // snapshot_stale: the next diff or refresh() asks again
  }
}

std::optional<venue::BookTicker> MarketFeed::top(SteadyTime now) const {
  if (!connected_ || !sync_.synced()) return std::nullopt;
  std::optional<SteadyTime> newest = book_at_;
  if (ticker_at_ && (!newest || *ticker_at_ > *newest)) newest = ticker_at_;
  if (!newest || now - *newest > options_.max_age) return std::nullopt;
  const venue::OrderBook& book = sync_.book();
  if (ticker_ && ticker_->update_id >= book.last_update_id() && ticker_->bid_price.is_positive() &&
      ticker_->ask_price.is_positive() && ticker_->bid_price < ticker_->ask_price) {
    return ticker_;
  }
  const std::optional<venue::PriceLevel> bid = book.best_bid();
  const std::optional<venue::PriceLevel> ask = book.best_ask();
  if (!bid || !ask) return std::nullopt;
  venue::BookTicker out;
  out.symbol = symbol_;
  out.update_id = book.last_update_id();
  out.bid_price = bid->price;
  out.bid_quantity = bid->quantity;
  out.ask_price = ask->price;
  out.ask_quantity = ask->quantity;
  return out;
}

}  // namespace cts::engine
