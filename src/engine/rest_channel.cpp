#include "cts/engine/rest_channel.hpp"

#include <algorithm>
#include <condition_variable>
#include <optional>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "cts/rate/backoff.hpp"

namespace cts::engine {

namespace {

/// Reads are retried on transient failures; these statuses (and a venue's throttle
/// inside an answer) say "try again later".
bool retryable_status(int status) noexcept { return status == 429 || status == 418 || status >= 500; }

/// Waits `delay` unless a stop is requested on `stop` first; true when it waited it all.
bool wait_unless_stopped(Nanos delay, const std::stop_token& stop) {
  if (!stop.stop_possible()) {
    std::this_thread::sleep_for(delay);
    return true;
  }
  std::mutex mutex;
  std::condition_variable_any woken;
  std::unique_lock lock(mutex);
  (void)woken.wait_for(lock, stop, delay, [] { return false; });
  return !stop.stop_requested();
}

}  // namespace

RestChannel::RestChannel(net::HttpClient& http, rate::Budget& limiter, const sign::Signer* signer,
                         venue::ThrottleReader read_throttle, venue::ReplyErrorReader read_error)
    : http_(http), limiter_(limiter), signer_(signer), read_throttle_(read_throttle), read_error_(read_error) {}

void RestChannel::set_read_retry(ReadRetry retry) {
  std::lock_guard lock(read_retry_mutex_);
  read_retry_ = std::move(retry);
}

ReadRetry RestChannel::read_retry() const {
  std::lock_guard lock(read_retry_mutex_);
  return read_retry_;
}

Nanos RestChannel::throttle_pause(const venue::ThrottleSignal& signal, SystemTime wall_now) const noexcept {
  if (!signal.reset_at) return kDefaultThrottlePause;
  // The reset is on the venue's clock; offset = venue - local.
  const SystemTime local_reset = *signal.reset_at - server_time_offset();
  const Nanos pause = std::chrono::duration_cast<Nanos>(local_reset - wall_now);
  return std::clamp<Nanos>(pause, Nanos{0}, kMaxThrottlePause);
}

Result<rate::Cost> RestChannel::price(std::string_view endpoint, std::optional<std::uint32_t> cost_param,
                                      std::uint32_t cost_times) const {
  // Every request is priced by the venue's policy; an unpriced one is a connector/policy
  // mismatch, and sending it could break the venue's limits.
  Result<rate::Cost> cost = limiter_.policy().cost(endpoint, cost_param);
  if (!cost) {
    return make_error(ErrorCode::internal,
                      fmt::format("no rate-limit cost for {}: {}", endpoint, cost.error().message));
  }
  if (cost_times > 1) cost = cost->times(cost_times);
  return cost;
}

Result<rate::Reservation> RestChannel::admit(const rate::Cost& cost, std::chrono::nanoseconds max_wait) {
  const RealClock clock;
  SteadyTime now = clock.steady_now();
  // A ban in force: wait it out when it ends in time (nothing has been sent yet).
  const SteadyTime banned_until =
      std::max(limiter_.blocked_until(rate::Scope::ip), limiter_.blocked_until(rate::Scope::account));
  if (banned_until > now && banned_until - now <= max_wait) {
    stats_.rate_waits.fetch_add(1, std::memory_order_relaxed);
    std::this_thread::sleep_until(banned_until);
    now = clock.steady_now();
  }
  Result<rate::Reservation> reservation = limiter_.reserve(cost, now, max_wait);
  if (!reservation) return reservation.error();
  if (reservation->ready_at > now) {
    stats_.rate_waits.fetch_add(1, std::memory_order_relaxed);
    std::this_thread::sleep_until(reservation->ready_at);
  }
  return reservation;
}

void RestChannel::throttled(const rate::Cost& cost, Nanos pause) {
  stats_.throttled.fetch_add(1, std::memory_order_relaxed);
  limiter_.on_throttled(cost, RealClock{}.steady_now(), std::clamp<Nanos>(pause, Nanos{0}, kMaxThrottlePause));
}

void RestChannel::feedback(const HttpResponse& response, const rate::Cost& cost) {
  const RealClock clock;
  if (response.status == 429) stats_.http_429.fetch_add(1, std::memory_order_relaxed);
  if (response.status == 418) stats_.http_418.fetch_add(1, std::memory_order_relaxed);
  // A malformed usage report is the venue's problem, not the request's: ignored.
  (void)limiter_.on_response(response, clock.steady_now(), clock.system_now(), &cost);
}

Result<HttpResponse> RestChannel::execute(const venue::Request& request, std::chrono::nanoseconds max_wait) {
  const RealClock clock;
  const Result<rate::Cost> cost = price(request.endpoint, request.cost_param, request.cost_times);
  if (!cost) return cost.error();
  const std::string_view klass = endpoint_class(request);
  const ReadRetry retry = request.mutation ? ReadRetry{} : read_retry();  // reads only
  std::minstd_rand jitter(static_cast<std::uint32_t>(clock.steady_now().time_since_epoch().count()));
  const SteadyTime first_attempt = clock.steady_now();
  for (std::uint32_t attempt = 1;; ++attempt) {
    Result<rate::Reservation> reservation = admit(*cost, max_wait);
    if (!reservation) return reservation.error();

    HttpRequest http_request = request.http;
    if (request.security != venue::Security::none && signer_ == nullptr) {
      limiter_.cancel(*reservation);
      return make_error(ErrorCode::auth_failed, fmt::format("{} needs API credentials", request.endpoint));
    }
    if (request.security == venue::Security::api_key) {
      if (Result<void> keyed = signer_->add_api_key(http_request); !keyed) {
        limiter_.cancel(*reservation);
        return keyed.error();
      }
    }
    if (request.security == venue::Security::signed_) {
      sign::SigningContext context;
      context.now = clock.system_now() + std::chrono::milliseconds(offset_ms_.load(std::memory_order_relaxed));
      if (Result<void> signed_ok = signer_->sign(http_request, context); !signed_ok) {
        limiter_.cancel(*reservation);
        return signed_ok.error();
      }
    }

    stats_.requests_sent.fetch_add(1, std::memory_order_relaxed);
    if (metrics_ != nullptr) metrics_->request(klass);
    // The client resends a GET once when its reused connection closed without a reply;
    // the venue may have counted the first send, so the resend is booked and counted
    // like any send, or not made (a mutation never is: its outcome is the caller's to
    // resolve).
    const net::ResendGate charge_resend = [&]() {
      if (request.mutation) return false;
      if (!admit(*cost, max_wait)) return false;
      stats_.requests_sent.fetch_add(1, std::memory_order_relaxed);
      if (metrics_ != nullptr) metrics_->request(klass);
      return true;
    };
    const SteadyTime sent_at = clock.steady_now();
    Result<HttpResponse> response = http_.send(http_request, charge_resend);
    bool transient = false;
    std::string_view why;  // the transient failure, for the retry's log line
    if (!response) {
      why = "no answer";
      stats_.transport_errors.fetch_add(1, std::memory_order_relaxed);
      if (metrics_ != nullptr) metrics_->error(klass, "transport");
      transient = true;
    } else {
      if (metrics_ != nullptr) {
        if (klass == "order") metrics_->order_round_trip("rest", clock.steady_now() - sent_at);
        if (const std::string_view reason = http_error_reason(response->status); !reason.empty()) {
          metrics_->error(klass, reason);
        }
      }
      // A malformed usage header is the venue's problem, not this request's: the
      // response still goes to the connector.
      feedback(*response, *cost);
      transient = retryable_status(response->status);
      if (transient) why = "error status";
      if (read_throttle_ != nullptr) {
        if (const std::optional<venue::ThrottleSignal> signal = read_throttle_(*response)) {
          throttled(*cost, throttle_pause(*signal, clock.system_now()));
          if (metrics_ != nullptr) metrics_->error(klass, "throttled");
          transient = true;
          why = "throttled";
        }
      }
      // A venue error inside the answer that its error map calls transient (Bybit
      // 10016 in an HTTP 200): a read is sent again, as after a 5xx.
      if (!transient && !request.mutation && read_error_ != nullptr) {
        const std::optional<ErrorCode> error = read_error_(*response);
        if (error && rate::may_retry(rate::Idempotency::idempotent, *error)) {
          stats_.transient_replies.fetch_add(1, std::memory_order_relaxed);
          if (metrics_ != nullptr) metrics_->error(klass, "venue_error");
          transient = true;
          why = to_string(*error);
        }
      }
    }
    // Creates, cancels and other mutations are never re-sent: the caller resolves them.
    if (!transient || request.mutation) return response;
    const SteadyTime after = clock.steady_now();
    std::optional<Nanos> floor;
    const SteadyTime ban =
        std::max(limiter_.blocked_until(rate::Scope::ip), limiter_.blocked_until(rate::Scope::account));
    if (ban > after) floor = std::chrono::duration_cast<Nanos>(ban - after);
    Result<Nanos> delay = retry.policy.next_delay(attempt, after - first_attempt, floor, jitter);
    if (!delay) return response;  // out of attempts or budget: the last answer stands
    if (retry.deadline && after + *delay > *retry.deadline) return response;  // the phase's time is up
    if (retry.log) {
      retry.log(fmt::format(
          "{} failed ({}{}): retrying in {} ms", request.endpoint, why,
          response ? fmt::format(", HTTP {}", response->status) : fmt::format(": {}", response.error().message),
          std::chrono::duration_cast<std::chrono::milliseconds>(*delay).count()));
    }
    if (!wait_unless_stopped(*delay, retry.stop)) return response;  // stopping: the last answer stands
    stats_.read_retries.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace cts::engine
