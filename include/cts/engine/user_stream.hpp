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
///
/// Where the venue's capabilities say the private stream logs in with a listen key, the
/// stream keeps one through the gateway given in its options: maintain_key(), called
/// before the connection starts and on every step, opens a key when none is held (and
/// after the venue expired it), hands it to the protocol, and extends it once half its
/// validity has passed; close_key() closes it (only for an owner whose stream is the
/// account's only one: a venue may keep one key per account).

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/core/decimal.hpp"
#include "cts/core/result.hpp"
#include "cts/engine/executor.hpp"
#include "cts/net/ws_client.hpp"
#include "cts/venue/gateway.hpp"
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
  /// The gateway that opens, extends and closes the listen key when its capabilities say
  /// PrivateStreamLogin::listen_key (it must outlive the stream); null, or a venue that
  /// logs in on the connection: no key is kept and maintain_key() sends nothing.
  venue::Gateway* key_gateway = nullptr;
  /// The wait after a failed key request before maintain_key() tries again.
  std::chrono::seconds key_retry_interval{5};
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
  std::uint64_t position_updates = 0;  ///< Position updates taken (derivatives).
  std::uint64_t keys_opened = 0;       ///< Listen keys opened (or the live one returned).
  std::uint64_t key_extensions = 0;    ///< Listen keys extended.
  std::uint64_t key_errors = 0;        ///< Failed listen-key requests.
};

/// One asset as the user data stream last reported it.
struct StreamBalance {
  Decimal free;                    ///< Available.
  Decimal locked;                  ///< Held by open orders.
  std::int64_t event_time_ms = 0;  ///< Venue event time of the report.
};

/// One position leg as the user data stream last reported it.
struct StreamPosition {
  venue::Position position;        ///< Signed size, entry price, unrealised PnL, leg, ...
  std::int64_t event_time_ms = 0;  ///< Venue event time of the report.
  SteadyTime received{};           ///< Local time the report was taken.
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
  /// a signature, or the listen key, never the secret; do not log them. Thread-safe.
  /// Returns no frame where connecting is the subscription (a listen key in the URL:
  /// connection_target()), and otherwise only if signing fails or no listen key is held
  /// yet (then the subscription never becomes live and needs_reconcile() stays set).
  [[nodiscard]] std::vector<std::string> subscriptions() const;
  /// The request target of the next connection from the private-stream URL's own
  /// `url_target`: the protocol's (a listen key in the URL, where the venue names the
  /// stream that way; it then carries the key: do not log it). Thread-safe: install it
  /// as the WsClient's target hook.
  [[nodiscard]] std::string connection_target(std::string_view url_target) const {
    return protocol_->connection_target(url_target);
  }
  /// The protocol's keep-alive text frame (empty: protocol pings). Thread-safe.
  [[nodiscard]] std::string_view application_ping() const noexcept { return protocol_->application_ping(); }
  /// The protocol's answer to a received frame (empty: none; see
  /// UserStreamProtocol::answer()). Thread-safe.
  [[nodiscard]] std::string answer(std::string_view text) const { return protocol_->answer(text); }

  /// Consumes one event of the private-stream connection at `now`:
  /// - opened: the subscription is pending again (a reconnect is counted), or live at
  ///   once where connecting is the subscription (a listen key in the URL) and a key is
  ///   held;
  /// - message: the protocol's events — authenticated → the protocol's
  ///   after_authentication() frames queued for take_frames_to_send(); subscribed →
  ///   live, needs_reconcile() set; an
  ///   error reply → returned, counted, kept in last_error(); an order update → the
  ///   executor's apply_update(); balances → balances(); positions → positions(); the
  ///   venue ending the subscription → not live, the listen key (if any) forgotten (the
  ///   owner calls maintain_key() for a new one and reconnects: WsClient::drop());
  /// - disconnected / closed: not live; needs_reconcile() set.
  /// Errors: the venue's reply error (auth_failed, invalid_signature,
  /// timestamp_out_of_window, ...), protocol_error for an unparsable frame, the
  /// executor's error.
  Result<void> on_event(const net::WsEvent& event, SteadyTime now);

  /// True when the venue's private stream logs in with a listen key and a gateway to
  /// keep it was given.
  [[nodiscard]] bool uses_stream_key() const noexcept { return key_gateway_ != nullptr; }
  /// Keeps the listen key (see the file comment) at `now`; blocking (one REST request at
  /// most). Returns true when the protocol got a different key while a connection is up
  /// (subscribed with the old key, or with none): the owner drops the connection
  /// (WsClient::drop()) so that the next one subscribes with the new key. A failed
  /// request is counted, kept in last_key_error() and tried again after
  /// key_retry_interval; a key the venue no longer knows (rejected) is replaced at once.
  /// Without a listen key: false, nothing sent.
  bool maintain_key(SteadyTime now);
  /// Closes the held listen key at the venue (when this was the account's only stream) and forgets it;
  /// nothing is sent without one. Errors: the gateway's.
  Result<void> close_key();
  /// The last failed listen-key request.
  [[nodiscard]] const std::optional<Error>& last_key_error() const noexcept { return last_key_error_; }

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
  [[nodiscard]] const std::map<std::string, StreamBalance, std::less<>>& balances() const noexcept { return balances_; }
  /// (symbol, leg) → position, as the stream last reported them (only legs that changed
  /// since the stream started appear; derivatives venues only).
  [[nodiscard]] const std::map<std::pair<std::string, venue::PositionSide>, StreamPosition>& positions()
      const noexcept {
    return positions_;
  }
  /// The counters.
  [[nodiscard]] const UserStreamStats& stats() const noexcept { return stats_; }
  /// The frames the owner must send now on the current connection (WsClient::send()),
  /// handed over once: the protocol's after_authentication() frames, queued when the
  /// venue accepted this connection's authentication. A new connection or a disconnect
  /// drops frames not yet taken (the next connection authenticates again). They may
  /// carry a credential: do not log them.
  [[nodiscard]] std::vector<std::string> take_frames_to_send() noexcept { return std::exchange(frames_to_send_, {}); }

 private:
  Result<void> on_message(const std::string& text, SteadyTime now);

  std::unique_ptr<venue::UserStreamProtocol> protocol_;
  OrderExecutor& executor_;
  UserStreamOptions options_;
  UserStreamStats stats_;
  std::map<std::string, StreamBalance, std::less<>> balances_;
  std::map<std::pair<std::string, venue::PositionSide>, StreamPosition> positions_;
  venue::Gateway* key_gateway_ = nullptr;    // set only for a listen-key venue
  std::string key_;                          // the listen key held (empty: none)
  std::optional<SteadyTime> key_refreshed_;  // when key_ was opened or last extended
  std::optional<SteadyTime> key_retry_at_;   // no key request before this, after a failure
  std::optional<Error> last_key_error_;
  std::optional<std::int64_t> subscription_id_;
  std::optional<Error> last_error_;
  std::vector<std::string> frames_to_send_;  // after_authentication() frames not yet taken
  bool live_ = false;
  bool connected_ = false;
  bool needs_reconcile_ = true;
  bool terminated_ = false;
};

}  // namespace cts::engine
