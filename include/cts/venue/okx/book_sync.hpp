#pragma once
/// \file
/// BookSync: keeps an OrderBook in step with OKX's `books` channel ("WebSocket > Order
/// book channel"). After subscribing, OKX sends a snapshot (action "snapshot",
/// prevSeqId -1), then incremental updates (action "update") of absolute sizes (size 0
/// removes the level). Every message carries `seqId` and the previous message's
/// `prevSeqId`: an update continues the book only when its prevSeqId is the book's
/// seqId. OKX documents two special cases the same rule covers: an update without
/// changes (empty asks and bids) repeats the seqId (seqId == prevSeqId), and after a
/// sequence reset (maintenance) the seqId becomes smaller than prevSeqId. Any other
/// update is a gap: the book is discarded until the next snapshot (subscribe again).
///
/// The `checksum` is verified after every snapshot and update that carries a non-zero
/// one: the first 25 bids and asks of the local book, interleaved bid, ask, bid, ...
/// (a side with fewer levels simply ends), each as `price:size`, joined by ':', and
/// CRC-32 of that text read as a signed 32-bit integer. A mismatch is a gap. OKX
/// writes prices and sizes in their shortest form ("8477", "0.4": recordings of the
/// live feed print no trailing zeros), which is Decimal's canonical text, so the text
/// is rebuilt from the book. OKX has sent `checksum` 0 on every `books` frame since
/// 2026 (a CRC-32 is practically never 0): 0 is read as "not computed", not checked.

#include <cstdint>
#include <string_view>

#include "cts/core/decimal.hpp"
#include "cts/core/detail/crc32.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/okx/streams.hpp"
#include "cts/venue/order_book.hpp"

namespace cts::venue::okx {

/// Levels per side OKX's checksum covers.
inline constexpr std::size_t kChecksumDepth = 25;

/// OKX's checksum of the first 25 levels of `book` (see the file comment): the text is
/// written whole, then its CRC taken in one pass.
inline std::int32_t book_checksum(const OrderBook& book) noexcept {
  // Each value as text and a ':' after it.
  char text[kChecksumDepth * 4 * (Decimal::kMaxChars + 1)];
  char* out = text;
  const auto add = [&](const PriceLevel& level) {
    out = level.price.to_chars(out, out + Decimal::kMaxChars);
    *out++ = ':';
    out = level.quantity.to_chars(out, out + Decimal::kMaxChars);
    *out++ = ':';
  };
  const std::size_t bids = book.depth(Side::buy);
  const std::size_t asks = book.depth(Side::sell);
  for (std::size_t i = 0; i < kChecksumDepth && (i < bids || i < asks); ++i) {
    if (i < bids) add(book.level(Side::buy, i));
    if (i < asks) add(book.level(Side::sell, i));
  }
  const std::size_t length = out == text ? 0 : static_cast<std::size_t>(out - text) - 1;  // without the last ':'
  return static_cast<std::int32_t>(cts::detail::crc32(std::string_view(text, length)));
}

/// What a message did to the book.
enum class BookSyncStatus : std::uint8_t {
  applied,        ///< The book now reflects the message.
  resync_needed,  ///< An update without a synced book, out of sequence, leaving the book
                  ///< crossed, or a checksum mismatch: the book is empty until the next
                  ///< snapshot; subscribe again.
};

/// Applies OKX `books` messages to a local book. Not thread-safe; one owner.
class BookSync {
 public:
  /// True once a snapshot was applied and nothing went wrong since.
  [[nodiscard]] bool synced() const noexcept { return synced_; }
  /// The book (empty until synced); its last_update_id() is the last seqId applied.
  [[nodiscard]] const OrderBook& book() const noexcept { return book_; }

  /// Feeds one message. Errors (nothing changes): protocol_error for invalid levels (a
  /// non-positive price, a negative size, an unsorted snapshot side).
  Result<BookSyncStatus> on_update(const BookUpdate& update) {
    if (update.snapshot) {
      if (auto loaded = book_.load(update.book); !loaded) return loaded.error();
      synced_ = true;
    } else {
      if (!synced_) return BookSyncStatus::resync_needed;
      if (update.prev_seq_id < 0 || static_cast<std::uint64_t>(update.prev_seq_id) != book_.last_update_id()) {
        return reset();
      }
      if (auto applied = book_.apply(update.book.bids, update.book.asks, update.book.last_update_id); !applied) {
        return applied.error();
      }
    }
    if (book_.crossed()) return reset();
    if (update.checksum != 0 && book_checksum(book_) != update.checksum) return reset();
    return BookSyncStatus::applied;
  }

  /// Discards the book until the next snapshot.
  void clear() noexcept {
    book_.clear();
    synced_ = false;
  }

 private:
  BookSyncStatus reset() noexcept {
    clear();
    return BookSyncStatus::resync_needed;
  }

  OrderBook book_;
  bool synced_ = false;
};

}  // namespace cts::venue::okx
