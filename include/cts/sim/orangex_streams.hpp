#pragma once
/// \file
/// The simulator's OrangeX WebSocket side, at `/ws/api/v1` (the official SDK's
/// `wss://api.orangex.com/ws/api/v1`): the text `PING` is answered `PONG` (the SDK's
/// heartbeat), and every JSON-RPC call is run by the OrangexFront as over REST, on the
/// connection's session (a `/public/auth` on it logs the connection in for the private
/// methods). Subscriptions (`/public/subscribe`, `/private/subscribe`) are not served
/// yet: they are refused with -32601, so a client falls back to REST. Faults: the
/// ws_drop dice of every WebSocket side. Not thread-safe (the Simulator serialises).

#include <cstdint>
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
  /// A WebSocket side running calls through `front`, which must outlive it.
  explicit OrangexStreams(OrangexFront& front, const FaultConfig& faults = {});

  /// Replaces the faults (ws_drop, ws_drop_every) and restarts their dice.
  void set_faults(const FaultConfig& faults) { connections_.set_faults(faults); }
  /// Accepts a connection to `/ws/api/v1`; false (refused) for any other target.
  bool open(std::uint64_t connection, std::string_view target, std::int64_t now_ms);
  /// Handles one text frame of `connection` at `now_ms`, appending what to send to `out`.
  void message(std::uint64_t connection, std::string_view text, std::int64_t now_ms, std::vector<WsOutput>& out);
  /// Forgets `connection`.
  void close(std::uint64_t connection) { connections_.close(connection); }
  /// Forgets dropped connections (nothing is pushed yet).
  void tick(std::int64_t now_ms, std::vector<WsOutput>& out);
  /// The open connections.
  [[nodiscard]] std::vector<std::uint64_t> connections() const { return connections_.ids(); }
  /// Counters.
  [[nodiscard]] const StreamsStats& stats() const noexcept { return connections_.stats(); }

 private:
  struct Connection {
    OrangexSession session;
    bool dropped = false;
  };

  OrangexFront& front_;
  WsConnections<Connection> connections_;
};

}  // namespace cts::sim
