#pragma once
/// \file
/// BookSync: keeps an OrderBook in step with Bybit's `orderbook.{depth}.{symbol}` stream
/// (websocket/public/orderbook.mdx). After subscribing, Bybit sends a snapshot, then
/// deltas; a new snapshot (also one with u = 1 after a service restart) replaces the
/// book. Deltas carry absolute quantities (0 removes the level). A delta is applied only
/// on a synced book and only when its `u` is newer than the book's and its cross
/// sequence `seq` does not go back; an older one is ignored. A crossed book after a delta
/// means a message was lost: the book is discarded until the next snapshot (resubscribe
/// to get one).

#include <cstdint>

#include "cts/core/result.hpp"
#include "cts/venue/bybit/streams.hpp"
#include "cts/venue/order_book.hpp"

namespace cts::venue::bybit {

/// What an update did to the book.
enum class BookSyncStatus : std::uint8_t {
  applied,        ///< The book now reflects the update.
  ignored_stale,  ///< A delta older than the book (u or seq not newer): nothing changed.
  resync_needed,  ///< A delta arrived without a synced book, or a snapshot or delta left
                  ///< the book crossed: the book is empty until the next snapshot;
                  ///< resubscribe.
};

/// Applies Bybit order book messages to a local book. Not thread-safe; one owner.
class BookSync {
 public:
  /// True once a snapshot was applied and nothing went wrong since.
  [[nodiscard]] bool synced() const noexcept { return synced_; }
  /// The book (empty until synced).
  [[nodiscard]] const OrderBook& book() const noexcept { return book_; }
  /// The cross sequence of the last message applied.
  [[nodiscard]] std::uint64_t sequence() const noexcept { return sequence_; }

  /// Feeds one message. Errors (nothing changes): protocol_error for invalid levels (a
  /// non-positive price, a negative quantity, an unsorted snapshot side).
  Result<BookSyncStatus> on_update(const BookUpdate& update) {
    if (update.snapshot) {
      if (auto loaded = book_.load(update.book); !loaded) return loaded.error();
      if (book_.crossed()) {
        // A crossed snapshot is no book to price from: wait for the next one.
        reset();
        return BookSyncStatus::resync_needed;
      }
      synced_ = true;
      sequence_ = update.book.sequence;
      return BookSyncStatus::applied;
    }
    if (!synced_) return BookSyncStatus::resync_needed;
    if (update.book.last_update_id <= book_.last_update_id() ||
        (update.book.sequence != 0 && update.book.sequence < sequence_)) {
      return BookSyncStatus::ignored_stale;
    }
    if (auto applied = book_.apply(update.book.bids, update.book.asks, update.book.last_update_id); !applied) {
      return applied.error();
    }
    if (book_.crossed()) {
      reset();
      return BookSyncStatus::resync_needed;
    }
    if (update.book.sequence != 0) sequence_ = update.book.sequence;
    return BookSyncStatus::applied;
  }

 private:
  // Empties the book and forgets the sequence: nothing is priced from it until the next
  // snapshot.
  void reset() {
    book_.clear();
    synced_ = false;
    sequence_ = 0;
  }

  OrderBook book_;
  std::uint64_t sequence_ = 0;
  bool synced_ = false;
};

}  // namespace cts::venue::bybit
