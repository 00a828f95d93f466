#include "cts/engine/market_feed.hpp"

#include <string>
#include <utility>

namespace cts::engine {

MarketFeed::MarketFeed(venue::Gateway& gateway, std::string venue_symbol, std::unique_ptr<venue::MarketStream> stream,
                       MarketFeedOptions options)
    : gateway_(gateway), symbol_(std::move(venue_symbol)), options_(options), stream_(std::move(stream)) {}

std::vector<std::string> MarketFeed::subscriptions() const { return stream_->subscriptions(); }

void MarketFeed::discard() {
  stream_->reset();
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
  const bool was_synced = stream_->synced();
  Result<venue::MarketChange> change = stream_->on_message(text);
  if (!change) {
    ++stats_.parse_errors;
    return change.error();
  }
  // A venue that streams its snapshots: the book became synchronised from one.
  if (!stream_->rest_snapshots() && !was_synced && stream_->synced()) ++stats_.resyncs;
  return after_change(*change, now);
}

Result<void> MarketFeed::after_change(venue::MarketChange change, SteadyTime now) {
  switch (change) {
    case venue::MarketChange::none:
      return {};
    case venue::MarketChange::book:
      ++stats_.diffs_applied;
      book_at_ = now;
      return {};
    case venue::MarketChange::ticker:
      ++stats_.tickers;
      ticker_at_ = now;
      return {};
    case venue::MarketChange::subscribed:
      // Our subscription is live: every later change arrives as an update, so a
      // snapshot taken now joins the stream even if no update came yet (a quiet market
      // after a reconnect).
      if (stream_->synced() || !stream_->rest_snapshots()) return {};
      snapshot_wanted_ = true;
      return fetch_snapshot(now);
    case venue::MarketChange::gap:
      ++stats_.gaps;
      book_at_.reset();
      if (!stream_->rest_snapshots()) {
        reconnect_wanted_ = true;  // the venue's next snapshot comes with a new subscription
        return {};
      }
      snapshot_wanted_ = true;
      return fetch_snapshot(now);
    case venue::MarketChange::waiting:
      if (!stream_->rest_snapshots()) return {};
      snapshot_wanted_ = true;
      return fetch_snapshot(now);
  }
  return {};
}

Result<void> MarketFeed::refresh(SteadyTime now) { return fetch_snapshot(now); }

Result<void> MarketFeed::fetch_snapshot(SteadyTime now) {
  if (!snapshot_wanted_ || stream_->synced()) return {};
  if (last_snapshot_request_ && now - *last_snapshot_request_ < options_.snapshot_interval) return {};
  last_snapshot_request_ = now;
  Result<venue::BookSnapshot> snapshot = gateway_.depth(symbol_, stream_->snapshot_limit());
  if (!snapshot) {
    ++stats_.snapshot_errors;
    return snapshot.error();
  }
  ++stats_.snapshots;
  Result<venue::MarketChange> change = stream_->on_snapshot(*snapshot);
  if (!change) {
    ++stats_.snapshot_errors;
    return change.error();
  }
  switch (*change) {
    case venue::MarketChange::book:
      ++stats_.resyncs;
      snapshot_wanted_ = false;
      book_at_ = now;
      return {};
    case venue::MarketChange::gap:
      ++stats_.gaps;
      return {};
    default:
      return {};  // waiting: the next update or refresh() asks again
  }
}

std::optional<venue::BookTicker> MarketFeed::top(SteadyTime now) const {
  if (!connected_ || !stream_->synced()) return std::nullopt;
  std::optional<SteadyTime> newest = book_at_;
  if (ticker_at_ && (!newest || *ticker_at_ > *newest)) newest = ticker_at_;
  if (!newest || now - *newest > options_.max_age) return std::nullopt;
  const venue::OrderBook& book = stream_->book();
  const std::optional<venue::BookTicker>& ticker = stream_->ticker();
  if (ticker && ticker->update_id >= book.last_update_id() && ticker->bid_price.is_positive() &&
      ticker->ask_price.is_positive() && ticker->bid_price < ticker->ask_price) {
    return ticker;
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
