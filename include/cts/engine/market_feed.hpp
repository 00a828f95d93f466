#pragma once
/// \file
/// MarketFeed: the engine's market data for one Binance spot symbol from the WebSocket
/// market streams (`<symbol>@depth@100ms` and `<symbol>@bookTicker`), with a local
/// order book kept by Binance's documented procedure (venue::binance::BookSync: buffer
/// the diffs, seed from a REST snapshot, apply in sequence, start again on a gap).
///
/// Sans-I/O towards the WebSocket: the owner runs the net::WsClient, installs
/// subscriptions() as its subscriptions hook and hands every WsEvent to on_event().
/// Snapshots are fetched through the venue::Gateway (REST), synchronously, from
/// on_event() or refresh(). A disconnect discards the book at once: nothing is quoted
/// from a book that may be missing updates until a new snapshot joined the new stream.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/gateway.hpp"
#include "cts/net/ws_client.hpp"
#include "cts/venue/binance/book_sync.hpp"
#include "cts/venue/types.hpp"

namespace cts::engine {

/// Options of a MarketFeed.
struct MarketFeedOptions {
  /// top() and stale(): the newest book change or ticker may be at most this old.
  std::chrono::milliseconds max_age{5'000};
  /// Levels per side of the REST snapshot (GET /api/v3/depth limit; 1000 weighs 50).
  std::size_t snapshot_limit = 1000;
  /// At least this long between two snapshot requests (a stale snapshot is retried on
  /// a later diff or refresh(), never in a tight loop).
  std::chrono::milliseconds snapshot_interval{250};
  /// Use the 100 ms diff-depth stream (else the 1000 ms one).
  bool fast_depth = true;
  /// Request id of the SUBSCRIBE frame.
  std::uint64_t subscribe_id = 1;
};

/// Counters of a MarketFeed (for metrics and status lines).
struct MarketFeedStats {
  std::uint64_t messages = 0;        ///< Messages received.
  std::uint64_t diffs_applied = 0;   ///< depthUpdate events applied to the book.
  std::uint64_t tickers = 0;         ///< bookTicker events taken.
  std::uint64_t snapshots = 0;       ///< REST snapshots fetched.
  std::uint64_t snapshot_errors = 0; ///< Snapshot requests that failed.
  std::uint64_t resyncs = 0;         ///< Times the book was (re)built from a snapshot.
  std::uint64_t gaps = 0;            ///< Missed updates or crossed books (book discarded).
  std::uint64_t reconnects = 0;      ///< Connections opened after the first.
  std::uint64_t disconnects = 0;     ///< Connections lost.
  std::uint64_t parse_errors = 0;    ///< Frames that did not parse (ignored).
};

/// The market data of one symbol. Not thread-safe, except subscriptions(), which may be
/// called from the WsClient's io thread while the session thread calls the rest. The
/// gateway must outlive the feed.
class MarketFeed {
 public:
  /// A feed for `venue_symbol` (e.g. "BTCUSDT") fetching snapshots through `gateway`.
  MarketFeed(venue::Gateway& gateway, std::string venue_symbol, MarketFeedOptions options = {});

  /// The frames to send after every (re)connect: one SUBSCRIBE for the diff-depth and
  /// book-ticker streams. Always the same frames. Thread-safe.
  [[nodiscard]] std::vector<std::string> subscriptions() const;

  /// Consumes one event of the market-stream connection at `now`:
  /// - opened: counts a reconnect (connection > 1); the book starts again;
  /// - message: a depthUpdate goes to the book (a snapshot is fetched when the book
  ///   needs one), a bookTicker becomes the top; the reply to our SUBSCRIBE fetches a
  ///   snapshot at once (later changes all arrive as diffs, so the book is complete
  ///   even if the market stays quiet); other symbols and events are ignored;
  /// - disconnected / closed: the book and the ticker are discarded at once.
  /// Errors: protocol_error for a frame that does not parse (counted, nothing changes)
  /// and the snapshot request's errors (counted; retried on a later diff or refresh()).
  Result<void> on_event(const net::WsEvent& event, SteadyTime now);

  /// Fetches a snapshot if the book is waiting for one and snapshot_interval has passed
  /// since the last request (call it each step so a failed request is retried even in
  /// a quiet market). Errors: the snapshot request's.
  Result<void> refresh(SteadyTime now);

  /// The best bid and ask, when the book is synchronised and its newest change is at
  /// most max_age old at `now`: the book-ticker stream's when it is at least as new as
  /// the book, the book's best levels otherwise. nullopt when stale, unsynchronised,
  /// disconnected or one-sided.
  [[nodiscard]] std::optional<venue::BookTicker> top(SteadyTime now) const;
  /// True when top(now) has nothing to give (the market-data staleness health check).
  [[nodiscard]] bool stale(SteadyTime now) const { return !top(now).has_value(); }
  /// True when the local book is synchronised with the stream.
  [[nodiscard]] bool synced() const noexcept { return sync_.synced(); }
  /// True between an `opened` and the next `disconnected`/`closed`.
  [[nodiscard]] bool connected() const noexcept { return connected_; }
  /// The local book (empty while not synchronised).
  [[nodiscard]] const venue::OrderBook& book() const noexcept { return sync_.book(); }
  /// The counters.
  [[nodiscard]] const MarketFeedStats& stats() const noexcept { return stats_; }
  /// The symbol.
  [[nodiscard]] const std::string& symbol() const noexcept { return symbol_; }

 private:
  Result<void> on_message(const std::string& text, SteadyTime now);
  Result<void> after_sync_status(venue::binance::SyncStatus status, SteadyTime now);
  Result<void> fetch_snapshot(SteadyTime now);
  void discard();

  venue::Gateway& gateway_;
  std::string symbol_;
  MarketFeedOptions options_;
  std::vector<std::string> streams_;
  venue::binance::BookSync sync_;
  MarketFeedStats stats_;
  std::optional<venue::BookTicker> ticker_;
  std::optional<SteadyTime> ticker_at_;
  std::optional<SteadyTime> book_at_;
  std::optional<SteadyTime> last_snapshot_request_;
  bool snapshot_wanted_ = false;
  bool connected_ = false;
};

}  // namespace cts::engine
