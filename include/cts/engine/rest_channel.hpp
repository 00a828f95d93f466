#pragma once
/// \file
/// RestChannel: the one path every REST request of a session takes — the venue's rate
/// limiter (waiting for a reservation, never exceeding the published limits), the
/// signer, the HTTP client, and the limiter again with the response's usage headers,
/// 429/418 and Retry-After, and the throttle a venue declares inside an answer (its
/// connector's venue::ThrottleReader); the one place a read is retried, whether its
/// venue failed with a status, a throttle or a transient error inside an HTTP 200 (its
/// connector's venue::ReplyErrorReader).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

#include "cts/core/clock.hpp"
#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/engine/request_metrics.hpp"
#include "cts/net/http_client.hpp"
#include "cts/rate/backoff.hpp"
#include "cts/rate/budget.hpp"
#include "cts/sign/signer.hpp"
#include "cts/venue/gateway.hpp"
#include "cts/venue/reply_error.hpp"
#include "cts/venue/throttle.hpp"
#include "cts/venue/types.hpp"

namespace cts::engine {

/// Counters of a channel (monotonic; read from any thread).
struct ChannelStats {
  std::atomic<std::uint64_t> requests_sent{0};     ///< Requests handed to the transport.
  std::atomic<std::uint64_t> http_429{0};          ///< 429 answers.
  std::atomic<std::uint64_t> http_418{0};          ///< 418 answers.
  std::atomic<std::uint64_t> throttled{0};         ///< Answers the venue's ThrottleReader read as a throttle.
  std::atomic<std::uint64_t> rate_waits{0};        ///< Requests that waited for the limiter.
  std::atomic<std::uint64_t> transport_errors{0};  ///< Requests that failed in the transport.
  /// Answers to reads the venue's ReplyErrorReader read as a transient venue error
  /// (venue_unavailable, timeout, rate_limited inside an answer that is no throttle).
  std::atomic<std::uint64_t> transient_replies{0};
  std::atomic<std::uint64_t> read_retries{0};  ///< Reads sent again after a transient failure.
};

/// How RestChannel retries a read: the backoff (attempts, delays, total budget) and a
/// stop that cuts its waits short.
struct ReadRetry {
  /// Full-jitter backoff of a read's retries; rate::RetryPolicy's defaults (5 attempts,
  /// 100 ms doubling to 10 s, within 30 s) while trading.
  rate::RetryPolicy policy;
  /// A stop requested here ends a backoff wait at once: the read returns its last
  /// failure instead of being retried (a session shutting down does not wait it out).
  /// Empty: waits are never cut short.
  std::stop_token stop;
  /// No retry is waited for past this time (steady clock), whatever the policy still
  /// allows: it bounds every read of a phase together (a session's start-up). Empty:
  /// the policy's budget alone.
  std::optional<SteadyTime> deadline;
  /// Receives one line per retry ("<endpoint> failed (<why>): retrying in <n> ms"),
  /// on the calling thread; empty: none.
  std::function<void(std::string_view)> log;
};

/// How long a throttle holds the request's scopes when the venue names no reset time:
/// one second, the rolling window venues count per account.
inline constexpr std::chrono::seconds kDefaultThrottlePause{1};
/// The longest a throttle's reset time is honoured: a later one is taken as this (a
/// per-second limit never needs more; a wrong clock must not stall the session).
inline constexpr std::chrono::seconds kMaxThrottlePause{60};

/// Sends venue::Request values for one venue connection. Thread-safe: execute() may be
/// called from several threads (limiter, signer and client are). The referenced
/// objects must outlive the channel. It runs on the real clock and blocks the calling
/// (session) thread while it waits for the limiter: the session is a real-time loop.
class RestChannel final : public venue::RequestSender {
 public:
  /// A channel over `http` limited by `limiter` (a rate::Budget: the local Limiter or a
  /// shared budget; its policy prices the endpoints).
  /// `signer` may be null for public data only; it adds the API key (its venue's
  /// header) to requests that need one. `read_throttle` (the connector's; null for a
  /// venue that throttles with HTTP statuses only) reads a throttle inside an answer;
  /// `read_error` (the connector's; null for a venue whose server errors come with a
  /// 5xx) the venue error inside an answer.
  RestChannel(net::HttpClient& http, rate::Budget& limiter, const sign::Signer* signer,
              venue::ThrottleReader read_throttle = nullptr, venue::ReplyErrorReader read_error = nullptr);

  /// execute(request, 10 s): the connectors' path.
  [[nodiscard]] Result<HttpResponse> execute(const venue::Request& request) override {
    return execute(request, std::chrono::seconds{10});
  }

  /// Prices the request with the venue's policy, waits out a ban in force and the
  /// reservation's delay (at most `max_wait` each), signs it when its security asks for
  /// it, sends it, and feeds the response back to the limiter. An answer the venue's
  /// ThrottleReader reads as a throttle (a venue error code in an HTTP 200) is
  /// counted (ChannelStats::throttled) and blocks the scopes of the request's cost in
  /// the limiter (Limiter::on_throttled) until the venue's reset time (moved to the local
  /// clock by the server-time offset; at most kMaxThrottlePause), or for
  /// kDefaultThrottlePause when it names none. Reads (requests that are not mutations)
  /// are retried on transport failures, 429/418, 5xx, throttles and answers the venue's
  /// ReplyErrorReader maps to a transient code (rate::may_retry() of an idempotent
  /// request: Bybit 10016, OKX 50001, counted in ChannelStats::transient_replies) with
  /// full-jitter backoff (read_retry(): its policy; Retry-After and the throttle's reset
  /// as a floor; a stop requested on its token ends a wait at once and the last answer
  /// stands); every retry is admitted and booked like the first send. Mutations are
  /// sent exactly once, and a throttled or failed one's answer goes back to the
  /// connector (which maps it, e.g. rate_limited: not executed, or unknown_outcome:
  /// resolved by client order id). Every send
  /// the venue may count is booked: the HTTP client's one resend of a read whose reused
  /// connection closed without a reply (net::ResendGate) is admitted like a send (waiting
  /// as above) and counted in ChannelStats::requests_sent before it goes; when it cannot
  /// be admitted within `max_wait`, or the request is a mutation, it is not made and the
  /// failure stands (a read then goes through the retries above). Errors:
  /// internal for an endpoint the policy does not price (nothing is sent); rate_limited
  /// when a ban or the wait would exceed max_wait (nothing sent); auth_failed for a key
  /// or signature without credentials (a venue without key-only endpoints:
  /// unsupported); the signer's and the transport's errors (network: not sent;
  /// timeout/unknown_outcome: may have executed). HTTP error statuses come back as
  /// responses for the connector to parse.
  [[nodiscard]] Result<HttpResponse> execute(const venue::Request& request, std::chrono::nanoseconds max_wait);

  /// The cost the venue's policy gives `endpoint` (with `cost_param` where the cost
  /// depends on one), charged `cost_times` times: how execute() prices a Request, for a
  /// request sent another way (an order over the venue's WebSocket, which shares the
  /// REST quota). Errors: internal for an endpoint the policy does not price.
  [[nodiscard]] Result<rate::Cost> price(std::string_view endpoint, std::optional<std::uint32_t> cost_param,
                                         std::uint32_t cost_times) const;
  /// Books `cost` in the limiter as execute() does before sending: waits out a ban in
  /// force when it ends within `max_wait`, then the reservation's delay (at most
  /// `max_wait`). Blocks the calling thread. Errors: rate_limited when a ban or the wait
  /// would exceed max_wait, invalid_argument for a cost beyond a pool's burst (nothing
  /// is booked then).
  [[nodiscard]] Result<rate::Reservation> admit(const rate::Cost& cost, std::chrono::nanoseconds max_wait);
  /// Gives back the units of an admission whose request will not be sent.
  void release(const rate::Reservation& reservation) noexcept { (void)limiter_.cancel(reservation); }
  /// Feeds the limiter a venue's answer to a request charged `cost` that was sent
  /// another way, as execute() feeds a response: its usage headers resync the pools, a
  /// 429/418 blocks the scopes (venue::WsOrderReply::usage).
  void feedback(const HttpResponse& response, const rate::Cost& cost);
  /// A request charged `cost` was throttled by the venue (an answer read as a throttle):
  /// counted (ChannelStats::throttled), and the scopes of `cost` blocked for `pause`
  /// (at most kMaxThrottlePause).
  void throttled(const rate::Cost& cost, Nanos pause);

  /// Sets venue time − local time, applied to signing timestamps and to the reset times
  /// of throttles.
  void set_server_time_offset(std::chrono::milliseconds offset) noexcept { offset_ms_.store(offset.count()); }
  /// Sets how reads are retried from now on (a session's start-up sets its longer
  /// patience and its stop, then gives the trading defaults back). Thread-safe; a read
  /// already under way keeps the setting it started with.
  void set_read_retry(ReadRetry retry);
  /// The setting in force.
  [[nodiscard]] ReadRetry read_retry() const;
  /// The offset in force.
  [[nodiscard]] std::chrono::milliseconds server_time_offset() const noexcept {
    return std::chrono::milliseconds(offset_ms_.load());
  }
  /// Feeds `metrics` (null: none) with every request execute() sends and every order
  /// request's round trip; the WebSocket order route feeds it through metrics(). Call it
  /// before the first request; `metrics` must outlive the channel's use.
  void set_metrics(RequestMetrics* metrics) noexcept { metrics_ = metrics; }
  /// The metrics set by set_metrics(), or null.
  [[nodiscard]] RequestMetrics* metrics() const noexcept { return metrics_; }
  /// The counters.
  [[nodiscard]] const ChannelStats& stats() const noexcept { return stats_; }
  /// The rate budget (for health checks).
  [[nodiscard]] const rate::Budget& limiter() const noexcept { return limiter_; }

 private:
  /// How long `signal`, read at `wall_now`, holds the request's scopes.
  [[nodiscard]] Nanos throttle_pause(const venue::ThrottleSignal& signal, SystemTime wall_now) const noexcept;

  net::HttpClient& http_;
  rate::Budget& limiter_;
  const sign::Signer* signer_;
  venue::ThrottleReader read_throttle_;
  venue::ReplyErrorReader read_error_;
  mutable std::mutex read_retry_mutex_;
  ReadRetry read_retry_;  // guarded by read_retry_mutex_
  std::atomic<std::int64_t> offset_ms_{0};
  ChannelStats stats_;
  RequestMetrics* metrics_ = nullptr;
};

}  // namespace cts::engine
