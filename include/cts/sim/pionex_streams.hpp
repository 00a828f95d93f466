#pragma once
/// \file
/// The simulator's Pionex WebSocket side (pionex-open-api websocketapi.yaml), pure and
/// time-injected like the other venues': the public stream `/wsPub` (topics DEPTH, the
/// top `limit` levels whole — 5 unless the subscription names 1 to 100 — and TRADE) and
/// the private stream `/ws` (topics ORDER and FILL of a symbol, BALANCE), opened only with
/// the query `key`, `timestamp` (within 20 s) and `signature` = hex(HMAC-SHA256(secret,
/// "/ws?key=<key>&timestamp=<ms>websocket_auth")); a bad or missing one refuses the
/// upgrade (HTTP 404). Frames: `{"op":"SUBSCRIBE"|"UNSUBSCRIBE","topic":..,"symbol":..}`;
/// a subscription to DEPTH is answered by the book at once, then by the book after each
/// tick that changed it; TRADE by each tick's trades (newest first); ORDER by the order
/// object of PionexFront after each of its execution events; FILL by each fill (the
/// FillRecord, no symbol); BALANCE by the balances an event moved. The specification
/// documents no acknowledgement and no error frame: the simulator sends none for a good
/// subscription and, for a bad one (not JSON, unknown op or topic, a symbol it does not
/// list, a private topic on the public stream), its own `{"result":false,"code":
/// "MARKET_PARAMETER_ERROR"|"MARKET_INVALID_SYMBOL","message":..}`.
///
/// Heartbeat: every kPingIntervalMs the server sends `{"op":"PING","timestamp":<ms>}`;
/// a connection that leaves kMaxMissedPongs pings in a row without a `{"op":"PONG"}`
/// is closed (the specification's rule: 15 s, 3 pings).
///
/// The WebSocket faults of a FaultConfig (ws_drop, ws_drop_every) drop a connection
/// instead of sending one of its frames. Not thread-safe (the Simulator serialises it
/// with its engine).

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cts/sign/hmac.hpp"
#include "cts/sim/binance_streams.hpp"
#include "cts/sim/matching_engine.hpp"
#include "cts/sim/pionex_front.hpp"
#include "cts/sim/ws_connections.hpp"

namespace cts::sim {

/// See the file comment.
class PionexStreams {
 public:
  /// The server's ping interval ("every 15 seconds").
  static constexpr std::int64_t kPingIntervalMs = 15'000;
  /// Pings left unanswered in a row that close a connection ("Missing 3 consecutive PONGs").
  static constexpr int kMaxMissedPongs = 3;

  /// A WebSocket side over `engine` and `front` (which writes the order objects), both of
  /// which must outlive it, dropping connections as `faults` say. Turns the engine's event
  /// recording on.
  PionexStreams(MatchingEngine& engine, const PionexFront& front, const FaultConfig& faults = {});

  /// Replaces the WebSocket faults and restarts their dice and frame count.
  void set_faults(const FaultConfig& faults);
  /// Lets `api_key` with `secret` open the private stream of `account`. Throws
  /// cts::Exception(invalid_argument) for an empty key or secret.
  void add_credential(std::string api_key, std::string_view secret, AccountId account);

  /// A connection asks to upgrade on `target` ("/wsPub", or "/ws" with its signed query).
  /// Returns false (the server answers 404) for any other path or a bad authentication.
  bool open(std::uint64_t connection, std::string_view target, std::int64_t now_ms);
  /// A text message on an open connection; appends the replies to `out`.
  void message(std::uint64_t connection, std::string_view text, std::int64_t now_ms, std::vector<WsOutput>& out);
  /// The connection is gone; forgets it. Unknown ids are ignored.
  void close(std::uint64_t connection);
  /// Sends the due pings and closes the connections that missed too many, then emits what
  /// happened since the last tick: books, trades, orders, fills and balances.
  void tick(std::int64_t now_ms, std::vector<WsOutput>& out);

  /// Open connections (a dropped one is no longer listed).
  [[nodiscard]] std::vector<std::uint64_t> connections() const;
  /// Counters.
  [[nodiscard]] const StreamsStats& stats() const noexcept { return connections_.stats(); }

 private:
  struct Connection {
    bool is_private = false;
    AccountId account = 0;                // private only
    std::map<std::string, int> depth;     // DEPTH subscriptions: engine market → limit
    std::set<std::string> topics;         // "TRADE:<market>", "ORDER:<market>", "FILL:<market>", "BALANCE"
    std::int64_t last_ping_ms = 0;        // when the last PING went out (or the connection opened)
    int missed_pongs = 0;                 // PINGs sent since the last PONG
    bool dropped = false;
  };

  void error(std::uint64_t id, std::string_view code, std::string_view message, std::vector<WsOutput>& out);
  [[nodiscard]] std::string depth_frame(const std::string& market, int limit, std::int64_t now_ms) const;
  void emit_market(const std::string& market, std::int64_t now_ms, std::vector<WsOutput>& out);
  void emit_private(std::int64_t now_ms, std::vector<WsOutput>& out);
  [[nodiscard]] std::string venue_symbol(const std::string& market) const;

  MatchingEngine& engine_;
  const PionexFront& front_;
  std::unordered_map<std::string, std::pair<AccountId, sign::HmacSha256>> credentials_;
  WsConnections<Connection> connections_;
};

}  // namespace cts::sim
