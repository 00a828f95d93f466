// Tests for cts/rate/backoff.hpp: full-jitter backoff and the retry rule.
#include <cts/rate/backoff.hpp>

#include <doctest/doctest.h>

#include <random>

using namespace cts;
using namespace cts::rate;
using namespace std::chrono_literals;

TEST_CASE("creates never retry blindly; reads retry only transient failures") {
  CHECK(!may_retry(Idempotency::non_idempotent, ErrorCode::timeout));
  CHECK(!may_retry(Idempotency::non_idempotent, ErrorCode::unknown_outcome));
  CHECK(!may_retry(Idempotency::non_idempotent, ErrorCode::network));
  CHECK(may_retry(Idempotency::idempotent, ErrorCode::timeout));
  CHECK(may_retry(Idempotency::idempotent, ErrorCode::venue_unavailable));
  CHECK(may_retry(Idempotency::idempotent, ErrorCode::rate_limited));
  CHECK(!may_retry(Idempotency::idempotent, ErrorCode::invalid_signature));
  CHECK(!may_retry(Idempotency::idempotent, ErrorCode::rejected));
}

TEST_CASE("the ceiling doubles up to the cap without overflowing") {
  const RetryPolicy policy{100ms, 2s, 100, 1h};
  CHECK(policy.ceiling(0) == 100ms);
  CHECK(policy.ceiling(1) == 200ms);
  CHECK(policy.ceiling(4) == 1600ms);
  CHECK(policy.ceiling(5) == 2s);
  CHECK(policy.ceiling(4'000'000'000u) == 2s);
}

TEST_CASE("delays lie within [0, ceiling] and spread over it") {
  const RetryPolicy policy{100ms, 2s, 1000, 24h};
  std::mt19937_64 rng(7);
  for (std::uint32_t attempt = 1; attempt < 12; ++attempt) {
    Nanos lo = 1h, hi = 0ns;
    for (int i = 0; i < 500; ++i) {
      const Nanos d = policy.next_delay(attempt, 0ns, std::nullopt, rng).value();
      CHECK(d >= 0ns);
      CHECK(d <= policy.ceiling(attempt - 1));
      lo = std::min(lo, d);
      hi = std::max(hi, d);
    }
    // Full jitter: the draws reach both ends of the range, not a narrow band.
    CHECK(lo < policy.ceiling(attempt - 1) / 4);
    CHECK(hi > policy.ceiling(attempt - 1) * 3 / 4);
  }
}

TEST_CASE("Retry-After is a floor, even above the cap") {
  const RetryPolicy policy{100ms, 1s, 10, 1h};
  std::mt19937_64 rng(1);
  for (int i = 0; i < 100; ++i) CHECK(policy.next_delay(1, 0ns, 500ms, rng).value() >= 500ms);
  CHECK(policy.next_delay(3, 0ns, 30s, rng).value() == 30s);
}

TEST_CASE("attempts and budget are enforced") {
  const RetryPolicy policy{100ms, 1s, 3, 5s};
  std::mt19937_64 rng(3);
  CHECK(policy.next_delay(2, 0ns, std::nullopt, rng).has_value());
  const auto exhausted = policy.next_delay(3, 0ns, std::nullopt, rng);
  REQUIRE(!exhausted.has_value());
  CHECK(exhausted.error().code == ErrorCode::timeout);
  CHECK(exhausted.error().message.find("3 attempts") != std::string::npos);
  const auto over_budget = policy.next_delay(1, 4s, 2s, rng);
  REQUIRE(!over_budget.has_value());
  CHECK(over_budget.error().message.find("budget") != std::string::npos);
}
