#include "cts/engine/request_metrics.hpp"

#include <iterator>
#include <utility>

namespace cts::engine {

std::string_view endpoint_class(const venue::Request& request) noexcept {
  if (request.security == venue::Security::none) return "public";
  if (request.mutation && request.security == venue::Security::signed_) return "order";
  return "account";
}

std::string_view http_error_reason(int status) noexcept {
  if (status == 429) return "http_429";
  if (status == 418) return "http_418";
  if (status >= 500) return "http_5xx";
  if (status >= 400) return "http_4xx";
  return {};
}

RequestMetrics::RequestMetrics(health::MetricsRegistry& registry, std::string venue)
    : venue_(std::move(venue)),
      requests_(registry.counter({"cts_engine_requests", "Requests sent to the venue, by endpoint class",
                                  {"venue", "endpoint_class"}})),
      errors_(registry.counter({"cts_engine_request_errors",
                                "Requests to the venue that failed (no answer, an HTTP error, a throttle), by reason",
                                {"venue", "endpoint_class", "reason"}})),
      round_trips_(registry.histogram(
          {"cts_engine_order_rtt_seconds", "Round trip of order requests (create, cancel), by transport",
           {"venue", "transport"}, "seconds"},
          {std::begin(kOrderRoundTripBounds), std::end(kOrderRoundTripBounds)})) {
  // Every class from the start, so that a rate over them is defined before the first.
  for (std::string_view c : {"public", "account", "order"}) {
    (void)requests_.add({{"venue", venue_}, {"endpoint_class", std::string(c)}});
  }
}

void RequestMetrics::request(std::string_view endpoint_class) {
  requests_.add({{"venue", venue_}, {"endpoint_class", std::string(endpoint_class)}}).inc();
}

void RequestMetrics::error(std::string_view endpoint_class, std::string_view reason) {
  errors_.add({{"venue", venue_}, {"endpoint_class", std::string(endpoint_class)}, {"reason", std::string(reason)}})
      .inc();
}

void RequestMetrics::order_round_trip(std::string_view transport, std::chrono::nanoseconds elapsed) {
  round_trips_.add({{"venue", venue_}, {"transport", std::string(transport)}})
      .observe(std::chrono::duration<double>(elapsed).count());
}

}  // namespace cts::engine
