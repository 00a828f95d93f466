#pragma once
/// \file
/// WsOrderRoute: the order transport of a connection whose venue takes orders over a
/// WebSocket (venue::WsOrderProtocol). A venue::Gateway decorator over the connection's
/// REST gateway: create_order() and cancel_order() go over the WebSocket while its
/// connection is open and logged in, and over REST otherwise (not connected, login
/// pending or refused, an order the protocol does not carry); every other call goes to
/// REST. The executor and everything else keep talking to one venue::Gateway.
///
/// A WebSocket request takes the REST path's rules: it is priced by the connection's
/// RestChannel (the venue's policy, the endpoint whose quota it shares) and booked in
/// the same limiter with the same wait, signed with the same server-time offset, sent
/// once, and the calling (session) thread blocks until the reply with its id arrives or
/// `reply_timeout` passes. No reply — the timeout, or the connection dropped after the
/// frame was queued — is an unknown outcome (create: unknown_outcome; cancel: timeout),
/// which the executor resolves by querying the client order id over REST before
/// anything is retried: a frame is never written twice. A reply that arrives after its
/// request gave up is counted (late_replies) and dropped.
///
/// Login: after every (re)connect the WsClient's subscriptions hook resets
/// the protocol (on_connected) and writes its login() frames; orders wait for the
/// venue's acceptance. A login the venue refuses for the credentials (auth_failed,
/// invalid_signature), or a key the protocol cannot log in with (unsupported), turns
/// the WebSocket route off: REST from then on, the refusal kept (refusal()).
///
/// Threading: one thread (the session's) calls start(), the Gateway operations, poll(),
/// wait_ready(), drop() and stop() (one at a time; the destructor after the last). The
/// WsClient runs caller-driven: no io thread, the connection (its writes, reads,
/// pings, staleness watchdog, reconnects and the login hook) advances inside those
/// calls, so the session calls poll() every step. The protocol stays under a mutex,
/// which a threaded client's hook would need. stats(), state() and transport() may be
/// read from any thread.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/result.hpp"
#include "cts/engine/rest_channel.hpp"
#include "cts/net/ws_client.hpp"
#include "cts/venue/gateway.hpp"
#include "cts/venue/ws_order_entry.hpp"

namespace cts::engine {

/// Options of a WsOrderRoute.
struct WsOrderRouteOptions {
  /// How long a WebSocket request waits for its reply: the REST budget (RestChannel's
  /// 10 s) by default.
  std::chrono::nanoseconds reply_timeout = std::chrono::seconds{10};
  /// The longest wait for the limiter before a request is refused rate_limited, as
  /// RestChannel::execute's.
  std::chrono::nanoseconds max_rate_wait = std::chrono::seconds{10};
  /// The connection's options (timing, TLS, seed). Its `subscriptions` hook,
  /// `policy.application_ping` and `caller_driven` (on) are the route's (the protocol's
  /// login and ping, the session thread running the connection).
  net::WsClientOptions ws;
};

/// Counters of a route (monotonic; read from any thread).
struct WsOrderRouteStats {
  std::atomic<std::uint64_t> ws_orders{0};    ///< Creates and cancels written on the WebSocket.
  std::atomic<std::uint64_t> rest_orders{0};  ///< Creates and cancels sent over REST.
  /// Of rest_orders, those that went over REST because the WebSocket could not carry
  /// them: not connected, login pending or refused, or an order the protocol does not
  /// carry.
  std::atomic<std::uint64_t> fallbacks{0};
  std::atomic<std::uint64_t> unknown_outcomes{0};  ///< WebSocket requests that got no reply (timeout or drop).
  std::atomic<std::uint64_t> late_replies{0};      ///< Replies to requests that had given up, dropped.
  std::atomic<std::uint64_t> logins{0};            ///< Logins the venue accepted (one per connection).
  std::atomic<std::uint64_t> disconnects{0};       ///< Open connections that ended.
  std::atomic<std::uint64_t> protocol_errors{
      0};  ///< Frames the protocol could not read, or replies matching no request.
};

/// Whether the WebSocket can carry orders now.
enum class WsOrderRouteState : std::uint8_t {
  down,        ///< Not connected (connecting, backing off, or stopped).
  logging_in,  ///< Connected, the login not yet accepted.
  ready,       ///< Connected and logged in: orders go over the WebSocket.
  refused,     ///< The login was refused for the credentials: REST for good.
};

/// "down", "logging in", "ready" or "refused".
constexpr std::string_view to_string(WsOrderRouteState state) noexcept {
  switch (state) {
    case WsOrderRouteState::down: return "down";
    case WsOrderRouteState::logging_in: return "logging in";
    case WsOrderRouteState::ready: return "ready";
    case WsOrderRouteState::refused: return "refused";
  }
  return "down";
}

/// See the file comment.
class WsOrderRoute final : public venue::Gateway {
 public:
  /// A route writing orders on `url` in `protocol`'s frames (non-null), over REST
  /// through `rest`, priced and clocked by `channel` (the connection's, whose limiter
  /// `rest`'s requests use too). `rest` and `channel` must outlive the route. Does not
  /// connect until start(). Throws cts::Exception (invalid_argument) for a malformed URL
  /// or an unreadable CA (as net::WsClient).
  WsOrderRoute(venue::Gateway& rest, RestChannel& channel, std::unique_ptr<venue::WsOrderProtocol> protocol,
               std::string_view url, WsOrderRouteOptions options = {});
  /// Stops the connection (closing it in the call, as stop()).
  ~WsOrderRoute() override;
  WsOrderRoute(const WsOrderRoute&) = delete;
  WsOrderRoute& operator=(const WsOrderRoute&) = delete;

  /// Starts connecting (the attempt proceeds in the next calls). Idempotent.
  void start();
  /// Takes every event waiting on the connection (opened, login replies, late replies,
  /// disconnects) without blocking: call it every step so that the state is current.
  void poll();
  /// Takes events until the route is ready or refused, or `timeout` passes; returns
  /// whether it is ready.
  bool wait_ready(std::chrono::milliseconds timeout);
  /// Drops the connection as a network failure would (tests); a reconnect follows.
  void drop();
  /// Closes the connection for good (the close runs in the call, bounded by 2 s): REST
  /// from then on.
  void stop();

  /// The state as of the last event taken.
  [[nodiscard]] WsOrderRouteState state() const noexcept { return state_.load(); }
  /// "ws" while ready, else "rest (ws down)", "rest (ws logging in)" or "rest (ws login
  /// refused)": the status line's transport. Thread-safe.
  [[nodiscard]] std::string transport() const;
  /// Why the WebSocket route is off for good (the venue's login refusal, or the
  /// protocol's unsupported login); none while it may still carry orders.
  [[nodiscard]] std::optional<Error> refusal() const;
  /// The counters.
  [[nodiscard]] const WsOrderRouteStats& stats() const noexcept { return stats_; }
  /// The URL orders are written on.
  [[nodiscard]] const std::string& url() const noexcept;

  /// Over the WebSocket when ready (see the file comment), else REST's. Errors: REST's;
  /// over the WebSocket the venue's refusal as the protocol maps it, rate_limited
  /// (nothing sent), unknown_outcome when no reply came (query the client order id).
  [[nodiscard]] Result<venue::OrderReport> create_order(const venue::NewOrder& order) override;
  /// As create_order; no reply is timeout (the cancel may have executed).
  [[nodiscard]] Result<venue::OrderReport> cancel_order(const venue::OrderRef& ref) override;

  // Every other operation is REST's.
  [[nodiscard]] VenueId venue() const noexcept override { return rest_.venue(); }
  [[nodiscard]] const venue::VenueCapabilities& capabilities() const noexcept override { return rest_.capabilities(); }
  [[nodiscard]] Result<std::int64_t> server_time_ms() override { return rest_.server_time_ms(); }
  [[nodiscard]] Result<Instrument> instrument(std::string_view symbol) override { return rest_.instrument(symbol); }
  [[nodiscard]] Result<venue::BookTicker> book_ticker(std::string_view symbol) override {
    return rest_.book_ticker(symbol);
  }
  [[nodiscard]] Result<venue::BookSnapshot> depth(std::string_view symbol, std::size_t limit) override {
    return rest_.depth(symbol, limit);
  }
  [[nodiscard]] Result<venue::OrderReport> query_order(const venue::OrderRef& ref) override {
    return rest_.query_order(ref);
  }
  [[nodiscard]] Result<std::vector<venue::OrderReport>> open_orders(std::string_view symbol) override {
    return rest_.open_orders(symbol);
  }
  [[nodiscard]] Result<std::vector<venue::OrderReport>> cancel_open_orders(std::string_view symbol) override {
    return rest_.cancel_open_orders(symbol);
  }
  [[nodiscard]] Result<std::vector<venue::AccountTrade>> order_trades(std::string_view symbol,
                                                                      std::string_view order_id) override {
    return rest_.order_trades(symbol, order_id);
  }
  [[nodiscard]] Result<std::vector<venue::AccountTrade>> recent_trades(std::string_view symbol,
                                                                       std::size_t limit) override {
    return rest_.recent_trades(symbol, limit);
  }
  [[nodiscard]] Result<std::vector<venue::Balance>> balances() override { return rest_.balances(); }
  [[nodiscard]] Result<std::vector<venue::Position>> positions(std::string_view symbol) override {
    return rest_.positions(symbol);
  }
  [[nodiscard]] Result<venue::ApiPermissions> api_permissions() override { return rest_.api_permissions(); }
  [[nodiscard]] Result<std::string> open_user_stream_key() override { return rest_.open_user_stream_key(); }
  [[nodiscard]] Result<void> extend_user_stream_key(std::string_view key) override {
    return rest_.extend_user_stream_key(key);
  }
  [[nodiscard]] Result<void> close_user_stream_key(std::string_view key) override {
    return rest_.close_user_stream_key(key);
  }
  [[nodiscard]] Result<void> arm_dead_man_switch(std::chrono::seconds timeout) override {
    return rest_.arm_dead_man_switch(timeout);
  }
  [[nodiscard]] std::optional<Error> credentials_refused() const override { return rest_.credentials_refused(); }

 private:
  /// What the subscriptions hook did on the newest connection.
  struct LoginAttempt {
    std::uint64_t connection = 0;  // the hook's count of connections: the WsEvent's number
    bool needed = false;           // login() returned frames: wait for the venue's acceptance
    std::optional<Error> error;    // login() failed
  };
  /// A request, built, or why it goes over REST instead.
  using Built = Result<venue::WsOrderRequest>;

  /// The login frames of a new connection (the client's hook).
  std::vector<std::string> on_connect_hook();
  /// The venue's clock now: wall clock + the channel's offset.
  [[nodiscard]] SystemTime venue_now() const;
  /// Applies one event; the reply it carries when it answers `awaited`.
  std::optional<venue::WsOrderReply> apply(const net::WsEvent& event, std::string_view awaited);
  /// Turns the route off for good with `error`.
  void refuse(Error error);
  /// Sends one request built by `build(id, venue_now)`, or returns none when it must go
  /// over REST (counted as a fallback). `create` picks the no-reply error.
  std::optional<Result<venue::OrderReport>> over_ws(
      const std::function<Built(std::string_view id, SystemTime venue_now)>& build, bool create);

  venue::Gateway& rest_;
  RestChannel& channel_;
  WsOrderRouteOptions options_;
  std::mutex protocol_mutex_;  // guards protocol_ and login_
  std::unique_ptr<venue::WsOrderProtocol> protocol_;
  LoginAttempt login_;
  // Session thread only, but for the atomics.
  std::atomic<WsOrderRouteState> state_{WsOrderRouteState::down};
  std::uint64_t connection_ = 0;  // the open connection's number; 0: none
  std::uint64_t next_id_ = 0;
  std::deque<std::string> gave_up_;  // ids of the latest requests that got no reply
  mutable std::mutex refusal_mutex_;
  std::optional<Error> refusal_;
  WsOrderRouteStats stats_;
  // Last: its hook uses the members above.
  std::unique_ptr<net::WsClient> ws_;
};

}  // namespace cts::engine
