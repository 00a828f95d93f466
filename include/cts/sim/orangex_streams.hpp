#pragma once
/// \file
/// The simulator's OrangeX WebSocket side, at `/ws/api/v1` (the official SDK's
/// `wss://api.orangex.com/ws/api/v1`): the text `PING` is answered `PONG` (the SDK's
/// heartbeat), and every JSON-RPC call is run by the OrangexFront as over REST, on the
/// connection's session (a `/public/auth` on it logs the connection in for the private
/// methods). `/public/subscribe` takes `book.<instrument>.raw` channels (its result is
/// the list subscribed; an unknown channel is refused with 11029): each tick in which an
/// instrument's book changed pushes `{"jsonrpc":"2.0","method":"subscription","params":
/// {"channel","data":{"instrument_name","change_id","timestamp","bids","asks"}}}` with
/// every touched level as `[price, amount]` (amount 0: gone), change_id one more than the
/// last (OrangexFront::book_version(), the order book's `version` over REST).
/// `/private/subscribe`, on a connection its `/public/auth` logged in (else 13009), takes
/// `user.orders.<instrument>.raw`, `user.trades.<instrument>.raw` and
/// `user.portfolio.USDT`: each execution event of the account pushes its trade (an array
/// of one trade object) before the order's state (one order object), then, when it moved
/// funds, the account summary, each object as the REST replies write it. Faults: the
/// ws_drop dice of every WebSocket side, and the front's lost_order_replies: an order
/// call it takes the reply of executes and its connection is dropped unanswered
/// (StreamsStats::lost_replies). Not thread-safe (the Simulator serialises).

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cts/sim/binance_streams.hpp"
#include "cts/sim/faults.hpp"
#include "cts/sim/orangex_front.hpp"
#include "cts/sim/ws_connections.hpp"

namespace cts::sim {

/// See the file comment.
class OrangexStreams {
 public:
  /// A WebSocket side over `engine` running calls through `front`; both must outlive it.
  /// Turns the engine's event recording on.
  OrangexStreams(MatchingEngine& engine, OrangexFront& front, const FaultConfig& faults = {});

  /// Replaces the faults (ws_drop, ws_drop_every) and restarts their dice.
  void set_faults(const FaultConfig& faults) { connections_.set_faults(faults); }
  /// Accepts a connection to `/ws/api/v1`; false (refused) for any other target.
  bool open(std::uint64_t connection, std::string_view target, std::int64_t now_ms);
  /// Handles one text frame of `connection` at `now_ms`, appending what to send to `out`.
  void message(std::uint64_t connection, std::string_view text, std::int64_t now_ms, std::vector<WsOutput>& out);
  /// Forgets `connection`.
  void close(std::uint64_t connection) { connections_.close(connection); }
  /// Pushes the book changes since the last tick to their subscribers; forgets dropped
  /// connections.
  void tick(std::int64_t now_ms, std::vector<WsOutput>& out);
  /// The open connections.
  [[nodiscard]] std::vector<std::uint64_t> connections() const { return connections_.ids(); }
  /// Counters.
  [[nodiscard]] const StreamsStats& stats() const noexcept { return connections_.stats(); }

 private:
  struct Connection {
    OrangexSession session;
    std::set<std::string> books;       // engine markets whose book channel it subscribed
    std::set<std::string> orders;      // engine markets whose user.orders channel it subscribed
    std::set<std::string> trades;      // engine markets whose user.trades channel it subscribed
    std::set<std::string> portfolios;  // currencies whose user.portfolio channel it subscribed
    bool dropped = false;
  };
  // The one currency whose portfolio channel is served (the perpetuals' settlement).
  static constexpr std::string_view kSettlementCurrency = "USDT";
  // Handles a /public/subscribe or /private/subscribe call; false when `text` is not one.
  bool subscribe(std::uint64_t id, Connection& c, std::string_view text, std::vector<WsOutput>& out);
  // Pushes the account events since the last tick to the private subscribers.
  void emit_private(std::vector<WsOutput>& out);

  MatchingEngine& engine_;
  OrangexFront& front_;
  WsConnections<Connection> connections_;
};

}  // namespace cts::sim
