#pragma once
/// \file
/// venue::MarketStream: one venue's public market-data WebSocket protocol for one
/// symbol, sans-I/O — the frames to subscribe with, and each received frame classified
/// into what it changed in a local order book kept by the venue's own sequence rules
/// (Binance: diffs joined to a REST snapshot; Bybit: a snapshot and deltas in the
/// stream). The engine's MarketFeed drives one through a WebSocket client and never
/// names a venue; each venue's folder provides its implementation, made by the
/// registry (venue/registry.hpp).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/result.hpp"
#include "cts/venue/order_book.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue {

/// What one frame (or snapshot) did.
enum class MarketChange : std::uint8_t {
  none,        ///< Nothing for this symbol's book or top (another symbol, a trade, a pong, an old event).
  subscribed,  ///< The venue acknowledged our subscription.
  book,        ///< The book changed and is synchronised.
  ticker,      ///< A new best bid/ask from the venue's ticker stream (ticker()).
  waiting,     ///< Kept for later: the book waits for a snapshot (a REST one where rest_snapshots()).
  gap,         ///< A missed update or a crossed book: the book was discarded and must be rebuilt.
};

/// The market-data protocol of one symbol. Not thread-safe, except subscriptions() and
/// path(), which a WebSocket client's io thread may call while the owner calls the rest.
class MarketStream {
 public:
  virtual ~MarketStream() = default;
  /// The stream's path under the venue's market WebSocket base URL, e.g. "/ws" or
  /// "/v5/public/linear".
  [[nodiscard]] virtual std::string path() const = 0;
  /// The text frame the venue wants as a keep-alive instead of WebSocket ping frames
  /// (Bybit's `{"op":"ping"}`); empty (the default): protocol pings.
  [[nodiscard]] virtual std::string_view application_ping() const noexcept { return {}; }
  /// The frame to send back at once in answer to the received `text` (a heartbeat the
  /// venue sends and expects answered: Pionex's `{"op":"PING",...}` wants a PONG); empty
  /// (the default) for no answer. Thread-safe and cheap: a WebSocket client's io thread
  /// calls it on every frame.
  [[nodiscard]] virtual std::string answer(std::string_view text) const {
    (void)text;
    return {};
  }
  /// The frames to send after every (re)connect. Always the same frames. Thread-safe.
  [[nodiscard]] virtual std::vector<std::string> subscriptions() const = 0;
  /// Consumes one text frame. Errors (nothing changes): protocol_error for a frame that
  /// does not parse or a book update that breaks the venue's rules; the venue's error
  /// for an error reply to our subscription.
  [[nodiscard]] virtual Result<MarketChange> on_message(std::string_view text) = 0;
  /// True when the book is seeded from REST snapshots (on_snapshot()); false when the
  /// venue sends snapshots in the stream (then a gap is mended by subscribing again on
  /// a new connection).
  [[nodiscard]] virtual bool rest_snapshots() const noexcept = 0;
  /// Levels per side to ask a REST snapshot for (rest_snapshots() only).
  [[nodiscard]] virtual std::size_t snapshot_limit() const noexcept { return 0; }
  /// Feeds a REST snapshot: book (synchronised), waiting (too old: fetch another) or
  /// gap (it does not join the buffered updates). Errors: protocol_error for an invalid
  /// snapshot (nothing changes); unsupported where !rest_snapshots().
  [[nodiscard]] virtual Result<MarketChange> on_snapshot(const BookSnapshot& snapshot) = 0;
  /// Discards the book, anything buffered and the ticker (a disconnect).
  virtual void reset() = 0;
  /// True while the book is synchronised with the stream.
  [[nodiscard]] virtual bool synced() const noexcept = 0;
  /// The book (empty while not synchronised).
  [[nodiscard]] virtual const OrderBook& book() const noexcept = 0;
  /// The newest best bid/ask of the venue's ticker stream, if it has one; its update_id
  /// is comparable with the book's last_update_id().
  [[nodiscard]] virtual const std::optional<BookTicker>& ticker() const noexcept = 0;
};

}  // namespace cts::venue
