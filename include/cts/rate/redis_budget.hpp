#pragma once
/// \file
/// cts::rate::RedisBudget: a venue's rate budget shared by every process (on any host)
/// that trades the same (venue, base URL, API key), kept in a Redis server.
///
/// Each reservation is decided by one server-side Lua script: GCRA over all of the
/// request's pools, all or nothing, with the same semantics as rate::GcraPool (at a
/// resolution of 1 µs, the interval per unit rounded up) and times from Redis `TIME`, so
/// processes on different hosts agree. Bans (429/418/403 with Retry-After, throttles)
/// and usage-header resyncs from any process are written to Redis and honoured by all.
///
/// When the server cannot be reached (connection refused, a timeout: short timeouts),
/// the budget falls back to a local rate::Limiter at `fallback_share_percent` of the
/// venue's budget, never more; it tries the server again every `retry_interval` and
/// goes back to it. The fallback's pools start as full as the server's were last seen;
/// back on the server, the units the fallback granted are charged to it (docs/rate.md).
/// status() reports the fallback in LimiterStatus::degraded (health checks warn).
///
/// Keys: `cts:rate:<venue>:<base URL>:ip:<pool>` for pools and bans the venue counts per
/// IP, `cts:rate:<venue>:<base URL>:key:<hash>:<pool>` per account, where <hash> is the
/// first 16 bytes of SHA-256(API key) in hex: the key itself never reaches Redis. Keys
/// expire once their pool is full again.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "cts/core/clock.hpp"
#include "cts/core/result.hpp"
#include "cts/rate/budget.hpp"
#include "cts/rate/policy.hpp"

namespace cts::rate {

/// Options of a RedisBudget.
struct RedisBudgetOptions {
  std::string url;       ///< `redis://[[user]:password@]host[:port][/db]` (rate/redis_url.hpp).
  std::string base_url;  ///< The venue's REST base URL the budget is for.
  std::string api_key;   ///< The API key the budget is for (only its hash is used); empty: public data only.
  /// The share (1..100 percent) of the venue's budget this process may use on its local
  /// fallback: 100/N for N processes sharing the budget.
  unsigned fallback_share_percent = 100;
  Nanos timeout = std::chrono::milliseconds{250};      ///< Connect and command timeout.
  Nanos retry_interval = std::chrono::seconds{1};      ///< Wait between attempts to reach the server.
  /// Receives a line when the budget falls back or goes back to the server (the URL
  /// redacted); null: none. Called from the thread that noticed; must be thread-safe.
  std::function<void(std::string_view)> log;
};

/// A booking decided by the server, in the server's time (for audits and tests).
struct ServerBooking {
  std::int64_t server_now_us = 0;  ///< The server's `TIME` when it decided, µs since the Unix epoch.
  std::int64_t ready_us = 0;       ///< When the booked request may be sent, on the same clock.
  Reservation reservation;         ///< What cancel() needs (ready_at on the local steady clock).
};

/// See the file comment. Thread-safe; one connection per budget, used under a lock.
class RedisBudget final : public Budget {
 public:
  /// A budget for `policy` (whose tables outlive it). Connects at once; an unreachable
  /// server is not an error (the budget starts on its fallback). Errors:
  /// invalid_argument for a malformed URL (never quoted) or a share outside 1..100.
  static Result<std::shared_ptr<RedisBudget>> create(const VenuePolicy& policy, RedisBudgetOptions options);
  ~RedisBudget() override;
  RedisBudget(const RedisBudget&) = delete;
  RedisBudget& operator=(const RedisBudget&) = delete;

  [[nodiscard]] const VenuePolicy& policy() const noexcept override;
  /// Books on the server, or on the local fallback when the server cannot be reached.
  /// Errors as Budget::reserve.
  [[nodiscard]] Result<Reservation> reserve(const Cost& cost, SteadyTime now, Nanos max_wait) override;
  /// Gives back where it was booked (the server's: only while connected).
  std::size_t cancel(const Reservation& booking) noexcept override;
  /// The later of the server's ban and the ones this process saw.
  [[nodiscard]] SteadyTime blocked_until(Scope scope) const noexcept override;
  /// Applies the response locally and writes its bans and usage to the server.
  Result<Feedback> on_response(const HttpResponse& response, SteadyTime now, SystemTime wall_now,
                               const Cost* cost) override;
  void on_throttled(const Cost& cost, SteadyTime now, Nanos pause) noexcept override;
  /// The server's view of the pools and bans; on the fallback, the local one with `degraded` set.
  [[nodiscard]] LimiterStatus status(SteadyTime now) const override;

  /// Books `cost` on the server only. Errors: network when the server cannot be reached
  /// (the budget switches to its fallback), else as reserve().
  [[nodiscard]] Result<ServerBooking> book_on_server(const Cost& cost, Nanos max_wait);
  /// True while the budget runs on its local fallback.
  [[nodiscard]] bool on_fallback() const noexcept;
  /// The URL with its password redacted.
  [[nodiscard]] const std::string& redacted_url() const noexcept;

 private:
  struct Impl;
  explicit RedisBudget(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cts::rate
