#include "cts/engine/rest_channel.hpp"

#include <thread>

#include <fmt/format.h>

namespace cts::engine {

RestChannel::RestChannel(net::HttpClient& http, rate::Limiter& limiter, const sign::Signer* signer,
                         std::string api_key, std::string api_key_header)
    : http_(http),
      limiter_(limiter),
      signer_(signer),
      api_key_(std::move(api_key)),
      api_key_header_(std::move(api_key_header)) {}

Result<HttpResponse> RestChannel::execute(const venue::Request& request, std::chrono::nanoseconds max_wait) {
  const RealClock clock;
  Result<rate::Cost> cost = limiter_.policy().cost(request.endpoint);
  if (!cost) {
    // An endpoint the policy does not price: charge the connector's documented weight
    // to pool 0, which every venue policy makes its request-weight pool.
    rate::Cost fallback;
    fallback.add(0, static_cast<std::uint32_t>(request.weight));
    cost = fallback;
  }
  const SteadyTime now = clock.steady_now();
  Result<rate::Reservation> reservation = limiter_.reserve(*cost, now, max_wait);
  if (!reservation) return reservation.error();
  if (reservation->ready_at > now) {
    stats_.rate_waits.fetch_add(1, std::memory_order_relaxed);
    std::this_thread::sleep_until(reservation->ready_at);
  }

  HttpRequest http_request = request.http;
  if (request.security != venue::Security::none) {
    if (api_key_.empty()) {
      limiter_.cancel(*reservation);
      return make_error(ErrorCode::auth_failed, fmt::format("{} needs an API key", request.endpoint));
    }
    http_request.set_header(api_key_header_, api_key_);
  }
  if (request.security == venue::Security::signed_) {
    if (signer_ == nullptr) {
      limiter_.cancel(*reservation);
      return make_error(ErrorCode::auth_failed, fmt::format("{} needs a signer", request.endpoint));
    }
    sign::SigningContext context;
    context.now = clock.system_now() + std::chrono::milliseconds(offset_ms_.load(std::memory_order_relaxed));
    if (Result<void> signed_ok = signer_->sign(http_request, context); !signed_ok) {
      limiter_.cancel(*reservation);
      return signed_ok.error();
    }
  }

  stats_.requests_sent.fetch_add(1, std::memory_order_relaxed);
  Result<HttpResponse> response = http_.send(http_request);
  if (!response) {
    stats_.transport_errors.fetch_add(1, std::memory_order_relaxed);
    return response;
  }
  if (response->status == 429) stats_.http_429.fetch_add(1, std::memory_order_relaxed);
  if (response->status == 418) stats_.http_418.fetch_add(1, std::memory_order_relaxed);
  // A malformed usage header is the venue's problem, not this request's: the response
  // still goes to the connector.
  (void)limiter_.on_response(*response, clock.steady_now(), clock.system_now(), &*cost);
  return response;
}

}  // namespace cts::engine
