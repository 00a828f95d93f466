#pragma once
/// \file
/// UserStream: an account's private WebSocket stream, whatever the venue: a
/// venue::UserStreamProtocol (made by the registry) authenticates, subscribes and
/// parses; the stream feeds order updates to the OrderExecutor, keeps the account's
/// balances as the venue reports them, and tracks whether events may have been missed.
///
/// Sans-I/O towards the WebSocket: the owner runs a net::WsClient on the venue's
/// private-stream URL, installs subscriptions() as its subscriptions hook (freshly
/// signed frames on every connect) and hands every WsEvent to on_event(). Events that
/// happen while no subscription is live are not replayed by venues, so after every
/// (re)subscription needs_reconcile() asks the owner for a REST executor.sync().

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/core/decimal.hpp"
#include "cts/core/result.hpp"
#include "cts/engine/executor.hpp"
#include "cts/net/ws_client.hpp"
#include "cts/venue/user_stream.hpp"

namespace cts::engine {

/// Options of a UserStream.
struct UserStreamOptions {
  /// The wall clock for the subscription's timestamp (called from the WsClient's io
  /// thread inside subscriptions(): it must be thread-safe).
  std::function<SystemTime()> wall_clock = [] { return RealClock{}.system_now(); };
  /// Venue time − local time, added to the timestamp (e.g. RestChannel's
  /// server_time_offset). Called from the io thread: it must be thread-safe. Empty: 0.
  std::function<std::chrono::milliseconds()> server_time_offset;
};

/// Counters of a UserStream.
struct UserStreamStats {
  std::uint64_t messages = 0;          ///< Messages received.
  std::uint64_t subscriptions = 0;     ///< Subscriptions the venue acknowledged.
  std::uint64_t subscribe_errors = 0;  ///< Error replies (any code).
  std::uint64_t auth_failures = 0;     ///< Of those, auth_failed or invalid_signature (key, IP, signature).
  std::uint64_t order_updates = 0;     ///< Order updates handed to the executor.
  std::uint64_t update_errors = 0;     ///< Of those, refused by the executor.
  std::uint64_t account_updates = 0;   ///< Balance updates taken.
  std::uint64_t terminations = 0;      ///< Subscriptions the venue ended.
  std::uint64_t reconnects = 0;        ///< Connections opened after the first.
  std::uint64_t parse_errors = 0;      ///< Frames that did not parse.
};

/// One asset as the user data stream last reported it.
struct StreamBalance {
  Decimal free;                  ///< Available.
  Decimal locked;                ///< Held by open orders.
  std::int64_t event_time_ms = 0;  ///< Venue event time of the report.
};

/// The private stream of one account. Not thread-safe, except subscriptions() (called
/// on the WsClient's io thread). The executor must outlive it.
class UserStream {
 public:
  /// A stream speaking `protocol` (non-null) and handing order updates to `executor`.
  UserStream(std::unique_ptr<venue::UserStreamProtocol> protocol, OrderExecutor& executor,
             UserStreamOptions options = {});

  /// The frames to send after every (re)connect: the protocol's authentication and
  /// subscriptions, signed now (wall clock + server offset). They carry the API key and
  /// a signature, never the secret; do not log them. Thread-safe. Returns no frame only
  /// if signing fails (then the subscription never becomes live and needs_reconcile()
  /// stays set).
  [[nodiscard]] std::vector<std::string> subscriptions() const;
  /// The protocol's keep-alive text frame (empty: protocol pings). Thread-safe.
  [[nodiscard]] std::string_view application_ping() const noexcept { return protocol_->application_ping(); }

  /// Consumes one event of the private-stream connection at `now`:
  /// - opened: the subscription is pending again (a reconnect is counted);
  /// - message: the protocol's events — subscribed → live, needs_reconcile() set; an
  ///   error reply → returned, counted, kept in last_error(); an order update → the
  ///   executor's apply_update(); balances → balances(); the venue ending the
  ///   subscription → not live (the owner reconnects: WsClient::drop());
  /// - disconnected / closed: not live; needs_reconcile() set.
  /// Errors: the venue's reply error (auth_failed, invalid_signature,
  /// timestamp_out_of_window, ...), protocol_error for an unparsable frame, the
  /// executor's error.
  Result<void> on_event(const net::WsEvent& event, SteadyTime now);

  /// True while a subscription is acknowledged and its connection is up.
  [[nodiscard]] bool live() const noexcept { return live_; }
  /// True when order events may have been missed (before the first subscription, after
  /// every disconnect or termination): run executor.sync() once live() and call
  /// reconciled().
  [[nodiscard]] bool needs_reconcile() const noexcept { return needs_reconcile_; }
  /// Marks the reconciliation done. Only effective while live() (a sync made before
  /// the subscription was acknowledged does not cover the gap); returns whether it was.
  bool reconciled() noexcept {
    if (!live_) return false;
    needs_reconcile_ = false;
    return true;
  }
  /// True after the venue ended the subscription, until the next one.
  [[nodiscard]] bool terminated() const noexcept { return terminated_; }
  /// The subscription id of the live subscription.
  [[nodiscard]] std::optional<std::int64_t> subscription_id() const noexcept { return subscription_id_; }
  /// The last error reply or failure met (auth failures included).
  [[nodiscard]] const std::optional<Error>& last_error() const noexcept { return last_error_; }
  /// Asset → balance, as the stream last reported them (only assets that changed
  /// since the stream started appear).
  [[nodiscard]] const std::map<std::string, StreamBalance, std::less<>>& balances() const noexcept {
    return balances_;
  }
  /// The counters.
  [[nodiscard]] const UserStreamStats& stats() const noexcept { return stats_; }

 private:
  Result<void> on_message(const std::string& text, SteadyTime now);

  std::unique_ptr<venue::UserStreamProtocol> protocol_;
  OrderExecutor& executor_;
  UserStreamOptions options_;
  UserStreamStats stats_;
  std::map<std::string, StreamBalance, std::less<>> balances_;
  std::optional<std::int64_t> subscription_id_;
  std::optional<Error> last_error_;
  bool live_ = false;
  bool connected_ = false;
  bool needs_reconcile_ = true;
  bool terminated_ = false;
};

}  // namespace cts::engine
