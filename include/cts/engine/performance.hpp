#pragma once
/// \file
/// PerformanceSampler: per-session performance over the last minutes, sampled from the
/// sessions' metric families (order round trips, orders, requests and their errors,
/// realized PnL) into a ring of points, and the GET /api/performance document built
/// from it. Sans-I/O: the owner calls sample() about once a second (`ctsctl run` does,
/// in its status loop) with Coordinator::registries(); the control API reads to_json().
/// Thread-safe: sample() and the readers take one mutex.

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/engine/coordinator.hpp"
#include "cts/health/metrics.hpp"
#include "cts/health/process_metrics.hpp"

namespace cts::engine {

/// How a PerformanceSampler keeps its points.
struct PerformanceOptions {
  /// How far back points are kept per session (with one sample a second: 600 points).
  std::chrono::seconds window{600};
  /// The span of the rates (orders per second, error rate): the points of the last minute.
  std::chrono::seconds rate_window{60};
};

/// One sample of one session.
struct PerformancePoint {
  SystemTime at;                           ///< When it was taken.
  /// The median order round trip, milliseconds, of the round trips since the previous
  /// point; nothing when there was none.
  std::optional<double> order_rtt_ms_p50;
  std::optional<double> pnl;               ///< The realized PnL gauge; nothing for a session without one.
  std::uint64_t orders_total = 0;          ///< cts_engine_orders_submitted_total.
  std::uint64_t requests_total = 0;        ///< cts_engine_requests_total over every class.
  std::uint64_t errors_total = 0;          ///< cts_engine_request_errors_total over every class and reason.
};

/// Per-session figures over time (see the file comment).
class PerformanceSampler {
 public:
  /// A sampler with no point yet.
  explicit PerformanceSampler(PerformanceOptions options = {}) : options_(options) {}

  /// Takes one point of every session in `sources` at `at` (collecting their
  /// registries), drops the points older than the window and the sessions no longer
  /// in `sources`. A session without a metrics registry gets a point without figures.
  void sample(const std::vector<SessionRegistries>& sources, SystemTime at);

  /// The points kept for `session`, oldest first (empty for an unknown session).
  [[nodiscard]] std::vector<PerformancePoint> series(std::string_view session) const;

  /// The GET /api/performance document at `now`: `{"process":{"cpu_seconds",
  /// "resident_memory_bytes","open_fds","start_time","uptime_seconds"} (null without
  /// `process`), "sessions":[{"name","venue","order_transport","orders_total",
  /// "orders_per_second","errors_total","error_rate","order_rtt_ms":{"p50","p90",
  /// "p99"}}], "series":[{"session","points":[{"at","order_rtt_ms_p50","pnl"}]}]}`.
  /// Rates are over the points of the last rate_window (0 with fewer than two);
  /// error_rate is failed requests per request sent; the round-trip percentiles are of
  /// every round trip since the session started (null before the first); pnl is a
  /// decimal string (8 decimals at most) or null; times are RFC 3339 UTC with
  /// milliseconds.
  [[nodiscard]] std::string to_json(const std::optional<health::ProcessSample>& process, SystemTime now) const;

 private:
  struct Track {
    std::string venue;                    // the requests' venue label; empty before the first
    std::string transport = "rest";       // "ws" while the WebSocket order route is ready
    health::HistogramSnapshot round_trips;  // every round trip so far, transports merged
    std::deque<PerformancePoint> points;
  };

  PerformanceOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, Track, std::less<>> tracks_;
};

}  // namespace cts::engine
