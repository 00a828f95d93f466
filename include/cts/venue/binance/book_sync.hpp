#pragma once
/// \file
/// BookSync: Binance's documented procedure for keeping a local order book from a REST
/// snapshot plus the diff-depth stream ("How to manage a local order book correctly").
///
/// Spot (binance-spot-api-docs web-socket-streams.md):
///  1. buffer the stream's events, noting U of the first one;
///  2. fetch a depth snapshot;
///  3. if the snapshot's lastUpdateId is below that first U, fetch another snapshot;
///  4. drop buffered events with u <= lastUpdateId; the book's update id is lastUpdateId;
///  5. for every event: ignore it if u <= the book's id; if U > id + 1 an update was
///     missed: discard the book and start again; else apply it and set the id to u.
/// USD-M (derivatives docs, "How to manage a local order book correctly"):
///  drop events with u < lastUpdateId; the first applied event must have
///  U <= lastUpdateId <= u; every later event's pu must equal the previous event's u;
///  otherwise start again.
/// Both: after every applied event a crossed book (best bid >= best ask) also means the
/// book is corrupt and must be rebuilt.

#include <cstdint>
#include <deque>

#include "cts/core/result.hpp"
#include "cts/venue/binance/enums.hpp"
#include "cts/venue/order_book.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::binance {

/// What a BookSync call did, and what the caller must do next.
enum class SyncStatus : std::uint8_t {
  buffered,        ///< No book yet: the event was kept until a snapshot arrives.
  applied,         ///< The book is synchronised and now includes the event(s).
  stale_event,     ///< The event was older than the book and was ignored.
  snapshot_stale,  ///< The snapshot predates the buffered events: fetch another snapshot.
  resync_needed,   ///< An update was missed or the book crossed: the book was discarded;
                   ///< the triggering event starts a new buffer; fetch a new snapshot.
};

/// Keeps an OrderBook synchronised with a Binance diff-depth stream. Not thread-safe.
class BookSync {
 public:
  /// `market` selects the spot or USD-M continuity rule; at most `max_buffered` events
  /// are kept while waiting for a snapshot (the oldest are dropped, which the
  /// snapshot_stale check then catches).
  explicit BookSync(Market market, std::size_t max_buffered = 4096) : market_(market), max_buffered_(max_buffered) {}

  /// True once a snapshot was applied and no gap has been seen since.
  [[nodiscard]] bool synced() const noexcept { return synced_; }
  /// The book (empty until synced).
  [[nodiscard]] const OrderBook& book() const noexcept { return book_; }
  /// Number of events waiting for a snapshot.
  [[nodiscard]] std::size_t buffered() const noexcept { return buffer_.size(); }

  /// Feeds one stream event. Errors (nothing changes): protocol_error when U > u or a
  /// level is invalid (non-positive price, negative quantity).
  Result<SyncStatus> on_diff(const DepthDiff& diff) {
    if (auto r = validate(diff); !r) return r.error();
    if (!synced_) {
      if (buffer_.size() == max_buffered_) buffer_.pop_front();
      buffer_.push_back(diff);
      return SyncStatus::buffered;
    }
    return apply(diff);
  }

  /// Feeds a REST snapshot and replays the buffer onto it. Returns applied (synced),
  /// snapshot_stale (fetch another; the buffer is kept) or resync_needed (the buffer
  /// does not connect to the snapshot). Errors: protocol_error for an invalid
  /// snapshot (nothing changes).
  Result<SyncStatus> on_snapshot(const BookSnapshot& snapshot) {
    if (!buffer_.empty() && snapshot.last_update_id < buffer_.front().first_update_id) {
      return SyncStatus::snapshot_stale;
    }
    if (auto r = book_.load(snapshot); !r) return r.error();
    synced_ = true;
    first_after_snapshot_ = true;
    std::deque<DepthDiff> pending;
    pending.swap(buffer_);
    for (const DepthDiff& diff : pending) {
      auto status = apply(diff);
      if (!status) return status;
      if (*status == SyncStatus::resync_needed) {
        // apply() started a new buffer with the offending event; keep what follows it.
        bool after = false;
        for (const DepthDiff& later : pending) {
          if (after) buffer_.push_back(later);
          after = after || &later == &diff;
        }
        return SyncStatus::resync_needed;
      }
    }
    return SyncStatus::applied;
  }

  /// Discards the book and the buffer (e.g. after a reconnect).
  void reset() {
    book_.clear();
    buffer_.clear();
    synced_ = false;
  }

 private:
  static Result<void> validate(const DepthDiff& diff) {
    if (diff.first_update_id > diff.final_update_id) {
      return make_error(ErrorCode::protocol_error, "binance depthUpdate: U is greater than u");
    }
    for (const auto* side : {&diff.bids, &diff.asks}) {
      for (const PriceLevel& level : *side) {
        if (!level.price.is_positive() || level.quantity.is_negative()) {
          return make_error(ErrorCode::protocol_error, "binance depthUpdate: a level has a non-positive price or a "
                                                       "negative quantity");
        }
      }
    }
    return {};
  }

  Result<SyncStatus> apply(const DepthDiff& diff) {
    const std::uint64_t id = book_.last_update_id();
    if (market_ == Market::spot) {
      if (diff.final_update_id <= id) return SyncStatus::stale_event;
      if (diff.first_update_id > id + 1) return restart(diff);
    } else if (first_after_snapshot_) {
      if (diff.final_update_id < id) return SyncStatus::stale_event;
      if (diff.first_update_id > id) return restart(diff);
    } else {
      if (diff.final_update_id <= id) return SyncStatus::stale_event;
      if (diff.previous_final_update_id != id) return restart(diff);
    }
    if (auto r = book_.apply(diff.bids, diff.asks, diff.final_update_id); !r) return r.error();
    first_after_snapshot_ = false;
    if (book_.crossed()) return restart(diff, false);
    return SyncStatus::applied;
  }

  SyncStatus restart(const DepthDiff& diff, bool keep_event = true) {
    book_.clear();
    buffer_.clear();
    synced_ = false;
    if (keep_event) buffer_.push_back(diff);
    return SyncStatus::resync_needed;
  }

  Market market_;
  std::size_t max_buffered_;
  OrderBook book_;
  std::deque<DepthDiff> buffer_;
  bool synced_ = false;
  bool first_after_snapshot_ = false;
};

}  // namespace cts::venue::binance
