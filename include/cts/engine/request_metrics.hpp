#pragma once
/// \file
/// RequestMetrics: the metric families of one venue connection's requests, which its
/// RestChannel and WsOrderRoute feed: requests and failed requests per endpoint class,
/// and the round-trip time of order requests per transport (a Prometheus histogram).

#include <chrono>
#include <string>
#include <string_view>

#include "cts/health/metrics_registry.hpp"
#include "cts/venue/types.hpp"

namespace cts::engine {

/// The bucket bounds of cts_engine_order_rtt_seconds, seconds: 0.1 ms (a simulator on
/// the same machine) to 10 s (RestChannel's longest wait).
inline constexpr double kOrderRoundTripBounds[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                   0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};

/// The class of a venue request in the metrics' `endpoint_class` label: "order" for a
/// signed mutation (creates, cancels), "public" for a request without credentials,
/// "account" for the others (balances, open orders, listen keys).
std::string_view endpoint_class(const venue::Request& request) noexcept;

/// The families, registered in a session's registry with the label venue="<venue>":
/// counters cts_engine_requests_total{venue,endpoint_class} (requests sent, over REST
/// or, for orders, the WebSocket) and cts_engine_request_errors_total{venue,
/// endpoint_class,reason} (reason: transport, no_reply, http_4xx, http_429, http_418,
/// http_5xx, throttled, venue_error: a transient venue error inside an answer to a
/// read, which is retried), and the histogram cts_engine_order_rtt_seconds{venue,transport}
/// (transport "ws" or "rest": from writing an order request to reading its answer).
/// Thread-safe (the families are). The registry must outlive it.
class RequestMetrics {
 public:
  /// Registers the families in `registry` (throws std::invalid_argument when they are
  /// registered already).
  RequestMetrics(health::MetricsRegistry& registry, std::string venue);

  /// Counts one request of `endpoint_class` sent.
  void request(std::string_view endpoint_class);
  /// Counts one request of `endpoint_class` that failed for `reason`.
  void error(std::string_view endpoint_class, std::string_view reason);
  /// Records one order request's round trip over `transport` ("ws" or "rest").
  void order_round_trip(std::string_view transport, std::chrono::nanoseconds elapsed);

 private:
  std::string venue_;
  health::Family<health::Counter>& requests_;
  health::Family<health::Counter>& errors_;
  health::Family<health::Histogram>& round_trips_;
};

/// The `reason` label of an HTTP answer that counts as a failed request (see
/// RequestMetrics), or empty for a success (1xx-3xx).
std::string_view http_error_reason(int status) noexcept;

}  // namespace cts::engine
