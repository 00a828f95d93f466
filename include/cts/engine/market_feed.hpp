#pragma once
/// \file
/// MarketFeed: the engine's market data for one symbol from the venue's market
/// WebSocket, whatever the venue: a venue::MarketStream (made by the registry) parses
/// the frames and keeps the local order book by the venue's sequence rules; the feed
/// adds what every venue needs — REST snapshots when the venue seeds books that way, a
/// new connection when it sends snapshots in the stream and a gap appeared, ages, and
/// counters.
///
/// Sans-I/O towards the WebSocket: the owner runs the net::WsClient on the stream's URL
/// (the venue's base + path()), installs subscriptions() as its subscriptions hook,
/// hands every WsEvent to on_event(), and drops the connection when
/// take_reconnect_request() says so. Snapshots are fetched through the venue::Gateway (REST), synchronously,
/// from on_event() or refresh(). A disconnect discards the book at once: nothing is
/// quoted from a book that may be missing updates until it is rebuilt.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/core/result.hpp"
#include "cts/net/ws_client.hpp"
#include "cts/venue/gateway.hpp"
#include "cts/venue/market_stream.hpp"
#include "cts/venue/types.hpp"

namespace cts::engine {

/// Options of a MarketFeed.
struct MarketFeedOptions {
  /// top() and stale(): the newest book change or ticker may be at most this old.
  std::chrono::milliseconds max_age{5'000};
  /// At least this long between two snapshot requests (a stale snapshot is retried on
  /// a later diff or refresh(), never in a tight loop).
  std::chrono::milliseconds snapshot_interval{250};
};

/// Counters of a MarketFeed (for metrics and status lines).
struct MarketFeedStats {
  std::uint64_t messages = 0;        ///< Messages received.
  std::uint64_t diffs_applied = 0;   ///< Book updates applied.
  std::uint64_t tickers = 0;         ///< Ticker events taken.
  std::uint64_t snapshots = 0;       ///< REST snapshots fetched.
  std::uint64_t snapshot_errors = 0; ///< Snapshot requests that failed.
  std::uint64_t resyncs = 0;         ///< Times the book was (re)built from a snapshot (REST or streamed).
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
  /// A feed for `venue_symbol` (e.g. "BTCUSDT") reading `stream` (non-null) and fetching
  /// snapshots through `gateway`.
  MarketFeed(venue::Gateway& gateway, std::string venue_symbol, std::unique_ptr<venue::MarketStream> stream,
             MarketFeedOptions options = {});

  /// The frames to send after every (re)connect (the stream's). Thread-safe.
  [[nodiscard]] std::vector<std::string> subscriptions() const;
  /// The stream's path under the venue's market WebSocket base URL. Thread-safe.
  [[nodiscard]] std::string path() const { return stream_->path(); }
  /// The stream's keep-alive text frame (empty: protocol pings). Thread-safe.
  [[nodiscard]] std::string_view application_ping() const noexcept { return stream_->application_ping(); }
  /// The stream's answer to a received frame (empty: none; see MarketStream::answer()).
  /// Thread-safe.
  [[nodiscard]] std::string answer(std::string_view text) const { return stream_->answer(text); }

  /// Consumes one event of the market-stream connection at `now`:
  /// - opened: counts a reconnect (connection > 1); the book starts again;
  /// - message: the stream classifies it; a book that waits for a REST snapshot gets
  ///   one (the acknowledgement of our subscription fetches one at once: later changes
  ///   all arrive as updates, so the book is complete even if the market stays quiet);
  ///   a gap in a venue that streams its snapshots asks for a new connection
  ///   (take_reconnect_request());
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
  [[nodiscard]] bool synced() const noexcept { return stream_->synced(); }
  /// True once after the book can only be rebuilt on a new connection (the venue
  /// streams its snapshots and an update went missing): the owner then drops the
  /// connection. Later calls return false until the next such gap.
  [[nodiscard]] bool take_reconnect_request() noexcept { return std::exchange(reconnect_wanted_, false); }
  /// True between an `opened` and the next `disconnected`/`closed`.
  [[nodiscard]] bool connected() const noexcept { return connected_; }
  /// The local book (empty while not synchronised).
  [[nodiscard]] const venue::OrderBook& book() const noexcept { return stream_->book(); }
  /// The counters.
  [[nodiscard]] const MarketFeedStats& stats() const noexcept { return stats_; }
  /// The symbol.
  [[nodiscard]] const std::string& symbol() const noexcept { return symbol_; }

 private:
  Result<void> on_message(const std::string& text, SteadyTime now);
  Result<void> after_change(venue::MarketChange change, SteadyTime now);
  Result<void> fetch_snapshot(SteadyTime now);
  void discard();

  venue::Gateway& gateway_;
  std::string symbol_;
  MarketFeedOptions options_;
  std::unique_ptr<venue::MarketStream> stream_;
  MarketFeedStats stats_;
  std::optional<SteadyTime> ticker_at_;
  std::optional<SteadyTime> book_at_;
  std::optional<SteadyTime> last_snapshot_request_;
  bool snapshot_wanted_ = false;
  bool connected_ = false;
  bool reconnect_wanted_ = false;
};

}  // namespace cts::engine
