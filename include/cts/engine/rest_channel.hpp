#pragma once
/// \file
/// RestChannel: the one path every REST request of a session takes — the venue's rate
/// limiter (waiting for a reservation, never exceeding the published limits), the
/// signer, the HTTP client, and the limiter again with the response's usage headers,
/// 429/418 and Retry-After.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "cts/core/clock.hpp"
#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/net/http_client.hpp"
#include "cts/rate/limiter.hpp"
#include "cts/sign/signer.hpp"
#include "cts/venue/gateway.hpp"
#include "cts/venue/types.hpp"

namespace cts::engine {

/// Counters of a channel (monotonic; read from any thread).
struct ChannelStats {
  std::atomic<std::uint64_t> requests_sent{0};    ///< Requests handed to the transport.
  std::atomic<std::uint64_t> http_429{0};         ///< 429 answers.
  std::atomic<std::uint64_t> http_418{0};         ///< 418 answers.
  std::atomic<std::uint64_t> rate_waits{0};       ///< Requests that waited for the limiter.
  std::atomic<std::uint64_t> transport_errors{0}; ///< Requests that failed in the transport.
};

/// Sends venue::Request values for one venue connection. Thread-safe: execute() may be
/// called from several threads (limiter, signer and client are). The referenced
/// objects must outlive the channel. It runs on the real clock and blocks the calling
/// (session) thread while it waits for the limiter: the session is a real-time loop.
class RestChannel final : public venue::RequestSender {
 public:
  /// A channel over `http` limited by `limiter` (whose policy prices the endpoints).
  /// `signer` may be null for public data only; it adds the API key (its venue's
  /// header) to requests that need one.
  RestChannel(net::HttpClient& http, rate::Limiter& limiter, const sign::Signer* signer);

  /// execute(request, 10 s): the connectors' path.
  [[nodiscard]] Result<HttpResponse> execute(const venue::Request& request) override {
    return execute(request, std::chrono::seconds{10});
  }

  /// Prices the request with the venue's policy, waits out a ban in force and the
  /// reservation's delay (at most `max_wait` each), signs it when its security asks for
  /// it, sends it, and feeds the response back to the limiter. Reads (requests that are
  /// not mutations) are retried on transport failures, 429/418 and 5xx with full-jitter
  /// backoff (rate::RetryPolicy defaults, Retry-After as a floor); mutations are sent
  /// exactly once. Errors: internal for an endpoint the policy does not price (nothing
  /// is sent); rate_limited when a ban or the wait would exceed max_wait (nothing sent);
  /// auth_failed for a key or signature without credentials (a venue without key-only
  /// endpoints: unsupported); the signer's and the
  /// transport's errors (network: not sent; timeout/unknown_outcome: may have executed).
  /// HTTP error statuses come back as responses for the connector to parse.
  [[nodiscard]] Result<HttpResponse> execute(const venue::Request& request, std::chrono::nanoseconds max_wait);

  /// Sets venue time − local time, applied to signing timestamps.
  void set_server_time_offset(std::chrono::milliseconds offset) noexcept { offset_ms_.store(offset.count()); }
  /// The offset in force.
  [[nodiscard]] std::chrono::milliseconds server_time_offset() const noexcept {
    return std::chrono::milliseconds(offset_ms_.load());
  }
  /// The counters.
  [[nodiscard]] const ChannelStats& stats() const noexcept { return stats_; }
  /// The limiter (for health checks).
  [[nodiscard]] const rate::Limiter& limiter() const noexcept { return limiter_; }

 private:
  net::HttpClient& http_;
  rate::Limiter& limiter_;
  const sign::Signer* signer_;
  std::atomic<std::int64_t> offset_ms_{0};
  ChannelStats stats_;
};

}  // namespace cts::engine
