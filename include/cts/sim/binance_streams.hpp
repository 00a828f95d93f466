#pragma once
/// \file
/// The simulator's Binance-spot WebSocket side, pure and time-injected (like
/// BinanceFront for REST): market streams (raw `/ws/<stream>` and combined
/// `/stream?streams=a/b` URLs, live SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS /
/// SET_PROPERTY / GET_PROPERTY frames) with `<symbol>@depth@100ms`, `<symbol>@depth`,
/// `<symbol>@trade` and `<symbol>@bookTicker`; and the WebSocket API (`/ws-api/v3`)
/// user data stream: `userDataStream.subscribe.signature`, `userDataStream.unsubscribe`,
/// `ping`, `time`, delivering `executionReport` and `outboundAccountPosition` wrapped as
/// `{"subscriptionId":N,"event":{...}}`; the session requests `session.logon` (Ed25519
/// keys), `session.status`, `session.logout` and `userDataStream.subscribe` on a logged-on
/// session; and the trading and account methods (`order.place`, `order.cancel`,
/// `order.status`, `openOrders.status`, `order.cancelReplace`, ...), which the REST front
/// answers (BinanceFront::ws_call()) with its execution, checks, errors and limits:
/// request weight (connecting costs 2) and order counts are the REST front's counters.
/// Facts from Binance's web-socket-streams.md, web-socket-api.md, user-data-stream.md
/// and errors.md.
///
/// The caller (the Simulator) passes connection events and the time in, and sends the
/// returned WsOutput frames in order. Depth diffs are computed at 100 ms / 1000 ms
/// boundaries of the injected clock from the levels the engine touched, so that a REST
/// snapshot (`lastUpdateId`) plus the diffs (`U` = previous `u` + 1) reproduce the
/// engine's book exactly. Trades, book tickers and user events are emitted at every
/// tick() that finds them.
///
/// Not thread-safe (the Simulator serialises it with its engine).

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cts/sim/binance_front.hpp"
#include "cts/sim/faults.hpp"
#include "cts/sim/matching_engine.hpp"

namespace cts::sim {

/// One thing to do on a WebSocket connection, in order.
struct WsOutput {
  std::uint64_t connection = 0;  ///< The connection (net::WsConnectionId).
  std::string text;              ///< The text message to send (empty when `drop`).
  bool drop = false;             ///< Close the connection abruptly instead (the ws_drop fault); already forgotten.
  bool binary = false;           ///< Send `text` as a binary frame (BingX's GZIP frames).
};

/// Settings of the WebSocket side.
struct StreamsConfig {
  FaultConfig faults;                            ///< ws_drop / ws_drop_every and the seed of their dice.
  std::size_t max_streams_per_connection = 1024;   ///< Binance's limit of streams on one connection.
};

/// Counters.
struct StreamsStats {
  std::uint64_t connections_opened = 0;  ///< Accepted connections.
  std::uint64_t messages_sent = 0;       ///< Frames returned for sending.
  std::uint64_t requests = 0;            ///< Frames received.
  std::uint64_t errors = 0;              ///< Error replies.
  std::uint64_t drops = 0;               ///< Connections dropped by the ws_drop fault.
  std::uint64_t lost_replies = 0;        ///< Order replies not sent (the ws_lost_replies fault; OrangeX: lost_order_replies).
  std::uint64_t unanswered_pings = 0;    ///< Connections closed for not answering the server's keep-alive.
};

/// See the file comment.
class BinanceStreams {
 public:
  /// A WebSocket side over `engine`, whose WebSocket API authenticates, charges and
  /// executes through `front` (its credentials and counters; both must outlive it),
  /// starting at `now_ms`. Turns the engine's event recording on.
  BinanceStreams(MatchingEngine& engine, BinanceFront& front, std::int64_t now_ms, StreamsConfig config = {});
  ~BinanceStreams();
  BinanceStreams(const BinanceStreams&) = delete;
  BinanceStreams& operator=(const BinanceStreams&) = delete;

  /// A connection asks to upgrade on `target` ("/ws", "/ws/<stream>", "/stream",
  /// "/stream?streams=a/b", "/ws-api/v3"). Returns false (refuse: the server answers
  /// 404) for any other path or an unsupported stream name in the URL.
  bool open(std::uint64_t connection, std::string_view target, std::int64_t now_ms);
  /// A text message on an open connection; appends the replies (and, for the fault,
  /// a drop) to `out`. Bad frames get Binance's error replies and change nothing.
  void message(std::uint64_t connection, std::string_view text, std::int64_t now_ms, std::vector<WsOutput>& out);
  /// The connection is gone; forgets it and its subscriptions. Unknown ids are ignored.
  void close(std::uint64_t connection);
  /// Emits what is due at `now_ms`: user data events and trades/book tickers found
  /// since the last tick, and the depth diffs of every 100 ms / 1000 ms boundary passed.
  void tick(std::int64_t now_ms, std::vector<WsOutput>& out);

  /// Replaces the fault settings and reseeds their dice.
  void set_faults(const FaultConfig& faults);
  /// Open connections.
  [[nodiscard]] std::vector<std::uint64_t> connections() const;
  /// Counters.
  [[nodiscard]] const StreamsStats& stats() const noexcept { return stats_; }

 private:
  enum class StreamKind : std::uint8_t { depth_fast, depth_slow, trade, book_ticker };
  struct Stream {
    std::string symbol;  // venue symbol (upper case)
    StreamKind kind = StreamKind::trade;
  };
  struct Connection {
    bool api = false;
    bool combined = false;
    std::vector<std::string> streams;                     // market: subscribed names, in order
    std::vector<std::pair<std::int64_t, AccountId>> subscriptions;  // api: subscriptionId → account
    std::int64_t next_subscription = 0;
    std::int64_t connected_since = 0;     // api: when it opened
    std::optional<AccountId> session;     // api: the account session.logon authenticated
    std::string session_key;              // api: its API key
    std::int64_t authorized_since = 0;    // api: when it logged on
  };
  struct SymbolState {
    std::string lower;
    std::int64_t fast_u = 0;
    std::int64_t slow_u = 0;
    std::set<std::pair<Side, Decimal>> fast_levels;
    std::set<std::pair<Side, Decimal>> slow_levels;
    std::string last_ticker;
  };
  struct Parser;

  static std::optional<Stream> parse_stream(std::string_view name);
  void deliver(std::uint64_t connection, std::string text, std::vector<WsOutput>& out);
  void publish(const std::string& stream, const std::string& payload, std::vector<WsOutput>& out);
  void market_message(std::uint64_t id, std::string_view text, std::vector<WsOutput>& out);
  void api_message(std::uint64_t id, std::string_view text, std::int64_t now_ms, std::vector<WsOutput>& out);
  std::string session_json(const Connection& c, std::int64_t now_ms) const;
  void emit_depth(bool fast, std::int64_t now_ms, std::vector<WsOutput>& out);
  void emit_user_events(std::int64_t now_ms, std::vector<WsOutput>& out);

  MatchingEngine& engine_;
  BinanceFront& front_;
  StreamsConfig config_;
  std::unique_ptr<Parser> parser_;
  SplitMix64 dice_;
  std::uint64_t sent_counter_ = 0;
  std::uint32_t replies_to_lose_ = 0;  // the ws_lost_replies fault: order replies still to swallow
  std::map<std::uint64_t, Connection> connections_;
  std::map<std::string, SymbolState> symbols_;
  std::int64_t next_fast_ms_ = 0;
  std::int64_t next_slow_ms_ = 0;
  std::int64_t execution_ids_ = 1;
  StreamsStats stats_;
};

}  // namespace cts::sim
