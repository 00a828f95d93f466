#pragma once
/// \file
/// The open connections of one simulated WebSocket side (Bybit's, OKX's): each
/// connection's state, the fault dice that drop a connection instead of sending one of
/// its frames (FaultConfig::ws_drop, ws_drop_every), and the side's counters. A dropped
/// connection stays listed, marked and silent, until close() or erase_dropped(), so
/// that loops over the connections and references into them stay valid while frames are
/// sent. Not thread-safe (the Simulator serialises it).

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "cts/sim/binance_streams.hpp"
#include "cts/sim/faults.hpp"

namespace cts::sim {

/// See the file comment. `State` is the per-connection state; it has a `bool dropped`.
template <class State>
class WsConnections {
 public:
  /// The map of connection id → state.
  using Map = std::map<std::uint64_t, State>;

  /// No connections, dice seeded from `faults.seed` mixed with `salt`.
  WsConnections(const FaultConfig& faults, std::uint64_t salt) : faults_(faults, salt) {}

  /// Replaces the faults and restarts their dice and frame count.
  void set_faults(const FaultConfig& faults) { faults_.reset(faults); }
  /// Lists connection `id` with `state` (replacing any earlier one of that id) and counts it.
  void open(std::uint64_t id, State state) {
    connections_.insert_or_assign(id, std::move(state));
    ++stats_.connections_opened;
  }
  /// Forgets connection `id`; unknown ids are ignored.
  void close(std::uint64_t id) { connections_.erase(id); }
  /// Forgets the dropped connections.
  void erase_dropped() {
    std::erase_if(connections_, [](const auto& entry) { return entry.second.dropped; });
  }
  /// The ids of the connections not dropped, ascending.
  [[nodiscard]] std::vector<std::uint64_t> ids() const {
    std::vector<std::uint64_t> out;
    for (const auto& [id, c] : connections_) {
      if (!c.dropped) out.push_back(id);
    }
    return out;
  }
  /// The state of connection `id`, or nullptr when it is unknown or dropped.
  [[nodiscard]] State* live(std::uint64_t id) {
    const auto found = connections_.find(id);
    return found == connections_.end() || found->second.dropped ? nullptr : &found->second;
  }
  /// Appends `text` for connection `id` to `out` (a binary frame when `binary`), or, when
  /// a fault says so, marks the connection dropped and appends its abrupt close instead
  /// (counted in StreamsStats::drops). Nothing for an unknown or dropped connection.
  void send(std::uint64_t id, std::string text, std::vector<WsOutput>& out, bool binary = false) {
    State* c = live(id);
    if (c == nullptr) return;
    if (faults_.drop_next()) {
      ++stats_.drops;
      drop(id, out);
      return;
    }
    ++stats_.messages_sent;
    out.push_back(WsOutput{id, std::move(text), false, binary});
  }

  /// Marks connection `id` dropped and appends its abrupt close to `out` (a fault that
  /// ends the connection; the caller counts it). Nothing for an unknown or dropped
  /// connection.
  void drop(std::uint64_t id, std::vector<WsOutput>& out) {
    State* c = live(id);
    if (c == nullptr) return;
    c->dropped = true;
    out.push_back(WsOutput{id, {}, true, false});
  }

  /// True when the fault dice say the reply to an order request is to be lost (counted in
  /// StreamsStats::lost_replies): the caller does not send it.
  bool lose_reply() noexcept {
    if (!faults_.lose_reply()) return false;
    ++stats_.lost_replies;
    return true;
  }

  /// Every listed connection, dropped ones included (check `dropped`).
  [[nodiscard]] typename Map::iterator begin() { return connections_.begin(); }
  /// End of begin().
  [[nodiscard]] typename Map::iterator end() { return connections_.end(); }
  /// Every listed connection, dropped ones included.
  [[nodiscard]] typename Map::const_iterator begin() const { return connections_.begin(); }
  /// End of begin() const.
  [[nodiscard]] typename Map::const_iterator end() const { return connections_.end(); }

  /// The side's counters.
  [[nodiscard]] StreamsStats& stats() noexcept { return stats_; }
  /// The side's counters.
  [[nodiscard]] const StreamsStats& stats() const noexcept { return stats_; }

 private:
  Map connections_;
  WsFaults faults_;
  StreamsStats stats_;
};

}  // namespace cts::sim
