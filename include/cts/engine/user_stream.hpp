#pragma once
/// \file
/// UserStream: the Binance spot user data stream through the WebSocket API
/// (userDataStream.subscribe.signature, the listenKey endpoints being retired), feeding
/// execution reports to the OrderExecutor and keeping the account's balances as the
/// stream reports them (outboundAccountPosition).
///
/// Sans-I/O towards the WebSocket: the owner runs a net::WsClient on the WebSocket API
/// URL, installs subscriptions() as its subscriptions hook (a freshly signed subscribe
/// request on every connect) and hands every WsEvent to on_event(). Events that happen
/// while no subscription is live are not replayed by the venue, so after every
/// (re)subscription needs_reconcile() asks the owner for a REST executor.sync().

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/core/decimal.hpp"
#include "cts/core/result.hpp"
#include "cts/engine/executor.hpp"
#include "cts/net/ws_client.hpp"
#include "cts/sign/binance.hpp"
#include "cts/sign/signer.hpp"

namespace cts::engine {

/// Options of a UserStream.
struct UserStreamOptions {
  /// The wall clock for the subscription's timestamp (called from the WsClient's io
  /// thread inside subscriptions(): it must be thread-safe).
  std::function<SystemTime()> wall_clock = [] { return RealClock{}.system_now(); };
  /// Venue time − local time, added to the timestamp (e.g. RestChannel's
  /// server_time_offset). Called from the io thread: it must be thread-safe. Empty: 0.
  std::function<std::chrono::milliseconds()> server_time_offset;
  /// Prefix of the subscribe request ids ("<prefix>-<n>").
  std::string request_id_prefix = "cts-uds";
};

/// Counters of a UserStream.
struct UserStreamStats {
  std::uint64_t messages = 0;          ///< Messages received.
  std::uint64_t subscriptions = 0;     ///< Subscriptions the venue acknowledged.
  std::uint64_t subscribe_errors = 0;  ///< Error replies (any code).
  std::uint64_t auth_failures = 0;     ///< Of those, auth_failed or invalid_signature (key, IP, signature).
  std::uint64_t order_updates = 0;     ///< executionReport events handed to the executor.
  std::uint64_t update_errors = 0;     ///< Of those, refused by the executor.
  std::uint64_t account_updates = 0;   ///< outboundAccountPosition events taken.
  std::uint64_t terminations = 0;      ///< eventStreamTerminated events.
  std::uint64_t reconnects = 0;        ///< Connections opened after the first.
  std::uint64_t parse_errors = 0;      ///< Frames that did not parse.
};

/// One asset as the user data stream last reported it.
struct StreamBalance {
  Decimal free;                  ///< Available.
  Decimal locked;                ///< Held by open orders.
  std::int64_t event_time_ms = 0;  ///< Venue event time (E) of the report.
};

/// The spot user data stream of one account. Not thread-safe, except subscriptions()
/// (called on the WsClient's io thread). The signer and the executor must outlive it.
class UserStream {
 public:
  /// A stream signing with `signer` and handing order updates to `executor`. Throws
  /// cts::Exception (invalid_argument) when `signer` is not a Binance HMAC signer (the
  /// only scheme with WebSocket API parameter signing here).
  UserStream(const sign::Signer& signer, OrderExecutor& executor, UserStreamOptions options = {});

  /// The frames to send after every (re)connect: one userDataStream.subscribe.signature
  /// request signed now (wall clock + server offset), with a new request id. It carries
  /// the API key and the signature, never the secret; do not log it. Thread-safe.
  /// Returns no frame only if signing fails (then last_error() is not updated: the
  /// subscription simply never becomes live and needs_reconcile() stays set).
  [[nodiscard]] std::vector<std::string> subscriptions() const;

  /// Consumes one event of the WebSocket API connection at `now`:
  /// - opened: the subscription is pending again (a reconnect is counted);
  /// - message: the subscribe reply (subscriptionId → live, needs_reconcile() set; an
  ///   error → returned, counted, kept in last_error()), executionReport → the
  ///   executor's apply_update(), outboundAccountPosition → balances(),
  ///   eventStreamTerminated → not live (the owner reconnects: WsClient::drop());
  /// - disconnected / closed: not live; needs_reconcile() set.
  /// Errors: the venue's reply error (auth_failed for -2015/-2014, invalid_signature
  /// for -1022, ...), protocol_error for an unparsable frame, the executor's error.
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
  /// True after an eventStreamTerminated until the next subscription.
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

  const sign::BinanceHmacSigner& signer_;
  OrderExecutor& executor_;
  UserStreamOptions options_;
  mutable std::atomic<std::uint64_t> next_request_{1};
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
