#pragma once
/// \file
/// The WebSocket connection state machine, pure and time-injected: what to do next
/// (connect, ping, resubscribe, close a stale stream, back off) given the events a
/// transport reports and the current time. No sockets, no clock, no threads: the
/// transport drives it and executes its actions, tests drive it with a ManualClock.
///
/// States: disconnected → connecting → open ⇄ (stale → backoff) → connecting → … → closed.
/// Reconnects use full-jitter exponential backoff: the n-th consecutive failure waits a
/// uniformly random time in [0, min(cap, base·2^n)] (AWS Architecture Blog, "Exponential
/// Backoff And Jitter", 2015), drawn from a seeded std::mt19937_64 (reproducible).

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "cts/core/clock.hpp"

namespace cts::net {

/// Where a connection is.
enum class WsState : std::uint8_t {
  disconnected,  ///< Not started.
  connecting,    ///< TCP/TLS/upgrade in progress.
  open,          ///< Upgraded; messages flow.
  backoff,       ///< Waiting before the next connection attempt.
  closed,        ///< Stopped by the owner, or out of attempts. Final.
};

/// "disconnected", "connecting", "open", "backoff" or "closed".
constexpr std::string_view to_string(WsState s) noexcept {
  switch (s) {
    case WsState::disconnected: return "disconnected";
    case WsState::connecting: return "connecting";
    case WsState::open: return "open";
    case WsState::backoff: return "backoff";
    case WsState::closed: return "closed";
  }
  return "invalid";
}

/// What the transport must do now.
enum class WsAction : std::uint8_t {
  none,             ///< Nothing until next_deadline().
  connect,          ///< Open a new connection (then report on_open or on_failure).
  resubscribe,      ///< The connection is open: send the subscriptions again.
  send_ping,        ///< Send a protocol ping frame, or the policy's application ping text.
  close_stale,      ///< No message for `stale_after`: close the connection (a reconnect follows).
  close_timed_out,  ///< The connection attempt took longer than `connect_timeout`: abandon it.
};

/// Timing of one stream.
struct WsPolicy {
  Nanos connect_timeout = std::chrono::seconds(10);  ///< Longest connection attempt (TCP+TLS+upgrade).
  Nanos ping_interval = std::chrono::seconds(20);    ///< Ping after this long without sending one.
  Nanos stale_after = std::chrono::seconds(30);      ///< Close when no message arrived for this long.
  Nanos backoff_base = std::chrono::milliseconds(250);  ///< First backoff ceiling.
  Nanos backoff_cap = std::chrono::seconds(30);      ///< Largest backoff ceiling.
  std::uint32_t max_attempts = 0;                    ///< Consecutive failures before giving up; 0: never.
  /// Application-level ping text sent instead of a protocol ping (OKX "ping",
  /// Bybit {"op":"ping"}); empty: protocol ping frames.
  std::string application_ping;
};

/// See the file comment. Not thread-safe: one driver thread owns it.
class WsConnectionState {
 public:
  /// A machine with `policy`, its jitter drawn from a generator seeded with `seed`.
  explicit WsConnectionState(WsPolicy policy, std::uint64_t seed = 1) : policy_(std::move(policy)), random_(seed) {}

  /// Starts connecting (disconnected → connecting); returns WsAction::connect.
  /// Misuse (any other state) returns none.
  WsAction start(SteadyTime now) {
    if (state_ != WsState::disconnected) return WsAction::none;
    return begin_connect(now);
  }
  /// The connection is upgraded: open, failures reset; returns WsAction::resubscribe.
  WsAction on_open(SteadyTime now) {
    if (state_ != WsState::connecting) return WsAction::none;
    state_ = WsState::open;
    failures_ = 0;
    last_message_ = last_ping_ = now;
    return WsAction::resubscribe;
  }
  /// A data frame or pong arrived: the stream is alive.
  void on_message(SteadyTime now) noexcept {
    if (state_ == WsState::open) last_message_ = now;
  }
  /// The attempt failed or the open connection dropped: back off (or close when out of attempts).
  void on_failure(SteadyTime now) {
    if (state_ != WsState::connecting && state_ != WsState::open) return;
    ++failures_;
    if (policy_.max_attempts != 0 && failures_ >= policy_.max_attempts) {
      state_ = WsState::closed;
      return;
    }
    const auto shift = std::min<std::uint32_t>(failures_ - 1, 30);
    const Nanos ceiling = std::min(policy_.backoff_cap, policy_.backoff_base * (std::int64_t{1} << shift));
    last_backoff_ = Nanos(static_cast<Nanos::rep>(random_() % (static_cast<std::uint64_t>(ceiling.count()) + 1)));
    retry_at_ = now + last_backoff_;
    state_ = WsState::backoff;
  }
  /// The owner stops the stream: closed, final.
  void stop() noexcept { state_ = WsState::closed; }

  /// The action due at `now`, if any. Call it at next_deadline() and after each event.
  WsAction poll(SteadyTime now) {
    switch (state_) {
      case WsState::connecting:
        if (now - since_ >= policy_.connect_timeout) {
          on_failure(now);
          return WsAction::close_timed_out;
        }
        return WsAction::none;
      case WsState::open:
        if (now - last_message_ >= policy_.stale_after) {
          on_failure(now);
          return WsAction::close_stale;
        }
        if (now - last_ping_ >= policy_.ping_interval) {
          last_ping_ = now;
          return WsAction::send_ping;
        }
        return WsAction::none;
      case WsState::backoff:
        if (now >= retry_at_) return begin_connect(now);
        return WsAction::none;
      default: return WsAction::none;
    }
  }

  /// When poll() next has something to do (nullopt when disconnected or closed).
  [[nodiscard]] std::optional<SteadyTime> next_deadline() const noexcept {
    switch (state_) {
      case WsState::connecting: return since_ + policy_.connect_timeout;
      case WsState::open: return std::min(last_message_ + policy_.stale_after, last_ping_ + policy_.ping_interval);
      case WsState::backoff: return retry_at_;
      default: return std::nullopt;
    }
  }

  /// The current state.
  [[nodiscard]] WsState state() const noexcept { return state_; }
  /// Consecutive failures since the last successful open.
  [[nodiscard]] std::uint32_t failures() const noexcept { return failures_; }
  /// The most recent backoff delay drawn.
  [[nodiscard]] Nanos last_backoff() const noexcept { return last_backoff_; }
  /// The policy.
  [[nodiscard]] const WsPolicy& policy() const noexcept { return policy_; }

 private:
  WsAction begin_connect(SteadyTime now) {
    state_ = WsState::connecting;
    since_ = now;
    return WsAction::connect;
  }

  WsPolicy policy_;
  std::mt19937_64 random_;
  WsState state_ = WsState::disconnected;
  std::uint32_t failures_ = 0;
  SteadyTime since_{};
  SteadyTime last_message_{};
  SteadyTime last_ping_{};
  SteadyTime retry_at_{};
  Nanos last_backoff_{0};
};

}  // namespace cts::net
